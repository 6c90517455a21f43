// lien/risk/bands.hpp — low / medium / high risk bands on the calibrated probability.
//
// Default cut-offs (docs/models.md, "Bands"): high from 0.5 (dropping out is more likely than not within the
// horizon), medium from 0.2 (at least one chance in five), low below. They apply to a *calibrated* probability,
// so they mean the same thing for every programme; change them per deployment with RiskBands{medium, high}.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "lien/core/config.hpp"
#include "lien/core/error.hpp"

LIEN_BEGIN_NAMESPACE

enum class Band : std::uint8_t { low = 0, medium = 1, high = 2 };

inline const char* to_string(Band b) noexcept {
  switch (b) {
    case Band::low: return "low";
    case Band::medium: return "medium";
    case Band::high: return "high";
  }
  return "unknown";
}

struct RiskBands {
  double medium_from = 0.2;  ///< p >= this is at least medium
  double high_from = 0.5;    ///< p >= this is high

  /// Throws InvalidArgument unless 0 < medium_from <= high_from <= 1.
  void validate() const {
    if (!(std::isfinite(medium_from) && std::isfinite(high_from) && medium_from > 0.0 && medium_from <= high_from &&
          high_from <= 1.0))
      throw InvalidArgument("RiskBands: cut-offs must satisfy 0 < medium_from <= high_from <= 1, got medium_from = " +
                            std::to_string(medium_from) + ", high_from = " + std::to_string(high_from));
  }
  Band band(double p) const noexcept { return p >= high_from ? Band::high : p >= medium_from ? Band::medium : Band::low; }
};

LIEN_END_NAMESPACE
