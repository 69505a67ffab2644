"""Token design and role checks.

- Personal links carry 256 bits (HMAC-SHA256 of a 128-bit random salt under SECRET_KEY), resume
  links 256 random bits; the database keeps only their sha256, never the token.
- Panel keys are an HMAC under PANEL_SECRET, a secret outside the database: not the identifier,
  not a plain hash of it, and different under another secret.
- Roles: the admin-only pages refuse coordinators, who may not export contact data either (and
  the refusal is logged). Cross-organisation object checks: tests/monitor/test_access_matrix.py.
"""

import hashlib
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from monitor.audit import AuditEvent
from surveys.campaigns import personal_link
from surveys.db import Base, db
from surveys.models import Invitation, Response
from surveys.tokens import hash_token, invitation_token, panel_key, random_token
from tests.security.conftest import sign_in

URLSAFE_256_BITS = re.compile(r"[A-Za-z0-9_-]{43}")


def every_stored_text() -> str:
    """All values of all tables as one text, to look for what must not be stored."""
    db.session.commit()
    parts = [
        repr(tuple(row))
        for table in Base.metadata.sorted_tables
        for row in db.session.execute(select(table))
    ]
    db.session.rollback()
    return "\n".join(parts)


def test_link_tokens_carry_256_bits_and_only_their_hash_is_stored(app, survey_site):
    tokens = [survey_site.personal_token, survey_site.visited_token, survey_site.resume_token]
    stored = every_stored_text()

    for token in tokens:
        assert URLSAFE_256_BITS.fullmatch(token), token
        assert token not in stored
        assert hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
        assert hash_token(token) in stored
    assert len(set(tokens)) == 3
    assert app.config["SECRET_KEY"] not in stored and app.config["PANEL_SECRET"] not in stored


def test_a_personal_token_depends_on_the_secret_and_a_random_salt(app, survey_site):
    invitations = db.session.scalars(select(Invitation)).all()
    salts = [i.token_salt for i in invitations]

    assert all(re.fullmatch(r"[0-9a-f]{32}", salt) for salt in salts)  # 128 random bits
    assert len(set(salts)) == len(salts)
    for invitation in invitations:
        token = urlsplit(personal_link(invitation)).path.rsplit("/", 1)[-1]
        assert token == invitation_token(app.config["SECRET_KEY"], invitation.token_salt)
        assert token != invitation_token("another secret", invitation.token_salt)
    assert len({random_token() for _ in range(100)}) == 100


def test_panel_keys_are_keyed_hashes_of_the_identifier(app, survey_site):
    secret = app.config["PANEL_SECRET"]
    invitation = db.session.scalars(select(Invitation).order_by(Invitation.id)).first()
    email = invitation.email

    assert invitation.panel_key == panel_key(secret, email)
    assert invitation.panel_key == panel_key(secret, f"  {email.upper()} ")  # normalised
    assert invitation.panel_key != panel_key("another secret", email)
    assert invitation.panel_key not in (
        hashlib.sha256(email.encode()).hexdigest(),
        hashlib.sha256(f"panel:{email}".encode()).hexdigest(),
    )
    for response in db.session.scalars(select(Response).where(Response.panel_key.is_not(None))):
        assert "@" not in response.panel_key and re.fullmatch(r"[0-9a-f]{64}", response.panel_key)


ADMIN_ONLY = [
    ("GET", "/coordinator/accounts"),
    ("GET", "/coordinator/audit"),
    ("GET", "/coordinator/organisations/{org}/delete"),
    ("POST", "/coordinator/organisations/{org}/delete"),
    ("POST", "/coordinator/organisations/{org}/accounts"),
]


def test_admin_pages_refuse_a_coordinator(app, client, small_site):
    sign_in(client, "coordinator")
    organisation = small_site.organisation
    data = {"confirm_name": organisation.name, "email": "nieuw@example.org", "password": "x" * 12}

    for method, template in ADMIN_ONLY:
        url = template.format(org=organisation.id)
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
    assert db.session.get(type(organisation), organisation.id) is not None


@pytest.mark.parametrize("role, status", [("coordinator", 403), ("admin", 200)])
def test_only_admins_export_contact_data_and_a_refusal_is_logged(client, small_site, role, status):
    sign_in(client, role)
    campaign = small_site.values["campaign_id"][0]

    response = client.post(
        f"/coordinator/campaigns/{campaign}/export", data={"format": "csv", "with_contacts": "y"}
    )

    assert response.status_code == status
    refused = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.refused")
    ).all()
    assert len(refused) == (1 if status == 403 else 0)
    if status == 200:
        assert response.headers["Cache-Control"] == "no-store"
