"""Conditions (show_if): every operator, all/any nesting, and the safe evaluator's semantics."""

import pytest

from surveys.definition import condition_answers, evaluate
from surveys.definition.conditions import ConditionError, check, references
from tests.surveys.test_definition_example import example_definition

ANSWERS = {
    "sector": "zorg",
    "medewerkers": "120",
    "aandeel": "3.5",
    "doel_bereikt": "weet_niet",
    "eigenaarschap": "6",
    "thema": ["werving", "anders"],
    "leeg": "",
    "niets": [],
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"item": "sector", "op": "equals", "value": "zorg"}, True),
        ({"item": "sector", "op": "equals", "value": "ict"}, False),
        ({"item": "medewerkers", "op": "equals", "value": 120}, True),
        ({"item": "medewerkers", "op": "equals", "value": "120.0"}, True),
        ({"item": "thema", "op": "equals", "value": "werving"}, True),
        ({"item": "thema", "op": "equals", "value": "behoud"}, False),
        ({"item": "onbeantwoord", "op": "equals", "value": "zorg"}, False),
        ({"item": "sector", "op": "not_equals", "value": "ict"}, True),
        ({"item": "sector", "op": "not_equals", "value": "zorg"}, False),
        ({"item": "thema", "op": "not_equals", "value": "werving"}, False),
        ({"item": "onbeantwoord", "op": "not_equals", "value": "zorg"}, True),
        ({"item": "sector", "op": "in", "value": ["ict", "zorg"]}, True),
        ({"item": "sector", "op": "in", "value": ["ict", "bouw"]}, False),
        ({"item": "thema", "op": "in", "value": ["behoud", "anders"]}, True),
        ({"item": "thema", "op": "in", "value": ["behoud", "leercultuur"]}, False),
        ({"item": "eigenaarschap", "op": "in", "value": [5, 6, 7]}, True),
        ({"item": "onbeantwoord", "op": "in", "value": ["zorg"]}, False),
        ({"item": "medewerkers", "op": "gt", "value": 100}, True),
        ({"item": "medewerkers", "op": "gt", "value": 120}, False),
        ({"item": "medewerkers", "op": "gte", "value": 120}, True),
        ({"item": "medewerkers", "op": "gte", "value": 121}, False),
        ({"item": "aandeel", "op": "lt", "value": 4}, True),
        ({"item": "aandeel", "op": "lt", "value": 3.5}, False),
        ({"item": "aandeel", "op": "lte", "value": 3.5}, True),
        ({"item": "aandeel", "op": "lte", "value": 3}, False),
        ({"item": "doel_bereikt", "op": "lt", "value": 3}, False),
        ({"item": "doel_bereikt", "op": "gte", "value": 3}, False),
        ({"item": "sector", "op": "gt", "value": 0}, False),
        ({"item": "onbeantwoord", "op": "lt", "value": 100}, False),
        ({"item": "sector", "op": "answered"}, True),
        ({"item": "doel_bereikt", "op": "answered"}, True),
        ({"item": "thema", "op": "answered"}, True),
        ({"item": "leeg", "op": "answered"}, False),
        ({"item": "niets", "op": "answered"}, False),
        ({"item": "onbeantwoord", "op": "answered"}, False),
    ],
)
def test_each_operator_compares_the_answer_with_the_value(condition, expected):
    assert evaluate(condition, ANSWERS) is expected


def test_no_condition_always_holds():
    assert evaluate(None, {}) is True


def test_all_holds_when_every_member_holds():
    both = {"all": [{"item": "sector", "op": "equals", "value": "zorg"}]}
    both["all"].append({"item": "medewerkers", "op": "gt", "value": 100})
    one_fails = {"all": [*both["all"], {"item": "medewerkers", "op": "gt", "value": 500}]}

    assert evaluate(both, ANSWERS) is True
    assert evaluate(one_fails, ANSWERS) is False


def test_any_holds_when_at_least_one_member_holds():
    one = {
        "any": [
            {"item": "sector", "op": "equals", "value": "ict"},
            {"item": "medewerkers", "op": "gt", "value": 100},
        ]
    }
    none = {"any": [{"item": "sector", "op": "equals", "value": "ict"}]}

    assert evaluate(one, ANSWERS) is True
    assert evaluate(none, ANSWERS) is False


def test_all_and_any_nest():
    condition = {
        "any": [
            {"item": "sector", "op": "equals", "value": "ict"},
            {
                "all": [
                    {"item": "thema", "op": "in", "value": ["werving"]},
                    {"any": [{"item": "aandeel", "op": "gt", "value": 3}]},
                ]
            },
        ]
    }

    assert evaluate(condition, ANSWERS) is True
    assert evaluate(condition, {**ANSWERS, "aandeel": "2"}) is False


def test_evaluation_is_data_driven_and_never_runs_code():
    sneaky = {"item": "__import__('os').system('false')", "op": "equals", "value": "x"}

    assert evaluate(sneaky, ANSWERS) is False


@pytest.mark.parametrize(
    "malformed",
    [
        {"item": "sector", "op": "like", "value": "z"},
        {"op": "equals", "value": "z"},
        {"all": []},
        {"any": "sector"},
        {"item": "sector", "op": "in", "value": "zorg"},
        "sector == 'zorg'",
    ],
)
def test_malformed_conditions_raise_condition_error(malformed):
    with pytest.raises(ConditionError):
        evaluate(malformed, ANSWERS)


def test_check_reports_structural_problems_with_paths():
    problems = check({"all": [{"item": "x", "op": "gt", "value": "veel"}, {"op": "in"}]}, "show_if")

    assert problems == [
        ("show_if.all[0].value", "'gt' needs a number, got the text 'veel'"),
        ("show_if.all[1]", "missing field 'item'"),
        ("show_if.all[1]", "missing field 'value' (operator 'in')"),
    ]


def test_a_combinator_with_other_fields_is_reported():
    problems = check({"all": [{"item": "x", "op": "answered"}], "item": "y"}, "show_if")

    assert problems == [("show_if", "'all' must stand alone; remove item")]


def test_references_lists_every_item_a_condition_looks_at():
    condition = {
        "any": [
            {"item": "a", "op": "answered"},
            {"all": [{"item": "b", "op": "equals", "value": 1}, {"item": "c", "op": "answered"}]},
        ]
    }

    assert list(references(condition)) == ["a", "b", "c"]


def test_stored_answers_are_decoded_for_conditions_by_item_type():
    stored = {"thema": '["werving", "anders"]', "sector": "zorg", "onbekend": "x"}

    answers = condition_answers(example_definition(), stored)

    assert answers == {"thema": ["werving", "anders"], "sector": "zorg", "onbekend": "x"}
    assert evaluate({"item": "thema", "op": "equals", "value": "anders"}, answers) is True
