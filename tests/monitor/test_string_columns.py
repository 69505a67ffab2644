"""Every string column of the schema, and every way users fill it: the longest value its column
holds is accepted and stored (on PostgreSQL a longer one would be a 500), one character more is
refused with a message, never a 500. A new string column fails here until it is placed below."""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import String

from monitor.accounts import create_user
from surveys.campaigns import TITLE_MAX
from surveys.db import Base, db
from surveys.models import Organisation
from surveys.textinput import column_length
from tests.conftest import login
from tests.monitor.test_console_campaigns import _form

#: columns users never type: made by the application, or checked against a fixed list
NOT_TYPED = {
    "audit_events.action", "audit_events.object_type", "audit_events.object_id",
    "campaigns.mode", "campaigns.status", "instrument_versions.content_hash",
    "jobs.kind", "jobs.status", "job_items.status", "job_items.worker",
    "job_items.file", "job_items.error",  # report file names; the error is cut to its column
    "instruments.key", "instruments.title",  # from a validated definition (keys <= 60)
    "invitations.token_hash", "invitations.token_salt", "invitations.panel_key",
    "invitations.respondent_group",  # one of the campaign's groups
    "organisations.kind", "organisations.sector", "organisations.size_class",
    "organisations.region",  # from fixed lists
    "organisations.kvk_number",  # exactly eight digits
    "outbox_mails.recipient", "outbox_mails.subject", "outbox_mails.state", "outbox_mails.error",
    "responses.employer_key", "responses.respondent_group", "responses.panel_key",
    "responses.status", "responses.resume_token_hash", "responses.language",
    "answers.item_key",  # a key of the pinned definition
    "sprint_members.role", "sprints.status",
    "sprints.title",  # "<theme> – groep <n>", shortened to fit (scans.sprints.group_title)
    "users.password_hash", "users.role",
    "login_sessions.id",  # the sha256 of a login's random nonce
}  # fmt: skip
#: the longest value an input takes when a value made from it must fit another column
LIMITS = {"campaigns.title": TITLE_MAX}
#: what a refusal says where it is not the limit itself
REFUSALS = {("users.email", "console"): "Vul een geldig e-mailadres in"}


