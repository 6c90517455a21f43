#!/usr/bin/env python3
"""Reference values for lien's risk layer, computed with scikit-learn, lifelines and SciPy.

Run from anywhere: writes logistic.json, metrics.json, calibration.json, concordance.json and survival.json
next to this script. The C++ tests (tests/cpp/test_logistic.cpp, test_metrics.cpp, test_calibration.cpp,
test_survival.cpp) read them; they never run Python themselves. Every input is seeded and rounded to a few
decimals, so the JSON text holds the exact doubles both sides use.

Each dataset carries its inputs and the peer's outputs. Where a peer is approximate (sklearn's lbfgs and its
Platt fit stop at a gradient tolerance) a tight SciPy solution of the same documented objective is stored too,
and this script asserts that the two agree before writing anything.

    python3 tests/data/reference/make_reference.py
"""
import json
import pathlib
import sys

import lifelines
import numpy as np
import scipy
import sklearn
from lifelines.utils import concordance_index
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.calibration import _sigmoid_calibration, calibration_curve
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler

OUT = pathlib.Path(__file__).resolve().parent
VERSIONS = {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__,
            "lifelines": lifelines.__version__, "python": sys.version.split()[0]}


def tolist(a):
    return np.asarray(a, dtype=float).tolist()


def write(name, payload):
    payload = {"generator": "tests/data/reference/make_reference.py", "versions": VERSIONS, **payload}
    with open(OUT / name, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {name}")


# ---- the objective lien documents (docs/models.md), minimised tightly with SciPy --------------------------
def softplus(t):
    return np.logaddexp(0.0, t)


def lien_objective(theta, D, y, w, n_free, l2):
    """Weighted mean logistic loss of eta = D theta, plus l2/2 |theta[n_free:]|^2 (the first n_free columns
    of D are unpenalised intercepts)."""
    W = w.sum()
    eta = D @ theta
    beta = theta[n_free:]
    f = (w * (softplus(eta) - y * eta)).sum() / W + 0.5 * l2 * beta @ beta
    r = w * (expit(eta) - y) / W
    g = D.T @ r
    g[n_free:] += l2 * beta
    d = w * expit(eta) * (1 - expit(eta)) / W
    H = D.T @ (D * d[:, None])
    H[n_free:, n_free:] += l2 * np.eye(len(beta))
    return f, g, H


def tight_minimum(D, y, w, n_free, l2, x0=None):
    x0 = np.zeros(D.shape[1]) if x0 is None else x0
    res = minimize(lambda t: lien_objective(t, D, y, w, n_free, l2)[:2], x0, jac=True,
                   hess=lambda t: lien_objective(t, D, y, w, n_free, l2)[2], method="trust-exact",
                   options={"gtol": 1e-13, "maxiter": 1000})
    # polish with plain Newton steps
    t = res.x
    for _ in range(5):
        f, g, H = lien_objective(t, D, y, w, n_free, l2)
        t = t - np.linalg.solve(H, g)
    f, g, _ = lien_objective(t, D, y, w, n_free, l2)
    assert np.abs(g).max() < 1e-12, np.abs(g).max()
    return t, f


# ---- logistic regression ----------------------------------------------------------------------------------
def features(rng, n, p, corr=0.6):
    F = rng.standard_normal((n, 2))
    X = corr * F @ rng.uniform(-1, 1, (2, p)) + rng.standard_normal((n, p))
    X[:, 0] = rng.poisson(2.0, n)            # a count
    X[:, -1] = (X[:, -1] > 0.3).astype(float)  # an indicator
    return np.round(X * np.array([1.0] + [3.0] * (p - 2) + [1.0]) + np.array([0.0] + [5.0] * (p - 2) + [0.0]), 4)


def logistic_case(name, seed, n, p, C, weighted=False, constant=False, fit_intercept=True, zero_weights=0):
    rng = np.random.default_rng(seed)
    X = features(rng, n, p)
    if constant:
        X[:, 1] = 7.25
    beta = rng.normal(0, 0.8, p)
    Z0 = (X - X.mean(0)) / np.where(X.std(0) > 0, X.std(0), 1)
    y = (rng.random(n) < expit(-0.7 + Z0 @ beta)).astype(float)
    w = np.round(rng.uniform(0.2, 3.0, n), 3) if weighted else np.ones(n)
    if zero_weights:
        w[rng.choice(n, zero_weights, replace=False)] = 0.0
    sw = None if not weighted else w
    scaler = StandardScaler().fit(X, sample_weight=sw)
    Z = scaler.transform(X)
    W = w.sum()
    l2 = 1.0 / (C * W)
    peers = {}
    for solver in ("lbfgs", "newton-cholesky"):
        m = LogisticRegression(C=C, solver=solver, tol=1e-12, max_iter=100000, fit_intercept=fit_intercept)
        m.fit(Z, y, sample_weight=sw)
        peers[solver] = (float(m.intercept_[0]) if fit_intercept else 0.0, m.coef_[0].copy(),
                         m.predict_proba(Z)[:, 1])
    D = np.column_stack([np.ones(n), Z]) if fit_intercept else Z
    theta, f = tight_minimum(D, y, w, 1 if fit_intercept else 0, l2)
    b_ref, beta_ref = (theta[0], theta[1:]) if fit_intercept else (0.0, theta)
    for solver, (b, coef, _) in peers.items():
        err = max(abs(b - b_ref), np.abs(coef - beta_ref).max())
        assert err < 1e-6, (name, solver, err)
    b, coef, prob = peers["lbfgs"]
    return {"name": name, "X": X.tolist(), "y": tolist(y), "w": tolist(w) if weighted else [],
            "C": C, "l2": l2, "fit_intercept": fit_intercept,
            "scaler_mean": tolist(scaler.mean_), "scaler_scale": tolist(scaler.scale_),
            "sklearn_intercept": b, "sklearn_coef": tolist(coef), "sklearn_proba": tolist(prob),
            "tight_intercept": float(b_ref), "tight_coef": tolist(beta_ref), "tight_objective": float(f)}


def make_logistic():
    cases = [
        logistic_case("basic", 1, 300, 5, C=1.0),
        logistic_case("weighted", 2, 400, 6, C=0.1, weighted=True, zero_weights=25),
        logistic_case("strong_penalty", 3, 250, 4, C=0.002),
        logistic_case("constant_column", 4, 200, 4, C=1.0, constant=True),
        logistic_case("no_intercept", 5, 220, 3, C=0.5, fit_intercept=False),
        logistic_case("subsampled", 6, 2000, 6, C=0.05),
    ]
    write("logistic.json", {"cases": cases})


# ---- metrics ----------------------------------------------------------------------------------------------
def ece_reference(y, p, w, bins):
    """The documented definition, written independently of the C++: bin b = min(floor(p bins), bins - 1)."""
    b = np.minimum(np.floor(p * bins).astype(int), bins - 1)
    W = w.sum()
    e, mce = 0.0, 0.0
    for k in range(bins):
        m = (b == k) & (w > 0)
        if not m.any():
            continue
        wk = w[m].sum()
        gap = abs((w[m] * p[m]).sum() / wk - (w[m] * y[m]).sum() / wk)
        e += wk / W * gap
        mce = max(mce, gap)
    return e, mce


def metrics_case(name, seed, n, decimals=None, weighted=False, extremes=False, bins=10):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.35).astype(float)
    p = expit(rng.normal(-0.6, 1.0, n) + 1.4 * y)
    if decimals is not None:
        p = np.round(p, decimals)  # ties
    if extremes:
        p[:3] = [0.0, 1.0, 0.0]
        y[:3] = [1.0, 0.0, 0.0]
    p = np.round(p, 12)
    w = np.round(rng.uniform(0.0, 2.0, n), 3) if weighted else np.ones(n)
    if weighted:
        w[:5] = 0.0
    sw = w if weighted else None
    e, mce = ece_reference(y, p, w, bins)
    case = {"name": name, "y": tolist(y), "p": tolist(p), "w": tolist(w) if weighted else [], "bins": bins,
            "roc_auc": roc_auc_score(y, p, sample_weight=sw),
            "average_precision": average_precision_score(y, p, sample_weight=sw),
            "brier": brier_score_loss(y, p, sample_weight=sw),
            "log_loss": log_loss(y, p, sample_weight=sw),
            "ece": e, "max_calibration_error": mce}
    if not weighted and decimals is None:
        # scikit-learn's reliability curve (non-empty bins only) agrees with ours away from bin edges.
        prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy="uniform")
        case["calibration_curve_true"] = tolist(prob_true)
        case["calibration_curve_pred"] = tolist(prob_pred)
    return case


