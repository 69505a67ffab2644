"""Choices from a list of the instrument's own: one (single choice) or several (multiple
choice), optionally with "anders, namelijk" and a text for it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import StringField
from wtforms.fields.core import UnboundField

from surveys.definition import schema
from surveys.definition.fields import (
    MaxChoices,
    MaxLength,
    MultiCheckboxField,
    Needed,
    OtherSpecified,
    make_choices,
)
from surveys.definition.itemtypes.base import (
    COMMON_FIELDS,
    FormOptions,
    Item,
    ItemSummary,
    Stored,
    item_text,
    stored_values,
)
from surveys.definition.itemtypes.radio import RadioType
from surveys.definition.itemtypes.storage import OTHER_SUFFIX, OTHER_TEXT_LIMIT, OTHER_VALUE
from surveys.definition.messages import OTHER_LABEL, OTHER_TEXT_LABEL, message, translate
from surveys.definition.schema import Context, Field


def _check_choice(value: Any, path: str, ctx: Context) -> bool:
    spec = {
        "value": Field(schema.choice_value, required=True),
        "label": Field(schema.translation, required=True),
    }
    return schema.check_mapping(value, spec, path, ctx, what="a choice {value, label}")


CHOICE_FIELDS: dict[str, Field] = {
    "choices": Field(schema.list_of(_check_choice, what="a list of choices"), required=True),
    "other": Field(schema.boolean),
}


class ChoiceType(RadioType):
    """Shared by single and multiple choice: a list of choices, optionally "anders, namelijk"."""

    fields = COMMON_FIELDS | CHOICE_FIELDS

    def options(self, item: Item, lang: str) -> list[tuple[str, str]]:
        given = item.get("choices")
        choices = [
            (str(c["value"]), translate(c.get("label"), lang))
            for c in (given if isinstance(given, list) else [])
            if isinstance(c, dict) and "value" in c
        ]
        if item.get("other"):
            choices.append((OTHER_VALUE, translate(OTHER_LABEL, lang)))
        return choices

    def stored_keys(self, item: Item) -> list[str]:
        keys = [item["key"]]
        if item.get("other"):
            keys.append(item["key"] + OTHER_SUFFIX)
        return keys

    def check(self, item: Item, path: str, ctx: Context) -> None:
        choices = item.get("choices")
        if not isinstance(choices, list):
            return
        seen: dict[str, int] = {}
        for i, choice in enumerate(choices):
            raw = choice.get("value") if isinstance(choice, dict) else None
            if isinstance(raw, bool) or not isinstance(raw, int | str):
                continue
            value = str(raw)
            if value in seen:
                ctx.add(
                    f"{path}.choices[{i}].value",
                    f"duplicate choice value '{value}' (also choices[{seen[value]}])",
                )
            else:
                seen[value] = i
            if item.get("other") is True and value == OTHER_VALUE:
                ctx.add(
                    f"{path}.choices[{i}].value",
                    f"choice value '{OTHER_VALUE}' is reserved for 'other: true'; "
                    "drop this choice or use another value",
                )

    def signature(self, item: Item) -> tuple[Any, ...]:
        return (self.name, tuple(sorted(value for value, _ in self.options(item, "nl"))))

    def describe(self, item: Item) -> str:
        return f"{self.name} [{', '.join(value for value, _ in self.options(item, 'nl'))}]"

    def longest_value(self, item: Item) -> int:
        """The longest choice value, or the "anders, namelijk" text when that is longer."""
        longest = super().longest_value(item)
        return max(longest, OTHER_TEXT_LIMIT) if item.get("other") else longest

    def other_field(self, item: Item, options: FormOptions) -> tuple[str, UnboundField]:
        lang = options.lang
        return (
            item["key"] + OTHER_SUFFIX,
            StringField(
                translate(OTHER_TEXT_LABEL, lang),
                validators=[
                    OtherSpecified(item["key"], OTHER_VALUE, message("specify_other", lang)),
                    MaxLength(OTHER_TEXT_LIMIT, message("too_long", lang, n=OTHER_TEXT_LIMIT)),
                ],
            ),
        )

    def encode_other(self, item: Item, chosen: Sequence[str], data: Mapping[str, Any]) -> dict:
        if not item.get("other"):
            return {}
        key = item["key"] + OTHER_SUFFIX
        written = data.get(key)
        if OTHER_VALUE in chosen and isinstance(written, str) and written.strip():
            return {key: written.strip()}
        return {key: None}


class SingleChoice(ChoiceType):
    """One of a list of choices."""

    name = "single_choice"

    def form_fields(self, item: Item, options: FormOptions) -> list[tuple[str, UnboundField]]:
        fields = super().form_fields(item, options)
        if item.get("other"):
            fields.append(self.other_field(item, options))
        return fields

    def encode(self, item: Item, data: Mapping[str, Any]) -> dict[str, str | None]:
        stored = super().encode(item, data)
        chosen = [stored[item["key"]]] if stored[item["key"]] else []
        return stored | self.encode_other(item, chosen, data)

    def decode(self, item: Item, stored: Stored) -> dict[str, Any]:
        return {key: stored.get(key) for key in self.stored_keys(item)}


class MultipleChoice(ChoiceType):
    """Any number of a list of choices (at most `max_choices`); stored as a JSON list."""

    name = "multiple_choice"
    stores = "options"
    summary_kind = "multi_choice"
    fields = ChoiceType.fields | {"max_choices": Field(schema.whole_number(1))}

    def check(self, item: Item, path: str, ctx: Context) -> None:
        super().check(item, path, ctx)
        limit = item.get("max_choices")
        if isinstance(limit, int) and isinstance(item.get("choices"), list):
            available = len(self.options(item, "nl"))
            if limit > available:
                ctx.add(
                    f"{path}.max_choices",
                    f"max_choices {limit} is more than the {available} choices offered",
                )

    def form_fields(self, item: Item, options: FormOptions) -> list[tuple[str, UnboundField]]:
        lang = options.lang
        validators: list[Any] = [
            Needed(
                message("choose_some", lang),
                required=bool(item.get("required")),
                flag=False,  # a required attribute on every box would demand all of them
            )
        ]
        limit = item.get("max_choices")
        if isinstance(limit, int):
            validators.append(MaxChoices(limit, message("choose_at_most", lang, n=limit)))
        boxes = MultiCheckboxField(
            item_text(item, lang, options.wave),
            choices=make_choices(self.options(item, lang)),
            description=translate(item.get("help"), lang),
            validators=validators,
            invalid_message=message("choose_given", lang),
        )
        fields: list[tuple[str, UnboundField]] = [(item["key"], boxes)]
        if item.get("other"):
            fields.append(self.other_field(item, options))
        return fields

    def encode(self, item: Item, data: Mapping[str, Any]) -> dict[str, str | None]:
        raw = data.get(item["key"]) or []
        picked = {str(v) for v in raw} if isinstance(raw, list | tuple) else {str(raw)}
        chosen = [value for value, _ in self.options(item, "nl") if value in picked]
        stored = {item["key"]: json.dumps(chosen, ensure_ascii=False) if chosen else None}
        return stored | self.encode_other(item, chosen, data)

    def decode(self, item: Item, stored: Stored) -> dict[str, Any]:
        data: dict[str, Any] = {item["key"]: self.condition_value(item, stored.get(item["key"]))}
        if item.get("other"):
            data[item["key"] + OTHER_SUFFIX] = stored.get(item["key"] + OTHER_SUFFIX)
        return data

    def longest_value(self, item: Item) -> int:
        """Every choice chosen (a JSON list), or the "anders, namelijk" text when longer."""
        every = json.dumps([value for value, _ in self.options(item, "nl")], ensure_ascii=False)
        return max(len(every), OTHER_TEXT_LIMIT) if item.get("other") else len(every)

    def condition_value(self, item: Item, value: str | None) -> list[str]:
        if not value:
            return []
        try:
            chosen = json.loads(value)
        except ValueError:
            return []
        return [str(v) for v in chosen] if isinstance(chosen, list) else []

    def summarise(self, item: Item, responses: Sequence[Stored]) -> list[ItemSummary]:
        counts = {value: 0 for value, _ in self.options(item, "nl")}
        n = 0
        for value in stored_values(responses, item["key"]):
            chosen = self.condition_value(item, value)
            if chosen:
                n += 1
            for v in chosen:
                if v in counts:
                    counts[v] += 1
        return [ItemSummary(key=item["key"], type=self.name, n=n, counts=counts)]
