// lien/sim/random.hpp — the simulator's own random numbers: generators, sub-streams and distributions that
// give the same bits on every platform.
//
// std::normal_distribution, std::poisson_distribution and friends are implementation-defined (libstdc++,
// libc++ and MSVC draw different values from the same engine), and libm's exp/log may differ in the last
// bit between C libraries. A simulated cohort must be identical everywhere from its seed, so everything here
// uses only integer arithmetic and the IEEE-754 basic operations (+, -, *, /, sqrt), which are correctly
// rounded by definition: xoshiro256** seeded through splitmix64, and exp/log evaluated by range reduction
// and fixed polynomials. (Translation units that must be bit-exact also switch off FMA contraction, which
// would round a*b+c once instead of twice on CPUs that have FMA.)
//
// Sub-streams: `Rng::stream(seed, domain, index)` derives an independent generator for (seed, what, which),
// e.g. (seed, learner, 1234), so a learner's draws never depend on how many draws other learners made, and
// a cohort can be generated in any order or in parallel with the same result.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "lien/core/config.hpp"
#include "lien/core/random.hpp"

LIEN_BEGIN_NAMESPACE

namespace sim {

// mix64 and SplitMix64 come from lien/core/random.hpp.

/// exp(x) with only basic IEEE operations: x = (32 m + j) ln2/32 + r with |r| <= ln2/64 (Cody–Waite
/// reduction; the high part of ln2/32 has 32 significant bits so k * hi is exact), e^r by its degree-6
/// Taylor polynomial (truncation error < 4e-18), times the correctly rounded 2^(j/32) from a table, scaled
/// exactly by 2^m. Within 2 ulp of exp; the same bits everywhere.
inline double det_exp(double x) noexcept {
  if (std::isnan(x)) return x;
  if (x > 709.78) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  static constexpr double kTwoToJ32[32] = {
      0x1.0000000000000p+0, 0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0, 0x1.11301d0125b51p+0,
      0x1.172b83c7d517bp+0, 0x1.1d4873168b9aap+0, 0x1.2387a6e756238p+0, 0x1.29e9df51fdee1p+0,
      0x1.306fe0a31b715p+0, 0x1.371a7373aa9cbp+0, 0x1.3dea64c123422p+0, 0x1.44e086061892dp+0,
      0x1.4bfdad5362a27p+0, 0x1.5342b569d4f82p+0, 0x1.5ab07dd485429p+0, 0x1.6247eb03a5585p+0,
      0x1.6a09e667f3bcdp+0, 0x1.71f75e8ec5f74p+0, 0x1.7a11473eb0187p+0, 0x1.82589994cce13p+0,
      0x1.8ace5422aa0dbp+0, 0x1.93737b0cdc5e5p+0, 0x1.9c49182a3f090p+0, 0x1.a5503b23e255dp+0,
      0x1.ae89f995ad3adp+0, 0x1.b7f76f2fb5e47p+0, 0x1.c199bdd85529cp+0, 0x1.cb720dcef9069p+0,
      0x1.d5818dcfba487p+0, 0x1.dfc97337b9b5fp+0, 0x1.ea4afa2a490dap+0, 0x1.f50765b6e4540p+0};
  constexpr double kThirtyTwoOverLn2 = 0x1.71547652b82fep+5;
  constexpr double kLn2Over32Hi = 0x1.62e42fef00000p-6;
  constexpr double kLn2Over32Lo = 0x1.473de6af278edp-39;
  // Round to the nearest integer by adding and removing 1.5 * 2^52 (exact IEEE arithmetic, no libm call).
  constexpr double kRound = 0x1.8p52;
  const double kf = (x * kThirtyTwoOverLn2 + kRound) - kRound;
  const double r = (x - kf * kLn2Over32Hi) - kf * kLn2Over32Lo;
  double p = 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const int k = static_cast<int>(kf);
  const int j = k & 31;        // two's complement: also right for negative k
  const int m = (k - j) / 32;  // exact division
  const double y = kTwoToJ32[j] * p;
  // Scaling by 2^m is exact while the result is normal: multiply by 2^m built from its bits. Near the
  // bottom of the range, std::ldexp (also exact, and rounding correctly into subnormals) takes over.
  if (m < -1020 || m > 1020) return std::ldexp(y, m);
  const std::uint64_t bits = static_cast<std::uint64_t>(1023 + m) << 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return y * scale;
}

/// Natural logarithm with only basic IEEE operations: x = m 2^e with m in [sqrt(1/2), sqrt(2)), then
/// log m = 2 atanh((m-1)/(m+1)) by its odd series (|f| <= 0.172, 11 terms, truncation error < 1e-18).
inline double det_log(double x) noexcept {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // exact: m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --e;
  }
  const double f = (m - 1.0) / (m + 1.0);
  const double s = f * f;
  double p = 1.0 / 23.0;
  for (int k = 21; k >= 1; k -= 2) p = p * s + 1.0 / k;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const double ed = static_cast<double>(e);
  return ed * kLn2Hi + (2.0 * f * p + ed * kLn2Lo);
}

