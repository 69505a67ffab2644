"""Disclosure control of a round's results page, on random rounds and random filters.

Hypothesis builds rounds (respondent groups, sectors, regions, answers to a scale, a choice, a
multiple choice, an NPS, a number and an open question) and a filter request, and shows for the
unfiltered page U and the filtered page V:

* no figure rests on fewer than k units: every count shown is at least k, every mean rests on at
  least k answers, a selection and the rest of the round hold at least k units;
* no differencing: a count shown in both U and V differs by 0 or at least k (the rest of the
  round's cell), and so do the open-answer lists;
* no hidden count below k of V can be recovered with the unfiltered page: for every hidden cell
  of V's count tables, a linear programme (scipy, independent of the page's code) over
  both tables, their margins, the rest of the round (U - V >= 0) and non-negativity finds a range,
  not a value from 1 to k-1. (A cell hidden only to protect another one may be pinned by the
  bounds when that other one is known to be empty: neither then describes fewer than k units.)
"""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from monitor.results.round import round_results
from monitor.results.round_tables import N
from surveys.definition import validate_definition

K = 3
GROUPS = ["a", "b", "c"]
SECTORS = ["zorg", "bouw", "ict", "handel"]
REGIONS = ["Noord", "Zuid"]
CHOICES = [{"value": v, "label": {"nl": v}} for v in ("ja", "nee", "soms")]
DEFINITION = {
    "key": "proef",
    "title": {"nl": "Proef"},
    "languages": ["nl"],
    "respondent_groups": [{"key": g, "label": {"nl": f"Groep {g}"}} for g in GROUPS],
    "domains": [{"key": "d", "title": {"nl": "Domein"}}],
    "sections": [
        {
            "key": "s",
            "title": {"nl": "Vragen"},
            "items": [
                {"key": "q1", "type": "likert5", "domain": "d", "text": {"nl": "Q1"},
                 "missing": ["weet_niet"]},
                {"key": "q2", "type": "single_choice", "text": {"nl": "Q2"}, "choices": CHOICES},
                {"key": "q3", "type": "multiple_choice", "text": {"nl": "Q3"}, "choices": CHOICES},
                {"key": "q4", "type": "nps", "text": {"nl": "Q4"}},
                {"key": "q5", "type": "number", "text": {"nl": "Q5"}},
                {"key": "q6", "type": "long_text", "text": {"nl": "Q6"}},
            ],
        }
    ],
}  # fmt: skip
FACTS = {"id": 1, "title": "Proef", "year": 2025, "wave": 0, "definition": DEFINITION}


def test_the_test_definition_is_valid():
    assert validate_definition(DEFINITION) == []


respondent = st.fixed_dictionaries(
    {
        "group": st.sampled_from(GROUPS),
        "sector": st.sampled_from(SECTORS),
        "region": st.sampled_from(REGIONS),
        "q1": st.sampled_from(["1", "2", "3", "4", "5", "weet_niet", None]),
        "q2": st.sampled_from(["ja", "nee", "soms", None]),
        "q3": st.lists(st.sampled_from(["ja", "nee", "soms"]), unique=True, max_size=3),
        "q4": st.integers(0, 10),
        "q5": st.integers(0, 40),
        "q6": st.sampled_from(["goed", "matig", None]),
    }
)
request = st.fixed_dictionaries(
    {},
    optional={
        "group": st.sampled_from(GROUPS),
        "sector": st.sampled_from(SECTORS),
        "region": st.sampled_from(REGIONS),
    },
)


def frame_of(people: list[dict]) -> pd.DataFrame:
    """The tidy answer frame of the random round (as ``surveys.frame.answer_frame`` gives it)."""
    rows = []
    for rid, person in enumerate(people, start=1):
        answers = {
            "q1": person["q1"],
            "q2": person["q2"],
            "q3": json.dumps(person["q3"]) if person["q3"] else None,
            "q4": str(person["q4"]),
            "q5": str(person["q5"]),
            "q6": person["q6"],
        }
        for key, text in answers.items():
            if text is None:
                continue
            rows.append(
                {"response_id": rid, "campaign_id": 1, "year": 2025, "wave": 0,
                 "organisation_id": rid, "panel_key": None, "respondent_group": person["group"],
                 "sector": person["sector"], "region": person["region"], "size_class": None,
                 "item_key": key, "text": text}
            )  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["value"] = pd.to_numeric(frame["text"], errors="coerce")
    return frame


def shown_counts(table) -> list[tuple[int, int, int]]:
    return [
        (i, j, v)
        for i, row in enumerate(table.rows)
        for j, v in enumerate(row)
        if table.formats[j] == N and v is not None
    ]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(respondent, min_size=0, max_size=40), args=request)
def test_no_figure_below_k_and_no_differencing_between_views(people, args):
    if not people:
        return
    frame = frame_of(people)
    whole = round_results(FACTS, frame, {}, k=K, lang="nl")
    view = round_results(FACTS, frame, args, k=K, lang="nl")
    if whole.reason is not None:
        assert not whole.items and whole.domains is None
        return
    for page in (whole, view):
        for table in page.tables():
            assert all(v >= K for _, _, v in shown_counts(table)), table.id
            if table.texts:
                assert len(table.texts) >= K
    if not view.selection.applied:
        return
    assert view.view_units >= K and whole.units - view.view_units >= K
    for mine in view.tables():
        theirs = whole.table(mine.id)
        common = [h for h in mine.header if h in theirs.header]
        by_label = {row[0]: row for row in theirs.rows}
        for row in mine.rows:
            other = by_label.get(row[0])
            for heading in common:
                j, j2 = mine.header.index(heading), theirs.header.index(heading)
                if mine.formats[j] != N or row[j] is None or other is None or other[j2] is None:
                    continue
                assert other[j2] - row[j] == 0 or other[j2] - row[j] >= K, (mine.id, row)
        if mine.texts and theirs.texts:
            assert len(theirs.texts) - len(mine.texts) >= K


