// lien/risk/explain.hpp — per-row explanations of a linear logit model: signed contributions beta_j z_j,
// ranked by size, that add up with the intercept to the model's logit.
//
// The logit is formed here exactly as LogisticRegression::decision() forms it (intercept, then each
// contribution in column order), so intercept + sum of contributions == logit holds bit for bit, and the
// ranking (|contribution| descending, column index ascending on ties) is deterministic. The feature layer adds
// ids and sentences; this layer only knows column indices. explain() into a reused Explanation allocates
// nothing once its vector has grown to the model's width: the scoring path.
#pragma once

#include <algorithm>
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
    const std::size_t k = top == 0 || top > width ? width : top;
    out.drivers.resize(k);
    if (k <= kSelectMax && p <= kSelectWidth) {
      select(z, stride, k, out);
      return;
    }
    double s = intercept_;
    // Ranking by insertion: columns arrive in index order and only move past strictly smaller sizes, so ties
    // keep the lower column first. With k < p most columns are rejected by one comparison.
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
  static constexpr std::size_t kSelectMax = 8;      // up to this many drivers: selection instead of insertion
  static constexpr Index kSelectWidth = 256;        // ... on rows of at most this many features

  /// The few largest drivers by k selection passes, each in four independent branch-free lanes (lane l scans
  /// columns l, l + 4, ...), merged with the same rule as the insertion: larger |value| first, the lower column
  /// on ties. Insertion mispredicts a branch on most columns that enter the top k; this does not branch on data.
  void select(const double* z, Index stride, std::size_t k, Explanation& out) const {
    const Index p = beta_.size();
    double c[kSelectWidth + 4], key[kSelectWidth + 4];
    double s = intercept_;
    for (Index j = 0; j < p; ++j) {
      c[j] = beta_[j] * z[j * stride];
      s += c[j];
      key[j] = std::abs(c[j]);
    }
    for (Index j = p; j < p + 4; ++j) key[j] = -2.0, c[j] = 0.0;  // padding: never chosen
    for (std::size_t r = 0; r < k; ++r) {
      double b0 = -1.0, b1 = -1.0, b2 = -1.0, b3 = -1.0;
      Index a0 = 0, a1 = 1, a2 = 2, a3 = 3;
      for (Index j = 0; j < p; j += 4) {
        const double k0 = key[j], k1 = key[j + 1], k2 = key[j + 2], k3 = key[j + 3];
        a0 += (j - a0) & -static_cast<Index>(k0 > b0);
        b0 = std::max(k0, b0);
        a1 += (j + 1 - a1) & -static_cast<Index>(k1 > b1);
        b1 = std::max(k1, b1);
        a2 += (j + 2 - a2) & -static_cast<Index>(k2 > b2);
        b2 = std::max(k2, b2);
        a3 += (j + 3 - a3) & -static_cast<Index>(k3 > b3);
        b3 = std::max(k3, b3);
      }
      const auto merge = [](double& bx, Index& ax, double by, Index ay) {
        const Index take = static_cast<Index>(by > bx) | (static_cast<Index>(by == bx) & static_cast<Index>(ay < ax));
        ax += (ay - ax) & -take;
        bx = std::max(bx, by);
      };
      merge(b0, a0, b1, a1);
      merge(b2, a2, b3, a3);
      merge(b0, a0, b2, a2);
      out.drivers[r] = Contribution{static_cast<std::int32_t>(a0), c[a0]};
      key[a0] = -1.0;  // taken: below every |value|, above the padding
    }
    out.logit = s;
  }

  double intercept_ = 0.0;
  Vector beta_;
};

LIEN_END_NAMESPACE
