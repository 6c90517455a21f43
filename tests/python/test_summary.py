"""`lien summary` and its JSON contract, on the example programme read as CSV and as xAPI statements."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SOURCE = Path(os.environ.get("LIEN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXAMPLE = SOURCE / "examples" / "data" / "managers-2027"
STATEMENTS = SOURCE / "examples" / "data" / "managers-2027.ndjson"


def summary(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lien", "summary", *args], capture_output=True, text=True)


def summary_json(path: Path) -> Any:
    res = summary(str(path), "--format", "json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_json_contract_on_the_csv_folder() -> None:
    doc = summary_json(EXAMPLE)
    assert set(doc) >= {"read", "accepted", "voided", "rejected", "counts"}
    assert doc["read"] == doc["accepted"] + len(doc["rejected"])
    counts = doc["counts"]
    # The example programme as docs/formats.md describes it.
    assert counts["learners"] == 40
    assert counts["enrolments"] == 40
    assert counts["events"] == 2861
    assert counts["enrolments_by_outcome"]["withdrawn"] == 4
    assert counts["enrolments_by_outcome"]["active"] == 36


def test_json_contract_on_the_xapi_file() -> None:
    doc = summary_json(STATEMENTS)
    assert doc["read"] == 2861  # one statement per event of events.csv
    assert doc["read"] == doc["accepted"] + len(doc["rejected"])
    for r in doc["rejected"]:
        assert set(r) == {"source", "index", "field", "reason"}


def test_csv_and_xapi_give_the_same_cohort() -> None:
    import lien._lien as core

    csv = core.read_csv_dir(str(EXAMPLE))
    xapi = core.read_xapi_file_with_tables(str(STATEMENTS), str(EXAMPLE))
    assert len(xapi.report.rejected) == 0
    a, b = core.count_records(csv.cohort), core.count_records(xapi.cohort)
    assert a == b


def test_unreadable_input_is_one_line_and_a_nonzero_exit(tmp_path: Path) -> None:
    res = summary(str(tmp_path / "nothing-here"))
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "nothing-here" in lines[0]
    assert "Traceback" not in res.stderr
