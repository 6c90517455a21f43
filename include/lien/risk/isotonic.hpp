// lien/risk/isotonic.hpp — isotonic calibration: a non-decreasing step-and-ramp map from score to probability.
//
// As scikit-learn's IsotonicRegression(increasing=True, out_of_bounds='clip'): rows of zero weight are dropped,
// rows with equal scores are merged into one point (weighted mean target, summed weight), the pool-adjacent-
// violators algorithm makes the targets non-decreasing, and points inside a run of equal values are dropped
// (a run keeps its first and last point). Prediction interpolates linearly between the remaining breakpoints
// and clips scores outside [first, last] to the end values. The breakpoints are the whole model.
#pragma once

#include <vector>

#include "lien/core/config.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

class IsotonicCalibrator {
 public:
  /// Fits on scores (finite) and targets in [0, 1] (usually 0/1 labels), with optional weights. Throws
  /// InvalidArgument for mismatched sizes, non-finite scores, targets outside [0, 1], targets that are all
  /// equal among rows of positive weight, or bad weights.
  IsotonicCalibrator& fit(const VectorRef& score, const VectorRef& y, const VectorRef& sample_weight = Vector());

  /// A calibrator from stored breakpoints. Throws InvalidArgument unless both lists have the same non-zero
  /// length, x is strictly increasing, y is non-decreasing, and every value is finite.
  static IsotonicCalibrator from_breakpoints(std::vector<double> x, std::vector<double> y);

  bool fitted() const noexcept { return !x_.empty(); }
  const std::vector<double>& x() const noexcept { return x_; }
  const std::vector<double>& y() const noexcept { return y_; }

  double predict(double score) const noexcept;
  Vector predict(const VectorRef& score) const;

 private:
  std::vector<double> x_, y_;
};

LIEN_END_NAMESPACE
