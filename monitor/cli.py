"""The `monitor` command: a Flask CLI group over `create_app`.

Command groups live in monitor/commands/ and are registered on `app.cli` by
`monitor.commands.register` (so `flask --app wsgi` and the test runner see them too).
"""

import click
from flask.cli import FlaskGroup

from monitor import create_app


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """Arbeidsmarktmonitor Limburg: HR-scans, surveys, sprints and reports."""
