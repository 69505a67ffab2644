"""`monitor sprints ...`: propose intervision sprint groups from a year's HR-scans.

The scans package brings pandas, scipy and statsmodels along (seconds to import), so it is
imported when a sprint command runs, not at every start of the application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import AppGroup

from monitor import audit
from surveys.db import db

if TYPE_CHECKING:
    from scans.sprints import Proposal, ProposedMember

sprints = AppGroup("sprints", help="Propose and store intervision sprint groups.")


@sprints.command("propose")
@click.option("--year", type=int, required=True, help="year of the HR-scans")
@click.option(
    "--theme", "themes", multiple=True, help="domain key, e.g. behouden (repeatable; default all)"
)
@click.option("--seed", type=int, default=0, show_default=True, help="same seed, same groups")
@click.option("--save", is_flag=True, help="store the groups as proposed sprints")
def propose(year: int, themes: tuple[str, ...], seed: int, save: bool) -> None:
    """Propose groups of 4-8 companies per theme, with a koploper where one is available.

    Companies already in a fixed sprint of the year are left out. With --save the groups replace
    the year's earlier proposal for the same themes.
    """
    from scans.instrument import HR_SCAN
    from scans.operations import NoScans, propose_year, save_proposal
    from scans.sprint_services import latest_definition, organisation_names

    version, definition = latest_definition(HR_SCAN)
    if version is None:
        raise click.ClickException(f"no published instrument '{HR_SCAN}'")
    try:
        proposal = propose_year(
            year,
            definition,
            themes=themes or None,
            k=current_app.config["MONITOR_K_ANONYMITY"],
            seed=seed,
        )
    except NoScans:
        raise click.ClickException(f"no submitted HR-scans in {year}") from None
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    _print(proposal, organisation_names())
    if save:
        stored = save_proposal(proposal)
        audit.record(
            "sprint.propose",
            "year",
            year,
            groups=len(stored),
            themes=list(proposal.themes),
            via="cli",
        )
        db.session.commit()
        click.echo(f"{len(stored)} sprints opgeslagen met status 'voorgesteld'.")


def _print(proposal: Proposal, names: dict[int, str]) -> None:
    """The groups with members, roles and reasons, then the companies not placed."""
    click.echo(
        f"Sprintvoorstel {proposal.year}: {len(proposal.groups)} groepen van "
        f"{proposal.min_size}-{proposal.max_size} bedrijven, "
        f"{len(proposal.unplaced)} bedrijven niet geplaatst."
    )
    for group in proposal.groups:
        click.echo(f"\n{group.title} ({len(group.members)} bedrijven)")
        for member in group.members:
            click.echo(f"  {member.role:<10} {_company(member, names)}")
            for reason in member.reasons:
                click.echo(f"  {'':<10}   - {reason}")
        if group.note:
            click.echo(f"  {group.note}")
    if proposal.unplaced:
        click.echo(f"\nNiet geplaatst ({len(proposal.unplaced)}):")
        for company in proposal.unplaced:
            name = names.get(company.organisation_id, f"organisatie {company.organisation_id}")
            click.echo(f"  {name}: {company.reason}")


def _company(member: ProposedMember, names: dict[int, str]) -> str:
    """A member's name with its sector, region and size."""
    from scans.wording import size_class_nl

    profile = [
        part
        for part in (
            member.sector,
            member.region,
            size_class_nl(member.size_class) if member.size_class else None,
        )
        if part
    ]
    name = names.get(member.organisation_id, f"organisatie {member.organisation_id}")
    return f"{name} ({', '.join(profile)})" if profile else name
