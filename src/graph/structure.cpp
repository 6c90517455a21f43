// Components, BFS distances and core numbers of a peer graph.
#include "lien/graph/structure.hpp"

#include <boost/graph/connected_components.hpp>

#include <algorithm>

LIEN_BEGIN_NAMESPACE

std::vector<std::uint32_t> Components::sizes() const {
  std::vector<std::uint32_t> s(count, 0);
  for (std::uint32_t c : component) ++s[c];
  return s;
}

std::uint32_t Components::largest() const {
  const auto s = sizes();
  return s.empty() ? 0u : *std::max_element(s.begin(), s.end());
}

Components connected_components(const InteractionGraph& ig) {
  // The CSR graph is directed but holds every tie both ways, so a depth-first search from a vertex reaches
  // exactly its component. Boost's two-argument connected_components accepts such a graph (the overload with
  // named parameters insists on an undirected_tag); it starts a search at each unvisited vertex in vertex
  // order, which numbers components by their smallest vertex.
  const auto& g = ig.boost_graph();
  Components c;
  c.component.assign(ig.vertex_count(), 0);
  if (ig.vertex_count() == 0) return c;
  c.count = static_cast<std::uint32_t>(boost::connected_components(
      g, boost::make_iterator_property_map(c.component.begin(), boost::get(boost::vertex_index, g))));
  return c;
}

std::vector<std::uint32_t> bfs_distances(const InteractionGraph& ig, Span<Vertex> sources) {
  const auto& g = ig.boost_graph();
  const std::size_t n = ig.vertex_count();
  std::vector<std::uint32_t> dist(n, kUnreachable);
  std::vector<Vertex> queue;
  queue.reserve(n);
  for (Vertex s : sources)
    if (s < n && dist[s] == kUnreachable) dist[s] = 0, queue.push_back(s);
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const Vertex v = queue[head];
    for (auto [it, end] = boost::adjacent_vertices(v, g); it != end; ++it)
      if (dist[*it] == kUnreachable) dist[*it] = dist[v] + 1, queue.push_back(*it);
  }
  return dist;
}

std::vector<std::uint32_t> bfs_distances(const InteractionGraph& g, Vertex source) {
  const Vertex s[1] = {source};
  return bfs_distances(g, Span<Vertex>(s, source < g.vertex_count() ? 1 : 0));
}

std::vector<std::uint32_t> core_numbers(const InteractionGraph& ig) {
  // Batagelj & Zaversnik (2003): bucket vertices by degree, repeatedly peel a vertex of least degree.
  const auto& g = ig.boost_graph();
  const std::size_t n = ig.vertex_count();
  std::vector<std::uint32_t> deg(n), pos(n), vert(n);
  std::uint32_t max_deg = 0;
  for (Vertex v = 0; v < n; ++v) deg[v] = ig.degree(v), max_deg = std::max(max_deg, deg[v]);
  std::vector<std::uint32_t> bin(max_deg + 2, 0);
  for (Vertex v = 0; v < n; ++v) ++bin[deg[v]];
  std::uint32_t start = 0;
  for (std::uint32_t d = 0; d <= max_deg; ++d) {
    const std::uint32_t num = bin[d];
    bin[d] = start;
    start += num;
  }
  for (Vertex v = 0; v < n; ++v) pos[v] = bin[deg[v]]++, vert[pos[v]] = v;
  for (std::uint32_t d = max_deg; d >= 1; --d) bin[d] = bin[d - 1];
  bin[0] = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Vertex v = vert[i];
    for (auto [it, end] = boost::adjacent_vertices(v, g); it != end; ++it) {
      const Vertex u = *it;
      if (deg[u] > deg[v]) {
        const std::uint32_t du = deg[u], pu = pos[u], pw = bin[du];
        const Vertex w = vert[pw];
        if (u != w) pos[u] = pw, vert[pu] = w, pos[w] = pu, vert[pw] = u;
        ++bin[du];
        --deg[u];
      }
    }
  }
  return deg;
}

std::vector<Vertex> active_core(const InteractionGraph& g) {
  std::vector<Vertex> core;
  if (g.tie_count() == 0) return core;
  const auto k = core_numbers(g);
  const std::uint32_t top = *std::max_element(k.begin(), k.end());
  for (Vertex v = 0; v < k.size(); ++v)
    if (k[v] == top) core.push_back(v);
  return core;
}

LIEN_END_NAMESPACE
