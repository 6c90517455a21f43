// The discrete-time survival model: reference fits (SciPy / scikit-learn, make_reference.py), hand-computed
// hazards and curves, baseline bins, the person-period C-index, determinism and rejected inputs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>

#include "lien/core/error.hpp"
#include "lien/risk/concordance.hpp"
#include "lien/risk/survival.hpp"
#include "reference_data.hpp"

using namespace lien;
using Catch::Matchers::Contains;

namespace {

double max_abs_diff(const Vector& a, const Vector& b) { return (a - b).cwiseAbs().maxCoeff(); }

/// Ten subjects without covariates: all ten at risk in period 0, two withdraw; the eight left are at risk in
/// period 1, two withdraw; the six left are censored after period 1.
struct TwoPeriods {
  IdVector subject;
  IntVector period;
  Vector event;
  Matrix X;  // no covariates
  TwoPeriods() {
    std::vector<std::int64_t> s;
    std::vector<std::int32_t> t;
    std::vector<double> e;
    for (int i = 0; i < 10; ++i) {
      s.push_back(i), t.push_back(0), e.push_back(i < 2 ? 1.0 : 0.0);
      if (i >= 2) s.push_back(i), t.push_back(1), e.push_back(i < 4 ? 1.0 : 0.0);
    }
    subject = Eigen::Map<IdVector>(s.data(), static_cast<Index>(s.size()));
    period = Eigen::Map<IntVector>(t.data(), static_cast<Index>(t.size()));
    event = Eigen::Map<Vector>(e.data(), static_cast<Index>(e.size()));
    X.resize(static_cast<Index>(s.size()), 0);
  }
};

double logit_of(double p) { return std::log(p / (1.0 - p)); }

}  // namespace

TEST_CASE("a two-period example computed by hand: hazards 2/10 and 2/8, survival 0.8 then 0.6") {
  const TwoPeriods d;
  SurvivalOptions opt;
  opt.min_bin_events = 1;
  opt.solver.gradient_tolerance = 1e-13;
  opt.solver.loss_tolerance = 0.0;
  DiscreteTimeSurvival m(opt);
  m.fit(d.subject, d.period, d.X, d.event);
  REQUIRE(m.info() == FitInfo::success);
  REQUIRE(m.bin_starts() == std::vector<std::int32_t>{0, 1});
  // Without covariates the maximum likelihood hazard of a period is its events over its rows at risk.
  CHECK(m.baseline()[0] == Approx(logit_of(0.2)).epsilon(1e-12));
  CHECK(m.baseline()[1] == Approx(logit_of(0.25)).epsilon(1e-12));
  const SurvivalCurve c = m.curve(0, Matrix(3, 0));
  CHECK(c.hazard[0] == Approx(0.2).epsilon(1e-12));
  CHECK(c.hazard[1] == Approx(0.25).epsilon(1e-12));
  CHECK(c.hazard[2] == Approx(0.25).epsilon(1e-12));  // after the last period seen: the last bin
  CHECK(c.survival[0] == Approx(0.8).epsilon(1e-12));
  CHECK(c.survival[1] == Approx(0.6).epsilon(1e-12));
  CHECK(c.survival[2] == Approx(0.45).epsilon(1e-12));
  CHECK(c.event_probability(0) == 0.0);
  CHECK(c.event_probability(1) == Approx(0.2).epsilon(1e-12));
  CHECK(c.event_probability(2) == Approx(0.4).epsilon(1e-12));
  CHECK(c.event_probability(10) == Approx(0.55).epsilon(1e-12));
  CHECK(c.event_probability_by_end() == Approx(0.55).epsilon(1e-12));
  // From period 1 on (a learner still enrolled after period 0).
  const SurvivalCurve late = m.curve(1, Matrix(2, 0));
  CHECK(late.first_period == 1);
  CHECK(late.event_probability(2) == Approx(1.0 - 0.75 * 0.75).epsilon(1e-12));

  // With min_bin_events = 3 the two periods (2 events each) merge into one bin: hazard 4/18.
  SurvivalOptions merged = opt;
  merged.min_bin_events = 3;
  DiscreteTimeSurvival one(merged);
  one.fit(d.subject, d.period, d.X, d.event);
  CHECK(one.bin_starts() == std::vector<std::int32_t>{0});
  CHECK(one.baseline()[0] == Approx(logit_of(4.0 / 18.0)).epsilon(1e-12));
}

