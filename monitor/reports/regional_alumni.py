"""The alumni chapter of the regional monitor: where graduates work (the share working in
Limburg, with a Wilson interval), their intention to stay in or return to Limburg (domain
``binding``) and the match between their education and their job (domain ``aansluiting``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.scores import domain_scores
from monitor import charts
from monitor.reports.regional_common import (
    UNKNOWN,
    ci_pair,
    count,
    domain_titles,
    mean_with_ci,
    plain,
    protected_counts,
    protected_means,
    protected_share,
)
from monitor.reports.regional_data import MonitorData
from scans.instrument import item_scoring
from surveys.definition import item_index, min_answered
from surveys.definition.messages import translate

BINDING = "binding"
MATCH = "aansluiting"
WORKING = "werkend"
LIMBURG = "limburg"
#: the statement behind "wants to work in Limburg" and "education matches the job"
STAY_ITEM = "binding_blijven"
MATCH_ITEM = "aansluiting_opleiding_werk"
AGREE = 4  #: "eens" or "helemaal eens" on the five-point scale
LEVELS = {
    "mbo_2": "mbo", "mbo_3": "mbo", "mbo_4": "mbo",
    "associate_degree": "hbo", "hbo_bachelor": "hbo", "hbo_master": "hbo", "wo": "wo",
}  # fmt: skip
LEVEL_LABELS = {"mbo": "mbo", "hbo": "hbo (incl. Associate degree)", "wo": "wo"}
#: where an alumnus works, in three groups for the intention to stay
PLACE_LABELS = {
    "limburg": "werkt in Limburg",
    "elders": "werkt buiten Limburg",
    "niet_werkend": "werkt (nog) niet",
}


def choice_labels(definition: dict[str, Any], key: str) -> dict[str, str]:
    """Stored value -> Dutch label of a choice item ({} when the item is not there)."""
    item = item_index(definition).get(key) or {}
    return {
        choice["value"]: translate(choice.get("label"), "nl") or choice["value"]
        for choice in item.get("choices") or []
    }


def alumni_chapter(data: MonitorData, *, k: int) -> tuple[dict[str, Any], dict]:
    """Alumni outcomes of the latest alumni survey up to the monitor's year."""
    latest = data.latest_survey("alumni")
    if latest is None:
        return {"available": False}, {}
    frame, definition, survey_year = latest
    people = frame.pivot_table(
        index="response_id", columns="item_key", values="text", aggfunc="first"
    ).reindex(columns=["status", "werklocatie", "niveau", STAY_ITEM, MATCH_ITEM])
    values = frame.pivot_table(
        index="response_id", columns="item_key", values="value", aggfunc="first"
    )
    scores = domain_scores(
        frame, items=item_scoring(definition), min_answered=min_answered(definition)
    )
    wide = scores.wide().reindex(columns=[BINDING, MATCH])
    people = people.join(wide)
    people["stay_value"] = values.get(STAY_ITEM)
    people["match_value"] = values.get(MATCH_ITEM)
    working = people["status"] == WORKING
    people["place"] = "niet_werkend"
    people.loc[working & (people["werklocatie"] == LIMBURG), "place"] = "limburg"
    people.loc[
        working & people["werklocatie"].notna() & (people["werklocatie"] != LIMBURG), "place"
    ] = "elders"
    people.loc[working & people["werklocatie"].isna(), "place"] = UNKNOWN
    people["level"] = people["niveau"].map(LEVELS).fillna(UNKNOWN)

    status_labels = choice_labels(definition, "status")
    status_rows, total = protected_counts(people["status"], k=k, order=tuple(status_labels))
    for row in status_rows:
        row["label"] = status_labels.get(row["key"], row["key"])
    location_labels = choice_labels(definition, "werklocatie")
    placed = people.loc[working & people["werklocatie"].notna(), "werklocatie"]
    location_rows, located = protected_counts(placed, k=k, order=tuple(location_labels))
    for row in location_rows:
        row["label"] = location_labels.get(row["key"], row["key"])
    limburg_cell = next((r for r in location_rows if r["key"] == LIMBURG), None)
    limburg = protected_share((placed == LIMBURG).astype(float), k=k)
    if limburg_cell is None or limburg_cell["n"] is None:
        limburg = {**limburg, "value": None, "ci_low": None, "ci_high": None}

    stay = protected_share(_agree(people["stay_value"]), k=k)
    match_share = protected_share(_agree(people.loc[working, "match_value"]), k=k)
    binding = mean_with_ci(people[BINDING], k=k)
    match = mean_with_ci(people.loc[working, MATCH], k=k)
    # One breakdown per measure: binding by where alumni work, the match by level. Two
    # breakdowns of the same measure would be linked tables (see regional_hr._by_group).
    by_place = _group_means(people, "place", BINDING, PLACE_LABELS, k=k)
    by_level = _group_means(people[working], "level", MATCH, LEVEL_LABELS, k=k)
    titles = domain_titles(definition)
    chapter = {
        "available": True,
        "year": survey_year,
        "respondents": total,
        "status": status_rows,
        "working": count(working.sum()) if working.sum() >= k else None,
        "located": located,
        "locations": location_rows,
        "limburg": limburg,
        "binding": binding,
        "stay": stay,
        "match": match,
        "match_share": match_share,
        "binding_by_place": by_place,
        "match_by_level": by_level,
        "titles": {BINDING: titles.get(BINDING, BINDING), MATCH: titles.get(MATCH, MATCH)},
    }
    chart_out = {}
    if location_rows:
        chart_out["alumni_locations"] = charts.bar_chart(
            [r["label"] for r in location_rows],
            [r["share"] for r in location_rows],
            title=f"Waar werkende alumni werken, {survey_year} (aandeel)",
            percent=True,
        ).to_dict()
    for name, rows, what, by in (
        ("alumni_binding", by_place, BINDING, "werkplek"),
        ("alumni_match", by_level, MATCH, "opleidingsniveau"),
    ):
        if any(row["value"] is not None for row in rows):
            title = chapter["titles"][what]
            chart_out[name] = charts.grouped_means(
                [row["label"] for row in rows],
                {"Gemiddelde": [row["value"] for row in rows]},
                ci={"Gemiddelde": [ci_pair(row) for row in rows]},
                title=f"{title} naar {by}, {survey_year} (schaal 1–5)",
                scale=(1, 5),
            ).to_dict()
    return chapter, chart_out


def _agree(values: pd.Series) -> pd.Series:
    """1 for (helemaal) eens, 0 for the other answers, NaN for no answer or "weet niet"."""
    numbers = pd.to_numeric(values, errors="coerce")
    return (numbers >= AGREE).astype(float).where(numbers.notna())


def _group_means(
    people: pd.DataFrame, column: str, value: str, labels: dict[str, str], *, k: int
) -> list[dict[str, Any]]:
    """Mean of ``value`` per group with its interval; complementary suppression against the
    overall mean (which the chapter prints)."""
    data = people[[column, value]].rename(columns={value: "score"}).dropna()
    if data.empty:
        return []
    means = protected_means(data, by=column, value_col="score", k=k).set_index(column)
    rows = []
    for key, label in labels.items():
        if key not in means.index:
            continue
        row = means.loc[key]
        rows.append(
            {
                "key": key,
                "label": label,
                "value": plain(row["mean"]),
                "ci_low": plain(row["ci_low"]),
                "ci_high": plain(row["ci_high"]),
            }
        )
    return rows
