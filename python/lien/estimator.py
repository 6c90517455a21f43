"""A scikit-learn classifier backed by lien's logistic regression, for people who bring their own features.

The engine's solver (damped Newton, docs/models.md "Solver") fits the same penalised model as
``sklearn.linear_model.LogisticRegression(C=C)`` with an L2 penalty on the coefficients, not the intercept.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin  # type: ignore[import-untyped]
from sklearn.utils.multiclass import (  # type: ignore[import-untyped]
    check_classification_targets,
    type_of_target,
)
from sklearn.utils.validation import (  # type: ignore[import-untyped]
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from lien import _lien


class RiskClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Binary logistic regression (L2 penalty) fitted by lien's engine; a scikit-learn estimator.

    Parameters mirror :class:`sklearn.linear_model.LogisticRegression`: ``C`` (inverse penalty strength; the
    engine's mean-loss ``l2`` is ``1 / (C * sum of sample weights)``, so both find the same optimum),
    ``fit_intercept``, ``max_iter`` (Newton steps), ``tol`` (gradient tolerance). After fit: ``classes_``,
    ``coef_`` (1, n_features), ``intercept_`` (1,), ``n_features_in_``, ``n_iter_``.

    It passes ``sklearn.utils.estimator_checks.check_estimator`` with the binary-only tag (scikit-learn then
    skips the multi-class checks); no check is expected to fail (scikit-learn itself skips its array-API check
    unless SCIPY_ARRAY_API is set). Multi-class targets raise ValueError:
    lien's risk is the probability of one event, withdrawal.

    Example::

        from sklearn.model_selection import cross_val_score
        clf = lien.RiskClassifier(C=1.0)
        cross_val_score(clf, X, y, scoring="roc_auc")
        clf.fit(X, y).predict_proba(X)[:, 1]
    """

    def __init__(self, C: float = 1.0, fit_intercept: bool = True, max_iter: int = 100, tol: float = 1e-8) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X: Any, y: Any, sample_weight: Optional[Any] = None) -> RiskClassifier:
        """Fits on X (n_samples, n_features) and binary labels y (any two values; the larger is positive)."""
        X, y = validate_data(self, X, y, dtype=np.float64, order="C", y_numeric=False)
        check_classification_targets(y)
        y_type = type_of_target(y, input_name="y", raise_unknown=True)
        if y_type != "binary":
            raise ValueError(
                "Only binary classification is supported (RiskClassifier is binary). "
                f"The type of the target is {y_type}."
            )
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        if not (isinstance(self.max_iter, (int, np.integer)) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be an integer >= 1, got {self.max_iter!r}")
        if not (isinstance(self.tol, (int, float)) and self.tol >= 0):
            raise ValueError(f"tol must be a number >= 0, got {self.tol!r}")
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"RiskClassifier is binary: y has {len(self.classes_)} class, expected exactly 2")
        target = (y == self.classes_[1]).astype(np.float64)
        w = _check_sample_weight(sample_weight, X, dtype=np.float64)
        if len(np.unique(target[w > 0])) < 2:
            raise ValueError("RiskClassifier needs both classes among the samples of positive weight; found one class")
        l2 = 1.0 / (float(self.C) * float(w.sum()))
        intercept, coef, info, iterations = _lien.logistic_fit(
            X, target, np.ascontiguousarray(w), l2, bool(self.fit_intercept), int(self.max_iter), float(self.tol), 0.0
        )
        self.coef_ = np.asarray(coef, dtype=np.float64).reshape(1, -1)
        self.intercept_ = np.array([float(intercept)])
        self.n_iter_ = np.array([int(iterations)])
        self.fit_info_ = str(info)
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Logits: X @ coef_.T + intercept_ (positive favours classes_[1])."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return np.asarray(X @ self.coef_[0] + self.intercept_[0], dtype=np.float64)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of classes_[0] and classes_[1], one row per sample."""
        z = self.decision_function(X)
        p = np.empty_like(z)
        pos = z >= 0
        p[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
        ez = np.exp(z[~pos])
        p[~pos] = ez / (1.0 + ez)
        return np.column_stack([1.0 - p, p])

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log of predict_proba."""
        return np.asarray(np.log(self.predict_proba(X)))

    def predict(self, X: Any) -> np.ndarray:
        """The class of each sample (classes_[1] when the logit is > 0)."""
        z = self.decision_function(X)
        return np.asarray(self.classes_[(z > 0).astype(np.int64)])


__all__ = ["RiskClassifier"]
