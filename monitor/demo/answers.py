"""Plausible answers to any instrument: scale items follow a latent level per domain, other
items a weighted choice, texts come from a small pool. Conditions are honoured (hidden items
are not answered), exactly as on the respondent pages."""

import json
import random
from collections.abc import Callable, Mapping
from typing import Any

from surveys.definition.itemtypes import OTHER_VALUE, ItemType, get_type
from surveys.definition.structure import is_shown, sections_for_group

OPEN_TEXTS = [
    "Meer tijd en ruimte om samen met collega's aan de slag te gaan.",
    "De samenwerking tussen school en bedrijf kan concreter.",
    "Goede contacten en korte lijnen met de partners in de regio.",
    "Het vasthouden van jonge mensen in de regio blijft lastig.",
    "Meer aandacht voor de praktijk en minder voor overleg.",
    "Heldere afspraken over wie wat doet en wanneer.",
    "De bijeenkomsten zijn nuttig, maar de opvolging kan beter.",
    "Betrek ook kleinere bedrijven, niet alleen de grote.",
]

#: level of a domain on a 0..1 position scale
Level = Callable[[str | None], float]


def _scale_value(rng: random.Random, scale: tuple[int, int], position: float, reverse: bool) -> int:
    low, high = scale
    if reverse:
        position = 1 - position
    value = low + position * (high - low) + rng.gauss(0, 0.15 * (high - low))
    return int(min(high, max(low, round(value))))


def fake_answers(
    rng: random.Random,
    definition: Mapping[str, Any],
    group: str | None,
    level: Level,
    overrides: Mapping[str, str] | None = None,
    weights: Mapping[str, Mapping[str, float]] | None = None,
    text_rate: float = 0.35,
) -> dict[str, str]:
    """Stored-form answers (item key -> text) of one respondent of `group`."""
    overrides, weights = overrides or {}, weights or {}
    answers: dict[str, str] = {}
    for section in sections_for_group(definition, group):
        for item in section.get("items") or []:
            if not is_shown(item, definition, answers):
                continue
            value = overrides.get(item["key"])
            if value is None:
                value = _fake_item(rng, item, level, weights.get(item["key"]), text_rate)
            if isinstance(value, dict):
                answers.update(value)
            elif value is not None:
                answers[item["key"]] = value
    return answers


def _fake_item(rng, item, level, weight, text_rate) -> str | dict[str, str] | None:
    kind = get_type(item["type"])
    if kind.composite:
        return {
            leaf["key"]: _fake_item(rng, leaf, level, None, text_rate) for leaf in kind.leaves(item)
        }
    fake = FAKERS.get(kind.summary_kind)
    return fake(rng, kind, item, level, weight, text_rate) if fake else None  # notes


def _fake_scale(rng, kind, item, level, weight, text_rate) -> str:
    codes = kind.missing_codes(item)
    if codes and rng.random() < 0.03:
        return codes[0]
    position = level(item.get("domain"))
    return str(_scale_value(rng, kind.scale_range(item), position, item.get("reverse", False)))


def _substantive(kind: ItemType, item: Mapping[str, Any]) -> list[str]:
    """The option values of a choice item, without "anders, namelijk"."""
    return [value for value, _ in kind.options(item, "nl") if value != OTHER_VALUE]


def _fake_choice(rng, kind, item, level, weight, text_rate) -> str:
    if weight:
        return rng.choices(list(weight), weights=list(weight.values()))[0]
    return rng.choice(_substantive(kind, item))


def _fake_multi_choice(rng, kind, item, level, weight, text_rate) -> str:
    values = _substantive(kind, item)
    limit = min(item.get("max_choices", 3), len(values))
    return json.dumps(rng.sample(values, rng.randint(1, limit)), ensure_ascii=False)


def _fake_yes_no(rng, kind, item, level, weight, text_rate) -> str:
    yes, no = (value for value, _ in kind.options(item, "nl"))
    return yes if rng.random() < (weight or {}).get(yes, 0.7) else no


def _fake_number(rng, kind, item, level, weight, text_rate) -> str:
    low, high = item.get("min", 0), min(item.get("max", 100), item.get("min", 0) + 50)
    return str(rng.randint(int(low), int(high)))


def _fake_text(rng, kind, item, level, weight, text_rate) -> str | None:
    answered = item.get("required") or rng.random() < text_rate
    return rng.choice(OPEN_TEXTS) if answered else None


#: How to make up an answer, by the item type's kind of summary.
FAKERS = {
    "distribution": _fake_scale,
    "nps": _fake_scale,
    "choice": _fake_choice,
    "multi_choice": _fake_multi_choice,
    "yes_no": _fake_yes_no,
    "number": _fake_number,
    "text": _fake_text,
}
