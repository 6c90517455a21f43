// bench_logistic — fitting lien's logistic regression on a large feature matrix, and scoring throughput
// (standardise + logit + calibration + ranked contributions) on one core.
//
// With --data DIR it reads DIR/X.npy (n x p float64, C order) and DIR/y.npy written by bench_logistic.py, so
// that scikit-learn and lien fit the same data in the same run; it then writes DIR/lien_coef.npy (intercept
// followed by the coefficients, on standardised features) for the driver to score with NumPy. Without --data
// it generates a comparable matrix itself (own seeded generator) to time lien alone.
// Prints one JSON object on the last line of stdout.
//
//   bench_logistic [--data DIR | --rows 1000000 --cols 40 --seed 1] [--l2 L | --C 1.0] [--threads 1]
//                  [--repeat 3] [--score-rows 1000000] [--top 5] [--quick]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "lien/core/random.hpp"
#include "lien/risk/bands.hpp"
#include "lien/risk/explain.hpp"
#include "lien/risk/isotonic.hpp"
#include "lien/risk/logistic.hpp"
#include "lien/risk/metrics.hpp"
#include "lien/risk/platt.hpp"
#include "lien/risk/scaler.hpp"
#include "npy.hpp"

using namespace lien;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
/// CPU seconds of the whole process (all threads): on a shared machine, the time that was ours.
double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}


// The same recipe as bench_logistic.py (not the same numbers): correlated Gaussian features from 4 latent
// factors, skewed counts, binary indicators, and labels from a sparse logistic model (about 26% positives).
void generate(Index n, Index p, std::uint64_t seed, RowMatrix& X, Vector& y) {
  SplitMix64 rng{seed};
  const Index k = 4, ng = p / 2, nc = p / 4;
  Matrix load(k, p);
  std::vector<Index> factor(static_cast<std::size_t>(p));
  Vector thr(p), beta(p);
  for (Index j = 0; j < p; ++j) {
    for (Index f = 0; f < k; ++f) load(f, j) = (0.3 + 0.6 * rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1);
    factor[static_cast<std::size_t>(j)] = static_cast<Index>(rng.next() % k);
    thr[j] = 1.6 * rng.uniform();
    beta[j] = rng.uniform() < 0.7 ? 0.35 * rng.normal() : 0.0;
  }
  X.resize(n, p);
  y.resize(n);
  std::vector<double> F(static_cast<std::size_t>(k));
  for (Index i = 0; i < n; ++i) {
    for (auto& f : F) f = rng.normal();
    for (Index j = 0; j < p; ++j) {
      const double fj = F[static_cast<std::size_t>(factor[static_cast<std::size_t>(j)])];
      double v;
      if (j < ng) {
        v = 0.6 * rng.normal();
        for (Index f = 0; f < k; ++f) v += F[static_cast<std::size_t>(f)] * load(f, j);
      } else if (j < ng + nc) {
        const double lam = std::exp(0.3 + 0.6 * fj + 0.3 * rng.normal());
        // Poisson by inversion (lam is small).
        double u = rng.uniform(), prob = std::exp(-lam), cum = prob;
        int c = 0;
        while (u > cum && c < 200) prob *= lam / ++c, cum += prob;
        v = c;
      } else {
        v = fj + 0.8 * rng.normal() > thr[j] ? 1.0 : 0.0;
      }
      X(i, j) = v;
    }
  }
  // Labels from the standardised features.
  StandardScaler s;
  s.fit(X);
  std::vector<double> z(static_cast<std::size_t>(p));
  for (Index i = 0; i < n; ++i) {
    s.transform_row(X.row(i).data(), 1, z.data());
    double eta = -1.3;
    for (Index j = 0; j < p; ++j) eta += beta[j] * z[static_cast<std::size_t>(j)];
    y[i] = rng.uniform() < sigmoid(eta) ? 1.0 : 0.0;
  }
}

