from sqlalchemy import select

from monitor.accounts import User
from monitor.audit import AuditEvent
from surveys.db import db
from surveys.models import Organisation


def test_users_create_makes_an_account_that_can_log_in(runner, client):
    result = runner.invoke(
        args=["users", "create", "--email", "c@example.org", "--role", "coordinator",
              "--password", "a long password"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "created coordinator c@example.org" in result.output
    client.post("/login", data={"email": "c@example.org", "password": "a long password"})
    assert client.get("/").headers["Location"] == "/coordinator/"
    user = db.session.scalar(select(User).where(User.email == "c@example.org"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.create"))
    assert (event.object_type, event.object_id) == ("user", str(user.id))
    assert event.detail["via"] == "cli" and "@" not in str(event.detail)


def test_users_create_generates_a_password_when_none_given(runner):
    result = runner.invoke(args=["users", "create", "--email", "a@example.org", "--role", "admin"])
    assert result.exit_code == 0
    password = result.output.split("password: ")[1].strip()
    assert db.session.scalar(select(User)).check_password(password)


def test_users_create_reports_bad_input_without_a_traceback(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "e@example.org", "--role", "employer",
              "--password", "a long password"]
    )  # fmt: skip
    assert result.exit_code == 1
    assert "needs an organisation" in result.output
    assert "Traceback" not in result.output


def test_users_create_binds_employer_to_its_organisation(runner):
    org = Organisation(name="Peelrand Logistiek BV")
    db.session.add(org)
    db.session.commit()
    result = runner.invoke(
        args=["users", "create", "--email", "e@example.org", "--role", "employer",
              "--org", str(org.id), "--password", "a long password"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User)).organisation_id == org.id
