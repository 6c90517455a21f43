// lien/graph/interaction_graph.hpp — who talked to whom among a group of learners, over a time window.
//
// The peer interaction graph of a path instance (or of any set of learners) is built from the event log:
// replied, messaged and met events, and posted events whose object is a person, between two members of the
// set. Each undirected tie keeps the directed counts (u -> v and v -> u) so that reciprocity can be read, and
// the algorithms of lien/graph (components, BFS distances, betweenness, Louvain) walk the undirected view.
//
// Boost.Graph is wrapped here once: the storage is a compressed_sparse_row_graph holding every tie in both
// directions, sorted by (source, target), so neighbours come out in vertex order and every algorithm is
// deterministic. Vertices are the positions of the members (0 .. n-1, in the order the members were given);
// the rest of lien only ever sees those positions and LearnerIds, never a Boost descriptor.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort;

/// A position in an InteractionGraph's member list.
using Vertex = std::uint32_t;
inline constexpr Vertex kNoVertex = std::numeric_limits<Vertex>::max();
/// BFS distance of a vertex that cannot be reached.
inline constexpr std::uint32_t kUnreachable = std::numeric_limits<std::uint32_t>::max();

/// Instants from `from` to `to`, both included. Both bounds are required by the graph builders.
struct TimeWindow {
  Time from = kNoTime;
  Time to = kNoTime;
  bool contains(Time t) const noexcept { return from <= t && t <= to; }
};

/// A learner taking part in a graph. `enrolment` (optional) ties the learner to a path instance (tutors, buddy
/// matching); `since` (optional) is when the learner joined, from which isolation is counted when they never
/// interacted.
struct Member {
  LearnerId learner = kNoId;
  EnrolmentId enrolment = kNoId;
  Time since = kNoTime;
};

/// One directed arc given to InteractionGraph::from_arcs: `count` interactions from `from` to `to`.
struct Arc {
  Vertex from = 0;
  Vertex to = 0;
  std::uint32_t count = 1;
};

/// Events that are contacts between two people: replied, messaged and met (the builder's interaction verbs),
/// and posted when the object is a person (a post on someone's thread or wall).
constexpr bool is_contact(Verb v, ObjectKind object_kind) noexcept {
  return is_interaction(v) || (v == Verb::posted && object_kind == ObjectKind::person);
}

/// The undirected peer graph of a set of learners over a window, with directed counts on every tie.
class InteractionGraph {
 public:
  /// What each stored arc u -> v carries: interactions from u to v (`sent`) and from v to u (`received`).
  struct Tie {
    std::uint32_t sent = 0;
    std::uint32_t received = 0;
  };
  using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, Tie, boost::no_property,
                                                   Vertex, std::uint32_t>;

  InteractionGraph() = default;

  /// The peer graph among `members` from the contacts in `window` (events of the members' logs with from <=
  /// time <= to). Contacts with anyone outside the set are ignored. A contact logged in learner l's log goes
  /// actor -> l when it has an actor, else l -> object person. Throws InvalidArgument for an unknown or
  /// repeated learner, or a window without both bounds or with from > to.
  static InteractionGraph build(const Cohort& cohort, std::vector<Member> members, TimeWindow window);

  /// The peer graph of path instance `instance`: every enrolment of the instance that had started by
  /// window.to and had not ended before window.from (first enrolment of a learner wins), with `since` = its
  /// start. Throws InvalidArgument for an unknown instance.
  static InteractionGraph of_instance(const Cohort& cohort, InstanceId instance, TimeWindow window);

  /// A graph over n anonymous vertices from directed arcs (parallel arcs add up; self-loops are dropped).
  /// For benchmarks, tests and graphs that do not come from a cohort. Throws InvalidArgument for a vertex
  /// >= n.
  static InteractionGraph from_arcs(std::size_t n, const std::vector<Arc>& arcs);

  std::size_t vertex_count() const noexcept { return members_.size(); }
  /// Undirected ties (pairs of members who interacted at least once in the window).
  std::size_t tie_count() const noexcept { return boost::num_edges(g_) / 2; }
  const TimeWindow& window() const noexcept { return window_; }
  const std::vector<Member>& members() const noexcept { return members_; }
  LearnerId learner(Vertex v) const { return members_[v].learner; }
  /// The vertex of learner l, or kNoVertex when l is not a member.
  Vertex vertex_of(LearnerId l) const noexcept;

  /// Distinct peers v interacted with in the window.
  std::uint32_t degree(Vertex v) const { return static_cast<std::uint32_t>(boost::out_degree(v, g_)); }
  /// v's peers, in vertex order.
  std::vector<Vertex> neighbours(Vertex v) const;
  /// Interactions from u to v in the window (0 when none).
  std::uint32_t sent(Vertex u, Vertex v) const;
  /// Interactions between u and v in the window, both directions.
  std::uint32_t weight(Vertex u, Vertex v) const { return sent(u, v) + sent(v, u); }
  /// Interactions v sent to / received from peers in the window.
  std::uint32_t sent_total(Vertex v) const;
  std::uint32_t received_total(Vertex v) const;
  /// Ties of v that go both ways in the window.
  std::uint32_t reciprocated(Vertex v) const;
  /// `replied` contacts v received from peers in the window.
  std::uint32_t replies_received(Vertex v) const { return replies_received_.empty() ? 0 : replies_received_[v]; }
  /// v's last contact with a peer at or before window.to (earlier than the window too); kNoTime when none.
  Time last_contact(Vertex v) const { return last_contact_.empty() ? kNoTime : last_contact_[v]; }

  /// 2 ties / (n (n - 1)); 0 for fewer than two members (as networkx.density).
  double density() const noexcept;

  /// The Boost graph (every tie stored in both directions), for the algorithms of lien/graph.
  const Graph& boost_graph() const noexcept { return g_; }

 private:
  static InteractionGraph assemble(std::vector<Member> members, std::vector<Arc> arcs);

  Graph g_;
  std::vector<Member> members_;
  TimeWindow window_;
  std::vector<Vertex> vertex_of_learner_;  // indexed by LearnerId; empty for from_arcs graphs
  std::vector<std::uint32_t> replies_received_;
  std::vector<Time> last_contact_;
};

LIEN_END_NAMESPACE