TEST_CASE("hazards and curves from stored parameters, by hand") {
  const DiscreteTimeSurvival m = DiscreteTimeSurvival::from_parameters(
      {0, 2}, (Vector(2) << logit_of(0.1), logit_of(0.2)).finished(), (Vector(2) << 0.5, -1.0).finished());
  CHECK(m.bin_of(0) == 0);
  CHECK(m.bin_of(1) == 0);
  CHECK(m.bin_of(2) == 1);
  CHECK(m.bin_of(40) == 1);
  Matrix path(3, 2);
  path << 0, 0,  //
      2, 1,      //
      -1, 0.5;
  const SurvivalCurve c = m.curve(1, path);
  const double h0 = 0.1;                                       // period 1, bin 0, x'b = 0
  const double h1 = 1.0 / (1.0 + std::exp(-(logit_of(0.2))));  // period 2, bin 1, x'b = 1 - 1 = 0
  const double h2 = 1.0 / (1.0 + std::exp(-(logit_of(0.2) - 1.0)));  // period 3, x'b = -0.5 - 0.5
  CHECK(c.hazard[0] == Approx(h0).epsilon(1e-14));
  CHECK(c.hazard[1] == Approx(h1).epsilon(1e-14));
  CHECK(c.hazard[2] == Approx(h2).epsilon(1e-14));
  CHECK(c.survival[2] == Approx((1 - h0) * (1 - h1) * (1 - h2)).epsilon(1e-14));
  const Vector x = (Vector(2) << 1.0, 1.0).finished();
  const SurvivalCurve constant = m.curve(0, x, 4);  // x'b = -0.5 every period
  for (Index k = 0; k < 4; ++k) {
    const double a = k < 2 ? logit_of(0.1) : logit_of(0.2);
    CHECK(constant.hazard[k] == Approx(1.0 / (1.0 + std::exp(-(a - 0.5)))).epsilon(1e-14));
  }
  const Vector h = m.hazards((IntVector(3) << 1, 2, 3).finished(), path);
  CHECK(max_abs_diff(h, c.hazard) == 0.0);
  CHECK_THROWS_WITH(DiscreteTimeSurvival::from_parameters({1, 2}, Vector::Zero(2), Vector()), Contains("begin at period 0"));
  CHECK_THROWS_WITH(DiscreteTimeSurvival::from_parameters({0, 2}, Vector::Zero(3), Vector()), Contains("2 bins but 3"));
  CHECK_THROWS_WITH(m.curve(0, Matrix(2, 3)), Contains("3 columns"));
  CHECK_THROWS_WITH(m.curve(-1, path), Contains("negative"));
  CHECK_THROWS_WITH(m.hazards((IntVector(3) << 1, -2, 3).finished(), path), Contains("row 1"));
}

TEST_CASE("the survival model matches the reference optimum (SciPy) and scikit-learn without penalty") {
  reference::File file("survival.json");
  for (auto c : reference::items(file["cases"])) {
    INFO("dataset " << reference::text(c, "name"));
    const IdVector subject = reference::ids(c, "subject");
    const IntVector period = reference::ints(c, "period");
    const Matrix X = reference::mat(c, "X");
    const Vector event = reference::vec(c, "event");
    SurvivalOptions opt;
    opt.l2 = reference::number(c, "l2");
    opt.min_bin_events = static_cast<int>(reference::number(c, "min_bin_events"));
    opt.solver.gradient_tolerance = 1e-11;
    opt.solver.loss_tolerance = 0.0;
    DiscreteTimeSurvival m(opt);
    m.fit(subject, period, X, event);
    REQUIRE(m.info() == FitInfo::success);
    const IntVector starts = reference::ints(c, "bin_starts");
    CHECK(m.bin_starts() == std::vector<std::int32_t>(starts.data(), starts.data() + starts.size()));
    CHECK(max_abs_diff(m.baseline(), reference::vec(c, "baseline")) < 1e-8);
    CHECK(max_abs_diff(m.coefficients(), reference::vec(c, "coef")) < 1e-8);
    CHECK(m.report().loss == Approx(reference::number(c, "objective")).epsilon(1e-13));
    if (opt.l2 == 0.0) {
      const Vector sk = reference::vec(c, "sklearn_unpenalised");
      const Index K = m.baseline().size();
      CHECK(max_abs_diff(m.baseline(), sk.head(K)) < 1e-5);
      CHECK(max_abs_diff(m.coefficients(), sk.tail(sk.size() - K)) < 1e-5);
    }
    // Curves over each subject's own covariate path.
    for (auto cv : reference::items(c["curves"].value())) {
      const std::int64_t s = static_cast<std::int64_t>(reference::number(cv, "subject"));
      std::vector<Index> rows;
      for (Index i = 0; i < subject.size(); ++i)
        if (subject[i] == s) rows.push_back(i);
      Matrix path(static_cast<Index>(rows.size()), X.cols());
      for (std::size_t k = 0; k < rows.size(); ++k) path.row(static_cast<Index>(k)) = X.row(rows[k]);
      const SurvivalCurve curve = m.curve(static_cast<std::int32_t>(reference::number(cv, "first_period")), path);
      CHECK(max_abs_diff(curve.hazard, reference::vec(cv, "hazard")) < 1e-9);
      CHECK(max_abs_diff(curve.survival, reference::vec(cv, "survival")) < 1e-9);
    }
    // Explicit bins equal to the automatic ones give the same model.
    SurvivalOptions explicit_bins = opt;
    explicit_bins.bin_starts = m.bin_starts();
    explicit_bins.min_bin_events = 0;  // ignored when bins are given
    DiscreteTimeSurvival e(explicit_bins);
    e.fit(subject, period, X, event);
    CHECK(max_abs_diff(e.coefficients(), m.coefficients()) == 0.0);
  }
}

