"""liblien.so from a second language with no binding code of ours: ctypes alone, reading lien.h's layout.

The example programme is read, a model trained and saved, and the enrolments scored through the C API; the
same model file is then scored by a C++ program that uses the C++ API only (tests/c/score_reference.cpp) and
every number must be bit-identical (hexadecimal floats), every driver and sentence the same.
"""

from __future__ import annotations

import ctypes
import math
import os
import subprocess
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("LIEN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
DATA = SOURCE / "examples" / "data" / "managers-2027"


def _library_path() -> str:
    path = os.environ.get("LIEN_LIBRARY")
    assert path, "LIEN_LIBRARY is not set: run through ctest (tests/python/CMakeLists.txt sets it)"
    return path


def _reference_path() -> str:
    path = os.environ.get("LIEN_SCORE_REFERENCE")
    assert path, "LIEN_SCORE_REFERENCE is not set: run through ctest (tests/python/CMakeLists.txt sets it)"
    return path


class Score(ctypes.Structure):
    _fields_ = [
        ("enrolment", ctypes.c_size_t),
        ("enrolment_id", ctypes.c_char_p),
        ("learner_id", ctypes.c_char_p),
        ("as_of", ctypes.c_int64),
        ("logit", ctypes.c_double),
        ("probability", ctypes.c_double),
        ("band", ctypes.c_int32),
        ("band_name", ctypes.c_char_p),
        ("withdraw_by_end", ctypes.c_double),
    ]


class Driver(ctypes.Structure):
    _fields_ = [
        ("feature", ctypes.c_char_p),
        ("value", ctypes.c_double),
        ("contribution", ctypes.c_double),
        ("rank", ctypes.c_uint32),
        ("sentence", ctypes.c_char_p),
    ]


class ScoreOptions(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("top_k", ctypes.c_int32),
        ("horizons_days", ctypes.POINTER(ctypes.c_int32)),
        ("horizon_count", ctypes.c_size_t),
        ("lang", ctypes.c_char_p),
    ]


LIEN_OK = 0
LIEN_ERR_INVALID_ARGUMENT = -1
LIEN_ERR_NOT_FOUND = -2
LIEN_ERR_MODEL_INCOMPATIBLE = -4


@pytest.fixture(scope="module")
def lib() -> ctypes.CDLL:
    lib = ctypes.CDLL(_library_path())
    lib.lien_last_error.restype = ctypes.c_char_p
    lib.lien_version_string.restype = ctypes.c_char_p
    return lib


def ok(lib: ctypes.CDLL, status: int) -> None:
    assert status == LIEN_OK, lib.lien_last_error().decode()


def test_version_matches_the_header(lib: ctypes.CDLL) -> None:
    text = (SOURCE / "include" / "lien.h").read_text()
    version = text.split('#define LIEN_VERSION_STRING "')[1].split('"')[0]
    assert lib.lien_version_string().decode() == version


def test_errors_reach_python_as_statuses(lib: ctypes.CDLL, tmp_path: Path) -> None:
    cohort = ctypes.c_void_p()
    assert lib.lien_cohort_read(b"/nonexistent/lien", None, ctypes.byref(cohort)) == LIEN_ERR_NOT_FOUND
    assert "/nonexistent/lien" in lib.lien_last_error().decode()
    assert cohort.value is None
    assert lib.lien_cohort_read(str(DATA).encode(), None, None) == LIEN_ERR_INVALID_ARGUMENT
    assert "argument 'out' is NULL" in lib.lien_last_error().decode()
    bad = tmp_path / "model.json"
    bad.write_text('{"format": "lien.model"')
    model = ctypes.c_void_p()
    assert lib.lien_model_load(str(bad).encode(), ctypes.byref(model)) == LIEN_ERR_MODEL_INCOMPATIBLE
    assert lib.lien_last_error().decode().startswith("lien_model_load: ")


def _parse_reference(text: str) -> list[dict]:
    rows: list[dict] = []
    for line in text.splitlines():
        if line.startswith("  "):
            feature, value, contribution, sentence = line[2:].split(" ", 3)
            rows[-1]["drivers"].append((feature, float.fromhex(value), float.fromhex(contribution), sentence))
        else:
            parts = line.split(" ")
            rows.append({
                "id": parts[0],
                "probability": float.fromhex(parts[1]),
                "logit": float.fromhex(parts[2]),
                "band": parts[3],
                "by_end": math.nan if "nan" in parts[4] else float.fromhex(parts[4]),
                "within": [float.fromhex(p) for p in parts[5:]],
                "drivers": [],
            })
    return rows


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_scores_match_the_cpp_api_exactly(lib: ctypes.CDLL, tmp_path: Path, lang: str) -> None:
    cohort = ctypes.c_void_p()
    model = ctypes.c_void_p()
    scores = ctypes.c_void_p()
    ok(lib, lib.lien_cohort_read(str(DATA).encode(), None, ctypes.byref(cohort)))
    ok(lib, lib.lien_model_train(cohort, None, ctypes.byref(model)))
    model_file = tmp_path / "model.json"
    ok(lib, lib.lien_model_save(model, str(model_file).encode()))

    as_of = ctypes.c_int64()
    ok(lib, lib.lien_time_parse(b"2026-11-27T18:00:00Z", ctypes.byref(as_of)))
    horizons = (ctypes.c_int32 * 3)(7, 28, 90)
    options = ScoreOptions(1, -1, horizons, 3, lang.encode())
    ok(lib, lib.lien_model_score(model, cohort, as_of, ctypes.byref(options), ctypes.byref(scores)))

    rows, top_k, nh = ctypes.c_size_t(), ctypes.c_size_t(), ctypes.c_size_t()
    ok(lib, lib.lien_scores_count(scores, ctypes.byref(rows)))
    ok(lib, lib.lien_scores_driver_count(scores, ctypes.byref(top_k)))
    ok(lib, lib.lien_scores_horizon_count(scores, ctypes.byref(nh)))
    got = []
    for i in range(rows.value):
        s = Score()
        ok(lib, lib.lien_scores_get(scores, ctypes.c_size_t(i), ctypes.byref(s)))
        within = []
        for h in range(nh.value):
            w = ctypes.c_double()
            ok(lib, lib.lien_scores_withdraw_within(scores, ctypes.c_size_t(i), ctypes.c_size_t(h), ctypes.byref(w)))
            within.append(w.value)
        drivers = []
        for k in range(top_k.value):
            d = Driver()
            ok(lib, lib.lien_scores_driver(scores, ctypes.c_size_t(i), ctypes.c_size_t(k), ctypes.byref(d)))
            assert d.rank == k + 1
            drivers.append((d.feature.decode(), d.value, d.contribution, d.sentence.decode()))
        got.append({"id": s.enrolment_id.decode(), "probability": s.probability, "logit": s.logit,
                    "band": s.band_name.decode(), "by_end": s.withdraw_by_end, "within": within,
                    "drivers": drivers})

    lib.lien_scores_destroy(ctypes.byref(scores))
    lib.lien_model_destroy(ctypes.byref(model))
    lib.lien_cohort_destroy(ctypes.byref(cohort))
    assert scores.value is None and model.value is None and cohort.value is None

    out = subprocess.run([_reference_path(), str(DATA), str(model_file), str(as_of.value), lang, "7", "28", "90"],
                         capture_output=True, text=True, check=True).stdout
    want = _parse_reference(out)
    assert len(got) == len(want) == 36
    for g, w in zip(got, want):
        assert g["id"] == w["id"]
        assert g["probability"] == w["probability"] and g["logit"] == w["logit"], g["id"]
        assert g["band"] == w["band"]
        assert _same(g["by_end"], w["by_end"])
        assert len(g["within"]) == 3 and g["within"] == w["within"]
        assert g["within"][0] <= g["within"][1] <= g["within"][2]
        assert g["drivers"] == w["drivers"]
        assert all(sentence for *_, sentence in g["drivers"])
