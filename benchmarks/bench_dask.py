"""lien.dask against one process: scores of a simulated cohort (this year's, mid-programme) on a LocalCluster with
N worker processes, same scores checked, wall times printed with the ratio.

    python benchmarks/bench_dask.py [--learners 6000] [--workers 2] [--partitions 8] [--quick]
"""

from __future__ import annotations

import argparse
import tempfile
import time

import pandas as pd

import lien
from lien import cli
from lien import dask as ldask


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--learners", type=int, default=6000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=0, help="default: 4 per worker")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="600 learners")
    a = ap.parse_args()
    n = 600 if a.quick else a.learners
    parts = a.partitions or 4 * a.workers
    from dask.distributed import Client, LocalCluster

    last = lien.simulate(learners=480, seed=a.seed, start=cli.DEMO_LAST_YEAR_START, id_prefix="Y25-").cohort
    this = lien.simulate(learners=n, seed=a.seed + 1, start=cli.DEMO_THIS_YEAR_START, observe_until=cli.DEMO_TODAY,
                         id_prefix="Y26-").cohort
    fitted = lien.RiskModel(target="before_end").fit(last)
    model = fitted.to_json()
    with tempfile.TemporaryDirectory() as tmp:
        data = f"{tmp}/this"
        lien.write_csv_dir(this, data)
        t = time.perf_counter()
        single = fitted.score(lien.read_data(data).cohort, cli.DEMO_TODAY).to_frame()
        t_single = time.perf_counter() - t
        single = single.sort_values("enrolment", kind="stable").reset_index(drop=True)
        with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            ldask.score(data, model, cli.DEMO_TODAY, client=client, partitions=parts, workdir=tmp)  # warm-up
            t = time.perf_counter()
            got = ldask.score(data, model, cli.DEMO_TODAY, client=client, partitions=parts, workdir=tmp)
            t_dask = time.perf_counter() - t
    pd.testing.assert_frame_equal(got, single, check_exact=True)
    events = this.event_count
    print(f"learners {n}, enrolments scored {len(single)}, events {events}")
    print(f"one process (read + score): {t_single:.2f} s")
    print(f"dask, {a.workers} worker processes, {parts} partitions (split + read + score + gather): {t_dask:.2f} s")
    print(f"speed-up {t_single / t_dask:.2f}x; scores identical")


if __name__ == "__main__":
    main()
