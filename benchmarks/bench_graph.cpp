// bench_graph — betweenness (from k sources) and connected components on a large interaction graph.
//
// Reads an undirected edge list ("u v" per line, vertices 0 .. n-1) and a list of source vertices, both
// written by bench_graph.py, so that networkx and python-igraph time the same computation on the same graph
// in the same run. Without --edges it generates a clustered graph itself (the same recipe, its own seeded
// generator) to time lien alone. Prints one JSON object; --out writes the betweenness values (one per line,
// %.17g) and --components-out the component labels, for bench_graph.py to compare. --weighted reads
// "u v count" triples instead of pairs; --partition-out also runs Louvain (seed 0, weighted) and writes its
// labels (tests/data/graph/make_reference.py uses it to have networkx score lien's partition).
//
//   bench_graph [--edges FILE [--weighted] --sources FILE | --n 100000 --k 256 --seed 1] [--threads 1]
//               [--repeat 3] [--out FILE] [--components-out FILE] [--partition-out FILE] [--quick]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "lien/graph/betweenness.hpp"
#include "lien/graph/community.hpp"
#include "lien/graph/interaction_graph.hpp"
#include "lien/core/random.hpp"
#include "lien/graph/structure.hpp"

using namespace lien;

namespace {

std::vector<std::uint64_t> read_numbers(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "bench_graph: cannot read " << path << "\n";
    std::exit(2);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string s = ss.str();
  std::vector<std::uint64_t> out;
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    while (p < end && (*p < '0' || *p > '9')) ++p;
    if (p == end) break;
    std::uint64_t x = 0;
    while (p < end && *p >= '0' && *p <= '9') x = x * 10 + static_cast<std::uint64_t>(*p++ - '0');
    out.push_back(x);
  }
  return out;
}

// Teams of 25 with ties inside at probability 0.33, plus n cross ties mostly to nearby teams, 2% of people
// without any tie: about 100,000 vertices and 500,000 ties for n = 100,000.
std::vector<Arc> clustered(std::size_t n, std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<Arc> arcs;
  const std::size_t group = 25;
  for (std::size_t g = 0; g + group <= n; g += group)
    for (std::size_t i = 0; i < group; ++i)
      for (std::size_t j = i + 1; j < group; ++j)
        if (rng.uniform() < 0.33) arcs.push_back({static_cast<Vertex>(g + i), static_cast<Vertex>(g + j), 1});
  for (std::size_t c = 0; c < n; ++c) {
    const std::size_t a = rng.below(n);
    std::size_t hops = 1;
    while (rng.uniform() >= 0.05) ++hops;
    const std::size_t off = hops * group + rng.below(group);
    const std::size_t b = rng.below(2) ? (a + off) % n : (a + n - off % n) % n;
    arcs.push_back({static_cast<Vertex>(a), static_cast<Vertex>(b), 1});
  }
  std::vector<char> alone(n, 0);
  for (std::size_t i = 0; i < n / 50; ++i) alone[rng.below(n)] = 1;
  arcs.erase(std::remove_if(arcs.begin(), arcs.end(), [&](const Arc& a) { return alone[a.from] || alone[a.to]; }),
             arcs.end());
  return arcs;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string edges_path, sources_path, out_path, components_out, partition_out;
  bool weighted = false;
  std::size_t n = 100000, k = 256;
  std::uint64_t seed = 1;
  unsigned threads = 1;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "bench_graph: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--edges") edges_path = next();
    else if (a == "--sources") sources_path = next();
    else if (a == "--out") out_path = next();
    else if (a == "--components-out") components_out = next();
    else if (a == "--partition-out") partition_out = next();
    else if (a == "--weighted") weighted = true;
    else if (a == "--n") n = std::stoull(next());
    else if (a == "--k") k = std::stoull(next());
    else if (a == "--seed") seed = std::stoull(next());
    else if (a == "--threads") threads = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--repeat") repeat = std::max(1, std::stoi(next()));
    else if (a == "--quick") n = 10000, k = 64, repeat = 1;
    else {
      std::cerr << "bench_graph: unknown option " << a << "\n";
      return 2;
    }
  }

  std::vector<Arc> arcs;
  std::vector<Vertex> sources;
  if (!edges_path.empty()) {
    const auto nums = read_numbers(edges_path);
    const std::size_t width = weighted ? 3 : 2;
    if (nums.size() < 1 || (nums.size() - 1) % width != 0) {
      std::cerr << "bench_graph: " << edges_path << " must start with n, then " << (weighted ? "u v count" : "u v")
                << " per line\n";
      return 2;
    }
    n = nums[0];
    for (std::size_t i = 1; i + width - 1 < nums.size(); i += width)
      arcs.push_back({static_cast<Vertex>(nums[i]), static_cast<Vertex>(nums[i + 1]),
                      weighted ? static_cast<std::uint32_t>(nums[i + 2]) : 1u});
    if (!sources_path.empty())
      for (auto s : read_numbers(sources_path)) sources.push_back(static_cast<Vertex>(s));
  } else {
    arcs = clustered(n, seed);
    sources = sample_vertices(n, k, seed);
  }

  auto t0 = std::chrono::steady_clock::now();
  const InteractionGraph g = InteractionGraph::from_arcs(n, arcs);
  const double build = seconds_since(t0);

  BetweennessOptions o;
  o.sources = sources;
  o.threads = threads;
  std::vector<double> bc;
  double bc_best = 1e300, cc_best = 1e300;
  Components cc;
  for (int r = 0; r < repeat; ++r) {
    t0 = std::chrono::steady_clock::now();
    bc = betweenness(g, o);
    bc_best = std::min(bc_best, seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    cc = connected_components(g);
    cc_best = std::min(cc_best, seconds_since(t0));
  }
  if (!out_path.empty()) {
    std::FILE* f = std::fopen(out_path.c_str(), "w");
    if (!f) return 2;
    for (double x : bc) std::fprintf(f, "%.17g\n", x);
    std::fclose(f);
  }
  if (!components_out.empty()) {
    std::FILE* f = std::fopen(components_out.c_str(), "w");
    if (!f) return 2;
    for (auto c : cc.component) std::fprintf(f, "%u\n", c);
    std::fclose(f);
  }
  double louvain_s = 0, q = 0;
  if (!partition_out.empty()) {
    t0 = std::chrono::steady_clock::now();
    const Partition p = louvain(g);
    louvain_s = seconds_since(t0);
    q = p.modularity;
    std::FILE* f = std::fopen(partition_out.c_str(), "w");
    if (!f) return 2;
    for (auto c : p.community) std::fprintf(f, "%u\n", c);
    std::fclose(f);
  }
  std::printf(
      "{\"vertices\": %zu, \"ties\": %zu, \"sources\": %zu, \"threads\": %u, \"build_s\": %.6f, "
      "\"betweenness_s\": %.6f, \"components_s\": %.6f, \"components\": %u, \"largest_component\": %u, "
      "\"louvain_s\": %.6f, \"modularity\": %.17g}\n",
      g.vertex_count(), g.tie_count(), sources.empty() ? g.vertex_count() : sources.size(), threads, build, bc_best,
      cc_best, cc.count, cc.largest(), louvain_s, q);
  return 0;
}
