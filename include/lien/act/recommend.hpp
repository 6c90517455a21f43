// lien/act/recommend.hpp — running the playbook: risk scores and learner signals in, actions out, each with a
// person to do it (resolved in the stakeholder graph, with fallbacks), a reason in English and French, a due
// day and a target.
//
// Signals come from lien/graph (learner_signals over the peer graph of the learner's path instance, the last
// `signal_window_days` up to the date), from the learner's progress (competency scores, the plan's next
// session and community event) and from the risk score. Buddies are named by lien/graph's match_buddies,
// solved once per path instance for every learner the playbook wants paired.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "lien/act/action.hpp"
#include "lien/act/playbook.hpp"
#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/risk/score.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;

/// The signals of one enrolment at a date. `known[s]` is false when the signal has no value (no competency
/// scored, no session ahead, learner not in the peer graph): conditions on an unknown signal never hold.
struct SignalValues {
  std::array<double, kSignalCount> value{};
  std::array<bool, kSignalCount> known{};
  CompetencyId weakest_competency = kNoId;
  StepId next_session = kNoId;
  Day next_session_day = kNoDay;
  StepId next_community_event = kNoId;
  Day next_community_event_day = kNoDay;

  bool has(Signal s) const noexcept { return known[static_cast<std::size_t>(s)]; }
  double operator[](Signal s) const noexcept { return value[static_cast<std::size_t>(s)]; }
};

/// Signals of each scored enrolment (same order as `scores`), as recommend() computes them.
std::vector<SignalValues> signal_values(const Cohort& cohort, const PlaybookSettings& settings,
                                        Span<RiskScore> scores, Time date);

/// The outcome of resolving a role for an enrolment.
struct Resolution {
  Performer role = Performer::nobody;  ///< the role found (nobody when every fallback was empty)
  PersonId person = kNoId;
  std::vector<Performer> tried;        ///< roles tried and found empty, in order
};

/// People who hold `role` for enrolment e at `date`, best first (docs/actions.md, "Who"): managers, tutors and
/// trainers from the cohort (Cohort::managers, tutors, trainers); hr, training_org and community_manager by
/// role: people linked to the learner first, then two links away, then of the same organisation, then (for
/// community_manager only) anyone in that role. The learner for `learner`; `buddy` for buddy.
std::vector<PersonId> people_for(const Cohort& cohort, EnrolmentId e, Performer role, Time date,
                                 PersonId buddy = kNoId);

/// Follows the fallback chain from `role` until someone is found (fallback_of in action.hpp).
Resolution resolve_performer(const Cohort& cohort, EnrolmentId e, Performer role, Time date, PersonId buddy = kNoId);

/// Runs the playbook for every score whose enrolment is active at `date` (started, not completed or
/// withdrawn at date; others are skipped). Actions come out by enrolment id, then priority (highest first),
/// then playbook order. Throws InvalidArgument for a score naming an unknown enrolment, or two scores for the
/// same enrolment.
std::vector<Action> recommend(const Cohort& cohort, const Playbook& playbook, Span<RiskScore> scores, Time date);

LIEN_END_NAMESPACE
