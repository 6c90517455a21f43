// lien/risk/types.hpp — the vocabulary the risk models share: Eigen aliases, a read-only matrix view that
// accepts either storage order without a copy, the fit status, and the Newton solver's settings.
//
// The models take features as a MatrixView so that the feature layer's column-major Eigen matrices, NumPy's
// C-ordered arrays (row-major) and blocks of either reach the solver as they are: a 1,000,000 x 40 copy costs
// as much as two solver passes.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

using Index = Eigen::Index;
using Matrix = Eigen::MatrixXd;  ///< column-major, Eigen's default and the feature layer's layout
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXd;
using IntVector = Eigen::Matrix<std::int32_t, Eigen::Dynamic, 1>;
using IdVector = Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>;
/// Read-only vector arguments: bind VectorXd, Map<VectorXd> and matrix columns without a copy. An empty
/// vector means "not given" where an argument is optional (sample weights).
using VectorRef = Eigen::Ref<const Vector>;
using IntVectorRef = Eigen::Ref<const IntVector>;
using IdVectorRef = Eigen::Ref<const IdVector>;
/// Names of a matrix's columns, used only in error messages (may be empty).
using ColumnNames = std::vector<std::string>;

/// A read-only view of a dense matrix of doubles with arbitrary row and column strides.
class MatrixView {
 public:
  MatrixView() = default;
  MatrixView(const double* data, Index rows, Index cols, Index row_stride, Index col_stride) noexcept
      : data_(data), rows_(rows), cols_(cols), row_stride_(row_stride), col_stride_(col_stride) {}
  /// Any Eigen object with direct access (Matrix, Map, Ref, Block) in either storage order. Expressions
  /// without storage do not compile: evaluate them first (`.eval()`).
  template <class Derived>
  MatrixView(const Eigen::DenseBase<Derived>& m) noexcept  // NOLINT: implicit by design
      : data_(m.derived().data()),
        rows_(m.rows()),
        cols_(m.cols()),
        row_stride_(m.derived().rowStride()),
        col_stride_(m.derived().colStride()) {}

  Index rows() const noexcept { return rows_; }
  Index cols() const noexcept { return cols_; }
  Index row_stride() const noexcept { return row_stride_; }
  Index col_stride() const noexcept { return col_stride_; }
  const double* data() const noexcept { return data_; }
  double operator()(Index i, Index j) const noexcept { return data_[i * row_stride_ + j * col_stride_]; }
  /// Pointer to the first element of row i (elements col_stride() apart).
  const double* row(Index i) const noexcept { return data_ + i * row_stride_; }
  /// Rows i .. i+n-1, all columns.
  MatrixView middle_rows(Index i, Index n) const noexcept {
    return MatrixView(data_ + i * row_stride_, n, cols_, row_stride_, col_stride_);
  }

 private:
  const double* data_ = nullptr;
  Index rows_ = 0;
  Index cols_ = 0;
  Index row_stride_ = 0;
  Index col_stride_ = 0;
};

/// How a fit ended, in the manner of Eigen's ComputationInfo: numerical routines report, they do not throw.
/// Bad arguments (shapes, NaN, labels) are InvalidArgument exceptions raised before any computation starts.
enum class FitInfo {
  success = 0,      ///< converged: gradient or relative loss change below its tolerance
  no_convergence,   ///< max_iterations reached (e.g. separable data without a penalty)
  numerical_issue,  ///< a non-finite loss or a Hessian that could not be factorised
  not_fitted        ///< fit() has not been called
};

inline const char* to_string(FitInfo info) noexcept {
  switch (info) {
    case FitInfo::success: return "success";
    case FitInfo::no_convergence: return "no_convergence";
    case FitInfo::numerical_issue: return "numerical_issue";
    case FitInfo::not_fitted: return "not_fitted";
  }
  return "unknown";
}

/// Settings of the damped Newton solver every logit model here uses (docs/models.md, "Solver").
struct SolverOptions {
  int max_iterations = 100;
  /// Converged when max_j |dL/dtheta_j| <= this, L being the weighted *mean* loss plus the penalty.
  double gradient_tolerance = 1e-8;
  /// ... or when the decrease the Newton model still expects (g' H^-1 g / 2) is no more than this, relative
  /// to max(|L|, 1). The defaults give coefficients to about 1e-7; set 0 and a smaller gradient tolerance to
  /// compare with a reference to the last digits.
  double loss_tolerance = 1e-15;
  /// Subsampled Newton: with more than twice this many rows, the fit starts from the optimum on a strided
  /// subsample; for a wide design (more than 16 Hessian columns besides per-group intercepts) it then steps
  /// with that subsample's Hessian until progress slows, for a narrow one it takes exact Newton steps (its
  /// Hessian costs little more than its gradient) from a subsample a quarter this size. The gradient is
  /// always the full data's, so the optimum reached is the same. 0 = exact Hessian from the start.
  std::size_t hessian_rows = 32768;
  /// Worker threads for the passes over the rows. Rows are cut into fixed blocks whose partial sums are
  /// added in block order, so the result is bit-identical whatever the thread count.
  int threads = 1;
};

/// What a fit did, for logs and model files.
struct FitReport {
  FitInfo info = FitInfo::not_fitted;
  int iterations = 0;             ///< Newton steps on the full data
  int subsample_iterations = 0;   ///< Newton steps of the warm start (0 when it was not used)
  int passes = 0;                 ///< passes over the full data
  double loss = 0.0;              ///< penalised weighted mean loss at the solution
  double gradient_max = 0.0;      ///< max |gradient| at the solution
};

LIEN_END_NAMESPACE
