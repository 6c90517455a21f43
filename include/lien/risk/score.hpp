// lien/risk/score.hpp — what the risk model says about one enrolment at one instant: a calibrated probability,
// a band, the drivers that explain it, and the survival model's view of when.
//
// These types are the contract between the risk model (which fills them), the playbook and action queue,
// reviews and reports (which read them), and the C and Python faces (which expose them field by field).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"
#include "lien/risk/bands.hpp"

LIEN_BEGIN_NAMESPACE

/// A named, signed contribution to a risk: the feature, the learner's own value of it, and how much it moved
/// the logit. The contributions of all features plus the model's intercept add up to RiskScore::logit.
struct Driver {
  std::string feature;        ///< the feature id (a built-in id of lien/features/registry.hpp, or a custom one)
  double value = 0;           ///< the learner's value of the feature at as_of (its unit is the feature's)
  double contribution = 0;    ///< signed contribution to the logit: > 0 raises the risk
  std::uint32_t rank = 0;     ///< 1 = largest |contribution| among the enrolment's drivers
  std::string sentence;       ///< the value as a sentence ("no activity for 12 working days"); empty unless asked
};

struct RiskScore {
  EnrolmentId enrolment = kNoId;
  Time as_of = kNoTime;
  double logit = 0;        ///< intercept + sum of every feature's contribution (before calibration)
  double probability = 0;  ///< calibrated probability of withdrawing within the model's horizon
  Band band = Band::low;
  std::vector<Driver> drivers;  ///< ranked by |contribution|, largest first (the top k asked for)
  /// Survival model: probability of withdrawing within each horizon asked for (same order), and by the
  /// enrolment's planned end (0 once the planned end has passed; NaN when the enrolment has no planned end or
  /// the model has no survival part, in which case withdraw_within is empty).
  std::vector<double> withdraw_within;
  double withdraw_by_end = 0;
};

LIEN_END_NAMESPACE
