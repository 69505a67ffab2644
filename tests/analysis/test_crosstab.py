"""Cross-tables with margins, disclosure control and year-on-year differences."""

import numpy as np
import pandas as pd
import pytest

from analysis.crosstab import TOTAL, crosstab, year_on_year


def monitor_frame(n: int = 400, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "sector": rng.choice(["zorg", "ICT", "bouw", "chemie"], n, p=[0.4, 0.3, 0.27, 0.03]),
            "region": rng.choice(["Noord", "Midden", "Zuid"], n),
            "score": rng.uniform(0, 4, n),
            "year": rng.choice([2024, 2025], n),
        }
    )


def test_counts_means_and_margins_match_pandas():
    frame = monitor_frame()
    table = crosstab(frame, rows="sector", columns="region", value_col="score", k=1).to_frame()
    cells = table.set_index(["sector", "region"])
    expected = frame.groupby(["sector", "region"])["score"].agg(["size", "mean"])
    for (sector, region), row in expected.iterrows():
        assert cells.loc[(sector, region), "n"] == row["size"]
        assert cells.loc[(sector, region), "mean"] == pytest.approx(row["mean"])
    assert cells.loc[(TOTAL, TOTAL), "n"] == len(frame)
    assert cells.loc[(TOTAL, TOTAL), "mean"] == pytest.approx(frame["score"].mean())
    assert cells.loc[("zorg", TOTAL), "n"] == (frame["sector"] == "zorg").sum()


def test_small_cells_are_hidden_and_a_complement_protects_them():
    frame = monitor_frame()
    table = crosstab(frame, rows="sector", columns="region", value_col="score", k=5).to_frame()
    chemie = table[(table["sector"] == "chemie") & (table["region"] != TOTAL)]
    assert chemie["suppressed"].all()
    assert (chemie["suppression_reason"] == "fewer than 5 units").all()
    complementary = table[table["suppression_reason"].str.startswith("complementary")]
    assert len(complementary) > 0
    assert table.loc[table["suppressed"], ["n", "mean"]].isna().all().all()


def test_one_way_table_hides_a_second_cell_when_one_is_hidden():
    frame = pd.DataFrame({"sector": ["a"] * 3 + ["b"] * 8 + ["c"] * 20})
    table = crosstab(frame, rows="sector", k=5).to_frame().set_index("sector")
    assert table.loc["a", "suppressed"] and table.loc["b", "suppressed"]
    assert table.loc["b", "suppression_reason"].startswith("complementary")
    assert table.loc[TOTAL, "n"] == 31


def test_one_table_per_by_group_each_with_its_own_margins():
    frame = monitor_frame()
    table = crosstab(frame, rows="sector", value_col="score", by="year", k=1).to_frame()
    totals = table[table["sector"] == TOTAL].set_index("year")["n"]
    assert totals.to_dict() == frame["year"].value_counts().to_dict()


def test_year_on_year_difference_is_hidden_when_either_year_is():
    counts = {2024: {"a": 20, "b": 10, "c": 1, "d": 12}, 2025: {"a": 22, "b": 10, "c": 10, "d": 3}}
    frame = pd.DataFrame(
        [
            (sector, year)
            for year, cells in counts.items()
            for sector, n in cells.items()
            for _ in range(n)
        ],
        columns=["sector", "year"],
    )
    table = year_on_year(frame, rows="sector", k=5).to_frame().set_index("sector")
    # 2024 hides c (1) and, to protect it, b; 2025 hides d (3) and, to protect it, b.
    assert table.loc["a", "n_change"] == 2 and not table.loc["a", "suppressed"]
    for sector in ["b", "c", "d"]:
        assert table.loc[sector, "suppressed"] and np.isnan(table.loc[sector, "n_change"])
        assert table.loc[sector, "suppression_reason"] == "one side of the comparison is suppressed"
    assert table.loc["c", "n"] == 10  # this year's cell is shown in this year's table
    assert np.isnan(table.loc["c", "n_previous"])


def test_year_on_year_needs_two_years():
    with pytest.raises(ValueError, match="only one year"):
        year_on_year(monitor_frame().assign(year=2025), rows="sector")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": "gemeente"}, "missing column"),
        ({"rows": "sector", "value_col": "sector"}, "must be numeric"),
        ({"rows": "sector", "k": -1}, "k must be"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        crosstab(monitor_frame(), **kwargs)
