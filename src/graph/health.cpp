// Community health of a peer graph and its change between windows.
#include "lien/graph/health.hpp"

#include <algorithm>
#include <iterator>

#include "lien/graph/betweenness.hpp"
#include "lien/graph/structure.hpp"

LIEN_BEGIN_NAMESPACE

CommunityHealth community_health(const InteractionGraph& g, const HealthOptions& options) {
  CommunityHealth h;
  h.window = g.window();
  h.members = static_cast<std::uint32_t>(g.vertex_count());
  for (const Member& m : g.members()) h.learners.push_back(m.learner);
  std::sort(h.learners.begin(), h.learners.end());
  h.ties = static_cast<std::uint32_t>(g.tie_count());
  h.density = g.density();
  const Components c = connected_components(g);
  h.components = c.count;
  h.largest_component = c.largest();
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    if (g.degree(v) == 0) h.isolated.push_back(g.learner(v));
  std::sort(h.isolated.begin(), h.isolated.end());
  h.betweenness = betweenness(g);
  std::vector<Vertex> order;
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    if (h.betweenness[v] > 0) order.push_back(v);
  std::stable_sort(order.begin(), order.end(),
                   [&](Vertex a, Vertex b) { return h.betweenness[a] > h.betweenness[b]; });
  if (order.size() > options.max_brokers) order.resize(options.max_brokers);
  for (Vertex v : order) h.brokers.push_back({v, g.learner(v), h.betweenness[v]});
  h.communities = louvain(g, options.louvain);
  return h;
}

HealthChange health_change(const CommunityHealth& before, const CommunityHealth& after) {
  HealthChange d;
  d.members = static_cast<std::int64_t>(after.members) - before.members;
  d.components = static_cast<std::int64_t>(after.components) - before.components;
  d.density = after.density - before.density;
  d.isolated = static_cast<std::int64_t>(after.isolated.size()) - static_cast<std::int64_t>(before.isolated.size());
  d.modularity = after.communities.modularity - before.communities.modularity;
  d.communities = static_cast<std::int64_t>(after.communities.count) - before.communities.count;
  std::set_difference(after.isolated.begin(), after.isolated.end(), before.isolated.begin(), before.isolated.end(),
                      std::back_inserter(d.became_isolated));
  // Learners isolated before who are still members but no longer isolated (those who left are not counted).
  std::vector<LearnerId> left_isolation;
  std::set_difference(before.isolated.begin(), before.isolated.end(), after.isolated.begin(), after.isolated.end(),
                      std::back_inserter(left_isolation));
  for (LearnerId l : left_isolation)
    if (std::binary_search(after.learners.begin(), after.learners.end(), l)) d.no_longer_isolated.push_back(l);
  return d;
}

LIEN_END_NAMESPACE
