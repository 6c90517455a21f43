// Brandes betweenness from a set of sources, blocked so that threads never change the result.
#include "lien/graph/betweenness.hpp"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>

#include "lien/core/error.hpp"
#include "lien/graph/rng.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

// Sources are cut into this many contiguous blocks (fewer when there are fewer sources). Each block sums its
// sources in order into its own buffer and the buffers are added in block order: the floating-point sums are
// the same for 1 or 64 threads. Eight blocks keep two or four cores busy for a few buffers of memory.
constexpr std::size_t kBlocks = 8;

struct Workspace {
  std::vector<std::int32_t> dist;
  std::vector<double> sigma, delta;
  std::vector<Vertex> order;
  explicit Workspace(std::size_t n) : dist(n, -1), sigma(n, 0.0), delta(n, 0.0), order(n) {}
};

// One source: BFS counting shortest paths, then dependencies pulled from successors in reverse BFS order.
void accumulate(const InteractionGraph::Graph& g, Vertex s, Workspace& w, double* acc) {
  std::int32_t* dist = w.dist.data();
  double* sigma = w.sigma.data();
  double* delta = w.delta.data();
  Vertex* order = w.order.data();
  std::size_t head = 0, tail = 0;
  order[tail++] = s;
  dist[s] = 0;
  sigma[s] = 1.0;
  while (head < tail) {
    const Vertex v = order[head++];
    const std::int32_t dn = dist[v] + 1;
    const double sv = sigma[v];
    for (auto [it, end] = boost::adjacent_vertices(v, g); it != end; ++it) {
      const Vertex x = *it;
      if (dist[x] < 0) dist[x] = dn, order[tail++] = x;
      if (dist[x] == dn) sigma[x] += sv;
    }
  }
  for (std::size_t i = tail; i-- > 0;) {
    const Vertex v = order[i];
    const std::int32_t dn = dist[v] + 1;
    double d = 0.0;
    for (auto [it, end] = boost::adjacent_vertices(v, g); it != end; ++it) {
      const Vertex x = *it;
      if (dist[x] == dn) d += (1.0 + delta[x]) / sigma[x];
    }
    d *= sigma[v];
    delta[v] = d;
    if (v != s) acc[v] += d;
  }
  for (std::size_t i = 0; i < tail; ++i) {
    const Vertex v = order[i];
    dist[v] = -1, sigma[v] = 0.0, delta[v] = 0.0;
  }
}

}  // namespace

std::vector<double> betweenness(const InteractionGraph& ig, const BetweennessOptions& options) {
  const std::size_t n = ig.vertex_count();
  const auto& g = ig.boost_graph();
  std::vector<Vertex> all;
  const std::vector<Vertex>* sources = &options.sources;
  if (sources->empty()) {
    all.resize(n);
    for (Vertex v = 0; v < n; ++v) all[v] = v;
    sources = &all;
  }
  for (std::size_t i = 0; i < sources->size(); ++i)
    if ((*sources)[i] >= n)
      throw InvalidArgument("betweenness: source " + std::to_string(i) + " is vertex " +
                            std::to_string((*sources)[i]) + ", but the graph has " + std::to_string(n) + " vertices");

  std::vector<double> result(n, 0.0);
  const std::size_t k = sources->size();
  if (n == 0 || k == 0) return result;
  const std::size_t blocks = std::min(kBlocks, k);
  std::vector<std::vector<double>> acc(blocks);
  unsigned threads = options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads;
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, blocks));

  std::atomic<std::size_t> next{0};
  auto work = [&] {
    Workspace w(n);
    for (std::size_t b; (b = next.fetch_add(1)) < blocks;) {
      acc[b].assign(n, 0.0);
      const std::size_t lo = b * k / blocks, hi = (b + 1) * k / blocks;
      for (std::size_t i = lo; i < hi; ++i) accumulate(g, (*sources)[i], w, acc[b].data());
    }
  };
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& t : pool) t.join();
  }
  for (std::size_t b = 0; b < blocks; ++b)
    for (std::size_t v = 0; v < n; ++v) result[v] += acc[b][v];

  // networkx's scaling (betweenness_subset._rescale with endpoints excluded).
  if (n > 2) {
    const double scale = options.normalized ? 1.0 / (static_cast<double>(n - 1) * static_cast<double>(n - 2)) : 0.5;
    for (double& x : result) x *= scale;
  }
  return result;
}

std::vector<Vertex> sample_vertices(std::size_t n, std::size_t k, std::uint64_t seed) {
  std::vector<Vertex> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<Vertex>(i);
  if (k >= n) return v;
  SplitMix64 rng(seed);
  for (std::size_t i = 0; i < k; ++i) std::swap(v[i], v[i + rng.below(n - i)]);
  v.resize(k);
  std::sort(v.begin(), v.end());
  return v;
}

LIEN_END_NAMESPACE
