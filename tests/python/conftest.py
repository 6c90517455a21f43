"""Shared fixtures: the example programme (CSV folder), a simulated history and a model trained on it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("LIEN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXAMPLE = SOURCE / "examples" / "data" / "managers-2027"


def example_calendar():  # type: ignore[no-untyped-def]
    import lien

    doc = json.loads((EXAMPLE / "calendar.json").read_text())
    holidays = lien.Calendar.french_holidays(1970, 2199) if "fr" in doc.get("holidays", []) else []
    return lien.Calendar(doc["time_zone"], doc["working_days"], holidays)


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def example():  # type: ignore[no-untyped-def]
    import lien

    return lien.read_csv_dir(EXAMPLE)


@pytest.fixture(scope="session")
def history():  # type: ignore[no-untyped-def]
    import lien

    return lien.simulate(learners=480, seed=11)


@pytest.fixture(scope="session")
def current():  # type: ignore[no-untyped-def]
    import lien

    return lien.simulate(learners=240, seed=12, start="2027-09-06", observe_until="2027-11-15", id_prefix="Y2-")


@pytest.fixture(scope="session")
def model(history):  # type: ignore[no-untyped-def]
    import lien

    return lien.RiskModel(horizon_days=28).fit(history.cohort)
