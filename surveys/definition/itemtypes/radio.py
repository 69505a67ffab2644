"""Types answered by choosing one option from a list (radio buttons), and yes/no."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wtforms.fields.core import UnboundField

from surveys.definition.errors import quoted
from surveys.definition.fields import ChoiceRadioField, Needed, make_choices
from surveys.definition.itemtypes.base import (
    FormOptions,
    Item,
    ItemSummary,
    ItemType,
    Stored,
    item_text,
    mean,
    stored_values,
)
from surveys.definition.itemtypes.storage import MISSING_CODES
from surveys.definition.messages import YES_NO_LABELS, message, translate


class RadioType(ItemType):
    """Types answered by choosing one option from a list (radio buttons)."""

    stores = "option"
    summary_kind = "choice"

    def form_fields(self, item: Item, options: FormOptions) -> list[tuple[str, UnboundField]]:
        lang = options.lang
        radio = ChoiceRadioField(
            item_text(item, lang, options.wave),
            choices=make_choices(self.all_options(item, lang)),
            description=translate(item.get("help"), lang),
            validators=[
                Needed(
                    message("choose", lang),
                    required=bool(item.get("required")),
                    flag=not options.conditional,
                )
            ],
            invalid_message=message("choose_given", lang),
        )
        return [(item["key"], radio)]

    def encode(self, item: Item, data: Mapping[str, Any]) -> dict[str, str | None]:
        value = data.get(item["key"])
        return {item["key"]: str(value) if value not in (None, "") else None}

    def decode(self, item: Item, stored: Stored) -> dict[str, Any]:
        return {item["key"]: stored.get(item["key"])}

    def condition_problem(self, item: Item, op: str, value: Any) -> str | None:
        problem = super().condition_problem(item, op, value)
        if problem or op not in ("equals", "not_equals", "in"):
            return problem
        allowed = self.allowed_values(item)
        for v in value if isinstance(value, list) else [value]:
            if not _matches_any(v, allowed):
                return (
                    f"{quoted(v)} is not an answer of '{item['key']}' "
                    f"(answers: {', '.join(allowed)})"
                )
        return None

    def summarise(self, item: Item, responses: Sequence[Stored]) -> list[ItemSummary]:
        key = item["key"]
        values = stored_values(responses, key)
        codes = self.missing_codes(item)
        counts = {value: 0 for value, _ in self.options(item, "nl")}
        missing = dict.fromkeys(codes, 0)
        numbers: list[float] = []
        for value in values:
            if value in counts:
                counts[value] += 1
                if self.numeric:
                    numbers.append(float(value))
            elif value in MISSING_CODES:
                missing[value] = missing.get(value, 0) + 1
        n = sum(counts.values())
        summary = ItemSummary(
            key=key,
            type=self.name,
            n=n,
            missing=missing,
            counts=counts,
            mean=mean(numbers) if self.numeric else None,
            extra=self.extra_summary(numbers),
        )
        return [summary]

    def extra_summary(self, numbers: Sequence[float]) -> dict[str, float]:
        """Figures a type adds to its summary (the NPS: the net promoter score)."""
        return {}


def _matches_any(value: Any, allowed: Sequence[str]) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) in allowed


class YesNo(RadioType):
    """Yes or no, stored as "ja" / "nee"."""

    name = "yes_no"
    summary_kind = "yes_no"

    def options(self, item: Item, lang: str) -> list[tuple[str, str]]:
        return [(value, translate(labels, lang)) for value, labels in YES_NO_LABELS.items()]

    def option_codes(self, item: Item) -> tuple[tuple[str, int], ...]:
        """Yes is 1, no is 0 (a share of yes is then a mean)."""
        return (("ja", 1), ("nee", 0))
