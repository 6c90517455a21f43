// lien/graph/buddy.hpp — buddy matching: pair isolated or at-risk learners with peers who can carry them.
//
// A good buddy is in the same path instance, active lately, ahead in the path, preferably from another team
// (new ties, not the usual colleagues) and close in the peer graph (an introduction through a common peer is
// easier than a cold contact). Every eligible pair gets a score in [0, 1] (the formula is in docs/graph.md);
// the pairs are then chosen all at once as a capacitated assignment problem: each learner gets at most one
// buddy, each buddy at most `cap` learners, as many learners as possible are paired and, among those
// pairings, the total score is the largest. It is solved exactly as a min-cost max-flow (Boost's
// successive_shortest_path_nonnegative_weights), not greedily one learner after the other.
#pragma once

#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/graph/interaction_graph.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;

struct BuddyOptions {
  std::uint32_t cap = 2;                 ///< most learners one buddy takes on (>= 1)
  int active_within_working_days = 10;   ///< a buddy did something in the last N working days (>= 0)
  std::uint32_t ahead_saturation = 3;    ///< steps ahead at which the "ahead" term reaches 1 (>= 1)
  // Weights of the score terms (>= 0, not all 0; divided by their sum so that scores stay in [0, 1]).
  double w_ahead = 0.40;
  double w_team = 0.20;
  double w_reach = 0.25;
  double w_active = 0.15;
};

/// One eligible (learner, buddy) pair and what its score is made of.
struct BuddyPair {
  EnrolmentId seeker = kNoId;
  EnrolmentId buddy = kNoId;
  double score = 0;
  std::uint32_t steps_ahead = 0;        ///< required steps the buddy has done beyond the learner's count
  bool other_team = false;              ///< both teams known and different
  std::uint32_t distance = kUnreachable;  ///< hops between them in the peer graph
  std::int64_t working_days_since_active = 0;  ///< the buddy's
};

struct BuddyPlan {
  std::vector<BuddyPair> pairs;           ///< the chosen pairs, in the order of the seekers given
  std::vector<EnrolmentId> unmatched;     ///< seekers left without a buddy (no eligible peer, or all full)
  std::vector<BuddyPair> candidates;      ///< every eligible pair that was scored
  double total_score = 0;
};

/// Buddies for `seekers` (enrolments; typically the isolated learners of learner_signals and the at-risk
/// ones) among the members of `g` (built with InteractionGraph::of_instance or build, members with an
/// enrolment). A buddy is a member whose enrolment is in the seeker's path instance, active at `as_of`,
/// who acted (an event of their own, not one of a stakeholder about them) in the last
/// `active_within_working_days` working days, with more required steps done than the
/// seeker, and not a seeker. Throws InvalidArgument for a bad option or an unknown or repeated seeker.
BuddyPlan match_buddies(const Cohort& cohort, const InteractionGraph& g, Span<EnrolmentId> seekers, Time as_of,
                        const BuddyOptions& options = {});

/// Required steps of enrolment e's path done in [start, as_of]: distinct steps with a completed, passed or
/// attended event, or an event whose completion is yes.
std::uint32_t required_steps_done(const Cohort& cohort, EnrolmentId e, Time as_of);

/// One edge of an assignment problem: `seeker` may take `buddy` with `score` in [0, 1].
struct AssignmentEdge {
  std::uint32_t seeker = 0;
  std::uint32_t buddy = 0;
  double score = 0;
};

/// Scores are compared in millionths: the solver maximises the number of seekers assigned, then the sum of
/// llround(score * kScoreUnits).
inline constexpr long kScoreUnits = 1000000;

/// Solves the capacitated assignment exactly: each seeker takes at most one edge, each buddy at most `cap`;
/// first the most seekers assigned, then the highest total score. Returns, per seeker, the index in `edges`
/// of its chosen edge, or kNoId. Deterministic. Throws InvalidArgument for an edge naming a seeker >=
/// `seekers` or a buddy >= `buddies`, a score outside [0, 1], or cap == 0.
std::vector<std::uint32_t> solve_assignment(std::size_t seekers, std::size_t buddies,
                                            const std::vector<AssignmentEdge>& edges, std::uint32_t cap);

LIEN_END_NAMESPACE
