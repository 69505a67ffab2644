"""Texts (a line, or free text in a text area) and notes (text for the respondent, no answer)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from wtforms import StringField, TextAreaField
from wtforms.fields.core import UnboundField

from surveys.definition import schema
from surveys.definition.fields import MaxLength, Needed
from surveys.definition.itemtypes.base import (
    COMMON_FIELDS,
    FormOptions,
    Item,
    ItemSummary,
    ItemType,
    Stored,
    item_text,
    stored_values,
)
from surveys.definition.messages import message, translate
from surveys.definition.schema import Context, Field


class _TextType(ItemType):
    """Shared by the text types: a text of at most `max_length` characters, stored stripped."""

    fields = COMMON_FIELDS | {"max_length": Field(schema.whole_number(1))}
    field_class: ClassVar[type] = StringField
    #: the default and the highest `max_length`: what an answer of this type may store at most
    most_characters: ClassVar[int] = 250

    def check(self, item: Item, path: str, ctx: Context) -> None:
        limit, most = item.get("max_length"), self.most_characters
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > most:
            ctx.add(
                f"{path}.max_length",
                f"max_length {limit} is more than the {most} characters a {self.name} item stores",
            )

    def limit(self, item: Item) -> int:
        """The most characters an answer may have: `max_length`, at most the type's limit."""
        limit = item.get("max_length")
        most = self.most_characters
        return min(limit, most) if isinstance(limit, int) and not isinstance(limit, bool) else most

    def longest_value(self, item: Item) -> int:
        return self.limit(item)

    def form_fields(self, item: Item, options: FormOptions) -> list[tuple[str, UnboundField]]:
        lang = options.lang
        limit = self.limit(item)
        field_ = self.field_class(
            item_text(item, lang, options.wave),
            description=translate(item.get("help"), lang),
            validators=[
                Needed(
                    message("fill_in", lang),
                    required=bool(item.get("required")),
                    flag=not options.conditional,
                ),
                MaxLength(limit, message("too_long", lang, n=limit)),
            ],
        )
        return [(item["key"], field_)]

    def encode(self, item: Item, data: Mapping[str, Any]) -> dict[str, str | None]:
        value = data.get(item["key"])
        textual = value.strip() if isinstance(value, str) else ""
        return {item["key"]: textual or None}

    def decode(self, item: Item, stored: Stored) -> dict[str, Any]:
        return {item["key"]: stored.get(item["key"])}

    def signature(self, item: Item) -> tuple[Any, ...]:
        return ("text",)

    def describe(self, item: Item) -> str:
        return "text"

    def summarise(self, item: Item, responses: Sequence[Stored]) -> list[ItemSummary]:
        return [
            ItemSummary(
                key=item["key"], type=self.name, n=len(stored_values(responses, item["key"]))
            )
        ]


class ShortText(_TextType):
    """A line of text (at most `max_length`, default 250 characters)."""

    name = "short_text"


class LongText(_TextType):
    """Free text in a text area (at most `max_length`, default 5000 characters)."""

    name = "long_text"
    most_characters = 5000
    field_class = TextAreaField


class Note(ItemType):
    """Text for the respondent; no answer."""

    name = "note"
    answerable = False
    stores = "nothing"
    summary_kind = "none"

    def longest_value(self, item: Item) -> int:
        return 0

    fields = {name: f for name, f in COMMON_FIELDS.items() if name != "required"}
