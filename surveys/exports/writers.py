"""Writing an export table as CSV (+ codebook CSV), XLSX (+ codebook sheet) or SPSS .sav
(+ codebook CSV), safely: spreadsheet formulas neutralised, files replaced only when complete.

pandas, pyreadstat and openpyxl are imported by the writer that needs them, not with this module:
the web app imports it for the export page, and each of its workers would hold them all.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveys.exports.columns import (
    CODEBOOK_FIELDS,
    MISSING_SPSS_CODES,
    Column,
    codebook_rows,
    truncate_bytes,
)
from surveys.exports.table import ExportError, ExportTable

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

#: The export formats, as given to `--format` and in the console form.
FORMATS = ("csv", "xlsx", "sav")
#: Characters that make a spreadsheet read a cell as a formula (or hide one behind them).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: What may stand before a formula trigger and still let the formula run: spaces, controls.
_LEADING = " \u00a0" + "".join(chr(c) for c in range(32))
#: Control characters an XLSX file cannot hold (XML 1.0 forbids them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The most characters an Excel cell holds.
XLSX_CELL_CHARS = 32767
#: SPSS limits in bytes: variable labels, value labels, the file label.
VARIABLE_LABEL_BYTES = 250
VALUE_LABEL_BYTES = 120
FILE_LABEL_BYTES = 64


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with a single quote;
    anything else unchanged (numbers stay numbers, also negative ones).

    A text is dangerous when it starts with = + - @, a tab or a carriage return, also behind
    leading spaces or control characters.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    if value.lstrip(_LEADING).startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def codebook_path(out: Path) -> Path:
    """Where the codebook CSV of a CSV or SPSS export `out` goes: `<name>_codebook.csv`."""
    return out.with_name(f"{out.stem}_codebook.csv")


def format_for(out: Path) -> str | None:
    """The export format a file name suggests ("csv", "xlsx", "sav"), or None."""
    suffix = out.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


# --------------------------------------------------------------------------- CSV


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([neutralise(name) for name in header])
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])


def write_codebook_csv(table: ExportTable, path: Path) -> None:
    """The codebook as CSV: one row per column of the data (see CODEBOOK_FIELDS)."""
    rows = codebook_rows(table.columns)
    _write_csv(path, CODEBOOK_FIELDS, ([row[f] for f in CODEBOOK_FIELDS] for row in rows))


def write_csv(table: ExportTable, path: Path) -> None:
    """The data as CSV: UTF-8, comma-separated, a header row of column names, decimal point."""
    _write_csv(path, [c.name for c in table.columns], table.cells())


# --------------------------------------------------------------------------- XLSX


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(_XLSX_ILLEGAL.sub("", value))[:XLSX_CELL_CHARS]
    return value


def _append(sheet, values: Iterable[Any], bold: bool = False) -> None:
    if not bold:
        sheet.append([_xlsx_cell(v) for v in values])
        return
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def write_xlsx(table: ExportTable, path: Path) -> None:
    """The data on a sheet "data" and the codebook on a sheet "codebook"; numbers and dates
    as real cells, texts neutralised."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    data = book.create_sheet("data")
    data.freeze_panes = "B2"
    _append(data, [c.name for c in table.columns], bold=True)
    for row in table.cells():
        _append(data, row)
    codebook = book.create_sheet("codebook")
    codebook.freeze_panes = "A2"
    _append(codebook, CODEBOOK_FIELDS, bold=True)
    for row in codebook_rows(table.columns):
        _append(codebook, [row[f] for f in CODEBOOK_FIELDS])
    book.save(path)


# --------------------------------------------------------------------------- SPSS


def _spss_format(column: Column) -> str | None:
    if column.kind == "date":
        return "DATE11"
    if column.kind == "scale":
        return "F2.0"
    if column.kind == "option":
        return "F1.0"
    if column.kind == "choice":
        width = max((len(str(code)) for _, code in column.codes), default=1)
        return f"F{width}.0"
    if column.kind == "integer":
        return "F10.0" if column.name == "response_id" else "F4.0"
    if column.kind == "number":
        return "F10.0" if column.integer else "F10.2"
    return None


_MEASURE = {
    "scale": "ordinal", "choice": "nominal", "option": "nominal", "number": "scale",
    "text": "nominal", "date": "scale", "integer": "nominal",
}  # fmt: skip


