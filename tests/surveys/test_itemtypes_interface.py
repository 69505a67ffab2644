"""The item-type interface: every registered type answers every question callers may ask, the
answers are pinned per type, what a type stores never exceeds its stated longest value, and no
code outside the item-type package asks which type an item has."""

import functools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.definition import load_definition, page_values
from surveys.definition.itemtypes import (
    MISSING_CODES,
    REGISTRY,
    SUMMARY_LABELS,
    VALUE_KINDS,
    ItemType,
)
from surveys.definition.itemtypes.registry import TYPES
from surveys.exports.columns import COLUMNS_BY_VALUE_KIND

T = {"nl": "Vraag", "en": "Question"}
CHOICES = [{"value": "a", "label": {"nl": "A", "en": "A"}}, {"value": "b", "label": T}]
#: one item of every registered type, as an instrument would define it
EXAMPLES = {
    "likert5": {"type": "likert5", "domain": "d"},
    "likert7": {"type": "likert7", "missing": ["weet_niet", "nvt"]},
    "maturity": {"type": "maturity", "domain": "d", "reverse": True},
    "nps": {"type": "nps"},
    "single_choice": {"type": "single_choice", "choices": CHOICES, "other": True},
    "multiple_choice": {"type": "multiple_choice", "choices": CHOICES, "max_choices": 2},
    "yes_no": {"type": "yes_no"},
    "number": {"type": "number", "min": 0, "integer": False},
    "short_text": {"type": "short_text", "max_length": 20},
    "long_text": {"type": "long_text"},
    "note": {"type": "note"},
    "matrix": {
        "type": "matrix",
        "scale": "maturity",
        "rows": [{"key": "r1", "text": T, "domain": "d"}, {"key": "r2", "text": T}],
    },
}
PINNED = {  # name: (stores, composite, summary_kind, scale_range)
    "likert5": ("scale", False, "distribution", (1, 5)),
    "likert7": ("scale", False, "distribution", (1, 7)),
    "maturity": ("scale", False, "distribution", (0, 4)),
    "nps": ("scale", False, "nps", (0, 10)),
    "single_choice": ("option", False, "choice", None),
    "multiple_choice": ("options", False, "multi_choice", None),
    "yes_no": ("option", False, "yes_no", None),
    "number": ("number", False, "number", None),
    "short_text": ("text", False, "text", None),
    "long_text": ("text", False, "text", None),
    "note": ("nothing", False, "none", None),
    "matrix": ("nothing", True, "matrix", (0, 4)),
}


@functools.cache
def _loaded(name: str) -> dict:
    return _definition(EXAMPLES[name])


def _definition(item: dict) -> dict:
    uses_domain = "'d'" in repr(item)
    return load_definition(
        {
            "key": "test",
            "title": T,
            "languages": ["nl", "en"],
            "respondent_groups": [{"key": "iedereen", "label": T}],
            "domains": [{"key": "d", "title": T}] if uses_domain else [],
            "sections": [{"key": "p", "title": T, "items": [{"key": "v", "text": T, **item}]}],
        }
    )


def _item(name: str) -> dict:
    return _loaded(name)["sections"][0]["items"][0]


def test_the_examples_and_pins_cover_every_registered_type_in_the_registration_list():
    assert list(REGISTRY) == [cls.name for cls in TYPES] == list(EXAMPLES) == list(PINNED)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_type_answers_every_interface_question(name):
    kind, item = REGISTRY[name], _item(name)
    stores, composite, summary_kind, scale_range = PINNED[name]
    assert (kind.stores, kind.composite, kind.summary_kind) == (stores, composite, summary_kind)
    assert kind.scale_range(item) == scale_range
    assert kind.stores in VALUE_KINDS and kind.summary_kind in SUMMARY_LABELS
    nl, en = kind.summary_label("nl"), kind.summary_label("en")
    assert nl and en and kind.summary_label("fr") == nl
    assert isinstance(kind.describe(item), str) and kind.describe(item)
    options = kind.options(item, "nl")
    assert all(isinstance(v, str) and isinstance(label, str) for v, label in options)
    assert set(kind.missing_codes(item)) <= set(MISSING_CODES)
    assert [v for v, _ in kind.all_options(item, "en")] == kind.allowed_values(item)
    assert [v for v, _ in kind.option_codes(item)] == [v for v, _ in options]
    assert all(isinstance(code, int) for _, code in kind.option_codes(item))
    assert kind.longest_value(item) >= max(map(len, kind.allowed_values(item)), default=0)
    assert isinstance(kind.scoring(item), list) and isinstance(kind.signature(item), tuple)
    assert kind.summarise(item, []) == [] or all(s.n == 0 for s in kind.summarise(item, []))
    assert kind.answerable == bool(kind.stored_keys(item))
    assert kind.composite == (kind.leaves(item) not in ([], [item]))


