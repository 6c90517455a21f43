// lien/model/enrolment.hpp — a learner on an instance of a path, and how it ended.
#pragma once

#include <string>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

struct Enrolment {
  std::string id;
  LearnerId learner = kNoId;
  PathId path = kNoId;
  InstanceId instance = kNoId;  ///< the group / session of the path (its peers); the path id when not given
  Time start = kNoTime;         ///< instant the enrolment starts (day 0 of relative step windows)
  Time planned_end = kNoTime;   ///< when the path is planned to end for this enrolment (kNoTime if open-ended)
  Outcome outcome = Outcome::active;
  Time outcome_time = kNoTime;  ///< when it was completed or withdrawn (kNoTime while active)
  std::int32_t prior_attempts = -1;  ///< declared earlier attempts at the same course; -1 when unknown

  /// The outcome as it was known at instant `t` (an enrolment withdrawn later was still active at t).
  Outcome outcome_at(Time t) const noexcept {
    return (outcome != Outcome::active && outcome_time != kNoTime && outcome_time <= t) ? outcome : Outcome::active;
  }
};

LIEN_END_NAMESPACE
