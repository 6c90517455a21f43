// Buddy matching: scoring eligible pairs and choosing them as a min-cost max-flow.
#include "lien/graph/buddy.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "lien/core/error.hpp"
#include "lien/graph/structure.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

using FlowTraits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, long,
                    boost::property<boost::edge_residual_capacity_t, long,
                                    boost::property<boost::edge_reverse_t, FlowTraits::edge_descriptor,
                                                    boost::property<boost::edge_weight_t, double>>>>>;
// Costs are whole numbers of score units (exact in a double up to 2^53), held as doubles on purpose: Boost's
// successive shortest paths adds the Dijkstra distances of unreachable vertices (the type's max) to their
// potentials, which overflows a signed integer (undefined behaviour) but is a well-defined infinity in
// floating point. Those vertices never become reachable again, so their potentials are never used.

// Adds u -> v with its reverse residual arc v -> u (capacity 0, cost -cost), as the flow algorithms expect.
FlowTraits::edge_descriptor add_arc(FlowGraph& g, std::size_t u, std::size_t v, long capacity, double cost) {
  auto cap = boost::get(boost::edge_capacity, g);
  auto rev = boost::get(boost::edge_reverse, g);
  auto w = boost::get(boost::edge_weight, g);
  const auto e = boost::add_edge(u, v, g).first;
  const auto r = boost::add_edge(v, u, g).first;
  cap[e] = capacity, cap[r] = 0;
  w[e] = cost, w[r] = -cost;
  rev[e] = r, rev[r] = e;
  return e;
}

bool done_verb(Verb v) noexcept { return v == Verb::completed || v == Verb::passed || v == Verb::attended; }

}  // namespace

std::vector<std::uint32_t> solve_assignment(std::size_t seekers, std::size_t buddies,
                                            const std::vector<AssignmentEdge>& edges, std::uint32_t cap) {
  if (cap == 0) throw InvalidArgument("solve_assignment: cap must be at least 1");
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const AssignmentEdge& e = edges[i];
    if (e.seeker >= seekers || e.buddy >= buddies)
      throw InvalidArgument("solve_assignment: edge " + std::to_string(i) + " names seeker " +
                            std::to_string(e.seeker) + " and buddy " + std::to_string(e.buddy) + " (" +
                            std::to_string(seekers) + " seekers, " + std::to_string(buddies) + " buddies)");
    if (!(e.score >= 0.0 && e.score <= 1.0))
      throw InvalidArgument("solve_assignment: edge " + std::to_string(i) + " has a score outside [0, 1]");
  }
  std::vector<std::uint32_t> choice(seekers, kNoId);
  if (edges.empty()) return choice;
  // source -> seeker (capacity 1, cost 0), seeker -> buddy (1, kScoreUnits - score units), buddy -> sink
  // (cap, 0). A min-cost maximum flow pairs as many seekers as possible and, among those pairings, spends the
  // least sum(kScoreUnits - score) = count * kScoreUnits - total score: the largest total score.
  const std::size_t source = 0, sink = 1 + seekers + buddies;
  FlowGraph g(sink + 1);
  for (std::size_t s = 0; s < seekers; ++s) add_arc(g, source, 1 + s, 1, 0);
  std::vector<FlowTraits::edge_descriptor> arc(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i)
    arc[i] = add_arc(g, 1 + edges[i].seeker, 1 + seekers + edges[i].buddy, 1,
                     static_cast<double>(kScoreUnits - std::lround(edges[i].score * kScoreUnits)));
  for (std::size_t b = 0; b < buddies; ++b) add_arc(g, 1 + seekers + b, sink, cap, 0);
  boost::successive_shortest_path_nonnegative_weights(g, source, sink);
  const auto residual = boost::get(boost::edge_residual_capacity, g);
  for (std::size_t i = 0; i < edges.size(); ++i)
    if (residual[arc[i]] == 0) choice[edges[i].seeker] = static_cast<std::uint32_t>(i);
  return choice;
}

std::uint32_t required_steps_done(const Cohort& cohort, EnrolmentId e, Time as_of) {
  const Enrolment& en = cohort.enrolment(e);
  const Path& path = cohort.path(en.path);
  std::vector<char> done(path.steps.size(), 0);
  std::uint32_t count = 0;
  const EventLog& log = cohort.events();
  const auto end = log.upper_bound(en.learner, as_of);
  for (auto i = log.lower_bound(en.learner, en.start); i < end; ++i) {
    if (log.object_kind(i) != ObjectKind::step) continue;
    if (!done_verb(log.verb(i)) && log.completion(i) != Tri::yes) continue;
    const Step& s = cohort.step(log.object(i));
    if (s.path != en.path || !s.required || done[s.position]) continue;
    done[s.position] = 1;
    ++count;
  }
  return count;
}

