"""Data exports for researchers: one row per submitted response of a campaign, one column per
item, as CSV, XLSX or SPSS .sav, each with a codebook (docs/exports.md).

    table = load_table(campaign_id, with_contacts=False)   # ExportError: unknown campaign
    files = write_export(table, "sav", "cop-2023.sav")     # ExportError: cannot write
    file = download(table, "csv")                          # bytes for the web (a zip for CSV)

Contact data is only loaded when asked for; who may ask, and recording that an export was made
(the audit log), is the application's business.

Import from the modules (``surveys.exports.table``, ``surveys.exports.writers``): this file stays
empty so that the web app loads pandas, openpyxl and pyreadstat only when an export is written.
"""
