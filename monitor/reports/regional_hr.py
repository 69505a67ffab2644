"""The HR-scan chapters of the regional monitor: response and reach, results per domain with
their trend since the first year, and the weakest domains by sector and region.

A company's scan of a year is its latest submitted one (``scans.answers.latest_scans``); its
domain scores come from ``scans.answers.scan_scores`` (the instrument's scoring). The change
since the first year is ``analysis.change_by_domain`` with the year as the wave (first year = 0):
a panel MixedLM when companies recur, repeated cross-sections otherwise, Holm across domains.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.change import change_by_domain
from analysis.crosstab import TOTAL, crosstab
from analysis.descriptives import describe_means
from monitor import charts
from monitor.reports.regional_common import (
    OTHER,
    TOTAL_NL,
    UNKNOWN,
    capitalise,
    ci_pair,
    count,
    domain_titles,
    plain,
    pool_small,
    protected_counts,
    protected_means,
    short_label,
)
from monitor.reports.regional_data import MonitorData
from scans.answers import latest_scans, scan_scores
from scans.wording import size_class_nl
from surveys.models import MODE_NL
from surveys.models.organisations import REGIONS, SECTORS, SIZE_CLASSES

#: at most this many years in the trend chart (the first year and the latest ones)
MAX_CHART_YEARS = 6
#: how many of the weakest domains to name per sector and region
WEAKEST = 2
#: the names of the change designs in Dutch
DESIGN_NL = {
    "panel": (
        "panel: alle bedrijven, met een eigen beginniveau per bedrijf; bedrijven die in meer "
        "jaren meededen, bepalen de verandering"
    ),
    "repeated_cross_sections": "herhaalde dwarsdoorsneden: steeds andere bedrijven",
    "mixed": "per domein verschillend: panel waar bedrijven terugkomen, anders dwarsdoorsneden",
}
METHOD_NL = {
    "mixedlm": "lineair gemengd model (MixedLM) met een random intercept per bedrijf",
    "ols_cluster": (
        "OLS met standaardfouten geclusterd per bedrijf (terugval: MixedLM convergeerde niet)"
    ),
    "ols_hc3": "OLS met robuuste standaardfouten (HC3)",
}


def _units(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per company and year (its latest scan), with the profile columns."""
    scans = latest_scans(frame)
    units = scans.drop_duplicates("response_id")[
        ["response_id", "organisation_id", "year", "sector", "region", "size_class"]
    ].copy()
    for column in ("sector", "region", "size_class"):
        units[column] = units[column].fillna(UNKNOWN).astype(str)
    return units.reset_index(drop=True)


def hr_chapters(data: MonitorData, *, k: int) -> tuple[dict[str, Any], dict[str, Any], dict]:
    """The response and the HR-scan results chapters, and their charts."""
    year = data.year
    frame = data.frames["hr_scan"]
    definition = data.definitions["hr_scan"]
    units = _units(frame) if not frame.empty else pd.DataFrame()
    years = sorted(int(y) for y in units["year"].unique()) if not units.empty else []
    if year not in years or definition is None:
        empty = {"available": False, "year": year, "years": years}
        return {**empty, "campaigns": campaign_rows(data, k=k)}, empty, {}
    now = units[units["year"] == year]
    scores = scan_scores(latest_scans(frame), definition)
    for column in ("sector", "region", "size_class"):
        # this year's companies decide which categories are named, in every table of the year
        counts = now[column].value_counts()
        units[column] = pool_small(units[column], k=k, counts=counts)
        if column in scores:
            scores[column] = pool_small(
                scores[column].fillna(UNKNOWN).astype(str), k=k, counts=counts
            )
    response, response_charts = _response(data, units, years, k=k)
    results, result_charts = _results(scores, definition, years, year, response, k=k)
    return response, results, {**response_charts, **result_charts}


# -- response and reach ----------------------------------------------------------------------------


