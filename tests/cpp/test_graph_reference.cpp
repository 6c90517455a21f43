// Graph measures against networkx: betweenness (exact and from a subset of sources, normalised and raw),
// components, density, core numbers, BFS distances and modularity, on graphs written by
// tests/data/graph/make_reference.py.
#include <catch2/catch.hpp>

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lien/graph/betweenness.hpp"
#include "lien/graph/community.hpp"
#include "lien/graph/interaction_graph.hpp"
#include "lien/graph/structure.hpp"

using namespace lien;

namespace {

struct RefPartition {
  std::string kind;
  std::vector<std::uint32_t> labels;
  double modularity, modularity_unweighted, modularity_gamma_2;
};

struct RefGraph {
  std::string name;
  std::size_t n = 0;
  std::vector<Arc> arcs;
  std::size_t ties = 0;
  double density = 0;
  std::uint32_t components = 0;
  std::vector<std::uint32_t> component_of, core_number;
  std::vector<double> betweenness, betweenness_raw, betweenness_subset, betweenness_subset_raw;
  std::vector<Vertex> sources;
  Vertex distance_source = 0;
  std::vector<std::int64_t> distances;
  std::vector<RefPartition> partitions;
  std::vector<std::uint32_t> lien_labels;  // lien's Louvain partition when the reference was generated
  double lien_modularity = 0;              // ... and its modularity according to networkx
};

template <class T>
std::vector<T> numbers(simdjson::dom::element e) {
  std::vector<T> out;
  for (auto x : e.get_array()) {
    if constexpr (std::is_floating_point<T>::value) out.push_back(static_cast<T>(double(x)));
    else out.push_back(static_cast<T>(std::int64_t(x)));
  }
  return out;
}

const std::vector<RefGraph>& reference() {
  static const std::vector<RefGraph> graphs = [] {
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.load(std::string(LIEN_TEST_DATA_DIR) + "/graph/reference.json");
    std::vector<RefGraph> out;
    for (simdjson::dom::element g : doc["graphs"].get_array()) {
      RefGraph r;
      r.name = std::string(std::string_view(g["name"]));
      r.n = static_cast<std::size_t>(std::int64_t(g["n"]));
      for (simdjson::dom::element a : g["arcs"].get_array()) {
        const auto v = numbers<std::int64_t>(a);
        r.arcs.push_back({static_cast<Vertex>(v[0]), static_cast<Vertex>(v[1]), static_cast<std::uint32_t>(v[2])});
      }
      r.ties = static_cast<std::size_t>(std::int64_t(g["ties"]));
      r.density = double(g["density"]);
      r.components = static_cast<std::uint32_t>(std::int64_t(g["components"]));
      r.component_of = numbers<std::uint32_t>(g["component_of"]);
      r.core_number = numbers<std::uint32_t>(g["core_number"]);
      r.betweenness = numbers<double>(g["betweenness"]);
      r.betweenness_raw = numbers<double>(g["betweenness_raw"]);
      r.betweenness_subset = numbers<double>(g["betweenness_subset"]);
      r.betweenness_subset_raw = numbers<double>(g["betweenness_subset_raw"]);
      r.sources = numbers<Vertex>(g["sources"]);
      r.distance_source = static_cast<Vertex>(std::int64_t(g["distance_source"]));
      r.distances = numbers<std::int64_t>(g["distances"]);
      for (simdjson::dom::element p : g["partitions"].get_array())
        r.partitions.push_back({std::string(std::string_view(p["kind"])), numbers<std::uint32_t>(p["labels"]),
                                double(p["modularity"]), double(p["modularity_unweighted"]),
                                double(p["modularity_gamma_2"])});
      r.lien_labels = numbers<std::uint32_t>(g["lien_louvain"]["labels"]);
      r.lien_modularity = double(g["lien_louvain"]["modularity"]);
      out.push_back(std::move(r));
    }
    return out;
  }();
  return graphs;
}

void check_close(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t v = 0; v < got.size(); ++v) {
    INFO("vertex " << v);
    CHECK(got[v] == Approx(want[v]).epsilon(1e-10).margin(1e-12));
  }
}

}  // namespace

TEST_CASE("the reference file holds the three graphs") {
  REQUIRE(reference().size() == 3);
  CHECK(reference()[0].n == 34);
  CHECK(reference()[1].n == 77);
  CHECK(reference()[2].n == 65);
}

