// lien/graph/structure.hpp — the shape of a peer graph: connected components, BFS distances and k-cores.
//
// These answer "is this group one community or several islands", "how far is this learner from the people
// who carry the group" and "who is that core". They run on the undirected view of an InteractionGraph, in
// O(V + E), and number everything in vertex order so that the same graph always gives the same answer.
#pragma once

#include <cstdint>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/graph/interaction_graph.hpp"

LIEN_BEGIN_NAMESPACE

/// Connected components: `component[v]` in 0 .. count-1, numbered in the order of their smallest vertex.
struct Components {
  std::vector<std::uint32_t> component;
  std::uint32_t count = 0;
  /// Vertices in each component.
  std::vector<std::uint32_t> sizes() const;
  /// Vertices in the largest component (0 for an empty graph).
  std::uint32_t largest() const;
};

/// Connected components of the undirected peer graph (Boost.Graph connected_components).
Components connected_components(const InteractionGraph& g);

/// Hop distances from `source` to every vertex (kUnreachable when none).
std::vector<std::uint32_t> bfs_distances(const InteractionGraph& g, Vertex source);

/// Hop distance from every vertex to the nearest of `sources` (0 for the sources themselves; kUnreachable
/// when no source can be reached, and for every vertex when `sources` is empty).
std::vector<std::uint32_t> bfs_distances(const InteractionGraph& g, Span<Vertex> sources);

/// Core number of every vertex: the largest k such that the vertex belongs to the k-core (the maximal
/// subgraph where every vertex has at least k neighbours). Batagelj–Zaversnik, O(V + E); equals
/// networkx.core_number.
std::vector<std::uint32_t> core_numbers(const InteractionGraph& g);

/// The active core of a group: the vertices of its innermost k-core (core number == the graph's maximum),
/// in vertex order. Empty when the graph has no tie. In a peer graph these are the learners who keep talking
/// to each other; how far the others are from them is a measure of how peripheral they are.
std::vector<Vertex> active_core(const InteractionGraph& g);

LIEN_END_NAMESPACE