def _ordered(labels: list[str], order: tuple[str, ...]) -> list[str]:
    known = [label for label in order if label in labels]
    return known + sorted(set(labels) - set(known), key=lambda c: (c in (UNKNOWN, OTHER), c))


def _response(
    data: MonitorData, units: pd.DataFrame, years: list[int], *, k: int
) -> tuple[dict[str, Any], dict]:
    year = data.year
    first = years[0]
    now = units[units["year"] == year]
    per_year = units.groupby("year")["organisation_id"].nunique()
    scanned = {y: (int(per_year[y]) if per_year[y] >= k else None) for y in years}

    earlier = set(units.loc[units["year"] < year, "organisation_id"])
    repeat = now["organisation_id"].isin(earlier).map({True: "herhaald", False: "eerste"})
    repeat_rows, _ = protected_counts(repeat, k=k, order=("eerste", "herhaald"))
    repeat_n = {row["key"]: row["n"] for row in repeat_rows}

    reached = units["organisation_id"].nunique()
    network = len(data.employers)
    in_network = units["organisation_id"].isin(set(data.employers["organisation_id"]))
    reached_in_network = units.loc[in_network, "organisation_id"].nunique()
    now_in_network = now.loc[now["organisation_id"].isin(set(data.employers["organisation_id"]))]
    invited = data.hr_invited

    cross = _sector_by_region(now, k=k)
    size_rows, size_total = protected_counts(now["size_class"], k=k, order=SIZE_CLASSES)
    for row in size_rows:
        pooled = row["key"] in (UNKNOWN, OTHER)
        row["label"] = row["key"] if pooled else size_class_nl(row["key"])
    if all(row["n"] is None for row in size_rows):
        size_rows = []  # a table of hidden cells only names categories: not printed

    response = {
        "available": True,
        "year": year,
        "years": years,
        "first_year": first,
        "per_year": [{"year": y, "scanned": scanned[y]} for y in years],
        "scanned": scanned[year],
        "first_scanned": scanned[first],
        "first_time": repeat_n.get("eerste"),
        "repeat": repeat_n.get("herhaald"),
        "reached_since_first": reached if reached >= k else None,
        "network": network,
        "coverage": plain(len(now_in_network) / network) if network and len(now) >= k else None,
        "reach_share": plain(reached_in_network / network) if network and reached >= k else None,
        "invited": invited or None,
        "response_rate": plain(len(now) / invited) if invited and len(now) >= k else None,
        "by_sector_region": cross,
        "by_size": {"rows": size_rows, "total": size_total},
        "campaigns": campaign_rows(data, k=k),
    }
    chart = charts.bar_chart(
        [str(y) for y in years],
        [scanned[y] for y in years],
        title="Aantal bedrijven met een HR-scan per jaar",
        unit="bedrijven",
    )
    return response, {"scans_per_year": chart.to_dict()}


def _sector_by_region(now: pd.DataFrame, *, k: int) -> dict[str, Any]:
    """Companies scanned this year by sector (rows) and region (columns), with margins, under
    complementary suppression (None = hidden)."""
    table = crosstab(now, rows="sector", columns="region", k=k).to_frame()
    sectors = _ordered([s for s in table["sector"].unique() if s != TOTAL], SECTORS)
    regions = _ordered([r for r in table["region"].unique() if r != TOTAL], REGIONS)
    cells = table.set_index(["sector", "region"])["n"]
    if all(count(cells.get((s, r))) is None for s in sectors for r in regions):
        # every cell hidden: the row and column labels alone would name the few companies
        return {"columns": [], "column_keys": [], "rows": []}
    rows = []
    for sector in [*sectors, TOTAL]:
        rows.append(
            {
                "key": None if sector == TOTAL else sector,
                "label": TOTAL_NL if sector == TOTAL else capitalise(sector),
                "total": sector == TOTAL,
                "cells": [count(cells.get((sector, region))) for region in [*regions, TOTAL]],
            }
        )
    return {"columns": [*regions, TOTAL_NL], "column_keys": [*regions, None], "rows": rows}


