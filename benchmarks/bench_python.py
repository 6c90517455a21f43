#!/usr/bin/env python3
"""bench_python.py: the Python face against pandas and against the C++ call it wraps, in the same run.

    python3 benchmarks/bench_python.py [--events N] [--learners N] [--score-learners N] [--repeat R]
                                       [--bench-score BUILD/benchmarks/bench_score] [--quick]

1. Building a cohort from DataFrames (issue 6: >= 5x faster than ``sort_values`` + ``groupby`` over the same
   frame). A seeded events frame (10 million rows by default, 1 million with --quick; 20,000 learners, one
   path of 17 steps) with learner_id, tz-aware time, verb, object_type, object_id, score and count is handed to
   ``lien.cohort_from_frames`` (every row checked, ids interned, events grouped by learner and sorted by time),
   and pandas does ``df.sort_values(["learner_id", "time"]).groupby("learner_id").size()`` on the same frame.
   Both are timed with the events in log order (by time, as LMSs export them) and shuffled, each with
   learner_id / verb / object ids as categoricals (what a frame read with dtype="category" holds) and as Python
   strings (object dtype).
2. Scoring 100,000 enrolments (issue 6: Python overhead < 10% of the C++ time). As bench_score does: a model
   trained on a simulated cohort of 4,800 learners, a second cohort of --score-learners learners observed until
   day 45 of its first wave, scored at that instant with the top 5 drivers and survival at 28 and 56 days. Timed:
   the compiled call alone (``lien._lien.RiskModel.score_table``: population, features, model, into the
   ScoreTable), the Python API (``RiskModel.score``: dates, arguments, the same call), and ``Scores.to_frame()``.
   With --bench-score, the C++ benchmark runs on the same sizes and its end-to-end figure is printed beside.

Times are the best of R runs (wall clock; the machine is shared, so the best run is the least disturbed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any, Callable

import numpy as np
import pandas as pd


def best(repeat: int, f: Callable[[], Any]) -> float:
    t = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - t0)
    return t


def events_frame(n: int, learners: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    lids = np.array([f"L{i:06d}" for i in range(learners)], dtype=object)
    steps = [f"S{i:02d}" for i in range(17)]
    verbs = np.array(["launched", "experienced", "completed", "passed", "attempted", "posted"], dtype=object)
    start = np.datetime64("2026-09-07T08:00", "ms").astype(np.int64)
    t = start + rng.integers(0, 120 * 86_400_000, size=n)
    obj = np.array(steps, dtype=object)[rng.integers(0, len(steps), size=n)]
    ev = pd.DataFrame({
        "learner_id": lids[rng.integers(0, learners, size=n)],
        "time": pd.to_datetime(t, unit="ms", utc=True),
        "verb": verbs[rng.integers(0, len(verbs), size=n)],
        "object_type": np.full(n, "step", dtype=object),
        "object_id": obj,
        "score": np.where(rng.uniform(size=n) < 0.1, rng.uniform(0, 1, size=n), np.nan),
        "count": np.ones(n, dtype=np.int64),
    })
    return {
        "learners": pd.DataFrame({"learner_id": lids}),
        "paths": pd.DataFrame({"path_id": ["P"]}),
        "steps": pd.DataFrame({"step_id": steps, "path_id": "P", "kind": "elearning", "phase": "during",
                               "open": "+0", "due": [f"+{7 * (i + 1)}" for i in range(17)]}),
        "enrolments": pd.DataFrame({"enrolment_id": "E" + pd.Series(lids).str[1:], "learner_id": lids,
                                    "path_id": "P", "start": "2026-09-07"}),
        "events": ev,
    }


def bench_frames(n: int, learners: int, repeat: int) -> dict[str, Any]:
    import lien

    f = events_frame(n, learners)
    out: dict[str, Any] = {"events": n, "learners": learners}
    shuffled = f["events"]
    logged = shuffled.sort_values("time", kind="stable").reset_index(drop=True)
    for order, base in (("log order", logged), ("shuffled", shuffled)):
        for label, conv in (("categorical", True), ("object", False)):
            ev = base
            if conv:
                ev = ev.assign(learner_id=ev["learner_id"].astype("category"), verb=ev["verb"].astype("category"),
                               object_type=ev["object_type"].astype("category"),
                               object_id=ev["object_id"].astype("category"))
            result: list[Any] = []

            def build() -> None:
                result[:] = [lien.cohort_from_frames(f["learners"], f["paths"], f["steps"], f["enrolments"], ev)]

            t_lien = best(repeat, build)
            r = result[0]
            assert r.report.accepted == r.report.read and r.cohort.event_count == n, r.report
            result.clear()
            t_pandas = best(
                repeat, lambda: ev.sort_values(["learner_id", "time"]).groupby("learner_id", observed=True).size()
            )
            key = f"{order}, {label}"
            out[key] = {"lien_s": t_lien, "pandas_s": t_pandas, "events_per_s": n / t_lien, "ratio": t_pandas / t_lien}
            print(f"  cohort_from_frames, {key:<23}: {t_lien:7.3f} s = {n / t_lien / 1e6:5.2f} M events/s; "
                  f"pandas sort_values+groupby {t_pandas:7.3f} s; ratio {t_pandas / t_lien:5.2f}x (goal >= 5x)")
    return out


def bench_score(score_learners: int, train_learners: int, seed: int, repeat: int) -> dict[str, Any]:
    import lien
    from lien import _lien

    t0 = time.perf_counter()
    train = lien.simulate(learners=train_learners, seed=seed, threads=0)
    model = lien.RiskModel(threads=2).fit(train.cohort)
    print(f"  trained on {train_learners} learners in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    t0 = time.perf_counter()
    as_of = (pd.Timestamp("2026-09-07") + pd.Timedelta(days=45, hours=18)).to_pydatetime()  # naive: Paris time
    sim = lien.simulate(learners=score_learners, seed=seed + 1, id_prefix="S-", observe_until=as_of, threads=0)
    c = sim.cohort
    print(f"  simulated {score_learners} learners, {c.event_count} events in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    instant = lien._time.to_instant(as_of, c.calendar)
    native = model.native
    rows = len(model.score(c, as_of))
    t_cpp = best(repeat, lambda: native.score_table(c.native, [instant], None, 5, [28, 56]))
    t_py = best(repeat, lambda: model.score(c, as_of, top_k=5, horizons=(28, 56)))
    s = model.score(c, as_of, top_k=5, horizons=(28, 56))
    t_frame = best(repeat, s.to_frame)
    t_drivers = best(max(1, repeat // 2), s.drivers_frame)
    overhead = t_py / t_cpp - 1
    print(f"  scoring {rows} enrolments: compiled call {t_cpp:.3f} s ({rows / t_cpp:,.0f}/s); "
          f"RiskModel.score {t_py:.3f} s; Python overhead {100 * overhead:+.1f}% (goal < 10%)")
    print(f"    Scores.to_frame() {t_frame:.3f} s ({100 * t_frame / t_cpp:.0f}% of the compiled call); "
          f"drivers_frame() with sentences {t_drivers:.3f} s")
    return {"rows": rows, "compiled_s": t_cpp, "python_s": t_py, "overhead": overhead, "to_frame_s": t_frame,
            "drivers_frame_s": t_drivers}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--learners", type=int, default=20_000)
    ap.add_argument("--score-learners", type=int, default=100_000)
    ap.add_argument("--train-learners", type=int, default=4_800)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--bench-score", help="path of the C++ bench_score binary, run on the same sizes")
    ap.add_argument("--quick", action="store_true", help="1 million events, 10,000 scored learners")
    a = ap.parse_args()
    if a.quick:
        a.events, a.score_learners, a.train_learners, a.repeat = 1_000_000, 10_000, 1_200, 2
    print(f"lien Python face ({a.events} events, {a.score_learners} scored learners, best of {a.repeat})")
    doc = {"bench": "python", "frames": bench_frames(a.events, a.learners, a.repeat),
           "score": bench_score(a.score_learners, a.train_learners, a.seed, a.repeat)}
    if a.bench_score:
        out = subprocess.run([a.bench_score, "--learners", str(a.score_learners), "--train-learners",
                              str(a.train_learners), "--seed", str(a.seed)], capture_output=True, text=True, check=True)
        print("  C++ bench_score on the same sizes:")
        for line in out.stdout.splitlines():
            if line.startswith("{"):
                doc["bench_score"] = json.loads(line)
            else:
                print("   " + line)
    print(json.dumps(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
