// The peer interaction graph: reading contacts out of the event log and storing them as a Boost CSR graph.
// Compiled once: the CSR constructors are heavy templates that every user of the graph would otherwise pay for.
#include "lien/graph/interaction_graph.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "lien/core/error.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

std::uint64_t pair_key(Vertex a, Vertex b) noexcept { return (static_cast<std::uint64_t>(a) << 32) | b; }

void check_window(TimeWindow w, const char* where) {
  if (w.from == kNoTime || w.to == kNoTime)
    throw InvalidArgument(std::string(where) + ": the time window needs both bounds (from and to)");
  if (w.from > w.to)
    throw InvalidArgument(std::string(where) + ": the time window starts after it ends (from > to)");
}

}  // namespace

InteractionGraph InteractionGraph::assemble(std::vector<Member> members, std::vector<Arc> arcs) {
  // Directed counts per ordered pair, then both orientations of every unordered pair, sorted by (source,
  // target) so that the CSR rows come out in vertex order.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> directed;
  directed.reserve(arcs.size());
  for (const Arc& a : arcs)
    if (a.from != a.to) directed.emplace_back(pair_key(a.from, a.to), a.count);
  arcs.clear();
  arcs.shrink_to_fit();
  std::sort(directed.begin(), directed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::size_t w = 0;
  for (std::size_t r = 0; r < directed.size(); ++r) {
    if (w > 0 && directed[w - 1].first == directed[r].first) directed[w - 1].second += directed[r].second;
    else directed[w++] = directed[r];
  }
  directed.resize(w);
  auto count_of = [&](std::uint64_t key) -> std::uint32_t {
    const auto it = std::lower_bound(directed.begin(), directed.end(), key,
                                     [](const auto& x, std::uint64_t k) { return x.first < k; });
    return it != directed.end() && it->first == key ? it->second : 0u;
  };

  std::vector<std::pair<std::uint64_t, Tie>> both;
  both.reserve(directed.size() * 2);
  for (const auto& [key, c] : directed) {
    const Vertex u = static_cast<Vertex>(key >> 32), v = static_cast<Vertex>(key & 0xFFFFFFFFu);
    const std::uint32_t back = count_of(pair_key(v, u));
    both.push_back({key, Tie{c, back}});
    // The reverse orientation is emitted here only when v -> u was never seen; otherwise its own entry does it.
    if (back == 0) both.push_back({pair_key(v, u), Tie{0, c}});
  }
  directed.clear();
  directed.shrink_to_fit();
  std::sort(both.begin(), both.end(), [](const auto& x, const auto& y) { return x.first < y.first; });

  std::vector<std::pair<Vertex, Vertex>> ends(both.size());
  std::vector<Tie> ties(both.size());
  for (std::size_t i = 0; i < both.size(); ++i) {
    ends[i] = {static_cast<Vertex>(both[i].first >> 32), static_cast<Vertex>(both[i].first & 0xFFFFFFFFu)};
    ties[i] = both[i].second;
  }
  InteractionGraph ig;
  ig.g_ = Graph(boost::edges_are_sorted, ends.begin(), ends.end(), ties.begin(),
                static_cast<Vertex>(members.size()));
  ig.members_ = std::move(members);
  return ig;
}

InteractionGraph InteractionGraph::from_arcs(std::size_t n, const std::vector<Arc>& arcs) {
  if (n >= kNoVertex) throw InvalidArgument("InteractionGraph::from_arcs: too many vertices (" + std::to_string(n) + ")");
  for (std::size_t i = 0; i < arcs.size(); ++i)
    if (arcs[i].from >= n || arcs[i].to >= n)
      throw InvalidArgument("InteractionGraph::from_arcs: arc " + std::to_string(i) + " names vertex " +
                            std::to_string(std::max(arcs[i].from, arcs[i].to)) + ", but the graph has " +
                            std::to_string(n) + " vertices");
  std::vector<Member> members(n);
  return assemble(std::move(members), arcs);
}

InteractionGraph InteractionGraph::build(const Cohort& cohort, std::vector<Member> members, TimeWindow window) {
  check_window(window, "InteractionGraph::build");
  std::vector<Vertex> vertex_of_learner(cohort.learner_count(), kNoVertex);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const LearnerId l = members[i].learner;
    if (l >= cohort.learner_count())
      throw InvalidArgument("InteractionGraph::build: member " + std::to_string(i) + " is not a learner (id " +
                            std::to_string(l) + ")");
    if (vertex_of_learner[l] != kNoVertex)
      throw InvalidArgument("InteractionGraph::build: learner '" + cohort.learner_id(l) + "' is given twice");
    vertex_of_learner[l] = static_cast<Vertex>(i);
  }

  const EventLog& log = cohort.events();
  std::vector<Arc> arcs;
  std::vector<std::uint32_t> replies(members.size(), 0);
  std::vector<Time> last(members.size(), kNoTime);
  for (Vertex v = 0; v < members.size(); ++v) {
    const LearnerId l = members[v].learner;
    const PersonId self = cohort.learner(l).person;
    const auto end = log.upper_bound(l, window.to);
    for (auto i = log.begin(l); i < end; ++i) {
      const Verb verb = log.verb(i);
      const ObjectKind kind = log.object_kind(i);
      if (!is_contact(verb, kind)) continue;
      PersonId other = kNoId;
      bool outgoing = false;  // self -> other
      if (log.actor(i) != kNoId) other = log.actor(i);
      else if (kind == ObjectKind::person) other = log.object(i), outgoing = true;
      if (other == kNoId || other == self) continue;
      const LearnerId ol = cohort.person(other).learner;
      if (ol == kNoId) continue;
      const Vertex u = vertex_of_learner[ol];
      if (u == kNoVertex) continue;
      const Time t = log.time(i);
      last[v] = std::max(last[v], t);
      last[u] = std::max(last[u], t);
      if (t < window.from) continue;
      const Vertex src = outgoing ? v : u, dst = outgoing ? u : v;
      arcs.push_back({src, dst, log.count(i)});
      if (verb == Verb::replied) replies[dst] += log.count(i);
    }
  }
  InteractionGraph ig = assemble(std::move(members), std::move(arcs));
  ig.window_ = window;
  ig.vertex_of_learner_ = std::move(vertex_of_learner);
  ig.replies_received_ = std::move(replies);
  ig.last_contact_ = std::move(last);
  return ig;
}

