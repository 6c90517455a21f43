// lien/risk/scaler.hpp — standardisation of features, z = (x - mean) / scale, as scikit-learn's StandardScaler.
//
// The models are fitted on standardised features so that one L2 penalty treats every feature alike and so that
// a contribution beta_j z_j reads as "how many standard deviations from the mean, times the effect".
// Conventions (docs/models.md, "Scaler"): weighted mean and *population* standard deviation (divide by the
// sum of weights, ddof = 0); a constant column (all values equal among rows of positive weight) keeps its value
// as mean and scale 1, so it standardises to exactly 0, never NaN; a column whose variance is below
// scikit-learn's rounding bound (n eps var + (n mean eps)^2) also gets scale 1.
#pragma once

#include "lien/core/config.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

class StandardScaler {
 public:
  StandardScaler() = default;

  /// Learns mean and scale per column. Throws InvalidArgument for an empty matrix, a NaN or infinite value
  /// (naming row and column, with its name when `names` has one), or bad weights.
  StandardScaler& fit(MatrixView X, const VectorRef& sample_weight = Vector(), const ColumnNames& names = {});

  /// A scaler from stored parameters (a model file). Throws InvalidArgument unless sizes agree, every mean is
  /// finite and every scale finite and > 0.
  static StandardScaler from_parameters(Vector mean, Vector scale);

  bool fitted() const noexcept { return fitted_; }
  Index features() const noexcept { return mean_.size(); }
  const Vector& mean() const noexcept { return mean_; }
  const Vector& scale() const noexcept { return scale_; }

  /// Standardised copy (column-major). Throws InvalidArgument when the column count differs or a value is
  /// not finite.
  Matrix transform(MatrixView X, const ColumnNames& names = {}) const;
  /// Same, row-major.
  RowMatrix transform_rows(MatrixView X, const ColumnNames& names = {}) const;

  /// The scoring hot path: z[j] = (x[j * stride] - mean_j) / scale_j, no checks.
  void transform_row(const double* x, Index stride, double* z) const noexcept {
    const double* m = mean_.data();
    const double* s = scale_.data();
    for (Index j = 0; j < mean_.size(); ++j) z[j] = (x[j * stride] - m[j]) / s[j];
  }

 private:
  void check_columns(const MatrixView& X) const;

  Vector mean_, scale_;
  bool fitted_ = false;
};

LIEN_END_NAMESPACE
