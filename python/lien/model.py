"""The risk model from Python: train on a cohort's landmarks, score at a date, explain, save and load.

The engine does the work (lien::RiskModel); scores come back as a :class:`Scores` whose columns are numpy
views of the engine's ScoreTable (no copy) until :meth:`Scores.to_frame` assembles a DataFrame.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Optional, Union

import numpy as np
import pandas as pd

from lien import _lien
from lien._time import timestamps, to_instants
from lien.cohort import Cohort

BANDS = pd.CategoricalDtype(["low", "medium", "high"], ordered=True)

_OPTION_NAMES = (
    "horizon_days", "target", "l2", "calibration", "folds", "medium_from", "high_from", "features",
    "isolation_working_days", "deadline_horizon_working_days", "survival", "survival_period_days",
    "survival_min_bin_events", "survival_l2", "top_k", "observed_until", "threads",
)


class RiskModel:
    """Probability that an enrolment withdraws within ``horizon_days``, its drivers, and survival horizons.

    Options (keyword arguments, the engine's RiskModelOptions; docs/models.md): ``horizon_days`` (28),
    ``target`` ("within_horizon" | "before_end"), ``l2`` (1e-3), ``calibration`` ("platt" | "isotonic" |
    "none"), ``folds`` (5), ``medium_from`` (0.2), ``high_from`` (0.5), ``features`` (list of built-in ids; all
    by default), ``isolation_working_days`` (20), ``deadline_horizon_working_days`` (60), ``survival`` (True),
    ``survival_period_days`` (7), ``survival_min_bin_events`` (5), ``survival_l2`` (1e-4), ``top_k`` (5),
    ``observed_until`` (a date; default: the cohort's latest instant), ``threads`` (1; never changes a bit).

    Example::

        model = lien.RiskModel(horizon_days=28).fit(last_year)
        scores = model.score(this_year, "2027-03-01")
        scores.to_frame().sort_values("probability", ascending=False).head()
        model.save("model.json")
    """

    def __init__(self, **options: Any) -> None:
        self._options = _lien.RiskModelOptions()
        self._pending_observed_until: Any = None
        for name, value in options.items():
            if name not in _OPTION_NAMES:
                raise TypeError(f"RiskModel: unknown option '{name}' (known: {', '.join(_OPTION_NAMES)})")
            if name == "observed_until":
                self._pending_observed_until = value
            else:
                setattr(self._options, name, value)
        self._native: Optional[_lien.RiskModel] = None

    @classmethod
    def _from_native(cls, native: _lien.RiskModel) -> RiskModel:
        m = cls()
        m._native = native
        m._options = native.options
        return m

    @property
    def native(self) -> _lien.RiskModel:
        """The engine's model; raises ModelError before fit() or load()."""
        if self._native is None:
            raise _lien.ModelError("RiskModel: not fitted (call fit() or RiskModel.load())")
        return self._native

    @property
    def fitted(self) -> bool:
        """True once fitted or loaded."""
        return self._native is not None

    def fit(self, cohort: Cohort, as_of: Optional[Any] = None) -> RiskModel:
        """Trains on every enrolment in the population at each landmark date of ``as_of`` (a date or a list);
        None: the engine's default weekly landmarks. Returns self.

        Example::

            model = lien.RiskModel().fit(history, as_of=pd.date_range("2026-10-01", "2027-01-31", freq="W-MON"))
        """
        if self._pending_observed_until is not None:
            self._options.observed_until = to_instants(self._pending_observed_until, cohort.calendar)[0]
        landmarks = None if as_of is None else to_instants(as_of, cohort.calendar)
        self._native = _lien.RiskModel.fit(cohort.native, landmarks, self._options)
        return self

    def fit_rows(self, cohort: Cohort, enrolments: Sequence[str], as_of: Sequence[Any]) -> RiskModel:
        """Trains on explicit (enrolment id, as_of) rows, e.g. one cut-off per presentation. Returns self.

        Example::

            model = lien.RiskModel().fit_rows(cohort, ["E1", "E2"], ["2027-01-04", "2027-01-11"])
        """
        if self._pending_observed_until is not None:
            self._options.observed_until = to_instants(self._pending_observed_until, cohort.calendar)[0]
        e = [int(x) for x in cohort.enrolment_index(enrolments)]
        t = to_instants(list(as_of), cohort.calendar)
        self._native = _lien.RiskModel.fit_rows(cohort.native, e, t, self._options)
        return self

    def score(
        self,
        cohort: Cohort,
        as_of: Any,
        top_k: Optional[int] = 5,
        horizons: Sequence[int] = (28, 56),
        lang: str = "en",
        ids: Optional[Sequence[str]] = None,
        paired: bool = False,
    ) -> Scores:
        """Scores every enrolment in the population at ``as_of`` (or the enrolments ``ids`` at each date of
        ``as_of``; with ``paired=True``, ``ids[i]`` at ``as_of[i]``, e.g. one cut-off per presentation):
        probability, band, logit, top_k drivers (None: the model's setting, 0: every feature), and the
        probability of withdrawing within each horizon (days) and by the planned end. ``lang`` ("en"/"fr") is the
        drivers' sentences'.

        Example::

            s = model.score(cohort, "2027-03-01", top_k=3, horizons=(14, 28))
            s.to_frame()[["learner", "probability", "band", "driver_1"]]
            model.score(cohort, ["2027-01-04", "2027-01-11"], ids=["E1", "E2"], paired=True)
        """
        if lang not in ("en", "fr"):
            raise _lien.InvalidArgument(f"language '{lang}': expected en or fr")
        if paired and ids is None:
            raise _lien.InvalidArgument("paired=True needs ids (one per as_of)")
        instants = to_instants(as_of, cohort.calendar)
        enrol = None if ids is None else [int(e) for e in cohort.enrolment_index(ids)]
        table = self.native.score_table(cohort.native, instants, enrol, top_k, list(horizons), paired)
        return Scores(self, cohort, table, lang)

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the model file (JSON, with a checksum) atomically.

        Example::

            model.save("model.json"); lien.RiskModel.load("model.json")
        """
        self.native.save(os.fspath(path))

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> RiskModel:
        """Reads a model file; ModelError says why a file is refused.

        Example::

            model = lien.RiskModel.load("model.json")
        """
        return cls._from_native(_lien.RiskModel.load(os.fspath(path)))

    def to_json(self) -> str:
        """The model file's text."""
        return str(self.native.to_json())

    @classmethod
    def from_json(cls, text: str) -> RiskModel:
        """A model from the text of a model file."""
        return cls._from_native(_lien.RiskModel.from_json(text))

    @property
    def metadata(self) -> dict[str, Any]:
        """What the model records about its training: options, counts, cross-validated metrics, fits.

        Example::

            model.metadata["cv"]["roc_auc"]
        """
        return dict(self.native.metadata)

    @property
    def features(self) -> list[str]:
        """The model's feature ids, in column order."""
        return list(self.native.features)

    @property
    def intercept(self) -> float:
        """The logistic model's intercept (standardised features)."""
        return float(self.native.intercept)

    def coefficients_frame(self) -> pd.DataFrame:
        """One row per feature: coefficient (per standard deviation), odds_ratio per SD, mean and scale of the
        standardisation.

        Example::

            model.coefficients_frame().sort_values("coefficient")
        """
        n = self.native
        coef = np.asarray(n.coefficients)
        return pd.DataFrame(
            {
                "coefficient": coef,
                "odds_ratio": np.exp(coef),
                "mean": np.asarray(n.feature_mean),
                "scale": np.asarray(n.feature_scale),
            },
            index=pd.Index(list(n.features), name="feature"),
        )

    def describe(self, feature: str, value: float, lang: str = "en") -> str:
        """A feature's value as the sentence drivers carry ("no activity for 12 working days")."""
        return str(self.native.describe(feature, value, lang))

    def __repr__(self) -> str:
        if self._native is None:
            return "<lien.RiskModel (not fitted)>"
        md = self.metadata
        return f"<lien.RiskModel rows={md['rows']} features={len(self.features)} auc={md['cv']['roc_auc']:.3f}>"


class Scores:
    """Risk scores of one call to :meth:`RiskModel.score`: numpy columns (views of the engine's table) and
    DataFrames on demand.

    Example::

        s = model.score(cohort, "2027-03-01")
        s.probability.mean(); s.to_frame(); s.drivers_frame(); s.actions("2027-03-01")
    """

    def __init__(self, model: RiskModel, cohort: Cohort, table: _lien.ScoreTable, lang: str) -> None:
        self.model = model
        self.cohort = cohort
        self.table = table
        self.lang = lang

    def __len__(self) -> int:
        return int(self.table.rows)

    @property
    def probability(self) -> np.ndarray:
        """Calibrated probabilities (a numpy view)."""
        return np.asarray(self.table.probability)

    @property
    def logit(self) -> np.ndarray:
        """Logits before calibration (a numpy view)."""
        return np.asarray(self.table.logit)

    @property
    def enrolment_ids(self) -> np.ndarray:
        """The enrolment id of each row."""
        return self.cohort.enrolment_ids[np.asarray(self.table.enrolment, dtype=np.int64)]

    def to_frame(self) -> pd.DataFrame:
        """One row per score: enrolment, learner, path, instance, as_of, probability, band (ordered categorical
        low < medium < high), logit, withdraw_within_<h>d per horizon, withdraw_by_end, driver_1..driver_k (the
        feature ids of the top drivers).

        Example::

            df = s.to_frame(); df[df.band >= "medium"]
        """
        t = self.table
        e = np.asarray(t.enrolment, dtype=np.int64)
        enr = self.cohort._enrolments
        cols: dict[str, Any] = {
            "enrolment": self.cohort.enrolment_ids[e],
            "learner": self.cohort.learner_ids[np.asarray(enr["learner"])[e]],
            "path": self.cohort.path_ids[np.asarray(enr["path"])[e]],
            "instance": self.cohort.instance_ids[np.asarray(enr["instance"])[e]],
            "as_of": timestamps(t.as_of),
            "probability": np.asarray(t.probability),
            "band": pd.Categorical.from_codes(np.asarray(t.band).astype(np.int64), dtype=BANDS),
            "logit": np.asarray(t.logit),
        }
        ww = np.asarray(t.withdraw_within)
        for j, h in enumerate(t.horizons_days):
            cols[f"withdraw_within_{h}d"] = ww[:, j] if ww.ndim == 2 else np.full(len(e), np.nan)
        cols["withdraw_by_end"] = np.asarray(t.withdraw_by_end)
        feats = np.array(t.features, dtype=object)
        df_idx = np.asarray(t.driver_feature)
        for k in range(int(t.top_k)):
            cols[f"driver_{k + 1}"] = feats[df_idx[:, k]] if len(e) else np.array([], dtype=object)
        return pd.DataFrame(cols)

    def drivers_frame(self, lang: Optional[str] = None) -> pd.DataFrame:
        """The drivers in long form: enrolment, rank (1 = largest |contribution|), feature, value, contribution,
        sentence (in ``lang``, default the score's).

        Example::

            s.drivers_frame().query("rank == 1").feature.value_counts()
        """
        t = self.table
        k = int(t.top_k)
        n = int(t.rows)
        e = np.repeat(np.asarray(t.enrolment, dtype=np.int64), k)
        feats = np.array(t.features, dtype=object)
        fidx = np.asarray(t.driver_feature).reshape(-1)
        sentences = self.model.native.sentences(t, lang or self.lang)
        return pd.DataFrame(
            {
                "enrolment": self.cohort.enrolment_ids[e],
                "rank": np.tile(np.arange(1, k + 1, dtype=np.int64), n),
                "feature": feats[fidx] if len(fidx) else np.array([], dtype=object),
                "value": np.asarray(t.driver_value).reshape(-1),
                "contribution": np.asarray(t.driver_contribution).reshape(-1),
                "sentence": np.array(sentences, dtype=object),
            }
        )

    def drivers(self, enrolment: str, lang: Optional[str] = None) -> pd.DataFrame:
        """The drivers of one enrolment (rows of :meth:`drivers_frame`)."""
        d = self.drivers_frame(lang)
        return d[d["enrolment"] == enrolment].reset_index(drop=True)

    def actions(self, as_of: Any, playbook: Any = None, lang: Optional[str] = None) -> pd.DataFrame:
        """The action queue for these scores at ``as_of`` (see :func:`lien.action_queue`)."""
        from lien.actions import action_queue

        return action_queue(self.cohort, self, as_of, playbook=playbook, lang=lang or self.lang)

    def __repr__(self) -> str:
        return f"<lien.Scores rows={len(self)} top_k={self.table.top_k} horizons={list(self.table.horizons_days)}>"


__all__ = ["BANDS", "RiskModel", "Scores"]
