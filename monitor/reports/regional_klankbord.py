"""The klankbord chapter of the regional monitor: how the CoP's sounding boards rate its aims,
way of working and results, and the role they want to play.

The klankbord instrument (``klankbord``) asks the members of the Groot klankbord (yearly) and the
PML klankbord (quarterly) to "Reflecteren op CoP doelstellingen, methodieken en opbrengsten"
(003:436) and "Welke rol zou het klankbord willen en kunnen vervullen?" (003:446). Reported per
year and per klankbord group: the mean of each domain (doelen, werkwijze, resultaten; scale 1-5)
with its t-interval, and how often each role was chosen. The open answers are not printed here.

Groups are the fixed list of the instrument (named every year, also when hidden). A group mean is
protected against the mean of all klankbord members of that year (``protected_means``): with two
groups, one hidden group hides the other too. The PML klankbord answers quarterly and its link is
anonymous, so a member counts once per questionnaire filled in, not once per person.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.descriptives import describe_means
from analysis.scores import domain_scores
from monitor import charts
from monitor.reports.regional_common import (
    ci_pair,
    count,
    domain_titles,
    group_labels,
    plain,
    protected_counts,
    protected_means,
)
from monitor.reports.regional_data import MonitorData
from monitor.reports.regional_shares import item_options
from scans.instrument import item_scoring
from surveys.definition import min_answered

KEY = "klankbord"
ROLE_ITEM = "rol_klankbord"


def klankbord_chapter(data: MonitorData, *, k: int) -> tuple[dict[str, Any], dict]:
    """Ratings per domain, group and year, and the chosen roles per year; charts of the latest
    year. ``{"available": False}`` when the instrument has no answers up to the monitor's year."""
    frame, definition = data.frames[KEY], data.definitions[KEY]
    if definition is None or frame.empty:
        return {"available": False}, {}
    groups = group_labels(definition)
    titles = domain_titles(definition)
    scores = domain_scores(
        frame, items=item_scoring(definition), min_answered=min_answered(definition)
    ).to_frame()
    scores = scores[scores["score"].notna()]
    means = protected_means(
        scores, by="respondent_group", value_col="score", k=k, tables=("year", "domain")
    ).set_index(["year", "domain", "respondent_group"])
    totals = (
        describe_means(scores, value_col="score", by=["year", "domain"], k=k)
        .to_frame()
        .set_index(["year", "domain"])
        if not scores.empty
        else pd.DataFrame()
    )
    roles = dict(item_options(definition, ROLE_ITEM))
    people = frame.drop_duplicates("response_id")
    years = []
    for year in sorted(int(y) for y in frame["year"].unique()):
        of_year = people[people["year"] == year]
        respondents, total = protected_counts(of_year["respondent_group"], k=k, order=tuple(groups))
        for row in respondents:
            row["label"] = groups.get(row["key"], row["key"])
        domains = [
            {
                "key": key,
                "title": title,
                "groups": [
                    {"key": g, "label": label, **_figure(means, (year, key, g))}
                    for g, label in groups.items()
                ],
                "total": _figure(totals, (year, key)),
            }
            for key, title in titles.items()
        ]
        answered = frame[(frame["year"] == year) & (frame["item_key"] == ROLE_ITEM)]
        role_rows, role_total = protected_counts(
            answered.drop_duplicates("response_id")["text"], k=k, order=tuple(roles)
        )
        for row in role_rows:
            row["label"] = roles.get(row["key"], row["key"])
        years.append(
            {
                "year": year,
                "respondents": respondents,
                "total": total,
                "domains": domains,
                "roles": {"rows": role_rows if role_total is not None else [], "total": role_total},
            }
        )
    latest = years[-1]
    chart_out = {}
    if any(g["value"] is not None for d in latest["domains"] for g in d["groups"]):
        series = {
            label: [
                next(x for x in d["groups"] if x["key"] == g)["value"] for d in latest["domains"]
            ]
            for g, label in groups.items()
        }
        intervals = {
            label: [
                ci_pair(next(x for x in d["groups"] if x["key"] == g)) for d in latest["domains"]
            ]
            for g, label in groups.items()
        }
        chart_out["klankbord_domains"] = charts.grouped_means(
            [d["title"] for d in latest["domains"]],
            series,
            ci=intervals,
            title=f"Oordeel van de klankborden over de CoP, {latest['year']} (schaal 1–5)",
            scale=(1, 5),
        ).to_dict()
    return {"available": True, "latest": latest["year"], "years": years}, chart_out


def _figure(table: pd.DataFrame, key: tuple) -> dict[str, float | int | None]:
    """Mean, interval and n of one row of a means table; all None when hidden or absent."""
    if table.empty or key not in table.index:
        return {"value": None, "ci_low": None, "ci_high": None, "n": None}
    row = table.loc[key]
    hidden = bool(row["suppressed"]) if "suppressed" in row else False
    if hidden:
        return {"value": None, "ci_low": None, "ci_high": None, "n": None}
    return {
        "value": plain(row["mean"]),
        "ci_low": plain(row["ci_low"]),
        "ci_high": plain(row["ci_high"]),
        "n": count(row["n"]),
    }
