"""Where people leave: path funnels, withdrawal hazards by step and phase, Kaplan–Meier curves, log-rank
tests, and the cohort summary at a date."""

from __future__ import annotations

from typing import Any, Optional, Union

import numpy as np
import pandas as pd

from lien import _lien
from lien._time import to_instant
from lien.cohort import Cohort

NO_ID = 0xFFFFFFFF


def _target(cohort: Cohort, path_or_instance: str) -> tuple[str, int]:
    p = _lien.find_path(cohort.native, path_or_instance)
    if p != NO_ID:
        return "path", int(p)
    i = _lien.find_instance(cohort.native, path_or_instance)
    if i != NO_ID:
        return "instance", int(i)
    raise _lien.NotFoundError(f"'{path_or_instance}' is neither a path nor a path instance of the cohort")


def _as_of(cohort: Cohort, as_of: Optional[Any]) -> int:
    if as_of is not None:
        return to_instant(as_of, cohort.calendar)
    t = _lien.latest_instant(cohort.native)
    if t is None:
        raise _lien.InvalidArgument("the cohort has no event and no outcome: give as_of")
    return int(t)


def _steps(cohort: Cohort, col: Any) -> np.ndarray:
    return cohort.step_ids[np.asarray(col, dtype=np.int64)] if len(col) else np.array([], dtype=object)


def funnel(cohort: Cohort, path_or_instance: str, as_of: Optional[Any] = None) -> pd.DataFrame:
    """The funnel of a path (every instance) or of one path instance at ``as_of`` (default: the cohort's latest
    instant): one row per step in the path's order with title, phase, required, reached, completed, withdrew_after,
    withdrew_after_completing. ``df.attrs`` holds enrolled, active, completed, withdrawn and
    withdrew_before_first_step.

    Example::

        f = lien.funnel(cohort, "manager"); f[["step", "reached", "withdrew_after"]]
    """
    kind, i = _target(cohort, path_or_instance)
    d = dict(_lien.funnel(cohort.native, kind, i, _as_of(cohort, as_of)))
    df = pd.DataFrame(
        [dict(s) for s in d["steps"]],
        columns=["step", "title", "phase", "required", "reached", "completed", "withdrew_after",
                 "withdrew_after_completing"],
    )
    df["step"] = _steps(cohort, df["step"])
    for k in ("enrolled", "active", "completed", "withdrawn", "withdrew_before_first_step"):
        df.attrs[k] = int(d[k])
    return df


