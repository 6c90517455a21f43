#!/usr/bin/env python3
"""Reference values for lien's path analytics, computed with lifelines and SciPy.

Writes reference.json next to this script; tests/cpp/test_survival_analytics.cpp reads it and never runs Python.

- Kaplan-Meier (lifelines.KaplanMeierFitter, default alpha 0.05: exponential Greenwood interval): the timeline,
  the event table (at risk, events, censored), S(t), the interval bounds and the median, on seeded samples with
  ties, censoring, durations of 0 and a sample where everyone has the event (S reaches 0).
- Log-rank (lifelines.statistics.logrank_test): statistic and p-value on pairs of samples.
- Distribution functions (SciPy): betainc, gammainc, gammaincc, binom.sf, chi2.sf, norm.cdf, norm.ppf.
- Multiple-testing corrections: Holm and Benjamini-Hochberg written out from their definitions (statsmodels is
  not a dependency of the project), on fixed p-values with ties.

Every input is rounded or integral so that the JSON text holds the exact doubles both sides use.

    python3 tests/data/analytics/make_reference.py
"""
import json
import pathlib
import sys

import lifelines
import numpy as np
import scipy
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from scipy import special, stats

OUT = pathlib.Path(__file__).resolve().parent
VERSIONS = {"numpy": np.__version__, "scipy": scipy.__version__, "lifelines": lifelines.__version__,
            "python": sys.version.split()[0]}


def floats(a):
    return [float(x) for x in np.asarray(a, dtype=float)]


def km(durations, events):
    f = KaplanMeierFitter().fit(durations, event_observed=events)
    ci = f.confidence_interval_
    table = f.event_table
    return {
        "durations": floats(durations),
        "events": [int(e) for e in events],
        "time": floats(f.survival_function_.index.values),
        "survival": floats(f.survival_function_.iloc[:, 0].values),
        "lower": floats(ci.iloc[:, 0].values),
        "upper": floats(ci.iloc[:, 1].values),
        "at_risk": [int(x) for x in table["at_risk"].values],
        "observed": [int(x) for x in table["observed"].values],
        "censored": [int(x) for x in table["censored"].values],
        "median": float(f.median_survival_time_) if np.isfinite(f.median_survival_time_) else None,
    }


def km_samples(rng):
    samples = []
    # 1. small, hand-checkable
    samples.append(km([1, 2, 2, 3, 5], [1, 0, 1, 1, 1]))
    # 2. integral days with many ties and censoring, as path analytics produces
    d = rng.integers(0, 60, size=80)
    e = (rng.random(80) < 0.4).astype(int)
    samples.append(km(d, e))
    # 3. durations of 0 (withdrawn on the first day) and steps as the time scale
    d = rng.integers(0, 8, size=50)
    d[:4] = 0
    e = (rng.random(50) < 0.5).astype(int)
    e[:2] = 1
    samples.append(km(d, e))
    # 4. continuous durations, no censoring at all
    d = np.round(rng.exponential(20.0, size=40), 3)
    samples.append(km(d, np.ones(40, dtype=int)))
    # 5. everything censored
    samples.append(km([3, 4, 4, 9], [0, 0, 0, 0]))
    # 6. a larger sample
    d = rng.integers(1, 200, size=400)
    e = (rng.random(400) < 0.3).astype(int)
    samples.append(km(d, e))
    return samples


def logrank_pairs(rng):
    pairs = []

    def add(da, ea, db, eb):
        r = logrank_test(da, db, event_observed_A=ea, event_observed_B=eb)
        pairs.append({"durations_a": floats(da), "events_a": [int(x) for x in ea],
                      "durations_b": floats(db), "events_b": [int(x) for x in eb],
                      "statistic": float(r.test_statistic), "p_value": float(r.p_value)})

    add([1, 2, 2, 3, 5], [1, 0, 1, 1, 1], [2, 4, 6, 6, 8, 9], [1, 1, 0, 1, 0, 1])
    # Same distribution: a large p-value.
    add(rng.integers(0, 60, 70), (rng.random(70) < 0.4).astype(int),
        rng.integers(0, 60, 90), (rng.random(90) < 0.4).astype(int))
    # Group b leaves much earlier: a tiny p-value.
    add(rng.integers(10, 120, 150), (rng.random(150) < 0.3).astype(int),
        rng.integers(0, 40, 150), (rng.random(150) < 0.7).astype(int))
    # Ties across groups at the same days, steps as time.
    add(rng.integers(0, 6, 40), (rng.random(40) < 0.5).astype(int),
        rng.integers(0, 6, 35), (rng.random(35) < 0.5).astype(int))
    return pairs


