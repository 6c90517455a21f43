// lien/risk/detail/checks.hpp — argument checks shared by the risk models and metrics, so that every entry
// point rejects the same mistakes with the same wording: what is wrong, in which argument, at which row.
#pragma once

#include <cmath>
#include <sstream>
#include <string>

#include "lien/core/config.hpp"
#include "lien/core/error.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE
namespace detail {

inline std::string column_label(Index j, const ColumnNames& names) {
  std::string s = "column " + std::to_string(j);
  if (j >= 0 && static_cast<std::size_t>(j) < names.size()) s += " ('" + names[static_cast<std::size_t>(j)] + "')";
  return s;
}

inline const char* nonfinite_word(double v) { return std::isnan(v) ? "NaN" : "infinite"; }

inline std::string format_value(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

/// Throws InvalidArgument naming the first (row, column) in row order holding NaN or an infinity.
inline void require_finite(const MatrixView& X, const char* what, const ColumnNames& names = {}) {
  // Fast scan in storage order (x - x is 0 for finite x, NaN otherwise); the row-order search below only
  // runs to name the culprit.
  int finite = 1;
  if (X.row_stride() == 1) {
    for (Index j = 0; j < X.cols(); ++j) {
      const double* c = X.data() + j * X.col_stride();
      for (Index i = 0; i < X.rows(); ++i) finite &= c[i] - c[i] == 0.0;
    }
  } else {
    for (Index i = 0; i < X.rows(); ++i) {
      const double* r = X.row(i);
      for (Index j = 0; j < X.cols(); ++j) finite &= r[j * X.col_stride()] - r[j * X.col_stride()] == 0.0;
    }
  }
  if (LIEN_LIKELY(finite)) return;
  for (Index i = 0; i < X.rows(); ++i) {
    const double* r = X.row(i);
    for (Index j = 0; j < X.cols(); ++j) {
      const double v = r[j * X.col_stride()];
      if (LIEN_UNLIKELY(!std::isfinite(v)))
        throw InvalidArgument(std::string(what) + ": value at row " + std::to_string(i) + ", " +
                              column_label(j, names) + " is " + nonfinite_word(v));
    }
  }
}

inline void require_finite(const VectorRef& v, const char* what) {
  for (Index i = 0; i < v.size(); ++i)
    if (LIEN_UNLIKELY(!std::isfinite(v[i])))
      throw InvalidArgument(std::string(what) + ": value at row " + std::to_string(i) + " is " + nonfinite_word(v[i]));
}

inline void require_rows(Index got, Index expected, const char* what, const char* reference) {
  if (got != expected)
    throw InvalidArgument(std::string(what) + " has " + std::to_string(got) + " rows but " + reference + " has " +
                          std::to_string(expected));
}

/// Labels must be exactly 0 or 1.
inline void require_binary(const VectorRef& y, const char* what) {
  for (Index i = 0; i < y.size(); ++i)
    if (LIEN_UNLIKELY(!(y[i] == 0.0 || y[i] == 1.0)))
      throw InvalidArgument(std::string(what) + ": value at row " + std::to_string(i) + " is " + format_value(y[i]) +
                            ", expected 0 or 1");
}

/// Probabilities must lie in [0, 1].
inline void require_probabilities(const VectorRef& p, const char* what) {
  for (Index i = 0; i < p.size(); ++i)
    if (LIEN_UNLIKELY(!(p[i] >= 0.0 && p[i] <= 1.0)))
      throw InvalidArgument(std::string(what) + ": value at row " + std::to_string(i) + " is " + format_value(p[i]) +
                            ", expected a probability in [0, 1]");
}

/// Optional sample weights: empty, or one finite non-negative weight per row with a positive total.
/// Returns the total (n when empty).
inline double check_weights(const VectorRef& w, Index n, const char* what = "sample weights") {
  if (w.size() == 0) return static_cast<double>(n);
  require_rows(w.size(), n, what, "the data");
  double total = 0.0;
  for (Index i = 0; i < w.size(); ++i) {
    const double v = w[i];
    if (LIEN_UNLIKELY(!std::isfinite(v) || v < 0.0))
      throw InvalidArgument(std::string(what) + ": value at row " + std::to_string(i) + " is " + format_value(v) +
                            ", expected a finite weight >= 0");
    total += v;
  }
  if (!(total > 0.0)) throw InvalidArgument(std::string(what) + ": all weights are zero");
  return total;
}

/// Both classes must be present among rows of positive weight.
inline void require_both_classes(const VectorRef& y, const VectorRef& w, const char* what) {
  bool has0 = false, has1 = false;
  for (Index i = 0; i < y.size() && !(has0 && has1); ++i) {
    if (w.size() != 0 && w[i] == 0.0) continue;
    (y[i] > 0.5 ? has1 : has0) = true;
  }
  if (!(has0 && has1))
    throw InvalidArgument(std::string(what) + ": only one class (" + (has1 ? "1" : "0") +
                          ") among rows with positive weight; both 0 and 1 are needed");
}

}  // namespace detail
LIEN_END_NAMESPACE
