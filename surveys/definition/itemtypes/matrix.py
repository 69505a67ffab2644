"""The matrix: rows of one scale, every row an item with its own key (and domain)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wtforms.fields.core import UnboundField

from surveys.definition import schema
from surveys.definition.errors import quoted
from surveys.definition.itemtypes.base import (
    COMMON_FIELDS,
    MISSING_FIELDS,
    SCORED_FIELDS,
    FormOptions,
    Item,
    ItemSummary,
    ItemType,
    ScoredItem,
    Stored,
)
from surveys.definition.itemtypes.scales import MATRIX_SCALES, ScaleType
from surveys.definition.schema import Context, Field


def _check_row(value: Any, path: str, ctx: Context) -> bool:
    spec = {
        "key": Field(schema.key, required=True),
        "text": Field(schema.translation, required=True),
        "text_followup": Field(schema.translation),
        "help": Field(schema.translation),
    } | SCORED_FIELDS
    return schema.check_mapping(value, spec, path, ctx, what="a row {key, text}")


def _check_scale(value: Any, path: str, ctx: Context) -> bool:
    if value not in list(MATRIX_SCALES):  # a list: the value may be unhashable
        ctx.add(path, f"unknown matrix scale {quoted(value)}; use {', '.join(MATRIX_SCALES)}")
        return False
    return True


class Matrix(ItemType):
    """Rows of one scale; every row is an item with its own key (and domain)."""

    name = "matrix"
    composite = True
    stores = "nothing"
    summary_kind = "matrix"
    fields = (
        COMMON_FIELDS
        | MISSING_FIELDS
        | {
            "scale": Field(_check_scale, required=True),
            "rows": Field(schema.list_of(_check_row, what="a list of rows"), required=True),
        }
    )

    def scale(self, item: Item) -> ScaleType:
        """The scale of the rows (likert5 while the definition does not name a known one)."""
        return MATRIX_SCALES.get(str(item.get("scale")), MATRIX_SCALES["likert5"])

    def options(self, item: Item, lang: str) -> list[tuple[str, str]]:
        """The options of every row: the points of its scale."""
        return self.scale(item).options(item, lang)

    def missing_codes(self, item: Item) -> list[str]:
        return self.scale(item).missing_codes(item)

    def scale_range(self, item: Item) -> tuple[int, int]:
        return self.scale(item).scale_range(item)

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
