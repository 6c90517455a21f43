// lien/risk/link.hpp — the logistic link and its inverse, computed without overflow for any finite input.
#pragma once

#include <cmath>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

/// 1 / (1 + exp(-x)), exact in both tails (never exp of a large positive number).
inline double sigmoid(double x) noexcept {
  if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

/// log(p / (1 - p)); +-infinity at 1 and 0.
inline double logit(double p) noexcept { return std::log(p) - std::log1p(-p); }

LIEN_END_NAMESPACE
