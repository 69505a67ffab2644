"""The item-type interface: what every caller may ask of an item type, and nothing else.

Callers (forms, validation, change reports, exports, the HR-scan's wording, the demo, the results
views) never ask *which* type an item has; they ask its type what they need to know:

- the definition: `fields`, `check`, `leaves`, `stored_keys`, `condition_problem`, `signature`,
  `describe` (its wording in the change report);
- what it stores: `answerable`, `composite`, `stores` (a `ValueKind`), `numeric`,
  `longest_value`;
- its answers: `options`, `missing_codes`, `all_options`, `option_codes`, `scale_range`;
- answering: `form_fields`, `encode`, `decode`, `condition_value`;
- analysis: `summarise`, `scoring`, `summary_kind` and `summary_label` (which summary, chart and
  template macro show its results).

Every method has a default here that is right for a type without options, so a new type overrides
only what differs.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from wtforms.fields.core import UnboundField

from surveys.definition import schema
from surveys.definition.errors import describe, quoted
from surveys.definition.itemtypes.storage import MISSING_CODES, ValueKind, option_codes
from surveys.definition.messages import MISSING_LABELS, translate
from surveys.definition.schema import Context, Field

Item = Mapping[str, Any]
Stored = Mapping[str, str]

#: How the answers of a type are summarised and shown (a chart and a template macro per kind).
SummaryKind = Literal[
    "distribution", "nps", "choice", "multi_choice", "yes_no", "number", "text", "matrix", "none"
]
#: The name of each summary kind for people, Dutch and English.
SUMMARY_LABELS: dict[str, dict[str, str]] = {
    "distribution": {"nl": "Verdeling over de schaal", "en": "Distribution over the scale"},
    "nps": {"nl": "Net Promoter Score", "en": "Net Promoter Score"},
    "choice": {"nl": "Verdeling over de antwoorden", "en": "Distribution over the answers"},
    "multi_choice": {
        "nl": "Gekozen antwoorden (meer mogelijk)",
        "en": "Answers chosen (several possible)",
    },
    "yes_no": {"nl": "Aandeel ja en nee", "en": "Share of yes and no"},
    "number": {"nl": "Getal: gemiddelde en spreiding", "en": "Number: mean and spread"},
    "text": {"nl": "Open antwoorden", "en": "Open answers"},
    "matrix": {"nl": "Stellingen op één schaal", "en": "Statements on one scale"},
    "none": {"nl": "Geen antwoord (toelichting)", "en": "No answer (a note)"},
}
#: The longest value a type stores unless it says otherwise (the longest text answer).
DEFAULT_LONGEST = 5000


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


SCORED_FIELDS: dict[str, Field] = {
    "domain": Field(schema.key),
    "reverse": Field(schema.boolean),
}
MISSING_FIELDS: dict[str, Field] = {"missing": Field(_check_missing)}


# --------------------------------------------------------------------------- the interface


class ItemType:
    """An item type. Methods take the item's definition (a validated mapping)."""

    name: ClassVar[str] = ""
    #: every field an item of this type may have
    fields: ClassVar[Mapping[str, Field]] = COMMON_FIELDS
    #: False for items without an answer (notes)
    answerable: ClassVar[bool] = True
    #: True for an item answered through parts with keys of their own (a matrix and its rows)
    composite: ClassVar[bool] = False
    #: what kind of value it stores (see surveys.definition.itemtypes.storage)
    stores: ClassVar[ValueKind] = "text"
    #: whether answers are numbers (numeric conditions, means, value_to_float)
    numeric: ClassVar[bool] = False
    #: how its answers are summarised and shown in results
    summary_kind: ClassVar[SummaryKind] = "text"

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

    def describe(self, item: Item) -> str:
        """The item's scale in a change report ("likert5", "single_choice [a, b]")."""
        return self.name

    # ---- its answers

    def options(self, item: Item, lang: str) -> list[tuple[str, str]]:
        """The substantive options as (stored value, label); [] for a type without options."""
        return []

    def missing_codes(self, item: Item) -> list[str]:
        """The missing codes the item offers next to its options ("weet_niet", "nvt")."""
        return []

    def all_options(self, item: Item, lang: str) -> list[tuple[str, str]]:
        """Every stored value a respondent can pick, substantive options first, with labels."""
        codes = [(code, translate(MISSING_LABELS[code], lang)) for code in self.missing_codes(item)]
        return self.options(item, lang) + codes

    def allowed_values(self, item: Item) -> list[str]:
        """The stored values of `all_options`."""
        return [value for value, _ in self.all_options(item, "nl")]

    def option_codes(self, item: Item) -> tuple[tuple[str, int], ...]:
        """A whole-number code for each substantive option value (SPSS value labels)."""
        return option_codes([value for value, _ in self.options(item, "nl")])

    def scale_range(self, item: Item) -> tuple[int, int] | None:
        """The lowest and highest scale point of a scale item; None for other types."""
        return None

    def longest_value(self, item: Item) -> int:
        """The most characters this item stores under any of its keys; its form refuses more."""
        values = self.allowed_values(item)
        return max(map(len, values)) if values else DEFAULT_LONGEST

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

    def summary_label(self, lang: str) -> str:
        """The name of this type's summary for people ("Verdeling over de schaal")."""
        return translate(SUMMARY_LABELS[self.summary_kind], lang)


def stored_values(responses: Sequence[Stored], key: str) -> list[str]:
    """The non-empty stored values under `key` of many responses."""
    return [r[key] for r in responses if isinstance(r.get(key), str) and r[key] != ""]


def mean(numbers: Sequence[float]) -> float | None:
    """The mean of `numbers`, None for none."""
    return statistics.fmean(numbers) if numbers else None
