"""Dutch number and date formatting, for web pages and reports alike."""

import math
from datetime import date, datetime

from flask import Flask

from analysis.rounding import round_half_up

MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def number_nl(value: float | int | None, decimals: int = 1) -> str:
    """1234.5 -> '1.234,5'; None or NaN -> '–'. Halves round away from zero (2,25 -> '2,3';
    ``analysis.rounding``), and a value that rounds to zero prints without a minus."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round_half_up(value, decimals) + 0.0  # + 0.0: no "-0,0"
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def percent_nl(value: float | None, decimals: int = 0) -> str:
    """0.423 -> '42%'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{number_nl(value * 100, decimals)}%"


def date_nl(value: date | datetime | None) -> str:
    """date(2025, 3, 7) -> '7 maart 2025'."""
    if value is None:
        return "–"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


#: the Jinja filters of web pages and reports alike
FILTERS = {"nl": number_nl, "pct": percent_nl, "date_nl": date_nl, "rounded": round_half_up}


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
