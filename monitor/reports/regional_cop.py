"""The CoP chapter of the regional monitor: what each respondent group expected at the
nulmeting and what it experienced in the follow-ups, per domain and per item.

``analysis.expectation_vs_experience`` compares the two sides: Welch's interval where the
answers are anonymous (independent samples), errors clustered by person where a pseudonymous panel
key links people who answered both; significance Holm-corrected over the comparisons shown (the
domains in one family, the items in another). Groups are never pooled in the report: a pooled
figure next to the group figures would let a hidden small group be recomputed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.crosstab import TOTAL, crosstab
from analysis.descriptives import describe_means
from analysis.expectation import expectation_vs_experience
from analysis.scores import domain_scores
from monitor import charts
from monitor.reports.regional_common import (
    ci_pair,
    count,
    domain_titles,
    group_labels,
    plain,
    short_label,
)
from monitor.reports.regional_data import MonitorData
from scans.instrument import item_scoring
from surveys.definition import item_index, min_answered
from surveys.definition.itemtypes import item_text


def cop_chapter(data: MonitorData, *, k: int) -> tuple[dict[str, Any], dict]:
    """Expectations (wave 0) against experiences (waves >= 1) per respondent group."""
    frame = data.frames["cop"]
    definition = data.definitions["cop"]
    if definition is None or frame.empty or not (frame["wave"] == 0).any():
        return {"available": False, "reason": "geen nulmeting"}, {}
    scoring = item_scoring(definition)
    keys = [item.key for item in scoring]
    answers = frame[frame["item_key"].isin(keys)]
    wave_years = _wave_years(frame)
    followups = [w for w in wave_years if w > 0]
    groups = group_labels(definition)
    titles = domain_titles(definition)
    asked = _groups_asked(data.campaigns, groups, wave_years)
    response = _response_table(frame, groups, wave_years, asked, k=k)
    base = {
        "available": True,
        "nulmeting_year": wave_years[0],
        "followups": [{"wave": w, "year": wave_years[w]} for w in followups],
        "latest": None
        if not followups
        else {"wave": followups[-1], "year": wave_years[followups[-1]]},
        "response": response,
    }
    scores = domain_scores(answers, items=scoring, min_answered=min_answered(definition)).to_frame()
    scores = scores[scores["score"].notna()]
    means = describe_means(scores, by=["respondent_group", "domain", "wave"], k=k).to_frame()
    means = means.set_index(["respondent_group", "domain", "wave"])
    if not followups:
        gaps_domain = gaps_item = pd.DataFrame(columns=["respondent_group", "wave"])
    else:
        gaps_domain = expectation_vs_experience(
            scores, item_col="domain", value_col="score", k=k
        ).to_frame()
        gaps_item = expectation_vs_experience(answers, items=keys, k=k).to_frame()
    index = item_index(definition)
    latest = followups[-1] if followups else None
    out_groups = []
    chart_out = {}
    for group, label in groups.items():
        domains = []
        for key, title in titles.items():
            sides = [_side(means, group, key, w, wave_years[w]) for w in wave_years]
            gap = _gap(gaps_domain, "domain", key, group, latest)
            domains.append(
                {
                    "key": key,
                    "title": title,
                    "short": short_label(title),
                    "waves": sides,
                    "gap": gap,
                }
            )
        shown = any(side["mean"] is not None for d in domains for side in d["waves"])
        out_groups.append({"key": group, "label": label, "domains": domains, "shown": shown})
        if shown:
            chart_out[f"cop_{group}"] = _group_chart(label, domains, wave_years).to_dict()
    items = []
    for item in scoring:
        leaf = index.get(item.key, {})
        text = item_text(leaf, "nl", wave=1) if leaf else item.key
        items.append(
            {
                "key": item.key,
                "domain": item.domain,
                "text": text,
                "short": _without_subject(text),
                "expectation_text": item_text(leaf, "nl", wave=0) if leaf else item.key,
                "groups": [
                    {"group": group, **_gap(gaps_item, "item_key", item.key, group, latest)}
                    for group in groups
                ],
            }
        )
    methods = {
        gap["method"]
        for gap in [
            *(d["gap"] for g in out_groups for d in g["domains"]),
            *(cell for item in items for cell in item["groups"]),
        ]
        if gap["method"]
    }
    chapter = {
        **base,
        "groups": out_groups,
        "items": items,
        "summary": _summary(out_groups),
        "methods": sorted(methods),
        "comparisons": {
            "domains": sum(d["gap"]["p"] is not None for g in out_groups for d in g["domains"]),
            "items": sum(c["p"] is not None for item in items for c in item["groups"]),
        },
    }
    return chapter, chart_out


#: the subject every follow-up statement starts with; the table's header says it once
SUBJECT = "De CoP heeft "


def _without_subject(text: str) -> str:
    """ "De CoP heeft de samenwerking ... versterkt." -> "de samenwerking ... versterkt." """
    return text[len(SUBJECT) :] if text.startswith(SUBJECT) else text


def _wave_years(frame: pd.DataFrame) -> dict[int, int]:
    """Wave -> the year of its campaign (the first year when a wave spans several)."""
    pairs = frame[["wave", "year"]].drop_duplicates().sort_values(["wave", "year"])
    return {int(w): int(y) for w, y in pairs.groupby("wave")["year"].min().items()}


def _wave_label(wave: int, year: int) -> str:
    return f"Verwachting (nulmeting {year})" if wave == 0 else f"Ervaring {year}"


def _groups_asked(
    campaigns: pd.DataFrame, groups: dict[str, str], wave_years: dict[int, int]
) -> dict[int, set[str]]:
    """Per wave, the respondent groups its CoP rounds addressed (a round without a list
    addresses every group)."""
    rounds = campaigns[campaigns["instrument"] == "cop"]
    asked: dict[int, set[str]] = {}
    for wave in wave_years:
        lists = [set(g) or set(groups) for g in rounds.loc[rounds["wave"] == wave, "groups"]]
        asked[wave] = set().union(*lists) if lists else set(groups)
    return asked


def _response_table(
    frame: pd.DataFrame,
    groups: dict[str, str],
    wave_years: dict[int, int],
    asked: dict[int, set[str]],
    *,
    k: int,
) -> dict[str, Any]:
    """Respondents per group (rows) and wave (columns) with the wave totals; complementary
    suppression over the table with the margins it prints. A group that a wave's rounds did not
    address is a structural zero (printed, protecting nobody); the rows carry no total, so a
    small cell is not protected against a row total nobody sees."""
    units = frame.drop_duplicates("response_id")[["respondent_group", "wave"]].dropna()
    units = units.assign(wave=units["wave"].astype(int))
    structural = {(g, w) for w in wave_years for g in groups if g not in asked.get(w, set())}
    table = crosstab(
        units, rows="respondent_group", columns="wave", k=k, structural=structural,
        row_totals=False,
    ).to_frame()  # fmt: skip
    cells = table.set_index(["respondent_group", "wave"])["n"]
    waves = list(wave_years)
    rows = [
        {
            "label": label,
            "total": False,
            "cells": [count(cells.get((group, w))) for w in waves],
        }
        for group, label in groups.items()
        if group in set(units["respondent_group"])
    ]
    rows.append(
        {"label": "Totaal", "total": True, "cells": [count(cells.get((TOTAL, w))) for w in waves]}
    )
    columns = [("nulmeting " if w == 0 else "") + str(wave_years[w]) for w in waves]
    return {"columns": columns, "rows": rows}


def _side(means: pd.DataFrame, group: str, domain: str, wave: int, year: int) -> dict[str, Any]:
    row = means.loc[(group, domain, wave)] if (group, domain, wave) in means.index else None
    return {
        "wave": wave,
        "year": year,
        "label": _wave_label(wave, year),
        "mean": None if row is None else plain(row["mean"]),
        "ci_low": None if row is None else plain(row["ci_low"]),
        "ci_high": None if row is None else plain(row["ci_high"]),
    }


def _gap(table: pd.DataFrame, column: str, key: str, group: str, wave: int | None) -> dict:
    """Expectation, experience and their difference (Welch) for the latest follow-up."""
    empty = {
        "expectation": None, "experience": None, "difference": None, "ci_low": None,
        "ci_high": None, "p": None, "p_holm": None, "significant": False, "method": None,
        "suppressed": True,
    }  # fmt: skip
    if wave is None or table.empty:
        return empty
    rows = table[
        (table[column] == key) & (table["respondent_group"] == group) & (table["wave"] == wave)
    ]
    if rows.empty:
        return empty
    row = rows.iloc[0]
    hidden = bool(row["suppressed"])
    return {
        "expectation": plain(row["mean_expectation"]),
        "experience": plain(row["mean_experience"]),
        "difference": None if hidden else plain(row["difference"]),
        "ci_low": None if hidden else plain(row["ci_low"]),
        "ci_high": None if hidden else plain(row["ci_high"]),
        "p": None if hidden else plain(row["p"], 6),
        "p_holm": None if hidden else plain(row["p_holm"], 6),
        "significant": not hidden and bool(row["significant"]),
        "method": None if hidden else str(row["method"]),
        "suppressed": hidden,
    }


def _group_chart(
    label: str, domains: list[dict[str, Any]], wave_years: dict[int, int]
) -> charts.Chart:
    waves = list(wave_years)
    if len(waves) > len(charts.PALETTE):
        waves = [waves[0], *waves[-(len(charts.PALETTE) - 1) :]]
    series, ci = {}, {}
    for w in waves:
        name = _wave_label(w, wave_years[w])
        sides = [next(s for s in d["waves"] if s["wave"] == w) for d in domains]
        series[name] = [s["mean"] for s in sides]
        ci[name] = [ci_pair(s) for s in sides]
    return charts.grouped_means(
        [d["short"] for d in domains],
        series,
        ci=ci,
        title=f"{label}: verwachting en ervaring per thema (schaal 1–5)",
        scale=(1, 5),
    )


def _summary(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per group: domains where the experience is clearly below or above the expectation
    (significant after Holm over the domain comparisons), and the largest gap shown."""
    out = []
    for group in groups:
        gaps = [(d, d["gap"]) for d in group["domains"] if d["gap"]["difference"] is not None]
        if not gaps:
            out.append({"group": group["key"], "label": group["label"], "shown": False})
            continue
        below = [d["key"] for d, g in gaps if g["significant"] and g["difference"] < 0]
        above = [d["key"] for d, g in gaps if g["significant"] and g["difference"] > 0]
        largest, gap = min(gaps, key=lambda pair: pair[1]["difference"])
        out.append(
            {
                "group": group["key"],
                "label": group["label"],
                "shown": True,
                "domains": len(gaps),
                "below": below,
                "above": above,
                "largest_gap": {"key": largest["key"], "title": largest["title"], **gap},
            }
        )
    return out
