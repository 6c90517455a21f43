"""lien — dropout risk, actions and analytics for learning communities.

The engine is C++ (lien._lien); this package gives it a Python face: cohorts from CSV folders, xAPI files or
pandas DataFrames, risk models, reports and the `lien` command line.
"""

from __future__ import annotations

from lien._lien import (
    Calendar,
    Error,
    InternalError,
    InvalidArgument,
    IoError,
    ModelError,
    NotFoundError,
    ParseError,
    __version__,
)

__all__ = [
    "Calendar",
    "Error",
    "InternalError",
    "InvalidArgument",
    "IoError",
    "ModelError",
    "NotFoundError",
    "ParseError",
    "__version__",
]