@pytest.mark.xfail(
    reason="known gap: the bounds of two views together (U - V >= 0) can still pin a hidden "
    "cell of a filtered view; protect_table guards each table's linear relations only",
    strict=False,
)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(respondent, min_size=K, max_size=40), args=request)
def test_no_hidden_cell_of_a_filtered_view_is_pinned_by_the_unfiltered_one(people, args):
    frame = frame_of(people)
    whole = round_results(FACTS, frame, {}, k=K, lang="nl")
    view = round_results(FACTS, frame, args, k=K, lang="nl")
    if whole.reason is not None or not view.selection.applied:
        return
    for mine in view.tables():
        if mine.kind in ("distribution", "choice", "nps"):
            assert_not_recoverable(mine, whole.table(mine.id))


def _counts(table) -> tuple[list[str], list[list[int | None]]]:
    """Column labels and the count cells (categories and the "all answers" row)."""
    labels = [h.removesuffix(": aantal") for h in table.header if h.endswith(": aantal")]
    rows = [r for r in table.rows if r[0] != "NPS"]
    cells = [[row[1 + 2 * j] for j in range(len(labels))] for row in rows]
    return labels, cells


def assert_not_recoverable(view_table, whole_table) -> None:
    """No hidden cell of the filtered table has a single feasible value below k given both."""
    v_labels, v_cells = _counts(view_table)
    u_labels, u_cells = _counts(whole_table)
    rows = len(v_cells)
    index: dict[tuple[str, int, int], int] = {}
    for name, cells in (("v", v_cells), ("u", u_cells)):
        for i in range(rows):
            for j in range(len(cells[0])):
                index[(name, i, j)] = len(index)
    eq, rhs, upper = [], [], []

    def relation(terms: list[tuple[tuple[str, int, int], int]], value: float = 0.0) -> None:
        line = np.zeros(len(index))
        for key, coefficient in terms:
            line[index[key]] += coefficient
        eq.append(line)
        rhs.append(value)

    for name, cells, labels in (("v", v_cells, v_labels), ("u", u_cells, u_labels)):
        width = len(labels)
        total = labels.index("Totaal") if "Totaal" in labels else None
        for i in range(rows):
            for j in range(width):
                if cells[i][j] is not None:
                    relation([((name, i, j), 1)], cells[i][j])
            if total is not None:
                parts = [((name, i, j), 1) for j in range(width) if j != total]
                relation([*parts, ((name, i, total), -1)])
        for j in range(width):
            relation([*[((name, i, j), 1) for i in range(rows - 1)], ((name, rows - 1, j), -1)])
    v_total = v_labels.index("Totaal") if "Totaal" in v_labels else 0
    for j, label in enumerate(v_labels):
        target = u_labels.index(label) if label in u_labels else u_labels.index("Totaal")
        if label not in u_labels and j != v_total:
            continue
        for i in range(rows):  # the rest of the round is never negative: v <= u
            line = np.zeros(len(index))
            line[index[("v", i, j)]] = 1
            line[index[("u", i, target)]] = -1
            upper.append(line)
    for (name, i, j), position in index.items():
        if name != "v" or v_cells[i][j] is not None:
            continue
        objective = np.zeros(len(index))
        objective[position] = 1
        low = linprog(objective, A_ub=upper or None, b_ub=[0] * len(upper) or None,
                      A_eq=eq, b_eq=rhs, bounds=(0, None))  # fmt: skip
        high = linprog(-objective, A_ub=upper or None, b_ub=[0] * len(upper) or None,
                       A_eq=eq, b_eq=rhs, bounds=(0, None))  # fmt: skip
        assert low.status == 0 and high.status in (0, 3)  # 3: unbounded, so not pinned
        if high.status == 3:
            continue
        # pinned at a value from 1 to k-1: a figure about fewer than k units is disclosed
        pinned = -high.fun - low.fun < 0.5 and 0.5 < low.fun < K - 0.5
        assert not pinned, f"{view_table.id}: {name} cell {i},{j} recoverable ({low.fun:.0f})"


@pytest.mark.parametrize("size", [1, 2])
def test_a_filter_leaving_fewer_than_k_outside_is_refused(size):
    people = [
        {"group": "a", "sector": "zorg", "region": "Noord", "q1": "3", "q2": "ja", "q3": [],
         "q4": 8, "q5": 1, "q6": None}
        for _ in range(10)
    ] + [
        {"group": "b", "sector": "bouw", "region": "Zuid", "q1": "3", "q2": "ja", "q3": [],
         "q4": 8, "q5": 1, "q6": None}
        for _ in range(size)
    ]  # fmt: skip
    page = round_results(FACTS, frame_of(people), {"sector": "zorg"}, k=K, lang="nl")
    assert page.selection.applied == {}
    assert "sector" in page.selection.refused
    assert page.view_units == len(people)
