// lien/graph/learner_signals.hpp — what the graph says about each learner: ties to peers, isolation, distance
// to the core of the group, and how much their manager and tutor are in touch.
//
// These are the graph drivers of the risk model (`isolated_from_peers`, `manager_disengaged`...) and the
// facts a community manager reads before calling someone. Everything is read from the window of an
// InteractionGraph, except the "last contact" instants, which look back before the window (up to its end)
// so that a learner silent for the whole window still has a date.
#pragma once

#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/graph/interaction_graph.hpp"

LIEN_BEGIN_NAMESPACE

/// How much one kind of stakeholder (managers, tutors) is in touch with a learner.
struct Engagement {
  std::uint32_t people = 0;     ///< how many such stakeholders the learner has at window.to
  Time last_contact = kNoTime;  ///< last contact with any of them at or before window.to; kNoTime when none
  std::uint32_t contacts = 0;   ///< contacts with them in the window (event counts)
  double contacts_per_month = 0;  ///< contacts / window length in months (30.436875 days)
};

struct LearnerSignals {
  LearnerId learner = kNoId;
  EnrolmentId enrolment = kNoId;
  std::uint32_t peer_degree = 0;      ///< distinct peers interacted with in the window
  double reciprocity = 0;             ///< share of those ties that went both ways (0 without ties)
  std::uint32_t sent = 0;             ///< interactions sent to peers in the window
  std::uint32_t received = 0;         ///< interactions received from peers in the window
  std::uint32_t replies_received = 0; ///< `replied` contacts received from peers in the window
  Time last_peer_contact = kNoTime;   ///< at or before window.to
  /// Working days d with (last peer contact, or `since` when there was none) < d <= window.to, on the cohort
  /// calendar; -1 when neither is known.
  std::int64_t working_days_without_peers = -1;
  bool isolated = false;              ///< see SignalOptions::isolation_working_days
  std::uint32_t core_distance = kUnreachable;  ///< hops to the active core (0 inside it)
  Engagement manager;                 ///< Cohort::managers
  Engagement tutor;                   ///< Cohort::tutors (the learner's and the instance's)
};

struct SignalOptions {
  /// A learner is isolated when they had no peer contact in the last N working days: the working days since
  /// their last peer contact (or since they joined, when they never had one) reach N; a learner with neither
  /// is isolated.
  int isolation_working_days = 10;
};

/// Signals of every member of `g` (in vertex order), built with InteractionGraph::build or of_instance on
/// `cohort`. Throws InvalidArgument when g does not come from a cohort (from_arcs) or the option is < 1.
std::vector<LearnerSignals> learner_signals(const Cohort& cohort, const InteractionGraph& g,
                                            const SignalOptions& options = {});

LIEN_END_NAMESPACE
