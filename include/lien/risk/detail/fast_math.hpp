// lien/risk/detail/fast_math.hpp — exp(x) for x <= 0 and log1p(z) for z in [0, 1], branch-free so that the
// solver's per-row loop vectorises, and written out here so that a fit gives the same bits whatever the C
// library (glibc's exp and log1p may differ between versions; these cannot).
//
// exp: x = k ln2 + r with |r| <= ln2/2 (k by the 1.5 * 2^52 rounding trick, ln2 split in two so that k ln2 is
// exact), exp(r) by its Taylor series to degree 13 (truncation below 1e-17), 2^k assembled in the exponent
// bits. log1p: fdlibm's __ieee754_log kernel on f = z (z <= sqrt(2) - 1) or f = (z - 1) / 2 plus ln2, with
// s = f / (2 + f) and the minimax polynomial R(s^2) of log((1 + s)/(1 - s)). Both stay within 2 ulp of the
// correctly rounded result over their ranges (tests/cpp/test_logistic.cpp sweeps them against <cmath>).
#pragma once

#include <cstdint>
#include <cstring>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE
namespace detail {

inline std::uint64_t bits_of(double x) noexcept {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}
inline double double_of(std::uint64_t u) noexcept {
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

/// exp(x) for x <= 0; 0 below -708 (where exp(x) < 3.3e-308).
inline double exp_nonpositive(double x) noexcept {
  const double shifter = 0x1.8p52;
  const double xc = x < -708.0 ? -708.0 : x;
  const double t = xc * 1.4426950408889634 + shifter;  // 1/ln2
  const double k = t - shifter;                            // round(x / ln2)
  const double r = (xc - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
  double p = 1.0 / 6227020800.0;  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const double scale = double_of((bits_of(t) + 1023u) << 52);  // 2^k, k in [-1022, 0]
  const double y = p * scale;  // computed unconditionally: selects of values vectorise, guarded arithmetic not
  return x < -708.0 ? 0.0 : y;
}

/// log(1 + z) for z in [0, 1].
inline double log1p_unit(double z) noexcept {
  const bool high = z > 0.41421356237309503;  // sqrt(2) - 1
  const double half = (z - 1.0) * 0.5;
  const double f = high ? half : z;  // 1 + z = 2 (1 + f) when high
  const double s = f / (2.0 + f);
  const double s2 = s * s;
  const double s4 = s2 * s2;
  const double t1 = s2 * (6.666666666666735130e-01 +
                          s4 * (2.857142874366239149e-01 + s4 * (1.818357216161805012e-01 + s4 * 1.479819860511658591e-01)));
  const double t2 = s4 * (3.999999999940941908e-01 + s4 * (2.222219843214978396e-01 + s4 * 1.531383769920937332e-01));
  const double R = t1 + t2;
  const double hfsq = 0.5 * f * f;
  const double k = high ? 1.0 : 0.0;
  return k * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + R) + k * 1.90821492927058770002e-10)) - f);
}

}  // namespace detail
LIEN_END_NAMESPACE
