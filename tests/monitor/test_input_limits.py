"""Text that users type or import: no control characters in single-line fields, no value longer
than its column (nor a derived value, such as a mail subject, longer than its own), in the
console, the CSV imports and the command line alike; upload error pages of bounded size."""

import io

import pytest
from sqlalchemy import func, select

from monitor.accounts import create_user
from surveys.db import db
from surveys.models import Campaign, Invitation, Organisation, OutboxMail
from tests.conftest import login
from tests.monitor.test_console_campaigns import _form

CONTROL = "\x1b[2J"


@pytest.fixture
def coordinator(client, version):
    create_user("co@x.example", "coordinator", "a long password")
    db.session.commit()
    login(client, "co@x.example", "a long password")
    return client


def _upload(client, url: str, text: str):
    return client.post(
        url,
        data={"file": (io.BytesIO(text.encode()), "lijst.csv")},
        content_type="multipart/form-data",
    )


def _campaign(coordinator, version, **fields) -> Campaign | None:
    coordinator.post("/coordinator/campaigns/new", data=_form(version, **fields))
    return db.session.scalar(select(Campaign))


# --- finding 3: control characters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Meting\r\nBcc: iedereen@x.example"),
        ("title", f"Meting {CONTROL}"),
        ("slug", "meting-studenten\n"),
        ("groups", "studenten\x1b"),
    ],
)
def test_the_campaign_form_refuses_control_characters_next_to_the_field(
    coordinator, version, field, value
):
    response = coordinator.post("/coordinator/campaigns/new", data=_form(version, **{field: value}))
    assert response.status_code == 422
    assert "Gebruik geen regeleinden, tabs of andere stuurtekens." in response.get_data(True)
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_the_command_line_refuses_a_title_with_a_line_break(runner, version):
    result = runner.invoke(
        args=["campaigns", "create", "--instrument", "mini", "--title", "Meting\r\nBcc: x",
              "--year", "2025", "--opens", "2025-03-01", "--closes", "2025-04-01",
              "--mode", "personal"]
    )  # fmt: skip
    assert result.exit_code == 1
    assert "titel: Gebruik geen regeleinden, tabs of andere stuurtekens." in result.output
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_invitee_and_organisation_csvs_refuse_control_characters_with_line_and_field(
    coordinator, version
):
    campaign = _campaign(coordinator, version)
    page = _upload(
        coordinator,
        f"/coordinator/campaigns/{campaign.id}/invitees",
        'email,name,respondent_group\na@x.example,"An\r\nBcc: b",studenten\n'
        f"b@x.example,B{CONTROL},docenten\n",
    ).get_data(True)
    assert "regel 2: naam: Gebruik geen regeleinden, tabs of andere stuurtekens." in page
    assert "regel 4: naam: Gebruik geen regeleinden, tabs of andere stuurtekens." in page
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    organisations = "name,municipality\nBouw\x07 BV,Sittard\n"
    page = _upload(coordinator, "/coordinator/organisations/import", organisations).get_data(True)
    assert "regel 2: naam: Gebruik geen regeleinden, tabs of andere stuurtekens." in page
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_the_organisation_form_refuses_control_characters(coordinator):
    response = coordinator.post(
        "/coordinator/organisations/new", data={"name": "Bouw BV", "municipality": "Sittard\x0b"}
    )
    assert response.status_code == 422
    assert "Gebruik geen regeleinden, tabs of andere stuurtekens." in response.get_data(True)


# --- finding 4: lengths against the columns -----------------------------------------------------


def test_the_longest_title_the_form_takes_still_gives_invitations_that_fit(coordinator, version):
    too_long = coordinator.post("/coordinator/campaigns/new", data=_form(version, title="T" * 200))
    assert too_long.status_code == 422
    assert "Gebruik hoogstens 187 tekens (nu 200)." in too_long.get_data(True)
    campaign = _campaign(coordinator, version, title="T" * 187)
    assert campaign is not None and len(campaign.title) == 187
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/open")
    _upload(
        coordinator,
        f"/coordinator/campaigns/{campaign.id}/invitees",
        "email,respondent_group\na@x.example,studenten\n",
    )
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/invite")
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/remind")
    subjects = db.session.scalars(select(OutboxMail.subject)).all()
    assert sorted(len(s) for s in subjects) == [200, 200]


def test_an_invitee_name_longer_than_its_column_is_refused_with_its_line(coordinator, version):
    campaign = _campaign(coordinator, version)
    response = _upload(
        coordinator,
        f"/coordinator/campaigns/{campaign.id}/invitees",
        f"email,name,respondent_group\na@x.example,{'N' * 200},studenten\n"
        f"b@x.example,{'N' * 300},studenten\n",
    )
    assert response.status_code == 422
    assert "regel 3: naam: Gebruik hoogstens 200 tekens (nu 300)." in response.get_data(True)
    ok = _upload(
        coordinator,
        f"/coordinator/campaigns/{campaign.id}/invitees",
        f"email,name,respondent_group\na@x.example,{'N' * 200},studenten\n",
    )
    assert ok.status_code == 302
    assert len(db.session.scalar(select(Invitation.name))) == 200


def test_the_command_line_names_the_file_line_and_field_of_a_too_long_value(
    runner, version, tmp_path
):
    runner.invoke(
        args=["campaigns", "create", "--instrument", "mini", "--title", "Meting", "--year",
              "2025", "--opens", "2025-03-01", "--closes", "2025-04-01", "--mode", "personal"]
    )  # fmt: skip
    people = tmp_path / "people.csv"
    people.write_text(f"email,name,respondent_group\na@x.example,{'N' * 201},studenten\n")
    result = runner.invoke(args=["campaigns", "invite", "1", "--csv", str(people)])
    assert result.exit_code == 1
    assert f"{people}: regel 2: naam: Gebruik hoogstens 200 tekens (nu 201)." in result.output
    title = runner.invoke(
        args=["campaigns", "create", "--instrument", "mini", "--title", "T" * 188, "--year",
              "2025", "--opens", "2025-03-01", "--closes", "2025-04-01", "--mode", "personal"]
    )  # fmt: skip
    assert title.exit_code == 1 and "titel: Gebruik hoogstens 187 tekens (nu 188)." in title.output


# --- finding 12: bounded error pages -------------------------------------------------------------


def test_upload_error_pages_show_the_first_fifty_errors_and_a_count(coordinator, version):
    campaign = _campaign(coordinator, version)
    bad = "email,respondent_group\n" + "".join(f"geen-adres-{i},studenten\n" for i in range(2000))
    page = _upload(coordinator, f"/coordinator/campaigns/{campaign.id}/invitees", bad)
    text = page.get_data(True)
    assert page.status_code == 422
    assert text.count("is geen geldig e-mailadres") == 50
    assert "en nog 1.950 fouten; de eerste 50 staan hierboven" in text
    organisations = "name,kvk\n" + "".join(f"Bedrijf {i},12\n" for i in range(2000))
    text = _upload(coordinator, "/coordinator/organisations/import", organisations).get_data(True)
    assert text.count("Een KvK-nummer bestaat uit precies acht cijfers.") == 50
    assert "en nog 1.950 fouten; de eerste 50 staan hierboven" in text
