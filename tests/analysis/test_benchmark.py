"""Peer benchmark of one organisation's domain scores."""

import numpy as np
import pandas as pd
import pytest

from analysis.benchmark import peer_benchmark


def scores(sectors: list[str], sizes: list[str], seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [
        (org, domain, round(float(rng.uniform(0, 4)), 2), sector, size)
        for org, (sector, size) in enumerate(zip(sectors, sizes, strict=True))
        for domain in ["werving", "behoud"]
    ]
    return pd.DataFrame(
        rows, columns=["organisation_id", "domain", "score", "sector", "size_class"]
    )


def test_percentile_rank_and_quartiles_are_computed_among_sector_peers_without_the_organisation():
    frame = scores(["ICT"] * 8 + ["zorg"] * 8, ["klein"] * 16)
    row = peer_benchmark(frame, organisation=0).to_frame().set_index("domain").loc["werving"]
    own = frame[(frame["organisation_id"] == 0) & (frame["domain"] == "werving")]["score"].iloc[0]
    peers = frame[
        (frame["domain"] == "werving")
        & (frame["sector"] == "ICT")
        & (frame["organisation_id"] != 0)
    ]["score"].to_numpy()
    assert row["peer_group"] == "sector" and row["peer_label"] == "ICT"
    assert row["n_peers"] == 7
    assert row["score"] == own
    assert row["percentile_rank"] == pytest.approx(
        100 * ((peers < own).sum() + 0.5 * (peers == own).sum()) / 7
    )
    assert row["peer_median"] == pytest.approx(np.median(peers))
    assert row["peer_q1"] == pytest.approx(np.quantile(peers, 0.25))
    assert row["peer_q3"] == pytest.approx(np.quantile(peers, 0.75))


def test_small_sector_widens_to_size_class():
    frame = scores(["ICT"] * 3 + ["zorg"] * 10, ["klein"] * 6 + ["groot"] * 7)
    table = peer_benchmark(frame, organisation=0, k=5).to_frame()
    assert set(table["peer_group"]) == {"size_class"}
    assert set(table["peer_label"]) == {"klein"}
    assert set(table["n_peers"]) == {5}


def test_small_sector_and_size_class_widen_to_all_organisations():
    frame = scores(["ICT"] * 3 + ["zorg"] * 10, ["klein"] * 3 + ["groot"] * 10)
    table = peer_benchmark(frame, organisation=0, k=5).to_frame()
    assert set(table["peer_group"]) == {"all"}
    assert set(table["n_peers"]) == {12}


def test_fewer_than_k_peers_in_all_is_suppressed_but_the_own_score_stays():
    frame = scores(["ICT"] * 4, ["klein"] * 4)
    table = peer_benchmark(frame, organisation=1, k=5).to_frame()
    assert table["suppressed"].all()
    assert (
        table[["n_peers", "percentile_rank", "peer_median", "peer_q1", "peer_q3"]]
        .isna()
        .all()
        .all()
    )
    assert table["score"].notna().all()


def test_a_single_scan_gets_no_interval():
    table = peer_benchmark(scores(["ICT"] * 8, ["klein"] * 8), organisation=0).to_frame()
    assert not [c for c in table.columns if c.startswith("ci")]


def test_unknown_organisation_raises_value_error():
    with pytest.raises(ValueError, match="no scores"):
        peer_benchmark(scores(["ICT"] * 8, ["klein"] * 8), organisation=99)


def test_two_scores_for_one_organisation_and_domain_raise_value_error():
    frame = scores(["ICT"] * 8, ["klein"] * 8)
    with pytest.raises(ValueError, match="one measurement round"):
        peer_benchmark(pd.concat([frame, frame.head(1)]), organisation=0)
