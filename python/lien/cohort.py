"""Cohorts in and out of Python: the readers, DataFrames to a cohort and back, read reports as DataFrames.

A :class:`Cohort` wraps the engine's immutable cohort; a :class:`ReadResult` pairs it with the
:class:`ReadReport` that accounts for every record read (accepted, or rejected with its source, index, field and
reason).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Optional, Union

import numpy as np
import pandas as pd

from lien import _lien
from lien._time import timestamps

PathLike = Union[str, "os.PathLike[str]"]

#: The tables of the CSV format (docs/formats.md), in the order the readers read them, with their columns.
TABLES: dict[str, tuple[str, ...]] = {
    "learners": ("learner_id", "display_name", "email", "team", "site", "job", "gender", "age_band", "disability"),
    "stakeholders": ("stakeholder_id", "role", "display_name", "email", "organisation"),
    "paths": ("path_id", "title", "course"),
    "steps": (
        "step_id", "path_id", "title", "kind", "phase", "open", "due", "effort_hours", "required", "weight",
        "competencies", "activity_iri",
    ),
    "prerequisites": ("step_id", "requires_step_id"),
    "relations": ("source_id", "type", "target_id", "valid_from", "valid_to"),
    "enrolments": (
        "enrolment_id", "learner_id", "path_id", "instance_id", "start", "planned_end", "outcome", "outcome_time",
        "prior_attempts",
    ),
    "events": (
        "learner_id", "time", "verb", "object_type", "object_id", "actor_id", "score", "success", "completion",
        "duration", "count",
    ),
}

_TIME_COLUMNS = {
    "relations": ("valid_from", "valid_to"),
    "enrolments": ("start", "planned_end", "outcome_time"),
    "events": ("time",),
}
_WINDOW_COLUMNS = ("open", "due")
_OUTCOMES = ("active", "completed", "withdrawn")
_ROLES = ("learner", "manager", "hr", "trainer", "tutor", "community_manager", "training_org", "company")


class ReadReport:
    """The account of a read: ``read == accepted + len(rejected)``, per source in :attr:`sources`.

    Example::

        r = lien.read_csv_dir("examples/data/managers-2027")
        r.report.to_frame()          # one row per rejection: source, index, field, reason
    """

    def __init__(self, native: _lien.ReadReport) -> None:
        self._native = native

    @property
    def read(self) -> int:
        """Records read."""
        return int(self._native.read)

    @property
    def accepted(self) -> int:
        """Records accepted."""
        return int(self._native.accepted)

    @property
    def voided(self) -> int:
        """xAPI statements voided by later voiding statements."""
        return int(self._native.voided)

    @property
    def rejected(self) -> list[_lien.Rejection]:
        """The rejections, in the order they were found."""
        return list(self._native.rejected)

    @property
    def sources(self) -> dict[str, _lien.SourceCount]:
        """Read / accepted / rejected counts per source (file or frame)."""
        return dict(self._native.sources)

    def balanced(self) -> bool:
        """True when every record read was accepted or rejected."""
        return bool(self._native.balanced())

    def to_frame(self) -> pd.DataFrame:
        """The rejections as a DataFrame: source, index, field, reason (one row each).

        Example::

            lien.read_data("data/").report.to_frame().groupby("reason").size()
        """
        rows = self._native.rejected
        return pd.DataFrame(
            {
                "source": pd.Series([r.source for r in rows], dtype="string"),
                "index": pd.Series([r.index for r in rows], dtype="int64"),
                "field": pd.Series([r.field for r in rows], dtype="string"),
                "reason": pd.Series([r.reason for r in rows], dtype="string"),
            }
        )

    def __repr__(self) -> str:
        return f"<ReadReport read={self.read} accepted={self.accepted} rejected={len(self._native.rejected)}>"


class Cohort:
    """A training programme as the engine sees it: people, paths, enrolments, events. Immutable.

    Example::

        cohort = lien.read_csv_dir("examples/data/managers-2027").cohort
        cohort.enrolments().head()
        frames = cohort.to_frames()   # the CSV tables as DataFrames
    """

    def __init__(self, native: _lien.Cohort) -> None:
        self._native = native

    @property
    def native(self) -> _lien.Cohort:
        """The engine's cohort (for lien._lien functions)."""
        return self._native

    @property
    def calendar(self) -> _lien.Calendar:
        """The calendar dates are read in (time zone, working days, holidays)."""
        return self._native.calendar

    @property
    def learner_count(self) -> int:
        """Learners."""
        return int(self._native.learner_count)

    @property
    def person_count(self) -> int:
        """Learners and stakeholders."""
        return int(self._native.person_count)

    @property
    def path_count(self) -> int:
        """Paths."""
        return int(self._native.path_count)

    @property
    def step_count(self) -> int:
        """Steps of all paths."""
        return int(self._native.step_count)

    @property
    def enrolment_count(self) -> int:
        """Enrolments."""
        return int(self._native.enrolment_count)

    @property
    def event_count(self) -> int:
        """Events in the log."""
        return int(self._native.event_count)

    # ---- ids (cached: the cohort never changes) -----------------------------------------------------------
    @cached_property
    def learner_ids(self) -> np.ndarray:
        """External learner ids, by LearnerId."""
        return np.array(_lien.learner_ids(self._native), dtype=object)

    @cached_property
    def person_ids(self) -> np.ndarray:
        """External person ids (learners and stakeholders), by PersonId."""
        return np.array(_lien.person_ids(self._native), dtype=object)

    @cached_property
    def person_names(self) -> np.ndarray:
        """Display names (personal data: for the people who run the programme, never for logs), by PersonId;
        "" where none was given or the cohort was read with a pseudonymisation key."""
        return np.array(_lien.person_names(self._native), dtype=object)

    @cached_property
    def path_ids(self) -> np.ndarray:
        """Path ids, by PathId."""
        return np.array(_lien.path_ids(self._native), dtype=object)

    @cached_property
    def step_ids(self) -> np.ndarray:
        """Step ids, by StepId."""
        return np.array(_lien.step_ids(self._native), dtype=object)

    @cached_property
    def instance_ids(self) -> np.ndarray:
        """Path instance ids, by InstanceId."""
        return np.array(_lien.instance_ids(self._native), dtype=object)

    @cached_property
    def competency_ids(self) -> np.ndarray:
        """Competency ids, by CompetencyId."""
        return np.array(_lien.competency_ids(self._native), dtype=object)

    @cached_property
    def _enrolments(self) -> dict[str, Any]:
        return dict(_lien.enrolment_table(self._native))

    @cached_property
    def enrolment_ids(self) -> np.ndarray:
        """Enrolment ids, by EnrolmentId."""
        return np.array(self._enrolments["id"], dtype=object)

    def enrolments(self) -> pd.DataFrame:
        """One row per enrolment, indexed by enrolment id: learner, path, instance, start, planned_end, outcome,
        outcome_time (instants as UTC timestamps, outcome as a categorical).

        Example::

            cohort.enrolments().query("outcome == 'withdrawn'")
        """
        t = self._enrolments
        df = pd.DataFrame(
            {
                "learner": self.learner_ids[t["learner"]],
                "path": self.path_ids[t["path"]],
                "instance": self.instance_ids[t["instance"]],
                "start": timestamps(t["start"]),
                "planned_end": timestamps(t["planned_end"]),
                "outcome": pd.Categorical.from_codes(t["outcome"].astype(np.int64), dtype=pd.CategoricalDtype(list(_OUTCOMES))),
                "outcome_time": timestamps(t["outcome_time"]),
            },
            index=pd.Index(self.enrolment_ids, name="enrolment"),
        )
        return df

    def enrolment_index(self, ids: Any) -> np.ndarray:
        """EnrolmentIds of external enrolment ids; raises NotFoundError naming the first unknown one."""
        out = []
        for i in ids:
            e = _lien.find_enrolment(self._native, str(i))
            if e == 0xFFFFFFFF:
                raise _lien.NotFoundError(f"unknown enrolment id '{i}'")
            out.append(e)
        return np.array(out, dtype=np.uint32)

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The cohort as the tables of the CSV format (docs/formats.md), one DataFrame each: learners,
        stakeholders, paths, steps, prerequisites, relations, enrolments, events. Timestamps are tz-aware UTC.

        Reading them back with :func:`cohort_from_frames` gives the same cohort.

        Example::

            frames = cohort.to_frames()
            frames["events"].groupby("verb").size()
        """
        with tempfile.TemporaryDirectory(prefix="lien-frames-") as d:
            _lien.write_csv_dir(self._native, d)
            out: dict[str, pd.DataFrame] = {}
            for table in TABLES:
                path = os.path.join(d, table + ".csv")
                if not os.path.exists(path):
                    continue
                df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
                for col in df.columns:
                    df[col] = df[col].replace("", None)
                for col in _TIME_COLUMNS.get(table, ()):
                    if col in df.columns:
                        df[col] = pd.to_datetime(df[col], utc=True, format="ISO8601")
                for col in ("score", "duration", "effort_hours", "weight"):
                    if col in df.columns and table in ("events", "steps"):
                        df[col] = pd.to_numeric(df[col])
                if table == "events" and "count" in df.columns:
                    df["count"] = pd.to_numeric(df["count"]).fillna(1).astype("int64")
                if table == "enrolments" and "prior_attempts" in df.columns:
                    df["prior_attempts"] = pd.to_numeric(df["prior_attempts"]).astype("Int64")
                for col in ("success", "completion", "required"):
                    if col in df.columns:
                        df[col] = df[col].map({"true": True, "false": False, None: pd.NA}).astype("boolean")
                out[table] = df
            return out

    def __repr__(self) -> str:
        return (
            f"<lien.Cohort learners={self.learner_count} paths={self.path_count} "
            f"enrolments={self.enrolment_count} events={self.event_count}>"
        )


@dataclass(frozen=True)
class ReadResult:
    """A cohort and the account of how it was read; unpacks as a pair.

    Example::

        cohort, report = lien.read_data("examples/data/managers-2027")
    """

    cohort: Cohort
    report: ReadReport

    def __iter__(self) -> Any:
        return iter((self.cohort, self.report))


def _wrap(native: Any) -> ReadResult:
    return ReadResult(Cohort(native.cohort), ReadReport(native.report))


def read_data(path: PathLike, pseudonymise_key: Optional[Union[str, bytes]] = None) -> ReadResult:
    """Reads a CSV folder (a directory) or an xAPI file (a file).

    ``pseudonymise_key``: when given, every person id (learners and stakeholders, in every table and xAPI
    actor) is replaced by a keyed HMAC-SHA-256 pseudonym, and names and e-mails are dropped, so that the data
    can be studied without real ids (docs/reliability.md, "Privacy"); the same key gives the same pseudonyms.

    Example::

        result = lien.read_data("examples/data/managers-2027")
        print(result.report.accepted, result.cohort.learner_count)
        anonymous = lien.read_data("examples/data/managers-2027", pseudonymise_key="a secret kept elsewhere")
    """
    return _wrap(_lien.read_data(os.fspath(path), pseudonymise_key=pseudonymise_key or ""))


def read_csv_dir(path: PathLike, pseudonymise_key: Optional[Union[str, bytes]] = None) -> ReadResult:
    """Reads a folder of canonical CSV tables (docs/formats.md); ``pseudonymise_key`` as in :func:`read_data`.

    Example::

        cohort = lien.read_csv_dir("examples/data/managers-2027").cohort
    """
    return _wrap(_lien.read_csv_dir(os.fspath(path), pseudonymise_key=pseudonymise_key or ""))


def read_xapi_file(
    path: PathLike,
    tables: Optional[PathLike] = None,
    strict: bool = False,
    pseudonymise_key: Optional[Union[str, bytes]] = None,
) -> ReadResult:
    """Reads an xAPI file (JSON array or NDJSON); with ``tables``, against the reference tables of a CSV folder
    (learners, paths, steps... but not its events). ``pseudonymise_key`` as in :func:`read_data`.

    Example::

        r = lien.read_xapi_file("statements.ndjson", tables="examples/data/managers-2027")
    """
    key = pseudonymise_key or ""
    if tables is None:
        return _wrap(_lien.read_xapi_file(os.fspath(path), strict=strict, pseudonymise_key=key))
    return _wrap(
        _lien.read_xapi_file_with_tables(os.fspath(path), os.fspath(tables), strict=strict, pseudonymise_key=key)
    )


def write_csv_dir(cohort: Cohort, path: PathLike) -> None:
    """Writes the cohort as canonical CSV tables (and calendar.json) into a folder, created if needed.

    Example::

        lien.write_csv_dir(cohort, "out/")
    """
    _lien.write_csv_dir(cohort.native, os.fspath(path))


def summary(cohort: Cohort) -> dict[str, Any]:
    """Counts of the cohort's records, as ``lien summary --format json`` prints them under "counts".

    Example::

        lien.summary(cohort)["events_by_verb"]["completed"]
    """
    return dict(_lien.count_records(cohort.native))


# ---- DataFrames to a cohort ----------------------------------------------------------------------------------

def _iso_utc(s: pd.Series) -> list[Any]:
    """Instants of a datetime column as ISO text the readers parse: tz-aware -> UTC with Z, naive -> no offset."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        u = s.dt.tz_convert("UTC")
        text = u.dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    else:
        text = s.dt.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return list(text.where(s.notna(), "").tolist())


