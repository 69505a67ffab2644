"""One rule for contact data (docs/privacy.md): the e-mail addresses and names of invitees and
of employer accounts are shown only to admins, on a page as in an export, and every time they
are shown or exported the audit log says so. Coordinators see counts."""

import pytest
from sqlalchemy import select

from monitor.audit import AuditEvent
from surveys.db import db
from surveys.models import Campaign
from tests.security.conftest import sign_in

ADDRESSES = ("vers@example.org", "bezocht@example.org")


def _campaign_page(client, role: str) -> tuple[Campaign, str]:
    sign_in(client, role)
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "sec-persoonlijk"))
    response = client.get(f"/coordinator/campaigns/{campaign.id}")
    assert response.status_code == 200
    return campaign, response.get_data(as_text=True)


def _contact_views() -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contacts.view")).all()


def test_a_coordinator_sees_how_many_have_not_responded_but_not_who(client, small_site):
    _, page = _campaign_page(client, "coordinator")

    assert "Nog niet verstuurd (2)" in page
    for address in ADDRESSES:
        assert address not in page
    assert _contact_views() == []


def test_an_admin_sees_the_non_responders_and_the_audit_log_records_it(client, small_site):
    campaign, page = _campaign_page(client, "admin")

    for address in ADDRESSES:
        assert address in page
    [event] = _contact_views()
    assert (event.object_type, event.object_id) == ("campaign", str(campaign.id))
    assert event.detail == {"count": 2, "via": "campaign page"}
    assert "@" not in str(event.detail)


@pytest.mark.parametrize("role, shown", [("coordinator", False), ("admin", True)])
def test_employer_account_addresses_follow_the_same_rule(client, small_site, role, shown):
    sign_in(client, role)
    organisation = small_site.organisation
    page = client.get(f"/coordinator/organisations/{organisation.id}").get_data(as_text=True)

    assert ("werkgever@" in page) is shown
    views = [e for e in _contact_views() if e.object_type == "organisation"]
    assert len(views) == (1 if shown else 0)


def test_the_accounts_page_shows_employer_addresses_to_admins_and_records_it(client, small_site):
    sign_in(client, "admin")
    page = client.get("/coordinator/accounts").get_data(as_text=True)

    assert "werkgever@" in page
    [event] = [e for e in _contact_views() if e.object_type == "accounts"]
    assert event.detail["via"] == "accounts" and event.detail["count"] >= 1
    assert "@" not in str(event.detail)
