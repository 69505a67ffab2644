"""Organisations in the console: list and search, forms, CSV import, employer accounts, deletion
on request, and the admin pages (audit log, accounts)."""

import io
import re

import pytest
from sqlalchemy import func, select

from monitor.accounts import User, create_user
from monitor.audit import AuditEvent, record
from monitor.demo import DEMO_LOGINS, load_demo
from surveys.db import db
from surveys.models import Organisation, Response
from surveys.organisations import create_organisation
from tests.conftest import login


def _as(client, role: str):
    email, password = DEMO_LOGINS[role]
    assert login(client, email, password).status_code == 302
    return client


@pytest.fixture
def demo(app):
    load_demo(seed=7)
    return app


@pytest.fixture
def staff_users(app):
    create_user("admin@x.example", "admin", "a long password")
    create_user("co@x.example", "coordinator", "a long password")
    db.session.commit()


@pytest.fixture
def admin(auth, staff_users):
    auth.login("admin@x.example", "a long password")
    return auth.client


def _rows(page: str) -> list[str]:
    return re.findall(r'<a href="/coordinator/organisations/\d+">([^<]+)</a>', page)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_list_pages_through_all_demo_organisations_and_keeps_the_filters(client, demo):
    _as(client, "coordinator")
    total = db.session.scalar(select(func.count()).select_from(Organisation))
    first = client.get("/coordinator/organisations").get_data(as_text=True)
    assert len(_rows(first)) == 50 and f"{total} organisaties" in first
    seen = []
    for number in range(1, total // 50 + 2):
        seen += _rows(client.get(f"/coordinator/organisations?page={number}").get_data(True))
    assert len(seen) == total == len(set(seen))
    assert seen == sorted(seen, key=str.lower)
    page = client.get("/coordinator/organisations?region=Zuid-Limburg&sector=ICT").get_data(True)
    expected = db.session.scalar(
        select(func.count()).where(
            Organisation.region == "Zuid-Limburg", Organisation.sector == "ICT"
        )
    )
    assert len(_rows(page)) == min(expected, 50) and expected > 0
    page = client.get("/coordinator/organisations?region=Zuid-Limburg&page=1").get_data(True)
    assert "region=Zuid-Limburg" in page.split('rel="next"')[0].rsplit("<a", 1)[-1]


def test_search_finds_by_name_kvk_and_municipality(coordinator):
    create_organisation({"name": "Maasdal Logistiek BV", "kvk_number": "11112222"})
    create_organisation({"name": "Zorg Venlo", "municipality": "Venray"})
    db.session.commit()
    get = coordinator.get
    assert _rows(get("/coordinator/organisations?q=maasdal").get_data(True)) == [
        "Maasdal Logistiek BV"
    ]
    assert _rows(get("/coordinator/organisations?q=1111").get_data(True)) == [
        "Maasdal Logistiek BV"
    ]
    assert _rows(get("/coordinator/organisations?q=venray").get_data(True)) == ["Zorg Venlo"]
    assert "Geen organisaties gevonden" in get("/coordinator/organisations?q=xyz").get_data(True)


def _form(**overrides):
    data = {
        "name": "Geuldal Bouw BV", "kind": "werkgever", "sector": "bouw", "size_class": "10-49",
        "region": "Zuid-Limburg", "municipality": "Valkenburg aan de Geul", "kvk_number": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_create_shows_errors_next_to_the_fields_and_keeps_the_answers(coordinator):
    create_organisation({"name": "Bestaand BV", "kvk_number": "12345678"})
    db.session.commit()
    response = coordinator.post(
        "/coordinator/organisations/new",
        data=_form(name="", kvk_number="1234", municipality="Meerssen"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error" id="name-error">Vul de naam van de organisatie in.</p>' in page
    assert 'id="kvk_number-error">Een KvK-nummer bestaat uit precies acht cijfers.' in page
    assert 'value="Meerssen"' in page and 'value="1234"' in page
    assert '<option selected value="10-49">' in page
    page = coordinator.post(
        "/coordinator/organisations/new", data=_form(kvk_number="12345678")
    ).get_data(True)
    assert "Dit KvK-nummer hoort al bij organisatie 1." in page
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1
    response = coordinator.post("/coordinator/organisations/new", data=_form(kvk_number="87654321"))
    assert response.status_code == 302
    created = db.session.scalar(select(Organisation).where(Organisation.kvk_number == "87654321"))
    assert response.headers["Location"].endswith(f"/coordinator/organisations/{created.id}")
    assert (created.name, created.sector) == ("Geuldal Bouw BV", "bouw")
    assert "organisation.create" in _actions()


def test_edit_changes_the_organisation_and_logs_which_fields(coordinator):
    organisation = create_organisation(_form(kvk_number="11111111"))
    db.session.commit()
    url = f"/coordinator/organisations/{organisation.id}/edit"
    assert 'value="11111111"' in coordinator.get(url).get_data(True)
    response = coordinator.post(url, data=_form(kvk_number="11111111", size_class="50-249"))
    assert response.status_code == 302
    assert db.session.get(Organisation, organisation.id).size_class == "50-249"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.edit"))
    assert event.object_id == str(organisation.id) and event.detail == {"fields": ["size_class"]}
    assert "Geuldal" not in str(event.detail)


def test_viewing_an_organisation_is_logged_and_unknown_ids_are_404(coordinator):
    organisation = create_organisation(_form())
    db.session.commit()
    page = coordinator.get(f"/coordinator/organisations/{organisation.id}").get_data(True)
    assert "Geuldal Bouw BV" in page and "Account toevoegen" not in page  # admins only
    assert _actions()[-1] == "organisation.view"
    assert coordinator.get("/coordinator/organisations/999").status_code == 404


def _upload(client, text: str):
    return client.post(
        "/coordinator/organisations/import",
        data={"file": (io.BytesIO(text.encode()), "organisaties.csv")},
        content_type="multipart/form-data",
    )


def test_import_reports_every_bad_line_and_imports_only_a_clean_file(coordinator):
    bad = (
        "name;kind;sector;size_class;region;municipality;kvk\n"
        "Goed BV;werkgever;bouw;1-9;Zuid-Limburg;Heerlen;11111111\n"
        ";werkgever;bouw;1-9;Zuid-Limburg;Heerlen;\n"
        "Fout BV;werkgever;bouw;1-9;Zuid-Limburg;Heerlen;123\n"
    )
    response = _upload(coordinator, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Er is niets ingelezen: 2 fouten" in page
    assert "<li>regel 3: naam: Vul de naam van de organisatie in.</li>" in page
    assert "<li>regel 4: KvK-nummer: Een KvK-nummer bestaat uit precies acht cijfers.</li>" in page
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0
    good = bad.replace(";werkgever;bouw;1-9;Zuid-Limburg;Heerlen;\n", "Tweede BV;;;;;;\n")
    response = _upload(coordinator, good.replace(";123\n", ";12345678\n"))
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 3
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.import"))
    assert event.detail == {"count": 3}
    assert "3 organisaties ingelezen" in coordinator.get("/coordinator/organisations").get_data(
        True
    )


def test_admin_creates_an_employer_account_with_a_password_shown_once(admin, client):
    organisation = create_organisation(_form())
    db.session.commit()
    url = f"/coordinator/organisations/{organisation.id}/accounts"
    response = admin.post(url, data={"email": "HR@Geuldal.example", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    password = re.search(r"<strong><code>([^<]+)</code></strong>", page).group(1)
    assert len(password) >= 16
    assert password not in admin.get(f"/coordinator/organisations/{organisation.id}").get_data(True)
    user = db.session.scalar(select(User).where(User.email == "hr@geuldal.example"))
    assert (user.role, user.organisation_id) == ("employer", organisation.id)
    assert password not in user.password_hash and user.check_password(password)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.create"))
    assert event.detail == {"organisation_id": organisation.id}
    # duplicate address, short password: errors next to the fields, nothing created
    response = admin.post(url, data={"email": "hr@geuldal.example", "password": "kort"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Er bestaat al een account met dit e-mailadres." in page
    assert "Een wachtwoord heeft minstens 10 tekens." in page
    response = admin.post(url, data={"email": "tweede@geuldal.example", "password": "lang genoeg!"})
    assert response.status_code == 302
    admin.post("/logout")
    assert login(client, "tweede@geuldal.example", "lang genoeg!").headers["Location"] == "/"
    # the admin knows this password: the employer chooses their own first
    assert client.get("/employer/").headers["Location"] == "/account/password"


def test_coordinators_cannot_create_accounts_delete_or_see_admin_pages(coordinator):
    organisation = create_organisation(_form())
    db.session.commit()
    base = f"/coordinator/organisations/{organisation.id}"
    assert coordinator.post(f"{base}/accounts", data={"email": "a@b.example"}).status_code == 403
    assert coordinator.get(f"{base}/delete").status_code == 403
    form = {"confirm_name": organisation.name}
    assert coordinator.post(f"{base}/delete", data=form).status_code == 403
    assert coordinator.get("/coordinator/audit").status_code == 403
    assert coordinator.get("/coordinator/accounts").status_code == 403
    nav = coordinator.get("/coordinator/organisations").get_data(as_text=True)
    assert "Organisaties</a>" in nav and "Auditlog" not in nav
    assert db.session.get(Organisation, organisation.id) is not None


def test_admin_deletes_an_organisation_only_after_typing_its_name(admin, demo):
    employer_org = db.session.scalar(
        select(User.organisation_id).where(User.email == DEMO_LOGINS["employer"][0])
    )
    name = db.session.get(Organisation, employer_org).name
    responses = db.session.scalar(
        select(func.count()).where(Response.organisation_id == employer_org)
    )
    base = f"/coordinator/organisations/{employer_org}/delete"
    page = admin.get(base).get_data(as_text=True)
    assert f"{responses} vragenlijsten" in page and "1 werkgeversaccounts" in page
    response = admin.post(base, data={"confirm_name": name.upper()})
    assert response.status_code == 422 and "De naam klopt niet" in response.get_data(True)
    assert db.session.get(Organisation, employer_org) is not None
    response = admin.post(base, data={"confirm_name": f" {name} "})
    assert response.status_code == 302 and response.headers["Location"] == (
        "/coordinator/organisations"
    )
    db.session.expire_all()
    assert db.session.get(Organisation, employer_org) is None
    assert not db.session.scalar(
        select(func.count()).where(Response.organisation_id == employer_org)
    )
    assert db.session.scalar(select(User).where(User.email == DEMO_LOGINS["employer"][0])) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.delete"))
    assert event.object_id == str(employer_org) and event.detail["responses"] == responses
    assert event.detail["users"] == 1 and name not in str(event.detail)
    assert admin.get(base).status_code == 404


def test_the_audit_log_is_for_admins_filters_by_action_and_pages(admin, staff_users):
    for n in range(60):
        record("report.download", "organisation", n, user_id=1)
    record("export", "campaign", 7, user_id=None, rows=12)
    db.session.commit()
    page = admin.get("/coordinator/audit").get_data(as_text=True)
    assert "Auditlog</a>" in page and "Accounts</a>" in page  # the admin's nav
    assert "62 gebeurtenissen" in page and "Pagina 1 van 2" in page  # + the admin's login
    assert "opdrachtregel" in page and "rows: 12" in page
    page = admin.get("/coordinator/audit?action=export").get_data(as_text=True)
    assert "1 gebeurtenis," in page and "report.download</td>" not in page
    page = admin.get("/coordinator/audit?action=report.download&page=2").get_data(as_text=True)
    assert "Pagina 2 van 2" in page and page.count("<td>report.download</td>") == 10
    assert 'href="/coordinator/audit?page=1&amp;action=report.download"' in page


def test_the_accounts_page_lists_every_account_with_its_organisation(admin):
    organisation = create_organisation(_form())
    create_user("hr@geuldal.example", "employer", "a long password", organisation.id)
    db.session.commit()
    page = admin.get("/coordinator/accounts").get_data(as_text=True)
    assert "3 accounts" in page
    for email in ("admin@x.example", "co@x.example", "hr@geuldal.example"):
        assert email in page
    assert f'/coordinator/organisations/{organisation.id}">Geuldal Bouw BV</a>' in page
    page = admin.get("/coordinator/accounts?role=employer").get_data(as_text=True)
    assert "hr@geuldal.example" in page and "admin@x.example" not in page
