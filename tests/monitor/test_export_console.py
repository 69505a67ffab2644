"""The console export page: staff only, contact data for admins only, POST with CSRF, audited."""

import io
import re
import zipfile

import openpyxl
import pyreadstat
import pytest
from flask import g
from sqlalchemy import select

from monitor.accounts import create_user
from monitor.audit import AuditEvent
from surveys.db import db
from surveys.models import Invitation, Organisation
from tests.conftest import COORDINATOR_LOGIN, login
from tests.surveys.test_export import FULL, make_campaign, respond

PASSWORD = "a long password"


@pytest.fixture
def campaign(app):
    campaign = make_campaign()
    invitation = Invitation(campaign_id=campaign.id, token_hash="h" * 64, token_salt="s" * 32,
                            email="cas@roerdal.example", name="Cas Peeters")  # fmt: skip
    db.session.add(invitation)
    db.session.commit()
    respond(campaign, FULL, invitation_id=invitation.id)
    return campaign


def as_role(client, role: str, organisation_id: int | None = None):
    create_user(f"{role}@x.example", role, PASSWORD, organisation_id)
    db.session.commit()
    login(client, f"{role}@x.example", PASSWORD)
    return client


def url(campaign) -> str:
    return f"/coordinator/campaigns/{campaign.id}/export"


def events(action: str = "export") -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_campaign_page_links_to_the_export_page(client, campaign):
    as_role(client, "coordinator")
    page = client.get(f"/coordinator/campaigns/{campaign.id}").get_data(as_text=True)
    assert f'href="{url(campaign)}">Exporteren</a>' in page


def test_a_coordinator_sees_the_form_without_the_contacts_checkbox(client, campaign):
    as_role(client, "coordinator")
    page = client.get(url(campaign)).get_data(as_text=True)
    assert 'value="csv"' in page and 'value="xlsx"' in page and 'value="sav"' in page
    assert "with_contacts" not in page
    assert "<strong>1</strong> verstuurde response" in page


def test_a_coordinator_downloads_a_zip_with_data_and_codebook(client, campaign):
    coordinator = as_role(client, "coordinator")
    response = coordinator.post(url(campaign), data={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=sprint-2024.zip"
    assert response.headers["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == ["sprint-2024.csv", "sprint-2024_codebook.csv"]
        data = archive.read("sprint-2024.csv").decode("utf-8")
    assert "cas@roerdal.example" not in data and "Cas Peeters" not in data
    (event,) = events()
    assert event.user_id is not None and event.object_id == str(campaign.id)
    assert event.detail == {"format": "csv", "with_contacts": False, "via": "console"}


def test_a_coordinator_asking_for_contacts_gets_403_and_it_is_logged(client, campaign):
    coordinator = as_role(client, "coordinator")
    response = coordinator.post(url(campaign), data={"format": "csv", "with_contacts": "y"})
    assert response.status_code == 403
    assert b"cas@roerdal.example" not in response.data
    assert events() == []
    (refused,) = events("export.refused")
    assert refused.detail["with_contacts"] is True


def test_an_admin_may_add_contacts_and_the_audit_log_says_so(client, campaign):
    admin = as_role(client, "admin")
    assert 'name="with_contacts"' in admin.get(url(campaign)).get_data(as_text=True)
    response = admin.post(url(campaign), data={"format": "xlsx", "with_contacts": "y"})
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "sprint-2024_met_contactgegevens.xlsx" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = list(book["data"].iter_rows(values_only=True))
    assert dict(zip(rows[0], rows[1], strict=True))["contact_email"] == "cas@roerdal.example"
    (event,) = events()
    assert event.detail["with_contacts"] is True and event.detail["format"] == "xlsx"
    assert "roerdal" not in str(event.detail)


def test_an_spss_download_is_the_sav_file_itself(client, campaign, tmp_path):
    coordinator = as_role(client, "coordinator")
    response = coordinator.post(url(campaign), data={"format": "sav"})
    assert response.status_code == 200
    assert "sprint-2024.sav" in response.headers["Content-Disposition"]
    (tmp_path / "x.sav").write_bytes(response.data)
    data, meta = pyreadstat.read_sav(tmp_path / "x.sav")
    assert list(data["doel"]) == [4] and meta.variable_value_labels["doel"][5] == "Helemaal eens"


def test_a_campaign_without_responses_says_so_and_still_exports_headers(client, app):
    empty = make_campaign()
    coordinator = as_role(client, "coordinator")
    page = coordinator.get(url(empty)).get_data(as_text=True)
    assert "nog geen verstuurde antwoorden" in page
    response = coordinator.post(url(empty), data={"format": "csv"})
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert len(archive.read("sprint-2024.csv").decode().splitlines()) == 1


def test_a_bad_format_shows_the_form_again(client, campaign):
    coordinator = as_role(client, "coordinator")
    response = coordinator.post(url(campaign), data={"format": "pdf"})
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert events() == []


def test_employers_and_visitors_never_reach_the_export(client, campaign):
    assert client.get(url(campaign)).status_code == 302  # to the login page
    org = Organisation(name="Eigen BV")
    db.session.add(org)
    db.session.commit()
    employer = as_role(client, "employer", org.id)
    assert employer.get(url(campaign)).status_code == 403
    assert employer.post(url(campaign), data={"format": "csv"}).status_code == 403
    assert events() == []


def test_an_unknown_campaign_is_404(client, campaign):
    assert as_role(client, "admin").get("/coordinator/campaigns/99/export").status_code == 404


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def token(page: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def test_the_export_needs_a_valid_csrf_token(self, client, coordinator_account, campaign):
        email, password = COORDINATOR_LOGIN
        token = self.token(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": email, "password": password,
                                    "csrf_token": token})  # fmt: skip
        # the test app context (and so `g`) outlives requests: forget the token of the session
        # that the login cleared, as a new request would
        g.pop("csrf_token", None)
        assert client.post(url(campaign), data={"format": "csv"}).status_code == 400
        assert (
            client.post(url(campaign), data={"format": "csv", "csrf_token": "forged"}).status_code
            == 400
        )
        assert events() == []
        token = self.token(client.get(url(campaign)).get_data(as_text=True))
        response = client.post(url(campaign), data={"format": "csv", "csrf_token": token})
        assert response.status_code == 200 and response.mimetype == "application/zip"
        assert len(events()) == 1
