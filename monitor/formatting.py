"""Dutch number and date formatting, for web pages and reports alike."""

import math
from datetime import date, datetime

from flask import Flask

MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def number_nl(value: float | int | None, decimals: int = 1) -> str:
    """1234.5 -> '1.234,5'; None or NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
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


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["nl"] = number_nl
    app.jinja_env.filters["pct"] = percent_nl
    app.jinja_env.filters["date_nl"] = date_nl
