"""The built-in simulator: a synthetic programme with known dropout mechanics, and its ground truth."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import pandas as pd

from lien import _lien
from lien._time import day_of, days, timestamps, to_instant
from lien.cohort import Cohort, ReadReport

_OUTCOMES = ["active", "completed", "withdrawn"]


@dataclass(frozen=True)
class Simulation:
    """A simulated cohort, the builder's report (nothing is ever rejected) and the truth the cohort does not
    show: one row per enrolment (latent motivation, true outcome even after ``observe_until``...).

    Example::

        sim = lien.simulate(learners=240, seed=1)
        sim.truth.groupby("outcome").motivation.mean()
    """

    cohort: Cohort
    report: ReadReport
    truth: pd.DataFrame


def simulate(
    learners: int = 240,
    seed: int = 1,
    start: Any = "2026-09-07",
    group_size: int = 12,
    waves: int = 4,
    wave_spacing_days: int = 7,
    observe_until: Optional[Any] = None,
    id_prefix: str = "",
    team_size: int = 6,
    groups_per_tutor: int = 1,
    groups_per_trainer: int = 8,
    hazard: Optional[dict[str, float]] = None,
    calendar: Optional[_lien.Calendar] = None,
    threads: int = 1,
) -> Simulation:
    """Simulates a cohort on the built-in manager programme (docs/simulator.md). Same arguments, same cohort,
    bit for bit. ``start`` is the first wave's start day; ``observe_until`` (a date) hides everything after it;
    ``hazard`` overrides planted effects by name (e.g. ``{"per_inactive_day": 0.2}``); ``calendar`` defaults to
    Paris time, Monday to Friday, French public holidays.

    Example::

        sim = lien.simulate(learners=480, seed=7, observe_until="2026-11-02")
        sim.truth.groupby("outcome").size()
    """
    cal = calendar if calendar is not None else _lien.default_sim_calendar()
    h = _lien.HazardParams()
    for name, value in (hazard or {}).items():
        if not hasattr(h, name) or name.startswith("_"):
            raise TypeError(f"simulate: unknown hazard parameter '{name}'")
        setattr(h, name, value)
    until = None if observe_until is None else to_instant(observe_until, cal)
    native, report, truth = _lien.simulate(
        seed, learners, group_size, waves, wave_spacing_days, day_of(start), cal, until, id_prefix, team_size,
        groups_per_tutor, groups_per_trainer, h, threads,
    )
    t = dict(truth)
    df = pd.DataFrame(
        {
            "enrolment_id": t["enrolment_id"],
            "learner_id": t["learner_id"],
            "instance_id": t["instance_id"],
            "manager_id": t["manager_id"],
            "group": np.asarray(t["group"]),
            "motivation": np.asarray(t["motivation"]),
            "sociability": np.asarray(t["sociability"]),
            "manager_log_rate": np.asarray(t["manager_log_rate"]),
            "gender": t["gender"],
            "age_band": t["age_band"],
            "disability": t["disability"],
            "prior_attempts": np.asarray(t["prior_attempts"]),
            "start_day": days(t["start_day"]),
            "planned_end_day": days(t["planned_end_day"]),
            "outcome": pd.Categorical.from_codes(np.asarray(t["outcome"]).astype(np.int64), dtype=pd.CategoricalDtype(_OUTCOMES)),
            "outcome_time": timestamps(t["outcome_time"]),
            "outcome_day": days(t["outcome_day"]),
            "observed_outcome": pd.Categorical.from_codes(
                np.asarray(t["observed_outcome"]).astype(np.int64), dtype=pd.CategoricalDtype(_OUTCOMES)
            ),
            "events": np.asarray(t["events"]),
        }
    )
    return Simulation(Cohort(native), ReadReport(report), df)


__all__ = ["Simulation", "simulate"]
