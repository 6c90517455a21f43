// Metrics: ROC AUC, average precision, Brier, log loss, calibration error, C-index and the fairness audit,
// against scikit-learn / lifelines reference values (make_reference.py), hand-computed cases and properties.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "lien/core/error.hpp"
#include "lien/risk/concordance.hpp"
#include "lien/risk/fairness.hpp"
#include "lien/risk/metrics.hpp"
#include "reference_data.hpp"

using namespace lien;
using Catch::Matchers::Contains;

TEST_CASE("metrics match scikit-learn on the reference cases (ties, weights, extremes)") {
  reference::File file("metrics.json");
  for (auto c : reference::items(file["cases"])) {
    const std::string name = reference::text(c, "name");
    INFO("case " << name);
    const Vector y = reference::vec(c, "y"), p = reference::vec(c, "p"), w = reference::vec(c, "w");
    const int bins = static_cast<int>(reference::number(c, "bins"));
    CHECK(roc_auc(y, p, w) == Approx(reference::number(c, "roc_auc")).epsilon(1e-13));
    CHECK(average_precision(y, p, w) == Approx(reference::number(c, "average_precision")).epsilon(1e-13));
    CHECK(brier_score(y, p, w) == Approx(reference::number(c, "brier")).epsilon(1e-13));
    CHECK(log_loss(y, p, w) == Approx(reference::number(c, "log_loss")).epsilon(1e-13));
    const CalibrationReport r = calibration_report(y, p, w, bins);
    CHECK(r.ece == Approx(reference::number(c, "ece")).epsilon(1e-13));
    CHECK(r.max_error == Approx(reference::number(c, "max_calibration_error")).epsilon(1e-13));
    CHECK(expected_calibration_error(y, p, w, bins) == r.ece);
    REQUIRE(r.bins.size() == static_cast<std::size_t>(bins));
    std::size_t rows = 0;
    for (const auto& b : r.bins) rows += b.count;
    CHECK(rows == static_cast<std::size_t>(w.size() ? (w.array() > 0).count() : y.size()));
    if (c["calibration_curve_true"].error() == simdjson::SUCCESS) {
      // scikit-learn's calibration_curve lists the non-empty bins in order.
      const Vector t = reference::vec(c, "calibration_curve_true"), pr = reference::vec(c, "calibration_curve_pred");
      Index k = 0;
      for (const auto& b : r.bins) {
        if (b.count == 0) continue;
        REQUIRE(k < t.size());
        CHECK(b.observed_rate == Approx(t[k]).epsilon(1e-13));
        CHECK(b.mean_predicted == Approx(pr[k]).epsilon(1e-13));
        ++k;
      }
      CHECK(k == t.size());
    }
  }
}

TEST_CASE("ROC AUC and average precision by hand") {
  // scikit-learn's documentation example: AUC 0.75, AP 0.8333...
  const Vector y = (Vector(4) << 0, 0, 1, 1).finished();
  const Vector s = (Vector(4) << 0.1, 0.4, 0.35, 0.8).finished();
  CHECK(roc_auc(y, s) == 0.75);
  CHECK(average_precision(y, s) == Approx(5.0 / 6.0).epsilon(1e-15));
  // A tie between a positive and a negative counts one half: pairs (0.9>0.5, 0.9>0.2, 0.5=0.5, 0.5>0.2).
  const Vector y2 = (Vector(4) << 0, 1, 0, 1).finished();
  const Vector s2 = (Vector(4) << 0.5, 0.5, 0.2, 0.9).finished();
  CHECK(roc_auc(y2, s2) == 3.5 / 4.0);
  // AP: thresholds 0.9 (P = 1, R = 1/2), 0.5 (P = 2/3, R = 1): 1/2 + 1/2 * 2/3.
  CHECK(average_precision(y2, s2) == Approx(0.5 + 1.0 / 3.0).epsilon(1e-15));
  // Brier and log loss, with the clipping of p = 0 and 1.
  const Vector p = (Vector(3) << 0.0, 1.0, 0.25).finished();
  const Vector y3 = (Vector(3) << 1, 1, 0).finished();
  CHECK(brier_score(y3, p) == Approx((1.0 + 0.0 + 0.0625) / 3.0).epsilon(1e-15));
  const double eps = std::numeric_limits<double>::epsilon();
  CHECK(log_loss(y3, p) == Approx((-std::log(eps) - std::log(1.0 - eps) - std::log(0.75)) / 3.0).epsilon(1e-14));
}