def _text_column(table: str, name: str, s: pd.Series) -> list[Any]:
    """A column of a small table as text, "" for missing values, in the CSV format's spelling."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if name in _WINDOW_COLUMNS:
            return list(s.dt.strftime("%Y-%m-%d").where(s.notna(), "").tolist())
        return _iso_utc(s)
    if pd.api.types.is_bool_dtype(s.dtype):
        return list(s.map({True: "true", False: "false"}).where(s.notna(), "").tolist())
    if pd.api.types.is_numeric_dtype(s.dtype):
        v = s.astype("float64")
        finite = v.notna()
        integral = bool(((v[finite] % 1) == 0).all())
        if name in _WINDOW_COLUMNS:
            return [("" if not ok else (f"+{int(x)}" if x >= 0 else str(int(x)))) for x, ok in zip(v, finite)]
        if integral:
            return [str(int(x)) if ok else "" for x, ok in zip(v, finite)]
        return [repr(float(x)) if ok else "" for x, ok in zip(v, finite)]
    out: list[Any] = []
    for x in s.tolist():
        if x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and np.isnan(x)):
            out.append("")
        elif isinstance(x, bool):
            out.append("true" if x else "false")
        elif isinstance(x, pd.Timestamp):
            out.append(_iso_utc(pd.Series([x]))[0])
        else:
            out.append(str(x))
    return out


def _coded(s: pd.Series) -> tuple[str, np.ndarray, list[str]]:
    """A text-like column as dictionary codes (-1 for missing) and its distinct values as str."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().astype(np.int32, copy=False)
        uniques = [_as_text(x) for x in s.cat.categories.tolist()]
        return ("strings", codes, uniques)
    codes64, uniq = pd.factorize(s, use_na_sentinel=True)
    return ("strings", codes64.astype(np.int32, copy=False), [_as_text(x) for x in list(uniq)])


