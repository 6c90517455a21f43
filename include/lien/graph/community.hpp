// lien/graph/community.hpp — sub-groups of a peer graph: Louvain community detection and modularity.
//
// Louvain (Blondel et al., 2008) moves each vertex to the neighbouring community with the best modularity
// gain until nothing moves, merges the communities into vertices, and repeats while modularity improves by
// more than a threshold. It is deterministic here: vertices are visited in vertex order (or in an order
// shuffled by a seeded generator), neighbouring communities in order of first appearance, and a move needs
// a strictly positive gain. Edges are weighted by the number of interactions (sent + received).
#pragma once

#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/graph/interaction_graph.hpp"

LIEN_BEGIN_NAMESPACE

struct LouvainOptions {
  double resolution = 1.0;  ///< gamma: above 1 favours smaller communities
  double threshold = 1e-7;  ///< stop when a level improves modularity by this much or less (networkx's default)
  std::uint64_t seed = 0;   ///< 0: visit vertices in vertex order; otherwise in a seeded shuffled order
  bool weighted = true;     ///< weigh ties by their interaction count; false: every tie weighs 1
};

/// A partition of the vertices: `community[v]` in 0 .. count-1, numbered in order of their smallest vertex.
struct Partition {
  std::vector<std::uint32_t> community;
  std::uint32_t count = 0;
  double modularity = 0;
};

/// Louvain communities. Isolated vertices are communities of their own.
Partition louvain(const InteractionGraph& g, const LouvainOptions& options = {});

/// Newman modularity of a partition, as networkx.algorithms.community.modularity computes it:
/// sum over communities c of L_c / m - gamma (d_c / 2m)^2, with L_c the weight inside c, d_c the weighted
/// degree of c, m the total weight. 0 for a graph without ties. Throws InvalidArgument when `community`
/// does not have one entry per vertex.
double modularity(const InteractionGraph& g, Span<std::uint32_t> community, double resolution = 1.0,
                  bool weighted = true);

LIEN_END_NAMESPACE