TEST_CASE("ranking metrics: weights act as repetitions, row order and monotone maps change nothing") {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> U;
  const Index n = 300;
  Vector y(n), s(n), w(n);
  for (Index i = 0; i < n; ++i) {
    y[i] = U(rng) < 0.3 ? 1.0 : 0.0;
    s[i] = std::round((U(rng) + 0.4 * y[i]) * 20.0) / 20.0;  // plenty of ties
    w[i] = static_cast<double>(1 + static_cast<int>(U(rng) * 3));
  }
  // Integer weights == repeated rows.
  std::vector<double> ry, rs;
  for (Index i = 0; i < n; ++i)
    for (int k = 0; k < static_cast<int>(w[i]); ++k) ry.push_back(y[i]), rs.push_back(s[i]);
  const Eigen::Map<Vector> Y(ry.data(), static_cast<Index>(ry.size())), S(rs.data(), static_cast<Index>(rs.size()));
  CHECK(roc_auc(y, s, w) == Approx(roc_auc(Y, S)).epsilon(1e-14));
  CHECK(average_precision(y, s, w) == Approx(average_precision(Y, S)).epsilon(1e-14));
  CHECK(brier_score(y, s.cwiseMin(1.0), w) == Approx(brier_score(Y, S.cwiseMin(1.0))).epsilon(1e-14));
  // Reversed rows, and a strictly increasing map of the scores.
  const Vector yr = y.reverse(), sr = s.reverse(), wr = w.reverse();
  CHECK(roc_auc(yr, sr, wr) == Approx(roc_auc(y, s, w)).epsilon(1e-14));
  const Vector st = (s.array() * 3.0 - 7.0).exp();
  CHECK(roc_auc(y, st, w) == Approx(roc_auc(y, s, w)).epsilon(1e-14));
  CHECK(average_precision(y, st, w) == Approx(average_precision(y, s, w)).epsilon(1e-14));
  // Zero weight == row removed.
  Vector w0 = w;
  w0[0] = 0.0;
  CHECK(roc_auc(y, s, w0) == Approx(roc_auc(y.tail(n - 1), s.tail(n - 1), w.tail(n - 1))).epsilon(1e-14));
}

TEST_CASE("expected calibration error by hand") {
  // Bin [0, 0.5): p 0.1, 0.3 (mean 0.2), labels 0, 1 (rate 0.5); bin [0.5, 1]: p 0.6, 1.0 (mean 0.8), labels
  // 1, 1 (rate 1). ECE = 2/4 * 0.3 + 2/4 * 0.2 = 0.25; max error 0.3.
  const Vector y = (Vector(4) << 0, 1, 1, 1).finished();
  const Vector p = (Vector(4) << 0.1, 0.3, 0.6, 1.0).finished();
  const CalibrationReport r = calibration_report(y, p, Vector(), 2);
  CHECK(r.ece == Approx(0.25).epsilon(1e-15));
  CHECK(r.max_error == Approx(0.3).epsilon(1e-15));
  CHECK(r.bins[1].count == 2);  // p = 1.0 belongs to the last bin
  CHECK(r.bins[0].lower == 0.0);
  CHECK(r.bins[1].upper == 1.0);
  CHECK(r.mean_predicted == Approx(0.5));
  CHECK(r.observed_rate == 0.75);
  const CalibrationReport e = calibration_report(y, p, Vector(), 10);
  CHECK(e.bins[2].count == 0);  // empty bins are listed, with zeros
  CHECK(e.bins[2].mean_predicted == 0.0);
}

