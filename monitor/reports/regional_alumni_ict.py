"""Alumni wishes and the ICT section of the regional monitor.

- **Skills to upgrade** (AI, cybersecurity, data, cloud, ...; 004:2719-2727, the alumni
  question ``vaardigheden_bijscholen``) and **interest in the alumni community** with the
  activities and information wanted ("gerichte informatie ... zoals vacatures en sectortrends",
  004:2956-2960; ``interesse_community``, ``activiteiten_informatie``): the share of alumni
  choosing each, for ICT graduates, the other fields and all alumni.
- **ICT section** (the HCA-ICT dashboards look at ICT employers and ICT graduates, 004:2851-2889):
  the ICT companies' vacancies and sprint-theme demand next to all scanned companies (taken from
  the HR-scan profile), and where ICT alumni work and whether they want to stay in Limburg.

Field is ICT or not (two categories and the total), so every share passes the two-way table of
``regional_shares``; an ICT figure is also hidden when the total next to it is, since the alumni
chapter prints that total and the other fields' figure would follow from the two.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.crosstab import TOTAL
from monitor.reports.regional_alumni import AGREE, LIMBURG, STAY_ITEM, WORKING
from monitor.reports.regional_data import MonitorData
from monitor.reports.regional_shares import (
    item_options,
    option_flags,
    share_table,
    without_hidden_columns,
)

FIELD_ITEM = "studierichting"
SKILLS_ITEM = "vaardigheden_bijscholen"
COMMUNITY_ITEM = "interesse_community"
ACTIVITIES_ITEM = "activiteiten_informatie"
ICT, OTHER_FIELDS = "ict", "andere_richtingen"
ICT_SECTOR = "ICT"
FIELD_LABELS = {ICT: "ICT", OTHER_FIELDS: "Andere richtingen"}
PLACE_COLUMNS = [
    ("limburg", "Werkt in Limburg (werkende alumni)"),
    ("stay", "Wil de komende jaren in Limburg werken"),
]


def alumni_wishes(data: MonitorData, *, k: int) -> dict[str, Any]:
    """Skills, community interest and wanted activities, per field (ICT or other) and in total."""
    latest = data.latest_survey("alumni")
    if latest is None:
        return {}
    frame, definition, _year = latest
    field = fields(frame)

    def table(key: str) -> dict[str, Any]:
        flags = option_flags(frame, definition, key)
        flags["field"] = field.reindex(flags.index)
        options = item_options(definition, key)
        if key == COMMUNITY_ITEM:
            options = [(value, "Interesse in de alumnicommunity") for value, _ in options[:1]]
        table = share_table(
            flags, "field", options, k=k, order=(ICT, OTHER_FIELDS), labels=FIELD_LABELS
        )
        return without_hidden_columns(table)

    return {
        "skills": table(SKILLS_ITEM),
        "community": table(COMMUNITY_ITEM),
        "activities": table(ACTIVITIES_ITEM),
    }


def ict_section(data: MonitorData, profile: dict[str, Any], *, k: int) -> dict[str, Any]:
    """ICT employers (from the HR-scan profile) and ICT alumni (where they work, staying)."""
    employers: dict[str, Any] = {"available": bool(profile.get("available"))}
    if employers["available"]:
        for name, tables in (("vacancies", profile["vacancies"]), ("themes", profile["themes"])):
            sector = tables["sector"]
            rows = [r for r in sector["rows"] if r["key"] in (ICT_SECTOR, TOTAL)]
            employers[name] = without_hidden_columns(
                {"columns": sector["columns"], "rows": _ict_rows(rows, ICT_SECTOR)}
            )
        employers["named"] = any(
            r["key"] == ICT_SECTOR for r in profile["vacancies"]["sector"]["rows"]
        )
    latest = data.latest_survey("alumni")
    graduates: dict[str, Any] = {"available": latest is not None}
    if latest is not None:
        frame, _definition, survey_year = latest
        flags = place_flags(frame)
        flags["field"] = fields(frame).reindex(flags.index)
        table = share_table(
            flags, "field", PLACE_COLUMNS, k=k, order=(ICT, OTHER_FIELDS), labels=FIELD_LABELS
        )
        graduates.update(
            {
                "year": survey_year,
                "columns": table["columns"],
                "rows": _ict_rows(table["rows"], ICT),
            }
        )
    return {"employers": employers, "alumni": graduates}


def fields(frame: pd.DataFrame) -> pd.Series:
    """Per response: "ict" for ICT graduates, otherwise (also when not answered) the others."""
    people = frame.drop_duplicates("response_id").set_index("response_id").index
    field = frame[frame["item_key"] == FIELD_ITEM].drop_duplicates("response_id")
    field = field.set_index("response_id")["text"].reindex(people)
    return field.map(lambda v: ICT if v == ICT else OTHER_FIELDS)


def place_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Per response: ``limburg`` 1/0 for working alumni who said where they work (NaN for the
    others), ``stay`` 1 for (helemaal) eens that they want to work in Limburg (NaN: no answer)."""
    answers = frame.pivot_table(
        index="response_id", columns="item_key", values="text", aggfunc="first"
    ).reindex(columns=["status", "werklocatie"])
    values = frame.pivot_table(
        index="response_id", columns="item_key", values="value", aggfunc="first"
    )
    placed = (answers["status"] == WORKING) & answers["werklocatie"].notna()
    stay = pd.to_numeric(values.get(STAY_ITEM), errors="coerce").reindex(answers.index)
    return pd.DataFrame(
        {
            "limburg": (answers["werklocatie"] == LIMBURG).astype(float).where(placed),
            "stay": (stay >= AGREE).astype(float).where(stay.notna()),
        }
    )


def _ict_rows(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The ICT row and the total row; an ICT share is hidden where the total beside it is."""
    total = next((r for r in rows if r["key"] == TOTAL), None)
    out = []
    for row in rows:
        if row["key"] == key and total is not None:
            cells = [
                c if t is not None else None
                for c, t in zip(row["cells"], total["cells"], strict=True)
            ]
            row = {**row, "cells": cells}
        if row["key"] in (key, TOTAL):
            out.append(row)
    return out
