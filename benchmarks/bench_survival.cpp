// bench_survival — fitting lien's discrete-time survival model on person-period rows with time-varying
// covariates, and its C-index on held-out subjects.
//
// With --data DIR it reads the train_* and test_* arrays bench_survival.py wrote (subject int64, period int32,
// X float64 C order, event float64), so that lifelines' CoxTimeVaryingFitter and lien fit the same rows in the
// same run; it writes DIR/lien_test_risk.npy (the linear predictor x'beta of every test row) for the driver to
// compute both models' C-indices with the same code. Without --data it generates comparable data itself (own
// seeded generator) to time lien alone. Prints one JSON object on the last line of stdout.
//
//   bench_survival [--data DIR | --subjects 20000 --periods 12 --cols 10 --seed 1] [--threads 1] [--repeat 3]
//                  [--quick]
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
#include "lien/risk/concordance.hpp"
#include "lien/risk/scaler.hpp"
#include "lien/risk/survival.hpp"
#include "npy.hpp"

using namespace lien;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}


struct Rows {
  IdVector subject;
  IntVector period;
  RowMatrix X;
  Vector event;
};

// The recipe of bench_survival.py (not the same numbers): a subject effect plus an AR(1) path per covariate,
// columns on different scales, a logistic hazard with a period baseline, geometric censoring.
void generate(Index subjects, int periods, Index p, std::uint64_t seed, Rows& train, Rows& test) {
  SplitMix64 rng{seed};
  Vector beta(p), scale(p), offset(p);
  for (Index j = 0; j < p; ++j) {
    beta[j] = rng.uniform() < 0.8 ? 0.45 * rng.normal() : 0.0;
    scale[j] = std::exp(2.0 * rng.uniform());
    offset[j] = 10.0 * rng.uniform();
  }
  std::vector<std::int64_t> ts, vs;
  std::vector<std::int32_t> tp, vp;
  std::vector<double> tx, vx, te, ve;
  Vector u(p), x(p);
  for (Index s = 0; s < subjects; ++s) {
    const bool is_test = rng.uniform() < 0.3;
    for (Index j = 0; j < p; ++j) u[j] = rng.normal(), x[j] = 0.0;
    for (int t = 0; t < periods; ++t) {
      double eta = -3.0 + 0.4 * std::sin(t / 2.0);
      for (Index j = 0; j < p; ++j) {
        x[j] = 0.5 * x[j] + 0.6 * u[j] + 0.5 * rng.normal();
        eta += beta[j] * x[j];
      }
      const bool ev = rng.uniform() < 1.0 / (1.0 + std::exp(-eta));
      const bool censored = !ev && rng.uniform() < 0.03;
      (is_test ? vs : ts).push_back(s);
      (is_test ? vp : tp).push_back(t);
      for (Index j = 0; j < p; ++j) (is_test ? vx : tx).push_back(x[j] * scale[j] + offset[j]);
      (is_test ? ve : te).push_back(ev ? 1.0 : 0.0);
      if (ev || censored) break;
    }
  }
  const auto fill = [p](Rows& r, std::vector<std::int64_t>& s, std::vector<std::int32_t>& t, std::vector<double>& x,
                        std::vector<double>& e) {
    const auto n = static_cast<Index>(s.size());
    r.subject = Eigen::Map<IdVector>(s.data(), n);
    r.period = Eigen::Map<IntVector>(t.data(), n);
    r.X = Eigen::Map<RowMatrix>(x.data(), n, p);
    r.event = Eigen::Map<Vector>(e.data(), n);
  };
  fill(train, ts, tp, tx, te);
  fill(test, vs, vp, vx, ve);
}

