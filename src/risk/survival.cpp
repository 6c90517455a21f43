// src/risk/survival.cpp — the discrete-time hazard model: checks of the person-period rows, baseline bins,
// then the shared Newton solver with one intercept per bin.
#include "lien/risk/survival.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "lien/core/error.hpp"
#include "lien/risk/detail/checks.hpp"
#include "logit_solver.hpp"

LIEN_BEGIN_NAMESPACE
namespace {

const char* const kFit = "DiscreteTimeSurvival::fit";

std::string at_row(Index i) { return "row " + std::to_string(i); }

void check_bin_starts(const std::vector<std::int32_t>& starts, const char* where) {
  if (starts.empty()) throw InvalidArgument(std::string(where) + ": bin_starts is empty");
  if (starts.front() != 0)
    throw InvalidArgument(std::string(where) + ": bin_starts must begin at period 0, not " + std::to_string(starts.front()));
  for (std::size_t k = 1; k < starts.size(); ++k)
    if (!(starts[k] > starts[k - 1]))
      throw InvalidArgument(std::string(where) + ": bin_starts must be strictly increasing (entry " + std::to_string(k) + ")");
}

/// Checks that each subject's periods are distinct and that an event is on its last period. Sorted input
/// (by subject, then period) is checked in one pass; anything else is sorted first.
void check_subjects(const IdVectorRef& subject, const IntVectorRef& period, const VectorRef& event) {
  const Index n = subject.size();
  const auto before = [&](Index a, Index b) {
    return subject[a] < subject[b] || (subject[a] == subject[b] && period[a] < period[b]);
  };
  bool sorted = true;
  for (Index i = 1; i < n && sorted; ++i) sorted = before(i - 1, i);
  std::vector<Index> order;
  if (!sorted) {
    order.resize(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Index{0});
    std::stable_sort(order.begin(), order.end(), before);
  }
  const auto row = [&](Index k) { return sorted ? k : order[static_cast<std::size_t>(k)]; };
  for (Index k = 0; k + 1 < n; ++k) {
    const Index a = row(k), b = row(k + 1);
    if (subject[a] != subject[b]) continue;
    if (period[a] == period[b])
      throw InvalidArgument(std::string(kFit) + ": subject " + std::to_string(subject[a]) + " has period " +
                            std::to_string(period[a]) + " twice (" + at_row(std::min(a, b)) + " and " +
                            at_row(std::max(a, b)) + ")");
    if (event[a] > 0.5)
      throw InvalidArgument(std::string(kFit) + ": subject " + std::to_string(subject[a]) + " has its event at period " +
                            std::to_string(period[a]) + " (" + at_row(a) + ") but a later period " +
                            std::to_string(period[b]) + " (" + at_row(b) + ")");
  }
}

}  // namespace

DiscreteTimeSurvival& DiscreteTimeSurvival::fit(const IdVectorRef& subject, const IntVectorRef& period, MatrixView X,
                                                const VectorRef& event, const VectorRef& w, const ColumnNames& names) {
  detail::check_l2(options_.l2, kFit);
  detail::check_solver_options(options_.solver, kFit);
  if (options_.bin_starts.empty() && options_.min_bin_events < 1)
    throw InvalidArgument(std::string(kFit) + ": min_bin_events must be at least 1, got " +
                          std::to_string(options_.min_bin_events));
  if (!options_.bin_starts.empty()) check_bin_starts(options_.bin_starts, kFit);
  const Index n = X.rows();
  if (n == 0) throw InvalidArgument(std::string(kFit) + ": no rows");
  detail::require_rows(subject.size(), n, "DiscreteTimeSurvival::fit: subjects", "the covariate matrix");
  detail::require_rows(period.size(), n, "DiscreteTimeSurvival::fit: periods", "the covariate matrix");
  detail::require_rows(event.size(), n, "DiscreteTimeSurvival::fit: events", "the covariate matrix");
  detail::require_binary(event, "DiscreteTimeSurvival::fit: events");
  detail::check_weights(w, n, "DiscreteTimeSurvival::fit: sample weights");
  std::int32_t tmax = 0;
  for (Index i = 0; i < n; ++i) {
    if (period[i] < 0)
      throw InvalidArgument(std::string(kFit) + ": period at " + at_row(i) + " (subject " + std::to_string(subject[i]) +
                            ") is " + std::to_string(period[i]) + ", expected >= 0");
    tmax = std::max(tmax, period[i]);
  }
  check_subjects(subject, period, event);

  // Events and non-events per period, over rows of positive weight.
  std::vector<std::int64_t> ev(static_cast<std::size_t>(tmax) + 1, 0), ne(ev.size(), 0);
  for (Index i = 0; i < n; ++i) {
    if (w.size() && w[i] == 0.0) continue;
    ++(event[i] > 0.5 ? ev : ne)[static_cast<std::size_t>(period[i])];
  }
  const std::int64_t total_ev = std::accumulate(ev.begin(), ev.end(), std::int64_t{0});
  const std::int64_t total_ne = std::accumulate(ne.begin(), ne.end(), std::int64_t{0});
  if (total_ev == 0) throw InvalidArgument(std::string(kFit) + ": no event among rows with positive weight");
  if (total_ne == 0) throw InvalidArgument(std::string(kFit) + ": every row with positive weight has an event");

  std::vector<std::int32_t> starts;
  if (!options_.bin_starts.empty()) {
    starts = options_.bin_starts;
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const std::int32_t lo = starts[k];
      const std::int32_t hi = k + 1 < starts.size() ? starts[k + 1] : tmax + 1;
      std::int64_t e = 0, m = 0;
      for (std::int32_t t = lo; t < hi && t <= tmax; ++t) e += ev[static_cast<std::size_t>(t)], m += ne[static_cast<std::size_t>(t)];
      if (e == 0 || m == 0)
        throw InvalidArgument(std::string(kFit) + ": baseline bin starting at period " + std::to_string(lo) + " has " +
                              (e == 0 ? "no event" : "no row without an event") +
                              "; merge it with a neighbour (bin_starts)");
    }
  } else {
    const std::int64_t need = options_.min_bin_events;
    std::int64_t e = 0, m = 0;
    std::int32_t open = 0;
    for (std::int32_t t = 0; t <= tmax; ++t) {
      e += ev[static_cast<std::size_t>(t)], m += ne[static_cast<std::size_t>(t)];
      if (e >= need && m >= need) {
        starts.push_back(open);
        open = t + 1, e = 0, m = 0;
      }
    }
    if (starts.empty()) starts.push_back(0);  // too few events for two bins: one baseline
  }
  const auto K = static_cast<int>(starts.size());
  bin_starts_ = starts;
  std::vector<std::int32_t> bin_of_period(static_cast<std::size_t>(tmax) + 1);
  for (std::int32_t t = 0; t <= tmax; ++t) bin_of_period[static_cast<std::size_t>(t)] = static_cast<std::int32_t>(bin_of(t));
  IntVector bin(n);
  for (Index i = 0; i < n; ++i) bin[i] = bin_of_period[static_cast<std::size_t>(period[i])];

  detail::LogitProblem pb;
  pb.X = X;
  pb.y = event.data();
  pb.w = w.size() ? w.data() : nullptr;
  pb.group = bin.data();
  pb.groups = K;
  pb.l2 = options_.l2;
  const detail::LogitSolution sol = detail::solve_logit(pb, options_.solver);
  if (sol.nonfinite_at_start) detail::require_finite(X, "DiscreteTimeSurvival::fit: covariate matrix", names);
  report_ = sol.report;
  alpha_ = sol.theta.head(K);
  beta_ = sol.theta.tail(X.cols());
  return *this;
}

