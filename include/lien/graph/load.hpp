// lien/graph/load.hpp — stakeholder load: how many at-risk learners each tutor, manager and trainer carries.
//
// The risk model gives each enrolment a band; this counts, for every stakeholder, the distinct learners with
// an active enrolment at `as_of` who are attached to them (managers through reports_to, tutors and trainers
// through the learner or the path instance) and how many of those are at risk. A tutor with twelve at-risk
// learners cannot call them all this week: the action queue reads this to spread the work.
#pragma once

#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;

struct StakeholderLoad {
  PersonId person = kNoId;
  std::uint32_t learners = 0;  ///< distinct learners with an active enrolment attached to this person
  std::uint32_t at_risk = 0;   ///< of those, learners with at least one at-risk active enrolment
};

/// Per stakeholder kind, sorted by at_risk (desc), then learners (desc), then PersonId.
struct LoadReport {
  std::vector<StakeholderLoad> managers;
  std::vector<StakeholderLoad> tutors;
  std::vector<StakeholderLoad> trainers;
};

/// `band[e]` is enrolment e's risk band (indexed by EnrolmentId, higher is riskier); bands >= `at_risk_from`
/// are at risk. Only enrolments active at `as_of` count. Throws InvalidArgument when `band` does not have
/// one entry per enrolment.
LoadReport stakeholder_load(const Cohort& cohort, Span<std::uint8_t> band, std::uint8_t at_risk_from, Time as_of);

LIEN_END_NAMESPACE
