"""The registry of item types: the types an instrument may use, by name, in the order the
documentation lists them. Adding a type is writing its class (in the module of its family, or a
new one) and adding it to `TYPES`."""

from __future__ import annotations

from surveys.definition.itemtypes.base import Item, ItemType
from surveys.definition.itemtypes.choices import MultipleChoice, SingleChoice
from surveys.definition.itemtypes.matrix import Matrix
from surveys.definition.itemtypes.numbers import Number
from surveys.definition.itemtypes.radio import YesNo
from surveys.definition.itemtypes.scales import Likert5, Likert7, Maturity, NetPromoterScore
from surveys.definition.itemtypes.texts import LongText, Note, ShortText

#: Every item type, in the order of docs/instruments.md.
TYPES: tuple[type[ItemType], ...] = (
    Likert5,
    Likert7,
    Maturity,
    NetPromoterScore,
    SingleChoice,
    MultipleChoice,
    YesNo,
    Number,
    ShortText,
    LongText,
    Note,
    Matrix,
)

REGISTRY: dict[str, ItemType] = {}


def register(cls: type[ItemType]) -> type[ItemType]:
    """Make `cls` the item type named `cls.name` (usable as a class decorator)."""
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"item type name {cls.name!r} is empty or taken")
    REGISTRY[cls.name] = cls()
    return cls


for _cls in TYPES:
    register(_cls)


def get_type(name: str) -> ItemType:
    """The registered item type `name` (KeyError if there is none)."""
    return REGISTRY[name]


def leaf_type(leaf: Item) -> ItemType:
    """The type of a leaf item (a matrix row's leaf carries the matrix scale as its type)."""
    return REGISTRY[leaf["type"]]