DiscreteTimeSurvival DiscreteTimeSurvival::from_parameters(std::vector<std::int32_t> bin_starts, Vector baseline,
                                                           Vector coefficients) {
  const char* where = "DiscreteTimeSurvival::from_parameters";
  check_bin_starts(bin_starts, where);
  if (baseline.size() != static_cast<Index>(bin_starts.size()))
    throw InvalidArgument(std::string(where) + ": " + std::to_string(bin_starts.size()) + " bins but " +
                          std::to_string(baseline.size()) + " baseline values");
  if (!baseline.allFinite() || !coefficients.allFinite())
    throw InvalidArgument(std::string(where) + ": parameters must be finite");
  DiscreteTimeSurvival m;
  m.bin_starts_ = std::move(bin_starts);
  m.alpha_ = std::move(baseline);
  m.beta_ = std::move(coefficients);
  m.report_.info = FitInfo::success;
  return m;
}

Vector DiscreteTimeSurvival::hazards(const IntVectorRef& period, MatrixView X) const {
  if (X.cols() != beta_.size())
    throw InvalidArgument("DiscreteTimeSurvival::hazards: the matrix has " + std::to_string(X.cols()) +
                          " columns, the model has " + std::to_string(beta_.size()) + " coefficients");
  detail::require_rows(period.size(), X.rows(), "DiscreteTimeSurvival::hazards: periods", "the covariate matrix");
  Vector h(X.rows());
  for (Index i = 0; i < X.rows(); ++i) {
    if (period[i] < 0)
      throw InvalidArgument("DiscreteTimeSurvival::hazards: period at " + at_row(i) + " is negative");
    h[i] = hazard(period[i], X.row(i), X.col_stride());
  }
  return h;
}

SurvivalCurve DiscreteTimeSurvival::curve(std::int32_t first, MatrixView path) const {
  if (first < 0) throw InvalidArgument("DiscreteTimeSurvival::curve: first period is negative");
  if (path.cols() != beta_.size())
    throw InvalidArgument("DiscreteTimeSurvival::curve: the path has " + std::to_string(path.cols()) +
                          " columns, the model has " + std::to_string(beta_.size()) + " coefficients");
  SurvivalCurve c;
  c.first_period = first;
  c.hazard.resize(path.rows());
  c.survival.resize(path.rows());
  double s = 1.0;
  for (Index k = 0; k < path.rows(); ++k) {
    const double h = hazard(first + static_cast<std::int32_t>(k), path.row(k), path.col_stride());
    s *= 1.0 - h;
    c.hazard[k] = h;
    c.survival[k] = s;
  }
  return c;
}

SurvivalCurve DiscreteTimeSurvival::curve(std::int32_t first, const VectorRef& x, Index periods) const {
  if (periods < 0) throw InvalidArgument("DiscreteTimeSurvival::curve: negative number of periods");
  if (x.size() != beta_.size())
    throw InvalidArgument("DiscreteTimeSurvival::curve: " + std::to_string(x.size()) + " covariates, the model has " +
                          std::to_string(beta_.size()) + " coefficients");
  // The same row repeated: a view with row stride 0.
  return curve(first, MatrixView(x.data(), periods, x.size(), 0, 1));
}

LIEN_END_NAMESPACE
