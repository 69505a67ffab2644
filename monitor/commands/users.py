"""`monitor users create`: accounts from the command line."""

import secrets

import click
from flask.cli import AppGroup

from monitor import audit
from monitor.accounts import Role, create_user
from surveys.db import db

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "organisation_id", type=int, help="organisation id (employers only)")
@click.option(
    "--password",
    help="at least 10 characters; when omitted one is generated and printed, and the user must "
    "choose their own at the first login",
)
def create(email: str, role: str, organisation_id: int | None, password: str | None) -> None:
    """Create an account."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        user = create_user(email, role, password, organisation_id, must_change_password=generated)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    db.session.flush()
    audit.record(
        "account.create", "user", user.id, role=str(user.role), organisation_id=organisation_id,
        via="cli",
    )  # fmt: skip
    db.session.commit()
    click.echo(f"created {user.role} {user.email} (id {user.id})")
    if generated:
        click.echo(f"password: {password}")
