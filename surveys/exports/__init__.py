"""Data exports for researchers: one row per submitted response of a campaign, one column per
item, as CSV, XLSX or SPSS .sav, each with a codebook (docs/exports.md).

    table = load_table(campaign_id, with_contacts=False)   # ExportError: unknown campaign
    files = write_export(table, "sav", "cop-2023.sav")     # ExportError: cannot write
    file = download(table, "csv")                          # bytes for the web (a zip for CSV)

Contact data is only loaded when asked for; who may ask, and recording that an export was made
(the audit log), is the application's business.
"""

from surveys.exports.columns import (
    CODEBOOK_FIELDS,
    CONTACT_COLUMNS,
    MISSING_SPSS_CODES,
    RESPONSE_COLUMNS,
    Column,
    codebook_rows,
    export_columns,
    spss_names,
    truncate_bytes,
)
from surveys.exports.table import ExportError, ExportTable, load_table
from surveys.exports.writers import (
    FORMATS,
    Download,
    check_target,
    codebook_path,
    download,
    file_stem,
    format_for,
    neutralise,
    spss_frame,
    write_export,
)

__all__ = [
    "CODEBOOK_FIELDS",
    "CONTACT_COLUMNS",
    "FORMATS",
    "MISSING_SPSS_CODES",
    "RESPONSE_COLUMNS",
    "Column",
    "Download",
    "ExportError",
    "ExportTable",
    "check_target",
    "codebook_path",
    "codebook_rows",
    "download",
    "export_columns",
    "file_stem",
    "format_for",
    "load_table",
    "neutralise",
    "spss_frame",
    "spss_names",
    "truncate_bytes",
    "write_export",
]
