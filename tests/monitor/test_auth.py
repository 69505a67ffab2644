import pytest

from monitor.accounts import User, create_user
from surveys.db import db
from surveys.models import Organisation
from tests.conftest import login


@pytest.fixture
def employer(app):
    org = Organisation(name="Maasdal Metaal BV", sector="techniek en metaal")
    db.session.add(org)
    db.session.flush()
    user = create_user("HR@Maasdal.example", "employer", "correct horse battery", org.id)
    db.session.commit()
    return user


def test_password_is_stored_as_argon2_hash(employer):
    assert employer.password_hash.startswith("$argon2id$")
    assert "correct horse" not in employer.password_hash


def test_login_with_correct_password_leads_to_the_role_home(client, employer):
    response = login(client, "hr@maasdal.example", "correct horse battery")
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/employer/"
    assert "HR-scans van Maasdal Metaal BV" in client.get("/employer/").get_data(as_text=True)


def test_wrong_password_gives_an_error_next_to_the_field_and_keeps_the_email(client, employer):
    response = login(client, "hr@maasdal.example", "wrong password!")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "horen niet bij elkaar" in page
    assert 'value="hr@maasdal.example"' in page
    assert client.get("/").status_code == 302  # still logged out


def test_empty_login_form_names_both_fields(client):
    page = client.post("/login", data={}).get_data(as_text=True)
    assert "Vul uw e-mailadres in." in page and "Vul uw wachtwoord in." in page


def test_session_is_renewed_at_login(client, employer):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "hr@maasdal.example", "correct horse battery")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == employer.get_id()


def test_login_does_not_redirect_off_site(client, employer):
    response = client.post(
        "/login?next=//evil.example/x",
        data={"email": "hr@maasdal.example", "password": "correct horse battery"},
    )
    assert response.headers["Location"] == "/"


def test_logout_is_post_only(client, employer):
    login(client, "hr@maasdal.example", "correct horse battery")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_inactive_account_cannot_log_in(client, employer):
    employer.active = False
    db.session.commit()
    login(client, "hr@maasdal.example", "correct horse battery")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("a@b.example", "employer", "long enough pw", None), "needs an organisation"),
        (("a@b.example", "coordinator", "short", None), "at least 10"),
        (("not-an-email", "admin", "long enough pw", None), "not an e-mail"),
        (("a@b.example", "employer", "long enough pw", 999), "does not exist"),
    ],
)
def test_create_user_rejects_bad_input_with_a_message(app, args, message):
    with pytest.raises(ValueError, match=message):
        create_user(*args)


def test_employer_sees_only_its_own_organisation(employer):
    assert employer.may_see_organisation(employer.organisation_id)
    assert not employer.may_see_organisation(employer.organisation_id + 1)
    coordinator = User(role="coordinator")
    assert coordinator.may_see_organisation(employer.organisation_id + 1)


@pytest.fixture
def app_config(request):
    return {"RATELIMIT_ENABLED": True} if "rate_limit" in request.node.name else {}


def test_login_is_rate_limited(client, employer):
    codes = [login(client, "hr@maasdal.example", f"guess {i}").status_code for i in range(12)]
    assert codes[:10] == [200] * 10
    assert codes[10:] == [429, 429]
