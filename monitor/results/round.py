"""The results of one round (campaign) as plain values: filters, domain scores, item tables.

``build_round(campaign_id, args, k=..., lang=...)`` reads the round's answers once
(``surveys.frame.answer_frame``), applies the filters of ``round_filters`` and summarises every
answerable item with the summariser of its type's ``summary_kind`` (``round_tables``), groups side
by side. Domain scores come from ``analysis.domain_scores`` with the instrument's scoring, their
means and intervals from ``describe_means``. No ORM object leaves this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.scores import domain_scores
from monitor import charts
from monitor.reports.regional_common import UNKNOWN, domain_titles, short_label
from monitor.results import round_filters
from monitor.results.round_tables import (
    MEAN,
    SUMMARISERS,
    TEXT,
    Columns,
    ItemData,
    N,
    Table,
    mean_rows,
)
from scans.instrument import item_scoring
from surveys.definition import answer_items, min_answered
from surveys.definition.itemtypes import REGISTRY, item_text
from surveys.definition.messages import translate
from surveys.frame import answer_frame
from surveys.models import Campaign

LANGUAGES = ("nl", "en")


@dataclass
class RoundResults:
    """Everything the results page of a round shows (and its CSV downloads read)."""

    campaign: dict[str, Any]
    k: int
    lang: str
    languages: list[str]
    units: int
    view_units: int
    filters: list[round_filters.FilterOption]
    selection: round_filters.Selection
    domains: Table | None = None
    items: list[Table] = field(default_factory=list)
    reason: str | None = None

    def tables(self) -> list[Table]:
        """Every table of the page, in page order."""
        return ([self.domains] if self.domains is not None else []) + self.items

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables() if t.id == table_id), None)


def campaign_facts(campaign: Campaign) -> dict[str, Any]:
    """The plain facts of a campaign the page prints."""
    version = campaign.instrument_version
    return {
        "id": campaign.id,
        "title": campaign.title,
        "year": campaign.year,
        "wave": campaign.wave,
        "instrument": version.instrument.key,
        "instrument_title": version.instrument.title,
        "version_id": version.id,
        "definition": dict(version.definition),
    }


def build_round(
    campaign: Campaign, args: Mapping[str, str], *, k: int, lang: str = "nl"
) -> RoundResults:
    """The results page of ``campaign`` for the filters in ``args`` (GET parameters)."""
    facts = campaign_facts(campaign)
    frame = answer_frame(campaign_ids=[campaign.id])
    return round_results(facts, frame, args, k=k, lang=lang)


def round_results(
    facts: dict[str, Any], frame: pd.DataFrame, args: Mapping[str, str], *, k: int, lang: str
) -> RoundResults:
    """The page of a round from its tidy answer frame (``answer_frame``) and its facts: filters,
    domain scores and one table per item, all disclosure-controlled."""
    definition = facts["definition"]
    languages = [code for code in LANGUAGES if code in (definition.get("languages") or ["nl"])]
    lang = lang if lang in languages else "nl"
    frame = frame.assign(respondent_group=frame["respondent_group"].fillna(""))
    role = round_filters.role_key(definition)
    units = round_filters.units_frame(frame, role)
    options = round_filters.filter_options(units, k=k, has_role=role is not None)
    selection = round_filters.select(units, args, options, k=k)
    results = RoundResults(
        facts, k, lang, languages, len(units), len(selection.response_ids), options, selection
    )
    if len(units) < k:
        results.reason = (
            f"Deze meting heeft {len(units)} ingevulde vragenlijsten; "
            f"uitkomsten staan hier vanaf {k}."
        )
        return results
    filtered = bool(selection.applied)
    view = frame[frame["response_id"].isin(selection.response_ids)] if filtered else frame
    columns = _columns(view, definition, lang)
    whole = frame if filtered else None
    results.domains = domain_table(view, whole, definition, columns, k=k)
    results.items = item_tables(
        view, whole, definition, columns, k=k, lang=lang, wave=facts["wave"]
    )
    return results


def _columns(view: pd.DataFrame, definition: Mapping[str, Any], lang: str) -> Columns:
    """The respondent groups of the view, in the definition's order (answers without a group as
    "onbekend")."""
    labels = {
        g["key"]: translate(g.get("label"), lang) or g["key"]
        for g in definition.get("respondent_groups") or []
    }
    present = set(view["respondent_group"])
    groups = [(g, label) for g, label in labels.items() if g in present]
    groups += [(g, g or UNKNOWN) for g in sorted(present - set(labels))]
    return Columns(groups or [("", UNKNOWN)])


def domain_table(
    view: pd.DataFrame,
    whole: pd.DataFrame | None,
    definition: Mapping[str, Any],
    columns: Columns,
    *,
    k: int,
) -> Table | None:
    """Per domain and group the mean score with its interval, and a bar chart of the means."""
    scoring = item_scoring(dict(definition))
    if not scoring:
        return None
    titles = domain_titles(dict(definition))

    def scores(frame: pd.DataFrame) -> pd.DataFrame:
        scored = frame[frame["item_key"].isin([s.key for s in scoring])]
        if scored.empty:  # nobody answered a scored item (in this view)
            return pd.DataFrame(columns=["response_id", "respondent_group", "domain", "score"])
        result = domain_scores(
            scored, items=scoring, min_answered=min_answered(definition)
        ).to_frame()
        return result[result["score"].notna()]

    view_scores = scores(view)
    whole_scores = None if whole is None else scores(whole)
    header, formats, rows = ["Domein"], [TEXT], []
    for label in columns.labels:
        header += [
            f"{label}: aantal",
            f"{label}: gemiddelde",
            f"{label}: ondergrens 95%",
            f"{label}: bovengrens 95%",
        ]
        formats += [N, MEAN, MEAN, MEAN]
    labels, values = [], []
    for key, title in titles.items():
        mine = view_scores[view_scores["domain"] == key]
        theirs = None if whole_scores is None else whole_scores[whole_scores["domain"] == key]
        cells = mean_rows(mine, theirs, columns, value_col="score", k=k)
        rows.append([title, *[v for cell in cells for v in cell[1:]]])
        labels.append(short_label(title))
        values.append(cells[-1][2])
    table = Table(
        "domeinen",
        "Scores per domein",
        "domains",
        header,
        formats,
        rows,
        label="Gemiddelde score per domein, per respondentgroep",
    )
    if any(v is not None for v in values):
        table.chart = charts.bar_chart(
            labels, values, title=f"Gemiddelde score per domein ({columns.labels[-1]})"
        )
    return table


def item_tables(
    view: pd.DataFrame,
    whole: pd.DataFrame | None,
    definition: Mapping[str, Any],
    columns: Columns,
    *,
    k: int,
    lang: str,
    wave: int,
) -> list[Table]:
    """One table per answerable item, by the summariser of its type's summary kind."""
    by_item = dict(tuple(view.groupby("item_key")))
    whole_by_item = {} if whole is None else dict(tuple(whole.groupby("item_key")))
    empty = view.iloc[0:0]
    tables = []
    for item in answer_items(definition):
        kind = REGISTRY[item["type"]]
        summarise = SUMMARISERS.get(kind.summary_kind)
        if summarise is None:
            continue
        data = ItemData(
            item,
            by_item.get(item["key"], empty),
            None if whole is None else whole_by_item.get(item["key"], empty),
            lang,
        )
        table = summarise(data, columns, k=k)
        table.id = f"item-{item['key']}"
        table.title = item_text(item, lang, wave=wave)
        table.label = kind.summary_label(lang)
        tables.append(table)
    return tables