Rows load(const std::string& dir, const std::string& prefix) {
  const npy::Array s = npy::load(dir + "/" + prefix + "_subject.npy");
  const npy::Array t = npy::load(dir + "/" + prefix + "_period.npy");
  const npy::Array x = npy::load(dir + "/" + prefix + "_X.npy");
  const npy::Array e = npy::load(dir + "/" + prefix + "_event.npy");
  if (s.descr != "<i8" || t.descr != "<i4" || x.descr != "<f8" || x.fortran || e.descr != "<f8")
    npy::fail(dir, "expected subject int64, period int32, X float64 (C order), event float64");
  const Index n = x.shape[0], p = x.shape[1];
  Rows r;
  r.subject = Eigen::Map<const IdVector>(s.as<std::int64_t>(), n);
  r.period = Eigen::Map<const IntVector>(t.as<std::int32_t>(), n);
  r.X = Eigen::Map<const RowMatrix>(x.as<double>(), n, p);
  r.event = Eigen::Map<const Vector>(e.as<double>(), n);
  return r;
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
  const int threads = std::atoi(arg(argc, argv, "--threads", "1"));
  const int repeat = std::max(1, std::atoi(arg(argc, argv, "--repeat", quick ? "1" : "3")));
  Rows train, test;
  if (!data.empty()) {
    train = load(data, "train");
    test = load(data, "test");
  } else {
    generate(std::atol(arg(argc, argv, "--subjects", quick ? "2000" : "20000")),
             std::atoi(arg(argc, argv, "--periods", "12")), std::atol(arg(argc, argv, "--cols", "10")),
             std::strtoull(arg(argc, argv, "--seed", "1"), nullptr, 10), train, test);
  }
  SurvivalOptions opt;
  opt.solver.threads = threads;
  opt.solver.hessian_rows = static_cast<std::size_t>(std::atol(arg(argc, argv, "--hessian-rows", "32768")));

  // ---- fit: scaler on the training rows, then the hazard model; best of `repeat` --------------------------
  double wall = 1e300, cpu = 1e300, cpu_model = 1e300;
  StandardScaler scaler;
  DiscreteTimeSurvival model(opt);
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = Clock::now();
    const double c0 = cpu_now();
    scaler.fit(train.X);
    const Matrix Z = scaler.transform(train.X);  // column-major, as the feature layer hands matrices over
    const double c1 = cpu_now();
    model.fit(train.subject, train.period, Z, train.event);
    cpu_model = std::min(cpu_model, cpu_now() - c1);
    wall = std::min(wall, seconds_since(t0));
    cpu = std::min(cpu, cpu_now() - c0);
  }
  const FitReport& rep = model.report();

  // ---- held-out evaluation ---------------------------------------------------------------------------------
  const RowMatrix Zt = scaler.transform_rows(test.X);
  const Index nt = Zt.rows();
  Vector risk(nt);
  for (Index i = 0; i < nt; ++i) risk[i] = model.linear_predictor(Zt.row(i).data());
  const double c_tv = time_varying_concordance(test.period, risk, test.event);
  // Harrell's C with the covariates each subject had at entry (rows of a subject are contiguous and in order).
  std::vector<double> exit_time, entry_risk, exit_event;
  for (Index i = 0; i < nt; ++i) {
    if (i == 0 || test.subject[i] != test.subject[i - 1]) entry_risk.push_back(risk[i]);
    if (i + 1 == nt || test.subject[i + 1] != test.subject[i])
      exit_time.push_back(test.period[i] + 1.0), exit_event.push_back(test.event[i]);
  }
  const auto ns = static_cast<Index>(exit_time.size());
  const double c_entry = concordance_index(Eigen::Map<Vector>(exit_time.data(), ns),
                                           -Eigen::Map<Vector>(entry_risk.data(), ns),
                                           Eigen::Map<Vector>(exit_event.data(), ns));
  // Scoring: a 12-period curve per held-out subject from its entry covariates, and P(event within 4).
  double c0 = cpu_now(), sum = 0.0;
  for (Index i = 0; i < nt; ++i) {
    if (i > 0 && test.subject[i] == test.subject[i - 1]) continue;
    const SurvivalCurve curve = model.curve(0, Zt.row(i).transpose(), 12);
    sum += curve.event_probability(4);
  }
  const double curve_rate = static_cast<double>(ns) / (cpu_now() - c0);
  if (!data.empty()) npy::save(data + "/lien_test_risk.npy", risk.data(), {nt});

  std::printf("train %lld rows (%lld events), test %lld rows / %lld subjects, %lld covariates, threads %d\n",
              static_cast<long long>(train.X.rows()), static_cast<long long>(train.event.sum()),
              static_cast<long long>(nt), static_cast<long long>(ns), static_cast<long long>(train.X.cols()), threads);
  std::printf("fit (scaler + model)  %.4f s wall, %.4f s cpu, of which the model %.4f s cpu  (%s, %lld baseline bins, %d Newton steps + %d on the "
              "subsample, %d passes)\n",
              wall, cpu, cpu_model, to_string(rep.info), static_cast<long long>(model.baseline().size()), rep.iterations,
              rep.subsample_iterations, rep.passes);
  std::printf("held-out C-index      %.6f time-varying (each period: event rows vs rows at risk), %.6f Harrell at "
              "entry\n",
              c_tv, c_entry);
  std::printf("curves                %.2f M subjects/s (12 periods, P(event within 4) mean %.4f)\n", curve_rate / 1e6,
              sum / static_cast<double>(ns));
  std::printf("{\"train_rows\": %lld, \"test_rows\": %lld, \"test_subjects\": %lld, \"cols\": %lld, \"threads\": %d, "
              "\"fit_s\": %.6f, \"fit_cpu_s\": %.6f, \"info\": \"%s\", \"bins\": %lld, \"iterations\": %d, "
              "\"c_index_time_varying\": %.17g, \"c_index_entry\": %.17g}\n",
              static_cast<long long>(train.X.rows()), static_cast<long long>(nt), static_cast<long long>(ns),
              static_cast<long long>(train.X.cols()), threads, wall, cpu, to_string(rep.info),
              static_cast<long long>(model.baseline().size()), rep.iterations, c_tv, c_entry);
  return rep.info == FitInfo::success ? 0 : 1;
}