TEST_CASE("survival fits do not depend on row order or thread count") {
  reference::File file("survival.json");
  const auto c = reference::items(file["cases"])[1];
  const IdVector subject = reference::ids(c, "subject");
  const IntVector period = reference::ints(c, "period");
  const Matrix X = reference::mat(c, "X");
  const Vector event = reference::vec(c, "event");
  SurvivalOptions opt;
  opt.l2 = 0.01;
  opt.min_bin_events = 12;
  opt.solver.gradient_tolerance = 1e-12;
  opt.solver.loss_tolerance = 0.0;
  DiscreteTimeSurvival a(opt);
  a.fit(subject, period, X, event);
  REQUIRE(a.info() == FitInfo::success);
  CHECK(max_abs_diff(a.coefficients(), reference::vec(c, "coef")) < 1e-8);
  // Six copies of the data (new subject ids): 18,408 rows, two blocks of work, so threads really split it.
  const Index n1 = X.rows();
  IdVector s6(6 * n1);
  IntVector p6(6 * n1);
  Matrix X6(6 * n1, X.cols());
  Vector e6(6 * n1);
  for (Index k = 0; k < 6; ++k) {
    s6.segment(k * n1, n1) = subject.array() + 100000 * k;
    p6.segment(k * n1, n1) = period, X6.middleRows(k * n1, n1) = X, e6.segment(k * n1, n1) = event;
  }
  SurvivalOptions o1 = opt;
  o1.bin_starts = a.bin_starts();  // six times the events would otherwise split more bins
  o1.solver.hessian_rows = 1024;   // warm start on a subsample of 256 rows per bin
  DiscreteTimeSurvival one(o1), two;
  one.fit(s6, p6, X6, e6);
  SurvivalOptions o2 = o1;
  o2.solver.threads = 2;
  two = DiscreteTimeSurvival(o2);
  two.fit(s6, p6, X6, e6);
  REQUIRE(one.info() == FitInfo::success);
  CHECK(one.report().subsample_iterations > 0);
  CHECK(max_abs_diff(one.coefficients(), a.coefficients()) < 1e-8);  // same mean loss, same optimum
  CHECK(std::memcmp(one.coefficients().data(), two.coefficients().data(), sizeof(double) * 4) == 0);
  CHECK(std::memcmp(one.baseline().data(), two.baseline().data(),
                    sizeof(double) * static_cast<std::size_t>(one.baseline().size())) == 0);

  // Shuffled rows (subjects no longer contiguous): same bins, same optimum.
  const Index n = X.rows();
  std::vector<Index> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), Index{0});
  std::shuffle(perm.begin(), perm.end(), std::mt19937(17));
  IdVector s2(n);
  IntVector p2(n);
  Matrix X2(n, X.cols());
  Vector e2(n);
  for (Index i = 0; i < n; ++i) {
    const Index r = perm[static_cast<std::size_t>(i)];
    s2[i] = subject[r], p2[i] = period[r], X2.row(i) = X.row(r), e2[i] = event[r];
  }
  DiscreteTimeSurvival sh(opt);
  sh.fit(s2, p2, X2, e2);
  CHECK(sh.bin_starts() == a.bin_starts());
  CHECK(max_abs_diff(sh.coefficients(), a.coefficients()) < 1e-10);
  CHECK(max_abs_diff(sh.baseline(), a.baseline()) < 1e-10);
}

