// lien/model/stakeholder_graph.hpp — the people around each learner and how they are linked.
//
// Boost.Graph is wrapped here once (as pgRouting does): vertices are people (PersonId == vertex index), edges
// carry a bundled Relation. Declared relations are dated (reports_to, tutors, trains, employs, member_of);
// interaction edges (type `interacts`) are derived from replied / messaged / met events and carry how many
// interactions there were and the last one. Tutors and trainers may also be attached to a whole path instance
// (every learner of that group), kept beside the graph. The rest of lien asks questions through this class
// and never sees a vertex descriptor.
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include <algorithm>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

struct Relation {
  RelationType type = RelationType::reports_to;
  Time valid_from = kNoTime;  ///< kNoTime: since always
  Time valid_to = kNoTime;    ///< kNoTime: still valid
  std::uint32_t count = 0;    ///< interactions only: how many
  Time last = kNoTime;        ///< interactions only: the last one

  bool valid_at(Time t) const noexcept {
    return (valid_from == kNoTime || valid_from <= t) && (valid_to == kNoTime || t < valid_to);
  }
};

/// A tutor or trainer attached to every learner of a path instance.
struct InstanceRelation {
  PersonId person = kNoId;
  RelationType type = RelationType::tutors;
  InstanceId instance = kNoId;
  Time valid_from = kNoTime;
  Time valid_to = kNoTime;
  bool valid_at(Time t) const noexcept {
    return (valid_from == kNoTime || valid_from <= t) && (valid_to == kNoTime || t < valid_to);
  }
};

/// One neighbour of a person and the relation that links them.
struct Link {
  PersonId other = kNoId;
  Relation relation;
  bool outgoing = true;  ///< the relation goes from the person to `other` (e.g. learner reports_to manager)
};

class StakeholderGraph {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, Relation>;

  StakeholderGraph() = default;
  explicit StakeholderGraph(std::size_t people) : g_(people) {}

  std::size_t person_count() const noexcept { return boost::num_vertices(g_); }
  std::size_t relation_count() const noexcept { return boost::num_edges(g_); }

  void add_relation(PersonId from, PersonId to, const Relation& r) { boost::add_edge(from, to, r, g_); }
  void add_instance_relation(const InstanceRelation& r) { instance_relations_.push_back(r); }
  const std::vector<InstanceRelation>& instance_relations() const noexcept { return instance_relations_; }

  /// Every relation of person p, both directions.
  std::vector<Link> links(PersonId p) const {
    std::vector<Link> out;
    for (auto [it, end] = boost::out_edges(p, g_); it != end; ++it)
      out.push_back({static_cast<PersonId>(boost::target(*it, g_)), g_[*it], true});
    for (auto [it, end] = boost::in_edges(p, g_); it != end; ++it)
      out.push_back({static_cast<PersonId>(boost::source(*it, g_)), g_[*it], false});
    return out;
  }

  /// People q with a relation p --type--> q valid at t (e.g. managers: out(p, reports_to, t)).
  std::vector<PersonId> out(PersonId p, RelationType type, Time t) const {
    std::vector<PersonId> res;
    for (auto [it, end] = boost::out_edges(p, g_); it != end; ++it)
      if (g_[*it].type == type && g_[*it].valid_at(t)) res.push_back(static_cast<PersonId>(boost::target(*it, g_)));
    return unique(std::move(res));
  }
  /// People q with a relation q --type--> p valid at t (e.g. tutors: in(p, tutors, t)).
  std::vector<PersonId> in(PersonId p, RelationType type, Time t) const {
    std::vector<PersonId> res;
    for (auto [it, end] = boost::in_edges(p, g_); it != end; ++it)
      if (g_[*it].type == type && g_[*it].valid_at(t)) res.push_back(static_cast<PersonId>(boost::source(*it, g_)));
    return unique(std::move(res));
  }
  /// People attached by `type` to path instance i at t.
  std::vector<PersonId> in_instance(InstanceId i, RelationType type, Time t) const {
    std::vector<PersonId> res;
    for (const auto& r : instance_relations_)
      if (r.instance == i && r.type == type && r.valid_at(t)) res.push_back(r.person);
    return unique(std::move(res));
  }

  /// Aggregated interactions of p (both directions merged): who, how many, the last one.
  std::vector<Link> interactions(PersonId p) const {
    std::vector<Link> res;
    for (const Link& l : links(p))
      if (l.relation.type == RelationType::interacts) res.push_back(l);
    return res;
  }

  /// The Boost graph itself, for graph algorithms in lien/graph (read-only).
  const Graph& boost_graph() const noexcept { return g_; }

 private:
  static std::vector<PersonId> unique(std::vector<PersonId> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }
  Graph g_;
  std::vector<InstanceRelation> instance_relations_;
};

LIEN_END_NAMESPACE
