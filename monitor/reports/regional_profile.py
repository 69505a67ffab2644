"""The HR-scan profile in the regional monitor: vacancies and the demand for sprint themes.

Two things the scan asks and nothing reported yet (DOMAIN.md, "reported nowhere yet"):

- **Vacancies** (002:75, the scan's profile questions ``vacatures_open`` and
  ``vacatures_moeilijk``): per sector and per arbeidsmarktregio the share of scanned companies
  with open vacancies, and among those the share for which at least half is hard to fill. Shares
  of companies, not numbers of vacancies: one large employer would dominate a sum or a mean of
  vacancies in a small sector, and the k rule (a count of companies) does not protect it.
- **Demand for sprint themes** ("behoefte", 001:234; the themes companies want to work on in a
  sprint, 004:3137, the scan's closing question ``sprint_themas``): per theme the share of the
  companies that chose it, in total and per sector, region and size class.

One unit per company (its latest scan of the monitor's year); sector, region and size class come
from the register, as in the rest of the monitor, and categories with fewer than k of this year's
companies are pooled as "overige" (``pool_small``). Every share passes ``regional_shares``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitor.reports.regional_common import (
    OTHER,
    UNKNOWN,
    capitalise,
    count,
    pool_small,
    short_label,
)
from monitor.reports.regional_data import MonitorData
from monitor.reports.regional_shares import (
    align_totals,
    item_options,
    option_flags,
    share_table,
    without_hidden_columns,
)
from scans.answers import latest_scans
from scans.wording import size_class_nl
from surveys.models.organisations import REGIONS, SECTORS, SIZE_CLASSES

OPEN_ITEM = "vacatures_open"
HARD_ITEM = "vacatures_moeilijk"
THEMES_ITEM = "sprint_themas"
#: the answers to "what share of the vacancies is hard to fill" that mean at least half
HARD_TO_FILL = ("pct_50_74", "pct_75_100")
BREAKDOWNS = {
    "sector": ("Sector", SECTORS),
    "region": ("Arbeidsmarktregio", REGIONS),
    "size_class": ("Omvang", SIZE_CLASSES),
}
VACANCY_COLUMNS = [
    ("open", "Met openstaande vacatures"),
    ("hard", "Waarvan minstens de helft moeilijk te vervullen"),
]


def profile_section(data: MonitorData, *, k: int) -> dict[str, Any]:
    """Vacancies by sector and region, sprint-theme demand in total and by sector, region and
    size class, for the HR-scans of the monitor's year (``{"available": False}`` without)."""
    frame = data.frames["hr_scan"]
    definition = data.definitions["hr_scan"]
    rows = latest_scans(frame) if not frame.empty else frame
    rows = rows[rows["year"] == data.year] if not rows.empty else rows
    if definition is None or rows.empty:
        return {"available": False}
    units = profile_units(rows, k=k)
    vacancies = vacancy_flags(rows).join(units, how="inner")
    themes = option_flags(rows, definition, THEMES_ITEM).join(units, how="inner")
    theme_options = [
        (key, short_label(label)) for key, label in item_options(definition, THEMES_ITEM)
    ]
    labels = {
        OTHER: "Overige",
        UNKNOWN: "Onbekend",
        **{s: capitalise(s) for s in SECTORS},
        **{s: size_class_nl(s) for s in SIZE_CLASSES},
    }
    vacancy_tables = {
        by: share_table(
            vacancies, by, VACANCY_COLUMNS, k=k, order=(*BREAKDOWNS[by][1], OTHER), labels=labels
        )
        for by in ("sector", "region")
    }
    theme_tables = {
        by: share_table(
            themes, by, theme_options, k=k, order=(*BREAKDOWNS[by][1], OTHER), labels=labels
        )
        for by in BREAKDOWNS
    }
    align_totals(list(vacancy_tables.values()))
    align_totals(list(theme_tables.values()))
    return {
        "available": True,
        "year": data.year,
        "companies": count(len(units)) if len(units) >= k else None,
        "vacancies": {by: without_hidden_columns(t) for by, t in vacancy_tables.items()},
        "themes": {by: without_hidden_columns(t) for by, t in theme_tables.items()},
        "headings": {by: heading for by, (heading, _) in BREAKDOWNS.items()},
    }


def profile_units(rows: pd.DataFrame, *, k: int) -> pd.DataFrame:
    """One row per scan (index ``response_id``): sector, region and size class from the
    register, categories of fewer than ``k`` companies pooled as "overige"."""
    units = rows.drop_duplicates("response_id").set_index("response_id")[list(BREAKDOWNS)]
    for column in BREAKDOWNS:
        units[column] = pool_small(units[column].fillna(UNKNOWN).astype(str), k=k)
    return units


def vacancy_flags(rows: pd.DataFrame) -> pd.DataFrame:
    """Per scan: ``open`` 1 when it reports open vacancies (0 for none), ``hard`` 1 when at
    least half of them is hard to fill (asked only when there are vacancies: NaN otherwise)."""
    answers = rows.pivot_table(
        index="response_id", columns="item_key", values="text", aggfunc="first"
    ).reindex(columns=[OPEN_ITEM, HARD_ITEM])
    number = pd.to_numeric(answers[OPEN_ITEM], errors="coerce")
    flags = pd.DataFrame({"open": (number > 0).astype(float).where(number.notna())})
    hard = answers[HARD_ITEM].isin(HARD_TO_FILL).astype(float)
    flags["hard"] = hard.where(answers[HARD_ITEM].notna() & (number > 0))
    return flags.dropna(subset=["open"])
