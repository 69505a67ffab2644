"""Which columns a data export has, what each cell holds, and the codebook that explains them.

An export has the response columns first (RESPONSE_COLUMNS, then CONTACT_COLUMNS when contact
data was asked for), then the answer columns in questionnaire order: one per answer item (a matrix
row is an item of its own), a multiple choice as one 0/1 column per option (`<key>__<value>`),
and the "anders, namelijk" text of a choice item as `<key>_other`.

A `Column` knows how to turn what is stored into a cell: for CSV/XLSX (`cell`: numbers as numbers,
missing codes as their code text) and for SPSS (`spss`: every coded answer numeric, the missing
codes as MISSING_SPSS_CODES, declared user-missing).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from surveys.definition.itemtypes import (
    MISSING_CODES,
    OTHER_SUFFIX,
    REGISTRY,
    ItemType,
    ValueKind,
    item_text,
    value_to_float,
)
from surveys.definition.messages import MISSING_LABELS, OTHER_TEXT_LABEL, translate
from surveys.definition.structure import iter_items

Item = Mapping[str, Any]

#: Numeric code of each missing code in SPSS files, declared user-missing there.
MISSING_SPSS_CODES: dict[str, int] = {"weet_niet": 98, "nvt": 99}
#: The language of item texts and labels in exports (the instruments' default language).
LANG = "nl"
#: Separator between an item key and a choice value in a multiple-choice option column.
OPTION_SEPARATOR = "__"
#: Labels of the 0/1 option columns of a multiple choice.
OPTION_LABELS = {0: "Niet gekozen", 1: "Gekozen"}

Kind = Literal["integer", "date", "text", "scale", "number", "choice", "option"]
NUMERIC_KINDS = frozenset({"integer", "scale", "number", "choice", "option"})


@dataclass(frozen=True)
class Column:
    """One column of an export: where its cells come from and how they are coded."""

    #: the column header in CSV and XLSX files
    name: str
    #: how cells are coded (see the module docstring)
    kind: Kind
    #: the field of a response record the cell comes from: an item key, or a response attribute
    #: prefixed with RESPONSE_SOURCE
    source: str
    #: what the column holds: the item text (nl) as asked in this wave, or a description
    label: str
    #: the item type ("likert5", "multiple_choice", ...), "response" or "contact"
    type: str
    #: the stored item key (None for response and contact columns)
    item_key: str | None = None
    domain: str | None = None
    reverse: bool = False
    #: substantive answers as (value in CSV/XLSX, label), in scale or choice order
    values: tuple[tuple[str, str], ...] = ()
    #: the missing codes the item offers ("weet_niet", "nvt")
    missing: tuple[str, ...] = ()
    #: the SPSS code of each stored value of a choice or yes/no item
    codes: tuple[tuple[str, int], ...] = ()
    #: a multiple-choice option column: the choice value it stands for
    option: str | None = None
    #: the whole numbers of a number item (for the SPSS display format)
    integer: bool = False
    #: the variable name in SPSS files (valid, unique); set by `export_columns`
    spss_name: str = ""

    @property
    def numeric(self) -> bool:
        """Whether the SPSS variable is numeric (every coded answer is)."""
        return self.kind in NUMERIC_KINDS

    def cell(self, raw: Any) -> Any:
        """The CSV/XLSX cell for a stored value: numbers as int/float, missing codes as their
        code text, choices as their value, a multiple-choice option as 1/0; None when empty."""
        if raw is None or raw == "":
            return None
        if self.kind == "scale":
            return raw if raw in MISSING_CODES else _number(raw, keep=True)
        if self.kind == "number":
            return _number(raw, keep=True)
        if self.kind == "option":
            chosen = chosen_values(raw)
            return None if chosen is None else int(self.option in chosen)
        return raw

    def spss(self, raw: Any) -> Any:
        """The SPSS cell: a float (NaN = system-missing) for numeric variables, else the text
        (a date for the submission date)."""
        if not self.numeric:
            return None if raw is None or raw == "" else raw
        if raw is None or raw == "":
            return math.nan
        if self.kind == "scale" and raw in MISSING_SPSS_CODES:
            return float(MISSING_SPSS_CODES[raw])
        if self.kind == "choice":
            code = dict(self.codes).get(str(raw))
            return math.nan if code is None else float(code)
        if self.kind == "option":
            cell = self.cell(raw)
            return math.nan if cell is None else float(cell)
        if self.kind == "integer":
            return float(raw)
        return value_to_float(str(raw))

    def spss_value_labels(self) -> dict[float, str]:
        """Value labels of the SPSS variable (empty for texts, numbers and dates)."""
        if self.kind == "scale":
            labels = {float(v): label for v, label in self.values}
            return labels | {
                float(MISSING_SPSS_CODES[c]): translate(MISSING_LABELS[c], LANG)
                for c in self.missing
            }
        if self.kind == "choice":
            labels = dict(self.values)
            return {float(code): labels.get(value, value) for value, code in self.codes}
        if self.kind == "option":
            return {float(k): v for k, v in OPTION_LABELS.items()}
        return {}


def _number(raw: Any, keep: bool = False) -> Any:
    """A stored number as int (whole) or float; a non-number stays text when `keep`."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = float(raw)
    else:
        number = value_to_float(str(raw))
    if math.isnan(number):
        return raw if keep else None
    return int(number) if number.is_integer() else number


