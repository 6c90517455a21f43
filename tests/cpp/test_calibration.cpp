// Platt scaling, isotonic calibration and risk bands: scikit-learn reference values (make_reference.py),
// hand-made cases, properties and rejected arguments.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "lien/core/error.hpp"
#include "lien/risk/bands.hpp"
#include "lien/risk/isotonic.hpp"
#include "lien/risk/platt.hpp"
#include "reference_data.hpp"

using namespace lien;
using Catch::Matchers::Contains;

namespace {
double max_abs_diff(const Vector& a, const Vector& b) { return (a - b).cwiseAbs().maxCoeff(); }
}  // namespace

TEST_CASE("Platt scaling matches scikit-learn's sigmoid calibration and the tight optimum") {
  reference::File file("calibration.json");
  for (auto c : reference::items(file["platt"])) {
    INFO("dataset " << reference::text(c, "name"));
    const Vector s = reference::vec(c, "score"), y = reference::vec(c, "y"), w = reference::vec(c, "w");
    PlattOptions opt;
    opt.solver.gradient_tolerance = 1e-12;
    opt.solver.loss_tolerance = 0.0;
    PlattCalibrator platt(opt);
    platt.fit(s, y, w);
    REQUIRE(platt.info() == FitInfo::success);
    const double tol_a = 1e-8 * std::max(1.0, std::abs(reference::number(c, "tight_a")));
    CHECK(std::abs(platt.a() - reference::number(c, "tight_a")) < tol_a);
    CHECK(std::abs(platt.b() - reference::number(c, "tight_b")) < 1e-8);
    // scikit-learn stops at gtol 1e-6 (A = -a, B = -b in its convention).
    CHECK(std::abs(platt.a() - reference::number(c, "sklearn_a")) < 1e-6);
    CHECK(std::abs(platt.b() - reference::number(c, "sklearn_b")) < 1e-6);
    CHECK(max_abs_diff(platt.predict(reference::vec(c, "grid")), reference::vec(c, "tight_grid_proba")) < 1e-9);

    PlattOptions plain = opt;
    plain.target_smoothing = false;
    PlattCalibrator p2(plain);
    p2.fit(s, y, w);
    CHECK(std::abs(p2.a() - reference::number(c, "plain_a")) < 1e-8 * std::max(1.0, std::abs(p2.a())));
    CHECK(std::abs(p2.b() - reference::number(c, "plain_b")) < 1e-8);
    CHECK(p2.a() != platt.a());  // the smoothing matters
  }
}

TEST_CASE("Platt scaling by hand: a calibrated score stays put, and parameters round-trip") {
  // Scores that are already exact logits of the label frequencies in each group: the plain fit is a = 1, b = 0.
  // Group s = -1: 1 positive in 1 + e (as weights); group s = +1: e positives in e + 1.
  const double e = std::exp(1.0);
  Vector s(4), y(4), w(4);
  s << -1, -1, 1, 1;
  y << 1, 0, 1, 0;
  w << 1, e, e, 1;
  PlattOptions plain;
  plain.target_smoothing = false;
  plain.solver.gradient_tolerance = 1e-14;
  plain.solver.loss_tolerance = 0.0;
  PlattCalibrator p(plain);
  p.fit(s, y, w);
  CHECK(p.a() == Approx(1.0).epsilon(1e-12));
  CHECK(p.b() == Approx(0.0).margin(1e-12));
  CHECK(p.predict(1.0) == Approx(e / (1 + e)).epsilon(1e-12));
  const PlattCalibrator q = PlattCalibrator::from_parameters(-2.0, 0.5);
  CHECK(q.predict(0.25) == Approx(1.0 / (1.0 + std::exp(2.0 * 0.25 - 0.5))).epsilon(1e-15));
  CHECK(q.info() == FitInfo::success);
  CHECK_THROWS_WITH(PlattCalibrator::from_parameters(std::nan(""), 0.0), Contains("finite"));
}

TEST_CASE("Platt scaling rejects bad arguments") {
  Vector s(4), y(4);
  s << 0.1, 0.2, 0.3, 0.4;
  y << 0, 1, 0, 1;
  PlattCalibrator p;
  CHECK_THROWS_WITH(p.fit(s, Vector::Zero(4)), Contains("only one class (0)"));
  CHECK_THROWS_WITH(p.fit(s, y.head(3)), Contains("labels has 3 rows but the scores has 4"));
  Vector bad = s;
  bad[2] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(p.fit(bad, y), Contains("scores") && Contains("row 2") && Contains("infinite"));
  Vector y2 = y;
  y2[1] = 0.7;
  CHECK_THROWS_WITH(p.fit(s, y2), Contains("row 1") && Contains("expected 0 or 1"));
  CHECK_THROWS_WITH(p.fit(s, y, Vector::Zero(4)), Contains("all weights are zero"));
  CHECK_THROWS_WITH(p.fit(Vector(), Vector()), Contains("no rows"));
}