TEST_CASE("metrics reject bad arguments") {
  const Vector y = (Vector(4) << 0, 0, 1, 1).finished();
  const Vector s = (Vector(4) << 0.1, 0.4, 0.35, 0.8).finished();
  CHECK_THROWS_WITH(roc_auc(Vector::Zero(4), s), Contains("only one class (0)"));
  CHECK_THROWS_WITH(roc_auc(Vector::Ones(4), s), Contains("only one class (1)"));
  CHECK_THROWS_WITH(average_precision(Vector::Zero(4), s), Contains("no positive"));
  CHECK_THROWS_WITH(roc_auc(y, s.head(3)), Contains("scores has 3 rows but the labels has 4"));
  Vector bad = s;
  bad[2] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(roc_auc(y, bad), Contains("row 2") && Contains("NaN"));
  Vector y2 = y;
  y2[0] = -1;
  CHECK_THROWS_WITH(brier_score(y2, s), Contains("expected 0 or 1"));
  Vector p = s;
  p[3] = 1.2;
  CHECK_THROWS_WITH(log_loss(y, p), Contains("row 3") && Contains("probability in [0, 1]"));
  CHECK_THROWS_WITH(brier_score(y, p), Contains("row 3"));
  CHECK_THROWS_WITH(calibration_report(y, s, Vector(), 0), Contains("bins must be at least 1"));
  CHECK_THROWS_WITH(roc_auc(Vector(), Vector()), Contains("no rows"));
  CHECK_THROWS_WITH(roc_auc(y, s, Vector::Zero(4)), Contains("all weights are zero"));
  Vector w = Vector::Ones(4);
  w[1] = -2;
  CHECK_THROWS_WITH(log_loss(y, s, w), Contains("row 1") && Contains(">= 0"));
}

TEST_CASE("Harrell's C-index matches lifelines, ties and censoring included") {
  reference::File file("concordance.json");
  for (auto c : reference::items(file["cases"])) {
    INFO("case " << reference::text(c, "name"));
    CHECK(concordance_index(reference::vec(c, "time"), reference::vec(c, "score"), reference::vec(c, "event")) ==
          Approx(reference::number(c, "lifelines")).epsilon(1e-14));
  }
  // By hand. Times 1, 2, 2, 3 with events 1, 1, 0, 1; scores (predicted survival) 1, 3, 2, 4.
  // Admissible pairs: (1,2e) (1,2c) (1,3) (2e,2c) (2e,3): the tied-time pair counts because exactly one of the
  // two had the event. Concordant: 1<3, 1<2, 1<4, 3>2 is wrong (event should score lower), 3<4 -> 4 of 5.
  const Vector t = (Vector(4) << 1, 2, 2, 3).finished();
  const Vector e = (Vector(4) << 1, 1, 0, 1).finished();
  const Vector sc = (Vector(4) << 1, 3, 2, 4).finished();
  const ConcordanceCounts k = concordance_counts(t, sc, e);
  CHECK(k.pairs == 5);
  CHECK(k.concordant == 4);
  CHECK(k.tied == 0);
  CHECK(concordance_index(t, sc, e) == 0.8);
  // Tied scores count one half.
  const Vector flat = Vector::Constant(4, 2.0);
  CHECK(concordance_index(t, flat, e) == 0.5);
  CHECK_THROWS_WITH(concordance_index(t, sc, Vector::Zero(4)), Contains("no admissible pairs"));
  CHECK_THROWS_WITH(concordance_index(t, sc.head(2), e), Contains("scores has 2 rows"));
  Vector bad = t;
  bad[1] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(concordance_index(bad, sc, e), Contains("times") && Contains("row 1"));
  CHECK_THROWS_WITH(concordance_index(t, sc, (Vector(4) << 1, 2, 0, 0).finished()), Contains("expected 0 or 1"));
}

