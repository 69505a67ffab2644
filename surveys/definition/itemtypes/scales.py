"""Numbered scales: agreement (Likert), maturity of an HR practice, and the Net Promoter Score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from surveys.definition.itemtypes.base import (
    COMMON_FIELDS,
    MISSING_FIELDS,
    SCORED_FIELDS,
    Item,
    ScoredItem,
)
from surveys.definition.itemtypes.radio import RadioType
from surveys.definition.itemtypes.storage import MISSING_CODES
from surveys.definition.messages import translate


class ScaleType(RadioType):
    """A numbered scale (agreement, maturity, NPS) with optional missing codes."""

    numeric = True
    stores = "scale"
    summary_kind = "distribution"
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

    def scale_range(self, item: Item) -> tuple[int, int]:
        return (self.scale_min, self.scale_max)

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


class NetPromoterScore(ScaleType):
    """Likelihood to recommend, 0-10; no missing code unless the item lists one."""

    name = "nps"
    summary_kind = "nps"
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


#: The scales a matrix can use, by name.
MATRIX_SCALES: dict[str, ScaleType] = {
    scale.name: scale for scale in (Likert5(), Likert7(), Maturity())
}