TEST_CASE("isotonic calibration matches scikit-learn's IsotonicRegression(out_of_bounds='clip')") {
  reference::File file("calibration.json");
  for (auto c : reference::items(file["isotonic"])) {
    INFO("dataset " << reference::text(c, "name"));
    IsotonicCalibrator iso;
    iso.fit(reference::vec(c, "score"), reference::vec(c, "y"), reference::vec(c, "w"));
    const Vector xt = reference::vec(c, "x_thresholds"), yt = reference::vec(c, "y_thresholds");
    REQUIRE(static_cast<Index>(iso.x().size()) == xt.size());
    CHECK(max_abs_diff(Eigen::Map<const Vector>(iso.x().data(), xt.size()), xt) == 0.0);
    CHECK(max_abs_diff(Eigen::Map<const Vector>(iso.y().data(), yt.size()), yt) < 1e-12);
    CHECK(max_abs_diff(iso.predict(reference::vec(c, "grid")), reference::vec(c, "grid_predict")) < 1e-12);
    for (std::size_t k = 1; k < iso.y().size(); ++k) CHECK(iso.y()[k] >= iso.y()[k - 1]);
  }
}

TEST_CASE("isotonic calibration by hand: pooling, ties, weights, clipping") {
  // Scores 1..5 with targets 0, 1, 0, 1, 1: the violators (1, 0) at scores 2 and 3 pool to 0.5.
  Vector s(5), y(5);
  s << 1, 2, 3, 4, 5;
  y << 0, 1, 0, 1, 1;
  IsotonicCalibrator iso;
  iso.fit(s, y);
  CHECK(iso.x() == std::vector<double>{1, 2, 3, 4, 5});
  CHECK(iso.y() == std::vector<double>{0, 0.5, 0.5, 1, 1});
  CHECK(iso.predict(3.5) == 0.75);   // linear between breakpoints
  CHECK(iso.predict(-10.0) == 0.0);  // clipped
  CHECK(iso.predict(10.0) == 1.0);
  // Tied scores merge into one point; weight 3 on the 0 at score 2 pulls the pool to 0.25.
  Vector s2(6), y2(6), w2(6);
  s2 << 1, 2, 2, 3, 4, 4;
  y2 << 0, 1, 0, 0, 1, 1;
  w2 << 1, 1, 3, 0, 1, 1;  // the zero-weight row at score 3 is dropped
  iso.fit(s2, y2, w2);
  CHECK(iso.x() == std::vector<double>{1, 2, 4});
  CHECK(iso.y() == std::vector<double>{0, 0.25, 1});
  // A long flat run keeps only its ends.
  Vector s3(6), y3(6);
  s3 << 1, 2, 3, 4, 5, 6;
  y3 << 0, 0, 0, 0, 1, 1;
  iso.fit(s3, y3);
  CHECK(iso.x() == std::vector<double>{1, 4, 5, 6});
  const IsotonicCalibrator restored = IsotonicCalibrator::from_breakpoints(iso.x(), iso.y());
  CHECK(restored.predict(4.5) == iso.predict(4.5));
}

TEST_CASE("isotonic calibration rejects bad arguments") {
  Vector s(3), y(3);
  s << 1, 2, 3;
  y << 0, 1, 1;
  IsotonicCalibrator iso;
  CHECK_THROWS_WITH(iso.fit(s, Vector::Ones(3)), Contains("every target equals 1"));
  Vector y2 = y;
  y2[0] = 1.5;
  CHECK_THROWS_WITH(iso.fit(s, y2), Contains("row 0") && Contains("[0, 1]"));
  Vector bad = s;
  bad[1] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(iso.fit(bad, y), Contains("row 1") && Contains("NaN"));
  CHECK_THROWS_WITH(iso.fit(s, y.head(2)), Contains("targets has 2 rows"));
  CHECK_THROWS_WITH(IsotonicCalibrator::from_breakpoints({1, 1}, {0, 1}), Contains("strictly increasing"));
  CHECK_THROWS_WITH(IsotonicCalibrator::from_breakpoints({1, 2}, {0.5, 0.2}), Contains("non-decreasing"));
  CHECK_THROWS_WITH(IsotonicCalibrator::from_breakpoints({1, 2}, {0.5}), Contains("same non-zero number"));
  CHECK_THROWS_WITH(IsotonicCalibrator::from_breakpoints({}, {}), Contains("same non-zero number"));
  CHECK(std::isnan(IsotonicCalibrator().predict(0.5)));
}

TEST_CASE("risk bands: documented defaults, boundaries, custom cut-offs") {
  const RiskBands d;
  CHECK(d.medium_from == 0.2);
  CHECK(d.high_from == 0.5);
  CHECK(d.band(0.0) == Band::low);
  CHECK(d.band(0.1999999) == Band::low);
  CHECK(d.band(0.2) == Band::medium);
  CHECK(d.band(0.4999999) == Band::medium);
  CHECK(d.band(0.5) == Band::high);
  CHECK(d.band(1.0) == Band::high);
  CHECK(std::string(to_string(Band::medium)) == "medium");
  const RiskBands custom{0.1, 0.3};
  CHECK_NOTHROW(custom.validate());
  CHECK(custom.band(0.15) == Band::medium);
  CHECK(custom.band(0.3) == Band::high);
  CHECK_THROWS_WITH((RiskBands{0.6, 0.3}).validate(), Contains("0 < medium_from <= high_from <= 1"));
  CHECK_THROWS_AS((RiskBands{0.0, 0.3}).validate(), InvalidArgument);
  CHECK_THROWS_AS((RiskBands{0.2, 1.5}).validate(), InvalidArgument);
  CHECK_THROWS_AS((RiskBands{std::nan(""), 0.5}).validate(), InvalidArgument);
}
