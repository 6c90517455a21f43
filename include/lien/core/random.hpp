// lien/core/random.hpp — the small seeded generator of lien: sampled sources and visit orders (graph), seeds
// of the simulator's streams (sim), cross-validation folds (risk), and the generated data of tests and benchmarks.
//
// splitmix64 (Steele, Lea & Flood, 2014) with Lemire's unbiased bounded integers: integer arithmetic only, so
// the same seed gives the same draws on every platform and standard library (std::uniform_int_distribution
// does not promise that).
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

/// The splitmix64 output function (Steele, Lea and Flood): a bijective 64-bit mixer.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit constexpr SplitMix64(std::uint64_t seed) noexcept : state_(seed) {}

  constexpr std::uint64_t next() noexcept { return mix64(state_ += 0x9E3779B97F4A7C15ull); }

  /// A uniform integer in [0, bound) (bound > 0), without modulo bias.
  std::uint64_t below(std::uint64_t bound) noexcept {
    // Lemire (2019) on 32-bit halves keeps it portable without 128-bit arithmetic.
    if (bound <= 0xFFFFFFFFull) {
      const std::uint32_t b = static_cast<std::uint32_t>(bound);
      std::uint64_t m = (next() >> 32) * b;
      std::uint32_t low = static_cast<std::uint32_t>(m);
      if (low < b) {
        const std::uint32_t t = static_cast<std::uint32_t>(-b) % b;
        while (low < t) {
          m = (next() >> 32) * b;
          low = static_cast<std::uint32_t>(m);
        }
      }
      return m >> 32;
    }
    const std::uint64_t limit = ~0ull - (~0ull % bound);
    std::uint64_t r;
    do r = next();
    while (r >= limit);
    return r % bound;
  }

  /// A uniform double in [0, 1) (53 random bits).
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// A standard normal draw (Box-Muller, one value per call: simple and reproducible, for generated data; the
  /// simulator has its own correctly rounded functions, lien/sim/random.hpp).
  double normal() noexcept {
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }

  /// Fisher–Yates shuffle.
  template <class T>
  void shuffle(std::vector<T>& v) noexcept {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  std::uint64_t state_;
};

LIEN_END_NAMESPACE
