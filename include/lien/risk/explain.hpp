// lien/risk/explain.hpp — per-row explanations of a linear logit model: signed contributions beta_j z_j,
// ranked by size, that add up with the intercept to the model's logit.
//
// The logit is formed here exactly as LogisticRegression::decision() forms it (intercept, then each
// contribution in column order), so intercept + sum of contributions == logit holds bit for bit, and the
// ranking (|contribution| descending, column index ascending on ties) is deterministic. The feature layer adds
// ids and sentences; this layer only knows column indices. explain() into a reused Explanation allocates
// nothing once its vector has grown to the model's width: the scoring path.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/error.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

/// One driver of a score: feature column and its contribution to the logit (beta_j z_j).
struct Contribution {
  std::int32_t feature = 0;
  double value = 0.0;
};

struct Explanation {
  double intercept = 0.0;
  double logit = 0.0;                ///< intercept + every contribution, added in column order
  std::vector<Contribution> drivers; ///< ranked by |value| (ties: lower column first); the top k when k > 0
};

class Explainer {
 public:
  Explainer() = default;
  /// Throws InvalidArgument for a non-finite parameter.
  Explainer(double intercept, Vector coefficients) : intercept_(intercept), beta_(std::move(coefficients)) {
    if (!std::isfinite(intercept_)) throw InvalidArgument("Explainer: intercept is not finite");
    for (Index j = 0; j < beta_.size(); ++j)
      if (!std::isfinite(beta_[j])) throw InvalidArgument("Explainer: coefficient " + std::to_string(j) + " is not finite");
  }

  Index features() const noexcept { return beta_.size(); }

  /// Explains standardised row z (z[j * stride]); keeps the `top` largest drivers (0 = all), into `out`.
  void explain(const double* z, Index stride, std::size_t top, Explanation& out) const {
    const Index p = beta_.size();
    const auto width = static_cast<std::size_t>(p);
    out.intercept = intercept_;
    double s = intercept_;
    // Ranking by insertion: columns arrive in index order and only move past strictly smaller sizes, so ties
    // keep the lower column first. With k < p most columns are rejected by one comparison.
    const std::size_t k = top == 0 || top > width ? width : top;
    out.drivers.resize(k);
    Contribution* d = out.drivers.data();
    std::size_t kept = 0;
    for (Index j = 0; j < p; ++j) {
      const double c = beta_[j] * z[j * stride];
      s += c;
      const double a = std::abs(c);
      if (kept == k && !(a > std::abs(d[k - 1].value))) continue;
      std::size_t at = kept < k ? kept++ : k - 1;
      for (; at > 0 && a > std::abs(d[at - 1].value); --at) d[at] = d[at - 1];
      d[at] = Contribution{static_cast<std::int32_t>(j), c};
    }
    out.logit = s;
  }
  Explanation explain(const double* z, Index stride = 1, std::size_t top = 0) const {
    Explanation e;
    explain(z, stride, top, e);
    return e;
  }
  /// Row i of a standardised matrix. Throws InvalidArgument for a bad row or column count.
  Explanation explain(MatrixView Z, Index row, std::size_t top = 0) const {
    if (Z.cols() != beta_.size())
      throw InvalidArgument("Explainer: the matrix has " + std::to_string(Z.cols()) + " columns, the model has " +
                            std::to_string(beta_.size()) + " coefficients");
    if (row < 0 || row >= Z.rows())
      throw InvalidArgument("Explainer: row " + std::to_string(row) + " is outside 0.." + std::to_string(Z.rows() - 1));
    return explain(Z.row(row), Z.col_stride(), top);
  }

 private:
  double intercept_ = 0.0;
  Vector beta_;
};

LIEN_END_NAMESPACE
