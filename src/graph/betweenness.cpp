// Brandes betweenness from a set of sources, blocked so that threads never change the result.
#include "lien/graph/betweenness.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <string>
#include <thread>

#include "lien/core/error.hpp"
#include "lien/core/random.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

// Sources are cut into this many contiguous blocks (fewer when there are fewer sources). Each block sums its
// sources in order into its own buffer and the buffers are added in block order: the floating-point sums are
// the same for 1 or 64 threads. Eight blocks keep two or four cores busy for a few buffers of memory.
constexpr std::size_t kBlocks = 8;

// Per-vertex state packed together: the BFS reads `dist` and writes `sigma` of each neighbour, the
// accumulation reads `dist` and `coeff` of each neighbour, so one cache line serves both.
struct Node {
  std::int32_t dist = -1;
  double sigma = 0.0;
  double coeff = 0.0;  // (1 + delta) / sigma once the vertex's dependency is known
};

struct Workspace {
  std::vector<Node> node;
  std::vector<Vertex> order;
  explicit Workspace(std::size_t n) : node(n), order(n) {}
};

// One source: BFS counting shortest paths, then dependencies pulled from successors in reverse BFS order:
// delta(v) = sigma(v) * sum over successors x of (1 + delta(x)) / sigma(x). Storing that quotient per vertex
// turns the division per arc into one per vertex.
void accumulate(const InteractionGraph::Graph& g, Vertex s, Workspace& w, double* acc) {
  Node* node = w.node.data();
  Vertex* order = w.order.data();
  std::size_t head = 0, tail = 0;
  order[tail++] = s;
  node[s].dist = 0;
  node[s].sigma = 1.0;
  while (head < tail) {
    const Vertex v = order[head++];
    const std::int32_t dn = node[v].dist + 1;
    const double sv = node[v].sigma;
    for (auto [it, end] = boost::adjacent_vertices(v, g); it != end; ++it) {
      Node& x = node[*it];
      if (x.dist < 0) x.dist = dn, order[tail++] = *it;
      if (x.dist == dn) x.sigma += sv;
    }
  }
  for (std::size_t i = tail; i-- > 0;) {
    const Vertex v = order[i];
    const std::int32_t dn = node[v].dist + 1;
    double sum = 0.0;
    for (auto [it, end] = boost::adjacent_vertices(v, g); it != end; ++it) {
      const Node& x = node[*it];
      if (x.dist == dn) sum += x.coeff;
    }
    const double delta = node[v].sigma * sum;
    node[v].coeff = (1.0 + delta) / node[v].sigma;
    if (v != s) acc[v] += delta;
  }
  for (std::size_t i = 0; i < tail; ++i) node[order[i]] = Node{};
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
  std::vector<std::exception_ptr> failure(threads);
  auto work = [&](unsigned t) {
    try {
      Workspace w(n);
      for (std::size_t b; (b = next.fetch_add(1)) < blocks;) {
        acc[b].assign(n, 0.0);
        const std::size_t lo = b * k / blocks, hi = (b + 1) * k / blocks;
        for (std::size_t i = lo; i < hi; ++i) accumulate(g, (*sources)[i], w, acc[b].data());
      }
    } catch (...) {
      // An exception must not leave a worker thread (std::terminate): hand it to the caller.
      failure[t] = std::current_exception();
      next = blocks;
    }
  };
  if (threads <= 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
    for (auto& t : pool) t.join();
  }
  for (const auto& f : failure)
    if (f) std::rethrow_exception(f);
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
