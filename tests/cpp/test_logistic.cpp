// StandardScaler, LogisticRegression and Explainer: scikit-learn reference values (make_reference.py),
// properties of the optimum, determinism, and every rejected argument.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>

#include "lien/core/error.hpp"
#include "lien/risk/explain.hpp"
#include "lien/risk/logistic.hpp"
#include "lien/risk/scaler.hpp"
#include "reference_data.hpp"

using namespace lien;
using Catch::Matchers::Contains;

namespace {

double max_abs_diff(const Vector& a, const Vector& b) { return (a - b).cwiseAbs().maxCoeff(); }

/// The gradient of the documented objective, written out plainly (no lanes, no blocks).
Vector objective_gradient(const Matrix& Z, const Vector& y, const Vector& w, double b, const Vector& beta, double l2) {
  const Index n = Z.rows(), p = Z.cols();
  Vector g = Vector::Zero(p + 1);
  double W = 0.0;
  for (Index i = 0; i < n; ++i) {
    const double wi = w.size() ? w[i] : 1.0;
    double eta = b;
    for (Index j = 0; j < p; ++j) eta += beta[j] * Z(i, j);
    const double r = wi * (1.0 / (1.0 + std::exp(-eta)) - y[i]);
    g[0] += r;
    for (Index j = 0; j < p; ++j) g[j + 1] += r * Z(i, j);
    W += wi;
  }
  g /= W;
  g.tail(p) += l2 * beta;
  return g;
}

/// A seeded problem with correlated features, for properties that need no peer.
struct Synthetic {
  Matrix X;
  Vector y;
};
Synthetic synthetic(Index n, Index p, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> N;
  Synthetic s;
  s.X.resize(n, p);
  s.y.resize(n);
  for (Index i = 0; i < n; ++i) {
    const double f = N(rng);
    double eta = -0.8;
    for (Index j = 0; j < p; ++j) {
      s.X(i, j) = 0.6 * f + N(rng);
      eta += (j % 2 ? -0.4 : 0.7) * s.X(i, j);
    }
    s.y[i] = std::uniform_real_distribution<double>(0, 1)(rng) < 1.0 / (1.0 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  return s;
}

bool bit_identical(const Vector& a, const Vector& b) {
  if (a.size() != b.size()) return false;
  for (Index i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0) return false;
  return true;
}

}  // namespace

TEST_CASE("StandardScaler and LogisticRegression match scikit-learn on the reference datasets") {
  reference::File file("logistic.json");
  for (auto c : reference::items(file["cases"])) {
    const std::string name = reference::text(c, "name");
    INFO("dataset " << name);
    const Matrix X = reference::mat(c, "X");
    const Vector y = reference::vec(c, "y");
    const Vector w = reference::vec(c, "w");

    StandardScaler scaler;
    scaler.fit(X, w);
    CHECK(max_abs_diff(scaler.mean(), reference::vec(c, "scaler_mean")) < 1e-12);
    CHECK(max_abs_diff(scaler.scale(), reference::vec(c, "scaler_scale")) < 1e-12);
    const Matrix Z = scaler.transform(X);

    LogisticOptions opt;
    opt.l2 = reference::number(c, "l2");
    opt.fit_intercept = c["fit_intercept"].get_bool().value();
    opt.solver.gradient_tolerance = 1e-11;
    opt.solver.loss_tolerance = 0.0;
    if (name == "subsampled") opt.solver.hessian_rows = 256;  // 2000 rows > 2 x 256: the warm-start path
    const double W = w.size() ? w.sum() : static_cast<double>(y.size());
    CHECK(sklearn_C(opt.l2, W) == Approx(reference::number(c, "C")).epsilon(1e-12));
    CHECK(l2_from_sklearn_C(reference::number(c, "C"), W) == Approx(opt.l2).epsilon(1e-12));

    LogisticRegression model(opt);
    model.fit(Z, y, w);
    REQUIRE(model.info() == FitInfo::success);
    if (name == "subsampled") CHECK(model.report().subsample_iterations > 0);
    // Against the tight optimum of the same objective (SciPy), and against sklearn's lbfgs.
    CHECK(std::abs(model.intercept() - reference::number(c, "tight_intercept")) < 1e-8);
    CHECK(max_abs_diff(model.coefficients(), reference::vec(c, "tight_coef")) < 1e-8);
    CHECK(std::abs(model.intercept() - reference::number(c, "sklearn_intercept")) < 1e-5);
    CHECK(max_abs_diff(model.coefficients(), reference::vec(c, "sklearn_coef")) < 1e-5);
    CHECK(max_abs_diff(model.predict_proba(Z), reference::vec(c, "sklearn_proba")) < 1e-6);
    CHECK(model.report().loss == Approx(reference::number(c, "tight_objective")).epsilon(1e-13));
    if (name == "constant_column") {
      CHECK(scaler.scale()[1] == 1.0);
      CHECK(Z.col(1).cwiseAbs().maxCoeff() == 0.0);  // exactly 0, not NaN
      CHECK(model.coefficients()[1] == 0.0);
    }
    if (!opt.fit_intercept) CHECK(model.intercept() == 0.0);
  }
}

TEST_CASE("the gradient vanishes at the optimum, with and without weights") {
  reference::File file("logistic.json");
  for (auto c : reference::items(file["cases"])) {
    if (!c["fit_intercept"].get_bool().value()) continue;
    INFO("dataset " << reference::text(c, "name"));
    const Matrix X = reference::mat(c, "X");
    const Vector y = reference::vec(c, "y"), w = reference::vec(c, "w");
    const Matrix Z = StandardScaler().fit(X, w).transform(X);
    LogisticOptions opt;
    opt.l2 = reference::number(c, "l2");
    LogisticRegression m(opt);
    m.fit(Z, y, w);
    REQUIRE(m.info() == FitInfo::success);
    const Vector g = objective_gradient(Z, y, w, m.intercept(), m.coefficients(), opt.l2);
    CHECK(g.cwiseAbs().maxCoeff() < 1e-8);
    CHECK(m.report().gradient_max <= opt.solver.gradient_tolerance);
  }
}

TEST_CASE("fitting is deterministic: twice, any thread count, either storage order, bit for bit") {
  // 6 features: a narrow design (warm start, then exact Newton); 20: a wide one (the subsample's Hessian).
  for (Index p : {6, 20}) {
    INFO(p << " features");
    const Synthetic s = synthetic(40000, p, 7);  // three blocks of 16384 rows
    LogisticOptions opt;
    opt.l2 = 1e-3;
    opt.solver.hessian_rows = 4096;
    LogisticRegression a(opt);
    a.fit(s.X, s.y);
    REQUIRE(a.info() == FitInfo::success);
    CHECK(a.report().subsample_iterations > 0);
    LogisticRegression b(opt);
    b.fit(s.X, s.y);
    CHECK(bit_identical(a.coefficients(), b.coefficients()));
    CHECK(a.intercept() == b.intercept());
    for (int threads : {2, 3, 8}) {
      LogisticOptions o = opt;
      o.solver.threads = threads;
      LogisticRegression t(o);
      t.fit(s.X, s.y);
      INFO("threads " << threads);
      CHECK(bit_identical(a.coefficients(), t.coefficients()));
      CHECK(std::memcmp(&a.report().loss, &t.report().loss, sizeof(double)) == 0);
    }
    const RowMatrix rows = s.X;  // the same numbers, row-major
    LogisticRegression r(opt);
    r.fit(rows, s.y);
    CHECK(bit_identical(a.coefficients(), r.coefficients()));
    CHECK(a.intercept() == r.intercept());
    // Exact Newton from the start reaches the same optimum.
    LogisticOptions exact = opt;
    exact.solver.hessian_rows = 0;
    LogisticRegression e(exact);
    e.fit(s.X, s.y);
    CHECK(e.report().subsample_iterations == 0);
    CHECK(max_abs_diff(a.coefficients(), e.coefficients()) < 1e-7);
  }
}

TEST_CASE("row order, zero weights and integer weights change nothing they should not") {
  const Synthetic s = synthetic(600, 4, 11);
  LogisticOptions opt;
  opt.l2 = 1e-2;
  opt.solver.gradient_tolerance = 1e-12;
  opt.solver.loss_tolerance = 0.0;
  LogisticRegression base(opt);
  base.fit(s.X, s.y);

  std::vector<Index> perm(600);
  std::iota(perm.begin(), perm.end(), Index{0});
  std::shuffle(perm.begin(), perm.end(), std::mt19937(3));
  Matrix Xp(600, 4);
  Vector yp(600);
  for (Index i = 0; i < 600; ++i) Xp.row(i) = s.X.row(perm[static_cast<std::size_t>(i)]), yp[i] = s.y[perm[static_cast<std::size_t>(i)]];
  LogisticRegression shuffled(opt);
  shuffled.fit(Xp, yp);
  CHECK(max_abs_diff(base.coefficients(), shuffled.coefficients()) < 1e-10);
  CHECK(std::abs(base.intercept() - shuffled.intercept()) < 1e-10);

  // 100 extra rows of weight 0 (with labels that would pull hard) are ignored.
  Matrix Xz(700, 4);
  Vector yz(700), wz(700);
  Xz.topRows(600) = s.X, yz.head(600) = s.y, wz.head(600).setOnes();
  Xz.bottomRows(100).setConstant(5.0), yz.tail(100).setOnes(), wz.tail(100).setZero();
  LogisticRegression zero(opt);
  zero.fit(Xz, yz, wz);
  CHECK(max_abs_diff(base.coefficients(), zero.coefficients()) < 1e-10);

  // Weight 2 on the first 100 rows is the same as those rows twice (the penalty is on the mean loss, so the
  // duplicated data has the same l2).
  Matrix Xd(700, 4);
  Vector yd(700), w2 = Vector::Ones(600);
  Xd.topRows(600) = s.X, Xd.bottomRows(100) = s.X.topRows(100);
  yd.head(600) = s.y, yd.tail(100) = s.y.head(100);
  w2.head(100).setConstant(2.0);
  LogisticRegression dup(opt), weighted(opt);
  dup.fit(Xd, yd);
  weighted.fit(s.X, s.y, w2);
  CHECK(max_abs_diff(dup.coefficients(), weighted.coefficients()) < 1e-10);
}

TEST_CASE("a penalty keeps separable data finite; failures are reported by info()") {
  Matrix X(6, 1);
  X << -3, -2, -1, 1, 2, 3;
  Vector y(6);
  y << 0, 0, 0, 1, 1, 1;
  LogisticOptions opt;
  opt.l2 = 0.1;
  LogisticRegression m(opt);
  m.fit(X, y);
  CHECK(m.info() == FitInfo::success);
  CHECK(std::isfinite(m.coefficients()[0]));
  CHECK(m.coefficients()[0] > 0.0);

  const Synthetic s = synthetic(300, 3, 5);
  LogisticOptions few;
  few.solver.max_iterations = 1;
  LogisticRegression f(few);
  f.fit(s.X, s.y);
  CHECK(f.info() == FitInfo::no_convergence);
  CHECK(f.report().iterations == 1);

  Matrix huge = s.X;
  huge.col(0) *= 1e306;  // finite, but the logits overflow
  LogisticRegression h;
  h.fit(huge, s.y);
  CHECK(h.info() == FitInfo::numerical_issue);
  CHECK(std::string(to_string(h.info())) == "numerical_issue");
  CHECK(LogisticRegression().info() == FitInfo::not_fitted);
}

TEST_CASE("LogisticRegression rejects bad arguments, naming what and where") {
  const Synthetic s = synthetic(50, 3, 9);
  LogisticRegression m;
  Matrix bad = s.X;
  bad(7, 2) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(m.fit(bad, s.y), InvalidArgument);
  CHECK_THROWS_WITH(m.fit(bad, s.y, Vector(), {"a", "b", "inactive_days"}),
                    Contains("row 7") && Contains("column 2 ('inactive_days')") && Contains("NaN"));
  bad(7, 2) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(m.fit(bad, s.y), Contains("row 7") && Contains("column 2") && Contains("infinite"));

  CHECK_THROWS_WITH(m.fit(s.X, s.y.head(49)), Contains("labels has 49 rows but the feature matrix has 50"));
  Vector y2 = s.y;
  y2[4] = 2.0;
  CHECK_THROWS_WITH(m.fit(s.X, y2), Contains("row 4") && Contains("expected 0 or 1"));
  CHECK_THROWS_WITH(m.fit(s.X, Vector::Zero(50)), Contains("only one class (0)"));
  CHECK_THROWS_WITH(m.fit(s.X, Vector::Ones(50)), Contains("only one class (1)"));
  // The second class present only in rows of weight 0 is still one class.
  Vector y1 = Vector::Zero(50), w1 = Vector::Ones(50);
  y1[3] = 1.0, w1[3] = 0.0;
  CHECK_THROWS_WITH(m.fit(s.X, y1, w1), Contains("only one class (0) among rows with positive weight"));

  Vector w = Vector::Ones(50);
  w[9] = -1.0;
  CHECK_THROWS_WITH(m.fit(s.X, s.y, w), Contains("sample weights") && Contains("row 9") && Contains(">= 0"));
  w[9] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(m.fit(s.X, s.y, w), Contains("row 9"));
  CHECK_THROWS_WITH(m.fit(s.X, s.y, Vector::Zero(50)), Contains("all weights are zero"));
  CHECK_THROWS_WITH(m.fit(s.X, s.y, Vector::Ones(10)), Contains("sample weights has 10 rows"));
  CHECK_THROWS_WITH(m.fit(Matrix(0, 3), Vector()), Contains("no rows"));

  LogisticOptions o;
  o.l2 = -1.0;
  CHECK_THROWS_WITH(LogisticRegression(o).fit(s.X, s.y), Contains("l2 must be a finite value >= 0"));
  o = LogisticOptions();
  o.solver.threads = 0;
  CHECK_THROWS_WITH(LogisticRegression(o).fit(s.X, s.y), Contains("threads"));
  o = LogisticOptions();
  o.solver.max_iterations = -1;
  CHECK_THROWS_WITH(LogisticRegression(o).fit(s.X, s.y), Contains("max_iterations"));

  m.fit(s.X, s.y);
  CHECK_THROWS_WITH(m.decision_function(Matrix(5, 2)), Contains("2 columns") && Contains("3 coefficients"));
  CHECK_THROWS_WITH(LogisticRegression::from_parameters(std::nan(""), Vector::Ones(2)), Contains("intercept"));
  Vector nb = Vector::Ones(3);
  nb[1] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(LogisticRegression::from_parameters(0.0, nb), Contains("coefficient 1"));
}

TEST_CASE("StandardScaler: population standard deviation, constant columns, rejections") {
  Matrix X(4, 3);
  X << 1, 5, 0.1,  //
      2, 5, 0.1,   //
      3, 5, 0.1,   //
      6, 5, 0.1;
  StandardScaler s;
  s.fit(X);
  CHECK(s.mean()[0] == 3.0);
  CHECK(s.scale()[0] == Approx(std::sqrt(3.5)).epsilon(1e-15));  // (4 + 1 + 0 + 9) / 4, ddof = 0
  CHECK(s.mean()[1] == 5.0);
  CHECK(s.scale()[1] == 1.0);
  CHECK(s.mean()[2] == 0.1);  // the value itself, not a rounded average
  const Matrix Z = s.transform(X);
  CHECK(Z.col(2).cwiseAbs().maxCoeff() == 0.0);
  CHECK(Z(3, 0) == Approx(3.0 / std::sqrt(3.5)));
  const RowMatrix Zr = s.transform_rows(X);
  CHECK((Zr - Z).cwiseAbs().maxCoeff() == 0.0);

  // Weighted: row weight 2 is the row counted twice.
  Vector w(4);
  w << 2, 1, 1, 0;
  s.fit(X, w);
  CHECK(s.mean()[0] == Approx((2.0 + 2.0 + 3.0) / 4.0));
  CHECK(s.scale()[0] == Approx(std::sqrt((2 * 0.5625 + 0.0625 + 1.5625) / 4.0)));

  Matrix bad = X;
  bad(2, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(StandardScaler().fit(bad, Vector(), {"x", "weekly_clicks", "z"}),
                    Contains("row 2") && Contains("column 1 ('weekly_clicks')"));
  bad(2, 1) = std::numeric_limits<double>::infinity();
  bad(3, 1) = -std::numeric_limits<double>::infinity();  // would cancel in a sum
  CHECK_THROWS_WITH(StandardScaler().fit(bad), Contains("row 2") && Contains("column 1") && Contains("infinite"));
  Matrix huge = X;
  huge.col(0).setConstant(1e308);
  huge(0, 0) = 1.5e308;  // finite values whose sum overflows
  CHECK_THROWS_WITH(StandardScaler().fit(huge), Contains("column 0") && Contains("too large to standardise"));
  CHECK_THROWS_WITH(s.transform(Matrix(2, 4)), Contains("4 columns") && Contains("fitted on 3"));
  CHECK_THROWS_WITH(s.transform(bad), Contains("row 2"));
  CHECK_THROWS_WITH(StandardScaler().transform(X), Contains("before fit"));
  CHECK_THROWS_WITH(StandardScaler().fit(Matrix(0, 2)), Contains("no rows"));
  CHECK_THROWS_WITH(StandardScaler::from_parameters(Vector::Zero(2), Vector::Zero(2)), Contains("scale of column 0"));
  CHECK_THROWS_WITH(StandardScaler::from_parameters(Vector::Zero(2), Vector::Ones(3)), Contains("2 means but 3 scales"));
  const StandardScaler p = StandardScaler::from_parameters(Vector::Constant(1, 2.0), Vector::Constant(1, 4.0));
  double z = 0.0;
  const double x = 10.0;
  p.transform_row(&x, 1, &z);
  CHECK(z == 2.0);
}

TEST_CASE("contributions add up with the intercept to the logit, bit for bit, ranked by size") {
  const Synthetic s = synthetic(500, 7, 21);
  const Matrix Z = StandardScaler().fit(s.X).transform(s.X);
  LogisticRegression m;
  m.fit(Z, s.y);
  const Explainer ex(m.intercept(), m.coefficients());
  const Vector logits = m.decision_function(Z);
  const RowMatrix Zr = Z;
  for (Index i = 0; i < Z.rows(); ++i) {
    const Explanation e = ex.explain(Z, i);
    REQUIRE(e.drivers.size() == 7);
    // The documented order of addition: intercept, then column order.
    std::vector<Contribution> by_column = e.drivers;
    std::sort(by_column.begin(), by_column.end(), [](const Contribution& a, const Contribution& b) { return a.feature < b.feature; });
    double sum = e.intercept;
    for (const auto& c : by_column) sum += c.value;
    CHECK(sum == e.logit);
    CHECK(e.logit == logits[i]);                        // decision_function, column-major path
    CHECK(e.logit == m.decision(Zr.row(i).data(), 1));  // the scoring hot path
    for (const auto& c : by_column) CHECK(c.value == m.coefficients()[c.feature] * Z(i, c.feature));
    for (std::size_t k = 1; k < e.drivers.size(); ++k) CHECK(std::abs(e.drivers[k - 1].value) >= std::abs(e.drivers[k].value));
    const Explanation top = ex.explain(Zr.row(i).data(), 1, 3);
    REQUIRE(top.drivers.size() == 3);
    CHECK(top.logit == e.logit);
    for (std::size_t k = 0; k < 3; ++k) CHECK(top.drivers[k].feature == e.drivers[k].feature);
  }
  // Ties in size: the lower column first, whatever the sign.
  const Explainer tie(0.5, (Vector(3) << 1.0, -1.0, 1.0).finished());
  const double z[3] = {-2.0, 2.0, 2.0};
  const Explanation t = tie.explain(z);
  CHECK(t.drivers[0].feature == 0);
  CHECK(t.drivers[1].feature == 1);
  CHECK(t.drivers[2].feature == 2);
  CHECK(t.logit == 0.5 - 2.0 - 2.0 + 2.0);
  CHECK_THROWS_WITH(ex.explain(Z, 500), Contains("row 500"));
  CHECK_THROWS_WITH(ex.explain(Matrix(2, 3), 0), Contains("3 columns"));
  CHECK_THROWS_AS(Explainer(0.0, (Vector(1) << std::nan("")).finished()), InvalidArgument);
}
