"""Features: what the risk model reads about each enrolment at an instant, as a DataFrame."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd

from lien import _lien
from lien._time import timestamps, to_instants
from lien.cohort import Cohort


def feature_catalog(lang: str = "en") -> pd.DataFrame:
    """The built-in features: id, group, unit, description (in ``lang``, "en" or "fr"), direction.

    Example::

        lien.feature_catalog("fr").set_index("id").loc["inactive_working_days", "description"]
    """
    if lang not in ("en", "fr"):
        raise _lien.InvalidArgument(f"language '{lang}': expected en or fr")
    rows = _lien.feature_catalog()
    return pd.DataFrame(
        {
            "id": [r["id"] for r in rows],
            "group": [r["group"] for r in rows],
            "unit": [r["unit"] for r in rows],
            "description": [r["description_" + lang] for r in rows],
            "direction": [r["direction"] for r in rows],
        }
    )


def _matrix_frame(cohort: Cohort, m: dict[str, Any]) -> pd.DataFrame:
    enrol = np.asarray(m["enrolment"], dtype=np.int64)
    df = pd.DataFrame(m["values"], columns=list(m["features"]), copy=False)
    df.index = pd.Index(cohort.enrolment_ids[enrol], name="enrolment")
    learners = np.asarray(cohort._enrolments["learner"])[enrol]
    df["learner"] = cohort.learner_ids[learners]
    df["as_of"] = timestamps(m["as_of"])
    return df


def features(
    cohort: Cohort,
    as_of: Any,
    ids: Optional[Any] = None,
    features: Optional[list[str]] = None,
    isolation_working_days: int = 20,
    deadline_horizon_working_days: int = 60,
    paired: bool = False,
) -> pd.DataFrame:
    """Feature values of the enrolments in the population at ``as_of`` (one date or a list of dates).

    One row per (enrolment, as_of), indexed by enrolment id, one column per feature (registry order, or the
    ``features`` asked for), plus ``learner`` and ``as_of``. With ``ids``, exactly those enrolments at each as_of
    (with ``paired=True``, ``ids[i]`` at ``as_of[i]``). The values are a numpy view of the engine's matrix (no
    copy).

    Example::

        X = lien.features(cohort, "2027-03-01")
        X[["inactive_working_days", "required_done_share"]].describe()
    """
    if paired and ids is None:
        raise _lien.InvalidArgument("paired=True needs ids (one per as_of)")
    instants = to_instants(as_of, cohort.calendar)
    enrolments = None if ids is None else [int(e) for e in cohort.enrolment_index(ids)]
    m = _lien.extract_features(
        cohort.native, instants, enrolments, features or [], isolation_working_days, deadline_horizon_working_days,
        paired,
    )
    return _matrix_frame(cohort, m)


__all__ = ["feature_catalog", "features"]
