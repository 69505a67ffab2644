"""`monitor export`: a campaign's answers for researchers as CSV, XLSX or SPSS, with a codebook."""

import getpass
from pathlib import Path

import click
from flask.cli import with_appcontext

from monitor import audit
from surveys.db import db
from surveys.exports.table import ExportError, load_table
from surveys.exports.writers import FORMATS, check_target, format_for, write_export


def _operator() -> str | None:
    """The operating-system account that runs the command (the "who" of a CLI export)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


@click.command("export")
@with_appcontext
@click.option("--campaign", "campaign_id", type=int, required=True, help="campaign id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="file format (default: from the --out file name)",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="the data file; CSV and SPSS get <name>_codebook.csv next to it",
)
@click.option(
    "--with-contacts",
    is_flag=True,
    help="add organisation names and invitees' names and e-mail addresses (personal data)",
)
def export(campaign_id: int, fmt: str | None, out: Path, with_contacts: bool) -> None:
    """Export a campaign's submitted responses: one row per response, one column per item.

    Scale answers are numbers; "weet niet" and "n.v.t." stay distinguishable (as their code in
    CSV/XLSX, as user-missing 98/99 in SPSS). Every export is recorded in the audit log.
    """
    fmt = fmt or format_for(out)
    if fmt is None:
        raise click.ClickException(
            f"cannot tell the format from '{out.name}'; give --format {'|'.join(FORMATS)}"
        )
    try:
        check_target(out)  # before any work
        table = load_table(campaign_id, with_contacts=with_contacts)
        files = write_export(table, fmt, out)
    except ExportError as error:
        raise click.ClickException(str(error)) from error
    audit.record(
        "export",
        "campaign",
        campaign_id,
        format=fmt,
        with_contacts=with_contacts,
        responses=len(table.records),
        via="cli",
        operator=_operator(),
    )
    db.session.commit()
    if table.message:
        click.echo(f"Warning: {table.message}", err=True)
    n = len(table.records)
    click.echo(
        f"wrote {n} response{'' if n == 1 else 's'} x {len(table.columns)} columns to {files[0]}"
        + (f" (codebook: {files[1]})" if len(files) > 1 else " (codebook: sheet 'codebook')")
    )
    if with_contacts:
        click.echo(
            "This file holds personal data: keep it out of shared folders and delete it when "
            "the research no longer needs it.",
            err=True,
        )
