"""Changing one's password, and the password someone else chose that must be replaced first."""

import pytest
from click.testing import Result
from sqlalchemy import select

from monitor.accounts import User, create_user, find_user
from monitor.audit import AuditEvent
from surveys.db import db
from surveys.models import Organisation
from tests.conftest import login

OLD = "correct horse battery"
NEW = "paard nietje batterij staple"


@pytest.fixture
def organisation(app) -> Organisation:
    organisation = Organisation(name="Maasdal Metaal BV", sector="techniek en metaal")
    db.session.add(organisation)
    db.session.commit()
    return organisation


@pytest.fixture
def employer(organisation) -> User:
    user = create_user("hr@maasdal.example", "employer", OLD, organisation.id)
    db.session.commit()
    return user


def change(client, current: str, new: str, repeat: str | None = None):
    return client.post(
        "/account/password",
        data={"current": current, "new": new, "repeat": new if repeat is None else repeat},
    )


def test_a_user_changes_their_password_and_logs_in_with_the_new_one(client, employer):
    login(client, employer.email, OLD)

    response = change(client, OLD, NEW)

    assert response.status_code == 302 and response.headers["Location"] == "/"
    client.post("/logout")
    assert login(client, employer.email, OLD).status_code == 200  # refused: the form again
    assert login(client, employer.email, NEW).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "password.change"))
    assert event is not None and event.user_id == employer.id
    assert NEW not in str(event.detail) and OLD not in str(event.detail)


@pytest.mark.parametrize(
    ("current", "new", "repeat", "field", "message"),
    [
        ("wrong password!", NEW, None, "current", "Dit is niet uw huidige wachtwoord."),
        (OLD, "kort", None, "new", "Een wachtwoord heeft 10 tot 200 tekens."),
        (OLD, NEW, NEW + "x", "repeat", "De twee nieuwe wachtwoorden zijn niet gelijk."),
        (OLD, OLD, None, "new", "Kies een ander wachtwoord dan het huidige."),
        ("", "", "", "current", "Vul uw huidige wachtwoord in."),
    ],
    ids=["wrong-current", "too-short", "repeat-differs", "unchanged", "empty"],
)
def test_a_bad_change_names_the_field_and_changes_nothing(
    client, employer, current, new, repeat, field, message
):
    login(client, employer.email, OLD)
    hash_before = employer.password_hash

    response = change(client, current, new, repeat)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    db.session.refresh(employer)
    assert employer.password_hash == hash_before


def test_other_sessions_end_when_the_password_changes(app, employer):
    here, elsewhere = app.test_client(), app.test_client()
    login(here, employer.email, OLD)
    login(elsewhere, employer.email, OLD)
    assert elsewhere.get("/employer/").status_code == 200

    change(here, OLD, NEW)

    assert here.get("/employer/").status_code == 200  # this session was renewed
    assert elsewhere.get("/employer/").headers["Location"].startswith("/login")


def test_an_account_made_in_the_console_must_choose_its_own_password_first(
    app, client, organisation
):
    admin = create_user("admin@monitor.example", "admin", OLD)
    db.session.commit()
    login(client, admin.email, OLD)
    response = client.post(
        f"/coordinator/organisations/{organisation.id}/accounts",
        data={"email": "nieuw@maasdal.example", "password": ""},
    )
    assert response.status_code == 201
    generated = response.get_data(as_text=True).split("<code>")[1].split("</code>")[0]
    assert find_user("nieuw@maasdal.example").must_change_password
    client.post("/logout")

    login(client, "nieuw@maasdal.example", generated)
    for page in ("/", "/employer/", f"/employer/report/{2025}.pdf"):
        assert client.get(page).headers["Location"] == "/account/password", page
    assert "Kies nu een eigen wachtwoord" in client.get("/account/password").get_data(True)
    change(client, generated, NEW)

    assert client.get("/employer/").status_code == 200
    assert not find_user("nieuw@maasdal.example").must_change_password


def test_a_generated_password_on_the_command_line_must_be_replaced(app, organisation):
    result: Result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "x@maasdal.example", "--role", "employer",
              "--org", str(organisation.id)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert find_user("x@maasdal.example").must_change_password
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "y@maasdal.example", "--role", "employer",
              "--org", str(organisation.id), "--password", NEW]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not find_user("y@maasdal.example").must_change_password


def test_the_password_page_needs_a_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