def test_the_interface_answers_what_the_callers_used_to_ask_by_type():
    assert REGISTRY["single_choice"].describe(_item("single_choice")) == (
        "single_choice [a, b, anders]"
    )
    assert REGISTRY["number"].describe(_item("number")) == "number (decimal)"
    assert REGISTRY["short_text"].describe(_item("short_text")) == "text"
    assert REGISTRY["likert5"].describe(_item("likert5")) == "likert5"
    assert REGISTRY["yes_no"].option_codes(_item("yes_no")) == (("ja", 1), ("nee", 0))
    assert REGISTRY["likert7"].missing_codes(_item("likert7")) == ["weet_niet", "nvt"]
    assert REGISTRY["maturity"].missing_codes(_item("maturity")) == ["nvt"]
    assert REGISTRY["matrix"].missing_codes(_item("matrix")) == ["nvt"]
    assert REGISTRY["likert5"].summary_label("nl") == "Verdeling over de schaal"
    assert REGISTRY["short_text"].longest_value(_item("short_text")) == 20
    assert REGISTRY["long_text"].longest_value(_item("long_text")) == 5000
    assert REGISTRY["number"].longest_value(_item("number")) == 23


def test_a_type_that_overrides_nothing_still_answers_the_interface():
    class Bare(ItemType):
        name = "bare"

    bare, item = Bare(), {"key": "b", "type": "bare", "text": T}
    assert (bare.stores, bare.composite, bare.summary_kind) == ("text", False, "text")
    assert bare.options(item, "nl") == [] and bare.option_codes(item) == ()
    assert bare.scale_range(item) is None and bare.longest_value(item) == 5000
    assert bare.describe(item) == "bare" and bare.summary_label("en") == "Open answers"


def test_every_kind_of_stored_value_has_its_export_columns():
    assert set(COLUMNS_BY_VALUE_KIND) == set(VALUE_KINDS)


HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["1e-999999", "9" * 400, "0," + "0" * 300 + "1", "x" * 6000, " " * 9000]),
)


@pytest.mark.parametrize("name", [n for n in REGISTRY if REGISTRY[n].answerable])
@settings(max_examples=25, deadline=None)
@given(raw=HOSTILE, many=st.lists(HOSTILE, max_size=4))
def test_nothing_longer_than_its_longest_value_gets_through_a_types_form(name, raw, many):
    definition, item = _loaded(name), _item(name)
    kind = REGISTRY[name]
    keys = kind.stored_keys(item)
    data = {key: (many if kind.stores == "options" else raw) for key in keys}
    result = page_values(definition, 0, data)
    for value in result.values.values():
        assert value is None or len(value) <= kind.longest_value(item)


PACKAGE = Path(__file__).parents[2]
TYPE_CLASSES = {cls.__name__ for cls in TYPES} | {
    base.__name__ for cls in TYPES for base in cls.__mro__ if issubclass(base, ItemType)
}
TYPE_NAMES = "|".join(REGISTRY)


def test_no_code_outside_the_item_type_package_asks_which_type_an_item_has():
    isinstance_check = re.compile(rf"isinstance\([^)]*\b({'|'.join(TYPE_CLASSES)})\b")
    name_check = re.compile(
        rf"""(type|name)\W{{0,4}}\s*(==|!=|in|not in)\s*[({{\[]?\s*["']({TYPE_NAMES})["']"""
    )
    offenders = []
    for folder in ("monitor", "scans", "surveys", "analysis", "templates"):
        for path in (PACKAGE / folder).rglob("*"):
            if path.suffix not in (".py", ".html") or "itemtypes" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if isinstance_check.search(line) or name_check.search(line):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []
