"""Click command groups of the `monitor` CLI, one module per group, registered on `app.cli`."""

from flask import Flask


def register(app: Flask) -> None:
    from monitor.commands.campaigns import campaigns
    from monitor.commands.demo import demo
    from monitor.commands.export import export
    from monitor.commands.instruments import instruments
    from monitor.commands.organisations import organisations
    from monitor.commands.privacy import privacy
    from monitor.commands.reports import reports
    from monitor.commands.sprints import sprints
    from monitor.commands.users import users

    for command in (
        users,
        demo,
        campaigns,
        instruments,
        sprints,
        organisations,
        privacy,
        export,
        reports,
    ):
        app.cli.add_command(command)
