// src/risk/concordance.cpp — Harrell's C-index in O(n log n), as lifelines counts it.
#include "lien/risk/concordance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "lien/core/error.hpp"
#include "lien/risk/detail/checks.hpp"

LIEN_BEGIN_NAMESPACE

double ConcordanceCounts::index() const noexcept {
  if (pairs == 0) return std::numeric_limits<double>::quiet_NaN();
  return (static_cast<double>(concordant) + 0.5 * static_cast<double>(tied)) / static_cast<double>(pairs);
}

namespace {

/// Counts of inserted values over a fixed sorted universe: how many are < v, how many == v.
class Fenwick {
 public:
  explicit Fenwick(std::vector<double> universe) : u_(std::move(universe)), t_(u_.size() + 1, 0) {}
  void insert(double v) {
    for (std::size_t i = index(v) + 1; i < t_.size(); i += i & (~i + 1)) ++t_[i];
    ++size_;
  }
  std::int64_t less(double v) const { return prefix(static_cast<std::size_t>(std::lower_bound(u_.begin(), u_.end(), v) - u_.begin())); }
  std::int64_t equal(double v) const {
    const auto it = std::lower_bound(u_.begin(), u_.end(), v);
    if (it == u_.end() || *it != v) return 0;
    const std::size_t k = static_cast<std::size_t>(it - u_.begin());
    return prefix(k + 1) - prefix(k);
  }
  std::int64_t size() const { return size_; }

 private:
  std::size_t index(double v) const { return static_cast<std::size_t>(std::lower_bound(u_.begin(), u_.end(), v) - u_.begin()); }
  std::int64_t prefix(std::size_t k) const {  // values at universe positions < k
    std::int64_t s = 0;
    for (std::size_t i = k; i > 0; i -= i & (~i + 1)) s += t_[i];
    return s;
  }
  std::vector<double> u_;
  std::vector<std::int64_t> t_;
  std::int64_t size_ = 0;
};

void check_events(const VectorRef& e, const char* what) { detail::require_binary(e, what); }

}  // namespace

ConcordanceCounts concordance_counts(const VectorRef& time, const VectorRef& score, const VectorRef& event) {
  const Index n = time.size();
  detail::require_rows(score.size(), n, "concordance_index: scores", "the times");
  detail::require_rows(event.size(), n, "concordance_index: events", "the times");
  detail::require_finite(time, "concordance_index: times");
  detail::require_finite(score, "concordance_index: scores");
  check_events(event, "concordance_index: events");

  std::vector<Index> died, censored;
  for (Index i = 0; i < n; ++i) (event[i] > 0.5 ? died : censored).push_back(i);
  const auto by_time = [&](Index a, Index b) { return time[a] < time[b] || (time[a] == time[b] && a < b); };
  std::sort(died.begin(), died.end(), by_time);
  std::sort(censored.begin(), censored.end(), by_time);
  std::vector<double> universe;
  universe.reserve(died.size());
  for (Index i : died) universe.push_back(score[i]);
  std::sort(universe.begin(), universe.end());
  universe.erase(std::unique(universe.begin(), universe.end()), universe.end());
  Fenwick pool(std::move(universe));

  // Exits in time order; events at a time enter the pool after their batch, so that two events at the same
  // time are not compared, while a censoring at that time is compared with them (lifelines' rule).
  ConcordanceCounts c;
  std::size_t di = 0, ci = 0;
  const auto handle = [&](const std::vector<Index>& v, std::size_t first) {
    std::size_t next = first;
    while (next < v.size() && time[v[next]] == time[v[first]]) ++next;
    c.pairs += pool.size() * static_cast<std::int64_t>(next - first);
    for (std::size_t k = first; k < next; ++k) {
      c.concordant += pool.less(score[v[k]]);
      c.tied += pool.equal(score[v[k]]);
    }
    return next;
  };
  for (;;) {
    const bool more_c = ci < censored.size(), more_d = di < died.size();
    if (more_c && (!more_d || time[died[di]] > time[censored[ci]])) {
      ci = handle(censored, ci);
    } else if (more_d) {
      const std::size_t next = handle(died, di);
      for (std::size_t k = di; k < next; ++k) pool.insert(score[died[k]]);
      di = next;
    } else {
      break;
    }
  }
  return c;
}

double concordance_index(const VectorRef& time, const VectorRef& score, const VectorRef& event) {
  const ConcordanceCounts c = concordance_counts(time, score, event);
  if (c.pairs == 0) throw InvalidArgument("concordance_index: no admissible pairs (no event before another exit)");
  return c.index();
}

ConcordanceCounts time_varying_concordance_counts(const IntVectorRef& period, const VectorRef& risk,
                                                  const VectorRef& event) {
  const Index n = period.size();
  detail::require_rows(risk.size(), n, "time_varying_concordance: risks", "the periods");
  detail::require_rows(event.size(), n, "time_varying_concordance: events", "the periods");
  detail::require_finite(risk, "time_varying_concordance: risks");
  check_events(event, "time_varying_concordance: events");
  std::int32_t tmax = -1;
  for (Index i = 0; i < n; ++i) {
    if (period[i] < 0)
      throw InvalidArgument("time_varying_concordance: period at row " + std::to_string(i) + " is negative");
    tmax = std::max(tmax, period[i]);
  }
  // Rows grouped by period (counting sort), then per period: sorted non-event risks, binary search per event.
  std::vector<Index> start(static_cast<std::size_t>(tmax) + 2, 0);
  for (Index i = 0; i < n; ++i) ++start[static_cast<std::size_t>(period[i]) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<Index> rows(static_cast<std::size_t>(n));
  {
    std::vector<Index> fill(start.begin(), start.end() - 1);
    for (Index i = 0; i < n; ++i) rows[static_cast<std::size_t>(fill[static_cast<std::size_t>(period[i])]++)] = i;
  }
  ConcordanceCounts c;
  std::vector<double> alive;
  for (std::int32_t t = 0; t <= tmax; ++t) {
    alive.clear();
    const auto b = static_cast<std::size_t>(start[static_cast<std::size_t>(t)]);
    const auto e = static_cast<std::size_t>(start[static_cast<std::size_t>(t) + 1]);
    for (std::size_t k = b; k < e; ++k)
      if (!(event[rows[k]] > 0.5)) alive.push_back(risk[rows[k]]);
    std::sort(alive.begin(), alive.end());
    for (std::size_t k = b; k < e; ++k) {
      if (!(event[rows[k]] > 0.5)) continue;
      const double r = risk[rows[k]];
      const auto lo = std::lower_bound(alive.begin(), alive.end(), r);
      const auto hi = std::upper_bound(lo, alive.end(), r);
      c.concordant += lo - alive.begin();
      c.tied += hi - lo;
      c.pairs += static_cast<std::int64_t>(alive.size());
    }
  }
  return c;
}

double time_varying_concordance(const IntVectorRef& period, const VectorRef& risk, const VectorRef& event) {
  const ConcordanceCounts c = time_varying_concordance_counts(period, risk, event);
  if (c.pairs == 0)
    throw InvalidArgument("time_varying_concordance: no admissible pairs (no event with another row at risk)");
  return c.index();
}

LIEN_END_NAMESPACE