BuddyPlan match_buddies(const Cohort& cohort, const InteractionGraph& g, Span<EnrolmentId> seekers, Time as_of,
                        const BuddyOptions& o) {
  if (o.cap < 1) throw InvalidArgument("match_buddies: cap must be at least 1");
  if (o.active_within_working_days < 0) throw InvalidArgument("match_buddies: active_within_working_days must be >= 0");
  if (o.ahead_saturation < 1) throw InvalidArgument("match_buddies: ahead_saturation must be at least 1");
  const double weights[4] = {o.w_ahead, o.w_team, o.w_reach, o.w_active};
  double wsum = 0;
  for (double w : weights) {
    if (!(w >= 0.0 && std::isfinite(w))) throw InvalidArgument("match_buddies: score weights must be finite and >= 0");
    wsum += w;
  }
  if (wsum <= 0) throw InvalidArgument("match_buddies: at least one score weight must be positive");

  std::vector<char> is_seeker(cohort.enrolment_count(), 0), seeker_learner(cohort.learner_count(), 0);
  for (EnrolmentId e : seekers) {
    if (e >= cohort.enrolment_count())
      throw InvalidArgument("match_buddies: unknown enrolment (id " + std::to_string(e) + ")");
    if (is_seeker[e]) throw InvalidArgument("match_buddies: enrolment '" + cohort.enrolment(e).id + "' is given twice");
    is_seeker[e] = 1;
    seeker_learner[cohort.enrolment(e).learner] = 1;
  }

  // Eligible buddies: active members with an enrolment, not seekers.
  const Calendar& cal = cohort.calendar();
  const EventLog& log = cohort.events();
  struct Buddy {
    Vertex vertex;
    EnrolmentId enrolment;
    std::uint32_t done;
    std::int64_t idle;
  };
  std::vector<Buddy> buddies;
  for (Vertex v = 0; v < g.vertex_count(); ++v) {
    const Member& m = g.members()[v];
    if (m.enrolment == kNoId || m.enrolment >= cohort.enrolment_count()) continue;
    const Enrolment& en = cohort.enrolment(m.enrolment);
    if (is_seeker[m.enrolment] || seeker_learner[en.learner]) continue;
    if (en.start > as_of || en.outcome_at(as_of) != Outcome::active) continue;
    // Activity is what the learner did (actor kNoId), not what others did about them.
    auto i = log.upper_bound(en.learner, as_of);
    while (i > log.begin(en.learner) && log.actor(i - 1) != kNoId) --i;
    if (i == log.begin(en.learner)) continue;
    const std::int64_t idle = std::max<std::int64_t>(0, cal.working_days_between(log.time(i - 1), as_of));
    if (idle > o.active_within_working_days) continue;
    buddies.push_back({v, m.enrolment, required_steps_done(cohort, m.enrolment, as_of), idle});
  }

  BuddyPlan plan;
  std::vector<AssignmentEdge> edges;
  for (std::size_t si = 0; si < seekers.size(); ++si) {
    const EnrolmentId e = seekers[si];
    const Enrolment& en = cohort.enrolment(e);
    const std::uint32_t done = required_steps_done(cohort, e, as_of);
    const Vertex sv = g.vertex_of(en.learner);
    const std::vector<std::uint32_t> dist =
        sv == kNoVertex ? std::vector<std::uint32_t>(g.vertex_count(), kUnreachable) : bfs_distances(g, sv);
    const std::string& team = cohort.learner(en.learner).team;
    for (std::size_t bi = 0; bi < buddies.size(); ++bi) {
      const Buddy& b = buddies[bi];
      const Enrolment& be = cohort.enrolment(b.enrolment);
      if (be.instance != en.instance || b.done <= done) continue;
      BuddyPair p;
      p.seeker = e;
      p.buddy = b.enrolment;
      p.steps_ahead = b.done - done;
      const std::string& bteam = cohort.learner(be.learner).team;
      p.other_team = !team.empty() && !bteam.empty() && team != bteam;
      p.distance = dist[b.vertex];
      p.working_days_since_active = b.idle;
      const double ahead = std::min<double>(p.steps_ahead, o.ahead_saturation) / o.ahead_saturation;
      const double reach = p.distance == kUnreachable || p.distance == 0 ? 0.0 : std::ldexp(1.0, -static_cast<int>(std::min<std::uint32_t>(p.distance - 1, 1000)));
      const double active = 1.0 - static_cast<double>(b.idle) / (o.active_within_working_days + 1.0);
      p.score = (o.w_ahead * ahead + o.w_team * (p.other_team ? 1.0 : 0.0) + o.w_reach * reach + o.w_active * active) / wsum;
      p.score = std::min(1.0, std::max(0.0, p.score));
      edges.push_back({static_cast<std::uint32_t>(si), static_cast<std::uint32_t>(bi), p.score});
      plan.candidates.push_back(p);
    }
  }
  const auto choice = solve_assignment(seekers.size(), buddies.size(), edges, o.cap);
  for (std::size_t si = 0; si < seekers.size(); ++si) {
    if (choice[si] == kNoId) {
      plan.unmatched.push_back(seekers[si]);
      continue;
    }
    plan.pairs.push_back(plan.candidates[choice[si]]);
    plan.total_score += plan.candidates[choice[si]].score;
  }
  return plan;
}

LIEN_END_NAMESPACE
