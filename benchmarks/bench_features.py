#!/usr/bin/env python3
"""bench_features.py: lien's feature extraction against the same 37 features computed with pandas.

Runs the C++ benchmark (bench_features) with --dump on a temporary folder: it generates the synthetic cohort
(seeded), times lien's extract() at one as_of and at 4 landmark instants, and writes the cohort as flat
columns plus lien's matrices. This script then loads those columns (not timed), computes every feature with
pandas group-bys for the same instants (timed: CPU time of this process, as lien's is), checks that the
values agree with lien's on a sample of rows, and prints the times and the ratio (goal: lien >= 20x faster).

The pandas code relies on properties of the synthetic cohort, not on lien's general rules: one enrolment per
learner (so prior attempts are the declared ones and there are no concurrent enrolments), every step dated
with due days increasing along the prerequisite chain (so a step's effective due day is its own), one manager
per learner and one tutor per group, valid throughout. Everything else follows docs/features.md.

    python3 benchmarks/bench_features.py --bin build/benchmarks/bench_features [--quick] [--learners N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

# Enum values of lien/model/types.hpp
LAUNCHED, INITIALIZED, EXPERIENCED, ATTEMPTED, ANSWERED, COMPLETED, PASSED, FAILED = range(8)
ATTENDED, ABSENT, POSTED, REPLIED, MESSAGED, MET, OTHER = range(8, 15)
K_NONE, K_STEP, K_RESOURCE, K_PERSON = range(4)
T_UNKNOWN, T_NO, T_YES = range(3)
ELEARNING, CLASSROOM, VIRTUAL_CLASS, ASSESSMENT, ASSIGNMENT = range(5)
NONE = 0xFFFFFFFF
ISOLATION, HORIZON = 20, 60
TZ = "Europe/Paris"


def load(folder: Path):
    def col(name, dtype):
        return np.fromfile(folder / name, dtype=dtype)

    ev = pd.DataFrame({
        "learner": col("ev_learner.u32", np.uint32).astype(np.int64),
        "time": col("ev_time.i64", np.int64),
        "object": col("ev_object.u32", np.uint32).astype(np.int64),
        "actor": col("ev_actor.u32", np.uint32).astype(np.int64),
        "count": col("ev_count.u32", np.uint32).astype(np.int64),
        "verb": col("ev_verb.u8", np.uint8),
        "kind": col("ev_kind.u8", np.uint8),
        "score": col("ev_score.f32", np.float32).astype(np.float64),
        "success": col("ev_success.u8", np.uint8),
        "completion": col("ev_completion.u8", np.uint8),
    })
    person_learner = col("person_learner.i32", np.int32).astype(np.int64)
    enr = pd.read_csv(folder / "enrolments.csv")
    steps = pd.read_csv(folder / "steps.csv")
    holidays = np.array((folder / "holidays.txt").read_text().split(), dtype="datetime64[D]")
    features = (folder / "features.txt").read_text().split()
    return ev, person_learner, enr, steps, holidays, features


def local_day(ms) -> np.ndarray:
    """Local (Paris) calendar day of instants in ms since the epoch, as days since 1970-01-01."""
    t = pd.to_datetime(pd.Series(np.asarray(ms, dtype=np.int64)), unit="ms", utc=True)
    return t.dt.tz_convert(TZ).dt.tz_localize(None).values.astype("datetime64[D]").astype(np.int64)


def working_days(a, b, holidays) -> np.ndarray:
    """Working days x with a < x <= b (arrays of day numbers)."""
    a = np.asarray(a, dtype=np.int64) + 1
    b = np.asarray(b, dtype=np.int64) + 1
    return np.busday_count(a.astype("datetime64[D]"), b.astype("datetime64[D]"), holidays=holidays)


def compute(data, as_of: int) -> pd.DataFrame:
    ev, person_learner, enr, steps, holidays, names = data
    d = int(local_day([as_of])[0])
    pop = enr[(enr.start <= as_of) & ~((enr.outcome != 0) & (enr.outcome_time <= as_of))].copy()
    pop["start_day"] = local_day(pop.start.values)
    pop = pop.set_index("learner", drop=False).sort_index()
    idx = pop.index
    start_day = pop.start_day
    in_pop = np.zeros(len(person_learner) + 1, dtype=bool)
    in_pop[pop.learner.values] = True

    known = ev[ev.time.values <= as_of]
    mine = known[in_pop[known.learner.values]]
    f = pd.DataFrame(index=idx)

    def silence(last_time: pd.Series) -> np.ndarray:
        last_day = pd.Series(local_day(last_time.values), index=last_time.index).reindex(idx)
        ref = np.maximum(np.minimum(last_day.fillna(-1e9).values, d), start_day.values)
        return working_days(ref.astype(np.int64), np.full(len(idx), d), holidays)

    # Activity: events the learner did (no actor), `absent` marks excluded, per local day.
    act = mine[(mine.actor.values == NONE) & (mine.verb.values != ABSENT)]
    act = act.assign(day=local_day(act.time.values))
    daily = act.groupby(["learner", "day"], sort=True)["count"].sum().reset_index()
    daily["start_day"] = start_day.reindex(daily.learner).values
    daily["age"] = d - np.minimum(daily.day.values, d)
    last = daily.groupby("learner").day.max().reindex(idx)
    ref = np.maximum(np.minimum(last.fillna(-1e9).values, d), start_day.values)
    f["inactive_working_days"] = working_days(ref.astype(np.int64), np.full(len(idx), d), holidays)
    w = daily[daily.age.values < 28].copy()
    g = w.groupby("learner")
    f["active_days_7d"] = (w.age < 7).groupby(w.learner).sum().reindex(idx, fill_value=0)
    f["active_days_14d"] = (w.age < 14).groupby(w.learner).sum().reindex(idx, fill_value=0)
    f["active_days_28d"] = g.size().reindex(idx, fill_value=0)
    f["activity_events_28d"] = g["count"].sum().reindex(idx, fill_value=0)
    since = daily[daily.day.values >= daily.start_day.values - 28]
    f["activity_events_total"] = since.groupby("learner")["count"].sum().reindex(idx, fill_value=0)
    w["week"] = 3 - w.age // 7
    weeks = w.pivot_table(index="learner", columns="week", values="count", aggfunc="sum", fill_value=0)
    weeks = weeks.reindex(index=idx, columns=[0, 1, 2, 3], fill_value=0).astype(np.float64)
    f["activity_trend"] = (-1.5 * weeks[0] - 0.5 * weeks[1] + 0.5 * weeks[2] + 1.5 * weeks[3]) / 5.0
    f["active_weeks_4w"] = (weeks > 0).sum(axis=1)
    gaps = w.groupby("learner").day.diff().dropna()
    gl = w.learner.loc[gaps.index]
    gs = gaps.groupby(gl).agg(["count", "mean", "std"])
    gs.columns = ["n", "mean", "std"]
    gs["std"] *= np.sqrt((gs.n - 1) / gs.n.clip(lower=1))  # population standard deviation
    cv = np.where(gs.n >= 2, gs["std"] / gs["mean"], 0.0)
    f["activity_gap_cv"] = pd.Series(cv, index=gs.index).reindex(idx, fill_value=0.0)

    # Plan: every step of the learner's path, with the state of each from the step events.
    grid = pop[["learner", "path", "start_day"]].reset_index(drop=True).merge(steps, on="path")
    grid["due_day"] = grid.start_day + grid.due
    se = mine[mine.kind.values == K_STEP]
    v = se.verb.values
    flags = pd.DataFrame({
        "learner": se.learner.values, "step": se.object.values,
        "done": np.isin(v, [COMPLETED, PASSED, ATTENDED]) | (se.success.values == T_YES) | (se.completion.values == T_YES),
        "att": np.isin(v, [ATTEMPTED, ANSWERED, COMPLETED, PASSED, FAILED]) | ~np.isnan(se.score.values)
               | (se.success.values != T_UNKNOWN),
        "attended": v == ATTENDED, "absent": v == ABSENT,
    }).groupby(["learner", "step"]).any().reset_index()
    grid = grid.merge(flags, on=["learner", "step"], how="left")
    for c in ("done", "att", "attended", "absent"):
        grid[c] = grid[c].eq(True)  # steps without any event: False
    req = grid.required.values == 1
    past = grid.due_day.values < d
    done = grid.done.values
    by = grid.learner
    req_due = req & past
    due_n = pd.Series(req_due).groupby(by).sum().reindex(idx, fill_value=0)
    done_n = pd.Series(req_due & done).groupby(by).sum().reindex(idx, fill_value=0)
    overdue = pd.Series(req_due & ~done).groupby(by).sum().reindex(idx, fill_value=0)
    oldest = grid.due_day.where(req_due & ~done).groupby(by).min().reindex(idx)
    nxt = grid.due_day.where(req & ~past & ~done).groupby(by).min().reindex(idx)
    f["required_done_share"] = np.where(due_n > 0, done_n / np.maximum(due_n, 1), 1.0)
    f["behind_schedule_working_days"] = np.where(
        overdue > 0, working_days(oldest.fillna(d).astype(np.int64), np.full(len(idx), d), holidays), 0)
    f["overdue_required_steps"] = overdue
    f["next_deadline_working_days"] = np.where(
        nxt.notna(), np.minimum(working_days(np.full(len(idx), d), nxt.fillna(d).astype(np.int64), holidays), HORIZON),
        HORIZON)
    f["has_upcoming_deadline"] = nxt.notna().astype(np.float64)

    scored = mine[~np.isnan(mine.score.values)]
    sg = scored.groupby("learner").score
    n_scores = sg.size().reindex(idx, fill_value=0)
    f["has_assessment_score"] = (n_scores > 0).astype(np.float64)
    f["assessment_mean_score"] = sg.mean().reindex(idx, fill_value=0.0)
    f["assessment_last_score"] = sg.last().reindex(idx, fill_value=0.0)
    failed = mine[(mine.verb.values == FAILED) | (mine.success.values == T_NO)]
    f["assessment_failed_attempts"] = failed.groupby("learner")["count"].sum().reindex(idx, fill_value=0)
    assess = np.isin(grid.kind.values, [ASSESSMENT, ASSIGNMENT])
    f["assessment_missed"] = pd.Series(assess & past & ~grid.att.values).groupby(by).sum().reindex(idx, fill_value=0)
    sess = np.isin(grid.kind.values, [CLASSROOM, VIRTUAL_CLASS])
    att = grid.attended.values
    a = pd.Series(sess & att).groupby(by).sum().reindex(idx, fill_value=0)
    ab = pd.Series(sess & ~att & grid.absent.values).groupby(by).sum().reindex(idx, fill_value=0)
    ns = pd.Series(sess & ~att & ~grid.absent.values & past).groupby(by).sum().reindex(idx, fill_value=0)
    tot = a + ab + ns
    f["attendance_rate"] = np.where(tot > 0, a / np.maximum(tot, 1), 1.0)

    # Peers: interactions in either learner's log, with the other party a learner.
    inter = known[np.isin(known.verb.values, [REPLIED, MESSAGED, MET])]
    other = np.where(inter.actor.values != NONE, inter.actor.values,
                     np.where(inter.kind.values == K_PERSON, inter.object.values, NONE))
    other_l = np.where(other != NONE, person_learner[np.minimum(other, len(person_learner) - 1)], -1)
    ok = (other_l >= 0) & (other_l != inter.learner.values)
    touches = pd.DataFrame({
        "learner": np.concatenate([inter.learner.values[ok], other_l[ok]]),
        "time": np.concatenate([inter.time.values[ok]] * 2),
        "count": np.concatenate([inter["count"].values[ok]] * 2),
    })
    touches = touches[in_pop[touches.learner.values]]
    tday = local_day(touches.time.values)
    recent = touches[d - np.minimum(tday, d) < 28]
    f["peer_interactions_28d"] = recent.groupby("learner")["count"].sum().reindex(idx, fill_value=0)
    f["peer_silence_working_days"] = silence(touches.groupby("learner").time.max())
    f["isolated_from_peers"] = (f.peer_silence_working_days >= ISOLATION).astype(np.float64)

    # Manager and tutor: events whose actor or object person is them.
    contacts = mine[(mine.actor.values != NONE) | (mine.kind.values == K_PERSON)]
    for who, col in (("manager", "manager"), ("tutor", "tutor")):
        person = pop[col].reindex(contacts.learner).values
        hit = (contacts.actor.values == person) | ((contacts.kind.values == K_PERSON) & (contacts.object.values == person))
        f["has_" + who] = 1.0
        f[who + "_silence_working_days"] = silence(contacts[hit].groupby("learner").time.max())

    f["enrolment_age_working_days"] = working_days(start_day.values, np.full(len(idx), d), holidays)
    ahead = grid[grid.due_day.values >= d]
    first = ahead.loc[ahead.groupby("learner").due_day.idxmin()].set_index("learner").phase.reindex(idx, fill_value=3)
    for k, name in enumerate(("phase_before", "phase_during", "phase_intersession", "phase_after")):
        f[name] = (first.values == k).astype(np.float64)
    f["prior_attempts"] = np.maximum(pop.prior.values, 0)
    f["concurrent_enrolments"] = 0.0

    inst = pop.instance
    for base in ("active_days_28d", "activity_events_28d", "activity_events_total"):
        med = f[base].groupby(inst).transform("median")
        f[base + "_vs_instance"] = (f[base] + 1.0) / (med + 1.0)
    f.index = pop.enrolment.values
    return f[names].astype(np.float64)


def lien_matrix(folder: Path, name: str, cols: int):
    values = np.fromfile(folder / f"{name}_values.f64", dtype=np.float64).reshape(-1, cols)
    enrolments = np.fromfile(folder / f"{name}_enrolments.u32", dtype=np.uint32).astype(np.int64)
    as_of = np.fromfile(folder / f"{name}_as_of.i64", dtype=np.int64)
    return values, enrolments, as_of


def compare(pandas_frame: pd.DataFrame, values, enrolments, rng, sample: int, label: str) -> int:
    rows = rng.choice(len(enrolments), size=min(sample, len(enrolments)), replace=False)
    ours = values[rows]
    theirs = pandas_frame.reindex(enrolments[rows]).values
    bad = ~np.isclose(ours, theirs, rtol=1e-9, atol=1e-9)
    if len(pandas_frame) != len(np.unique(enrolments)):
        print(f"  {label}: pandas has {len(pandas_frame)} rows, lien {len(np.unique(enrolments))}")
        return 1
    if bad.any():
        for j in np.unique(np.nonzero(bad)[1]):
            i = np.nonzero(bad[:, j])[0][0]
            print(f"  {label}: {pandas_frame.columns[j]} differs on {bad[:, j].sum()} rows, e.g. enrolment "
                  f"{enrolments[rows][i]}: lien {ours[i, j]} pandas {theirs[i, j]}")
        return 1
    print(f"  {label}: {len(rows)} sampled rows x {values.shape[1]} features agree")
    return 0


def main() -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.environ.get("LIEN_BENCH_FEATURES", str(here.parent / "build/benchmarks/bench_features")))
    ap.add_argument("--quick", action="store_true", help="10,000 learners instead of 100,000")
    ap.add_argument("--learners", type=int)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--sample", type=int, default=5000, help="rows compared per matrix")
    ap.add_argument("--keep", help="dump folder to keep (default: a temporary one)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        cmd = [args.bin, "--dump", str(folder), "--seed", str(args.seed)]
        if args.quick:
            cmd.append("--quick")
        if args.learners:
            cmd += ["--learners", str(args.learners)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        print(out.rstrip())
        lien = json.loads(next(line for line in out.splitlines() if line.startswith("{")))

        data = load(folder)
        names = data[5]
        instants = lien["as_of"]
        print(f"pandas {pd.__version__}, numpy {np.__version__}: the same {len(names)} features")
        c0, w0 = time.process_time(), time.perf_counter()
        single = compute(data, lien["single_as_of"])
        p1, pw1 = time.process_time() - c0, time.perf_counter() - w0
        frames = []
        c0, w0 = time.process_time(), time.perf_counter()
        for t in instants:
            frames.append(compute(data, t))
        p4, pw4 = time.process_time() - c0, time.perf_counter() - w0

        rng = np.random.default_rng(args.seed)
        failures = 0
        values, enrolments, _ = lien_matrix(folder, "single", len(names))
        failures += compare(single, values, enrolments, rng, args.sample, "one as_of")
        values, enrolments, as_of = lien_matrix(folder, "landmarks", len(names))
        for t, frame in zip(instants, frames):
            sel = as_of == t
            failures += compare(frame, values[sel], enrolments[sel], rng, args.sample // 4, f"landmark {t}")

    l1, l4 = lien["single"]["seconds"], lien["landmarks"]["seconds"]
    print(f"one as_of:   lien {l1:.3f} s, pandas {p1:.3f} s CPU ({pw1:.3f} s wall): lien is {p1 / l1:.1f}x faster (goal >= 20x)")
    print(f"4 landmarks: lien {l4:.3f} s, pandas {p4:.3f} s CPU ({pw4:.3f} s wall): lien is {p4 / l4:.1f}x faster (goal >= 20x)")
    print(json.dumps({"bench": "features_vs_pandas", "learners": lien["learners"], "events": lien["events"],
                      "single": {"lien_s": l1, "pandas_s": p1, "ratio": p1 / l1},
                      "landmarks": {"lien_s": l4, "pandas_s": p4, "ratio": p4 / l4},
                      "values_agree": failures == 0}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