def chosen_values(raw: str) -> list[str] | None:
    """The values of a stored multiple choice (a JSON list); None when it cannot be read."""
    try:
        chosen = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return [str(v) for v in chosen] if isinstance(chosen, list) else None


# --------------------------------------------------------------------------- response columns

#: Prefix of the record fields that hold response attributes (item keys never contain ":").
RESPONSE_SOURCE = "response:"

#: (name, kind, source, description): the response columns every export starts with
RESPONSE_COLUMNS: tuple[tuple[str, Kind, str, str], ...] = (
    ("response_id", "integer", "response_id", "Nummer van de response"),
    ("respondent_group", "text", "respondent_group", "Respondentgroep"),
    ("wave", "integer", "wave", "Meting: 0 = nulmeting, 1, 2, ... = vervolgmeting"),
    ("year", "integer", "year", "Jaar van de meting"),
    ("submitted_on", "date", "submitted_on", "Datum waarop de antwoorden zijn verstuurd"),
    ("org_sector", "text", "sector", "Sector van de organisatie"),
    ("org_region", "text", "region", "Arbeidsmarktregio van de organisatie"),
    ("org_size_class", "text", "size_class", "Grootteklasse van de organisatie (fte)"),
    (
        "panel_key",
        "text",
        "panel_key",
        "Pseudoniem (panelsleutel): koppelt antwoorden van dezelfde persoon of organisatie "
        "over de jaren",
    ),
)
#: personal and identifying data, only in exports that ask for it
CONTACT_COLUMNS: tuple[tuple[str, Kind, str, str], ...] = (
    ("organisation_name", "text", "organisation_name", "Naam van de organisatie"),
    ("contact_name", "text", "contact_name", "Naam van de genodigde"),
    ("contact_email", "text", "contact_email", "E-mailadres van de genodigde"),
)


def _response_columns(definition: Mapping[str, Any], with_contacts: bool) -> list[Column]:
    groups = tuple(
        (str(g["key"]), translate(g.get("label"), LANG))
        for g in definition.get("respondent_groups") or []
        if isinstance(g, Mapping) and "key" in g
    )
    columns = [
        Column(
            name=name,
            kind=kind,
            source=RESPONSE_SOURCE + source,
            label=label,
            type="response",
            values=groups if name == "respondent_group" else (),
        )
        for name, kind, source, label in RESPONSE_COLUMNS
    ]
    if with_contacts:
        columns += [
            Column(
                name=name, kind=kind, source=RESPONSE_SOURCE + source, label=label, type="contact"
            )
            for name, kind, source, label in CONTACT_COLUMNS
        ]
    return columns


# --------------------------------------------------------------------------- answer columns


def _leaf_columns(leaf: Mapping[str, Any], wave: int) -> list[Column]:
    """The columns of one answer item (a matrix row counts as an item), by the kind of value
    its type stores: a scale point, one option, several options, a number, or a text."""
    item_type = REGISTRY[leaf["type"]]
    key = leaf["key"]
    common: dict[str, Any] = {
        "source": key,
        "label": item_text(leaf, LANG, wave),
        "item_key": key,
        "type": item_type.name,
        "domain": leaf.get("domain") if isinstance(leaf.get("domain"), str) else None,
        "reverse": bool(leaf.get("reverse", False)),
    }
    return COLUMNS_BY_VALUE_KIND[item_type.stores](item_type, leaf, common)


def _scale_columns(item_type: ItemType, leaf: Item, common: Mapping[str, Any]) -> list[Column]:
    values = tuple(item_type.options(leaf, LANG))
    missing = tuple(item_type.missing_codes(leaf))
    return [Column(name=leaf["key"], kind="scale", values=values, missing=missing, **common)]


def _option_columns(item_type: ItemType, leaf: Item, common: Mapping[str, Any]) -> list[Column]:
    """One 0/1 column per option of an item that stores several, and its "anders" text."""
    options = [
        Column(
            **common | {"label": f"{common['label']} – {label}"},
            name=f"{leaf['key']}{OPTION_SEPARATOR}{value}",
            kind="option",
            option=value,
            values=tuple((str(k), v) for k, v in OPTION_LABELS.items()),
        )
        for value, label in item_type.options(leaf, LANG)
    ]
    return [*options, *_other_column(leaf, common)]


def _choice_columns(item_type: ItemType, leaf: Item, common: Mapping[str, Any]) -> list[Column]:
    values = tuple(item_type.options(leaf, LANG))
    codes = item_type.option_codes(leaf)
    choice = Column(name=leaf["key"], kind="choice", values=values, codes=codes, **common)
    return [choice, *_other_column(leaf, common)]


def _number_columns(item_type: ItemType, leaf: Item, common: Mapping[str, Any]) -> list[Column]:
    return [Column(name=leaf["key"], kind="number", integer=bool(leaf.get("integer")), **common)]


