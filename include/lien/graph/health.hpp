// lien/graph/health.hpp — community health of a path instance over a window, and how it moved since the last.
//
// One record per group and window: is the group one connected community or several islands, how dense are
// its ties, who has no tie at all, who holds it together (brokers: highest betweenness), which sub-groups it
// falls into (Louvain, with their modularity). Comparing two windows tells the community manager whether
// the group is knitting together or coming apart, and who dropped out of the conversation.
#pragma once

#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/graph/community.hpp"
#include "lien/graph/interaction_graph.hpp"

LIEN_BEGIN_NAMESPACE

struct Broker {
  Vertex vertex = kNoVertex;
  LearnerId learner = kNoId;  ///< kNoId for graphs built with from_arcs
  double betweenness = 0;     ///< normalised, exact
};

struct CommunityHealth {
  TimeWindow window;
  std::uint32_t members = 0;
  std::vector<LearnerId> learners;      ///< the members' LearnerIds, sorted
  std::uint32_t ties = 0;
  double density = 0;
  std::uint32_t components = 0;         ///< connected components, isolated members included
  std::uint32_t largest_component = 0;  ///< members in the largest one
  std::vector<LearnerId> isolated;      ///< members without any tie in the window, by LearnerId
  std::vector<double> betweenness;      ///< per vertex, normalised, exact
  std::vector<Broker> brokers;          ///< highest betweenness first (ties: lower vertex), only values > 0
  Partition communities;                ///< Louvain sub-groups and their modularity
};

struct HealthOptions {
  std::size_t max_brokers = 5;
  LouvainOptions louvain;
};

/// Health of the group in `g` over g.window().
CommunityHealth community_health(const InteractionGraph& g, const HealthOptions& options = {});

/// How a group's health moved between two windows (after - before).
struct HealthChange {
  std::int64_t members = 0;
  std::int64_t components = 0;
  double density = 0;
  std::int64_t isolated = 0;
  double modularity = 0;
  std::int64_t communities = 0;
  std::vector<LearnerId> became_isolated;    ///< isolated after, not before (newcomers included), by LearnerId
  std::vector<LearnerId> no_longer_isolated; ///< isolated before, members with ties after
};

HealthChange health_change(const CommunityHealth& before, const CommunityHealth& after);

LIEN_END_NAMESPACE
