"""lien — dropout risk, actions and analytics for learning communities.

The engine is C++ (lien._lien); this package gives it a Python face: cohorts from CSV folders, xAPI files or
pandas DataFrames, risk models, action queues, reviews, funnels and community analytics as DataFrames, a
scikit-learn estimator, and the `lien` command line.

Example::

    import lien
    cohort = lien.read_csv_dir("examples/data/managers-2027").cohort
    model = lien.RiskModel().fit(lien.simulate(learners=960, seed=3).cohort)
    scores = model.score(cohort, "2027-03-01")
    lien.action_queue(cohort, scores, "2027-03-01")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lien._lien import (
    Calendar,
    Error,
    InternalError,
    InvalidArgument,
    IoError,
    ModelError,
    NotFoundError,
    ParseError,
    Playbook,
    __version__,
)
from lien.actions import Review, action_queue, load_playbook, recommend, review
from lien.analytics import cohort_summary, funnel, kaplan_meier, logrank_test, step_hazards
from lien.cohort import (
    Cohort,
    ReadReport,
    ReadResult,
    cohort_from_frames,
    read_csv_dir,
    read_data,
    read_xapi_file,
    summary,
    write_csv_dir,
)
from lien.features import feature_catalog, features
from lien.graph import community_health, learner_signals, match_buddies, stakeholder_load
from lien.model import RiskModel, Scores
from lien.simulate import Simulation, simulate

if TYPE_CHECKING:
    from lien.estimator import RiskClassifier


def __getattr__(name: str) -> Any:
    # RiskClassifier needs scikit-learn (the "ml" extra): imported on first use only.
    if name == "RiskClassifier":
        from lien.estimator import RiskClassifier

        return RiskClassifier
    raise AttributeError(f"module 'lien' has no attribute '{name}'")


__all__ = [
    "Calendar",
    "Cohort",
    "Error",
    "InternalError",
    "InvalidArgument",
    "IoError",
    "ModelError",
    "NotFoundError",
    "ParseError",
    "Playbook",
    "ReadReport",
    "ReadResult",
    "Review",
    "RiskClassifier",
    "RiskModel",
    "Scores",
    "Simulation",
    "__version__",
    "action_queue",
    "cohort_from_frames",
    "cohort_summary",
    "community_health",
    "feature_catalog",
    "features",
    "funnel",
    "kaplan_meier",
    "learner_signals",
    "load_playbook",
    "logrank_test",
    "match_buddies",
    "read_csv_dir",
    "read_data",
    "read_xapi_file",
    "recommend",
    "review",
    "simulate",
    "stakeholder_load",
    "step_hazards",
    "summary",
    "write_csv_dir",
]
