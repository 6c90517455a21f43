#!/usr/bin/env python3
"""Betweenness (from k sampled sources) and connected components: lien against networkx and python-igraph.

Generates a seeded clustered graph like a cohort network (teams of 25 with ties inside at probability 0.33,
about n cross ties mostly to nearby teams, 2% of people without any tie), writes it as an edge list, then
times the same computation in the same run:

  lien      bench_graph --edges ... --sources ...            (C++, Brandes from the k sources)
  networkx  betweenness_centrality_subset(G, sources, G.nodes, normalized=True), connected_components
  igraph    Graph.betweenness(sources=sources) (rescaled to networkx's normalisation), connected_components

checks that the three agree (max abs difference of normalised betweenness; identical component partitions),
and prints the times and ratios. Goals (issue 4): lien >= 50x faster than networkx, no slower than igraph.

  python3 benchmarks/bench_graph.py --binary build/benchmarks/bench_graph [--n 100000] [--k 256] [--quick]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np


def clustered(n, seed, group=25, p_in=0.33):
    rng = np.random.default_rng(seed)
    iu = np.triu_indices(group, 1)
    parts = []
    for base in range(0, n - group + 1, group):
        mask = rng.random(len(iu[0])) < p_in
        parts.append(np.stack([iu[0][mask] + base, iu[1][mask] + base], 1))
    a = rng.integers(0, n, n)
    off = rng.geometric(0.05, n) * group + rng.integers(0, group, n)
    b = np.where(rng.integers(0, 2, n) == 1, (a + off) % n, (a - off) % n)
    parts.append(np.stack([a, b], 1))
    e = np.concatenate(parts)
    alone = np.zeros(n, dtype=bool)
    alone[rng.integers(0, n, n // 50)] = True
    e = e[(e[:, 0] != e[:, 1]) & ~alone[e[:, 0]] & ~alone[e[:, 1]]]
    e = np.unique(np.sort(e, 1), axis=0)
    return e


def canonical(labels):
    """Component labels renumbered by smallest vertex, so that partitions compare as lists."""
    seen, out = {}, []
    for c in labels:
        out.append(seen.setdefault(c, len(seen)))
    return out


def find_binary(given):
    if given:
        return pathlib.Path(given)
    here = pathlib.Path(__file__).resolve().parent.parent
    for p in [here / "build" / "benchmarks" / "bench_graph", *here.parent.glob("build*/**/benchmarks/bench_graph")]:
        if p.exists():
            return p
    sys.exit("bench_graph.py: pass --binary path/to/bench_graph (configure with -DLIEN_BUILD_BENCHMARKS=ON)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", help="the bench_graph executable")
    ap.add_argument("--n", type=int, default=100000, help="people (vertices)")
    ap.add_argument("--k", type=int, default=256, help="betweenness sources, sampled with the seed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="lien's threads (igraph and networkx use one)")
    ap.add_argument("--repeat", type=int, default=3, help="lien and igraph repeats (best time); networkx runs once")
    ap.add_argument("--quick", action="store_true", help="n = 10,000, k = 64")
    ap.add_argument("--skip-networkx", action="store_true")
    args = ap.parse_args()
    if args.quick:
        args.n, args.k, args.repeat = 10000, 64, 1
    binary = find_binary(args.binary)

    n = args.n
    edges = clustered(n, args.seed)
    sources = sorted(np.random.default_rng(args.seed + 1).choice(n, size=min(args.k, n), replace=False).tolist())
    print(f"graph: {n} vertices, {len(edges)} ties (clustered, seed {args.seed}); betweenness from k = "
          f"{len(sources)} sources", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        with open(tmp / "edges.txt", "w") as f:
            f.write(f"{n}\n")
            np.savetxt(f, edges, fmt="%d")
        (tmp / "sources.txt").write_text("\n".join(map(str, sources)) + "\n")
        cmd = [str(binary), "--edges", str(tmp / "edges.txt"), "--sources", str(tmp / "sources.txt"),
               "--threads", str(args.threads), "--repeat", str(args.repeat),
               "--out", str(tmp / "bc.txt"), "--components-out", str(tmp / "cc.txt")]
        lien = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        lien_bc = np.loadtxt(tmp / "bc.txt")
        lien_cc = np.loadtxt(tmp / "cc.txt", dtype=np.int64).tolist()
    print(f"lien      betweenness {lien['betweenness_s']:9.3f} s   components {lien['components_s']:8.4f} s   "
          f"({lien['components']} components, {lien['threads']} thread(s))", flush=True)

    import igraph as ig
    g = ig.Graph(n=n, edges=edges.tolist())
    ig_bc_s = ig_cc_s = float("inf")
    for _ in range(args.repeat):
        t = time.perf_counter()
        raw = np.array(g.betweenness(sources=sources))
        ig_bc_s = min(ig_bc_s, time.perf_counter() - t)
        t = time.perf_counter()
        comps = g.connected_components()
        ig_cc_s = min(ig_cc_s, time.perf_counter() - t)
    # igraph halves undirected counts like networkx's raw values: normalise as networkx does.
    ig_bc = raw * 2.0 / ((n - 1) * (n - 2))
    ig_cc = canonical(comps.membership)
    print(f"igraph    betweenness {ig_bc_s:9.3f} s   components {ig_cc_s:8.4f} s   ({len(comps)} components)",
          flush=True)

    rows = [("igraph", ig_bc_s, ig_cc_s, np.max(np.abs(lien_bc - ig_bc)), lien_cc == ig_cc)]
    if not args.skip_networkx:
        import networkx as nx
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from(edges.tolist())
        t = time.perf_counter()
        nbc = nx.betweenness_centrality_subset(G, sources, list(G.nodes), normalized=True)
        nx_bc_s = time.perf_counter() - t
        t = time.perf_counter()
        ncc = list(nx.connected_components(G))
        nx_cc_s = time.perf_counter() - t
        label = [0] * n
        for i, c in enumerate(ncc):
            for v in c:
                label[v] = i
        nx_bc = np.array([nbc[v] for v in range(n)])
        print(f"networkx  betweenness {nx_bc_s:9.3f} s   components {nx_cc_s:8.4f} s   ({len(ncc)} components)",
              flush=True)
        rows.insert(0, ("networkx", nx_bc_s, nx_cc_s, np.max(np.abs(lien_bc - nx_bc)), canonical(label) == lien_cc))

    lien_total = lien["betweenness_s"] + lien["components_s"]
    print()
    print(f"{'peer':10s} {'betweenness x':>14s} {'components x':>13s} {'both x':>9s} {'max |diff| bc':>14s} "
          f"{'same components':>16s}")
    ok = True
    for name, bc_s, cc_s, diff, same in rows:
        both = (bc_s + cc_s) / lien_total
        print(f"{name:10s} {bc_s / lien['betweenness_s']:14.1f} {cc_s / lien['components_s']:13.1f} {both:9.1f} "
              f"{diff:14.3g} {str(same):>16s}")
        ok = ok and same and diff < 1e-9
        goal = 50.0 if name == "networkx" else 1.0
        print(f"{'':10s} goal: lien >= {goal:g}x faster on betweenness + components: "
              f"{'met' if both >= goal else 'MISSED'}")
    if not ok:
        sys.exit("bench_graph.py: results disagree")


if __name__ == "__main__":
    main()