/// The logistic function 1 / (1 + e^-x).
inline double sigmoid(double x) noexcept { return 1.0 / (1.0 + det_exp(-x)); }

/// xoshiro256** 1.0 (Blackman and Vigna), with the platform-independent distributions lien needs.
class Rng {
 public:
  /// A generator seeded from one 64-bit value (expanded by splitmix64, so any seed, 0 included, is fine).
  explicit Rng(std::uint64_t seed) noexcept {
    SplitMix64 sm(seed);
    for (auto& w : s_) w = sm.next();
  }

  /// An independent stream for (seed, domain, index): e.g. domain 1 = learners, index = learner number.
  static Rng stream(std::uint64_t seed, std::uint64_t domain, std::uint64_t index) noexcept {
    return Rng(mix64(mix64(seed) ^ mix64(domain * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) ^
                     mix64(index + 0xD1B54A32D192ED03ull)));
  }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1), 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in [a, b).
  double uniform(double a, double b) noexcept { return a + (b - a) * uniform(); }
  /// Uniform integer in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 for n < 2^32).
  std::uint32_t below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  /// Uniform integer in [a, b].
  int between(int a, int b) noexcept { return a + static_cast<int>(below(static_cast<std::uint32_t>(b - a + 1))); }

  bool bernoulli(double p) noexcept { return uniform() < p; }

  /// Standard normal by Marsaglia's polar method (uses only det_log and sqrt); the second value of each
  /// pair is kept for the next call.
  double normal() noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double k = std::sqrt(-2.0 * det_log(s) / s);
    spare_ = v * k;
    has_spare_ = true;
    return u * k;
  }
  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }

  /// Approximately standard normal, cheaply: the Irwin–Hall sum of four 16-bit uniforms taken from one
  /// 64-bit draw, centred and scaled to unit variance (support +-3.46). For latent day-to-day noise where
  /// the exact shape of the tails does not matter.
  double normal_approx() noexcept {
    const std::uint64_t x = next();
    const std::uint64_t sum = (x & 0xFFFF) + ((x >> 16) & 0xFFFF) + ((x >> 32) & 0xFFFF) + (x >> 48);
    return (static_cast<double>(sum) + 2.0 - 131072.0) * (1.7320508075688772935 / 65536.0);
  }

  /// Poisson by Knuth's product of uniforms (exact) for lambda < 30; above, a rounded normal approximation
  /// (the simulator never asks for such rates; it keeps the function total).
  std::uint32_t poisson(double lambda) noexcept {
    if (!(lambda > 0)) return 0;
    if (lambda < 30.0) {
      const double limit = det_exp(-lambda);
      std::uint32_t k = 0;
      double p = uniform();
      while (p > limit) {
        ++k;
        p *= uniform();
      }
      return k;
    }
    const double x = std::floor(lambda + std::sqrt(lambda) * normal() + 0.5);
    return x < 0 ? 0u : static_cast<std::uint32_t>(x);
  }

  /// Number of failures before the first success, success probability p in (0, 1] (mean (1-p)/p).
  std::uint32_t geometric(double p) noexcept {
    if (p >= 1.0) return 0;
    if (!(p > 0)) return std::numeric_limits<std::uint32_t>::max();
    const double u = 1.0 - uniform();  // (0, 1]
    const double g = std::floor(det_log(u) / det_log(1.0 - p));
    return g >= 4e9 ? std::numeric_limits<std::uint32_t>::max() : static_cast<std::uint32_t>(g);
  }

  /// An index drawn with probability proportional to weights[i] (n >= 1, weights >= 0, not all 0).
  std::size_t categorical(const double* weights, std::size_t n) noexcept {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += weights[i];
    double u = uniform() * total;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      if (u < weights[i]) return i;
      u -= weights[i];
    }
    return n - 1;
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace sim

LIEN_END_NAMESPACE
