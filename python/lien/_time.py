"""Dates and instants between Python and the engine.

The engine counts time in milliseconds since the Unix epoch (UTC) and days since 1970-01-01 (local days of the
cohort's calendar). Python callers give dates in any of the usual forms; this module turns them into instants
with one rule, the readers' (docs/ARCHITECTURE.md, "Time"):

- ``"YYYY-MM-DD"`` and :class:`datetime.date`: the start of that local day in the cohort's calendar;
- ISO timestamps with an offset (``"2027-03-01T09:00:00Z"``), tz-aware :class:`datetime.datetime` and
  :class:`pandas.Timestamp`: that instant;
- naive timestamps (no offset), naive datetimes, :class:`numpy.datetime64`: a wall-clock reading in the
  calendar's time zone;
- :class:`int`: milliseconds since the epoch (UTC), as the engine counts.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any, Union

import numpy as np
import pandas as pd

from lien import _lien

DateLike = Union[str, _dt.date, _dt.datetime, np.datetime64, pd.Timestamp, int]

NO_TIME = -(2**63)
MS_PER_DAY = 86_400_000


def to_instant(value: Any, calendar: _lien.Calendar) -> int:
    """The engine instant (ms since the epoch, UTC) of one date-like value, read in ``calendar``."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a date cannot be a bool")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, str):
        return int(calendar.parse_instant(value.strip()))
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, _dt.datetime):  # pandas.Timestamp included
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            raise ValueError("a date is missing (NaT)")
        if ts.tzinfo is not None:
            return int(ts.tz_convert("UTC").value // 1_000_000)
        return int(calendar.local_to_utc(int(ts.value // 1_000_000)))
    if isinstance(value, _dt.date):
        day = (value - _dt.date(1970, 1, 1)).days
        return int(calendar.start_of_day(day))
    raise TypeError(f"expected a date (str 'YYYY-MM-DD', date, datetime, numpy.datetime64, Timestamp), got {type(value).__name__}")


def to_instants(values: Any, calendar: _lien.Calendar) -> list[int]:
    """One instant per value; a single date-like value gives a list of one."""
    if isinstance(values, (str, _dt.date, np.datetime64, int, np.integer)):
        return [to_instant(values, calendar)]
    if isinstance(values, Iterable):
        return [to_instant(v, calendar) for v in values]
    return [to_instant(values, calendar)]


def timestamps(ms: Any) -> pd.DatetimeIndex:
    """Instants (ms since the epoch) as tz-aware UTC timestamps; the engine's "no time" becomes NaT."""
    a = np.asarray(ms, dtype=np.int64)
    out = a.astype("datetime64[ms]").astype("datetime64[ns]")
    out[a == NO_TIME] = np.datetime64("NaT")
    return pd.DatetimeIndex(out).tz_localize("UTC")


def days(d: Any) -> pd.DatetimeIndex:
    """Local days (days since 1970-01-01) as naive dates at midnight; the engine's "no day" becomes NaT."""
    a = np.asarray(d, dtype=np.int64)
    out = a.astype("datetime64[D]").astype("datetime64[ns]")
    out[a <= -(2**31)] = np.datetime64("NaT")
    return pd.DatetimeIndex(out)


def day_of(value: Any) -> int:
    """The day number (days since 1970-01-01) of a date given as str, date, datetime or datetime64."""
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value.strip()[:10])
    elif isinstance(value, (np.datetime64, pd.Timestamp, _dt.datetime)):
        value = pd.Timestamp(value).date()
    if not isinstance(value, _dt.date):
        raise TypeError(f"expected a date, got {type(value).__name__}")
    return (value - _dt.date(1970, 1, 1)).days