def _as_text(x: Any) -> str:
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    if isinstance(x, pd.Timestamp):
        return _iso_utc(pd.Series([x]))[0]  # type: ignore[no-any-return]
    if isinstance(x, (float, np.floating)) and float(x).is_integer():
        return str(int(x))
    return str(x)


def _event_column(name: str, s: pd.Series) -> tuple[Any, ...]:
    """One events column as the engine takes it: instants, numbers, or dictionary-coded text."""
    dtype = s.dtype
    if name == "time" and pd.api.types.is_datetime64_any_dtype(dtype):
        if isinstance(dtype, pd.DatetimeTZDtype):
            ms = s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ms]").view(np.int64)
            return ("instants", ms, False)
        return ("instants", s.to_numpy(dtype="datetime64[ms]").view(np.int64), True)
    if name == "duration" and pd.api.types.is_timedelta64_dtype(dtype):
        return ("numbers", s.dt.total_seconds().to_numpy(dtype=np.float64, na_value=np.nan))
    if name in ("score", "duration", "count", "success", "completion"):
        if pd.api.types.is_bool_dtype(dtype) or (
            pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype)
        ):
            return ("numbers", s.to_numpy(dtype=np.float64, na_value=np.nan))
    return _coded(s)


def _check_columns(table: str, df: pd.DataFrame) -> None:
    known = TABLES[table]
    for c in df.columns:
        if not isinstance(c, str):
            raise _lien.ParseError(f"{table}: column names must be text, got {c!r}")
        if c not in known and not (table == "learners" and c.startswith("protected_") and len(c) > 10):
            raise _lien.ParseError(
                f"{table}: unknown column '{c}' in the {table} table (known columns: {', '.join(known)}"
                + (", protected_<name>)" if table == "learners" else ")")
            )


