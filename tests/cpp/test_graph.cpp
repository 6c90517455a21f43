// Graph analytics on tiny graphs whose answers are worked out by hand (a path, a star, two triangles joined
// by a bridge, four cliques in a ring), and the rejections of bad arguments.
#include <catch2/catch.hpp>

#include <vector>

#include "lien/core/error.hpp"
#include "lien/graph/betweenness.hpp"
#include "lien/graph/community.hpp"
#include "lien/graph/health.hpp"
#include "lien/graph/interaction_graph.hpp"
#include "lien/graph/structure.hpp"

using namespace lien;

namespace {
InteractionGraph undirected(std::size_t n, const std::vector<std::pair<Vertex, Vertex>>& edges) {
  std::vector<Arc> arcs;
  for (auto [u, v] : edges) arcs.push_back({u, v, 1});
  return InteractionGraph::from_arcs(n, arcs);
}
const InteractionGraph& path5() {
  static const auto g = undirected(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
  return g;
}
const InteractionGraph& star5() {
  static const auto g = undirected(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}});
  return g;
}
// 0-1-2 and 3-4-5 triangles, bridge 2-3.
const InteractionGraph& bridged_triangles() {
  static const auto g = undirected(6, {{0, 1}, {1, 2}, {0, 2}, {3, 4}, {4, 5}, {3, 5}, {2, 3}});
  return g;
}
}  // namespace

