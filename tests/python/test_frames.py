"""Cohorts from DataFrames: the same cohort as the CSV reader's, the same rejections, row positions named."""

from __future__ import annotations

import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lien
from conftest import EXAMPLE, example_calendar

TABLES = ["learners", "stakeholders", "paths", "steps", "prerequisites", "relations", "enrolments", "events"]


def read_text_frames(folder: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_csv(folder / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}


def build(frames: dict[str, pd.DataFrame], calendar=None):  # type: ignore[no-untyped-def]
    return lien.cohort_from_frames(
        frames["learners"], frames["paths"], frames["steps"], frames["enrolments"], frames["events"],
        stakeholders=frames.get("stakeholders"), relations=frames.get("relations"),
        prerequisites=frames.get("prerequisites"), calendar=calendar,
    )


def same_written_cohort(a: lien.Cohort, b: lien.Cohort, tmp_path: Path) -> None:
    da, db = tmp_path / "a", tmp_path / "b"
    lien.write_csv_dir(a, da)
    lien.write_csv_dir(b, db)
    files = sorted(p.name for p in da.iterdir())
    assert files == sorted(p.name for p in db.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(da, db, files, shallow=False)
    assert mismatch == [] and errors == [], mismatch


def test_text_frames_give_the_csv_readers_cohort(example, tmp_path: Path) -> None:
    r = build(read_text_frames(EXAMPLE), example_calendar())
    assert lien.summary(r.cohort) == lien.summary(example.cohort)
    assert r.report.read == example.report.read
    assert r.report.accepted == example.report.accepted
    same_written_cohort(r.cohort, example.cohort, tmp_path)


def test_typed_frames_give_the_same_cohort(example, tmp_path: Path) -> None:
    f = read_text_frames(EXAMPLE)
    ev = f["events"].copy()
    ev["time"] = pd.to_datetime(ev["time"], format="ISO8601")  # naive: local time of the calendar
    ev["score"] = pd.to_numeric(ev["score"].replace("", np.nan))
    d = ev["duration"].replace("", None)
    iso = d.str.startswith("P", na=False)
    seconds = pd.to_numeric(d.where(~iso), errors="raise")
    ev["duration"] = pd.to_timedelta(seconds.fillna(0), unit="s").where(seconds.notna())
    ev.loc[iso, "duration"] = pd.to_timedelta(d[iso])
    ev["count"] = pd.to_numeric(ev["count"].replace("", np.nan))
    ev["verb"] = ev["verb"].astype("category")
    ev["learner_id"] = ev["learner_id"].astype("category")
    f["events"] = ev
    en = f["enrolments"].copy()
    en["prior_attempts"] = pd.to_numeric(en["prior_attempts"].replace("", np.nan)).astype("Int64")
    f["enrolments"] = en
    r = build(f, example_calendar())
    assert r.report.to_frame().empty
    same_written_cohort(r.cohort, example.cohort, tmp_path)


def test_to_frames_round_trip(example, tmp_path: Path) -> None:
    frames = example.cohort.to_frames()
    assert set(frames) == set(TABLES)
    assert isinstance(frames["events"]["time"].dtype, pd.DatetimeTZDtype)
    assert len(frames["events"]) == example.cohort.event_count
    r = build(frames, example.cohort.calendar)
    assert r.report.rejected == []
    same_written_cohort(r.cohort, example.cohort, tmp_path)


def minimal() -> dict[str, pd.DataFrame]:
    return {
        "learners": pd.DataFrame({"learner_id": ["L1", "L2"]}),
        "paths": pd.DataFrame({"path_id": ["P"]}),
        "steps": pd.DataFrame({"step_id": ["S1"], "path_id": ["P"], "kind": ["elearning"], "phase": ["during"],
                               "open": ["+0"], "due": ["+14"]}),
        "enrolments": pd.DataFrame({"enrolment_id": ["E1", "E2"], "learner_id": ["L1", "L2"], "path_id": ["P", "P"],
                                    "start": pd.to_datetime(["2027-01-04", "2027-01-04"])}),
        "events": pd.DataFrame({
            "learner_id": ["L1", "L1", "L2", "L2", "L9", "L1", "", "L2"],
            "time": ["2027-01-05T09:00:00Z", "2027-01-06", "2027-01-06T10:00", "2027-02-30", "2027-01-07",
                     "2027-01-08", "2027-01-09", "2027-01-10"],
            "verb": ["completed", "jumped", "launched", "launched", "launched", "passed", "launched", "answered"],
            "object_type": ["step", "", "", "", "", "step", "", "step"],
            "object_id": ["S1", "", "", "", "", "S1", "", "S1"],
            "score": [np.nan, np.nan, np.nan, np.nan, np.nan, 1.5, np.nan, 0.5],
        }),
    }


def test_bad_rows_are_rejected_naming_frame_row_and_field() -> None:
    f = minimal()
    r = build(f)
    rej = r.report.to_frame()
    assert list(rej.columns) == ["source", "index", "field", "reason"]
    got = {(row.source, row.index, row.field) for row in rej.itertuples()}
    assert ("events", 1, "verb") in got          # unknown verb
    assert ("events", 3, "time") in got          # 30 February
    assert ("events", 4, "learner_id") in got    # unknown learner, resolved at build
    assert ("events", 5, "score") in got         # scaled score outside [-1, 1]
    assert ("events", 6, "learner_id") in got    # missing required value
    reasons = dict(((row.index, row.field), row.reason) for row in rej.itertuples() if row.source == "events")
    assert reasons[(1, "verb")].startswith("unknown verb 'jumped'")
    assert reasons[(3, "time")] == "day does not exist in that month"
    assert reasons[(6, "learner_id")] == "missing required value"
    assert r.report.read == r.report.accepted + len(r.report.rejected)
    assert r.cohort.event_count == 3  # rows 0, 2 and 7
    assert r.report.sources["events"].rejected == 5


def test_the_same_rows_as_csv_give_the_same_reasons(tmp_path: Path) -> None:
    f = minimal()
    for t, df in f.items():
        df.to_csv(tmp_path / f"{t}.csv", index=False, date_format="%Y-%m-%d")
    via_csv = lien.read_csv_dir(tmp_path).report.to_frame()
    via_frames = build(f).report.to_frame()
    ev_csv = via_csv[via_csv.source == "events.csv"]
    ev_frames = via_frames[via_frames.source == "events"]
    # CSV indices are lines (header = 1), frame indices positions: line = position + 2.
    assert list(ev_csv["index"]) == [i + 2 for i in ev_frames["index"]]
    assert list(ev_csv["field"]) == list(ev_frames["field"])
    assert list(ev_csv["reason"]) == list(ev_frames["reason"])


def test_small_table_rejections_name_the_frame() -> None:
    f = minimal()
    f["enrolments"] = pd.DataFrame({"enrolment_id": ["E1", "E1"], "learner_id": ["L1", "L2"], "path_id": ["P", "P"],
                                    "start": ["2027-01-04", "2027-01-04"], "outcome": ["active", "gone"]})
    rej = build(f).report.to_frame()
    row = rej[rej.source == "enrolments"]
    assert list(row["index"]) == [1]
    assert list(row["field"]) == ["outcome"]


def test_tz_aware_and_naive_times() -> None:
    f = minimal()
    f["events"] = pd.DataFrame({
        "learner_id": ["L1", "L2"],
        "time": pd.to_datetime(["2027-01-05 09:00", "2027-01-05 09:00"]),
        "verb": ["launched", "launched"],
    })
    paris = lien.Calendar("CET-1CEST,M3.5.0,M10.5.0/3")
    naive = build(f, paris).cohort.to_frames()["events"]
    f["events"]["time"] = f["events"]["time"].dt.tz_localize("UTC")
    aware = build(f, paris).cohort.to_frames()["events"]
    # Naive times are Paris wall clock (UTC+1 in January); aware ones are the instant given.
    assert (naive["time"] == pd.Timestamp("2027-01-05 08:00", tz="UTC")).all()
    assert (aware["time"] == pd.Timestamp("2027-01-05 09:00", tz="UTC")).all()


def test_unknown_column_and_missing_required_column_raise() -> None:
    f = minimal()
    f["events"] = f["events"].assign(colour="red")
    with pytest.raises(lien.ParseError, match="unknown column 'colour'"):
        build(f)
    f = minimal()
    f["events"] = f["events"].drop(columns=["verb"])
    with pytest.raises(lien.ParseError, match="missing required column 'verb'"):
        build(f)
    f = minimal()
    f["learners"] = f["learners"].rename(columns={"learner_id": "id"})
    with pytest.raises(lien.ParseError, match="unknown column 'id'"):
        build(f)


def test_read_report_frame_and_summary(example) -> None:
    assert example.report.to_frame().empty
    counts = lien.summary(example.cohort)
    assert counts["learners"] == example.cohort.learner_count == 40
    assert counts["events"] == example.cohort.event_count
    assert sum(counts["events_by_verb"].values()) == counts["events"]
    cohort, report = lien.read_data(EXAMPLE)
    assert report.balanced() and cohort.enrolment_count == 40
    en = example.cohort.enrolments()
    assert en.index.name == "enrolment" and len(en) == 40
    assert str(en["start"].dtype).startswith("datetime64") and en["outcome"].dtype == "category"


def test_xapi_file_against_the_reference_tables(example) -> None:
    r = lien.read_xapi_file(EXAMPLE.parent / "managers-2027.ndjson", tables=EXAMPLE)
    assert r.report.balanced()
    assert r.cohort.learner_count == example.cohort.learner_count
    assert r.cohort.enrolment_count == example.cohort.enrolment_count
    assert r.cohort.event_count > 0
    alone = lien.read_xapi_file(EXAMPLE.parent / "managers-2027.ndjson")
    assert alone.cohort.learner_count >= 1 and alone.report.balanced()
    with pytest.raises(lien.NotFoundError):
        lien.read_csv_dir(EXAMPLE / "no-such-folder")
