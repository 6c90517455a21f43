"""What the command line, the HTML report, the plots, the OULAD evaluation and the Dask scorer share: the public
API's results (lien.RiskModel, lien.action_queue, lien.review, lien.funnel, lien.community_health, ...) in the
shapes they print. Everything here goes through the package's public functions: there is one way into the
engine, and the command line shows exactly what a notebook computes.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from lien import _lien
from lien._time import to_instant
from lien.cohort import Cohort

Instant = Union[str, int, _dt.date, _dt.datetime, pd.Timestamp]
Rows = tuple[Sequence[str], Sequence[Any]]

BANDS = ("low", "medium", "high")


def cohort_of(cohort: Any) -> Cohort:
    """The package's cohort, from a ``lien.Cohort`` or from the engine's."""
    return cohort if isinstance(cohort, Cohort) else Cohort(cohort)


def instant(cohort: Any, when: Instant) -> int:
    """An instant in ms since the epoch, read in the cohort's calendar (lien._time.to_instant: a date is the
    start of that local day, a timestamp without an offset is local time)."""
    return to_instant(when, cohort_of(cohort).calendar)


def day_of(cohort: Any, ms: int) -> str:
    """The local date (YYYY-MM-DD) of an instant."""
    day = cohort_of(cohort).calendar.local_day(int(ms))
    return (_dt.date(1970, 1, 1) + _dt.timedelta(days=int(day))).isoformat()


def enrolments(cohort: Any) -> pd.DataFrame:
    """One row per enrolment: enrolment, learner, path, instance, start, planned_end, outcome, outcome_time, and
    the learner's display_name (for the people who run the programme; never logged)."""
    c = cohort_of(cohort)
    df = c.enrolments().reset_index()
    person = np.asarray(_lien.learner_persons(c.native), dtype=np.int64)
    learner = np.asarray(c._enrolments["learner"], dtype=np.int64)
    df["display_name"] = c.person_names[person[learner]] if len(df) else np.array([], dtype=object)
    return df


@dataclass
class Scored:
    """Scores of one call: a row per enrolment (driver_k = the k-th driver's sentence), and the drivers (one row
    per enrolment and rank)."""

    frame: pd.DataFrame
    drivers: pd.DataFrame
    horizons: list[int] = field(default_factory=list)


def model_of(model: Any) -> Any:
    """A lien.RiskModel from a model, or from the text of a model file."""
    from lien.model import RiskModel

    return model if isinstance(model, RiskModel) else RiskModel.from_json(str(model))


def score(cohort: Any, model: Any, as_of: Optional[Instant] = None, rows: Optional[Rows] = None, top_k: int = 5,
          horizons: Sequence[int] = (28, 56), lang: str = "en") -> Scored:
    """``RiskModel.score`` at ``as_of`` (or on explicit (enrolment ids, as_of) ``rows``), with the drivers'
    sentences in the frame's driver_k columns (blank when the sentence is empty: the feature id then)."""
    c, m = cohort_of(cohort), model_of(model)
    if rows is not None:
        s = m.score(c, list(rows[1]), top_k=top_k, horizons=horizons, lang=lang, ids=list(rows[0]), paired=True)
    elif as_of is not None:
        s = m.score(c, as_of, top_k=top_k, horizons=horizons, lang=lang)
    else:
        raise _lien.InvalidArgument("score: give as_of or rows")
    frame = s.to_frame()
    drivers = s.drivers_frame()
    k = int(s.table.top_k)
    if k and len(frame):
        sentence = drivers["sentence"].where(drivers["sentence"] != "", drivers["feature"]).to_numpy(dtype=object)
        sentence = sentence.reshape(len(frame), k)
        for r in range(k):
            frame[f"driver_{r + 1}"] = sentence[:, r]
    horizons_out = [int(h) for h in s.table.horizons_days]
    if not horizons_out:
        frame = frame.drop(columns=[c for c in frame.columns if c.startswith("withdraw_within_")])
    return Scored(frame, drivers, horizons_out)


