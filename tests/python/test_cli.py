"""The `lien` command line, run as users run it (the installed console script, in a subprocess): the demo, the
train / score / queue / review / report chain on CSV folders, the output formats against in-process results,
help texts, exit codes and one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import log_message

import lien
from lien import cli

TODAY = cli.DEMO_TODAY
# The console script installed beside this interpreter (a venv's or the system's), else `python -m lien`.
_beside = Path(sys.executable).parent / "lien"
LIEN = str(_beside) if _beside.exists() else None


def run(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    cmd = [LIEN, *args] if LIEN else [sys.executable, "-m", "lien", *args]
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"})
    for line in r.stderr.splitlines():
        if "Traceback" not in r.stderr:  # --debug tracebacks quote the test's own arguments
            log_message(line)
    if check and r.returncode != 0:
        raise AssertionError(f"{args} -> {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Last year's (complete) and this year's (observed until TODAY) simulated cohorts as CSV folders."""
    root = tmp_path_factory.mktemp("cli")
    last = lien.simulate(learners=96, seed=11, start=cli.DEMO_LAST_YEAR_START, id_prefix="Y25-").cohort
    this = lien.simulate(learners=96, seed=12, start=cli.DEMO_THIS_YEAR_START, observe_until=TODAY,
                         id_prefix="Y26-").cohort
    lien.write_csv_dir(last, root / "last")
    lien.write_csv_dir(this, root / "this")
    return {"root": root, "last": root / "last", "this": root / "this"}


@pytest.fixture(scope="module")
def model(folders: dict[str, Path]) -> Path:
    out = folders["root"] / "model.json"
    r = run("train", str(folders["last"]), "--out", str(out), check=True)
    assert r.stdout.startswith(f"lien train: wrote {out}")
    assert r.stderr == ""  # no progress bar when stderr is not a terminal
    return out


