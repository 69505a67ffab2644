"""The item-type registry: every item type is one class that knows all about its answers.

Each class, registered with ``@register``, says which definition fields the type takes and checks
them, builds its WTForms field(s), encodes submitted data to the stored text (and decodes it back),
summarises stored answers and gives its scoring spec. Adding a type is adding one class here.

Stored values (table ``answers``: response_id, item_key, value as text): scale and nps values as
integers ("1".."5", "0".."4", "0".."10"); missing codes as the code ("weet_niet", "nvt"); a single
choice as the choice value; a multiple choice as a JSON list of values (the "anders, namelijk" text
under ``<key>_other``); yes/no as "ja"/"nee"; a number as a decimal string ("12", "3.5"); texts as
text. An unanswered item has no stored value at all.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from wtforms import StringField, TextAreaField
from wtforms.fields.core import UnboundField

from surveys.definition import schema
from surveys.definition.errors import describe, quoted
from surveys.definition.fields import (
    ChoiceRadioField,
    MaxChoices,
    MaxLength,
    MultiCheckboxField,
    Needed,
    NumberCheck,
    OtherSpecified,
    make_choices,
    parse_number,
)
from surveys.definition.messages import (
    MISSING_LABELS,
    OTHER_LABEL,
    OTHER_TEXT_LABEL,
    YES_NO_LABELS,
    message,
    number_message,
    translate,
)
from surveys.definition.schema import Context, Field

#: The value of the "anders, namelijk" option and the suffix of the key its text is stored under.
OTHER_VALUE = "anders"
OTHER_SUFFIX = "_other"
#: Missing codes an item can offer; they are stored as the code and never count as a score.
MISSING_CODES: tuple[str, ...] = tuple(MISSING_LABELS)

Item = Mapping[str, Any]
Stored = Mapping[str, str]


@dataclass(frozen=True)
class ScoredItem:
    """How one item scores into a domain: what the analysis package needs to score it."""

    key: str
    domain: str
    scale_min: int
    scale_max: int
    reverse: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "domain": self.domain,
            "scale_min": self.scale_min,
            "scale_max": self.scale_max,
            "reverse": self.reverse,
        }


@dataclass(frozen=True)
class ItemSummary:
    """The answers to one item (or matrix row) in short: counts per option and/or mean and n.

    `n` counts substantive answers; missing codes are counted apart in `missing`, never as values.
    """

    key: str
    type: str
    n: int
    missing: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] | None = None
    mean: float | None = None
    extra: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class FormOptions:
    """What a form is built for: the respondent's language, the wave, and whether the item has a
    condition (then the browser must not enforce `required`, the server does after show_if)."""

    lang: str = "nl"
    wave: int = 0
    conditional: bool = False


def item_text(item: Item, lang: str, wave: int = 0) -> str:
    """The wording of an item for `lang`: its follow-up wording in waves >= 1 when it has one."""
    if wave >= 1 and isinstance(item.get("text_followup"), dict):
        return translate(item["text_followup"], lang)
    return translate(item.get("text"), lang)


# --------------------------------------------------------------------------- field specs

COMMON_FIELDS: dict[str, Field] = {
    "key": Field(schema.key, required=True),
    "type": Field(schema.anything, required=True),
    "text": Field(schema.translation, required=True),
    "text_followup": Field(schema.translation),
    "help": Field(schema.translation),
    "required": Field(schema.boolean),
    # checked by the validator, which knows the other items
    "show_if": Field(schema.anything),
}


def _check_missing(value: Any, path: str, ctx: Context) -> bool:
    if not isinstance(value, list):
        ctx.add(path, f"expected a list of missing codes, got {describe(value)}")
        return False
    ok = True
    for i, code in enumerate(value):
        if code not in MISSING_CODES:
            ctx.add(
                f"{path}[{i}]",
                f"unknown missing code {quoted(code)}; use {', '.join(MISSING_CODES)}",
            )
            ok = False
    seen = [c for c in value if isinstance(c, str)]
    for code in sorted({c for c in seen if seen.count(c) > 1}):
        ctx.add(path, f"missing code '{code}' is listed twice")
        ok = False
    return ok


def _check_choice(value: Any, path: str, ctx: Context) -> bool:
    spec = {
        "value": Field(schema.choice_value, required=True),
        "label": Field(schema.translation, required=True),
    }
    return schema.check_mapping(value, spec, path, ctx, what="a choice {value, label}")


SCORED_FIELDS: dict[str, Field] = {
    "domain": Field(schema.key),
    "reverse": Field(schema.boolean),
}
MISSING_FIELDS: dict[str, Field] = {"missing": Field(_check_missing)}
CHOICE_FIELDS: dict[str, Field] = {
    "choices": Field(schema.list_of(_check_choice, what="a list of choices"), required=True),
    "other": Field(schema.boolean),
}


# --------------------------------------------------------------------------- the registry

REGISTRY: dict[str, ItemType] = {}


def register(cls: type[ItemType]) -> type[ItemType]:
    """Class decorator: make `cls` the item type named `cls.name`."""
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"item type name {cls.name!r} is empty or taken")
    REGISTRY[cls.name] = cls()
    return cls


def get_type(name: str) -> ItemType:
    """The registered item type `name` (KeyError if there is none)."""
    return REGISTRY[name]


class ItemType:
    """An item type. Methods take the item's definition (a validated mapping)."""

    name: ClassVar[str] = ""
    #: every field an item of this type may have
    fields: ClassVar[Mapping[str, Field]] = COMMON_FIELDS
    #: False for items without an answer (notes)
    answerable: ClassVar[bool] = True
    #: whether answers are numbers (numeric conditions, means, value_to_float)
    numeric: ClassVar[bool] = False

    # ---- the definition

    def check(self, item: Item, path: str, ctx: Context) -> None:
        """Type-specific checks, after the fields have been checked one by one."""

    def leaves(self, item: Item) -> list[Item]:
        """The answerable items this item consists of (itself; a matrix: its rows)."""
        return [item] if self.answerable else []

    def stored_keys(self, item: Item) -> list[str]:
        """Every key this item stores answers under (its own key, `<key>_other`, matrix rows)."""
        return [item["key"]] if self.answerable else []

    def condition_problem(self, item: Item, op: str, value: Any) -> str | None:
        """Why a condition `op value` on this item could never be meaningful, or None."""
        if op in ("gt", "lt", "gte", "lte") and not self.numeric:
            return f"'{op}' compares numbers, but '{item['key']}' is a {self.name} item"
        return None

    def signature(self, item: Item) -> tuple[Any, ...]:
        """What must stay the same for answers to stay comparable across versions."""
        return (self.name,)

    # ---- answering

    def form_fields(self, item: Item, options: FormOptions) -> list[tuple[str, UnboundField]]:
        """The WTForms fields for this item, as (field name, unbound field)."""
        return []

    def encode(self, item: Item, data: Mapping[str, Any]) -> dict[str, str | None]:
        """Submitted field data -> stored text per key (None: no answer, store nothing)."""
        return {}

    def decode(self, item: Item, stored: Stored) -> dict[str, Any]:
        """Stored texts -> the form's field data (to fill in a page again)."""
        return {}

    def condition_value(self, item: Item, value: str) -> Any:
        """A stored value as conditions see it."""
        return value

    # ---- analysis

    def summarise(self, item: Item, responses: Sequence[Stored]) -> list[ItemSummary]:
        """Summaries of the stored answers of many responses (one per leaf)."""
        return []

    def scoring(self, item: Item) -> list[ScoredItem]:
        """The scoring spec of this item (empty when it is not scored into a domain)."""
        return []


