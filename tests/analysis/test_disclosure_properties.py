"""Properties of disclosure control, checked on generated data.

1. No output row of any function shows a count below k; a suppressed row has NaN values and a
   reason; groups whose true size (counted here independently) is below k are suppressed.
2. A hidden cell of a table with margins cannot be recomputed from the visible cells and totals:
   checked with linear algebra, independent of the graph method the code uses.
"""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.benchmark import peer_benchmark
from analysis.change import change_over_waves
from analysis.crosstab import TOTAL, crosstab, year_on_year
from analysis.descriptives import describe_means, describe_proportions
from analysis.disclosure import protect_table
from analysis.expectation import expectation_vs_experience
from analysis.reliability import cronbach_alpha
from analysis.scores import ItemScoring

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ks = st.integers(1, 6)
seeds = st.integers(0, 2**32 - 1)


def assert_rule_holds(table: pd.DataFrame, *, n_cols: list[str], value_cols: list[str], k: int):
    for col in n_cols:
        assert not (table[col] < k).any(), f"{col} below {k} is shown"
    hidden = table["suppressed"].to_numpy(dtype=bool)
    assert table.loc[hidden, value_cols].isna().all().all(), "a suppressed value is shown"
    assert (table.loc[hidden, "suppression_reason"].str.len() > 0).all(), "no reason given"


def determined(coefficients: np.ndarray, unknown: np.ndarray) -> list[int]:
    """Indices of unknowns whose value follows from the linear relations alone."""
    a = coefficients[:, unknown]
    rank = np.linalg.matrix_rank(a) if a.size else 0
    found = []
    for position, index in enumerate(np.flatnonzero(unknown)):
        unit = np.zeros((1, a.shape[1]))
        unit[0, position] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(int(index))
    return found


def relations(rows: int, cols: int) -> np.ndarray:
    """Row and column sum relations of a (rows + 1) x (cols + 1) table with margins."""
    equations = []
    for i in range(rows + 1):
        line = np.zeros((rows + 1, cols + 1))
        line[i, :cols], line[i, cols] = 1, -1
        equations.append(line.ravel())
    for j in range(cols + 1):
        line = np.zeros((rows + 1, cols + 1))
        line[:rows, j], line[rows, j] = 1, -1
        equations.append(line.ravel())
    return np.array(equations)


tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 15), min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


@FAST
@given(counts=tables, k=ks)
def test_no_hidden_cell_of_a_two_way_table_can_be_recomputed_from_its_margins(counts, k):
    grid = np.array(counts, dtype=float)
    hidden = protect_table(grid, k=k)
    full = np.zeros(hidden.shape)
    full[:-1, :-1] = grid
    full[-1, :-1], full[:-1, -1], full[-1, -1] = grid.sum(0), grid.sum(1), grid.sum()
    assert hidden[full < k].all()
    # no cell below k can be recomputed (a hidden cell of k or more may: it discloses nobody)
    small = set(np.flatnonzero((full < k).ravel()))
    assert small.isdisjoint(determined(relations(*grid.shape), hidden.ravel()))


@FAST
@given(counts=tables, k=ks, data=st.data())
def test_unpublished_row_totals_and_structural_zeros_protect_only_small_cells(counts, k, data):
    """Row totals nobody prints are unknowns, not figures to protect; a structural zero (a cell
    that cannot occur) is visible and protects nobody: no cell of 1..k-1 is visible or can be
    recomputed from what is printed."""
    grid = np.array(counts, dtype=float)
    zeros = np.argwhere(grid == 0)
    chosen = data.draw(st.lists(st.booleans(), min_size=len(zeros), max_size=len(zeros)))
    structural = np.zeros(grid.shape, dtype=bool)
    for (i, j), pick in zip(zeros, chosen, strict=True):
        structural[i, j] = pick
    hidden = protect_table(grid, k=k, structural=structural, row_totals=False)
    full = np.zeros(hidden.shape)
    full[:-1, :-1] = grid
    full[-1, :-1], full[:-1, -1], full[-1, -1] = grid.sum(0), grid.sum(1), grid.sum()
    assert hidden[:, -1].all()  # the row totals are not published
    assert not hidden[:-1, :-1][structural].any()  # structural zeros stay visible
    known = np.pad(structural, ((0, 1), (0, 1)))
    known[-1, :-1] = structural.all(axis=0)  # a total of structural zeros only is one too
    sensitive = (full < k) & ~known
    sensitive[:, -1] = False
    assert hidden[sensitive].all()
    small = set(np.flatnonzero(sensitive.ravel()))
    assert small.isdisjoint(determined(relations(*grid.shape), hidden.ravel()))


