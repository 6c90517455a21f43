#!/usr/bin/env python3
"""Writes the model-file fixtures of tests/cpp/test_model_file.cpp, independently of lien's writer.

Each fixture is a small model written by hand from docs/model-file.md: Python's json module lays out the text,
and the checksum is computed here with hashlib (SHA-256 of every byte before the `"checksum"` key), so the C++
reader is checked against the documented format rather than against its own writer. `tiny_expected.json` holds
scores computed here, in plain Python, from the documented formulas (docs/models.md, "RiskModel"): the C++ test
scores the same feature rows with the loaded model and compares.

    python3 tests/data/models/make_fixtures.py      # rewrites the files beside this script
"""
import datetime
import hashlib
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DAY = 86_400_000

FEATURES = [
    {"id": "inactive_working_days", "unit": "working days", "builtin": True},
    {"id": "active_days_14d", "unit": "days", "builtin": True},
    {"id": "overdue_required_steps", "unit": "steps", "builtin": True},
]
MEAN = [3.5, 4.25, 0.5]
SCALE = [2.5, 3.0, 0.75]
INTERCEPT = -1.75
BETA = [0.62, -0.48, 0.31]
PLATT = (0.9, -0.2)
PERIOD_DAYS = 7
BIN_STARTS = [0, 2, 4]
BASELINE = [-3.1, -2.6, -3.4]
SURV_BETA = [0.55, -0.35, 0.25]
BANDS = (0.2, 0.5)


def options(calibration, survival_enabled):
    return {
        "horizon_days": 28,
        "target": "within_horizon",
        "l2": 0.001,
        "calibration": calibration,
        "folds": 5,
        "top_k": 2,
        "observed_until": None,
        "bands": {"medium_from": BANDS[0], "high_from": BANDS[1]},
        "features": {"isolation_working_days": 20, "deadline_horizon_working_days": 60},
        "survival": {"enabled": survival_enabled, "period_days": PERIOD_DAYS, "min_bin_events": 5,
                     "bin_starts": [], "l2": 0.0001},
    }


def training():
    fit = {"info": "success", "iterations": 6, "loss": 0.41}
    return {
        "rows": 1200, "positives": 240, "censored": 31, "enrolments": 300, "learners": 300, "landmarks": 8,
        "first_landmark": "2027-01-04T08:00:00Z", "last_landmark": "2027-02-22T08:00:00Z",
        "observed_until": "2027-03-22T08:00:00Z", "person_periods": 2000, "survival_events": 90,
        "cv": {"folds": 5, "roc_auc": 0.78, "pr_auc": 0.5, "brier": 0.12, "log_loss": 0.38, "ece": 0.02,
               "c_index": 0.81},
        "fits": {"logistic": fit, "survival": fit, "calibration": fit},
        "lien_version": "0.1.0",
    }


def model(calibration="platt", survival=True, version="1.0", extra=None):
    doc = {
        "format": "lien.risk_model",
        "format_version": version,
        "lien_version": "0.1.0",
        "options": options(calibration, survival),
        "features": FEATURES,
        "scaler": {"mean": MEAN, "scale": SCALE},
        "logistic": {"intercept": INTERCEPT, "coefficients": BETA},
    }
    if calibration == "platt":
        doc["calibration"] = {"method": "platt", "a": PLATT[0], "b": PLATT[1]}
    elif calibration == "isotonic":
        doc["calibration"] = {"method": "isotonic", "x": [-2.0, -0.5, 0.0, 1.5], "y": [0.05, 0.1, 0.3, 0.7]}
    else:
        doc["calibration"] = {"method": "none"}
    doc["survival"] = ({"period_days": PERIOD_DAYS, "bin_starts": BIN_STARTS, "baseline": BASELINE,
                        "coefficients": SURV_BETA} if survival else None)
    doc["training"] = training()
    if extra:
        doc.update(extra)
    return doc


def with_checksum(doc):
    body = json.dumps(doc, indent=2, ensure_ascii=False)
    assert body.endswith("\n}")
    head = body[:-2] + ",\n  "
    digest = hashlib.sha256(head.encode("utf-8")).hexdigest()
    return head + '"checksum": "sha256:' + digest + '"\n}\n'


def write(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def score(x, start, planned_end, as_of, horizons):
    z = [(x[j] - MEAN[j]) / SCALE[j] for j in range(3)]
    logit = INTERCEPT
    contributions = []
    for j in range(3):
        c = BETA[j] * z[j]
        contributions.append(c)
        logit += c
    p = 1.0 / (1.0 + math.exp(-(PLATT[0] * logit + PLATT[1])))
    band = "high" if p >= BANDS[1] else "medium" if p >= BANDS[0] else "low"
    order = sorted(range(3), key=lambda j: (-abs(contributions[j]), j))
    lp = sum(SURV_BETA[j] * z[j] for j in range(3))
    period = PERIOD_DAYS * DAY
    a = (as_of - start) / period

    def hazard(m):  # period m's hazard: its bin's baseline plus the covariate part
        k = max(i for i, s in enumerate(BIN_STARTS) if s <= m)
        return 1.0 / (1.0 + math.exp(-(BASELINE[k] + lp)))

    def survival_from_zero(t):  # withdrawals spread evenly within a period (uniform distribution of events)
        k = math.floor(t)
        g = 1.0
        for m in range(k):
            g *= 1.0 - hazard(m)
        return g * (1.0 - (t - k) * hazard(k))

    def withdraw(b):
        return 1.0 - survival_from_zero(b) / survival_from_zero(a)

    within = [withdraw(a + h / PERIOD_DAYS) for h in horizons]
    by_end = 0.0 if planned_end <= as_of else withdraw((planned_end - start) / period)
    return {"x": x, "start": start, "planned_end": planned_end, "as_of": as_of, "logit": logit, "probability": p,
            "band": band, "drivers": [FEATURES[j]["id"] for j in order],
            "contributions": [contributions[j] for j in order], "withdraw_within": within,
            "withdraw_by_end": by_end}


def main():
    write("tiny.json", with_checksum(model()))
    write("tiny_isotonic.json", with_checksum(model(calibration="isotonic", survival=False)))
    write("newer_minor.json", with_checksum(model(version="1.7", extra={"explanations": {"kind": "shap"}})))
    write("newer_major.json", with_checksum(model(version="2.0")))
    start = int(datetime.datetime(2027, 1, 4, 8, tzinfo=datetime.timezone.utc).timestamp()) * 1000
    horizons = [28, 10]
    rows = [
        score([12.0, 0.0, 2.0], start, start + 56 * DAY, start + 14 * DAY, horizons),
        score([0.0, 9.0, 0.0], start, start + 56 * DAY, start + 17 * DAY + 5 * 3_600_000, horizons),
        score([5.0, 3.0, 1.0], start, start + 56 * DAY, start + 60 * DAY, horizons),
    ]
    expected = {"horizons_days": horizons, "top_k": 2, "rows": rows}
    write("tiny_expected.json", json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main()
