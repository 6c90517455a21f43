"""Who should do what: the playbook's actions for scored enrolments, the weekly action queue, and reviews."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np
import pandas as pd

from lien import _lien
from lien._time import days, timestamps, to_instant
from lien.cohort import Cohort

if TYPE_CHECKING:
    from lien.model import RiskModel, Scores

NO_ID = 0xFFFFFFFF

PlaybookLike = Union[None, str, "os.PathLike[str]", _lien.Playbook]


def load_playbook(playbook: PlaybookLike) -> Optional[_lien.Playbook]:
    """A playbook from a file path, or the one given; None stays None (the engine's default playbook).

    Example::

        pb = lien.load_playbook("my-playbook.json"); pb.rule_ids
    """
    if playbook is None or isinstance(playbook, _lien.Playbook):
        return playbook
    return _lien.Playbook.load(os.fspath(playbook))


def _ids(table: np.ndarray, idx: Any) -> np.ndarray:
    """External ids of engine ids, None where the engine says "none"."""
    a = np.asarray(idx, dtype=np.int64)
    out = np.full(len(a), None, dtype=object)
    ok = a != NO_ID
    if len(table):
        out[ok] = table[a[ok]]
    return out


def _action_frame(cohort: Cohort, cols: dict[str, Any]) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "learner": _ids(cohort.learner_ids, cols["learner"]),
            "enrolment": _ids(cohort.enrolment_ids, cols["enrolment"]),
            "action": pd.Series(cols["action"], dtype="string"),
            "who": _ids(cohort.person_ids, cols["who"]),
            "who_role": pd.Series(cols["who_role"], dtype="string"),
            "requested_role": pd.Series(cols["requested_role"], dtype="string"),
            "why": pd.Series(cols["why"], dtype="string"),
            "label": pd.Series(cols["label"], dtype="string"),
            "who_label": pd.Series(cols["who_label"], dtype="string"),
            "text": pd.Series(cols["text"], dtype="string"),
            "due": days(cols["due_day"]),
            "due_in_working_days": np.asarray(cols["due_in_working_days"]),
            "priority": np.asarray(cols["priority"]),
            "band": pd.Categorical(cols["band"], categories=["low", "medium", "high"], ordered=True),
            "probability": np.asarray(cols["probability"]),
            "rule": pd.Series(cols["rule"], dtype="string"),
            "target": pd.Series(cols["target"], dtype="string"),
            "buddy": _ids(cohort.person_ids, cols["buddy"]),
            "step": _ids(cohort.step_ids, cols["step"]),
            "competency": _ids(cohort.competency_ids, cols["competency"]),
        }
    )
    return df


def recommend(cohort: Cohort, scores: Scores, as_of: Any, playbook: PlaybookLike = None, lang: str = "en") -> pd.DataFrame:
    """Every action the playbook asks for (before the queue's caps and cooling-off), by enrolment then
    priority.

    Example::

        lien.recommend(cohort, scores, "2027-03-01").action.value_counts()
    """
    date = to_instant(as_of, cohort.calendar)
    cols = _lien.recommend(cohort.native, scores.table, date, load_playbook(playbook), lang)
    return _action_frame(cohort, dict(cols))


def action_queue(
    cohort: Cohort,
    scores: Scores,
    as_of: Any,
    playbook: PlaybookLike = None,
    lang: str = "en",
    weekly_cap: int = 10,
    over_cap: str = "defer",
    cooling_off_working_days: Optional[int] = None,
) -> pd.DataFrame:
    """This week's action queue, in priority order: rank, status (scheduled, deferred, cooling_off, duplicate,
    over_cap), day to do it, learner, enrolment, action, who (person id) and who_role, why, label (the action's
    name), who_label (the performer's role), text (the whole action as one sentence: who does what for whom, by
    when, why) — texts in ``lang`` —, due, priority, band, probability, rule, target, buddy, note (why not
    scheduled).

    ``playbook``: None (lien's default), a playbook file, or a :class:`lien.Playbook`.

    Example::

        q = lien.action_queue(cohort, scores, "2027-03-01", lang="fr")
        q[q.status == "scheduled"].groupby("who").size()
    """
    date = to_instant(as_of, cohort.calendar)
    cols = dict(
        _lien.action_queue(
            cohort.native, scores.table, date, load_playbook(playbook), lang, weekly_cap, over_cap,
            -1 if cooling_off_working_days is None else cooling_off_working_days,
        )
    )
    df = _action_frame(cohort, cols)
    df.insert(0, "rank", np.asarray(cols["rank"]))
    statuses = ["scheduled", "deferred", "cooling_off", "duplicate", "over_cap"]
    df.insert(1, "status", pd.Series(pd.Categorical(cols["status"], categories=statuses)))
    df.insert(2, "day", days(cols["day"]))
    df["note"] = pd.Series(cols["note"], dtype="string")
    df["last_taken"] = timestamps(cols["last_taken"])
    df["last_taken_by"] = _ids(cohort.person_ids, cols["last_taken_by"])
    return df


@dataclass
class Review:
    """A learner's review (bilan) at a date: what is done, late and next, competencies, risk and suggestions.

    Example::

        r = lien.review(cohort, "L0007", "2027-03-01", model=model, lang="fr")
        print(r.text); r.to_frame()
    """

    text: str
    text_en: str
    text_fr: str
    learner: str
    enrolment: str
    as_of: pd.Timestamp
    outcome: str
    required_steps: int
    required_steps_done: int
    certification_progress: float
    has_risk: bool
    probability: float
    band: str
    steps: pd.DataFrame
    competencies: pd.DataFrame
    drivers: pd.DataFrame
    suggestions: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The steps of the review: status (done, late, next), step, done_day, score, due_day, planned_day,
        working_days_late."""
        return self.steps


def _review_steps(cohort: Cohort, d: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for status in ("done", "late", "next"):
        for s in d[status]:
            rows.append({"status": status, **dict(s)})
    cols = ["status", "step", "done_day", "score", "due_day", "planned_day", "working_days_late"]
    df = pd.DataFrame(rows, columns=cols)
    df["step"] = _ids(cohort.step_ids, df["step"].to_numpy(dtype=np.int64)) if len(df) else df["step"]
    for c in ("done_day", "due_day", "planned_day"):
        v = df[c].to_numpy(dtype=object)
        df[c] = days(np.array([-(2**31) if pd.isna(x) else int(x) for x in v], dtype=np.int64))
    df["score"] = pd.to_numeric(df["score"])
    df["status"] = pd.Categorical(df["status"], categories=["done", "late", "next"])
    return df


def review(
    cohort: Cohort,
    learner_id: str,
    as_of: Any,
    model: Optional[RiskModel] = None,
    lang: str = "en",
    playbook: PlaybookLike = None,
    enrolment: Optional[str] = None,
    next_steps: int = 3,
) -> Review:
    """The review of a learner's enrolment at ``as_of`` (the one active then, else the latest started; or
    ``enrolment``). With ``model``, the risk part and the playbook's suggestions are filled.

    Example::

        print(lien.review(cohort, "L0007", "2027-03-01", model=model).text)
    """
    if lang not in ("en", "fr"):
        raise _lien.InvalidArgument(f"language '{lang}': expected en or fr")
    t = to_instant(as_of, cohort.calendar)
    if enrolment is not None:
        e = int(cohort.enrolment_index([enrolment])[0])
    else:
        lid = _lien.find_learner(cohort.native, learner_id)
        if lid == NO_ID:
            raise _lien.NotFoundError(f"review: unknown learner id '{learner_id}'")
        enr = cohort._enrolments
        mine = np.flatnonzero(np.asarray(enr["learner"]) == lid)
        start = np.asarray(enr["start"])[mine]
        started = mine[start <= t]
        if len(started) == 0:
            raise _lien.InvalidArgument(f"review: learner '{learner_id}' has no enrolment started by that date")
        ot = np.asarray(enr["outcome_time"])[started]
        oc = np.asarray(enr["outcome"])[started]
        active = started[(oc == 0) | (ot > t)]
        e = int(active[0]) if len(active) else int(started[np.argmax(np.asarray(enr["start"])[started])])
    d = dict(_lien.review(cohort.native, e, t, None if model is None else model.native, load_playbook(playbook), next_steps))
    comps = pd.DataFrame(
        [dict(c) for c in d["competencies"]],
        columns=["competency", "score", "steps_scored", "required_steps", "required_steps_done", "covered"],
    )
    if len(comps):
        comps["competency"] = _ids(cohort.competency_ids, comps["competency"].to_numpy(dtype=np.int64))
    drivers = pd.DataFrame(
        [{**dict(x), "sentence": x["text_" + lang]} for x in d["drivers"]],
        columns=["rank", "feature", "value", "contribution", "sentence"],
    )
    return Review(
        text=d["text_" + lang],
        text_en=d["text_en"],
        text_fr=d["text_fr"],
        learner=str(cohort.learner_ids[d["learner"]]),
        enrolment=str(cohort.enrolment_ids[e]),
        as_of=timestamps([d["as_of"]])[0],
        outcome=d["outcome"],
        required_steps=int(d["required_steps"]),
        required_steps_done=int(d["required_steps_done"]),
        certification_progress=float(d["certification_progress"]),
        has_risk=bool(d["has_risk"]),
        probability=float(d["probability"]),
        band=d["band"],
        steps=_review_steps(cohort, d),
        competencies=comps,
        drivers=drivers,
        suggestions=_action_frame(cohort, dict(d["suggestions_" + lang])),
    )


__all__ = ["Review", "action_queue", "load_playbook", "recommend", "review"]
