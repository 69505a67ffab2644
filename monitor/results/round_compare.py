"""The comparison of a round with the previous wave of the same instrument (same item keys)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from monitor.results.round_tables import Table
from surveys.models import Campaign


def comparison_table(
    campaign: Campaign,
    view: pd.DataFrame,
    definition: Mapping[str, Any],
    *,
    k: int,
) -> Table | None:
    """Change per domain against the previous wave, with its interval (None without one)."""
    return None
