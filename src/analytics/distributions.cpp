// Distribution functions for path analytics: incomplete beta and gamma by continued fractions (modified
// Lentz), the normal quantile by Wichura's AS 241, and Holm / Benjamini–Hochberg adjustments.
#include "lien/analytics/distributions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "lien/core/error.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

constexpr double kEps = 1e-16;
constexpr double kTiny = 1e-300;
constexpr int kMaxIterations = 100000;

// log B(a, b).
double log_beta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

// Continued fraction of I_x(a, b) (Numerical Recipes' betacf), converging fast for x < (a + 1) / (a + b + 2).
double beta_fraction(double a, double b, double x) {
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) return h;
  }
  throw InternalError("regularized_beta: continued fraction did not converge for a = " + std::to_string(a) +
                      ", b = " + std::to_string(b) + ", x = " + std::to_string(x));
}

// P(a, x) by its series, for x < a + 1.
double gamma_series(double a, double x) {
  double ap = a, sum = 1.0 / a, del = sum;
  for (int n = 1; n <= kMaxIterations; ++n) {
    ap += 1.0;
    del *= x / ap;
    sum += del;
    if (std::fabs(del) < std::fabs(sum) * kEps) return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
  }
  throw InternalError("regularized_gamma: series did not converge for a = " + std::to_string(a) +
                      ", x = " + std::to_string(x));
}

// Q(a, x) by its continued fraction, for x >= a + 1.
double gamma_fraction(double a, double x) {
  double b = x + 1.0 - a, c = 1.0 / kTiny, d = 1.0 / b, h = d;
  for (int i = 1; i <= kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
  }
  throw InternalError("regularized_gamma: continued fraction did not converge for a = " + std::to_string(a) +
                      ", x = " + std::to_string(x));
}

void check_gamma(const char* fn, double a, double x) {
  if (!(a > 0 && std::isfinite(a)) || !(x >= 0) || std::isnan(x))
    throw InvalidArgument(std::string(fn) + ": needs a > 0 and x >= 0, got a = " + std::to_string(a) +
                          ", x = " + std::to_string(x));
}

}  // namespace

double regularized_beta(double a, double b, double x) {
  if (!(a > 0 && std::isfinite(a)) || !(b > 0 && std::isfinite(b)) || !(x >= 0 && x <= 1))
    throw InvalidArgument("regularized_beta: needs a > 0, b > 0 and 0 <= x <= 1, got a = " + std::to_string(a) +
                          ", b = " + std::to_string(b) + ", x = " + std::to_string(x));
  if (x == 0) return 0;
  if (x == 1) return 1;
  const double front = std::exp(a * std::log(x) + b * std::log1p(-x) - log_beta(a, b));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_fraction(a, b, x) / a;
  return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

double regularized_gamma_p(double a, double x) {
  check_gamma("regularized_gamma_p", a, x);
  if (x == 0) return 0;
  if (std::isinf(x)) return 1;
  return x < a + 1.0 ? gamma_series(a, x) : 1.0 - gamma_fraction(a, x);
}

double regularized_gamma_q(double a, double x) {
  check_gamma("regularized_gamma_q", a, x);
  if (x == 0) return 1;
  if (std::isinf(x)) return 0;
  return x < a + 1.0 ? 1.0 - gamma_series(a, x) : gamma_fraction(a, x);
}

double binomial_upper_tail(std::uint64_t k, std::uint64_t n, double p) {
  if (!(p >= 0 && p <= 1)) throw InvalidArgument("binomial_upper_tail: p must be in [0, 1], got " + std::to_string(p));
  if (k == 0) return 1;
  if (k > n) return 0;
  if (p == 0) return 0;
  if (p == 1) return 1;
  return regularized_beta(static_cast<double>(k), static_cast<double>(n - k + 1), p);
}

double chi_square_sf(double x, double df) {
  if (!(df > 0 && std::isfinite(df)) || std::isnan(x))
    throw InvalidArgument("chi_square_sf: needs df > 0 and a number x, got df = " + std::to_string(df));
  if (x <= 0) return 1;
  return regularized_gamma_q(df / 2.0, x / 2.0);
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) throw InvalidArgument("normal_quantile: p must be in (0, 1), got " + std::to_string(p));
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r + 6.7265770927008700853e+4) * r +
                4.5921953931549871457e+4) * r + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
             1.3314166789178437745e+2) * r + 3.3871328727963666080e0) /
           (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r + 3.9307895800092710610e+4) * r +
                2.1213794301586595867e+4) * r + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
             4.2313330701600911252e+1) * r + 1.0);
  }
  double r = std::sqrt(-std::log(q < 0 ? p : 1.0 - p));
  double value;
  if (r <= 5.0) {
    r -= 1.6;
    value = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r + 2.41780725177450611770e-1) * r +
                 1.27045825245236838258e0) * r + 3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r +
              4.63033784615654529590e0) * r + 1.42343711074968357734e0) /
            (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r + 1.51986665636164571966e-2) * r +
                 1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r +
              2.05319162663775882187e0) * r + 1.0);
  } else {
    r -= 5.0;
    value = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.24266094738807843860e-3) * r +
                 2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r + 1.78482653991729133580e0) * r +
              5.46378491116411436990e0) * r + 6.65790464350110377720e0) /
            (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r + 1.84631831751005468180e-5) * r +
                 7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
              5.99832206555887937690e-1) * r + 1.0);
  }
  return q < 0 ? -value : value;
}

const char* to_string(Correction c) noexcept {
  switch (c) {
    case Correction::holm: return "holm";
    case Correction::benjamini_hochberg: return "benjamini_hochberg";
    case Correction::none: return "none";
  }
  return "?";
}

std::vector<double> adjust_p_values(const std::vector<double>& p, Correction c) {
  std::vector<double> out(p.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(p[i])) continue;
    if (p[i] < 0 || p[i] > 1) throw InvalidArgument("adjust_p_values: p-value " + std::to_string(i) + " is outside [0, 1]");
    idx.push_back(i);
  }
  if (c == Correction::none) {
    for (std::size_t i : idx) out[i] = p[i];
    return out;
  }
  // Stable order: equal p-values keep their input order, so the result never depends on the sort.
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  const double m = static_cast<double>(idx.size());
  if (c == Correction::holm) {
    double running = 0;
    for (std::size_t j = 0; j < idx.size(); ++j) {
      running = std::max(running, std::min(1.0, (m - static_cast<double>(j)) * p[idx[j]]));
      out[idx[j]] = running;
    }
  } else {
    double running = 1;
    for (std::size_t j = idx.size(); j-- > 0;) {
      running = std::min(running, std::min(1.0, m / static_cast<double>(j + 1) * p[idx[j]]));
      out[idx[j]] = running;
    }
  }
  return out;
}

LIEN_END_NAMESPACE
