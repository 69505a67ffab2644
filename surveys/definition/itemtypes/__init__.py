"""Item types: every type of question an instrument may ask, each one class that knows all
about its answers.

A type says which definition fields it takes and checks them, builds its WTForms field(s),
encodes submitted data to the stored text (and decodes it back), bounds what it stores, and
summarises and scores stored answers; callers ask it through the interface of `ItemType`
(`base.py`), never which type it is. Modules: `storage` (how values are stored), `base` (the
interface), one module per family (`radio`, `scales`, `choices`, `numbers`, `texts`, `matrix`),
and `registry` (the explicit list of types). docs/instruments.md, "Adding an item type", says how
to add one.
"""

from surveys.definition.itemtypes.base import (
    COMMON_FIELDS,
    SUMMARY_LABELS,
    FormOptions,
    ItemSummary,
    ItemType,
    ScoredItem,
    SummaryKind,
    item_text,
)
from surveys.definition.itemtypes.registry import REGISTRY, get_type, leaf_type, register
from surveys.definition.itemtypes.scales import MATRIX_SCALES
from surveys.definition.itemtypes.storage import (
    MISSING_CODES,
    OTHER_SUFFIX,
    OTHER_VALUE,
    VALUE_KINDS,
    ValueKind,
    value_to_float,
)

__all__ = [
    "COMMON_FIELDS",
    "MATRIX_SCALES",
    "MISSING_CODES",
    "OTHER_SUFFIX",
    "OTHER_VALUE",
    "REGISTRY",
    "SUMMARY_LABELS",
    "VALUE_KINDS",
    "FormOptions",
    "ItemSummary",
    "ItemType",
    "ScoredItem",
    "SummaryKind",
    "ValueKind",
    "get_type",
    "item_text",
    "leaf_type",
    "register",
    "value_to_float",
]