InteractionGraph InteractionGraph::of_instance(const Cohort& cohort, InstanceId instance, TimeWindow window) {
  check_window(window, "InteractionGraph::of_instance");
  if (instance >= cohort.instances().size())
    throw InvalidArgument("InteractionGraph::of_instance: unknown path instance (id " + std::to_string(instance) + ")");
  std::vector<Member> members;
  std::vector<char> seen(cohort.learner_count(), 0);
  for (EnrolmentId e : cohort.enrolments_in(instance)) {
    const Enrolment& en = cohort.enrolment(e);
    if (en.start > window.to) continue;
    if (en.outcome != Outcome::active && en.outcome_time != kNoTime && en.outcome_time < window.from) continue;
    if (seen[en.learner]) continue;
    seen[en.learner] = 1;
    members.push_back({en.learner, e, en.start});
  }
  return build(cohort, std::move(members), window);
}

Vertex InteractionGraph::vertex_of(LearnerId l) const noexcept {
  return l < vertex_of_learner_.size() ? vertex_of_learner_[l] : kNoVertex;
}

std::vector<Vertex> InteractionGraph::neighbours(Vertex v) const {
  std::vector<Vertex> out;
  out.reserve(boost::out_degree(v, g_));
  for (auto [it, end] = boost::adjacent_vertices(v, g_); it != end; ++it) out.push_back(*it);
  return out;
}

std::uint32_t InteractionGraph::sent(Vertex u, Vertex v) const {
  // Rows are sorted by target: binary search over u's arcs.
  auto [it, end] = boost::out_edges(u, g_);
  auto lo = it;
  auto n = std::distance(it, end);
  while (n > 0) {
    auto step = n / 2;
    auto mid = lo;
    std::advance(mid, step);
    if (boost::target(*mid, g_) < v) lo = ++mid, n -= step + 1;
    else n = step;
  }
  return lo != end && boost::target(*lo, g_) == v ? g_[*lo].sent : 0u;
}

std::uint32_t InteractionGraph::sent_total(Vertex v) const {
  std::uint32_t s = 0;
  for (auto [it, end] = boost::out_edges(v, g_); it != end; ++it) s += g_[*it].sent;
  return s;
}

std::uint32_t InteractionGraph::received_total(Vertex v) const {
  std::uint32_t s = 0;
  for (auto [it, end] = boost::out_edges(v, g_); it != end; ++it) s += g_[*it].received;
  return s;
}

std::uint32_t InteractionGraph::reciprocated(Vertex v) const {
  std::uint32_t s = 0;
  for (auto [it, end] = boost::out_edges(v, g_); it != end; ++it) s += (g_[*it].sent > 0 && g_[*it].received > 0);
  return s;
}

double InteractionGraph::density() const noexcept {
  const double n = static_cast<double>(vertex_count());
  return n < 2 ? 0.0 : 2.0 * static_cast<double>(tie_count()) / (n * (n - 1));
}

LIEN_END_NAMESPACE
