"""DataFrames over the engine calls the command line, the report, the plots and the OULAD evaluation use.

The C++ side is bindings/python/register_cli_extras.cpp: free functions over plain values (ids as strings,
instants as milliseconds since the epoch, a model as its JSON text), so they need no class binding of their own.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from lien import _lien

Instant = Union[str, int, _dt.date, _dt.datetime, pd.Timestamp]

BANDS = ("low", "medium", "high")


def native(cohort: Any) -> Any:
    """The engine's cohort, from a native one or from the package's ``lien.Cohort`` wrapper."""
    return getattr(cohort, "native", cohort)


def instant(cohort: Any, when: Instant) -> int:
    """An instant in ms since the epoch: a date is the start of that local day (the cohort's time zone), as
    everywhere in lien; a timestamp without an offset is local time."""
    if isinstance(when, (int, np.integer)):
        return int(when)
    if isinstance(when, pd.Timestamp):
        when = when.to_pydatetime()
    if isinstance(when, _dt.datetime):
        if when.tzinfo is not None:
            return int(when.timestamp() * 1000)
        when = when.isoformat(timespec="seconds")
    elif isinstance(when, _dt.date):
        when = when.isoformat()
    text = str(when).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        text += "T00:00:00"  # the start of the local day (also with a binding that reads dates otherwise)
    return int(_lien.cli_instant(native(cohort), text))


def to_datetime(ms: Any) -> Any:
    """ms since the epoch (UTC) as pandas datetimes; lien's 'no time' (INT64_MIN) becomes NaT."""
    a = np.asarray(ms, dtype=np.int64)
    out = pd.to_datetime(np.where(a == np.iinfo(np.int64).min, np.iinfo(np.int64).min, a), unit="ms", utc=True,
                         errors="coerce")
    return out


def day_of(cohort: Any, ms: int) -> str:
    """The local date (YYYY-MM-DD) of an instant."""
    return str(_lien.cli_format_day(native(cohort), int(ms)))


def enrolments(cohort: Any) -> pd.DataFrame:
    """One row per enrolment: ids, start, planned end, outcome (as recorded), prior attempts, team, site."""
    d = dict(_lien.cli_enrolments(native(cohort)))
    df = pd.DataFrame(d)
    for c in ("start", "planned_end", "outcome_time"):
        df[c] = to_datetime(df[c].to_numpy())
    df["outcome"] = pd.Categorical(df["outcome"], categories=["active", "completed", "withdrawn"])
    return df


@dataclass
class Scored:
    """Scores of one call: a row per enrolment, and the drivers (one row per enrolment and rank)."""

    frame: pd.DataFrame
    drivers: pd.DataFrame
    horizons: list[int] = field(default_factory=list)


def score(cohort: Any, model_json: str, as_of: Optional[int] = None, rows: Optional[tuple[Sequence[str],
          Sequence[int]]] = None, top_k: int = 5, horizons: Sequence[int] = (28, 56), lang: str = "en") -> Scored:
    """Scores as DataFrames with the package's column names (see ``lien.RiskModel.score``)."""
    ids, at = (list(rows[0]), [int(x) for x in rows[1]]) if rows is not None else (None, None)
    d = _lien.cli_score(native(cohort), model_json, as_of, ids, at, top_k, list(horizons), lang)
    n = len(d["enrolment"])
    frame = pd.DataFrame({
        "enrolment": d["enrolment"], "learner": d["learner"], "path": d["path"], "instance": d["instance"],
        "as_of": to_datetime(d["as_of"]), "probability": np.asarray(d["probability"]),
        "band": pd.Categorical(d["band"], categories=list(BANDS), ordered=True),
        "logit": np.asarray(d["logit"]),
    })
    within = np.asarray(d["withdraw_within"]).reshape(n, -1)
    hs = list(d["horizons"])
    for j, h in enumerate(hs):
        frame[f"withdraw_within_{h}d"] = within[:, j]
    frame["withdraw_by_end"] = np.asarray(d["withdraw_by_end"])
    rows_out: list[tuple[Any, ...]] = []
    k = max((len(x) for x in d["drivers"]), default=0)
    cols: list[list[str]] = [[""] * n for _ in range(k)]
    for i, drv in enumerate(d["drivers"]):
        for feature, value, contribution, rank, sentence in drv:
            rows_out.append((d["enrolment"][i], int(rank), feature, float(value), float(contribution), sentence))
            cols[int(rank) - 1][i] = sentence or feature
    for r in range(k):
        frame[f"driver_{r + 1}"] = cols[r]
    drivers = pd.DataFrame(rows_out, columns=["enrolment", "rank", "feature", "value", "contribution", "sentence"])
    return Scored(frame, drivers, hs)


def features(cohort: Any, model_json: str = "", as_of: Optional[int] = None,
             rows: Optional[tuple[Sequence[str], Sequence[int]]] = None) -> pd.DataFrame:
    """The feature matrix: one row per (enrolment, as_of), one column per feature, in the model's order."""
    ids, at = (list(rows[0]), [int(x) for x in rows[1]]) if rows is not None else (None, None)
    names, x, enr, asof = _lien.cli_features(native(cohort), model_json, as_of, ids, at)
    df = pd.DataFrame(np.asarray(x), columns=list(names))
    df.insert(0, "enrolment", list(enr))
    df.insert(1, "as_of", to_datetime(asof))
    return df


def fit(cohort: Any, landmarks: Optional[Sequence[int]] = None,
        rows: Optional[tuple[Sequence[str], Sequence[int]]] = None, **options: Any) -> str:
    """Trains a RiskModel; returns the model file's JSON text."""
    ids, at = (list(rows[0]), [int(x) for x in rows[1]]) if rows is not None else (None, None)
    lm = [int(x) for x in landmarks] if landmarks is not None else None
    return str(_lien.cli_fit(native(cohort), lm, ids, at, dict(options)))


def queue(cohort: Any, model_json: str, as_of: int, playbook: str = "", weekly_cap: int = 10) -> pd.DataFrame:
    """This week's action queue, in priority order: who should do what, for whom, by when, and why."""
    entries = _lien.cli_queue(native(cohort), model_json, as_of, playbook, weekly_cap)
    cols = ["rank", "status", "day", "type", "label_en", "label_fr", "learner", "learner_name", "enrolment",
            "band", "probability", "role", "role_en", "role_fr", "performer", "performer_name", "buddy", "due",
            "why_en", "why_fr", "text_en", "text_fr", "rule", "priority", "target", "note"]
    df = pd.DataFrame([dict(e) for e in entries], columns=cols)
    df["band"] = pd.Categorical(df["band"], categories=list(BANDS), ordered=True)
    return df


def review(cohort: Any, learner: str, as_of: int, model_json: str = "", lang: str = "en",
           playbook: str = "") -> str:
    """A learner's review as text (progress, lateness, competencies, risk and drivers, suggested actions)."""
    return str(_lien.cli_review(native(cohort), learner, as_of, model_json, lang, playbook))


def funnel(cohort: Any, path: str, as_of: int) -> dict[str, Any]:
    """The path's funnel with step hazards (``steps`` as a DataFrame) and the Kaplan-Meier curve in days."""
    d = dict(_lien.cli_funnel(native(cohort), path, as_of))
    steps = []
    for s in d["steps"]:
        s = dict(s)
        h = dict(s.pop("hazard"))
        s.update({"at_risk": h["at_risk"], "withdrew": h["events"], "hazard": h["hazard"],
                  "p_adjusted": h["p_adjusted"], "flagged": h["flagged"]})
        steps.append(s)
    d["steps"] = pd.DataFrame(steps)
    d["km_days"] = pd.DataFrame(dict(d["km_days"]))
    return d


def health(cohort: Any, instance: str, as_of: int, window_days: int = 28) -> dict[str, Any]:
    """The peer graph of a path instance over the last window_days and its health figures."""
    return dict(_lien.cli_health(native(cohort), instance, as_of, window_days))
