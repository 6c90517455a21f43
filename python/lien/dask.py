"""Scoring a large cohort on a Dask cluster, partition by partition, with results identical to one process.

A cohort is split into partitions of whole path instances, grown so that every enrolment of a learner stays in
one partition (instances that share a learner are merged). Each partition keeps everything its features read:
its learners and their events, its enrolments, every path and step, the stakeholders and the relations among
its people, the calendar. Features only look at the learner's own events and enrolments and at the peers of
the same instance, so a partition scores exactly as the whole cohort does. Partitions are written as CSV
folders (lien's canonical form) that the workers read; the model travels as its JSON text.

Example::

    from dask.distributed import Client, LocalCluster
    import lien.dask
    with LocalCluster(n_workers=4, threads_per_worker=1) as cluster, Client(cluster) as client:
        scores = lien.dask.score("data/", model_json, "2026-11-16", client=client, partitions=8)

docs/scale.md has the measured speed-up.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd

from lien import _lien
from lien.cohort import Cohort
from lien.model import RiskModel


def _read_tables(folder: str) -> dict[str, pd.DataFrame]:
    out = {}
    for name in ("learners", "stakeholders", "relations", "paths", "steps", "prerequisites", "enrolments",
                 "events"):
        f = os.path.join(folder, name + ".csv")
        if os.path.exists(f):
            out[name] = pd.read_csv(f, dtype=str, keep_default_na=False)
    return out


def partition_instances(enrolments: pd.DataFrame, partitions: int) -> list[list[str]]:
    """Groups of path instances, each learner's instances in one group, balanced by enrolments (largest
    first into the lightest partition); deterministic."""
    inst = enrolments["instance_id"].where(enrolments["instance_id"] != "", enrolments["path_id"])
    parent: dict[str, str] = {i: i for i in inst.unique()}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for _, rows in pd.DataFrame({"l": enrolments["learner_id"], "i": inst}).groupby("l"):
        first = find(rows["i"].iloc[0])
        for i in rows["i"].iloc[1:]:
            r = find(i)
            if r != first:
                parent[max(r, first)] = min(r, first)
    groups: dict[str, list[str]] = {}
    for i in sorted(parent):
        groups.setdefault(find(i), []).append(i)
    size = {str(k): int(v) for k, v in inst.value_counts().items()}
    blocks = sorted(groups.values(), key=lambda g: (-sum(size[i] for i in g), g[0]))
    bins: list[list[str]] = [[] for _ in range(max(1, min(partitions, len(blocks))))]
    load = [0] * len(bins)
    for g in blocks:
        k = int(np.argmin(load))
        bins[k].extend(g)
        load[k] += sum(size[i] for i in g)
    return [sorted(b) for b in bins if b]


def split(data: str, partitions: int, out_dir: str) -> list[str]:
    """Writes the partitions of DATA (a CSV folder or an xAPI file) as CSV folders under out_dir; returns them."""
    canon = os.path.join(out_dir, "all")
    _lien.write_csv_dir(_lien.read_data(data).cohort, canon)
    t = _read_tables(canon)
    enr = t["enrolments"]
    learners_all = set(t["learners"]["learner_id"])
    folders = []
    for k, instances in enumerate(partition_instances(enr, partitions)):
        inst = enr["instance_id"].where(enr["instance_id"] != "", enr["path_id"])
        e = enr[inst.isin(instances)]
        mine = set(e["learner_id"])
        others = learners_all - mine
        part = {
            "learners": t["learners"][t["learners"]["learner_id"].isin(mine)],
            "enrolments": e,
            "events": t["events"][t["events"]["learner_id"].isin(mine)],
        }
        if "relations" in t:
            r = t["relations"]
            inst_all = set(inst)
            bad = (r["source_id"].isin(others) | r["target_id"].isin(others)
                   | (r["target_id"].isin(inst_all) & ~r["target_id"].isin(instances)))
            part["relations"] = r[~bad]
        folder = os.path.join(out_dir, f"part-{k:03d}")
        os.makedirs(folder)
        for name in ("stakeholders", "paths", "steps", "prerequisites"):
            if name in t:
                t[name].to_csv(os.path.join(folder, name + ".csv"), index=False)
        for name, df in part.items():
            df.to_csv(os.path.join(folder, name + ".csv"), index=False)
        with open(os.path.join(canon, "calendar.json"), encoding="utf-8") as f:
            cal = f.read()
        with open(os.path.join(folder, "calendar.json"), "w", encoding="utf-8") as f:
            f.write(cal)
        folders.append(folder)
    return folders


def score_partition(folder: str, model_json: str, as_of: str, top_k: int = 5,
                    horizons: Sequence[int] = (28, 56)) -> pd.DataFrame:
    """Scores one partition (runs on a worker)."""
    r = _lien.read_data(folder)
    if r.report.rejected:
        x = r.report.rejected[0]
        raise RuntimeError(f"partition {folder}: {len(r.report.rejected)} rejected, first {x.source}:{x.index} "
                           f"{x.reason}")
    frame: pd.DataFrame = RiskModel.from_json(model_json).score(Cohort(r.cohort), as_of, top_k=top_k,
                                                                horizons=horizons).to_frame()
    return frame


def score(data: str, model_json: str, as_of: str, client: Any, partitions: Optional[int] = None,
          top_k: int = 5, horizons: Sequence[int] = (28, 56), workdir: Optional[str] = None) -> pd.DataFrame:
    """Scores DATA on the Dask cluster behind ``client``; the same DataFrame as one-process scoring
    (``lien.RiskModel.score(...).to_frame()``), rows sorted by enrolment id."""
    n = partitions or max(1, len(client.scheduler_info()["workers"]))
    with tempfile.TemporaryDirectory(prefix="lien-dask-", dir=workdir) as tmp:
        folders = split(data, n, tmp)
        futures = [client.submit(score_partition, f, model_json, as_of, top_k, tuple(horizons), pure=False)
                   for f in folders]
        parts = client.gather(futures)
    out: pd.DataFrame = pd.concat(parts, ignore_index=True)
    return out.sort_values("enrolment", kind="stable").reset_index(drop=True)
