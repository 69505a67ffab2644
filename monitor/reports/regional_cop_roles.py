"""CoP results by role in the regional monitor: the domain means of the latest CoP measurement per
role in the CoP (student BOL/BBL, zij-instromer, upgrader, docent, praktijkopleider, ...; the
instrument's question ``rol``, after the respondent groups of 003:360-364).

Roles cut across the respondent groups, so the role table is a second breakdown of the same
respondents. Roles with fewer than k respondents in the measurement are pooled as "overige" and
not named; each mean is protected against the mean of all respondents of that measurement
(``protected_means``). The CoP chapter never prints that pooled mean, because a hidden respondent
group could then be recomputed from it; a complete role table would give it away as well, so a
domain's role figures are hidden when any respondent group of that measurement is too small to
be shown.
"""

from __future__ import annotations

from typing import Any

from analysis.scores import domain_scores
from monitor.reports.regional_common import (
    OTHER,
    UNKNOWN,
    domain_titles,
    plain,
    pool_small,
    protected_counts,
    protected_means,
)
from monitor.reports.regional_data import MonitorData
from monitor.reports.regional_shares import item_options
from scans.instrument import item_scoring
from surveys.definition import min_answered

ROLE_ITEM = "rol"


def cop_roles(data: MonitorData, *, k: int) -> dict[str, Any]:
    """Domain means per role of the latest CoP measurement up to the monitor's year."""
    frame, definition = data.frames["cop"], data.definitions["cop"]
    roles = dict(item_options(definition, ROLE_ITEM))
    if definition is None or frame.empty or not roles:
        return {"available": False}
    wave = int(frame["wave"].max())
    answers = frame[frame["wave"] == wave]
    role_of = (
        answers[answers["item_key"] == ROLE_ITEM]
        .drop_duplicates("response_id")
        .set_index("response_id")["text"]
    )
    people = answers.drop_duplicates("response_id").set_index("response_id")
    role = pool_small(role_of.reindex(people.index).fillna(UNKNOWN).astype(str), k=k)
    counted, total = protected_counts(role, k=k, order=(*roles, OTHER))
    labels = {**roles, OTHER: "Overige rollen", UNKNOWN: "Rol niet opgegeven"}
    scores = domain_scores(
        answers, items=item_scoring(definition), min_answered=min_answered(definition)
    ).to_frame()
    scores = scores[scores["score"].notna()].copy()
    scores["role"] = scores["response_id"].map(role)
    means = protected_means(scores, by="role", value_col="score", k=k, tables=("domain",))
    means = means.set_index(["domain", "role"])
    group_sizes = scores.groupby(["domain", "respondent_group"]).size()
    small_group = {domain for (domain, _group), n in group_sizes.items() if 0 < n < k}
    titles = domain_titles(definition)
    rows = []
    for row in counted:
        cells = []
        for domain in titles:
            key = (domain, row["key"])
            shown = key in means.index and domain not in small_group
            cell = means.loc[key] if shown else None
            cells.append(
                {
                    "value": plain(cell["mean"]) if cell is not None else None,
                    "ci_low": plain(cell["ci_low"]) if cell is not None else None,
                    "ci_high": plain(cell["ci_high"]) if cell is not None else None,
                }
            )
        rows.append({**row, "label": labels.get(row["key"], row["key"]), "cells": cells})
    return {
        "available": True,
        "wave": wave,
        "year": int(answers["year"].max()),
        "expectation": wave == 0,
        "respondents": total,
        "domains": [{"key": key, "title": title} for key, title in titles.items()],
        "rows": rows,
        "hidden_domains": sorted(small_group),
    }
