"""Shared fixtures: the example programme (CSV folder), a simulated history and a model trained on it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("LIEN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXAMPLE = SOURCE / "examples" / "data" / "managers-2027"


# ---- the privacy check's message log (docs/reliability.md, "Privacy") -----------------------------------------
# With LIEN_MESSAGE_LOG set (ctest sets it), the text of every lien exception raised during the session (from the
# engine or from the package's Python code), every rejection reason of the readers and every line the CLI writes
# on stderr (test_cli.run) is appended to that file, one per line, as the C++ and C suites do; the suite's last
# test scans the file for personal fields of the fixtures.
def log_message(text: str) -> None:
    path = os.environ.get("LIEN_MESSAGE_LOG")
    if not path or not text:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(text.replace("\n", "\\n") + "\n")


@pytest.fixture(scope="session", autouse=True)
def _message_log():  # type: ignore[no-untyped-def]
    if not os.environ.get("LIEN_MESSAGE_LOG"):
        yield
        return
    import lien
    from lien import _lien

    original_init = lien.Error.__init__

    def logging_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original_init(self, *args, **kwargs)
        log_message(" ".join(str(a) for a in args))

    readers = ("read_data", "read_csv_dir", "read_xapi_file", "read_xapi_file_with_tables", "build_from_columns")
    originals = {name: getattr(_lien, name) for name in readers if hasattr(_lien, name)}

    def logging(read):  # type: ignore[no-untyped-def]
        def logging_read(*args, **kwargs):  # type: ignore[no-untyped-def]
            result = read(*args, **kwargs)
            for r in result.report.rejected:
                log_message(f"{r.source}:{r.index}: {r.field}: {r.reason}")
            return result

        return logging_read

    lien.Error.__init__ = logging_init
    for name, read in originals.items():
        setattr(_lien, name, logging(read))
    try:
        yield
    finally:
        lien.Error.__init__ = original_init
        for name, read in originals.items():
            setattr(_lien, name, read)


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