def test_demo_writes_its_files_and_prints_the_at_risk_learners(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    r = run("demo", "--out", str(out), "--learners", "120", check=True)
    for name in ("report.html", "risk.csv", "model.json"):
        assert (out / name).stat().st_size > 0
    risk = pd.read_csv(out / "risk.csv")
    risky = risk[risk["band"].isin(["high", "medium"])].sort_values(["probability", "enrolment"],
                                                                     ascending=[False, True])
    assert len(risky) > 0
    # The table lists the riskiest learners first, with their drivers and an action.
    first = risky.iloc[0]
    lines = r.stdout.splitlines()
    row = next(i for i, ln in enumerate(lines) if ln.strip().startswith("1  "))
    assert first["learner"] in lines[row] and f"{100 * first['probability']:.0f}%" in lines[row]
    assert "why:" in r.stdout and "do:" in r.stdout
    assert f"{len(risk)} active enrolments scored" in r.stdout
    counts = risk["band"].value_counts()
    assert f"{counts.get('high', 0)} high, {counts.get('medium', 0)} medium, {counts.get('low', 0)} low" in r.stdout
    # Every scored enrolment is active on TODAY, in this year's cohort.
    assert risk["enrolment"].str.startswith("Y26-").all()
    assert (risk["as_of"] == "2026-11-15T23:00:00Z").all()  # the start of 2026-11-16 in Paris (CET)


def test_demo_is_reproducible(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    cli.run_demo(str(a), 5, 60, quiet=True)
    cli.run_demo(str(b), 5, 60, quiet=True)
    for name in ("risk.csv", "model.json", "report.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_score_csv_matches_the_engine(folders: dict[str, Path], model: Path) -> None:
    r = run("score", str(folders["this"]), "--model", str(model), "--as-of", TODAY, "--format", "csv", check=True)
    got = pd.read_csv(io.StringIO(r.stdout))
    cohort = lien.read_data(folders["this"]).cohort
    ref = lien.RiskModel.load(model).score(cohort, TODAY).to_frame()
    assert got["enrolment"].tolist() == ref["enrolment"].tolist()
    assert (got["probability"] - ref["probability"]).abs().max() < 1e-12
    assert got["band"].tolist() == ref["band"].astype(str).tolist()
    assert {"withdraw_within_28d", "withdraw_within_56d", "withdraw_by_end", "driver_1"} <= set(got.columns)


def test_score_json_and_table(folders: dict[str, Path], model: Path) -> None:
    r = run("score", str(folders["this"]), "--model", str(model), "--as-of", TODAY, "--format", "json",
            "--top-k", "3", check=True)
    doc = json.loads(r.stdout)
    assert len(doc) > 0 and all(len(d["drivers"]) == 3 for d in doc)
    assert all(set(x) == {"rank", "feature", "value", "contribution", "sentence"} for x in doc[0]["drivers"])
    t = run("score", str(folders["this"]), "--model", str(model), "--as-of", TODAY, check=True)
    assert t.stdout.splitlines()[0].startswith(f"{len(doc)} enrolments scored on {TODAY}")
    top = max(doc, key=lambda d: (d["probability"], [-ord(c) for c in d["enrolment"]]))
    assert top["learner"] in t.stdout.splitlines()[2]


def test_queue_lists_actions_with_performers(folders: dict[str, Path], model: Path) -> None:
    r = run("queue", str(folders["this"]), "--model", str(model), "--as-of", TODAY, "--format", "csv", check=True)
    q = pd.read_csv(io.StringIO(r.stdout))
    assert len(q) > 0
    assert q["rank"].tolist() == list(range(1, len(q) + 1))
    assert set(q["status"]) <= {"scheduled", "deferred", "cooling_off", "duplicate", "over_cap"}
    t = run("queue", str(folders["this"]), "--model", str(model), "--as-of", TODAY, check=True)
    assert t.stdout.splitlines()[0].startswith(f"action queue for the week of {TODAY}")
    assert f"{len(q)}." in t.stdout


def test_review_in_english_and_french(folders: dict[str, Path], model: Path) -> None:
    cohort = lien.read_data(folders["this"]).cohort
    learner = cohort.enrolments()["learner"].iloc[0]
    en = run("review", str(folders["this"]), "--learner", learner, "--as-of", TODAY, "--model", str(model),
             check=True).stdout
    fr = run("review", str(folders["this"]), "--learner", learner, "--as-of", TODAY, "--model", str(model),
             "--lang", "fr", check=True).stdout
    assert en != fr and len(en) > 100
    assert en == lien.review(cohort, learner, TODAY, model=lien.RiskModel.load(model), lang="en").text + "\n"


def test_report_command_writes_html(folders: dict[str, Path], model: Path, tmp_path: Path) -> None:
    out = tmp_path / "r" / "report.html"
    r = run("report", str(folders["this"]), "--model", str(model), "--as-of", TODAY, "--html", str(out),
            check=True)
    assert r.stdout.startswith(f"lien report: wrote {out}")
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>") and "Learners at risk" in text


def test_every_command_has_help_with_examples() -> None:
    for cmd in ("demo", "summary", "train", "score", "queue", "review", "report", "eval"):
        r = run(cmd, "--help")
        assert r.returncode == 0
        assert "examples:" in r.stdout and "exit codes:" in r.stdout, cmd
    assert "lien demo" in run("--help").stdout


def test_errors_are_one_line_with_documented_exit_codes(folders: dict[str, Path], model: Path,
                                                        tmp_path: Path) -> None:
    missing = run("score", str(tmp_path / "nope"), "--model", str(model), "--as-of", TODAY)
    assert missing.returncode == cli.EXIT_INPUT
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr
    assert "nope" in missing.stderr

    bad = tmp_path / "bad.json"
    text = model.read_text()
    bad.write_text(text[: len(text) // 2])
    r = run("score", str(folders["this"]), "--model", str(bad), "--as-of", TODAY)
    assert r.returncode == cli.EXIT_MODEL
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr

    r = run("score", str(folders["this"]), "--model", str(model), "--as-of", "2026-13-45")
    assert r.returncode == cli.EXIT_USAGE and "2026-13-45" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1

    r = run("score", str(folders["this"]), "--model", str(model))
    assert r.returncode == cli.EXIT_USAGE and "--as-of" in r.stderr

    r = run("review", str(folders["this"]), "--learner", "NOBODY", "--as-of", TODAY)
    assert r.returncode == cli.EXIT_INPUT and "NOBODY" in r.stderr

    r = run("--debug", "score", str(tmp_path / "nope"), "--model", str(model), "--as-of", TODAY)
    assert r.returncode != 0 and "Traceback" in r.stderr

    assert run("frobnicate").returncode == cli.EXIT_USAGE
    assert run().returncode == cli.EXIT_USAGE