TEST_CASE("a path of five: betweenness, density, distances, cores") {
  const auto& g = path5();
  CHECK(g.tie_count() == 4);
  CHECK(g.density() == Approx(0.4));
  // Pairs through 1: (0,2) (0,3) (0,4); through 2: (0,3) (0,4) (1,3) (1,4); normalised by (n-1)(n-2)/2 = 6.
  BetweennessOptions raw;
  raw.normalized = false;
  CHECK(betweenness(g, raw) == std::vector<double>{0, 3, 4, 3, 0});
  const auto b = betweenness(g);
  CHECK(b[1] == Approx(0.5));
  CHECK(b[2] == Approx(2.0 / 3.0));
  CHECK(b[0] == 0.0);
  // From source 0 only: dependencies 3, 2, 1 on vertices 1, 2, 3, halved (raw) or over (n-1)(n-2) = 12.
  raw.sources = {0};
  CHECK(betweenness(g, raw) == std::vector<double>{0, 1.5, 1, 0.5, 0});
  BetweennessOptions sub;
  sub.sources = {0};
  const auto s = betweenness(g, sub);
  CHECK(s[1] == Approx(3.0 / 12));
  CHECK(s[3] == Approx(1.0 / 12));
  CHECK(bfs_distances(g, 0) == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
  const Vertex ends[] = {0, 4};
  CHECK(bfs_distances(g, Span<Vertex>(ends, 2)) == std::vector<std::uint32_t>{0, 1, 2, 1, 0});
  CHECK(core_numbers(g) == std::vector<std::uint32_t>{1, 1, 1, 1, 1});
  CHECK(connected_components(g).count == 1);
}

TEST_CASE("a star: the centre carries every path") {
  const auto& g = star5();
  const auto b = betweenness(g);
  CHECK(b[0] == Approx(1.0));  // C(4,2) = 6 pairs of 6
  for (Vertex v = 1; v < 5; ++v) CHECK(b[v] == 0.0);
  BetweennessOptions raw;
  raw.normalized = false;
  CHECK(betweenness(g, raw)[0] == 6.0);
  CHECK(g.degree(0) == 4);
  CHECK(g.neighbours(0) == std::vector<Vertex>{1, 2, 3, 4});
  CHECK(active_core(g) == std::vector<Vertex>{0, 1, 2, 3, 4});  // every vertex has core number 1
}

TEST_CASE("two triangles joined by a bridge") {
  const auto& g = bridged_triangles();
  BetweennessOptions raw;
  raw.normalized = false;
  // 2 and 3 each lie on the 3 x 3 = 9 cross pairs minus the 3 pairs ending on them: 6 pairs.
  CHECK(betweenness(g, raw) == std::vector<double>{0, 0, 6, 6, 0, 0});
  CHECK(betweenness(g)[2] == Approx(0.6));  // 12 / (5 * 4)
  CHECK(g.density() == Approx(7.0 / 15.0));
  CHECK(core_numbers(g) == std::vector<std::uint32_t>{2, 2, 2, 2, 2, 2});
  const Partition p = louvain(g);
  CHECK(p.count == 2);
  CHECK(p.community == std::vector<std::uint32_t>{0, 0, 0, 1, 1, 1});
  // Each triangle: 3 inner ties of m = 7, degree 7 of 2m = 14: 2 (3/7 - 1/4) = 5/14.
  CHECK(p.modularity == Approx(5.0 / 14.0));
  const CommunityHealth h = community_health(g);
  CHECK(h.components == 1);
  CHECK(h.largest_component == 6);
  CHECK(h.isolated.empty());
  REQUIRE(h.brokers.size() == 2);
  CHECK(h.brokers[0].vertex == 2);  // equal betweenness: lower vertex first
  CHECK(h.brokers[1].vertex == 3);
  CHECK(h.communities.count == 2);
}

TEST_CASE("Louvain recovers four cliques joined in a ring, whatever the visiting order") {
  std::vector<std::pair<Vertex, Vertex>> edges;
  for (Vertex c = 0; c < 4; ++c) {
    for (Vertex i = 0; i < 5; ++i)
      for (Vertex j = i + 1; j < 5; ++j) edges.push_back({5 * c + i, 5 * c + j});
    edges.push_back({5 * c + 4, (5 * c + 5) % 20});
  }
  const auto g = undirected(20, edges);
  for (std::uint64_t seed : {0ull, 1ull, 99ull}) {
    LouvainOptions o;
    o.seed = seed;
    const Partition p = louvain(g, o);
    REQUIRE(p.count == 4);
    for (Vertex v = 0; v < 20; ++v) CHECK(p.community[v] == v / 5);
  }
  // Same seed, same partition, bit for bit.
  LouvainOptions o;
  o.seed = 5;
  CHECK(louvain(g, o).community == louvain(g, o).community);
  CHECK(louvain(g, o).modularity == louvain(g, o).modularity);
}

TEST_CASE("directed counts: parallel arcs add up, reciprocity reads both directions") {
  const auto g = InteractionGraph::from_arcs(4, {{0, 1, 2}, {0, 1, 1}, {1, 0, 4}, {0, 2, 1}, {3, 3, 9}});
  CHECK(g.tie_count() == 2);  // the self-loop on 3 is dropped
  CHECK(g.sent(0, 1) == 3);
  CHECK(g.sent(1, 0) == 4);
  CHECK(g.weight(0, 1) == 7);
  CHECK(g.sent(2, 0) == 0);
  CHECK(g.sent(0, 3) == 0);
  CHECK(g.sent_total(0) == 4);
  CHECK(g.received_total(0) == 4);
  CHECK(g.reciprocated(0) == 1);  // with 1, not with 2
  CHECK(g.degree(3) == 0);
  const Components c = connected_components(g);
  CHECK(c.count == 2);
  CHECK(c.component == std::vector<std::uint32_t>{0, 0, 0, 1});
  CHECK(c.sizes() == std::vector<std::uint32_t>{3, 1});
}

TEST_CASE("empty and edgeless graphs") {
  const auto empty = InteractionGraph::from_arcs(0, {});
  CHECK(connected_components(empty).count == 0);
  CHECK(betweenness(empty).empty());
  CHECK(louvain(empty).count == 0);
  CHECK(empty.density() == 0.0);
  const auto alone = InteractionGraph::from_arcs(3, {});
  CHECK(connected_components(alone).count == 3);
  CHECK(active_core(alone).empty());
  CHECK(bfs_distances(alone, Span<Vertex>()) == std::vector<std::uint32_t>(3, kUnreachable));
  const Partition p = louvain(alone);
  CHECK(p.count == 3);
  CHECK(p.modularity == 0.0);
  CHECK(modularity(alone, p.community) == 0.0);
}

TEST_CASE("sampled sources are distinct, sorted, reproducible") {
  const auto a = sample_vertices(1000, 50, 42);
  CHECK(a.size() == 50);
  CHECK(std::is_sorted(a.begin(), a.end()));
  CHECK(std::adjacent_find(a.begin(), a.end()) == a.end());
  CHECK(a == sample_vertices(1000, 50, 42));
  CHECK(a != sample_vertices(1000, 50, 43));
  CHECK(sample_vertices(5, 9, 1) == std::vector<Vertex>{0, 1, 2, 3, 4});
}

TEST_CASE("bad arguments to the graph algorithms are refused with what and where") {
  CHECK_THROWS_AS(InteractionGraph::from_arcs(3, {{0, 3, 1}}), InvalidArgument);
  CHECK_THROWS_WITH(InteractionGraph::from_arcs(3, {{0, 1, 1}, {5, 1, 1}}),
                    Catch::Contains("arc 1") && Catch::Contains("vertex 5"));
  BetweennessOptions o;
  o.sources = {0, 7};
  CHECK_THROWS_WITH(betweenness(path5(), o), Catch::Contains("source 1 is vertex 7"));
  const std::vector<std::uint32_t> short_partition{0, 0};
  CHECK_THROWS_WITH(modularity(path5(), short_partition), Catch::Contains("2 labels for a graph of 5"));
}
