import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from monitor.accounts import create_user
from monitor.audit import AuditEvent
from surveys.db import db
from surveys.models import Campaign, Invitation, OutboxMail
from tests.conftest import login

TODAY = date.today()


@pytest.fixture
def coordinator(client, version):
    create_user("co@x.example", "coordinator", "a long password")
    db.session.commit()
    login(client, "co@x.example", "a long password")
    return client


def _form(version, **overrides):
    data = {
        "version": str(version.id), "title": "Meting studenten", "year": str(TODAY.year),
        "wave": "0", "opens_on": (TODAY - timedelta(days=1)).isoformat(),
        "closes_on": (TODAY + timedelta(days=30)).isoformat(), "mode": "personal",
        "groups": "", "slug": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_coordinator_creates_opens_fills_invites_and_reminds(coordinator, version):
    response = coordinator.post("/coordinator/campaigns/new", data=_form(version))
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert campaign.respondent_groups == ["studenten", "docenten"] and campaign.status == "draft"
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/open")
    csv = b"email;groep\na@x.example;studenten\nb@x.example;docenten\n"
    upload = coordinator.post(
        f"/coordinator/campaigns/{campaign.id}/invitees",
        data={"file": (io.BytesIO(csv), "mensen.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/invite")
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 2
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/remind")
    page = coordinator.get(f"/coordinator/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Uitgenodigd: <strong>2</strong>" in page and "2 herinneringen verstuurd" in page
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"campaign.create", "campaign.open", "campaign.invite", "campaign.remind"} <= actions


def test_campaign_form_errors_stand_next_to_the_fields_and_keep_the_input(coordinator, version):
    data = _form(version, title="", closes_on="2000-01-01", groups="ouders")
    page = coordinator.post("/coordinator/campaigns/new", data=data).get_data(as_text=True)
    assert "Geef de meting een titel." in page
    assert "De einddatum ligt voor de begindatum." in page
    assert 'value="ouders"' in page
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0
    page = coordinator.post("/coordinator/campaigns/new", data=_form(version, groups="ouders"))
    assert "unknown respondent group(s) ouders" in page.get_data(as_text=True)


def test_a_bad_invitee_file_imports_nothing_and_shows_the_lines(coordinator, version):
    coordinator.post("/coordinator/campaigns/new", data=_form(version))
    campaign = db.session.scalar(select(Campaign))
    csv = b"email,respondent_group\ngood@x.example,studenten\nwrong,studenten\n"
    response = coordinator.post(
        f"/coordinator/campaigns/{campaign.id}/invitees",
        data={"file": (io.BytesIO(csv), "mensen.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "regel 3: &#39;wrong&#39; is geen geldig e-mailadres" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_state_changes_need_post_and_staff(client, version, organisation):
    create_user("e@x.example", "employer", "a long password", organisation.id)
    db.session.commit()
    login(client, "e@x.example", "a long password")
    assert client.get("/coordinator/").status_code == 403
    assert client.post("/coordinator/campaigns/new", data=_form(version)).status_code == 403
    assert client.get("/coordinator/campaigns/1/open").status_code == 405