def _text_columns(item_type: ItemType, leaf: Item, common: Mapping[str, Any]) -> list[Column]:
    return [Column(name=leaf["key"], kind="text", **common)]


#: The export columns of an answer item, by the kind of value its type stores.
COLUMNS_BY_VALUE_KIND: dict[
    ValueKind, Callable[[ItemType, Item, Mapping[str, Any]], list[Column]]
] = {
    "scale": _scale_columns,
    "option": _choice_columns,
    "options": _option_columns,
    "number": _number_columns,
    "text": _text_columns,
    "nothing": lambda item_type, leaf, common: [],
}


def _other_column(leaf: Mapping[str, Any], common: Mapping[str, Any]) -> list[Column]:
    """The "anders, namelijk" text column of a choice item that offers it."""
    if not leaf.get("other"):
        return []
    key = leaf["key"] + OTHER_SUFFIX
    label = f"{common['label']} – {translate(OTHER_TEXT_LABEL, LANG).rstrip(':')}"
    return [Column(name=key, kind="text", source=key, label=label, item_key=key, type="other_text")]


def export_columns(
    definition: Mapping[str, Any], *, wave: int = 0, with_contacts: bool = False
) -> list[Column]:
    """Every column of an export of answers to `definition`, in order, with unique CSV names
    and valid, unique SPSS names. Item texts are the Dutch wording asked in `wave`."""
    columns = _response_columns(definition, with_contacts)
    for _, _, item in iter_items(definition):
        if item.get("type") not in REGISTRY:
            continue
        for leaf in REGISTRY[item["type"]].leaves(item):
            if leaf.get("type") in REGISTRY:
                columns += _leaf_columns(leaf, wave)
    names = unique_names([c.name for c in columns])
    spss = spss_names(names)
    return [
        replace(column, name=name, spss_name=spss_name)
        for column, name, spss_name in zip(columns, names, spss, strict=True)
    ]


# --------------------------------------------------------------------------- names


def unique_names(names: Sequence[str]) -> list[str]:
    """`names` with later duplicates suffixed `_2`, `_3`, ... (the first keeps its name)."""
    taken: set[str] = set()
    result = []
    for name in names:
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name}_{n}", n + 1
        taken.add(candidate)
        result.append(candidate)
    return result


#: SPSS keywords that cannot be variable names.
SPSS_RESERVED = frozenset(
    {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}
)
#: Longest SPSS variable name, in bytes.
SPSS_NAME_BYTES = 64


def spss_names(names: Sequence[str]) -> list[str]:
    """Valid SPSS variable names for `names`, in order: ASCII letters, digits and `_` only,
    starting with a letter, at most 64 bytes, no keyword, unique regardless of case
    (a clash gets `_2`, `_3`, ...)."""
    taken: set[str] = set()
    result = []
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_]", "_", name).strip("_")
        if not base or not base[0].isalpha():
            base = f"v_{base}" if base else "v"
        if base.upper() in SPSS_RESERVED:
            base = f"{base}_v"
        base = base[:SPSS_NAME_BYTES].rstrip("_")
        candidate, n = base, 2
        while candidate.lower() in taken:
            suffix = f"_{n}"
            candidate, n = base[: SPSS_NAME_BYTES - len(suffix)] + suffix, n + 1
        taken.add(candidate.lower())
        result.append(candidate)
    return result


def truncate_bytes(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` UTF-8 bytes, with "…"
    when cut (SPSS limits labels in bytes: variable labels 256, value labels 120)."""
    text = " ".join(text.split())
    if len(text.encode("utf-8")) <= limit:
        return text
    room = limit - len("…".encode())
    cut = text.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    if " " in cut[len(cut) // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"


# --------------------------------------------------------------------------- codebook

#: the columns of the codebook (CSV file, XLSX sheet)
CODEBOOK_FIELDS = (
    "variable", "spss_variable", "item_key", "text", "type", "values", "missing_codes",
    "spss_codes", "domain", "reverse_coded",
)  # fmt: skip


def _values_text(column: Column) -> str:
    return "; ".join(f"{value} = {label}" for value, label in column.values)


def codebook_rows(columns: Sequence[Column]) -> list[dict[str, str]]:
    """One row per column: names, item key, full item text, type, values with labels, missing
    codes (with their SPSS codes), SPSS codes of choices, domain and reverse coding."""
    rows = []
    for column in columns:
        missing = "; ".join(
            f"{code} = {translate(MISSING_LABELS[code], LANG)} (SPSS {MISSING_SPSS_CODES[code]})"
            for code in column.missing
        )
        spss_codes = "; ".join(f"{code} = {value}" for value, code in column.codes)
        values = _values_text(column)
        if column.kind == "option":
            values += "; leeg = vraag niet beantwoord"
        rows.append(
            {
                "variable": column.name,
                "spss_variable": column.spss_name,
                "item_key": column.item_key or "",
                "text": column.label,
                "type": column.type,
                "values": values,
                "missing_codes": missing,
                "spss_codes": spss_codes,
                "domain": column.domain or "",
                "reverse_coded": ("ja" if column.reverse else "nee") if column.domain else "",
            }
        )
    return rows