def make_metrics():
    cases = [
        metrics_case("continuous", 11, 500),
        metrics_case("ties", 12, 600, decimals=1),
        metrics_case("weighted_ties", 13, 700, decimals=2, weighted=True),
        metrics_case("weighted", 14, 400, weighted=True, bins=15),
        metrics_case("extremes", 15, 300, extremes=True),
    ]
    write("metrics.json", {"cases": cases})


# ---- calibration ------------------------------------------------------------------------------------------
def platt_case(name, seed, n, weighted=False, scale=1.0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(float)
    s = np.round(scale * (rng.normal(-1.0, 1.2, n) + 1.8 * y), 6)
    w = np.round(rng.uniform(0.1, 2.5, n), 3) if weighted else np.ones(n)
    A, B = _sigmoid_calibration(s, y, sample_weight=w if weighted else None)
    pos, neg = w[y > 0].sum(), w[y <= 0].sum()
    t = np.where(y > 0, (pos + 1) / (pos + 2), 1 / (neg + 2))
    D = np.column_stack([np.ones(n), s])
    theta, _ = tight_minimum(D, t, w, 2, 0.0)
    theta_plain, _ = tight_minimum(D, y, w, 2, 0.0)
    b_tight, a_tight = theta
    assert abs(-A - a_tight) < 2e-3 * max(1, abs(a_tight)) and abs(-B - b_tight) < 2e-3 * max(1, abs(b_tight)), \
        (name, A, B, a_tight, b_tight)
    grid = np.round(np.linspace(s.min() - 1, s.max() + 1, 25), 6)
    return {"name": name, "score": tolist(s), "y": tolist(y), "w": tolist(w) if weighted else [],
            "sklearn_a": float(-A), "sklearn_b": float(-B), "tight_a": float(a_tight), "tight_b": float(b_tight),
            "plain_a": float(theta_plain[1]), "plain_b": float(theta_plain[0]),
            "grid": tolist(grid), "tight_grid_proba": tolist(expit(a_tight * grid + b_tight))}


def isotonic_case(name, seed, n, decimals=3, weighted=False, targets="binary"):
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(0, 1, n), decimals)  # ties in x
    if targets == "binary":
        y = (rng.random(n) < 0.1 + 0.7 * x ** 2).astype(float)
    else:
        y = np.round(np.clip(x + rng.normal(0, 0.2, n), 0, 1), 4)
    w = np.round(rng.uniform(0.0, 2.0, n), 3) if weighted else np.ones(n)
    if weighted:
        w[:4] = 0.0
    iso = IsotonicRegression(out_of_bounds="clip").fit(x, y, sample_weight=w if weighted else None)
    grid = np.round(np.concatenate([[-0.5, x.min(), x.max(), 1.5], np.linspace(0, 1, 41), x[:10]]), 6)
    return {"name": name, "score": tolist(x), "y": tolist(y), "w": tolist(w) if weighted else [],
            "x_thresholds": tolist(iso.X_thresholds_), "y_thresholds": tolist(iso.y_thresholds_),
            "grid": tolist(grid), "grid_predict": tolist(iso.predict(grid))}