def spss_frame(table: ExportTable) -> pd.DataFrame:
    """The data as SPSS sees it, one variable per column (named by `spss_name`): numeric
    variables as float (missing codes as MISSING_SPSS_CODES), texts as text, the date as date."""
    import pandas as pd

    data: dict[str, pd.Series] = {}
    for column in table.columns:
        values = [column.spss(record.get(column.source)) for record in table.records]
        if column.numeric:
            series = pd.Series(values, dtype="float64")
        elif column.kind == "date":
            series = pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
        else:
            series = pd.Series(["" if v is None else str(v) for v in values], dtype="object")
        data[column.spss_name] = series
    return pd.DataFrame(data, index=range(len(table.records)))


def write_sav(table: ExportTable, path: Path) -> None:
    """The data as an SPSS system file with variable labels (the item text, cut to SPSS's
    limit), value labels, and the missing codes declared user-missing."""
    import pyreadstat

    columns = table.columns
    numeric_scales = [c for c in columns if c.kind == "scale"]
    pyreadstat.write_sav(
        spss_frame(table),
        str(path),
        file_label=truncate_bytes(table.title, FILE_LABEL_BYTES),
        column_labels={c.spss_name: truncate_bytes(c.label, VARIABLE_LABEL_BYTES) for c in columns},
        variable_value_labels={
            c.spss_name: {
                value: truncate_bytes(label, VALUE_LABEL_BYTES)
                for value, label in c.spss_value_labels().items()
            }
            for c in columns
            if c.spss_value_labels()
        },
        missing_ranges={
            c.spss_name: [float(code) for code in sorted(MISSING_SPSS_CODES.values())]
            for c in numeric_scales
        },
        variable_measure={c.spss_name: _MEASURE[c.kind] for c in columns},
        variable_format={c.spss_name: f for c in columns if (f := _spss_format(c))},
        note=[  # SPSS document lines hold at most 80 bytes
            truncate_bytes(
                f"Meting {table.campaign_id}: {table.instrument} versie {table.version}", 80
            ),
            "Ontbrekend gedeclareerd: "
            + ", ".join(f"{code} = {name}" for name, code in MISSING_SPSS_CODES.items()),
        ],
    )


# --------------------------------------------------------------------------- files


def check_target(out: Path) -> None:
    """Raise ExportError unless a file can be written at `out`."""
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a directory")
    parent = out.parent
    if not parent.exists():
        raise ExportError(f"cannot write {out}: the directory {parent} does not exist")
    if not parent.is_dir():
        raise ExportError(f"cannot write {out}: {parent} is not a directory")
    if not os.access(parent, os.W_OK):
        raise ExportError(f"cannot write {out}: no permission to write in {parent}")


def _replace_atomically(out: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file next to `out`, then put it in place: a failed export never
    leaves half a file (nor destroys an older one)."""
    handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)


def write_export(table: ExportTable, fmt: str, out: Path | str) -> list[Path]:
    """Write `table` in format `fmt` to `out` (and the codebook CSV next to it for CSV and SPSS);
    returns the files written. Raises ExportError with a clear message when it cannot."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}'; use {', '.join(FORMATS)}")
    out = Path(out)
    check_target(out)
    writer = {"csv": write_csv, "xlsx": write_xlsx, "sav": write_sav}[fmt]
    files = [out]
    try:
        _replace_atomically(out, lambda path: writer(table, path))
        if fmt in ("csv", "sav"):
            codebook = codebook_path(out)
            _replace_atomically(codebook, lambda path: write_codebook_csv(table, path))
            files.append(codebook)
    except OSError as error:
        raise ExportError(f"cannot write {out}: {error.strerror or error}") from error
    logger.info(
        "exported campaign %s as %s: %d responses, %d columns, contacts: %s",
        table.campaign_id, fmt, len(table.records), len(table.columns), table.with_contacts,
    )  # fmt: skip
    return files


# --------------------------------------------------------------------------- downloads

MIMETYPES = {
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}


@dataclass(frozen=True)
class Download:
    """An export as one file to hand out: a zip with data and codebook for CSV, else the file."""

    filename: str
    mimetype: str
    data: bytes


def file_stem(table: ExportTable) -> str:
    """The base file name of an export: the campaign's slug, marked when it holds contacts."""
    return f"{table.slug}_met_contactgegevens" if table.with_contacts else table.slug


def download(table: ExportTable, fmt: str) -> Download:
    """The export of `table` in format `fmt` as bytes (for a web download)."""
    stem = file_stem(table)
    with tempfile.TemporaryDirectory(prefix="export-") as directory:
        files = write_export(table, fmt, Path(directory) / f"{stem}.{fmt}")
        if fmt == "csv":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in files:
                    archive.write(file, arcname=file.name)
            return Download(f"{stem}.zip", MIMETYPES["zip"], buffer.getvalue())
        return Download(files[0].name, MIMETYPES[fmt], files[0].read_bytes())
