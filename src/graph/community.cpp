// Louvain community detection and Newman modularity on the peer graph.
#include "lien/graph/community.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include "lien/core/error.hpp"
#include "lien/core/random.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

// A weighted undirected graph at one Louvain level: CSR rows without self-loops, each tie in both rows, and
// the weight of each vertex's self-loop (the weight inside the community it stands for) kept apart.
struct Level {
  std::vector<std::uint32_t> offset, adj;
  std::vector<double> w, self;
  std::size_t size() const noexcept { return self.size(); }
  double degree(std::uint32_t v) const {
    double d = 2.0 * self[v];
    for (std::uint32_t i = offset[v]; i < offset[v + 1]; ++i) d += w[i];
    return d;
  }
};

Level first_level(const InteractionGraph& ig, bool weighted) {
  const auto& g = ig.boost_graph();
  Level L;
  const std::size_t n = ig.vertex_count();
  L.offset.assign(n + 1, 0);
  L.self.assign(n, 0.0);
  L.adj.reserve(boost::num_edges(g));
  L.w.reserve(boost::num_edges(g));
  for (Vertex v = 0; v < n; ++v) {
    for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
      L.adj.push_back(boost::target(*it, g));
      L.w.push_back(weighted ? static_cast<double>(g[*it].sent) + g[*it].received : 1.0);
    }
    L.offset[v + 1] = static_cast<std::uint32_t>(L.adj.size());
  }
  return L;
}

// Total weight m: each tie once, plus self-loops.
double total_weight(const Level& L) {
  double m = 0;
  for (double x : L.w) m += x;
  m /= 2;
  for (double s : L.self) m += s;
  return m;
}

// Modularity of `com` (labels < count) on level graph L with total weight m.
double level_modularity(const Level& L, const std::vector<std::uint32_t>& com, std::uint32_t count, double m,
                        double gamma) {
  if (m <= 0) return 0.0;
  std::vector<double> inside(count, 0.0), tot(count, 0.0);
  for (std::uint32_t v = 0; v < L.size(); ++v) {
    inside[com[v]] += L.self[v];
    tot[com[v]] += 2.0 * L.self[v];
    for (std::uint32_t i = L.offset[v]; i < L.offset[v + 1]; ++i) {
      tot[com[v]] += L.w[i];
      if (com[L.adj[i]] == com[v] && v < L.adj[i]) inside[com[v]] += L.w[i];
    }
  }
  double q = 0;
  for (std::uint32_t c = 0; c < count; ++c) {
    const double f = tot[c] / (2.0 * m);
    q += inside[c] / m - gamma * f * f;
  }
  return q;
}

// Relabels communities 0 .. count-1 in order of their smallest vertex; returns count.
std::uint32_t renumber(std::vector<std::uint32_t>& com) {
  std::vector<std::uint32_t> map(com.size(), kNoId);
  std::uint32_t next = 0;
  for (auto& c : com) {
    if (map[c] == kNoId) map[c] = next++;
    c = map[c];
  }
  return next;
}

// One Louvain level (networkx's _one_level): local moves until a full pass moves nothing. Returns whether
// anything moved; `com` receives the (renumbered) community of each level vertex.
bool one_level(const Level& L, double m, double gamma, SplitMix64* rng, std::vector<std::uint32_t>& com) {
  const std::uint32_t n = static_cast<std::uint32_t>(L.size());
  std::vector<double> k(n), tot(n), wc(n, 0.0);
  std::vector<std::uint32_t> order(n), touched, stamp(n, kNoId);
  com.resize(n);
  for (std::uint32_t v = 0; v < n; ++v) k[v] = L.degree(v), tot[v] = k[v], com[v] = v, order[v] = v;
  if (rng) rng->shuffle(order);
  const double two_m2 = 2.0 * m * m;
  bool improved = false;
  for (bool moved = true; moved;) {
    moved = false;
    for (std::uint32_t u : order) {
      for (std::uint32_t i = L.offset[u]; i < L.offset[u + 1]; ++i) {
        const std::uint32_t c = com[L.adj[i]];
        if (stamp[c] != u) stamp[c] = u, touched.push_back(c);
        wc[c] += L.w[i];
      }
      const std::uint32_t own = com[u];
      std::uint32_t best = own;
      double best_gain = 0.0;
      tot[own] -= k[u];
      const double remove_cost = -wc[own] / m + gamma * tot[own] * k[u] / two_m2;
      for (std::uint32_t c : touched) {
        const double gain = remove_cost + wc[c] / m - gamma * tot[c] * k[u] / two_m2;
        if (gain > best_gain) best_gain = gain, best = c;
      }
      tot[best] += k[u];
      if (best != own) com[u] = best, moved = improved = true;
      for (std::uint32_t c : touched) wc[c] = 0.0, stamp[c] = kNoId;
      touched.clear();
    }
  }
  renumber(com);
  return improved;
}

// The graph of communities: one vertex per community, ties summed, inner weight as self-loop.
Level aggregate(const Level& L, const std::vector<std::uint32_t>& com, std::uint32_t count) {
  std::vector<std::pair<std::uint64_t, double>> pairs;
  Level A;
  A.self.assign(count, 0.0);
  for (std::uint32_t v = 0; v < L.size(); ++v) {
    A.self[com[v]] += L.self[v];
    for (std::uint32_t i = L.offset[v]; i < L.offset[v + 1]; ++i) {
      const std::uint32_t x = L.adj[i];
      if (x < v) continue;
      const std::uint32_t a = com[v], b = com[x];
      if (a == b) {
        A.self[a] += L.w[i];
      } else {
        pairs.push_back({(static_cast<std::uint64_t>(a) << 32) | b, L.w[i]});
        pairs.push_back({(static_cast<std::uint64_t>(b) << 32) | a, L.w[i]});
      }
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  A.offset.assign(count + 1, 0);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0 && pairs[i].first == pairs[i - 1].first) {
      A.w.back() += pairs[i].second;
      continue;
    }
    const std::uint32_t a = static_cast<std::uint32_t>(pairs[i].first >> 32);
    A.adj.push_back(static_cast<std::uint32_t>(pairs[i].first & 0xFFFFFFFFu));
    A.w.push_back(pairs[i].second);
    ++A.offset[a + 1];
  }
  for (std::uint32_t c = 0; c < count; ++c) A.offset[c + 1] += A.offset[c];
  return A;
}

}  // namespace

Partition louvain(const InteractionGraph& g, const LouvainOptions& options) {
  const std::size_t n = g.vertex_count();
  Partition p;
  p.community.resize(n);
  std::iota(p.community.begin(), p.community.end(), 0u);
  p.count = static_cast<std::uint32_t>(n);
  Level L = first_level(g, options.weighted);
  const double m = total_weight(L);
  if (n == 0 || m <= 0) {
    p.modularity = level_modularity(L, p.community, p.count, m, options.resolution);
    return p;
  }
  SplitMix64 rng(options.seed);
  SplitMix64* order_rng = options.seed == 0 ? nullptr : &rng;
  double mod = level_modularity(L, p.community, p.count, m, options.resolution);
  std::vector<std::uint32_t> com;
  // As networkx.louvain_partitions: keep the partition of each level; stop when a level moves nothing or
  // gains no more than the threshold (the last partition is still kept, as networkx returns it).
  while (true) {
    const bool improved = one_level(L, m, options.resolution, order_rng, com);
    if (!improved) break;
    const std::uint32_t count = *std::max_element(com.begin(), com.end()) + 1;
    for (auto& c : p.community) c = com[c];
    p.count = count;
    const double new_mod = level_modularity(L, com, count, m, options.resolution);
    if (new_mod - mod <= options.threshold) break;
    mod = new_mod;
    L = aggregate(L, com, count);
  }
  p.count = renumber(p.community);
  p.modularity = modularity(g, p.community, options.resolution, options.weighted);
  return p;
}

double modularity(const InteractionGraph& g, Span<std::uint32_t> community, double resolution, bool weighted) {
  if (community.size() != g.vertex_count())
    throw InvalidArgument("modularity: the partition has " + std::to_string(community.size()) +
                          " labels for a graph of " + std::to_string(g.vertex_count()) + " vertices");
  std::vector<std::uint32_t> com(community.begin(), community.end());
  // Labels may be any integers: compress them first.
  std::vector<std::uint32_t> labels(com);
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  for (auto& c : com) c = static_cast<std::uint32_t>(std::lower_bound(labels.begin(), labels.end(), c) - labels.begin());
  const Level L = first_level(g, weighted);
  return level_modularity(L, com, static_cast<std::uint32_t>(labels.size()), total_weight(L), resolution);
}

LIEN_END_NAMESPACE
