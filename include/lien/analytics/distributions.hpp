// lien/analytics/distributions.hpp — the few distribution functions path analytics needs for its tests:
// regularized incomplete beta and gamma functions, and the binomial, chi-square and normal tails built on
// them.
//
// They are lien's own (compiled once in src/analytics/distributions.cpp) so that p-values and confidence
// bounds are the same on every platform and need no statistics library; tests/data/analytics/make_reference.py
// pins them against SciPy. Tails are computed directly (continued fractions), never as 1 - cdf, so small
// p-values keep their relative precision.
#pragma once

#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

/// Regularized incomplete beta function I_x(a, b) (scipy.special.betainc). a, b > 0, 0 <= x <= 1; throws
/// InvalidArgument otherwise.
double regularized_beta(double a, double b, double x);

/// Regularized lower incomplete gamma P(a, x) (scipy.special.gammainc). a > 0, x >= 0.
double regularized_gamma_p(double a, double x);
/// Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x) (scipy.special.gammaincc), computed directly.
double regularized_gamma_q(double a, double x);

/// P(X >= k) for X ~ Binomial(n, p) (scipy.stats.binom.sf(k - 1, n, p)): 1 for k == 0, 0 for k > n.
double binomial_upper_tail(std::uint64_t k, std::uint64_t n, double p);

/// P(X >= x) for X ~ chi-square with `df` degrees of freedom (scipy.stats.chi2.sf).
double chi_square_sf(double x, double df);

/// Standard normal cdf (scipy.stats.norm.cdf).
double normal_cdf(double z);
/// Standard normal quantile (scipy.stats.norm.ppf), Wichura's AS 241 (relative error about 1e-16). p in (0, 1).
double normal_quantile(double p);

/// How a family of p-values is corrected for multiple testing.
enum class Correction : std::uint8_t {
  holm,                ///< Holm's step-down (controls the family-wise error rate)
  benjamini_hochberg,  ///< Benjamini–Hochberg step-up (controls the false discovery rate)
  none                 ///< raw p-values
};
const char* to_string(Correction c) noexcept;

/// Adjusted p-values, in the order given (statsmodels' multipletests 'holm' / 'fdr_bh'). NaN entries are
/// not tested: they stay NaN and do not count in the family size.
std::vector<double> adjust_p_values(const std::vector<double>& p, Correction c);

LIEN_END_NAMESPACE
