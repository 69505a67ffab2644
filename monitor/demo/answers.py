"""Plausible answers to any instrument: scale items follow a latent level per domain, other
items a weighted choice, texts come from a small pool. Conditions are honoured (hidden items
are not answered), exactly as on the respondent pages."""

import json
import random
from collections.abc import Callable, Mapping
from typing import Any

from surveys.definition.structure import is_shown, sections_for_group

SCALES = {"likert5": (1, 5), "likert7": (1, 7), "maturity": (0, 4), "nps": (0, 10)}
DEFAULT_MISSING = {"likert5": "weet_niet", "likert7": "weet_niet", "maturity": "nvt"}

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


def _scale_value(rng: random.Random, item_type: str, position: float, reverse: bool) -> int:
    low, high = SCALES[item_type]
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
    kind = item["type"]
    if kind == "matrix":
        rows = {}
        for row in item["rows"]:
            leaf = {**row, "type": item["scale"], "missing": item.get("missing")}
            rows[row["key"]] = _fake_item(rng, leaf, level, None, text_rate)
        return rows
    if kind in SCALES:
        missing = item.get("missing")
        codes = [DEFAULT_MISSING[kind]] if missing is None and kind in DEFAULT_MISSING else missing
        if codes and rng.random() < 0.03:
            return codes[0]
        return str(_scale_value(rng, kind, level(item.get("domain")), item.get("reverse", False)))
    if kind == "single_choice":
        values = [c["value"] for c in item["choices"]]
        if weight:
            return rng.choices(list(weight), weights=list(weight.values()))[0]
        return rng.choice([v for v in values if v != "anders"] or values)
    if kind == "multiple_choice":
        values = [c["value"] for c in item["choices"] if c["value"] != "anders"]
        limit = min(item.get("max_choices", 3), len(values))
        return json.dumps(rng.sample(values, rng.randint(1, limit)), ensure_ascii=False)
    if kind == "yes_no":
        return "ja" if rng.random() < (weight or {}).get("ja", 0.7) else "nee"
    if kind == "number":
        low, high = item.get("min", 0), min(item.get("max", 100), item.get("min", 0) + 50)
        return str(rng.randint(int(low), int(high)))
    if kind in {"short_text", "long_text"}:
        answered = item.get("required") or rng.random() < text_rate
        return rng.choice(OPEN_TEXTS) if answered else None
    return None  # notes
