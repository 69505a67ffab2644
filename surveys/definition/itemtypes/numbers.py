"""Numbers: a count or an amount, whole or decimal, within the item's bounds, with a bounded
number of digits and never in exponent notation (so that what is stored stays short)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import StopValidation

from surveys.definition import schema
from surveys.definition.errors import describe
from surveys.definition.fields import Needed, NumberCheck, parse_number
from surveys.definition.itemtypes.base import (
    COMMON_FIELDS,
    FormOptions,
    Item,
    ItemSummary,
    ItemType,
    Stored,
    item_text,
    mean,
    stored_values,
)
from surveys.definition.itemtypes.storage import (
    NUMBER_DIGITS,
    format_stored_number,
    is_plain_number,
    longest_number,
)
from surveys.definition.messages import message, number_message, translate
from surveys.definition.schema import Context, Field


class PlainNumber:
    """Refuses a number in exponent notation or with more than NUMBER_DIGITS digits, with a
    message that says so; what is no number at all is left to the bounds check after it."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if parse_number(field.data) is not None and not is_plain_number(field.data):
            raise StopValidation(self.message)


class Number(ItemType):
    """A number between `min` and `max`; whole when `integer: true` (default: decimal)."""

    name = "number"
    numeric = True
    stores = "number"
    summary_kind = "number"
    fields = COMMON_FIELDS | {
        "min": Field(schema.number),
        "max": Field(schema.number),
        "integer": Field(schema.boolean),
    }

    def check(self, item: Item, path: str, ctx: Context) -> None:
        low, high = item.get("min"), item.get("max")
        if schema.is_number(low) and schema.is_number(high) and low > high:
            ctx.add(f"{path}.min", f"min {low} is greater than max {high}")
        if item.get("integer") is True:
            for name in ("min", "max"):
                bound = item.get(name)
                if schema.is_number(bound) and not float(bound).is_integer():
                    ctx.add(f"{path}.{name}", f"{name} {bound} is not a whole number")

    def bounds(self, item: Item) -> tuple[float | None, float | None]:
        low, high = item.get("min"), item.get("max")
        return (
            low if schema.is_number(low) else None,
            high if schema.is_number(high) else None,
        )

    def explain(self, item: Item, lang: str) -> str:
        low, high = self.bounds(item)
        return number_message(lang, integer=bool(item.get("integer")), minimum=low, maximum=high)

    def form_fields(self, item: Item, options: FormOptions) -> list[tuple[str, UnboundField]]:
        lang = options.lang
        low, high = self.bounds(item)
        text = self.explain(item, lang)
        integer = bool(item.get("integer"))
        field_ = StringField(
            item_text(item, lang, options.wave),
            description=translate(item.get("help"), lang),
            validators=[
                Needed(text, required=bool(item.get("required")), flag=not options.conditional),
                PlainNumber(message("number_digits", lang, n=NUMBER_DIGITS)),
                NumberCheck(text, minimum=low, maximum=high, integer=integer),
            ],
            render_kw={"inputmode": "numeric" if integer else "decimal", "autocomplete": "off"},
        )
        return [(item["key"], field_)]

    def encode(self, item: Item, data: Mapping[str, Any]) -> dict[str, str | None]:
        raw = data.get(item["key"])
        number = parse_number(raw) if is_plain_number(raw) else None
        return {item["key"]: format_stored_number(number) if number is not None else None}

    def decode(self, item: Item, stored: Stored) -> dict[str, Any]:
        return {item["key"]: stored.get(item["key"])}

    def condition_problem(self, item: Item, op: str, value: Any) -> str | None:
        for v in value if isinstance(value, list) else [value]:
            if not schema.is_number(v):
                return (
                    f"'{item['key']}' is a number item; compare it with numbers, not {describe(v)}"
                )
        return None

    def signature(self, item: Item) -> tuple[Any, ...]:
        return (self.name, bool(item.get("integer")))

    def describe(self, item: Item) -> str:
        return "number (whole)" if item.get("integer") else "number (decimal)"

    def longest_value(self, item: Item) -> int:
        return longest_number()

    def summarise(self, item: Item, responses: Sequence[Stored]) -> list[ItemSummary]:
        numbers = [
            float(n)
            for v in stored_values(responses, item["key"])
            if (n := parse_number(v)) is not None
        ]
        extra: dict[str, float] = {}
        if numbers:
            extra = {"min": min(numbers), "max": max(numbers), "median": statistics.median(numbers)}
        return [
            ItemSummary(
                key=item["key"], type=self.name, n=len(numbers), mean=mean(numbers), extra=extra
            )
        ]