def make_calibration():
    write("calibration.json", {
        "platt": [platt_case("platt_basic", 21, 400), platt_case("platt_weighted", 22, 500, weighted=True),
                  platt_case("platt_large_scores", 23, 300, scale=40.0)],
        "isotonic": [isotonic_case("isotonic_binary", 31, 300, decimals=2),
                     isotonic_case("isotonic_weighted", 32, 400, weighted=True),
                     isotonic_case("isotonic_continuous", 33, 250, decimals=3, targets="continuous")],
    })


# ---- concordance and survival -----------------------------------------------------------------------------
def concordance_case(name, seed, n, time_decimals=0, score_decimals=2, censor=0.3):
    rng = np.random.default_rng(seed)
    score = np.round(rng.normal(0, 1, n), score_decimals)
    time = np.round(rng.exponential(5.0 * np.exp(0.5 * score)), time_decimals)
    event = (rng.random(n) > censor).astype(float)
    return {"name": name, "time": tolist(time), "score": tolist(score), "event": tolist(event),
            "lifelines": concordance_index(time, score, event)}


def person_periods(seed, subjects, periods, p, late_entry=0.0, censor=0.08, static=False):
    """Person-period rows from a known discrete-time hazard, sorted by (subject, period)."""
    rng = np.random.default_rng(seed)
    base = np.linspace(-2.6, -1.6, periods)
    beta = np.array([0.8, -0.6, 0.4, 0.3, -0.2][:p])
    rows = []
    for s in range(subjects):
        start = int(rng.integers(0, 3)) if rng.random() < late_entry else 0
        u = rng.normal(0, 1, p)
        for t in range(start, periods):
            x = u if static else np.round(0.7 * u + 0.5 * rng.normal(0, 1, p), 3)
            x = np.round(x, 3)
            e = rng.random() < expit(base[t] + x @ beta)
            c = (not e) and rng.random() < censor
            rows.append((s, t, *x, float(e)))
            if e or c:
                break
    a = np.array(rows)
    return a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2:2 + p], a[:, -1]


