// src/risk/scaler.cpp — StandardScaler: two-pass weighted mean and population variance per column.
#include "lien/risk/scaler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "lien/core/error.hpp"
#include "lien/risk/detail/checks.hpp"

LIEN_BEGIN_NAMESPACE

StandardScaler& StandardScaler::fit(MatrixView X, const VectorRef& w, const ColumnNames& names) {
  const Index n = X.rows(), p = X.cols();
  if (n == 0) throw InvalidArgument("StandardScaler::fit: the feature matrix has no rows");
  const double W = detail::check_weights(w, n, "StandardScaler::fit: sample weights");
  const bool weighted = w.size() != 0;
  Vector mean = Vector::Zero(p), var = Vector::Zero(p), lo(p), hi(p);
  lo.setConstant(std::numeric_limits<double>::infinity());
  hi.setConstant(-std::numeric_limits<double>::infinity());
  // Each column's sums run over rows in row order; the loop nest follows the storage order, for speed only.
  if (X.row_stride() == 1 || n == 1) {
    for (Index j = 0; j < p; ++j) {
      const double* c = X.data() + j * X.col_stride();
      double sum = 0.0, l = lo[j], h = hi[j];
      for (Index i = 0; i < n; ++i) {
        const double wi = weighted ? w[i] : 1.0;
        if (wi == 0.0) continue;
        sum += wi * c[i], l = std::min(l, c[i]), h = std::max(h, c[i]);
      }
      mean[j] = sum / W, lo[j] = l, hi[j] = h;
      double ss = 0.0;
      for (Index i = 0; i < n; ++i) {
        const double wi = weighted ? w[i] : 1.0;
        const double dv = c[i] - mean[j];
        if (wi != 0.0) ss += wi * dv * dv;
      }
      var[j] = ss;
    }
  } else {
    double* mp = mean.data();
    double* lp = lo.data();
    double* hp = hi.data();
    for (Index i = 0; i < n; ++i) {
      const double wi = weighted ? w[i] : 1.0;
      if (wi == 0.0) continue;
      const double* r = X.row(i);
      const Index cs = X.col_stride();
      if (cs == 1) {
        for (Index j = 0; j < p; ++j) mp[j] += wi * r[j], lp[j] = std::min(lp[j], r[j]), hp[j] = std::max(hp[j], r[j]);
      } else {
        for (Index j = 0; j < p; ++j) {
          const double v = r[j * cs];
          mp[j] += wi * v, lp[j] = std::min(lp[j], v), hp[j] = std::max(hp[j], v);
        }
      }
    }
    mean /= W;
    double* vp = var.data();
    for (Index i = 0; i < n; ++i) {
      const double wi = weighted ? w[i] : 1.0;
      if (wi == 0.0) continue;
      const double* r = X.row(i);
      const Index cs = X.col_stride();
      for (Index j = 0; j < p; ++j) {
        const double dv = r[j * cs] - mp[j];
        vp[j] += wi * dv * dv;
      }
    }
  }
  var /= W;
  // A NaN or infinity anywhere makes its column's sums non-finite (min and max catch the infinities that
  // would cancel), so the input is scanned only to name the culprit.
  if (!(mean.allFinite() && var.allFinite() && lo.allFinite() && hi.allFinite())) {
    detail::require_finite(X, "StandardScaler::fit: feature matrix", names);
    for (Index j = 0; j < p; ++j)
      if (!std::isfinite(mean[j]) || !std::isfinite(var[j]))
        throw InvalidArgument("StandardScaler::fit: " + detail::column_label(j, names) +
                              " has values too large to standardise (its mean or variance overflows)");
  }
  Vector scale(p);
  const double eps = std::numeric_limits<double>::epsilon();
  for (Index j = 0; j < p; ++j) {
    if (lo[j] == hi[j]) {  // exactly constant: z is exactly 0
      mean[j] = lo[j];
      scale[j] = 1.0;
      continue;
    }
    const double bound = W * eps * var[j] + (W * mean[j] * eps) * (W * mean[j] * eps);
    scale[j] = var[j] <= bound ? 1.0 : std::sqrt(var[j]);
  }
  mean_ = std::move(mean);
  scale_ = std::move(scale);
  fitted_ = true;
  return *this;
}

StandardScaler StandardScaler::from_parameters(Vector mean, Vector scale) {
  if (mean.size() != scale.size())
    throw InvalidArgument("StandardScaler::from_parameters: " + std::to_string(mean.size()) + " means but " +
                          std::to_string(scale.size()) + " scales");
  for (Index j = 0; j < mean.size(); ++j) {
    if (!std::isfinite(mean[j]))
      throw InvalidArgument("StandardScaler::from_parameters: mean of column " + std::to_string(j) + " is not finite");
    if (!std::isfinite(scale[j]) || !(scale[j] > 0.0))
      throw InvalidArgument("StandardScaler::from_parameters: scale of column " + std::to_string(j) + " is " +
                            detail::format_value(scale[j]) + ", expected a finite value > 0");
  }
  StandardScaler s;
  s.mean_ = std::move(mean);
  s.scale_ = std::move(scale);
  s.fitted_ = true;
  return s;
}

void StandardScaler::check_columns(const MatrixView& X) const {
  if (!fitted_) throw InvalidArgument("StandardScaler: transform before fit");
  if (X.cols() != mean_.size())
    throw InvalidArgument("StandardScaler::transform: the matrix has " + std::to_string(X.cols()) +
                          " columns, the scaler was fitted on " + std::to_string(mean_.size()));
}

// Transforms check their output instead of their input: z is finite exactly when x is (mean and scale are
// finite, scale > 0), so one pass suffices, and the input is scanned only to name a culprit.
Matrix StandardScaler::transform(MatrixView X, const ColumnNames& names) const {
  check_columns(X);
  const Index n = X.rows(), p = X.cols();
  Matrix Z(n, p);
  int finite = 1;  // x - x == 0 exactly when x is finite; an AND, not a chain of adds
  // Blocks of rows, so that a row-major input is read once while the column-major output is written.
  constexpr Index kRows = 256;
  for (Index i0 = 0; i0 < n; i0 += kRows) {
    const Index i1 = std::min(n, i0 + kRows);
    for (Index j = 0; j < p; ++j) {
      const double m = mean_[j], s = scale_[j];
      const double* c = X.data() + j * X.col_stride();
      double* z = Z.col(j).data();
      for (Index i = i0; i < i1; ++i) {
        z[i] = (c[i * X.row_stride()] - m) / s;
        finite &= z[i] - z[i] == 0.0;
      }
    }
  }
  if (!finite) detail::require_finite(X, "StandardScaler::transform: feature matrix", names);
  return Z;
}

RowMatrix StandardScaler::transform_rows(MatrixView X, const ColumnNames& names) const {
  check_columns(X);
  RowMatrix Z(X.rows(), X.cols());
  int finite = 1;  // x - x == 0 exactly when x is finite; an AND, not a chain of adds
  for (Index i = 0; i < X.rows(); ++i) {
    double* z = Z.row(i).data();
    transform_row(X.row(i), X.col_stride(), z);
    for (Index j = 0; j < X.cols(); ++j) finite &= z[j] - z[j] == 0.0;
  }
  if (!finite) detail::require_finite(X, "StandardScaler::transform: feature matrix", names);
  return Z;
}

LIEN_END_NAMESPACE
