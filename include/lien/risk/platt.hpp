// lien/risk/platt.hpp — Platt scaling: a calibrated probability sigmoid(a s + b) from a model's logit s.
//
// Fitted by the shared Newton solver on one feature (s) without penalty, minimising the weighted mean log loss
// against Platt's smoothed targets by default: a positive counts as (N+ + 1) / (N+ + 2) and a negative as
// 1 / (N- + 2), N+/N- the (weighted) class totals (Platt 2000, section 2.2; scikit-learn's
// CalibratedClassifierCV(method='sigmoid') does the same). With target_smoothing = false the targets are the
// 0/1 labels. Sign convention: scikit-learn stores P = 1 / (1 + exp(A f + B)), so A = -a and B = -b.
#pragma once

#include "lien/core/config.hpp"
#include "lien/risk/link.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

struct PlattOptions {
  bool target_smoothing = true;
  SolverOptions solver;
};

class PlattCalibrator {
 public:
  PlattCalibrator() = default;
  explicit PlattCalibrator(const PlattOptions& options) : options_(options) {}

  /// Fits a and b on scores s (any real numbers, usually logits) and labels y (exactly 0 or 1), with optional
  /// weights. Throws InvalidArgument for mismatched sizes, non-finite scores, labels other than 0/1, a single
  /// class, or bad weights; numerical trouble (separable data without smoothing) is reported by info().
  PlattCalibrator& fit(const VectorRef& score, const VectorRef& y, const VectorRef& sample_weight = Vector());

  /// A calibrator from stored parameters. Throws InvalidArgument unless both are finite.
  static PlattCalibrator from_parameters(double a, double b);

  double a() const noexcept { return a_; }
  double b() const noexcept { return b_; }
  FitInfo info() const noexcept { return report_.info; }
  const FitReport& report() const noexcept { return report_; }
  const PlattOptions& options() const noexcept { return options_; }

  double predict(double score) const noexcept { return sigmoid(a_ * score + b_); }
  Vector predict(const VectorRef& score) const;

 private:
  PlattOptions options_;
  double a_ = 1.0, b_ = 0.0;
  FitReport report_;
};

LIEN_END_NAMESPACE