const char* arg(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  return fallback;
}
bool flag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = flag(argc, argv, "--quick");
  const std::string data = arg(argc, argv, "--data", "");
  Index n = std::atol(arg(argc, argv, "--rows", quick ? "100000" : "1000000"));
  Index p = std::atol(arg(argc, argv, "--cols", "40"));
  const int threads = std::atoi(arg(argc, argv, "--threads", "1"));
  const int repeat = std::max(1, std::atoi(arg(argc, argv, "--repeat", quick ? "1" : "3")));
  const std::size_t top = static_cast<std::size_t>(std::atol(arg(argc, argv, "--top", "5")));

  RowMatrix generated;
  Vector y;
  npy::Array xa, ya;
  const double* xdata = nullptr;
  if (!data.empty()) {
    xa = npy::load(data + "/X.npy");
    ya = npy::load(data + "/y.npy");
    if (xa.descr != "<f8" || xa.fortran || xa.shape.size() != 2)
      npy::fail(data + "/X.npy", "expected a C-ordered float64 matrix");
    if (ya.descr != "<f8" || ya.size() != xa.shape[0]) npy::fail(data + "/y.npy", "expected one float64 per row");
    n = xa.shape[0], p = xa.shape[1];
    xdata = xa.as<double>();
    y = Eigen::Map<const Vector>(ya.as<double>(), n);
  } else {
    generate(n, p, std::strtoull(arg(argc, argv, "--seed", "1"), nullptr, 10), generated, y);
    xdata = generated.data();
  }
  const Eigen::Map<const RowMatrix> X(xdata, n, p);
  LogisticOptions opt;
  const char* C = arg(argc, argv, "--C", nullptr);
  opt.l2 = C ? l2_from_sklearn_C(std::atof(C), static_cast<double>(n)) : std::atof(arg(argc, argv, "--l2", "1e-6"));
  opt.solver.threads = threads;

  // ---- fit: scaler, then logistic regression; best of `repeat` -------------------------------------------
  double t_scale = 1e300, t_fit = 1e300, c_scale = 1e300, c_fit = 1e300;
  StandardScaler scaler;
  RowMatrix Z;
  LogisticRegression model(opt);
  for (int r = 0; r < repeat; ++r) {
    auto t0 = Clock::now();
    double c0 = cpu_now();
    scaler.fit(X);
    Z = scaler.transform_rows(X);
    t_scale = std::min(t_scale, seconds_since(t0));
    c_scale = std::min(c_scale, cpu_now() - c0);
    t0 = Clock::now();
    c0 = cpu_now();
    model.fit(Z, y);
    t_fit = std::min(t_fit, seconds_since(t0));
    c_fit = std::min(c_fit, cpu_now() - c0);
  }
  const Vector prob = model.predict_proba(Z);
  const double ll = log_loss(y, prob);
  const FitReport& rep = model.report();

  if (!data.empty()) {
    std::vector<double> coef(static_cast<std::size_t>(p + 1));
    coef[0] = model.intercept();
    for (Index j = 0; j < p; ++j) coef[static_cast<std::size_t>(j + 1)] = model.coefficients()[j];
    npy::save(data + "/lien_coef.npy", coef.data(), {p + 1});
  }

  // ---- scoring throughput on one core: raw row -> z -> logit + contributions -> calibrated p -> band ----
  const Index score_rows = std::min<Index>(n, std::atol(arg(argc, argv, "--score-rows", quick ? "100000" : "1000000")));
  PlattCalibrator platt;
  platt.fit(model.decision_function(Z.topRows(std::min<Index>(n, 200000))), y.head(std::min<Index>(n, 200000)));
  IsotonicCalibrator iso;
  iso.fit(prob.head(std::min<Index>(n, 200000)), y.head(std::min<Index>(n, 200000)));
  const RiskBands bands;
  const Explainer explainer(model.intercept(), model.coefficients());
  std::vector<double> z(static_cast<std::size_t>(p));
  Explanation ex;
  auto score_run = [&](bool isotonic, std::size_t k) {
    double checksum = 0.0;
    const double t0 = cpu_now();
    for (Index i = 0; i < score_rows; ++i) {
      scaler.transform_row(X.row(i).data(), 1, z.data());
      explainer.explain(z.data(), 1, k, ex);
      const double pc = isotonic ? iso.predict(sigmoid(ex.logit)) : platt.predict(ex.logit);
      checksum += pc + static_cast<int>(bands.band(pc)) + ex.drivers[0].value;
    }
    const double t = cpu_now() - t0;
    if (!(checksum == checksum)) std::cerr << "checksum is NaN\n";
    return static_cast<double>(score_rows) / t;
  };
  double rate_platt_top = 0, rate_iso_top = 0, rate_platt_all = 0;
  for (int r = 0; r < repeat; ++r) {
    rate_platt_top = std::max(rate_platt_top, score_run(false, top));
    rate_iso_top = std::max(rate_iso_top, score_run(true, top));
    rate_platt_all = std::max(rate_platt_all, score_run(false, 0));
  }

  std::printf("rows %lld  features %lld  threads %d  l2 %.3g (sklearn C = %.6g)\n", static_cast<long long>(n),
              static_cast<long long>(p), threads, opt.l2, sklearn_C(opt.l2, static_cast<double>(n)));
  std::printf("scaler fit+transform  %.3f s wall, %.3f s cpu\n", t_scale, c_scale);
  std::printf("logistic fit          %.3f s wall, %.3f s cpu  (%s, %d Newton steps + %d on the subsample, %d passes, "
              "max|grad| %.2e)\n",
              t_fit, c_fit, to_string(rep.info), rep.iterations, rep.subsample_iterations, rep.passes, rep.gradient_max);
  std::printf("training log loss     %.12f   penalised objective %.12f\n", ll, rep.loss);
  std::printf("scoring (1 core)      %.2f M rows/s Platt + top-%zu drivers, %.2f M rows/s isotonic + top-%zu, "
              "%.2f M rows/s Platt + all %lld ranked\n",
              rate_platt_top / 1e6, top, rate_iso_top / 1e6, top, rate_platt_all / 1e6, static_cast<long long>(p));
  std::printf("{\"rows\": %lld, \"cols\": %lld, \"threads\": %d, \"l2\": %.17g, \"scale_s\": %.6f, \"scale_cpu_s\": %.6f, \"fit_s\": %.6f, \"fit_cpu_s\": %.6f, "
              "\"info\": \"%s\", \"iterations\": %d, \"subsample_iterations\": %d, \"passes\": %d, "
              "\"log_loss\": %.17g, \"objective\": %.17g, \"score_rows_per_s_platt_top\": %.1f, "
              "\"score_rows_per_s_isotonic_top\": %.1f, \"score_rows_per_s_platt_all\": %.1f, \"top\": %zu}\n",
              static_cast<long long>(n), static_cast<long long>(p), threads, opt.l2, t_scale, c_scale, t_fit, c_fit,
              to_string(rep.info), rep.iterations, rep.subsample_iterations, rep.passes, ll, rep.loss,
              rate_platt_top, rate_iso_top, rate_platt_all, top);
  return rep.info == FitInfo::success ? 0 : 1;
}
