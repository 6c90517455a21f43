// lien/risk/survival.hpp — discrete-time survival: a logistic hazard model fitted on person-period rows.
//
// Each row is one subject (an enrolment) during one period (a week, say): the covariates known at the start of
// that period and whether the event (withdrawal) happened in it. The hazard of period t is
//     h(t | x) = sigmoid(alpha_{bin(t)} + x' beta),
// one unpenalised baseline alpha per bin of periods plus covariate effects beta with an L2 penalty, fitted by
// the shared Newton solver on the person-period likelihood (the weighted mean log loss of the rows, as
// logistic regression). The survival curve over a covariate path is S(t) = prod_{s <= t} (1 - h(s)).
//
// Baseline bins (docs/models.md, "Survival"): by default one per period, except that consecutive periods are
// merged until every bin holds at least min_bin_events events and as many non-events (counted over rows of
// positive weight), which keeps every alpha finite; a remainder at the end joins the last bin. bin_starts sets
// them explicitly instead. Periods after the last one seen in training use the last bin's baseline.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/risk/link.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

struct SurvivalOptions {
  double l2 = 1e-4;                         ///< on beta only, on the mean-loss scale (as LogisticOptions::l2)
  int min_bin_events = 5;                   ///< automatic bins: events and non-events each bin needs (>= 1)
  std::vector<std::int32_t> bin_starts;     ///< explicit bins: first period of each, strictly increasing from 0
  SolverOptions solver;
};

/// Hazards and survival of one subject from a first period on.
struct SurvivalCurve {
  std::int32_t first_period = 0;
  Vector hazard;    ///< hazard[k]: period first_period + k
  Vector survival;  ///< survival[k] = prod_{s <= k} (1 - hazard[s]): no event by the end of that period

  Index periods() const noexcept { return hazard.size(); }
  /// P(event within the next `horizon` periods) = 1 - survival[horizon - 1]; 0 for horizon <= 0, and the
  /// whole curve's value when horizon goes past its end.
  double event_probability(Index horizon) const noexcept {
    if (horizon <= 0 || survival.size() == 0) return 0.0;
    return 1.0 - survival[std::min(horizon, survival.size()) - 1];
  }
  /// P(event before the end of the curve).
  double event_probability_by_end() const noexcept { return event_probability(survival.size()); }
};

class DiscreteTimeSurvival {
 public:
  DiscreteTimeSurvival() = default;
  explicit DiscreteTimeSurvival(const SurvivalOptions& options) : options_(options) {}

  /// Fits on person-period rows, in any order. Each subject's periods must be distinct, and its event (at most
  /// one) on its last period. Throws InvalidArgument, naming row and subject, for mismatched sizes, a negative
  /// period, a repeated period, an event flag other than 0/1, an event before the subject's last period, NaN in
  /// X, no event or no non-event at all, a bin without events or non-events (explicit bins), bad weights or
  /// options. Numerical trouble is reported by info().
  DiscreteTimeSurvival& fit(const IdVectorRef& subject, const IntVectorRef& period, MatrixView X, const VectorRef& event,
                            const VectorRef& sample_weight = Vector(), const ColumnNames& names = {});

  /// A model from stored parameters. Throws InvalidArgument for bad bins or non-finite values.
  static DiscreteTimeSurvival from_parameters(std::vector<std::int32_t> bin_starts, Vector baseline,
                                              Vector coefficients);

  FitInfo info() const noexcept { return report_.info; }
  const FitReport& report() const noexcept { return report_; }
  const SurvivalOptions& options() const noexcept { return options_; }
  const std::vector<std::int32_t>& bin_starts() const noexcept { return bin_starts_; }
  const Vector& baseline() const noexcept { return alpha_; }  ///< one logit per bin
  const Vector& coefficients() const noexcept { return beta_; }
  Index features() const noexcept { return beta_.size(); }

  /// The bin of a period (>= 0); periods past the last bin start fall in the last bin.
  Index bin_of(std::int32_t period) const noexcept {
    const auto it = std::upper_bound(bin_starts_.begin(), bin_starts_.end(), period);
    return it == bin_starts_.begin() ? 0 : static_cast<Index>(it - bin_starts_.begin()) - 1;
  }
  /// x' beta, summed in column order: the covariate part of every period's logit hazard.
  double linear_predictor(const double* x, Index stride = 1) const noexcept {
    double s = 0.0;
    for (Index j = 0; j < beta_.size(); ++j) s += beta_[j] * x[j * stride];
    return s;
  }
  double hazard(std::int32_t period, const double* x, Index stride = 1) const noexcept {
    return sigmoid(alpha_[bin_of(period)] + linear_predictor(x, stride));
  }
  /// Hazard of every row. Throws InvalidArgument for mismatched sizes or a negative period.
  Vector hazards(const IntVectorRef& period, MatrixView X) const;
  /// Curve over a covariate path: row k holds the covariates at the start of period first_period + k.
  SurvivalCurve curve(std::int32_t first_period, MatrixView path) const;
  /// Curve over `periods` periods with covariates held at x.
  SurvivalCurve curve(std::int32_t first_period, const VectorRef& x, Index periods) const;

 private:
  SurvivalOptions options_;
  std::vector<std::int32_t> bin_starts_;
  Vector alpha_, beta_;
  FitReport report_;
};

LIEN_END_NAMESPACE