TEST_CASE("the fairness audit reports each group, flags small ones, and finds the largest gaps") {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> U;
  const Index n = 900;
  Vector y(n), p(n);
  std::vector<std::string> g(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) {
    const int k = i < 400 ? 0 : i < 880 ? 1 : 2;  // group "c" has 20 rows: small
    g[static_cast<std::size_t>(i)] = std::string(1, static_cast<char>('a' + (2 - k)));
    p[i] = std::min(0.99, U(rng) * (k == 1 ? 0.6 : 0.9));
    y[i] = U(rng) < (k == 1 ? 1.3 * p[i] : p[i]) ? 1.0 : 0.0;  // group "b" is under-predicted
  }
  FairnessOptions opt;
  opt.min_group_size = 50;
  const FairnessReport r = fairness_audit(y, p, g, Vector(), opt);
  REQUIRE(r.groups.size() == 3);
  CHECK(r.groups[0].group == "a");  // sorted labels
  CHECK(r.groups[0].rows == 20);
  CHECK(r.groups[0].small);
  CHECK_FALSE(r.groups[1].small);
  for (const GroupMetrics& m : r.groups) {
    Vector gy(static_cast<Index>(m.rows)), gp(static_cast<Index>(m.rows));
    Index k = 0;
    for (Index i = 0; i < n; ++i)
      if (g[static_cast<std::size_t>(i)] == m.group) gy[k] = y[i], gp[k] = p[i], ++k;
    INFO("group " << m.group);
    REQUIRE(m.auc.has_value());
    CHECK(*m.auc == roc_auc(gy, gp));
    CHECK(m.ece == expected_calibration_error(gy, gp));
    CHECK(m.brier == brier_score(gy, gp));
    CHECK(m.positives == gy.sum());
    CHECK(m.mean_predicted == Approx(gp.mean()).epsilon(1e-14));
    CHECK(m.observed_rate == Approx(gy.mean()).epsilon(1e-14));
  }
  // Gaps only between the two groups that are large enough.
  CHECK(r.auc.groups_compared == 2);
  CHECK(r.auc.value == Approx(std::abs(*r.groups[1].auc - *r.groups[2].auc)).epsilon(1e-14));
  const double c1 = r.groups[1].mean_predicted - r.groups[1].observed_rate;
  const double c2 = r.groups[2].mean_predicted - r.groups[2].observed_rate;
  CHECK(r.calibration_in_the_large.value == Approx(std::abs(c1 - c2)).epsilon(1e-14));
  CHECK(r.calibration_in_the_large.lowest == (c1 < c2 ? "b" : "c"));
  CHECK(r.ece.value == Approx(std::abs(r.groups[1].ece - r.groups[2].ece)).epsilon(1e-14));

  // Codes and names: a group with one class has no AUC; an empty group is reported and flagged.
  IntVector code(6);
  code << 0, 0, 0, 1, 1, 1;
  const Vector yy = (Vector(6) << 0, 1, 0, 1, 1, 1).finished();
  const Vector pp = (Vector(6) << 0.2, 0.7, 0.4, 0.9, 0.8, 0.6).finished();
  FairnessOptions tiny;
  tiny.min_group_size = 1;
  const FairnessReport r2 = fairness_audit(yy, pp, code, {"F", "M", "X"}, Vector(), tiny);
  CHECK(r2.groups[0].auc.has_value());
  CHECK_FALSE(r2.groups[1].auc.has_value());
  CHECK(r2.groups[2].rows == 0);
  CHECK(r2.groups[2].small);
  CHECK(r2.auc.groups_compared == 1);
  CHECK(r2.auc.value == 0.0);
  CHECK(r2.auc.lowest.empty());
  CHECK(r2.calibration_in_the_large.groups_compared == 2);

  CHECK_THROWS_WITH(fairness_audit(yy, pp, code, {"F"}), Contains("group code at row 3 is 1, expected 0..0"));
  CHECK_THROWS_WITH(fairness_audit(yy, pp, std::vector<std::string>(5, "F")), Contains("groups has 5 rows"));
  Vector bad = pp;
  bad[0] = 2.0;
  CHECK_THROWS_WITH(fairness_audit(yy, bad, code, {"F", "M"}), Contains("row 0"));
}