@FAST
@given(counts=st.lists(st.integers(0, 15), min_size=1, max_size=6), k=ks)
def test_no_hidden_cell_of_a_one_way_table_can_be_recomputed_from_its_total(counts, k):
    cells = np.array(counts, dtype=float)
    hidden = protect_table(cells, k=k)
    full = np.append(cells, cells.sum())
    assert hidden[full < k].all()
    relation = np.append(np.ones(len(cells)), -1)[None, :]
    assert set(np.flatnonzero(full < k)).isdisjoint(determined(relation, hidden))


@FAST
@given(counts=tables, k=ks, seed=seeds)
def test_crosstab_output_hides_small_cells_and_cannot_be_recomputed(counts, k, seed):
    rng = np.random.default_rng(seed)
    grid = np.array(counts)
    rows = [
        (f"r{i}", f"c{j}", rng.uniform(0, 4))
        for i in range(grid.shape[0])
        for j in range(grid.shape[1])
        for _ in range(grid[i, j])
    ]
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=["sector", "region", "score"])
    table = crosstab(frame, rows="sector", columns="region", value_col="score", k=k).to_frame()
    assert_rule_holds(table, n_cols=["n"], value_cols=["n", "mean"], k=k)
    true_n = frame.groupby(["sector", "region"]).size()
    cells = table.set_index(["sector", "region"])
    for key, n in true_n.items():
        if n < k:
            assert cells.loc[key, "suppressed"]
    # Rebuild the shown table (observed categories only) and test recomputability.
    row_labels = [*sorted(frame["sector"].unique()), TOTAL]
    col_labels = [*sorted(frame["region"].unique()), TOTAL]
    shown = cells.reindex(pd.MultiIndex.from_product([row_labels, col_labels]))
    unknown = shown["n"].isna().to_numpy()
    full = np.zeros((len(row_labels), len(col_labels)))
    full[:-1, :-1] = [[true_n.get((r, c), 0) for c in col_labels[:-1]] for r in row_labels[:-1]]
    full[-1, :-1], full[:-1, -1], full[-1, -1] = full[:-1, :-1].sum(0), full[:-1, :-1].sum(1), 0
    full[-1, -1] = full[:-1, :-1].sum()
    small = set(np.flatnonzero((full < k).ravel()))
    relation = relations(len(row_labels) - 1, len(col_labels) - 1)
    assert small.isdisjoint(determined(relation, unknown))


@FAST
@given(
    sizes=st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 12), min_size=1),
    k=ks,
    seed=seeds,
)
def test_descriptives_never_show_a_group_below_k(sizes, k, seed):
    rng = np.random.default_rng(seed)
    groups = [g for g, n in sizes.items() for _ in range(n)]
    if not groups:
        return
    frame = pd.DataFrame({"g": groups, "score": rng.uniform(0, 4, len(groups))})
    frame["yes"] = (frame["score"] > 2).astype(float)
    frame.loc[rng.random(len(frame)) < 0.2, ["score", "yes"]] = np.nan
    means = describe_means(frame, by="g", k=k).to_frame()
    assert_rule_holds(means, n_cols=["n"], value_cols=["mean", "sd", "ci_low", "ci_high"], k=k)
    shares = describe_proportions(frame, value_col="yes", by="g", k=k).to_frame()
    assert_rule_holds(shares, n_cols=["n"], value_cols=["proportion", "ci_low", "ci_high"], k=k)
    true_n = frame.groupby("g")["score"].count()
    assert set(means.loc[means["suppressed"], "g"]) == set(true_n[true_n < k].index)


@FAST
@given(
    years=st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=2, max_size=3),
    k=ks,
)
def test_year_on_year_never_shows_a_change_next_to_a_hidden_side(years, k):
    frame = pd.DataFrame(
        [
            (f"s{i}", 2023 + y)
            for y, cells in enumerate(years)
            for i, n in enumerate(cells)
            for _ in range(n)
        ],
        columns=["sector", "year"],
    )
    if frame["year"].nunique() < 2:
        return
    table = year_on_year(frame, rows="sector", k=k).to_frame()
    assert_rule_holds(table, n_cols=["n", "n_previous"], value_cols=["n_change"], k=k)
    side_hidden = table["n"].isna() | table["n_previous"].isna()
    assert table.loc[side_hidden, "n_change"].isna().all()
    assert table.loc[side_hidden, "suppressed"].all()


