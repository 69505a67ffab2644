"""Reading uploaded CSV files the same way everywhere: UTF-8 (with or without BOM), comma or
semicolon (Dutch Excel), a header row with Dutch or English column names, line numbers kept.

Importers (invitees, organisations) validate the values of each row themselves and report every
problem as "regel N: ..."; nothing is imported while a single line is wrong. One file holds at
most MAX_ROWS data lines, so that one request's work (and the time it writes) stays bounded; a
page shows the first SHOWN_ERRORS problems and how many more there are.
"""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: the most data lines one file may hold (a bigger list is imported in parts)
MAX_ROWS = 100_000
#: how many problems an upload page lists (the command line lists them all)
SHOWN_ERRORS = 50
#: how much of a cell a message repeats
QUOTED_CHARS = 60


@dataclass(frozen=True)
class CsvRow:
    """One data line: its line number in the file and its values by field (stripped)."""

    line: int
    values: dict[str, str]
    #: set when the line cannot be read (wrong number of fields); `values` is then empty
    problem: str | None = None


def read_csv(
    data: bytes | str,
    *,
    columns: Mapping[str, str],
    required: Mapping[str, str] | None = None,
) -> tuple[list[CsvRow], list[str]]:
    """Read a CSV with a header row into rows of {field: value}.

    `columns` maps accepted header names (lower case) to fields; `required` maps a field that must
    be present to a hint added to the "column missing" message (may be ""). Returns the non-empty
    data rows and the problems of the file as a whole (encoding, empty, header); when there are
    such problems no rows are returned. A row with the wrong number of fields carries its problem.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], ["het bestand is geen UTF-8-tekst; sla het op als 'CSV UTF-8'"]
    data = data.removeprefix("\ufeff")
    if not data.strip():
        return [], ["het bestand is leeg"]
    if "\x00" in data:
        return [], ["het bestand bevat een NUL-teken; is het wel een CSV-bestand?"]
    reader = csv.reader(io.StringIO(data, newline=""), delimiter=_delimiter(data))
    try:
        return _read(reader, columns, required or {})
    except csv.Error as error:  # e.g. a field over the size limit
        return [], [f"regel {reader.line_num}: deze regel kan niet gelezen worden ({error})"]


def _delimiter(data: str) -> str:
    """Semicolon when the header has more of them than commas (Dutch Excel), else comma."""
    first_line = data.splitlines()[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _read(
    reader: Any, columns: Mapping[str, str], required: Mapping[str, str]
) -> tuple[list[CsvRow], list[str]]:
    header = [h.strip().lower() for h in next(reader)]
    fields = [columns.get(h) for h in header]
    errors = [
        f"regel 1: onbekende kolom {quoted(h)}"
        for h, f in zip(header, fields, strict=True)
        if not f
    ]
    for field, hint in required.items():
        if field not in fields:
            errors.append(f"regel 1: de kolom '{field}' ontbreekt{f' ({hint})' if hint else ''}")
    doubled = sorted({f for f in fields if f and fields.count(f) > 1})
    errors.extend(f"regel 1: de kolom '{f}' staat er meer dan eens in" for f in doubled)
    if errors:
        return [], errors
    rows: list[CsvRow] = []
    while True:
        line = reader.line_num + 1  # where the record starts (a quoted cell may span lines)
        row = next(reader, None)
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) == MAX_ROWS:
            return [], [
                f"regel {line}: het bestand heeft meer dan {dutch_number(MAX_ROWS)} regels; "
                f"splits het in delen van hoogstens {dutch_number(MAX_ROWS)} regels"
            ]
        if len(row) != len(fields):
            problem = f"regel {line}: {len(row)} velden, verwacht {len(fields)}"
            rows.append(CsvRow(line, {}, problem))
            continue
        rows.append(
            CsvRow(line, {f: cell.strip() for f, cell in zip(fields, row, strict=True) if f})
        )
    return rows, []


def dutch_number(n: int) -> str:
    """A whole number with a point between thousands: 100.000."""
    return f"{n:,}".replace(",", ".")


def quoted(value: str) -> str:
    """A cell inside a message, in quotes, shortened when long (messages stay short)."""
    if len(value) > QUOTED_CHARS:
        value = value[: QUOTED_CHARS - 1] + "…"
    return f"'{value}'"


def shown_errors(errors: list[str]) -> list[str]:
    """The problems an upload page lists: the first SHOWN_ERRORS, then how many more there are
    (100,000 bad lines would otherwise make a page of many megabytes)."""
    if len(errors) <= SHOWN_ERRORS:
        return errors
    more = dutch_number(len(errors) - SHOWN_ERRORS)
    return [
        *errors[:SHOWN_ERRORS],
        f"... en nog {more} fouten; de eerste {SHOWN_ERRORS} staan hierboven",
    ]