def _values(responses: Sequence[Stored], key: str) -> list[str]:
    return [r[key] for r in responses if isinstance(r.get(key), str) and r[key] != ""]


def _mean(numbers: Sequence[float]) -> float | None:
    return statistics.fmean(numbers) if numbers else None


class RadioType(ItemType):
    """Types answered by choosing one option from a list (radio buttons)."""

    def options(self, item: Item, lang: str) -> list[tuple[str, str]]:
        """The substantive options as (stored value, label)."""
        raise NotImplementedError

    def missing_codes(self, item: Item) -> list[str]:
        return []

    def all_options(self, item: Item, lang: str) -> list[tuple[str, str]]:
        codes = [(code, translate(MISSING_LABELS[code], lang)) for code in self.missing_codes(item)]
        return self.options(item, lang) + codes

    def allowed_values(self, item: Item) -> list[str]:
        return [value for value, _ in self.all_options(item, "nl")]

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
        values = _values(responses, key)
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
            mean=_mean(numbers) if self.numeric else None,
            extra=self.extra_summary(numbers),
        )
        return [summary]

    def extra_summary(self, numbers: Sequence[float]) -> dict[str, float]:
        return {}


def _matches_any(value: Any, allowed: Sequence[str]) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) in allowed


# --------------------------------------------------------------------------- scales