def features(cohort: Any, model: Any, rows: Rows) -> pd.DataFrame:
    """The model's feature matrix on (enrolment ids, as_of) ``rows``: enrolment, as_of, then one column per
    feature in the model's order."""
    c, m = cohort_of(cohort), model_of(model)
    from lien.features import features as _features

    opts = m.native.options
    x = _features(c, list(rows[1]), ids=list(rows[0]), features=m.features, paired=True,
                  isolation_working_days=opts.isolation_working_days,
                  deadline_horizon_working_days=opts.deadline_horizon_working_days)
    df: pd.DataFrame = x[m.features].reset_index(drop=True)
    df.insert(0, "enrolment", x.index.to_numpy())
    df.insert(1, "as_of", x["as_of"].to_numpy())
    return df


def queue(cohort: Any, model: Any, as_of: Instant, playbook: Optional[str] = None, weekly_cap: int = 10,
          lang: str = "en", scores: Any = None) -> pd.DataFrame:
    """This week's action queue (``lien.action_queue``) with display names: learner_name and who_name (for the
    people who run the programme; never logged), due as a YYYY-MM-DD string."""
    from lien.actions import action_queue

    c, m = cohort_of(cohort), model_of(model)
    s = scores if scores is not None else m.score(c, as_of, top_k=None, lang=lang)
    q = action_queue(c, s, as_of, playbook=playbook or None, lang=lang, weekly_cap=weekly_cap)
    names = dict(zip(c.person_ids, c.person_names))  # a learner's id is its person id
    q["learner_name"] = [names.get(x, "") for x in q["learner"]]
    q["who_name"] = [names.get(x, "") if x is not None else "" for x in q["who"]]
    q["who"] = q["who"].fillna("")
    q["due"] = q["due"].dt.strftime("%Y-%m-%d").fillna("")
    return q


def review(cohort: Any, learner: str, as_of: Instant, model: Any = None, lang: str = "en",
           playbook: Optional[str] = None) -> str:
    """A learner's review as text (``lien.review``)."""
    from lien.actions import review as _review

    return _review(cohort_of(cohort), learner, as_of, model=None if model is None else model_of(model), lang=lang,
                   playbook=playbook or None).text


def funnel(cohort: Any, path: str, as_of: Instant) -> dict[str, Any]:
    """The path's funnel (``lien.funnel``) with each step's withdrawal hazard (``lien.step_hazards``:
    at_risk, withdrew, hazard, p_adjusted, flagged) in ``steps``, the counts, and the Kaplan-Meier curve in
    days (``lien.kaplan_meier``) in ``km_days``."""
    from lien.analytics import funnel as _funnel
    from lien.analytics import kaplan_meier, step_hazards

    c = cohort_of(cohort)
    f = _funnel(c, path, as_of)
    h = step_hazards(c, path, as_of)
    hz = h[["step", "at_risk", "events", "hazard", "p_adjusted", "flagged"]].rename(columns={"events": "withdrew"})
    steps = f.reset_index(drop=True).merge(hz, on="step", how="left", sort=False)
    out: dict[str, Any] = {"path": path, **{str(k): int(v) for k, v in f.attrs.items()}}
    out["steps"] = steps
    out["baseline"] = float(h.attrs["baseline"])
    out["method"] = str(h.attrs["method"])
    out["km_days"] = kaplan_meier(c, path_or_instance=path, as_of=as_of, scale="days").reset_index()
    return out


def health(cohort: Any, instance: str, as_of: Instant, window_days: int = 28) -> dict[str, Any]:
    """The peer graph of a path instance over the ``window_days`` before ``as_of`` (``lien.community_health``)
    as the plots draw it: ``members`` (learner ids), ``edges`` (u, v, interactions) between members' positions,
    ``isolated`` (learner ids), density, components, communities, modularity."""
    from lien.graph import community_health

    h = community_health(cohort_of(cohort), instance, as_of, window_days)
    members = [str(x) for x in h.index]
    pos = {m: i for i, m in enumerate(members)}
    return {
        "instance": instance,
        "members": members,
        "edges": [(pos[u], pos[v], w) for u, v, w in h.attrs["edges"]],
        "isolated": [m for m, iso in zip(members, h["isolated"]) if iso],
        "density": float(h.attrs["density"]),
        "components": int(h.attrs["components"]),
        "communities": int(h.attrs["communities"]),
        "modularity": float(h.attrs["modularity"]),
    }