TEST_CASE("ties, density, components and core numbers match networkx") {
  for (const RefGraph& r : reference()) {
    INFO(r.name);
    const auto g = InteractionGraph::from_arcs(r.n, r.arcs);
    CHECK(g.vertex_count() == r.n);
    CHECK(g.tie_count() == r.ties);
    CHECK(g.density() == Approx(r.density).epsilon(1e-12));
    const Components c = connected_components(g);
    CHECK(c.count == r.components);
    CHECK(c.component == r.component_of);
    CHECK(core_numbers(g) == r.core_number);
    const auto d = bfs_distances(g, r.distance_source);
    REQUIRE(d.size() == r.n);
    for (std::size_t v = 0; v < r.n; ++v)
      CHECK((r.distances[v] < 0 ? d[v] == kUnreachable : d[v] == static_cast<std::uint32_t>(r.distances[v])));
  }
}

TEST_CASE("exact betweenness matches networkx.betweenness_centrality") {
  for (const RefGraph& r : reference()) {
    INFO(r.name);
    const auto g = InteractionGraph::from_arcs(r.n, r.arcs);
    check_close(betweenness(g), r.betweenness);
    BetweennessOptions raw;
    raw.normalized = false;
    check_close(betweenness(g, raw), r.betweenness_raw);
  }
}

TEST_CASE("betweenness from a subset of sources matches networkx.betweenness_centrality_subset") {
  for (const RefGraph& r : reference()) {
    INFO(r.name);
    const auto g = InteractionGraph::from_arcs(r.n, r.arcs);
    BetweennessOptions o;
    o.sources = r.sources;
    check_close(betweenness(g, o), r.betweenness_subset);
    o.normalized = false;
    check_close(betweenness(g, o), r.betweenness_subset_raw);
  }
}

TEST_CASE("betweenness does not depend on the number of threads, to the bit") {
  const RefGraph& r = reference()[1];
  const auto g = InteractionGraph::from_arcs(r.n, r.arcs);
  BetweennessOptions o;
  const auto one = betweenness(g, o);
  for (unsigned t : {2u, 3u, 8u, 0u}) {
    o.threads = t;
    CHECK(betweenness(g, o) == one);  // exact equality of doubles
  }
}

TEST_CASE("modularity of given partitions matches networkx (weighted, unweighted, resolution 2)") {
  for (const RefGraph& r : reference()) {
    const auto g = InteractionGraph::from_arcs(r.n, r.arcs);
    for (const RefPartition& p : r.partitions) {
      INFO(r.name << ": " << p.kind);
      CHECK(modularity(g, p.labels) == Approx(p.modularity).epsilon(1e-12).margin(1e-14));
      CHECK(modularity(g, p.labels, 1.0, false) == Approx(p.modularity_unweighted).epsilon(1e-12).margin(1e-14));
      CHECK(modularity(g, p.labels, 2.0) == Approx(p.modularity_gamma_2).epsilon(1e-12).margin(1e-14));
    }
  }
}

TEST_CASE("Louvain finds partitions as good as networkx's, and reports their networkx modularity") {
  for (const RefGraph& r : reference()) {
    INFO(r.name);
    const auto g = InteractionGraph::from_arcs(r.n, r.arcs);
    double best_nx = -1;
    for (const RefPartition& p : r.partitions)
      if (p.kind.rfind("networkx louvain", 0) == 0) best_nx = std::max(best_nx, p.modularity);
    for (std::uint64_t seed : {0ull, 7ull}) {
      LouvainOptions o;
      o.seed = seed;
      const Partition p = louvain(g, o);
      REQUIRE(p.community.size() == r.n);
      CHECK(p.count == *std::max_element(p.community.begin(), p.community.end()) + 1);
      CHECK(p.modularity == modularity(g, p.community));
      CHECK(p.modularity >= best_nx - 0.01);
      // A community never spans two components (merging across them always lowers modularity).
      const Components c = connected_components(g);
      for (Vertex u = 0; u < r.n; ++u)
        for (Vertex v = u + 1; v < r.n; ++v)
          if (p.community[u] == p.community[v]) CHECK(c.component[u] == c.component[v]);
    }
  }
}

TEST_CASE("Louvain's partition is stable, and its modularity is networkx's modularity of that partition") {
  for (const RefGraph& r : reference()) {
    INFO(r.name);
    const auto g = InteractionGraph::from_arcs(r.n, r.arcs);
    const Partition p = louvain(g);
    CHECK(p.community == r.lien_labels);
    CHECK(p.modularity == Approx(r.lien_modularity).epsilon(1e-12));
  }
}
