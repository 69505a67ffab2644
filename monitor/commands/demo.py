"""`monitor demo`: load the deterministic demo data set."""

import click
from flask.cli import with_appcontext

from monitor.demo import DEMO_LOGINS, database_is_empty, load_demo


@click.command()
@with_appcontext
@click.option("--seed", default=2025, show_default=True, help="random seed; same seed, same data")
@click.option("--reset", is_flag=True, help="delete all data first")
@click.option("--if-empty", is_flag=True, help="only load when the database holds no data")
def demo(seed: int, reset: bool, if_empty: bool) -> None:
    """Load a realistic demo: ~250 employers, HR-scans 2023-2025, CoP, alumni, sprints."""
    if if_empty and not database_is_empty():
        click.echo("database already holds data; demo not loaded")
    else:
        if not reset and not database_is_empty():
            raise click.ClickException("the database already holds data; use --reset to replace it")
        summary = load_demo(seed=seed, reset=reset, progress=click.echo)
        click.echo(", ".join(f"{n} {what}" for what, n in summary.items()))
    click.echo("Demo logins:")
    for role, (email, password) in DEMO_LOGINS.items():
        click.echo(f"  {role:12} {email:28} {password}")
