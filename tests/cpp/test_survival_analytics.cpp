// Kaplan–Meier, log-rank and the distribution functions against lifelines and SciPy
// (tests/data/analytics/make_reference.py wrote reference.json), plus hand-computed cases and bad inputs.
#include <catch2/catch.hpp>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "lien/analytics/distributions.hpp"
#include "lien/analytics/survival.hpp"
#include "lien/core/error.hpp"

using namespace lien;

namespace {

class Reference {
 public:
  Reference() {
    json_ = simdjson::padded_string::load(std::string(LIEN_TEST_DATA_DIR) + "/analytics/reference.json").value();
    root_ = parser_.parse(json_).value();
  }
  simdjson::dom::element operator[](const char* key) const { return root_[key].value(); }

 private:
  simdjson::padded_string json_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

const Reference& ref() {
  static const Reference r;
  return r;
}

double num(simdjson::dom::element e) {
  if (e.is_double()) return e.get_double().value();
  if (e.is_int64()) return static_cast<double>(e.get_int64().value());
  return static_cast<double>(e.get_uint64().value());
}
double num(simdjson::dom::element o, const char* k) { return num(o[k].value()); }
std::vector<double> nums(simdjson::dom::element o, const char* k) {
  std::vector<double> v;
  const simdjson::dom::array a = o[k].get_array().value();
  for (auto x : a) v.push_back(num(x));
  return v;
}
std::vector<std::uint8_t> flags(simdjson::dom::element o, const char* k) {
  std::vector<std::uint8_t> v;
  const simdjson::dom::array a = o[k].get_array().value();
  for (auto x : a) v.push_back(num(x) != 0 ? 1 : 0);
  return v;
}

// Relative closeness for values that may be tiny (p-values).
bool close(double a, double b, double rel) {
  if (a == b) return true;
  return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

}  // namespace

TEST_CASE("Kaplan-Meier curves and intervals equal lifelines' KaplanMeierFitter") {
  int samples = 0;
  const simdjson::dom::array list_s = ref()["kaplan_meier"].get_array().value();
  for (auto s : list_s) {
    ++samples;
    const auto d = nums(s, "durations");
    const auto e = flags(s, "events");
    const KaplanMeier km = kaplan_meier(d, e);
    const auto time = nums(s, "time"), surv = nums(s, "survival"), lo = nums(s, "lower"), hi = nums(s, "upper");
    const auto at_risk = nums(s, "at_risk"), observed = nums(s, "observed"), censored = nums(s, "censored");
    INFO("sample " << samples);
    REQUIRE(km.time.size() == time.size());
    CHECK(km.subjects == d.size());
    for (std::size_t i = 0; i < time.size(); ++i) {
      INFO("point " << i << " t = " << time[i]);
      CHECK(km.time[i] == time[i]);
      CHECK(km.at_risk[i] == at_risk[i]);
      CHECK(km.events[i] == observed[i]);
      CHECK(km.censored[i] == censored[i]);
      CHECK(km.survival[i] == Approx(surv[i]).margin(1e-13));
      CHECK(km.lower[i] == Approx(lo[i]).margin(1e-12));
      CHECK(km.upper[i] == Approx(hi[i]).margin(1e-12));
    }
    const auto median = s["median"].value();
    if (median.is_null()) {
      CHECK(std::isinf(km.median()));
    } else {
      CHECK(km.median() == num(median));
    }
  }
  CHECK(samples == 6);
}

TEST_CASE("Kaplan-Meier by hand: steps, the function between points, an empty sample") {
  // Durations 1, 2, 2+, 3, 5: S = 4/5 at 1, 4/5 * 3/4 = 0.6 at 2, 0.6 * 1/2 = 0.3 at 3, 0 at 5.
  const std::vector<double> d{1, 2, 2, 3, 5};
  const std::vector<std::uint8_t> e{1, 0, 1, 1, 1};
  const KaplanMeier km = kaplan_meier(d, e);
  CHECK(km.survival_at(-1) == 1.0);
  CHECK(km.survival_at(0.5) == 1.0);
  CHECK(km.survival_at(1) == Approx(0.8));
  CHECK(km.survival_at(2.9) == Approx(0.6));
  CHECK(km.survival_at(4) == Approx(0.3));
  CHECK(km.survival_at(100) == 0.0);
  CHECK(km.median() == 3.0);
  // Greenwood at t = 1: 1 / (5 * 4) = 0.05; log(-log 0.8) -/+ 1.96 * sqrt(0.05) / log 0.8.
  const double v = std::log(0.8), z = 1.959963984540054, g = std::sqrt(0.05);
  CHECK(km.lower[1] == Approx(std::exp(-std::exp(std::log(-v) - z * g / v))));
  CHECK(km.upper[1] == Approx(std::exp(-std::exp(std::log(-v) + z * g / v))));
  const KaplanMeier empty = kaplan_meier(Span<double>(), Span<std::uint8_t>());
  REQUIRE(empty.time.size() == 1);
  CHECK(empty.survival[0] == 1.0);
  // A 90% interval is narrower than the 95% one.
  const KaplanMeier km90 = kaplan_meier(d, e, 0.10);
  CHECK(km90.lower[2] > km.lower[2]);
  CHECK(km90.upper[2] < km.upper[2]);
}

TEST_CASE("Kaplan-Meier and log-rank refuse bad samples") {
  const std::vector<double> d{1, 2};
  const std::vector<std::uint8_t> one{1};
  CHECK_THROWS_AS(kaplan_meier(d, one), InvalidArgument);
  const std::vector<std::uint8_t> e{1, 0};
  const std::vector<double> negative{1, -2}, nan{1, std::nan("")}, inf{1, std::numeric_limits<double>::infinity()};
  CHECK_THROWS_WITH(kaplan_meier(negative, e), Catch::Contains("duration 1 is negative or not finite"));
  CHECK_THROWS_AS(kaplan_meier(nan, e), InvalidArgument);
  CHECK_THROWS_AS(kaplan_meier(inf, e), InvalidArgument);
  CHECK_THROWS_WITH(kaplan_meier(d, e, 0.0), Catch::Contains("alpha"));
  CHECK_THROWS_AS(kaplan_meier(d, e, 1.0), InvalidArgument);
  CHECK_THROWS_AS(logrank_test(d, e, negative, e), InvalidArgument);
  CHECK_THROWS_AS(logrank_test(d, one, d, e), InvalidArgument);
}

TEST_CASE("log-rank statistics and p-values equal lifelines' logrank_test") {
  int pairs = 0;
  const simdjson::dom::array list_p = ref()["logrank"].get_array().value();
  for (auto p : list_p) {
    ++pairs;
    INFO("pair " << pairs);
    const LogRank r = logrank_test(nums(p, "durations_a"), flags(p, "events_a"), nums(p, "durations_b"), flags(p, "events_b"));
    CHECK(close(r.statistic, num(p, "statistic"), 1e-10));
    CHECK(close(r.p_value, num(p, "p_value"), 1e-9));
    CHECK(r.observed_a + r.observed_b == Approx(r.expected_a + r.expected_b));
  }
  CHECK(pairs == 4);
  // No event at all: nothing to test.
  const std::vector<double> d{1, 2, 3};
  const std::vector<std::uint8_t> none{0, 0, 0};
  const LogRank r = logrank_test(d, none, d, none);
  CHECK(r.statistic == 0);
  CHECK(r.p_value == 1);
}

TEST_CASE("distribution functions equal SciPy") {
  const auto dist = ref()["distributions"];
  const simdjson::dom::array beta_list = dist["beta"].get_array().value();
  for (auto x : beta_list) {
    INFO("betainc(" << num(x, "a") << ", " << num(x, "b") << ", " << num(x, "x") << ")");
    CHECK(close(regularized_beta(num(x, "a"), num(x, "b"), num(x, "x")), num(x, "value"), 1e-11));
  }
  const simdjson::dom::array gamma_list = dist["gamma"].get_array().value();
  for (auto x : gamma_list) {
    INFO("gammainc(" << num(x, "a") << ", " << num(x, "x") << ")");
    CHECK(close(regularized_gamma_p(num(x, "a"), num(x, "x")), num(x, "p"), 1e-11));
    CHECK(close(regularized_gamma_q(num(x, "a"), num(x, "x")), num(x, "q"), 1e-11));
  }
  const simdjson::dom::array binom_list = dist["binom"].get_array().value();
  for (auto x : binom_list) {
    INFO("binom.sf(" << num(x, "k") << " - 1, " << num(x, "n") << ", " << num(x, "p") << ")");
    CHECK(close(binomial_upper_tail(static_cast<std::uint64_t>(num(x, "k")), static_cast<std::uint64_t>(num(x, "n")),
                                    num(x, "p")),
                num(x, "value"), 1e-11));
  }
  const simdjson::dom::array chi2_list = dist["chi2"].get_array().value();
  for (auto x : chi2_list) {
    INFO("chi2.sf(" << num(x, "x") << ", " << num(x, "df") << ")");
    CHECK(close(chi_square_sf(num(x, "x"), num(x, "df")), num(x, "value"), 1e-11));
  }
  const simdjson::dom::array normal_cdf_list = dist["normal_cdf"].get_array().value();
  for (auto x : normal_cdf_list)
    CHECK(close(normal_cdf(num(x, "z")), num(x, "value"), 1e-13));
  const simdjson::dom::array normal_ppf_list = dist["normal_ppf"].get_array().value();
  for (auto x : normal_ppf_list) {
    INFO("norm.ppf(" << num(x, "p") << ")");
    CHECK(close(normal_quantile(num(x, "p")), num(x, "value"), 1e-14));
  }
}

TEST_CASE("distribution functions: identities and bad arguments") {
  // I_x(a, b) = 1 - I_{1-x}(b, a); I_x(1, 1) = x; binomial tail with n = k: p^n.
  CHECK(regularized_beta(2.5, 4, 0.3) == Approx(1 - regularized_beta(4, 2.5, 0.7)).epsilon(1e-13));
  CHECK(regularized_beta(1, 1, 0.37) == Approx(0.37).epsilon(1e-14));
  CHECK(binomial_upper_tail(4, 4, 0.3) == Approx(std::pow(0.3, 4)).epsilon(1e-13));
  CHECK(binomial_upper_tail(0, 4, 0.3) == 1.0);
  CHECK(binomial_upper_tail(5, 4, 0.3) == 0.0);
  CHECK(regularized_gamma_p(3, 2) + regularized_gamma_q(3, 2) == Approx(1.0).epsilon(1e-14));
  CHECK(chi_square_sf(-1, 1) == 1.0);
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(normal_cdf(normal_quantile(0.975)) == Approx(0.975).epsilon(1e-14));
  CHECK_THROWS_AS(regularized_beta(0, 1, 0.5), InvalidArgument);
  CHECK_THROWS_AS(regularized_beta(1, 1, 1.5), InvalidArgument);
  CHECK_THROWS_AS(regularized_gamma_p(-1, 1), InvalidArgument);
  CHECK_THROWS_AS(regularized_gamma_q(1, -1), InvalidArgument);
  CHECK_THROWS_AS(binomial_upper_tail(1, 3, 1.2), InvalidArgument);
  CHECK_THROWS_AS(chi_square_sf(1, 0), InvalidArgument);
  CHECK_THROWS_AS(normal_quantile(0), InvalidArgument);
  CHECK_THROWS_AS(normal_quantile(1), InvalidArgument);
}

TEST_CASE("Holm and Benjamini-Hochberg adjustments equal their definitions") {
  const auto c = ref()["corrections"];
  const std::vector<double> p = nums(c, "p");
  const auto holm = adjust_p_values(p, Correction::holm);
  const auto bh = adjust_p_values(p, Correction::benjamini_hochberg);
  const auto h_ref = nums(c, "holm"), b_ref = nums(c, "benjamini_hochberg");
  for (std::size_t i = 0; i < p.size(); ++i) {
    CHECK(holm[i] == Approx(h_ref[i]).epsilon(1e-14));
    CHECK(bh[i] == Approx(b_ref[i]).epsilon(1e-14));
  }
  // NaN is not tested and does not count in the family: Holm on {0.01, NaN, 0.02} multiplies by 2, then 1.
  const auto with_nan = adjust_p_values({0.01, std::nan(""), 0.02}, Correction::holm);
  CHECK(with_nan[0] == Approx(0.02));
  CHECK(std::isnan(with_nan[1]));
  CHECK(with_nan[2] == Approx(0.02));
  CHECK(adjust_p_values({0.3}, Correction::none)[0] == 0.3);
  CHECK_THROWS_AS(adjust_p_values({0.3, 1.2}, Correction::holm), InvalidArgument);
}
