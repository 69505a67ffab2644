"""Input checks shared by the analysis functions.

Every failed check raises ``ValueError`` with a message that names the argument or column at fault,
so a caller (a report builder, a CLI command) can show it as it is.
"""

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd


def as_names(value: str | Sequence[str] | None) -> list[str]:
    """Normalise a column argument given as one name, several names or None to a list of names."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def require_frame(frame: object, *, columns: Iterable[str], purpose: str) -> None:
    """Check that ``frame`` is a non-empty DataFrame holding ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{purpose}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(
            f"{purpose}: missing column(s) {', '.join(map(repr, missing))}; "
            f"the frame has {', '.join(map(repr, frame.columns)) or 'no columns'}"
        )
    if frame.empty:
        raise ValueError(f"{purpose}: the frame is empty")


def numeric_values(frame: pd.DataFrame, column: str, *, purpose: str) -> np.ndarray:
    """Return ``frame[column]`` as a float array (NaN for missing), refusing non-numeric data."""
    series = frame[column]
    if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
        raise ValueError(
            f"{purpose}: column {column!r} must be numeric (missing codes as NaN), "
            f"got dtype {series.dtype}"
        )
    return series.to_numpy(dtype=float, na_value=np.nan)


def check_k(k: int) -> None:
    """Check the disclosure threshold: a whole number of units, at least 1."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a whole number of units >= 1, got {k!r}")


def check_confidence(confidence: float) -> None:
    """Check a confidence level such as 0.95."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence!r}")