TEST_CASE("the person-period C-index equals lifelines' C-index when covariates do not change") {
  reference::File file("concordance.json");
  for (auto c : reference::items(file["time_varying"])) {
    const IntVector period = reference::ints(c, "period");
    const Vector risk = reference::vec(c, "risk"), event = reference::vec(c, "event");
    const double lifelines = reference::number(c, "lifelines");
    CHECK(time_varying_concordance(period, risk, event) == Approx(lifelines).epsilon(1e-14));
    // ... and our lifelines-compatible index agrees on the subject-level data.
    CHECK(concordance_index(reference::vec(c, "exit_time"), -reference::vec(c, "subject_risk"),
                            reference::vec(c, "exit_event")) == Approx(lifelines).epsilon(1e-14));
  }
  // By hand: period 0 has one event (risk 0.9) and rows at risk with risks 0.5, 0.9, 1.2 -> 1 + 0.5 of 3.
  const IntVector period = (IntVector(6) << 0, 0, 0, 0, 1, 1).finished();
  const Vector risk = (Vector(6) << 0.9, 0.5, 0.9, 1.2, 0.3, 0.1).finished();
  const Vector event = (Vector(6) << 1, 0, 0, 0, 1, 0).finished();
  const ConcordanceCounts k = time_varying_concordance_counts(period, risk, event);
  CHECK(k.pairs == 4);  // 3 in period 0, 1 in period 1
  CHECK(k.concordant == 2);
  CHECK(k.tied == 1);
  CHECK(k.index() == 2.5 / 4.0);
  CHECK_THROWS_WITH(time_varying_concordance(IntVector::Zero(2), Vector::Zero(2), Vector::Zero(2)), Contains("no admissible pairs"));
  CHECK_THROWS_WITH(time_varying_concordance((IntVector(2) << 0, -1).finished(), Vector::Zero(2), Vector::Zero(2)),
                    Contains("row 1"));
}

TEST_CASE("DiscreteTimeSurvival rejects bad person-period data, naming row and subject") {
  const TwoPeriods d;
  SurvivalOptions opt;
  opt.min_bin_events = 1;
  DiscreteTimeSurvival m(opt);
  const Matrix X = Matrix::Ones(d.X.rows(), 1);

  IntVector p = d.period;
  p[3] = p[2];  // subject 2: period 0 twice
  CHECK_THROWS_WITH(m.fit(d.subject, p, X, d.event), Contains("subject 2 has period 0 twice (row 2 and row 3)"));
  Vector e = d.event;
  e[4] = 1.0;  // subject 3's period 0 is row 4: an event before its period 1
  CHECK_THROWS_WITH(m.fit(d.subject, d.period, X, e), Contains("subject 3 has its event at period 0 (row 4)"));
  e = d.event;
  e[5] = 0.5;
  CHECK_THROWS_WITH(m.fit(d.subject, d.period, X, e), Contains("row 5") && Contains("expected 0 or 1"));
  p = d.period;
  p[6] = -1;
  CHECK_THROWS_WITH(m.fit(d.subject, p, X, d.event), Contains("period at row 6") && Contains("expected >= 0"));
  CHECK_THROWS_WITH(m.fit(d.subject.head(5), d.period, X, d.event), Contains("subjects has 5 rows"));
  CHECK_THROWS_WITH(m.fit(d.subject, d.period.head(3), X, d.event), Contains("periods has 3 rows"));
  CHECK_THROWS_WITH(m.fit(d.subject, d.period, X, d.event.head(3)), Contains("events has 3 rows"));
  Matrix bad = X;
  bad(11, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(m.fit(d.subject, d.period, bad, d.event, Vector(), {"inactive_days"}),
                    Contains("row 11") && Contains("'inactive_days'"));
  CHECK_THROWS_WITH(m.fit(d.subject, d.period, X, Vector::Zero(d.event.size())), Contains("no event"));
  Vector w = Vector::Ones(d.event.size());
  for (Index i = 0; i < w.size(); ++i)
    if (d.event[i] == 0.0) w[i] = 0.0;
  CHECK_THROWS_WITH(m.fit(d.subject, d.period, X, d.event, w), Contains("every row with positive weight has an event"));
  CHECK_THROWS_WITH(m.fit(IdVector(), IntVector(), Matrix(0, 1), Vector()), Contains("no rows"));

  SurvivalOptions bins;
  bins.bin_starts = {1};
  CHECK_THROWS_WITH(DiscreteTimeSurvival(bins).fit(d.subject, d.period, X, d.event), Contains("begin at period 0"));
  bins.bin_starts = {0, 1, 1};
  CHECK_THROWS_WITH(DiscreteTimeSurvival(bins).fit(d.subject, d.period, X, d.event), Contains("strictly increasing"));
  bins.bin_starts = {0, 1, 2};  // period 2 has no rows at all
  CHECK_THROWS_WITH(DiscreteTimeSurvival(bins).fit(d.subject, d.period, X, d.event),
                    Contains("bin starting at period 2 has no event"));
  SurvivalOptions zero;
  zero.min_bin_events = 0;
  CHECK_THROWS_WITH(DiscreteTimeSurvival(zero).fit(d.subject, d.period, X, d.event), Contains("min_bin_events"));
  SurvivalOptions neg;
  neg.l2 = -0.5;
  CHECK_THROWS_WITH(DiscreteTimeSurvival(neg).fit(d.subject, d.period, X, d.event), Contains("l2"));
}