def cohort_from_frames(
    learners: pd.DataFrame,
    paths: pd.DataFrame,
    steps: pd.DataFrame,
    enrolments: pd.DataFrame,
    events: pd.DataFrame,
    stakeholders: Optional[pd.DataFrame] = None,
    relations: Optional[pd.DataFrame] = None,
    prerequisites: Optional[pd.DataFrame] = None,
    calendar: Optional[_lien.Calendar] = None,
) -> ReadResult:
    """Builds a cohort from DataFrames holding the tables of the CSV format (docs/formats.md): the same
    columns, the same checks, the same rejections.

    Timestamps may be datetime64 columns (tz-aware: that instant; naive: local time of ``calendar``) or text
    as in CSV. Each rejection names its frame as ``source`` ("events", "learners"...) and the row's position
    (0-based, ``df.iloc[index]``) as ``index``. The events go through the engine's columnar path: each distinct
    id, verb or timestamp text is resolved once, no Python code runs per event. A column the table does not
    know raises :class:`lien.ParseError`, as in a CSV header.

    Example::

        f = lien.read_csv_dir("examples/data/managers-2027").cohort.to_frames()
        r = lien.cohort_from_frames(f["learners"], f["paths"], f["steps"], f["enrolments"], f["events"],
                                    stakeholders=f["stakeholders"], relations=f["relations"])
        r.report.to_frame()
    """
    cal = calendar if calendar is not None else _lien.Calendar()
    given: Mapping[str, Optional[pd.DataFrame]] = {
        "learners": learners, "stakeholders": stakeholders, "paths": paths, "steps": steps,
        "prerequisites": prerequisites, "relations": relations, "enrolments": enrolments,
    }
    tables: list[tuple[str, list[str], list[list[Any]]]] = []
    for name in ("learners", "stakeholders", "paths", "steps", "prerequisites", "relations", "enrolments"):
        df = given[name]
        if df is None:
            continue
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"{name}: expected a pandas DataFrame, got {type(df).__name__}")
        _check_columns(name, df)
        cols = [str(c) for c in df.columns]
        tables.append((name, cols, [_text_column(name, c, df[c]) for c in cols]))
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events: expected a pandas DataFrame, got {type(events).__name__}")
    _check_columns("events", events)
    for required in ("learner_id", "time", "verb"):
        if required not in events.columns:
            raise _lien.ParseError(f"events: missing required column '{required}' in the events table")
    ev = {str(c): _event_column(str(c), events[c]) for c in events.columns}
    return _wrap(_lien.build_from_columns(cal, tables, ev, len(events)))


__all__ = [
    "TABLES",
    "Cohort",
    "ReadReport",
    "ReadResult",
    "cohort_from_frames",
    "read_csv_dir",
    "read_data",
    "read_xapi_file",
    "summary",
    "write_csv_dir",
]

