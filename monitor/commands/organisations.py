"""`monitor organisations ...`: import organisations and delete one on request."""

from pathlib import Path

import click
from flask.cli import AppGroup

from monitor import audit
from monitor.reports.bulk import remove_company_reports
from surveys.db import db
from surveys.models import Organisation
from surveys.organisations import (
    delete_organisation,
    import_organisations,
    organisation_footprint,
    parse_organisations_csv,
)

organisations = AppGroup("organisations", help="Import organisations; delete one on request.")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {table}" for table, n in counts.items() if n) or "no other data"


@organisations.command("import")
@click.argument("csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(csv_path: Path) -> None:
    """Add organisations from a CSV (name, kind, sector, size_class, region, municipality, kvk).
    Nothing is imported while a line is wrong; every wrong line is listed."""
    rows, errors = parse_organisations_csv(csv_path.read_bytes())
    if errors:
        raise click.ClickException(
            f"{csv_path}: nothing imported\n" + "\n".join(f"{csv_path}: {e}" for e in errors)
        )
    added = import_organisations(rows)
    audit.record("organisation.import", count=len(added))
    db.session.commit()
    click.echo(f"{len(added)} organisations imported")


@organisations.command("delete")
@click.argument("organisation_id", type=int)
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def delete(organisation_id: int, yes: bool) -> None:
    """Delete an organisation on request with its responses, answers, invitations and contact
    data, employer accounts and everything else that points to it. The deletion is logged
    (id and counts, not the name)."""
    if db.session.get(Organisation, organisation_id) is None:
        raise click.ClickException(f"organisation {organisation_id} does not exist")
    if not yes:
        click.echo(
            f"organisation {organisation_id}: {_counts(organisation_footprint(organisation_id))}"
        )
        click.confirm("Delete it with all its data? This cannot be undone", abort=True)
    counts = delete_organisation(organisation_id)
    counts["report_files"] = remove_company_reports(organisation_id)
    audit.record("organisation.delete", "organisation", organisation_id, **counts)
    db.session.commit()
    click.echo(f"deleted organisation {organisation_id}: {_counts(counts)}")