def campaign_rows(data: MonitorData, *, k: int) -> list[dict[str, Any]]:
    """Every campaign of the year that was opened, with how it is answered and its response (and
    the rate where people were invited)."""
    rows = []
    for campaign in data.campaigns[data.campaigns["year"] == data.year].itertuples():
        submitted = int(campaign.submitted)
        shown = submitted if submitted >= k else None
        invited = int(campaign.invited)
        rows.append(
            {
                "title": campaign.title,
                "instrument": campaign.instrument,
                "wave": int(campaign.wave),
                "mode": campaign.mode,
                "mode_nl": MODE_NL.get(campaign.mode, campaign.mode),
                "submitted": shown,
                "invited": invited or None,
                "rate": plain(submitted / invited) if invited and shown is not None else None,
            }
        )
    return rows


# -- results ---------------------------------------------------------------------------------------


def _results(
    scores: pd.DataFrame,
    definition: dict[str, Any],
    years: list[int],
    year: int,
    response: dict[str, Any],
    *,
    k: int,
) -> tuple[dict[str, Any], dict]:
    titles = domain_titles(definition)
    first = years[0]
    scored = scores[scores["score"].notna()].copy()
    per_year = describe_means(scored, value_col="score", by=["domain", "year"], k=k).to_frame()
    per_year = per_year.set_index(["domain", "year"])
    change = _change(scored, first=first, year=year, k=k)
    companies = scores.groupby("year")["organisation_id"].nunique()

    domains = []
    for key, title in titles.items():
        rows = []
        for y in years:
            row = per_year.loc[(key, y)] if (key, y) in per_year.index else None
            rows.append(
                {
                    "year": y,
                    "n": None if row is None else _n_of(count(row["n"]), int(companies[y]), k),
                    "mean": None if row is None else plain(row["mean"]),
                    "ci_low": None if row is None else plain(row["ci_low"]),
                    "ci_high": None if row is None else plain(row["ci_high"]),
                }
            )
        domains.append(
            {
                "key": key,
                "title": title,
                "short": short_label(title),
                "per_year": rows,
                "current": rows[years.index(year)],
                "first": rows[0],
                **change["domains"].get(key, {"change": None, "trend": None, "paired": None}),
            }
        )

    current = [d for d in domains if d["current"]["mean"] is not None]
    ranked = sorted(current, key=lambda d: d["current"]["mean"])
    results = {
        "available": True,
        "year": year,
        "years": years,
        "first_year": first,
        "domains": domains,
        "design": change["design"],
        "weakest": [d["key"] for d in ranked[:WEAKEST]],
        "strongest": [d["key"] for d in ranked[::-1][:WEAKEST]],
        "improved": [
            d["key"]
            for d in domains
            if d["change"] and d["change"]["significant"] and d["change"]["estimate"] > 0
        ],
        "declined": [
            d["key"]
            for d in domains
            if d["change"] and d["change"]["significant"] and d["change"]["estimate"] < 0
        ],
    }
    by_region, region_chart = _by_group(
        scored, titles, year, "region", REGIONS, response, k=k, with_means=True
    )
    by_sector, _ = _by_group(
        scored, titles, year, "sector", SECTORS, response, k=k, with_means=False
    )
    results["by_region"] = by_region
    results["by_sector"] = by_sector
    results["weakest_by_sector"] = _most_often_weakest(by_sector)
    results_charts = {"domains_per_year": _trend_chart(domains, years, year, first).to_dict()}
    if region_chart is not None:
        results_charts["domains_by_region"] = region_chart.to_dict()
    return results, results_charts


def _n_of(n: int | None, companies: int, k: int) -> int | None:
    """The number of companies behind a domain's mean, hidden when the few companies without a
    score on it (fewer than ``k``, but some) could be told from the number scanned."""
    if n is None or 0 < companies - n < k:
        return None
    return n


