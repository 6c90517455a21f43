"""RiskClassifier: the engine's logistic regression behind scikit-learn's estimator API."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

import lien


def data(n: int = 2000, p: int = 6, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 3, size=p) + rng.normal(size=p)
    beta = rng.normal(size=p)
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(X - X.mean(0)) / X.std(0) @ beta + 0.3))).astype(int)
    return X, y


@pytest.mark.parametrize("C", [0.01, 1.0, 100.0])
def test_coefficients_match_sklearn_on_standardised_data(C: float) -> None:
    X, y = data()
    Z = StandardScaler().fit_transform(X)
    ours = lien.RiskClassifier(C=C, tol=1e-10).fit(Z, y)
    ref = LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(Z, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    np.testing.assert_allclose(ours.predict_proba(Z), ref.predict_proba(Z), atol=1e-6)
    assert (ours.predict(Z) == ref.predict(Z)).mean() > 0.999


def test_sample_weights_and_labels() -> None:
    X, y = data(600, 3, seed=4)
    Z = StandardScaler().fit_transform(X)
    w = np.random.default_rng(1).uniform(0.1, 3, size=len(y))
    labels = np.where(y == 1, "left", "stayed")
    ours = lien.RiskClassifier(C=0.5).fit(Z, labels, sample_weight=w)
    ref = LogisticRegression(C=0.5, tol=1e-12, max_iter=10_000).fit(Z, labels, sample_weight=w)
    assert list(ours.classes_) == ["left", "stayed"]
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    np.testing.assert_allclose(ours.decision_function(Z), ref.decision_function(Z), atol=1e-5)


def test_in_a_pipeline_and_cross_validation() -> None:
    X, y = data(800, 4, seed=2)
    ours = cross_val_score(make_pipeline(StandardScaler(), lien.RiskClassifier()), X, y, scoring="roc_auc", cv=4)
    ref = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression(tol=1e-12, max_iter=10_000)), X, y, scoring="roc_auc", cv=4)
    np.testing.assert_allclose(ours, ref, atol=1e-6)


def test_refuses_multiclass_and_bad_params() -> None:
    X, y = data(100, 2)
    with pytest.raises(ValueError, match="Only binary classification"):
        lien.RiskClassifier().fit(X, np.arange(100) % 3)
    with pytest.raises(ValueError, match="C must be"):
        lien.RiskClassifier(C=-1).fit(X, y)
    clf = lien.RiskClassifier(C=2.0)
    assert clf.get_params() == {"C": 2.0, "fit_intercept": True, "max_iter": 100, "tol": 1e-8}
    assert clf.set_params(C=3.0).C == 3.0


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
def test_check_estimator() -> None:
    # Binary-only tag: scikit-learn skips the multi-class checks; every other check must pass.
    check_estimator(lien.RiskClassifier())
