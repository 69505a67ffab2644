"""What the analysis package needs from a definition: scoring specs and numeric values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from surveys.definition.itemtypes import REGISTRY, ItemSummary, ScoredItem, value_to_float
from surveys.definition.structure import Definition, iter_items

#: Share of a domain's items that must be answered to score it, when the definition does not say.
DEFAULT_MIN_ANSWERED = 0.5


def scoring_spec(definition: Definition) -> list[ScoredItem]:
    """Every scored item (matrix rows included) with its domain, scale bounds and reverse flag,
    in questionnaire order."""
    return [
        scored
        for _, _, item in iter_items(definition)
        for scored in REGISTRY[item["type"]].scoring(item)
    ]


def min_answered(definition: Definition) -> float:
    """The share of a domain's items that must be answered for a domain score."""
    value = definition.get("min_answered", DEFAULT_MIN_ANSWERED)
    return float(value)


def summarise(definition: Definition, responses: Sequence[Mapping[str, str]]) -> list[ItemSummary]:
    """Summaries of every answerable item (matrix rows apart) over many responses' stored answers
    (one mapping item_key -> value per response), in questionnaire order."""
    return [
        summary
        for _, _, item in iter_items(definition)
        for summary in REGISTRY[item["type"]].summarise(item, responses)
    ]


def item_summary(
    item: Mapping[str, Any], responses: Sequence[Mapping[str, str]]
) -> list[ItemSummary]:
    """Summaries of one item (one per matrix row) over many responses' stored answers."""
    return REGISTRY[item["type"]].summarise(item, responses)


__all__ = [
    "DEFAULT_MIN_ANSWERED",
    "item_summary",
    "min_answered",
    "scoring_spec",
    "summarise",
    "value_to_float",
]