def _change(scored: pd.DataFrame, *, first: int, year: int, k: int) -> dict[str, Any]:
    """Change per domain from the first year to ``year`` and the linear trend, Holm-corrected."""
    if year == first:
        return {"design": None, "domains": {}}
    data = scored.assign(wave=scored["year"] - first)
    try:
        result = change_by_domain(data, k=k)
    except ValueError as error:
        return {"design": {"available": False, "reason": str(error)}, "domains": {}}
    table = result.to_frame()
    target = f"wave {year - first} vs 0"
    out: dict[str, Any] = {}
    for key, domain_change in result.changes.items():
        rows = table[table["domain"] == key].set_index("term")

        def term(name: str, rows: pd.DataFrame = rows) -> dict[str, Any] | None:
            if name not in rows.index:
                return None
            row = rows.loc[name]
            return {
                "estimate": plain(row["estimate"]),
                "ci_low": plain(row["ci_low"]),
                "ci_high": plain(row["ci_high"]),
                "p": plain(row["p"], 6),
                "p_holm": plain(row["p_holm"], 6),
                "significant": bool(row["significant"]),
                "hedges_g": plain(row["hedges_g"]),
                "suppressed": bool(row["suppressed"]),
            }

        paired = domain_change.paired
        paired_row = paired[paired["wave"] == year - first] if not paired.empty else paired
        out[key] = {
            "change": term(target),
            "trend": term("linear trend"),
            "paired": None
            if paired_row.empty
            else {
                "n_pairs": count(paired_row.iloc[0]["n_pairs"]),
                "mean_difference": plain(paired_row.iloc[0]["mean_difference"]),
                "ci_low": plain(paired_row.iloc[0]["ci_low"]),
                "ci_high": plain(paired_row.iloc[0]["ci_high"]),
            },
        }
    changes = list(result.changes.values())
    designs = {c.design for c in changes}
    methods = {c.method for c in changes}
    fallback = sorted(key for key, c in result.changes.items() if c.method == "ols_cluster")
    design = changes[0].design if len(designs) == 1 else "mixed"
    units = scored.drop_duplicates(["organisation_id", "year"])
    seen = units.groupby("organisation_id")["year"].nunique()
    return {
        "design": {
            "available": True,
            "design": design,
            "design_nl": DESIGN_NL.get(design, design),
            "methods": sorted(methods),
            "method_nl": METHOD_NL.get(changes[0].method, changes[0].method)
            if len(methods) == 1
            else METHOD_NL["mixedlm"],
            "fallback_domains": fallback,
            "notes": sorted({c.note for c in changes if c.note}),
            "companies": int(seen.size) if seen.size >= k else None,
            "companies_repeated": int((seen > 1).sum()) if (seen > 1).sum() >= k else None,
            "alpha": result.alpha,
        },
        "domains": out,
    }


def _trend_chart(
    domains: list[dict[str, Any]], years: list[int], year: int, first: int
) -> charts.Chart:
    shown = years if len(years) <= MAX_CHART_YEARS else [first, *years[-(MAX_CHART_YEARS - 1) :]]
    period = f"{shown[0]}–{year}" if shown[0] != year else str(year)
    series, ci, marks = {}, {}, {}
    for y in shown:
        i = years.index(y)
        series[str(y)] = [d["per_year"][i]["mean"] for d in domains]
        ci[str(y)] = [ci_pair(d["per_year"][i]) for d in domains]
        marks[str(y)] = [
            y == year and bool(d["change"] and d["change"]["significant"]) for d in domains
        ]
    return charts.grouped_means(
        [d["short"] for d in domains],
        series,
        ci=ci,
        marks=marks,
        mark_label=f"significant veranderd sinds {first} (Holm)",
        title=f"Gemiddelde score per domein, {period} (schaal 0–4)",
        scale=(0, 4),
    )


