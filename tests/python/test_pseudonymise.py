"""Pseudonymisation on input from Python: data scientists work without real ids, with the same records."""

from __future__ import annotations

import os
import re
from pathlib import Path

import lien
from lien import _lien

SOURCE = Path(os.environ.get("LIEN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXAMPLE = SOURCE / "examples" / "data" / "managers-2027"
STATEMENTS = SOURCE / "examples" / "data" / "managers-2027.ndjson"


def test_every_person_id_is_replaced_and_nothing_else_changes() -> None:
    plain = lien.read_data(EXAMPLE)
    pseudo = lien.read_data(EXAMPLE, pseudonymise_key="k-2027")
    assert pseudo.report.read == plain.report.read
    assert pseudo.report.accepted == plain.report.accepted
    assert _lien.count_records(pseudo.cohort.native) == _lien.count_records(plain.cohort.native)
    real = set(_lien.person_ids(plain.cohort.native))
    hidden = _lien.person_ids(pseudo.cohort.native)
    assert not real & set(hidden)
    assert all(re.fullmatch(r"[0-9a-f]{32}", p) for p in hidden)  # 16 bytes of HMAC-SHA-256, hex


def test_same_key_same_pseudonyms_other_key_others_and_xapi_agrees() -> None:
    a = _lien.person_ids(lien.read_csv_dir(EXAMPLE, pseudonymise_key=b"k-2027").cohort.native)
    b = _lien.person_ids(lien.read_csv_dir(EXAMPLE, pseudonymise_key="k-2027").cohort.native)
    c = _lien.person_ids(lien.read_csv_dir(EXAMPLE, pseudonymise_key="another key").cohort.native)
    assert a == b
    assert not set(a) & set(c)
    x = lien.read_xapi_file(STATEMENTS, tables=EXAMPLE, pseudonymise_key="k-2027")
    assert len(x.report.rejected) == 0
    assert set(_lien.learner_ids(x.cohort.native)) == set(
        _lien.learner_ids(lien.read_csv_dir(EXAMPLE, pseudonymise_key="k-2027").cohort.native)
    )
