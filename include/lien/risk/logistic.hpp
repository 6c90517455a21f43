// lien/risk/logistic.hpp — L2-penalised logistic regression with an unpenalised intercept and sample weights.
//
// Objective (docs/models.md, "Logistic regression"):
//     L(b, beta) = (1/W) sum_i w_i [log(1 + exp(eta_i)) - y_i eta_i] + (l2/2) |beta|^2,  eta_i = b + z_i' beta,
// W = sum_i w_i. scikit-learn's LogisticRegression minimises C sum_i w_i loss_i + |beta|^2 / 2, which has the
// same minimiser when C = 1 / (l2 W): sklearn_C() and l2_from_sklearn_C() convert. Fitted by damped Newton
// (src/risk/logit_solver.cpp); failures are reported by info(), bad arguments throw InvalidArgument.
#pragma once

#include "lien/core/config.hpp"
#include "lien/risk/link.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

struct LogisticOptions {
  /// Penalty l2 on the coefficients (not the intercept), on the mean-loss scale: the same value means the
  /// same strength whatever the number of rows.
  double l2 = 1e-4;
  bool fit_intercept = true;
  SolverOptions solver;
};

/// scikit-learn's C giving the same optimum as `l2` on data whose weights sum to `weight_sum` (n if unweighted).
inline double sklearn_C(double l2, double weight_sum) noexcept { return 1.0 / (l2 * weight_sum); }
/// The l2 giving the same optimum as scikit-learn's `C`.
inline double l2_from_sklearn_C(double C, double weight_sum) noexcept { return 1.0 / (C * weight_sum); }

class LogisticRegression {
 public:
  LogisticRegression() = default;
  explicit LogisticRegression(const LogisticOptions& options) : options_(options) {}

  /// Fits on features Z (n x p, either storage order), labels y (exactly 0 or 1) and optional weights (>= 0,
  /// not all 0; zero-weight rows are ignored). Throws InvalidArgument for mismatched sizes, a NaN or infinite
  /// value (naming row and column), labels other than 0/1, a single class among rows of positive weight, bad
  /// weights or options. Numerical trouble is reported by info(), never thrown.
  LogisticRegression& fit(MatrixView Z, const VectorRef& y, const VectorRef& sample_weight = Vector(),
                          const ColumnNames& names = {});

  /// A model from stored parameters (a model file). Throws InvalidArgument for non-finite values.
  static LogisticRegression from_parameters(double intercept, Vector coefficients);

  FitInfo info() const noexcept { return report_.info; }
  const FitReport& report() const noexcept { return report_; }
  const LogisticOptions& options() const noexcept { return options_; }
  double intercept() const noexcept { return intercept_; }
  const Vector& coefficients() const noexcept { return beta_; }
  Index features() const noexcept { return beta_.size(); }

  /// The logit of one row: intercept, then beta_j z_j added in column order. Explanations add their
  /// contributions in the same order, so the two agree to the last bit.
  double decision(const double* z, Index stride = 1) const noexcept {
    double s = intercept_;
    const double* b = beta_.data();
    for (Index j = 0; j < beta_.size(); ++j) s += b[j] * z[j * stride];
    return s;
  }
  /// Logits of every row. Throws InvalidArgument when the column count differs from the model's.
  Vector decision_function(MatrixView Z) const;
  /// P(y = 1) of every row.
  Vector predict_proba(MatrixView Z) const;

 private:
  LogisticOptions options_;
  double intercept_ = 0.0;
  Vector beta_;
  FitReport report_;
};

LIEN_END_NAMESPACE
