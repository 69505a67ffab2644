"""The complete example in docs/instruments.md is a valid definition; other tests build on it."""

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

from surveys.definition import REGISTRY, answer_items, load_definition_text
from surveys.definition.structure import iter_items

DOCS = Path(__file__).resolve().parents[2] / "docs" / "instruments.md"


@cache
def example_yaml() -> str:
    """The YAML of the complete example in docs/instruments.md."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## A complete example", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match, "docs/instruments.md lost its complete example"
    return match.group(1)


@cache
def _example() -> dict[str, Any]:
    return load_definition_text(example_yaml(), "sprint_evaluatie.yaml")


def example_definition() -> dict[str, Any]:
    """A fresh copy of the documented example definition (safe to change in a test)."""
    return copy.deepcopy(_example())


def find_item(definition: dict[str, Any], key: str) -> dict[str, Any]:
    """The item (not a matrix row) with `key`, to change it in a test."""
    for _, _, item in iter_items(definition):
        if item["key"] == key:
            return item
    raise KeyError(key)


def test_the_documented_example_is_a_valid_definition():
    definition = example_definition()

    assert definition["key"] == "sprint_evaluatie"
    assert [s["key"] for s in definition["sections"]] == ["organisatie", "sprint", "afsluiting"]


def test_the_documented_example_uses_every_item_type():
    used = {item["type"] for _, _, item in iter_items(example_definition())}

    assert used == set(REGISTRY)


def test_matrix_rows_of_the_example_are_answer_items_of_their_own():
    keys = [leaf["key"] for leaf in answer_items(example_definition())]

    assert "werkwijze" not in keys
    assert keys[keys.index("doel_bereikt") + 1 : keys.index("eigenaarschap")] == [
        "niet_praten_maar_doen",
        "focus_doel",
        "tijd_verspild",
    ]
