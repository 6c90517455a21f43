// lien/graph/betweenness.hpp — brokers: who sits on the shortest paths between the others (Brandes, 2001).
//
// Betweenness of v = sum over sources s and targets t (s != v != t) of the share of shortest s-t paths
// through v, on the undirected, unweighted peer graph. Exact when every vertex is a source; from a subset of
// sources it is the partial sum networkx.betweenness_centrality_subset(G, sources, targets=G) computes, which
// is what large graphs can afford (O(k E) for k sources instead of O(V E)).
//
// Scaling follows networkx: normalised values are divided by (n - 1)(n - 2); raw values are halved, because
// an undirected path is counted once from each end. With all sources both agree with
// networkx.betweenness_centrality(G, normalized=...).
//
// Sources are processed in blocks of a fixed size, each block accumulated in its own buffer and the blocks
// added in order, so the result is bit-identical whatever the number of threads.
#pragma once

#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/graph/interaction_graph.hpp"

LIEN_BEGIN_NAMESPACE

struct BetweennessOptions {
  /// Source vertices; empty means every vertex (exact betweenness). Repeated sources count twice.
  std::vector<Vertex> sources;
  bool normalized = true;
  /// Worker threads; 0 means the hardware's. The result does not depend on it.
  unsigned threads = 1;
};

/// Betweenness centrality of every vertex. Throws InvalidArgument for a source that is not a vertex.
std::vector<double> betweenness(const InteractionGraph& g, const BetweennessOptions& options = {});

/// `k` distinct vertices drawn uniformly with a seeded generator (splitmix64), in increasing order; every
/// vertex when k >= n. For sampled betweenness on large graphs.
std::vector<Vertex> sample_vertices(std::size_t n, std::size_t k, std::uint64_t seed);

LIEN_END_NAMESPACE
