"""Community analytics of a path instance's peer graph: health, learner signals, stakeholder load, buddies."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd

from lien import _lien
from lien._time import MS_PER_DAY, timestamps, to_instant
from lien.cohort import Cohort

NO_ID = 0xFFFFFFFF


def _instance(cohort: Cohort, instance: str) -> int:
    i = _lien.find_instance(cohort.native, instance)
    if i == NO_ID:
        raise _lien.NotFoundError(f"unknown path instance '{instance}'")
    return int(i)


def _window(cohort: Cohort, as_of: Any, window_days: int) -> tuple[int, int]:
    if window_days < 1:
        raise _lien.InvalidArgument("window_days must be >= 1")
    to = to_instant(as_of, cohort.calendar)
    return to - window_days * MS_PER_DAY, to


def community_health(cohort: Cohort, instance: str, as_of: Any, window_days: int = 28, max_brokers: int = 5) -> pd.DataFrame:
    """The health of a path instance's peer group over the ``window_days`` before ``as_of``: one row per
    member (learner id index) with community (Louvain), betweenness (normalised), degree-free flags isolated
    and broker; ``df.attrs`` holds members, ties, density, components, largest_component, communities,
    modularity, and edges: (learner, learner, interactions) for each tie of the window.

    Example::

        h = lien.community_health(cohort, "manager-g1", "2027-03-01"); h.attrs["density"], h[h.isolated]
    """
    f, t = _window(cohort, as_of, window_days)
    d = dict(_lien.community_health(cohort.native, _instance(cohort, instance), f, t, max_brokers))
    learners = np.asarray(d["learners"], dtype=np.int64)
    isolated = set(int(x) for x in d["isolated"])
    brokers = {int(b["learner"]) for b in d["brokers"]}
    df = pd.DataFrame(
        {
            "community": np.asarray(d["community"], dtype=np.int64) if len(d["community"]) else np.zeros(0, np.int64),
            "betweenness": np.asarray(d["betweenness"], dtype=np.float64),
            "isolated": [int(x) in isolated for x in learners],
            "broker": [int(x) in brokers for x in learners],
        },
        index=pd.Index(cohort.learner_ids[learners] if len(learners) else np.array([], dtype=object), name="learner"),
    )
    for k in ("members", "ties", "density", "components", "largest_component", "communities", "modularity"):
        df.attrs[k] = d[k]
    ids = cohort.learner_ids
    df.attrs["edges"] = [(str(ids[u]), str(ids[v]), int(w)) for u, v, w in d["edges"]]
    return df


def learner_signals(
    cohort: Cohort, instance: str, as_of: Any, window_days: int = 28, isolation_working_days: int = 10
) -> pd.DataFrame:
    """Per member of a path instance: peer_degree, reciprocity, sent, received, replies_received,
    last_peer_contact, working_days_without_peers, isolated, core_distance, and manager / tutor engagement
    (people, contacts, contacts_per_month, last contact).

    Example::

        s = lien.learner_signals(cohort, "manager-g1", "2027-03-01"); s[s.isolated]
    """
    f, t = _window(cohort, as_of, window_days)
    rows = _lien.learner_signals(cohort.native, _instance(cohort, instance), f, t, isolation_working_days)
    recs = []
    for r in rows:
        r = dict(r)
        m, u = dict(r.pop("manager")), dict(r.pop("tutor"))
        for k, v in m.items():
            r["manager_" + k] = v
        for k, v in u.items():
            r["tutor_" + k] = v
        recs.append(r)
    df = pd.DataFrame(recs)
    if not len(df):
        return df
    df.insert(0, "enrolment", cohort.enrolment_ids[df.pop("enrolment").to_numpy(dtype=np.int64)])
    df.index = pd.Index(cohort.learner_ids[df.pop("learner").to_numpy(dtype=np.int64)], name="learner")
    for c in ("last_peer_contact", "manager_last_contact", "tutor_last_contact"):
        df[c] = timestamps([(-(2**63) if x is None or pd.isna(x) else int(x)) for x in df[c]])
    df["core_distance"] = df["core_distance"].astype("Int64")
    return df


def stakeholder_load(cohort: Cohort, scores: Any, as_of: Any, at_risk_from: str = "medium") -> pd.DataFrame:
    """For each manager, tutor and trainer: learners with an active enrolment attached to them and, of those,
    learners at risk (band >= ``at_risk_from`` in ``scores``). Sorted by role, then at_risk, learners.

    Example::

        lien.stakeholder_load(cohort, scores, "2027-03-01").head()
    """
    order = {"low": 0, "medium": 1, "high": 2}
    if at_risk_from not in order:
        raise _lien.InvalidArgument(f"at_risk_from '{at_risk_from}': expected low, medium or high")
    band = np.zeros(cohort.enrolment_count, dtype=np.uint8)
    band[np.asarray(scores.table.enrolment, dtype=np.int64)] = np.asarray(scores.table.band)
    d = dict(_lien.stakeholder_load(cohort.native, band.tolist(), order[at_risk_from], to_instant(as_of, cohort.calendar)))
    rows = []
    for role in ("manager", "tutor", "trainer"):
        for x in d[role]:
            rows.append({"role": role, "person": str(cohort.person_ids[x["person"]]), "learners": x["learners"],
                         "at_risk": x["at_risk"]})
    return pd.DataFrame(rows, columns=["role", "person", "learners", "at_risk"])


def match_buddies(
    cohort: Cohort,
    instance: str,
    as_of: Any,
    seekers: Optional[Any] = None,
    window_days: int = 28,
    cap: int = 2,
    active_within_working_days: int = 10,
) -> pd.DataFrame:
    """Buddies for ``seekers`` (enrolment ids; default: the instance's isolated learners) among the active,
    further-advanced peers of the same instance, solved as an exact capacitated assignment. One row per
    seeker: learner, enrolment, buddy (learner id, None when unmatched), buddy_enrolment, score, steps_ahead,
    other_team, distance, working_days_since_active.

    Example::

        lien.match_buddies(cohort, "manager-g1", "2027-03-01")
    """
    f, t = _window(cohort, as_of, window_days)
    inst = _instance(cohort, instance)
    if seekers is None:
        sig = _lien.learner_signals(cohort.native, inst, f, t, 10)
        seek = [int(s["enrolment"]) for s in sig if s["isolated"] and s["enrolment"] != NO_ID]
    else:
        seek = [int(e) for e in cohort.enrolment_index(seekers)]
    d = dict(_lien.match_buddies(cohort.native, inst, f, t, seek, cap, active_within_working_days))
    enr_learner = np.asarray(cohort._enrolments["learner"])
    rows = []
    for p in d["pairs"]:
        rows.append({
            "learner": cohort.learner_ids[enr_learner[p["seeker"]]], "enrolment": cohort.enrolment_ids[p["seeker"]],
            "buddy": cohort.learner_ids[enr_learner[p["buddy"]]], "buddy_enrolment": cohort.enrolment_ids[p["buddy"]],
            "score": p["score"], "steps_ahead": p["steps_ahead"], "other_team": p["other_team"],
            "distance": p["distance"], "working_days_since_active": p["working_days_since_active"],
        })
    for e in d["unmatched"]:
        rows.append({"learner": cohort.learner_ids[enr_learner[e]], "enrolment": cohort.enrolment_ids[e],
                     "buddy": None, "buddy_enrolment": None, "score": np.nan, "steps_ahead": None,
                     "other_team": None, "distance": None, "working_days_since_active": None})
    df = pd.DataFrame(rows, columns=["learner", "enrolment", "buddy", "buddy_enrolment", "score", "steps_ahead",
                                     "other_team", "distance", "working_days_since_active"])
    df["distance"] = df["distance"].astype("Int64")
    df["steps_ahead"] = df["steps_ahead"].astype("Int64")
    df.attrs["total_score"] = float(d["total_score"])
    return df


__all__ = ["community_health", "learner_signals", "match_buddies", "stakeholder_load"]