def _by_group(
    scored: pd.DataFrame,
    titles: dict[str, str],
    year: int,
    column: str,
    order: tuple[str, ...],
    response: dict[str, Any],
    *,
    k: int,
    with_means: bool,
) -> tuple[list[dict[str, Any]], charts.Chart | None]:
    """The weakest and strongest domains of ``year`` per sector or region, named where every
    domain of the group can be shown (means protected per domain: fewer than k companies, or
    complementary).

    Only one of the two breakdowns carries its means (``with_means``: the regions). Means of
    both the sectors and the regions of the same companies would be two linked tables: with the
    numbers of companies per cell, a hidden sector (or a small sector-region cell) could be
    recomputed from the two sets of means. The sectors get their ranking only.
    """
    now = scored[scored["year"] == year]
    means = protected_means(now, by=column, value_col="score", k=k, tables=("domain",))
    counts = _margin_counts(response["by_sector_region"], column)
    groups = []
    for label in _ordered(list(now[column].unique()), order):
        if label == OTHER:
            continue  # pooled small categories: no ranking of a mixed group
        rows = means[means[column] == label].set_index("domain")
        per_domain = []
        for key, title in titles.items():
            row = rows.loc[key] if key in rows.index else None
            hidden = row is None or bool(row["suppressed"])
            per_domain.append(
                {
                    "key": key,
                    "title": title,
                    "short": short_label(title),
                    "mean": None if hidden else plain(row["mean"]),
                    "ci_low": None if hidden else plain(row["ci_low"]),
                    "ci_high": None if hidden else plain(row["ci_high"]),
                }
            )
        complete = all(d["mean"] is not None for d in per_domain)
        ranked = sorted(per_domain, key=lambda d: d["mean"]) if complete else []

        def named(domain: dict[str, Any]) -> dict[str, Any]:
            out = {"key": domain["key"], "title": domain["title"]}
            return {**out, "mean": domain["mean"]} if with_means else out

        groups.append(
            {
                "key": label,
                "label": capitalise(label),
                "n": counts.get(label),
                "suppressed": not complete,
                "domains": per_domain if with_means else None,
                "weakest": [named(d) for d in ranked[:WEAKEST]],
                "strongest": named(ranked[-1]) if ranked else None,
            }
        )
    shown = [g for g in groups if g["key"] != UNKNOWN]
    if column != "region" or not shown or len(shown) > len(charts.PALETTE):
        return groups, None
    chart = charts.grouped_means(
        [short_label(t) for t in titles.values()],
        {g["label"]: [d["mean"] for d in g["domains"]] for g in shown},
        ci={g["label"]: [ci_pair(d) for d in g["domains"]] for g in shown},
        title=f"Gemiddelde score per domein en arbeidsmarktregio, {year} (schaal 0–4)",
        scale=(0, 4),
    )
    return groups, chart


def _margin_counts(cross: dict[str, Any], column: str) -> dict[str, int | None]:
    """The protected number of companies per sector (row totals) or region (column totals)."""
    if not cross["rows"]:
        return {}
    if column == "region":
        totals = next(row for row in cross["rows"] if row["total"])["cells"]
        return dict(zip(cross["column_keys"][:-1], totals[:-1], strict=True))
    return {row["key"]: row["cells"][-1] for row in cross["rows"] if not row["total"]}


def _most_often_weakest(groups: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The domain that is weakest in the most sectors (among the sectors that can be shown)."""
    shown = [g for g in groups if g["weakest"] and g["key"] != UNKNOWN]
    if not shown:
        return None
    tally = pd.Series([g["weakest"][0]["key"] for g in shown]).value_counts()
    key = str(tally.index[0])
    title = next(g["weakest"][0]["title"] for g in shown if g["weakest"][0]["key"] == key)
    return {"key": key, "title": title, "sectors": int(tally.iloc[0]), "of": len(shown)}