class ScaleType(RadioType):
    """A numbered scale (agreement, maturity, NPS) with optional missing codes."""

    numeric = True
    fields = COMMON_FIELDS | SCORED_FIELDS | MISSING_FIELDS
    scale_min: ClassVar[int] = 1
    scale_max: ClassVar[int] = 5
    #: label per scale point; points without a label show their number
    labels: ClassVar[Mapping[int, Mapping[str, str]]] = {}
    default_missing: ClassVar[tuple[str, ...]] = ()

    def missing_codes(self, item: Item) -> list[str]:
        codes = item.get("missing", self.default_missing)
        if not isinstance(codes, list | tuple):
            return list(self.default_missing)
        return [c for c in codes if c in MISSING_CODES]

    def options(self, item: Item, lang: str) -> list[tuple[str, str]]:
        return [
            (
                str(point),
                translate(self.labels[point], lang) if point in self.labels else str(point),
            )
            for point in range(self.scale_min, self.scale_max + 1)
        ]

    def signature(self, item: Item) -> tuple[Any, ...]:
        return (self.name, self.scale_min, self.scale_max)

    def scoring(self, item: Item) -> list[ScoredItem]:
        domain = item.get("domain")
        if not isinstance(domain, str):
            return []
        return [
            ScoredItem(
                key=item["key"],
                domain=domain,
                scale_min=self.scale_min,
                scale_max=self.scale_max,
                reverse=bool(item.get("reverse", False)),
            )
        ]


@register
class Likert5(ScaleType):
    """Agreement, five points; "weet niet" offered by default."""

    name = "likert5"
    labels = {
        1: {"nl": "Helemaal oneens", "en": "Strongly disagree"},
        2: {"nl": "Oneens", "en": "Disagree"},
        3: {"nl": "Neutraal", "en": "Neutral"},
        4: {"nl": "Eens", "en": "Agree"},
        5: {"nl": "Helemaal eens", "en": "Strongly agree"},
    }
    default_missing = ("weet_niet",)


@register
class Likert7(ScaleType):
    """Agreement, seven points; "weet niet" offered by default."""

    name = "likert7"
    scale_max = 7
    labels = {
        1: {"nl": "Helemaal oneens", "en": "Strongly disagree"},
        2: {"nl": "Oneens", "en": "Disagree"},
        3: {"nl": "Enigszins oneens", "en": "Somewhat disagree"},
        4: {"nl": "Neutraal", "en": "Neutral"},
        5: {"nl": "Enigszins eens", "en": "Somewhat agree"},
        6: {"nl": "Eens", "en": "Agree"},
        7: {"nl": "Helemaal eens", "en": "Strongly agree"},
    }
    default_missing = ("weet_niet",)


@register
class Maturity(ScaleType):
    """Maturity of an HR practice, 0-4; "n.v.t." offered by default."""

    name = "maturity"
    scale_min = 0
    scale_max = 4
    labels = {
        0: {"nl": "0 – Niet aanwezig", "en": "0 – Not in place"},
        1: {"nl": "1 – Ad hoc", "en": "1 – Ad hoc"},
        2: {"nl": "2 – Op papier / in ontwikkeling", "en": "2 – On paper / being developed"},
        3: {"nl": "3 – Structureel uitgevoerd", "en": "3 – Carried out structurally"},
        4: {
            "nl": "4 – Uitgevoerd, geëvalueerd en bijgesteld",
            "en": "4 – Carried out, evaluated and improved",
        },
    }
    default_missing = ("nvt",)


