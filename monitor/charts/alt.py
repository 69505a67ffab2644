"""The Dutch text alternatives of the charts, as functions of the charts' plain values.

A chart's alt text goes into its figure caption in a report, into the `<desc>` of its SVG and next
to it on a web page, so a reader without the picture misses nothing: it states every figure in
words, and says which figures are not shown and why. The functions take the same values as the
chart functions (`monitor.charts`) and draw nothing, so the wording is tested without matplotlib
and a web page can state a chart's figures without drawing it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from monitor.charts.style import SUPPRESSED_TEXT
from monitor.formatting import date_nl, number_nl, percent_nl

#: a daily trend lists every day up to this many days, and summarises a longer period
TREND_DAYS_LISTED = 14
#: a stacked bar's row without any valid answer (only missing codes)
NO_VALID_TEXT = "geen geldige antwoorden"


def profile_alt(
    domains: Sequence[str],
    scores: Sequence[float | None],
    *,
    peer_median: Sequence[float | None] | None = None,
    peer_q1: Sequence[float | None] | None = None,
    peer_q3: Sequence[float | None] | None = None,
    title: str = "Domeinprofiel",
    subject: str = "bedrijf",
    peer_label: str = "vergelijkingsgroep",
    scale: tuple[float, float] = (0.0, 4.0),
) -> str:
    """The domain profile's alt: per domain the score, and the peers' median and quartiles."""
    n = len(domains)
    medians = list(peer_median) if peer_median is not None else [None] * n
    q1s = list(peer_q1) if peer_q1 is not None else [None] * n
    q3s = list(peer_q3) if peer_q3 is not None else [None] * n
    parts = []
    for name, value, m, q1, q3 in zip(domains, scores, medians, q1s, q3s, strict=True):
        own = f"{subject} {number_nl(value)}" if value is not None else f"{subject} geen score"
        if peer_median is None:
            parts.append(f"{name}: {own}")
        elif m is None:
            parts.append(f"{name}: {own}; {peer_label} niet getoond ({SUPPRESSED_TEXT})")
        elif q1 is None or q3 is None:
            parts.append(f"{name}: {own}; mediaan {peer_label} {number_nl(m)}")
        else:
            quartiles = f"(kwartielen {number_nl(q1)}–{number_nl(q3)})"
            parts.append(f"{name}: {own}; mediaan {peer_label} {number_nl(m)} {quartiles}")
    lo, hi = scale
    return f"{title} (schaal {number_nl(lo, 0)}–{number_nl(hi, 0)}). " + ". ".join(parts) + "."


def means_alt(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    ci: Mapping[str, Sequence[tuple[float, float] | None]] | None = None,
    marks: Mapping[str, Sequence[bool]] | None = None,
    mark_label: str = "significant verschil met de nulmeting",
    title: str = "Gemiddelden",
    decimals: int = 1,
) -> str:
    """The grouped means' alt: per category each series' mean, its 95% interval and its mark."""
    parts = []
    for i, cat in enumerate(categories):
        pieces = []
        for name, values in series.items():
            value = values[i]
            iv = ((ci or {}).get(name) or [None] * len(categories))[i]
            flag = ((marks or {}).get(name) or [False] * len(categories))[i]
            if value is None:
                pieces.append(f"{name} niet getoond ({SUPPRESSED_TEXT})")
                continue
            text = f"{name} {number_nl(value, decimals)}"
            if iv is not None:
                text += f" (95%-BI {number_nl(iv[0], decimals)}–{number_nl(iv[1], decimals)})"
            if flag:
                text += f", {mark_label}"
            pieces.append(text)
        parts.append(f"{cat}: " + "; ".join(pieces))
    return f"{title}. " + ". ".join(parts) + "."


def bar_decimals(values: Sequence[float | None], percent: bool) -> int:
    """The decimals a bar chart prints: none for shares and whole numbers, else one."""
    whole = all(float(v).is_integer() for v in values if v is not None)
    return 0 if percent or whole else 1


def bar_text(value: float | None, *, percent: bool, decimals: int, unit: str = "") -> str:
    """One bar's value as printed at its end and in the alt ("42%", "1.234 bedrijven")."""
    if value is None:
        return SUPPRESSED_TEXT
    text = percent_nl(value, decimals) if percent else number_nl(value, decimals)
    return f"{text} {unit}".rstrip()


def bars_alt(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str = "Aantallen",
    percent: bool = False,
    decimals: int | None = None,
    unit: str = "",
) -> str:
    """The bar chart's alt: every label with its value, or that it is not shown."""
    if decimals is None:
        decimals = bar_decimals(values, percent)
    parts = [
        f"{lab}: {bar_text(v, percent=percent, decimals=decimals, unit=unit)}"
        for lab, v in zip(labels, values, strict=True)
    ]
    return f"{title}. " + "; ".join(parts) + "."


def distribution_alt(
    rows: Sequence[str],
    categories: Sequence[str],
    counts: Sequence[Sequence[int] | None],
    *,
    missing: Mapping[str, Sequence[int]] | None = None,
    title: str = "Verdeling",
) -> str:
    """The stacked distribution's alt: per row each answer's share of the valid answers and its
    count, the number of valid answers, and the missing codes (such as "weet niet") apart."""
    parts = []
    for i, (row, row_counts) in enumerate(zip(rows, counts, strict=True)):
        if row_counts is None:
            parts.append(f"{row}: niet getoond ({SUPPRESSED_TEXT})")
            continue
        total = sum(row_counts)
        apart = {code: c[i] for code, c in (missing or {}).items()}
        if not total:
            parts.append(f"{row}: {NO_VALID_TEXT}; {distribution_note(total, apart)}")
            continue
        shares = [
            f"{cat} {percent_nl(c / total)} ({number_nl(c, 0)})"
            for cat, c in zip(categories, row_counts, strict=True)
        ]
        parts.append(f"{row}: " + ", ".join(shares) + f"; {distribution_note(total, apart)}")
    return f"{title}. " + ". ".join(parts) + "."


def distribution_note(total: int, missing: Mapping[str, int]) -> str:
    """The number of valid answers and the missing codes that occur, as printed after a stacked
    bar and in its alt: "n = 50; weet niet 3, n.v.t. 1"."""
    apart = [f"{code} {number_nl(count, 0)}" for code, count in missing.items() if count]
    return f"n = {number_nl(total, 0)}" + ("; " + ", ".join(apart) if apart else "")


def trend_alt(
    days: Sequence[date],
    values: Sequence[float | None],
    *,
    title: str = "Respons per dag",
    label: str = "responsen",
    decimals: int = 0,
) -> str:
    """The daily trend's alt: every day of a short period; else the period, the total, the
    highest day and the last day."""

    def fmt(v: float | None) -> str:
        return "geen gegevens" if v is None else number_nl(v, decimals)

    if len(days) <= TREND_DAYS_LISTED:
        body = "; ".join(f"{date_nl(d)}: {fmt(v)}" for d, v in zip(days, values, strict=True))
    else:
        shown = [(d, v) for d, v in zip(days, values, strict=True) if v is not None]
        total = sum(v for _, v in shown)
        body = f"van {date_nl(days[0])} tot en met {date_nl(days[-1])}, totaal {fmt(total)}"
        if shown:
            peak = max(shown, key=lambda p: p[1])
            body += f"; hoogste dag {date_nl(peak[0])} ({fmt(peak[1])})"
        body += f"; laatste dag {fmt(values[-1])}"
    return f"{title} ({label}): {body}."
