// lien/risk/concordance.hpp — Harrell's concordance index (C-index) for survival predictions.
//
// concordance_index() is lifelines.utils.concordance_index, ties and all: a pair is admissible when the
// subject with the earlier time had the event (times equal: when exactly one of the two had it, that one
// counts as earlier); it is concordant when the earlier subject has the *lower* score (scores are predicted
// survival times: pass -risk for risks), and a tie in scores counts one half. O(n log n).
//
// time_varying_concordance() is the same count for person-period data with risks that change over time: at
// each period t, every row with an event at t is paired with every row at risk at t without an event, and the
// pair is concordant when the event row has the *higher* risk. With covariates that do not change and every
// subject followed from period 0, it equals concordance_index(exit period, -risk, event).
#pragma once

#include <cstdint>

#include "lien/core/config.hpp"
#include "lien/risk/types.hpp"

LIEN_BEGIN_NAMESPACE

struct ConcordanceCounts {
  std::int64_t concordant = 0;
  std::int64_t tied = 0;   ///< admissible pairs with equal scores
  std::int64_t pairs = 0;  ///< admissible pairs
  /// (concordant + tied / 2) / pairs; NaN when there is no admissible pair.
  double index() const noexcept;
};

/// Throws InvalidArgument for mismatched sizes, NaN, events other than 0/1.
ConcordanceCounts concordance_counts(const VectorRef& time, const VectorRef& score, const VectorRef& event);
/// As lifelines: throws InvalidArgument when there is no admissible pair.
double concordance_index(const VectorRef& time, const VectorRef& score, const VectorRef& event);

/// Person-period rows: period (>= 0), risk score of that row, event flag of that row.
ConcordanceCounts time_varying_concordance_counts(const IntVectorRef& period, const VectorRef& risk,
                                                  const VectorRef& event);
double time_varying_concordance(const IntVectorRef& period, const VectorRef& risk, const VectorRef& event);

LIEN_END_NAMESPACE