@register
class NetPromoterScore(ScaleType):
    """Likelihood to recommend, 0-10; no missing code unless the item lists one."""

    name = "nps"
    scale_min = 0
    scale_max = 10
    labels = {
        0: {"nl": "0 – Zeer onwaarschijnlijk", "en": "0 – Very unlikely"},
        10: {"nl": "10 – Zeer waarschijnlijk", "en": "10 – Very likely"},
    }

    def extra_summary(self, numbers: Sequence[float]) -> dict[str, float]:
        """The net promoter score: % promoters (9-10) minus % detractors (0-6)."""
        if not numbers:
            return {}
        promoters = sum(1 for x in numbers if x >= 9)
        detractors = sum(1 for x in numbers if x <= 6)
        return {"nps": 100.0 * (promoters - detractors) / len(numbers)}


#: The scales a matrix can use.
MATRIX_SCALES = ("likert5", "likert7", "maturity")


# --------------------------------------------------------------------------- choices


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

    def other_field(self, item: Item, options: FormOptions) -> tuple[str, UnboundField]:
        lang = options.lang
        return (
            item["key"] + OTHER_SUFFIX,
            StringField(
                translate(OTHER_TEXT_LABEL, lang),
                validators=[
                    OtherSpecified(item["key"], OTHER_VALUE, message("specify_other", lang)),
                    MaxLength(TEXT_LIMITS["short_text"], message("too_long", lang, n=250)),
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


@register
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


@register
class MultipleChoice(ChoiceType):
    """Any number of a list of choices (at most `max_choices`); stored as a JSON list."""

    name = "multiple_choice"
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
        for value in _values(responses, item["key"]):
            chosen = self.condition_value(item, value)
            if chosen:
                n += 1
            for v in chosen:
                if v in counts:
                    counts[v] += 1
        return [ItemSummary(key=item["key"], type=self.name, n=n, counts=counts)]


@register
class YesNo(RadioType):
    """Yes or no, stored as "ja" / "nee"."""

    name = "yes_no"

    def options(self, item: Item, lang: str) -> list[tuple[str, str]]:
        return [(value, translate(labels, lang)) for value, labels in YES_NO_LABELS.items()]


# --------------------------------------------------------------------------- numbers and texts


@register
class Number(ItemType):
    """A number between `min` and `max`; whole when `integer: true` (default: decimal)."""

    name = "number"
    numeric = True
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
                NumberCheck(text, minimum=low, maximum=high, integer=integer),
            ],
            render_kw={"inputmode": "numeric" if integer else "decimal", "autocomplete": "off"},
        )
        return [(item["key"], field_)]

    def encode(self, item: Item, data: Mapping[str, Any]) -> dict[str, str | None]:
        number = parse_number(data.get(item["key"]))
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

    def summarise(self, item: Item, responses: Sequence[Stored]) -> list[ItemSummary]:
        numbers = [
            float(n) for v in _values(responses, item["key"]) if (n := parse_number(v)) is not None
        ]
        extra: dict[str, float] = {}
        if numbers:
            extra = {"min": min(numbers), "max": max(numbers), "median": statistics.median(numbers)}
        return [
            ItemSummary(
                key=item["key"], type=self.name, n=len(numbers), mean=_mean(numbers), extra=extra
            )
        ]


def format_stored_number(number: Any) -> str:
    """A number as stored: plain decimal notation without needless zeros ("12", "3.5")."""
    shown = f"{number.normalize():f}" if not isinstance(number, int | float) else str(number)
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


#: Default and hard upper limit of the length of text answers.
TEXT_LIMITS = {"short_text": 250, "long_text": 5000}


class _TextType(ItemType):
    fields = COMMON_FIELDS | {"max_length": Field(schema.whole_number(1))}
    field_class: ClassVar[type] = StringField

    def limit(self, item: Item) -> int:
        limit = item.get("max_length")
        return (
            limit
            if isinstance(limit, int) and not isinstance(limit, bool)
            else (TEXT_LIMITS[self.name])
        )

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

    def summarise(self, item: Item, responses: Sequence[Stored]) -> list[ItemSummary]:
        return [
            ItemSummary(key=item["key"], type=self.name, n=len(_values(responses, item["key"])))
        ]


@register
class ShortText(_TextType):
    """A line of text (at most `max_length`, default 250 characters)."""

    name = "short_text"


@register
class LongText(_TextType):
    """Free text in a text area (at most `max_length`, default 5000 characters)."""

    name = "long_text"
    field_class = TextAreaField


@register
class Note(ItemType):
    """Text for the respondent; no answer."""

    name = "note"
    answerable = False
    fields = {name: f for name, f in COMMON_FIELDS.items() if name != "required"}


# --------------------------------------------------------------------------- matrix


def _check_row(value: Any, path: str, ctx: Context) -> bool:
    spec = {
        "key": Field(schema.key, required=True),
        "text": Field(schema.translation, required=True),
        "text_followup": Field(schema.translation),
        "help": Field(schema.translation),
    } | SCORED_FIELDS
    return schema.check_mapping(value, spec, path, ctx, what="a row {key, text}")


def _check_scale(value: Any, path: str, ctx: Context) -> bool:
    if value not in MATRIX_SCALES:
        ctx.add(path, f"unknown matrix scale {quoted(value)}; use {', '.join(MATRIX_SCALES)}")
        return False
    return True


@register
class Matrix(ItemType):
    """Rows of one scale; every row is an item with its own key (and domain)."""

    name = "matrix"
    fields = (
        COMMON_FIELDS
        | MISSING_FIELDS
        | {
            "scale": Field(_check_scale, required=True),
            "rows": Field(schema.list_of(_check_row, what="a list of rows"), required=True),
        }
    )

    def scale(self, item: Item) -> ScaleType:
        scale = REGISTRY.get(str(item.get("scale")))
        return scale if isinstance(scale, ScaleType) else REGISTRY["likert5"]  # type: ignore[return-value]

    def leaves(self, item: Item) -> list[Item]:
        rows = item.get("rows")
        if not isinstance(rows, list):
            return []
        shared = {name: item[name] for name in ("required", "missing") if name in item}
        return [
            {
                **{k: v for k, v in row.items()},
                "type": item.get("scale"),
                **shared,
            }
            for row in rows
            if isinstance(row, dict) and isinstance(row.get("key"), str)
        ]

    def stored_keys(self, item: Item) -> list[str]:
        return [row["key"] for row in self.leaves(item)]

    def form_fields(self, item: Item, options: FormOptions) -> list[tuple[str, UnboundField]]:
        scale = self.scale(item)
        fields: list[tuple[str, UnboundField]] = []
        for row in self.leaves(item):
            fields.extend(scale.form_fields(row, options))
        return fields

    def encode(self, item: Item, data: Mapping[str, Any]) -> dict[str, str | None]:
        scale = self.scale(item)
        stored: dict[str, str | None] = {}
        for row in self.leaves(item):
            stored |= scale.encode(row, data)
        return stored

    def decode(self, item: Item, stored: Stored) -> dict[str, Any]:
        return {row["key"]: stored.get(row["key"]) for row in self.leaves(item)}

    def summarise(self, item: Item, responses: Sequence[Stored]) -> list[ItemSummary]:
        scale = self.scale(item)
        return [s for row in self.leaves(item) for s in scale.summarise(row, responses)]

    def scoring(self, item: Item) -> list[ScoredItem]:
        scale = self.scale(item)
        return [s for row in self.leaves(item) for s in scale.scoring(row)]


def leaf_type(leaf: Item) -> ItemType:
    """The type of a leaf item (a matrix row's leaf carries the matrix scale as its type)."""
    return REGISTRY[leaf["type"]]


def value_to_float(value: str | None) -> float:
    """A stored value as a number for analysis; NaN for no answer, missing codes and non-numbers.

    Scale, nps and number answers give their number; everything else (choices, texts, JSON lists,
    "weet_niet", "nvt") gives NaN, so a missing code can never be averaged in as a zero.
    """
    if value is None or not isinstance(value, str):
        return math.nan
    textual = value.strip()
    if not textual or textual in MISSING_CODES:
        return math.nan
    try:
        number = float(textual)
    except ValueError:
        return math.nan
    return number if math.isfinite(number) else math.nan


__all__ = [
    "MATRIX_SCALES",
    "MISSING_CODES",
    "OTHER_SUFFIX",
    "OTHER_VALUE",
    "REGISTRY",
    "FormOptions",
    "ItemSummary",
    "ItemType",
    "ScaleType",
    "ScoredItem",
    "get_type",
    "item_text",
    "leaf_type",
    "register",
    "value_to_float",
]
