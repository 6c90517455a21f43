#!/usr/bin/env python3
"""Reference values for tests/cpp/test_graph_reference.cpp, computed with networkx.

Writes reference.json beside this file. Each graph is given as directed arcs [from, to, count] (what
lien::InteractionGraph::from_arcs takes); networkx sees the undirected graph whose edge weight is the sum of
the counts both ways. Run it again (python3 make_reference.py) after changing it and commit both files.
"""
import argparse
import json
import pathlib
import random
import subprocess
import tempfile

import networkx as nx
from networkx.algorithms import community as nxc

SEED = 20270104


def undirected(n, arcs):
    G = nx.Graph()
    G.add_nodes_from(range(n))
    for u, v, c in arcs:
        if u == v:
            continue
        w = G[u][v]["weight"] if G.has_edge(u, v) else 0
        G.add_edge(u, v, weight=w + c)
    return G


def labels_by_smallest_vertex(n, groups):
    """Component labels numbered in the order of their smallest vertex, as lien numbers them."""
    label = [None] * n
    for i, g in enumerate(sorted(groups, key=min)):
        for v in g:
            label[v] = i
    return label


def lien_louvain(bench, n, arcs):
    """lien's Louvain labels (seed 0, weighted), from the benchmark binary."""
    with tempfile.TemporaryDirectory() as tmp:
        edges = pathlib.Path(tmp, "edges.txt")
        edges.write_text(f"{n}\n" + "".join(f"{u} {v} {c}\n" for u, v, c in arcs))
        labels = pathlib.Path(tmp, "labels.txt")
        subprocess.run([bench, "--edges", str(edges), "--weighted", "--repeat", "1", "--partition-out", str(labels)],
                       check=True, capture_output=True)
        return [int(x) for x in labels.read_text().split()]


def reference(name, n, arcs, rng, bench):
    G = undirected(n, arcs)
    sources = sorted(rng.sample(range(n), max(2, n // 5)))
    dist_source = sources[0]
    d = nx.single_source_shortest_path_length(G, dist_source)
    partitions = []
    for seed in (1, 2):
        comms = nxc.louvain_communities(G, weight="weight", seed=seed)
        partitions.append({"kind": f"networkx louvain seed {seed}",
                           "labels": labels_by_smallest_vertex(n, comms),
                           "modularity": nxc.modularity(G, comms, weight="weight"),
                           "modularity_unweighted": nxc.modularity(G, comms, weight=None),
                           "modularity_gamma_2": nxc.modularity(G, comms, weight="weight", resolution=2.0)})
    labels = [rng.randrange(4) for _ in range(n)]
    comms = [{v for v in range(n) if labels[v] == c} for c in sorted(set(labels))]
    partitions.append({"kind": "random labels", "labels": labels,
                       "modularity": nxc.modularity(G, comms, weight="weight"),
                       "modularity_unweighted": nxc.modularity(G, comms, weight=None),
                       "modularity_gamma_2": nxc.modularity(G, comms, weight="weight", resolution=2.0)})
    lien = lien_louvain(bench, n, arcs)
    lien_comms = [{v for v in range(n) if lien[v] == c} for c in sorted(set(lien))]
    bc = nx.betweenness_centrality(G, normalized=True)
    bc_raw = nx.betweenness_centrality(G, normalized=False)
    bs = nx.betweenness_centrality_subset(G, sources, list(G.nodes), normalized=True)
    bs_raw = nx.betweenness_centrality_subset(G, sources, list(G.nodes), normalized=False)
    cores = nx.core_number(G)
    return {
        "name": name,
        "n": n,
        "arcs": arcs,
        "ties": G.number_of_edges(),
        "density": nx.density(G),
        "components": nx.number_connected_components(G),
        "component_of": labels_by_smallest_vertex(n, list(nx.connected_components(G))),
        "betweenness": [bc[v] for v in range(n)],
        "betweenness_raw": [bc_raw[v] for v in range(n)],
        "sources": sources,
        "betweenness_subset": [bs[v] for v in range(n)],
        "betweenness_subset_raw": [bs_raw[v] for v in range(n)],
        "core_number": [cores[v] for v in range(n)],
        "distance_source": dist_source,
        "distances": [d.get(v, -1) for v in range(n)],
        "partitions": partitions,
        "lien_louvain": {"labels": lien, "modularity": nxc.modularity(G, lien_comms, weight="weight")},
    }


def karate():
    G = nx.karate_club_graph()
    return G.number_of_nodes(), [[u, v, 1] for u, v in sorted(G.edges())]


def les_miserables():
    G = nx.les_miserables_graph()
    names = sorted(G.nodes)
    index = {s: i for i, s in enumerate(names)}
    arcs = [[index[u], index[v], int(w)] for u, v, w in G.edges(data="weight")]
    return len(names), sorted(arcs)


def cohort_like(rng):
    """Six teams of ten with dense, partly one-way ties inside, a few ties across, three isolated learners and
    a separate pair: 65 vertices."""
    n = 65
    arcs = []
    for t in range(6):
        team = range(10 * t, 10 * t + 10)
        for u in team:
            for v in team:
                if u < v and rng.random() < 0.45:
                    arcs.append([u, v, rng.randint(1, 5)])
                    if rng.random() < 0.6:
                        arcs.append([v, u, rng.randint(1, 3)])
    for _ in range(9):
        u, v = rng.sample(range(60), 2)
        arcs.append([u, v, 1])
    arcs.append([63, 64, 2])  # 60, 61, 62 stay isolated
    return n, arcs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lien-bench", required=True, help="the bench_graph executable")
    bench = ap.parse_args().lien_bench
    rng = random.Random(SEED)
    graphs = [reference("karate club", *karate(), rng, bench),
              reference("les miserables", *les_miserables(), rng, bench),
              reference("cohort-like", *cohort_like(rng), rng, bench)]
    out = pathlib.Path(__file__).with_name("reference.json")
    out.write_text(json.dumps({"generator": "make_reference.py", "networkx": nx.__version__, "graphs": graphs},
                              indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {out} ({len(graphs)} graphs)")


if __name__ == "__main__":
    main()