@dataclass
class Site:
    client: object
    runner: object
    tmp_path: object
    counter: itertools.count

    def tag(self, length: int, alphabet: str = "abcdefghijklmnopqrstuvwxyz") -> str:
        """A value of `length` characters that no other call returns (names are unique)."""
        n, prefix = next(self.counter), ""
        while True:
            prefix, n = alphabet[n % len(alphabet)] + prefix, n // len(alphabet)
            if not n:
                break
        return (prefix + "x" * length)[:length]

    def csv(self, text: str):
        path = self.tmp_path / f"lijst{next(self.counter)}.csv"
        path.write_text(text)
        return path

    def upload(self, url: str, text: str):
        return self.client.post(
            url,
            data={"file": (self.csv(text).open("rb"), "lijst.csv")},
            content_type="multipart/form-data",
        )

    def command(self, *args) -> tuple[bool, str]:
        result = self.runner.invoke(args=[str(a) for a in args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result.exit_code == 0, result.output


def _page(response) -> tuple[bool, str]:
    assert response.status_code < 500
    return response.status_code in (201, 302), response.get_data(as_text=True)


def _email(length: int, site: Site) -> str:
    """A valid address of exactly `length` characters (labels of at most 63)."""
    local = site.tag(20)
    rest = length - len(local) - 1 - len(".nl")
    labels = [("d" * 63) for _ in range(rest // 64)]
    tail = rest - 64 * len(labels)
    labels.append("e" * tail if tail else "")
    domain = ".".join(label for label in labels if label)
    address = f"{local}@{domain}.nl"
    return address if len(address) == length else address[: length - 4] + "f.nl"


def _create(site: Site, **fields) -> tuple[bool, str]:
    data = _form(site.version, **({"title": site.tag(10)} | fields))
    return _page(site.client.post("/coordinator/campaigns/new", data=data))


def _cli_create(site: Site, title: str, slug: str) -> tuple[bool, str]:
    return site.command(
        "campaigns", "create", "--instrument", "mini", "--title", title, "--slug", slug,
        "--year", 2025, "--opens", "2025-03-01", "--closes", "2025-04-01", "--mode", "personal",
    )  # fmt: skip


def _invitees(site: Site, email: str, name: str) -> str:
    return f"email,name,respondent_group\n{email},{name},studenten\n"


def _organisation_csv(name: str, municipality: str) -> str:
    return f"name,municipality\n{name},{municipality}\n"


Input = Callable[[Site, int], tuple[bool, str]]
INPUTS: dict[str, dict[str, Input]] = {
    "campaigns.title": {
        "console": lambda s, n: _create(s, title=s.tag(n)),
        "cli": lambda s, n: _cli_create(s, s.tag(n), s.tag(12)),
    },
    "campaigns.slug": {
        "console": lambda s, n: _create(s, slug=s.tag(n)),
        "cli": lambda s, n: _cli_create(s, "Meting", s.tag(n)),
    },
    "invitations.email": {
        "console": lambda s, n: _page(s.upload(s.invitees_url, _invitees(s, _email(n, s), "An"))),
        "cli": lambda s, n: s.command(
            "campaigns", "invite", 1, "--csv", s.csv(_invitees(s, _email(n, s), "An"))
        ),
    },
    "invitations.name": {
        "console": lambda s, n: _page(
            s.upload(s.invitees_url, _invitees(s, _email(30, s), s.tag(n)))
        ),
        "cli": lambda s, n: s.command(
            "campaigns", "invite", 1, "--csv", s.csv(_invitees(s, _email(30, s), s.tag(n)))
        ),
    },
    "organisations.name": {
        "form": lambda s, n: _page(
            s.client.post("/coordinator/organisations/new", data={"name": s.tag(n)})
        ),
        "console csv": lambda s, n: _page(
            s.upload("/coordinator/organisations/import", _organisation_csv(s.tag(n), ""))
        ),
        "cli": lambda s, n: s.command(
            "organisations", "import", s.csv(_organisation_csv(s.tag(n), ""))
        ),
    },
    "organisations.municipality": {
        "form": lambda s, n: _page(
            s.client.post(
                "/coordinator/organisations/new", data={"name": s.tag(9), "municipality": s.tag(n)}
            )
        ),
        "console csv": lambda s, n: _page(
            s.upload("/coordinator/organisations/import", _organisation_csv(s.tag(9), s.tag(n)))
        ),
        "cli": lambda s, n: s.command(
            "organisations", "import", s.csv(_organisation_csv(s.tag(9), s.tag(n)))
        ),
    },
    "users.email": {
        "console": lambda s, n: _page(
            s.client.post(
                f"/coordinator/organisations/{s.organisation_id}/accounts",
                data={"email": _email(n, s), "password": ""},
            )
        ),
        "cli": lambda s, n: s.command(
            "users", "create", "--email", _email(n, s), "--role", "coordinator"
        ),
    },
    "sprint_themes.key": {
        "console": lambda s, n: _page(
            s.client.post(
                "/coordinator/sprints/themes", data={"domain": "", "key": s.tag(n), "title": "T"}
            )
        ),
    },
    "sprint_themes.title": {
        "console": lambda s, n: _page(
            s.client.post(
                "/coordinator/sprints/themes",
                data={"domain": "", "key": s.tag(12), "title": s.tag(n)},
            )
        ),
    },
    "sprint_sessions.topic": {"form": lambda s, n: _session_form(s, s.tag(n))},
}


def _session_form(site: Site, topic: str) -> tuple[bool, str]:
    """The dagdeel form's own check (its page needs a fixed sprint with members)."""
    from monitor.console.sprint_forms import SessionForm

    data = {"number": "1", "held_on": date.today().isoformat(), "topic": topic}
    with site.app.test_request_context(method="POST", data=data):
        form = SessionForm(meta={"csrf": False})
        return form.validate(), " ".join(form.topic.errors)


def _string_columns() -> set[str]:
    return {
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, String) and column.type.length is not None
    }


def test_every_string_column_is_either_typed_by_users_or_made_by_the_application(app):
    columns = _string_columns()
    assert columns - NOT_TYPED - set(INPUTS) == set(), "place these columns in this test"
    assert (NOT_TYPED | set(INPUTS)) - columns == set(), "these columns no longer exist"


@pytest.fixture
def site(app, client, runner, version, tmp_path):
    create_user("admin@x.example", "admin", "a long password")
    organisation = Organisation(name="Geuldal Bouw BV")
    db.session.add(organisation)
    db.session.commit()
    login(client, "admin@x.example", "a long password")
    site = Site(client, runner, tmp_path, itertools.count())
    site.app, site.version, site.organisation_id = app, version, organisation.id
    assert _create(site, title="Uitnodigingsronde")[0]
    assert site.client.post("/coordinator/campaigns/1/open").status_code == 302
    site.invitees_url = "/coordinator/campaigns/1/invitees"
    return site


@pytest.mark.parametrize(("column", "way"), [(c, w) for c, ways in INPUTS.items() for w in ways])
def test_each_input_takes_the_longest_value_its_column_holds_and_refuses_one_more(
    site, column, way
):
    table, name = column.split(".")
    limit = LIMITS.get(column, column_length(Base.metadata.tables[table].columns[name]))
    enter = INPUTS[column][way]
    accepted, output = enter(site, limit)
    assert accepted, output[-2000:]
    db.session.commit()  # stored: on PostgreSQL a value over its varchar would fail here
    refused, output = enter(site, limit + 1)
    assert not refused
    assert REFUSALS.get((column, way), f"hoogstens {limit} ") in output or (
        column == "campaigns.slug" and way == "cli" and "(3-80)" in output
    )
