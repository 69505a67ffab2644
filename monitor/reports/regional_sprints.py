"""The sprint chapter of the regional monitor: the sprints of the year that went ahead (from the
sprint tables, when there are any) and what the participants said in the sprint evaluation
(goal reached, solution implemented, would recommend: NPS).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.disclosure import protect_table
from analysis.scores import domain_scores
from monitor import charts
from monitor.reports.regional_common import (
    ci_pair,
    count,
    mean_with_ci,
    plain,
    protected_share,
)
from monitor.reports.regional_data import MonitorData
from scans.instrument import item_scoring
from surveys.definition import answer_items, min_answered
from surveys.definition.itemtypes import item_text, leaf_type

GOAL_ITEM = "doel_bereikt"
IMPLEMENTED_ITEM = "oplossing_ingevoerd"
RECOMMEND_ITEM = "aanbevelen"
VALUE_DOMAIN = "sprint_waarde"
AGREE = 4  #: "eens" or "helemaal eens"
#: the statements of the evaluation: its items on the five-point agreement scale
STATEMENT_SCALE = (1, 5)
PROMOTER, DETRACTOR = 9, 6  #: NPS: 9-10 promoters, 0-6 detractors


def sprints_chapter(data: MonitorData, *, k: int) -> tuple[dict[str, Any], dict]:
    """The latest sprints (from the sprint tables) and the latest evaluation up to the monitor's
    year; each says which year it is."""
    held = _held(data, k=k)
    evaluation, chart_out = _evaluation(data, k=k)
    return {"year": data.year, "held": held, "evaluation": evaluation}, chart_out


def _held(data: MonitorData, *, k: int) -> dict[str, Any]:
    sprints = data.sprints
    if sprints.empty or data.sprint_year is None:
        return {"available": False, "year": None}
    themes = (
        sprints.groupby("theme_title", sort=True)
        .agg(sprints=("sprint_id", "count"), places=("members", "sum"))
        .reset_index()
    )
    hidden = protect_table(themes["places"].to_numpy(dtype=float), k=k)
    places_total = int(themes["places"].sum())
    recorded, present = int(sprints["recorded"].sum()), int(sprints["present"].sum())
    # a share shows both its cells: hidden when those present or those absent number fewer than k
    attendance_hidden = recorded == 0 or bool(
        protect_table(np.array([present, recorded - present], dtype=float), k=k).any()
    )
    # the koplopers and the other members are two cells of the places: both at least k, or hidden
    koplopers = int(sprints["koplopers"].sum())
    koplopers_hidden = bool(
        protect_table(np.array([koplopers, places_total - koplopers], dtype=float), k=k).any()
    )
    return {
        "available": True,
        "year": data.sprint_year,
        "sprints": len(sprints),
        "done": int((sprints["status"] == "done").sum()),
        "companies": data.sprint_companies if data.sprint_companies >= k else None,
        "places": None if hidden[-1] else places_total,
        "koplopers": None if koplopers_hidden else koplopers,
        "sessions": int(sprints["sessions"].sum()),
        "attendance": None if attendance_hidden else plain(present / recorded),
        "themes": [
            {
                "title": row.theme_title,
                "sprints": int(row.sprints),
                "places": None if hidden[i] else int(row.places),
            }
            for i, row in enumerate(themes.itertuples())
        ],
    }


def _evaluation(data: MonitorData, *, k: int) -> tuple[dict[str, Any], dict]:
    latest = data.latest_survey("sprint_evaluatie")
    if latest is None:
        return {"available": False}, {}
    frame, definition, survey_year = latest
    respondents = frame["response_id"].nunique()
    if respondents < k:
        return {"available": True, "year": survey_year, "respondents": None, "hidden": True}, {}
    values = frame.pivot_table(
        index="response_id", columns="item_key", values="value", aggfunc="first"
    )
    texts = frame.pivot_table(
        index="response_id", columns="item_key", values="text", aggfunc="first"
    )
    goal = values.get(GOAL_ITEM, pd.Series(dtype=float))
    agree = (goal >= AGREE).astype(float).where(goal.notna())
    implemented = texts.get(IMPLEMENTED_ITEM, pd.Series(dtype=object))
    yes_no = implemented.map({"ja": 1.0, "nee": 0.0})
    scores = domain_scores(
        frame, items=item_scoring(definition), min_answered=min_answered(definition)
    )
    value = scores.wide().get(VALUE_DOMAIN, pd.Series(dtype=float))
    statements = [
        {
            "key": leaf["key"],
            "text": item_text(leaf, "nl"),
            "label": STATEMENT_LABELS.get(leaf["key"]) or _short_statement(item_text(leaf, "nl")),
            **_renamed(mean_with_ci(values.get(leaf["key"], pd.Series(dtype=float)), k=k)),
        }
        for leaf in answer_items(definition)
        if leaf_type(leaf).scale_range(leaf) == STATEMENT_SCALE
    ]
    evaluation = {
        "available": True,
        "hidden": False,
        "year": survey_year,
        "respondents": respondents,
        "goal": protected_share(agree, k=k),
        "goal_mean": mean_with_ci(goal, k=k),
        "value": mean_with_ci(value, k=k),
        "implemented": protected_share(yes_no, k=k),
        "nps": _nps(values.get(RECOMMEND_ITEM, pd.Series(dtype=float)), k=k),
        "statements": statements,
    }
    chart_out = {}
    if any(s["value"] is not None for s in statements):
        chart = charts.grouped_means(
            [s["label"] for s in statements],
            {"Gemiddelde": [s["value"] for s in statements]},
            ci={"Gemiddelde": [ci_pair(s) for s in statements]},
            title=f"Oordeel van deelnemers over de sprints, {survey_year} (schaal 1–5)",
            scale=(1, 5),
        )
        chart_out["sprint_statements"] = chart.to_dict()
    return evaluation, chart_out


def _renamed(figure: dict[str, Any]) -> dict[str, Any]:
    return {
        "value": figure["value"],
        "ci_low": figure["ci_low"],
        "ci_high": figure["ci_high"],
        "n": figure["n"],
    }


STATEMENT_LABELS = {
    "doel_bereikt": "Doel van de organisatie bereikt",
    "niet_praten_doen": "Nadruk op doen, niet praten",
    "focus_doel": "Gericht op één concreet doel",
    "waarde_andere_bedrijven": "Inbreng andere bedrijven waardevol",
    "eigenaarschap": "Zelf de regie genomen",
}


def _short_statement(text: str) -> str:
    """A chart label for a statement: the first words, cut at a word boundary."""
    words = text.rstrip(".").split()
    label = ""
    for word in words:
        if len(label) + len(word) + 1 > 34:
            return label + " …"
        label = f"{label} {word}".strip()
    return label


def _nps(scores: pd.Series, *, k: int) -> dict[str, Any]:
    """The net promoter score (% promoters minus % detractors) with its three groups; hidden
    when any group has fewer than ``k`` respondents (with the total it would disclose them)."""
    numbers = pd.to_numeric(scores, errors="coerce").dropna()
    n = len(numbers)
    cells = np.array(
        [
            (numbers >= PROMOTER).sum(),
            ((numbers > DETRACTOR) & (numbers < PROMOTER)).sum(),
            (numbers <= DETRACTOR).sum(),
        ],
        dtype=float,
    )
    if n < k or protect_table(cells, k=k).any():
        return {
            "score": None,
            "promoters": None,
            "passives": None,
            "detractors": None,
            "n": count(n) if n >= k else None,
            "mean": plain(numbers.mean()) if n >= k else None,
        }
    return {
        "score": plain(100 * (cells[0] - cells[2]) / n, 1),
        "promoters": plain(cells[0] / n),
        "passives": plain(cells[1] / n),
        "detractors": plain(cells[2] / n),
        "n": n,
        "mean": plain(numbers.mean()),
    }
