"""Peer benchmark: where one organisation's domain scores stand among similar organisations.

The peer group is the narrowest of sector → size class → all organisations that has at least ``k``
members besides the organisation itself, chosen per domain and named in the result. A single
company's scan has one respondent, so no interval is invented for its own score.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.checks import as_names, check_k, numeric_values, require_frame
from analysis.disclosure import suppress_small
from analysis.result import TableResult

ALL = "all"
_VALUES = ["percentile_rank", "peer_median", "peer_q1", "peer_q3"]


@dataclass(frozen=True, eq=False)
class Benchmark(TableResult):
    """Per domain: ``domain, score, peer_group, peer_label, n_peers, percentile_rank,
    peer_median, peer_q1, peer_q3, suppressed, suppression_reason``."""

    organisation: Hashable
    k: int


def peer_benchmark(
    frame: pd.DataFrame,
    *,
    organisation: Hashable,
    org_col: str = "organisation_id",
    domain_col: str = "domain",
    score_col: str = "score",
    peer_levels: str | Sequence[str] = ("sector", "size_class"),
    k: int = 5,
) -> Benchmark:
    """Compare one organisation's domain scores with its peers' (one score per organisation).

    ``frame`` holds the domain scores of one measurement round, e.g. the long frame of
    :func:`domain_scores` for one year. Per domain: the organisation's own score, its percentile
    rank among the peers (the share of peers scoring lower, ties counting half, in percent), the
    peers' median and quartiles, and which peer group was used (``peer_group`` is the column, e.g.
    ``"sector"``, or ``"all"``; ``peer_label`` its value, e.g. ``"ICT"``). When even all
    organisations together number fewer than ``k`` peers, the comparison is suppressed.
    """
    check_k(k)
    levels = as_names(peer_levels)
    purpose = "peer_benchmark"
    require_frame(frame, columns=[org_col, domain_col, score_col, *levels], purpose=purpose)
    scores = numeric_values(frame, score_col, purpose=purpose)
    if frame.duplicated([org_col, domain_col]).any():
        raise ValueError(
            f"{purpose}: more than one score per organisation and domain; "
            "pass the scores of one measurement round"
        )
    is_own = (frame[org_col] == organisation).to_numpy()
    if not is_own.any():
        raise ValueError(f"{purpose}: organisation {organisation!r} has no scores in the frame")
    own_profile = frame.loc[is_own, levels].iloc[0]

    rows = []
    domains = frame[domain_col].to_numpy()
    for domain in pd.unique(frame.loc[is_own, domain_col]):
        in_domain = domains == domain
        own_score = scores[in_domain & is_own][0]
        peers = in_domain & ~is_own & ~np.isnan(scores)
        group, label, members = _peer_group(frame, peers, levels, own_profile, k)
        peer_scores = scores[members]
        rows.append(
            {
                "domain": domain,
                "score": own_score,
                "peer_group": group,
                "peer_label": label,
                "n_peers": len(peer_scores),
                **_position(own_score, peer_scores),
            }
        )
    table = suppress_small(pd.DataFrame(rows), n_cols="n_peers", value_cols=_VALUES, k=k)
    return Benchmark(table=table, organisation=organisation, k=k)


def _peer_group(
    frame: pd.DataFrame,
    peers: np.ndarray,
    levels: list[str],
    profile: pd.Series,
    k: int,
) -> tuple[str, object, np.ndarray]:
    """The first level whose peers sharing the organisation's value number at least k, else all."""
    for level in levels:
        value = profile[level]
        if pd.isna(value):
            continue
        members = peers & (frame[level] == value).to_numpy()
        if members.sum() >= k:
            return level, value, members
    return ALL, ALL, peers


def _position(score: float, peers: np.ndarray) -> dict[str, float]:
    """Percentile rank of ``score`` among ``peers`` and the peers' quartiles."""
    if len(peers) == 0:
        return dict.fromkeys(_VALUES, np.nan)
    q1, median, q3 = np.percentile(peers, [25, 50, 75])
    rank = ((peers < score).sum() + 0.5 * (peers == score).sum()) / len(peers) * 100
    return {
        "percentile_rank": rank if not np.isnan(score) else np.nan,
        "peer_median": median,
        "peer_q1": q1,
        "peer_q3": q3,
    }