def auto_bins(period, event, min_events):
    """The documented rule: merge consecutive periods until a bin has min_events events and non-events."""
    T = int(period.max()) + 1
    ev = np.bincount(period[event > 0.5], minlength=T)
    ne = np.bincount(period[event <= 0.5], minlength=T)
    starts, e, m, open_ = [], 0, 0, 0
    for t in range(T):
        e += ev[t]; m += ne[t]
        if e >= min_events and m >= min_events:
            starts.append(open_); open_, e, m = t + 1, 0, 0
    return starts or [0]


def survival_case(name, seed, subjects, periods, p, l2, min_events=5, late_entry=0.0):
    sid, per, X, ev = person_periods(seed, subjects, periods, p, late_entry=late_entry)
    starts = auto_bins(per, ev, min_events)
    bin_of = np.searchsorted(np.array(starts), per, side="right") - 1
    K = len(starts)
    D = np.column_stack([np.eye(K)[bin_of], X])
    w = np.ones(len(per))
    theta, f = tight_minimum(D, ev, w, K, l2)
    out = {"name": name, "subject": sid.tolist(), "period": per.tolist(), "X": X.tolist(), "event": tolist(ev),
           "l2": l2, "min_bin_events": min_events, "bin_starts": starts,
           "baseline": tolist(theta[:K]), "coef": tolist(theta[K:]), "objective": float(f)}
    if l2 == 0.0:
        m = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=100000).fit(D, ev)
        assert np.abs(m.coef_[0] - theta).max() < 1e-6, np.abs(m.coef_[0] - theta).max()
        out["sklearn_unpenalised"] = tolist(m.coef_[0])
    # Curves of the first three subjects over their own covariate paths, computed here from the parameters.
    curves = []
    for s in np.unique(sid)[:3]:
        rows = sid == s
        h = expit(theta[:K][bin_of[rows]] + X[rows] @ theta[K:])
        curves.append({"subject": int(s), "first_period": int(per[rows][0]), "hazard": tolist(h),
                       "survival": tolist(np.cumprod(1 - h))})
    out["curves"] = curves
    return out


def time_varying_case(name, seed):
    """Static covariates, everyone from period 0: the person-period C-index equals lifelines' C-index."""
    sid, per, X, ev = person_periods(seed, 300, 10, 2, static=True)
    risk = np.round(X @ np.array([0.8, -0.6]), 2)  # ties on purpose
    last = np.r_[sid[1:] != sid[:-1], True]
    return {"name": name, "period": per.tolist(), "risk": tolist(risk), "event": tolist(ev),
            "exit_time": tolist(per[last]), "exit_event": tolist(ev[last]), "subject_risk": tolist(risk[last]),
            "lifelines": concordance_index(per[last], -risk[last], ev[last])}


def make_survival():
    write("concordance.json", {"cases": [
        concordance_case("continuous", 41, 200, time_decimals=3, score_decimals=4),
        concordance_case("tied_times_and_scores", 42, 300, time_decimals=0, score_decimals=1),
        concordance_case("heavy_censoring", 43, 250, time_decimals=0, score_decimals=2, censor=0.7),
    ], "time_varying": [time_varying_case("static_covariates", 44)]})
    write("survival.json", {"cases": [
        survival_case("unpenalised", 51, 500, 6, 3, l2=0.0, min_events=5),
        survival_case("penalised_merged_bins", 52, 600, 12, 4, l2=0.01, min_events=12, late_entry=0.3),
    ]})


if __name__ == "__main__":
    make_logistic()
    make_metrics()
    make_calibration()
    make_survival()