def step_hazards(
    cohort: Cohort,
    path_or_instance: str,
    as_of: Optional[Any] = None,
    level: str = "step",
    correction: str = "holm",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Withdrawal hazards right after each step (``level="step"``) or phase (``level="phase"``), each tested
    against the pooled rate (one-sided exact binomial, ``correction`` "holm" | "benjamini_hochberg" | "none"):
    at_risk, events, hazard, expected, p_value, p_adjusted, flagged. ``df.attrs["baseline"]`` is the pooled rate.

    Example::

        h = lien.step_hazards(cohort, "manager"); h[h.flagged]
    """
    if level not in ("step", "phase"):
        raise _lien.InvalidArgument(f"level '{level}': expected step or phase")
    kind, i = _target(cohort, path_or_instance)
    d = dict(_lien.step_hazards(cohort.native, kind, i, _as_of(cohort, as_of), correction, alpha))
    cols = ["at_risk", "events", "hazard", "expected", "p_value", "p_adjusted", "flagged"]
    if level == "step":
        df = pd.DataFrame([dict(s) for s in d["steps"]], columns=["step", "phase", *cols])
        df["step"] = _steps(cohort, df["step"])
        df.attrs["baseline"] = float(d["baseline"])
    else:
        df = pd.DataFrame([dict(s) for s in d["phases"]], columns=["phase", *cols])
        df.attrs["baseline"] = float(d["phase_baseline"])
    df.attrs["method"] = str(d["method"])
    return df


def _km_frame(d: dict[str, Any]) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "at_risk": np.asarray(d["at_risk"]),
            "events": np.asarray(d["events"]),
            "censored": np.asarray(d["censored"]),
            "survival": np.asarray(d["survival"]),
            "lower": np.asarray(d["lower"]),
            "upper": np.asarray(d["upper"]),
        },
        index=pd.Index(np.asarray(d["time"]), name="time"),
    )
    df.attrs["median"] = float(d["median"])
    df.attrs["subjects"] = int(d["subjects"])
    df.attrs["alpha"] = float(d["alpha"])
    return df


def kaplan_meier(
    durations: Union[Cohort, Any],
    observed: Any = None,
    alpha: float = 0.05,
    *,
    path_or_instance: Optional[str] = None,
    as_of: Optional[Any] = None,
    scale: str = "days",
) -> pd.DataFrame:
    """A Kaplan–Meier curve (lifelines' conventions: exponential Greenwood interval), indexed by time: at_risk,
    events, censored, survival, lower, upper; ``df.attrs["median"]`` is the median survival time.

    Either from arrays (``durations``, ``observed``: 1 = event, 0 = censored; all events when None), or for a
    cohort's path or instance: ``kaplan_meier(cohort, path_or_instance="manager", scale="days" | "steps")`` —
    withdrawals are events, completed and active enrolments are censored.

    Example::

        km = lien.kaplan_meier([3, 5, 5, 8], [1, 0, 1, 1]); km.survival
        lien.kaplan_meier(cohort, path_or_instance="manager").attrs["median"]
    """
    if isinstance(durations, Cohort):
        if path_or_instance is None:
            raise _lien.InvalidArgument("kaplan_meier: give path_or_instance with a cohort")
        kind, i = _target(durations, path_or_instance)
        d = dict(_lien.path_survival(durations.native, kind, i, _as_of(durations, as_of), scale, alpha))
        return _km_frame(d)
    dur = np.asarray(durations, dtype=np.float64)
    obs = np.ones(len(dur), dtype=np.uint8) if observed is None else np.asarray(observed).astype(np.uint8)
    return _km_frame(dict(_lien.kaplan_meier(dur.tolist(), obs.tolist(), alpha)))


def logrank_test(durations_a: Any, observed_a: Any, durations_b: Any, observed_b: Any) -> dict[str, float]:
    """Two-sample log-rank test (lifelines.statistics.logrank_test): statistic, p_value, observed and expected
    events per sample, variance.

    Example::

        lien.logrank_test([1, 2, 3], [1, 1, 0], [2, 4, 6], [1, 0, 1])["p_value"]
    """
    d = _lien.logrank_test(
        np.asarray(durations_a, dtype=np.float64).tolist(), np.asarray(observed_a).astype(np.uint8).tolist(),
        np.asarray(durations_b, dtype=np.float64).tolist(), np.asarray(observed_b).astype(np.uint8).tolist(),
    )
    return {k: float(v) for k, v in dict(d).items()}


def cohort_summary(cohort: Cohort, as_of: Any, scores: Any = None, playbook: Any = None) -> dict[str, pd.DataFrame]:
    """Enrolled, active, completed, withdrawn, at risk by band, unscored and open actions at ``as_of``: the
    total and by instance, team and site (one DataFrame each, keyed "total", "by_instance", "by_team",
    "by_site"). With ``scores`` (from :meth:`RiskModel.score`), at-risk counts and the open actions of the
    queue the playbook builds.

    Example::

        lien.cohort_summary(cohort, "2027-03-01", scores)["by_instance"]
    """
    from lien.actions import load_playbook

    t = to_instant(as_of, cohort.calendar)
    d = dict(_lien.summarize(cohort.native, t, None if scores is None else scores.table, load_playbook(playbook)))
    out = {"total": pd.DataFrame([dict(d["total"])]).set_index("key")}
    for k in ("by_instance", "by_team", "by_site"):
        out[k] = pd.DataFrame([dict(g) for g in d[k]], columns=list(dict(d["total"]).keys())).set_index("key")
    return out


__all__ = ["cohort_summary", "funnel", "kaplan_meier", "logrank_test", "step_hazards"]

