"""The printed width of a label, from DejaVu Sans's advance widths, without loading a font.

The charts lay out their labels before drawing (the room left of the bars, where a legend line
wraps). The widths below are DejaVu Sans's (the chart font, embedded in the PDFs) in font units of
2048 per em; kerning is left out, which can only overestimate a width, so a label always fits.
An accented letter measures as its base letter; any other character as a digit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_EM = 2048
#: advance widths of the printable ASCII characters, from " " (32) to "~" (126)
_ASCII = (
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087,
    2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,
    1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024,
    1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253,
    1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
)  # fmt: skip
_OTHER = {
    "–": 1024, "—": 2048, "’": 651, "‘": 651, "“": 1061, "”": 1061, "…": 2048, "€": 1303,
    "·": 651, "×": 1716, "°": 1024, "±": 1716, "≥": 1716, "≤": 1716, "²": 821, "³": 821,
    "½": 1985,
}  # fmt: skip
_DEFAULT = 1303  # a digit's width


def _advance(char: str) -> int:
    code = ord(char)
    if 32 <= code < 127:
        return _ASCII[code - 32]
    if char in _OTHER:
        return _OTHER[char]
    base = unicodedata.normalize("NFD", char)[0]
    if base != char:
        return _advance(base)
    return _DEFAULT


def text_width(text: str, size: float) -> float:
    """Width in points of `text` set in DejaVu Sans at `size` points."""
    return sum(_advance(c) for c in str(text)) * size / _EM


def widest(labels: Iterable[str], size: float) -> float:
    """Width in points of the widest of `labels` at `size` points (0 for none)."""
    return max((text_width(label, size) for label in labels), default=0.0)
