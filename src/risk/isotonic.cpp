// src/risk/isotonic.cpp — isotonic calibration: merge tied scores, pool adjacent violators, trim flat runs.
#include "lien/risk/isotonic.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "lien/core/error.hpp"
#include "lien/risk/detail/checks.hpp"

LIEN_BEGIN_NAMESPACE

IsotonicCalibrator& IsotonicCalibrator::fit(const VectorRef& s, const VectorRef& y, const VectorRef& w) {
  const char* where = "IsotonicCalibrator::fit";
  const Index n = s.size();
  if (n == 0) throw InvalidArgument(std::string(where) + ": no rows");
  detail::require_rows(y.size(), n, "IsotonicCalibrator::fit: targets", "the scores");
  detail::require_finite(s, "IsotonicCalibrator::fit: scores");
  detail::require_probabilities(y, "IsotonicCalibrator::fit: targets");
  detail::check_weights(w, n, "IsotonicCalibrator::fit: sample weights");

  std::vector<Index> order;
  order.reserve(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i)
    if (w.size() == 0 || w[i] > 0.0) order.push_back(i);
  // By score, then target (scikit-learn's lexsort); the index last makes the order total and deterministic.
  std::sort(order.begin(), order.end(), [&](Index a, Index b) {
    if (s[a] != s[b]) return s[a] < s[b];
    if (y[a] != y[b]) return y[a] < y[b];
    return a < b;
  });
  {
    double lo = y[order.front()], hi = lo;
    for (Index i : order) lo = std::min(lo, y[i]), hi = std::max(hi, y[i]);
    if (lo == hi)
      throw InvalidArgument(std::string(where) + ": every target equals " + detail::format_value(lo) +
                            " among rows with positive weight; nothing to calibrate");
  }
  // Tied scores become one point: weighted mean target, summed weight.
  std::vector<double> ux, uy, uw;
  for (std::size_t k = 0; k < order.size();) {
    const double x = s[order[k]];
    double sw = 0.0, swy = 0.0;
    for (; k < order.size() && s[order[k]] == x; ++k) {
      const double wi = w.size() ? w[order[k]] : 1.0;
      sw += wi;
      swy += wi * y[order[k]];
    }
    ux.push_back(x);
    uy.push_back(swy / sw);
    uw.push_back(sw);
  }
  // Pool adjacent violators: a stack of blocks, merged while the previous mean is >= the current one.
  struct Block {
    double sw, swy;
    std::size_t end;  // one past the last point
  };
  std::vector<Block> stack;
  for (std::size_t k = 0; k < ux.size(); ++k) {
    Block b{uw[k], uw[k] * uy[k], k + 1};
    while (!stack.empty() && stack.back().swy / stack.back().sw >= b.swy / b.sw) {
      b.sw += stack.back().sw;
      b.swy += stack.back().swy;
      stack.pop_back();
    }
    stack.push_back(b);
  }
  std::vector<double> fy(ux.size());
  std::size_t start = 0;
  for (const Block& b : stack) {
    const double v = b.swy / b.sw;
    for (std::size_t k = start; k < b.end; ++k) fy[k] = v;
    start = b.end;
  }
  // Keep the ends, and every point whose value differs from a neighbour's.
  x_.clear();
  y_.clear();
  for (std::size_t k = 0; k < ux.size(); ++k) {
    const bool keep = k == 0 || k + 1 == ux.size() || fy[k] != fy[k - 1] || fy[k] != fy[k + 1];
    if (keep) x_.push_back(ux[k]), y_.push_back(fy[k]);
  }
  return *this;
}

IsotonicCalibrator IsotonicCalibrator::from_breakpoints(std::vector<double> x, std::vector<double> y) {
  const char* where = "IsotonicCalibrator::from_breakpoints";
  if (x.empty() || x.size() != y.size())
    throw InvalidArgument(std::string(where) + ": expected the same non-zero number of x and y, got " +
                          std::to_string(x.size()) + " and " + std::to_string(y.size()));
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k]))
      throw InvalidArgument(std::string(where) + ": breakpoint " + std::to_string(k) + " is not finite");
    if (k > 0 && !(x[k] > x[k - 1]))
      throw InvalidArgument(std::string(where) + ": x must be strictly increasing (breakpoint " + std::to_string(k) + ")");
    if (k > 0 && y[k] < y[k - 1])
      throw InvalidArgument(std::string(where) + ": y must be non-decreasing (breakpoint " + std::to_string(k) + ")");
  }
  IsotonicCalibrator c;
  c.x_ = std::move(x);
  c.y_ = std::move(y);
  return c;
}

double IsotonicCalibrator::predict(double s) const noexcept {
  const std::size_t n = x_.size();
  if (n == 0) return std::nan("");
  if (!(s > x_.front())) return s == s ? y_.front() : s;
  if (!(s < x_.back())) return y_.back();
  // First breakpoint >= s (scipy's interp1d pairs it with the one before).
  const std::size_t hi = static_cast<std::size_t>(std::lower_bound(x_.begin(), x_.end(), s) - x_.begin());
  const std::size_t lo = hi - 1;
  const double slope = (y_[hi] - y_[lo]) / (x_[hi] - x_[lo]);
  return slope * (s - x_[lo]) + y_[lo];
}

Vector IsotonicCalibrator::predict(const VectorRef& s) const {
  Vector out(s.size());
  for (Index i = 0; i < s.size(); ++i) out[i] = predict(s[i]);
  return out;
}

LIEN_END_NAMESPACE
