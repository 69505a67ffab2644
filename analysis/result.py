"""The shape every analysis result shares: a frozen object around one table."""

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True, eq=False)
class TableResult:
    """A frozen result whose main content is one table; ``to_frame()`` hands out a copy of it."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The result as a DataFrame (a copy: changing it does not change the result)."""
        return self.table.copy()