def distributions():
    beta = []
    for a, b, x in [(1, 1, 0.3), (0.5, 0.5, 0.2), (2, 3, 0.4), (5, 1, 0.9), (10, 20, 0.3), (10, 20, 0.05),
                    (3, 97, 0.01), (3, 97, 0.2), (40, 960, 0.02), (40, 960, 0.07), (200, 300, 0.5),
                    (1, 50, 0.001), (7, 2, 0.999), (1000, 9000, 0.12), (0.1, 10, 0.5), (25, 1, 0.5)]:
        beta.append({"a": a, "b": b, "x": x, "value": float(special.betainc(a, b, x))})
    gamma = []
    for a, x in [(0.5, 0.1), (0.5, 2.0), (1, 1), (2.5, 0.5), (2.5, 10), (10, 3), (10, 25), (0.5, 30),
                 (50, 40), (50, 80), (3, 0.001), (100, 100), (0.5, 1e-6), (7, 7)]:
        gamma.append({"a": a, "x": x, "p": float(special.gammainc(a, x)), "q": float(special.gammaincc(a, x))})
    binom = []
    for k, n, p in [(0, 10, 0.3), (1, 10, 0.3), (3, 10, 0.3), (10, 10, 0.3), (11, 10, 0.3), (5, 20, 0.1),
                    (12, 40, 0.1), (30, 1000, 0.02), (45, 1000, 0.02), (3, 5, 0.5), (7, 12, 0.25),
                    (100, 400, 0.2), (1, 1, 0.999)]:
        binom.append({"k": k, "n": n, "p": p, "value": float(stats.binom.sf(k - 1, n, p))})
    chi2 = []
    for x, df in [(0.0, 1), (0.5, 1), (3.841458820694124, 1), (10, 1), (30, 1), (80, 1), (2, 2), (7, 3),
                  (0.001, 1)]:
        chi2.append({"x": x, "df": df, "value": float(stats.chi2.sf(x, df))})
    normal_cdf = [{"z": z, "value": float(stats.norm.cdf(z))} for z in [-8, -3, -1.959963984540054, -0.5, 0, 0.3, 2, 5]]
    normal_ppf = [{"p": p, "value": float(stats.norm.ppf(p))}
                  for p in [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.999, 1 - 1e-9]]
    return {"beta": beta, "gamma": gamma, "binom": binom, "chi2": chi2,
            "normal_cdf": normal_cdf, "normal_ppf": normal_ppf}


def holm(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    out = np.empty(m)
    running = 0.0
    for j, i in enumerate(order):
        running = max(running, min(1.0, (m - j) * p[i]))
        out[i] = running
    return out


def bh(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    out = np.empty(m)
    running = 1.0
    for j in range(m - 1, -1, -1):
        i = order[j]
        running = min(running, min(1.0, m / (j + 1) * p[i]))
        out[i] = running
    return out


def corrections():
    p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 0.0001]
    return {"p": p, "holm": floats(holm(p)), "benjamini_hochberg": floats(bh(p))}


def main():
    rng = np.random.default_rng(20270104)
    payload = {"generator": "tests/data/analytics/make_reference.py", "versions": VERSIONS,
               "kaplan_meier": km_samples(rng), "logrank": logrank_pairs(rng),
               "distributions": distributions(), "corrections": corrections()}
    with open(OUT / "reference.json", "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print("wrote reference.json")


if __name__ == "__main__":
    main()