@SLOW
@given(
    sizes=st.lists(st.integers(0, 9), min_size=2, max_size=4), panel=st.booleans(), k=ks, seed=seeds
)
def test_change_over_waves_never_shows_a_wave_or_contrast_below_k(sizes, panel, k, seed):
    rng = np.random.default_rng(seed)
    waves = np.repeat(np.arange(len(sizes)), sizes)
    assume(len(set(waves)) >= 2 and len(waves) > len(set(waves)))  # else a documented ValueError
    assume(not panel or max(sizes) >= 2)
    frame = pd.DataFrame({"wave": waves, "score": rng.normal(2, 1, len(waves))})
    if panel:  # units 0..n-1 in every wave: the same organisations recur
        frame["organisation_id"] = np.concatenate([np.arange(n) for n in sizes])
    change = change_over_waves(frame, k=k)
    values = ["estimate", "se", "ci_low", "ci_high", "p", "hedges_g"]
    assert_rule_holds(
        change.waves, n_cols=["n"], value_cols=["mean", "sd", "ci_low", "ci_high"], k=k
    )
    assert_rule_holds(change.to_frame(), n_cols=["n_baseline", "n_wave"], value_cols=values, k=k)
    true_n = frame.groupby("wave").size()
    small = set(true_n[true_n < k].index)
    assert set(change.waves.loc[change.waves["suppressed"], "wave"]) == small
    terms = change.to_frame().set_index("term")
    assert ("linear trend" in terms.index) == (change.waves["wave"].nunique() >= 4)
    if small and "linear trend" in terms.index:
        assert terms.loc["linear trend", "suppressed"]
    if panel:
        assert_rule_holds(
            change.paired, n_cols=["n_pairs"], value_cols=["mean_difference", "ci_low", "p"], k=k
        )


@FAST
@given(sizes=st.lists(st.integers(0, 10), min_size=4, max_size=4), k=ks, seed=seeds)
def test_expectation_gap_never_shows_a_side_below_k(sizes, k, seed):
    rng = np.random.default_rng(seed)
    cells = [(wave, group) for wave in (0, 1) for group in ("studenten", "voorzitters")]
    rows = [
        (wave, group, "cop_kennis", float(rng.integers(1, 6)))
        for (wave, group), n in zip(cells, sizes, strict=True)
        for _ in range(n)
    ]
    frame = pd.DataFrame(rows, columns=["wave", "respondent_group", "item_key", "value"])
    if frame.empty or set(frame["wave"]) != {0, 1}:
        return
    table = expectation_vs_experience(frame, k=k).to_frame()
    values = ["difference", "ci_low", "ci_high", "p", "hedges_g"]
    assert_rule_holds(table, n_cols=["n_expectation", "n_experience"], value_cols=values, k=k)


@FAST
@given(
    sectors=st.lists(st.sampled_from(["ICT", "zorg", "bouw"]), min_size=1, max_size=14),
    k=ks,
    seed=seeds,
)
def test_benchmark_never_rests_on_fewer_than_k_peers(sectors, k, seed):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "organisation_id": range(len(sectors)),
            "domain": "werving",
            "score": rng.uniform(0, 4, len(sectors)),
            "sector": sectors,
            "size_class": rng.choice(["klein", "groot"], len(sectors)),
        }
    )
    table = peer_benchmark(frame, organisation=0, k=k).to_frame()
    values = ["percentile_rank", "peer_median", "peer_q1", "peer_q3"]
    assert_rule_holds(table, n_cols=["n_peers"], value_cols=values, k=k)
    assert table["suppressed"].iloc[0] == (len(sectors) - 1 < k)


@FAST
@given(n=st.integers(1, 12), k=ks, seed=seeds)
def test_alpha_never_rests_on_fewer_than_k_complete_responses(n, k, seed):
    rng = np.random.default_rng(seed)
    items = [ItemScoring(f"q{j}", "d", 0, 4) for j in range(3)]
    frame = pd.DataFrame(
        [(r, item.key, float(rng.integers(0, 5))) for r in range(n) for item in items],
        columns=["response_id", "item_key", "value"],
    )
    frame.loc[rng.random(len(frame)) < 0.15, "value"] = np.nan
    assert_rule_holds(
        cronbach_alpha(frame, items=items, k=k).to_frame(), n_cols=["n"], value_cols=["alpha"], k=k
    )
