"""How answers are stored: the kinds of stored value, their codes and their longest length.

Table ``answers`` holds (response_id, item_key, value as text); its `value` column is unbounded text
on SQLite and PostgreSQL alike, so the bound on every stored answer is ours: each item type states
the longest value it stores (`ItemType.longest_value`) and its form refuses anything longer with a
message next to the field.

Stored values by kind (`ItemType.stores`):

- ``"scale"``: a scale point as a whole number ("1".."5", "0".."4", "0".."10") or a missing code
  ("weet_niet", "nvt");
- ``"option"``: the value of one option (a choice value, "ja"/"nee");
- ``"options"``: a JSON list of option values (multiple choice);
- ``"number"``: a decimal string in plain notation ("12", "-3.5"), at most `NUMBER_DIGITS` digits;
- ``"text"``: the respondent's text, stripped;
- ``"nothing"``: the item stores no value of its own (a note; a matrix stores its rows' values).

The "anders, namelijk" text of a choice item is stored under ``<key>_other``. An unanswered item
has no stored value at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Literal

from surveys.definition.messages import MISSING_LABELS

#: What kind of value an item type stores (see the module docstring).
ValueKind = Literal["scale", "option", "options", "number", "text", "nothing"]
VALUE_KINDS: tuple[ValueKind, ...] = ("scale", "option", "options", "number", "text", "nothing")

#: The value of the "anders, namelijk" option and the suffix of the key its text is stored under.
OTHER_VALUE = "anders"
OTHER_SUFFIX = "_other"
#: The longest "anders, namelijk" text.
OTHER_TEXT_LIMIT = 250
#: Missing codes an item can offer; they are stored as the code and never count as a score.
MISSING_CODES: tuple[str, ...] = tuple(MISSING_LABELS)

#: The most digits a number answer may have (before and after the decimal point together): more
#: than any count or amount a questionnaire asks, and a stored number stays short.
NUMBER_DIGITS = 20
#: A number as respondents may type it: digits with at most one decimal point or comma, an
#: optional sign; no exponent ("1e-999999" would be a million digits written out).
_NUMBER = re.compile(r"[+-]?(\d+[.,]?\d*|[.,]\d+)")


def number_text(raw: Any) -> str:
    """What a respondent typed as a number, without the spaces people put between digits."""
    return str(raw).strip().replace(" ", "").replace("\u00a0", "")


def is_plain_number(raw: Any) -> bool:
    """Whether `raw` is written as a plain number (no exponent) of at most NUMBER_DIGITS digits.
    Anything else may still be a number for Python, but is never stored."""
    if raw is None:
        return False
    textual = number_text(raw)
    if not _NUMBER.fullmatch(textual):
        return False
    return sum(c.isdigit() for c in textual) <= NUMBER_DIGITS


def longest_number(digits: int = NUMBER_DIGITS) -> int:
    """The longest stored number of at most `digits` typed digits: a sign, a "0" before a
    typed ",5" and the decimal point come on top."""
    return digits + 3


def format_stored_number(number: Any) -> str:
    """A number as stored: plain decimal notation without needless zeros ("12", "3.5")."""
    shown = f"{number.normalize():f}" if not isinstance(number, int | float) else str(number)
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


def option_codes(values: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """Whole-number codes for option values (SPSS): the values themselves when all are whole
    numbers (and "anders" the next number), else 1, 2, 3, ... in option order."""
    plain = [v for v in values if v != OTHER_VALUE]
    if plain and all(re.fullmatch(r"-?\d{1,9}", v) for v in plain):
        codes = {v: int(v) for v in plain}
        if OTHER_VALUE in values:
            codes[OTHER_VALUE] = max(codes.values()) + 1
        return tuple((v, codes[v]) for v in values)
    return tuple((v, i) for i, v in enumerate(values, start=1))


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
