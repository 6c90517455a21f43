#!/usr/bin/env python3
"""bench_csv.py: lien's events.csv reader against pandas.read_csv on the same file, in the same run.

    python3 benchmarks/bench_csv.py [--bench BUILD/benchmarks/bench_csv] [--rows N] [--quick] [--repeat R]

bench_csv (C++) generates the seeded folder (10 million events by default, 1 million with --quick) and times
lien::read_csv_dir on it: file read, parse and validation of every field, interning, building the cohort (events
grouped by learner and sorted by time). pandas then does the mapping the issue names, on the same events.csv:
pandas.read_csv, timestamps to int64 milliseconds, learner ids, verbs, object types and object ids to integer
codes, scores to float32. pandas does less than lien here (no validation, no durations or booleans, no grouping),
so the ratio is, if anything, generous to pandas.

Times are the best of R runs, in CPU seconds of each process (the goal is stated for one core, and CPU time is
less disturbed than wall time on a shared machine); wall times are printed beside them. Goals (issue 2):
>= 200 MB/s for lien, >= 10x pandas.
"""

import argparse
import json
import os
import subprocess
import sys
import time


def pandas_read(path):
    import pandas as pd

    df = pd.read_csv(path, dtype={"learner_id": str, "time": str, "verb": str, "object_type": str, "object_id": str,
                                  "actor_id": str, "score": "float32", "success": str, "completion": str,
                                  "duration": str, "count": "float64"})
    out = {
        "time": (pd.to_datetime(df["time"], format="ISO8601", utc=True).astype("int64") // 1_000_000).to_numpy(),
        "learner": pd.factorize(df["learner_id"])[0],
        "verb": pd.factorize(df["verb"])[0],
        "object_type": pd.factorize(df["object_type"])[0],
        "object": pd.factorize(df["object_id"])[0],
        "score": df["score"].to_numpy(),
    }
    return len(df), out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=os.environ.get("LIEN_BENCH_CSV", os.path.join(here, "..", "build", "benchmarks",
                                                                                      "bench_csv")))
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--quick", action="store_true", help="1 million rows")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=None, help="where the generated folder lives (default: the temp directory)")
    args = ap.parse_args()
    rows = 1_000_000 if args.quick else args.rows
    if not os.path.exists(args.bench):
        sys.exit("bench_csv.py: no C++ benchmark at %s (build with -DLIEN_BUILD_BENCHMARKS=ON, or pass --bench)"
                 % args.bench)

    cmd = [args.bench, "--rows", str(rows), "--repeat", str(args.repeat), "--json"]
    if args.dir:
        cmd += ["--dir", args.dir]
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    lien = json.loads(res.stdout.strip().splitlines()[-1])
    path, mb = lien["file"], lien["mb"]

    best_cpu = best_wall = float("inf")
    for _ in range(args.repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        n, _ = pandas_read(path)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
        if n != rows:
            sys.exit("bench_csv.py: pandas read %d rows, expected %d" % (n, rows))

    lien_cpu, lien_wall = lien["total_cpu_s"], lien["total_wall_s"]
    print("events.csv: %.1f MB, %d rows (%s)" % (mb, rows, path))
    print("%-34s %8s %8s %10s %12s" % ("", "CPU s", "wall s", "MB/s", "events/s"))
    print("%-34s %8.3f %8.3f %10.0f %12.3g" % ("lien read_csv_dir (end to end)", lien_cpu, lien_wall, mb / lien_cpu,
                                              rows / lien_cpu))
    print("%-34s %8.3f" % ("  lien: map events.csv", lien["load_cpu_s"]))
    print("%-34s %8.3f %8s %10.0f %12.3g" % ("  lien: parse rows into a builder", lien["parse_cpu_s"], "", mb / lien["parse_cpu_s"],
                                            rows / lien["parse_cpu_s"]))
    print("%-34s %8.3f" % ("  lien: build the cohort", lien["build_cpu_s"]))
    print("%-34s %8.3f %8.3f %10.0f %12.3g" % ("pandas read_csv + mapping", best_cpu, best_wall, mb / best_cpu,
                                              rows / best_cpu))
    print("event log in memory: %.2f bytes per event (goal <= 32)" % lien["bytes_per_event"])
    ratio = best_cpu / lien_cpu
    print("lien / pandas: %.1fx faster (goal >= 10x); lien %.0f MB/s (goal >= 200 MB/s)" % (ratio, mb / lien_cpu))


if __name__ == "__main__":
    main()
