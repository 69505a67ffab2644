"""The respondent pages, driven through the Flask test client."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update

from monitor.accounts import create_user
from surveys.campaigns import add_invitations, create_campaign, open_campaign, personal_link
from surveys.db import db
from surveys.definition.loader import load_definition_file
from surveys.definition.publish import publish_definition
from surveys.invitees import Invitee
from surveys.models import Invitation, Response
from surveys.responses import stored_answers
from tests.conftest import COORDINATOR_LOGIN, login

PROEF = Path(__file__).parent.parent / "data" / "instruments" / "proef.yaml"
TODAY = date.today()


@pytest.fixture
def proef(app):
    return publish_definition(load_definition_file(PROEF)).version


def _campaign(proef, mode="personal", opens=-10, closes=10, status_open=True):
    campaign = create_campaign(
        proef, title="Proef", year=TODAY.year, wave=0, mode=mode,
        opens_on=TODAY + timedelta(days=opens), closes_on=TODAY + timedelta(days=closes),
    )  # fmt: skip
    if status_open:
        open_campaign(campaign)
    db.session.commit()
    return campaign


@pytest.fixture
def link(proef):
    campaign = _campaign(proef)
    [invitation] = add_invitations(campaign, [Invitee(2, "a@x.example", None, "studenten", None)])
    db.session.commit()
    return personal_link(invitation).removeprefix("http://127.0.0.1:5000")


def _answers():
    return stored_answers(db.session.scalar(select(Response.id)))


def test_personal_link_fills_in_resumes_goes_back_and_submits_once(client, link):
    page = client.get(link).get_data(as_text=True)
    assert "Stap 1 van 3" in page and 'name="status"' in page and 'lang="nl"' in page
    # a required number left empty: the error stands next to the field, the choice stays
    page = client.post(link, data={"status": "werkend", "nav": "next"}).get_data(as_text=True)
    assert 'id="uren-error"' in page and "Controleer de volgende vragen" in page
    assert re.search(r'value="werkend"[^>]*checked|checked[^>]*value="werkend"', page)
    response = client.post(link, data={"status": "werkend", "uren": "24", "nav": "next"})
    assert response.status_code == 302 and response.headers["Location"].endswith("p=1")
    assert _answers() == {"status": "werkend", "uren": "24"}
    # leaving and coming back continues on page 2; back shows the earlier answers
    assert "Stap 2 van 3" in client.get(link, follow_redirects=True).get_data(as_text=True)
    back = client.post(f"{link}?p=1", data={"tevreden_werk": "4", "nav": "back"})
    assert back.headers["Location"].endswith("p=0")
    assert 'value="24"' in client.get(f"{link}?p=0").get_data(as_text=True)
    assert _answers()["tevreden_werk"] == "4"  # going back saved the page
    client.post(f"{link}?p=0", data={"status": "werkend", "uren": "24", "nav": "next"})
    page2 = client.get(f"{link}?p=1").get_data(as_text=True)
    assert 'name="sector"' in page2  # shown: status is werkend on an earlier page
    client.post(f"{link}?p=1", data={"tevreden_werk": "4", "tevreden_regio": "weet_niet",
                                     "sector": "ict", "nav": "next"})  # fmt: skip
    final = {"vaardigheden": ["ai", "anders"], "vaardigheden_other": "Robotica",
             "toelichting_ai": "Nodig in mijn werk", "nav": "submit"}  # fmt: skip
    client.post(f"{link}?p=2", data=final)
    again = client.post(f"{link}?p=2", data={**final, "vaardigheden_other": "Ander antwoord"})
    assert again.status_code == 200 and "Bedankt" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert _answers() == {
        "status": "werkend", "uren": "24", "tevreden_werk": "4", "tevreden_regio": "weet_niet",
        "sector": "ict", "vaardigheden": '["ai", "anders"]', "vaardigheden_other": "Robotica",
        "toelichting_ai": "Nodig in mijn werk",
    }  # fmt: skip
    done = client.get(link).get_data(as_text=True)
    assert "Bedankt" in done and "disabled" in done and 'value="Robotica"' in done


def _statements_of(client, url, data, monkeypatch):
    """The request's answer and the statements it sent: (first word, driver autocommit). On
    PostgreSQL the respondent pages send some on the driver's connection, so it is the driver's
    cursor that is watched there (psycopg sends a BEGIN only outside autocommit)."""
    sent = []
    if db.engine.dialect.name == "postgresql":
        import psycopg

        execute = psycopg.Cursor.execute

        def watched(cursor, query, *args, **kwargs):
            sent.append((str(query).split()[0].upper(), cursor.connection.autocommit))
            return execute(cursor, query, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "execute", watched)
        reply = client.post(url, data=data)
        monkeypatch.undo()
        return reply, sent

    def record(_connection, _cursor, statement, *_args):
        sent.append((statement.split()[0].upper(), None))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        return client.post(url, data=data), sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_saving_a_page_reads_then_writes_in_one_statement_each(client, link, monkeypatch):
    client.post(link, data={"status": "werkend", "uren": "24", "nav": "next"})
    db.session.commit()  # like a production request, the next one starts without a transaction
    page_1 = {"status": "werkend", "uren": "30", "nav": "next"}
    reply, sent = _statements_of(client, f"{link}?p=0", page_1, monkeypatch)
    assert reply.status_code == 302 and _answers() == {"status": "werkend", "uren": "30"}
    if db.engine.dialect.name == "postgresql":
        # the read and the write outside a transaction: no BEGIN and COMMIT round trips
        assert sent == [("SELECT", True), ("WITH", True)]
    else:  # the read deferred, then the write lock for the writes only
        assert [word for word, _ in sent] == [
            "BEGIN",
            "SELECT",
            "COMMIT",
            "BEGIN",
            "UPDATE",
            "INSERT",
        ]
    # the connection went back to the pool transactional: a rollback undoes a change
    db.session.execute(update(Response).values(current_page=0))
    db.session.rollback()
    assert db.session.scalar(select(Response.current_page)) == 1


def test_hidden_items_are_not_stored_and_are_removed_when_an_answer_changes(client, link):
    client.post(link, data={"status": "werkend", "uren": "30", "nav": "next"})
    client.post(f"{link}?p=1", data={"sector": "zorg", "nav": "back"})
    client.post(f"{link}?p=0", data={"status": "studerend", "uren": "30", "nav": "next"})
    assert "uren" not in _answers()
    assert 'name="sector"' not in client.get(f"{link}?p=1").get_data(as_text=True)
    client.post(f"{link}?p=1", data={"nav": "next"})
    client.post(
        f"{link}?p=2", data={"vaardigheden": "data", "toelichting_ai": "x", "nav": "submit"}
    )
    assert _answers() == {"status": "studerend", "vaardigheden": '["data"]'}


def test_a_page_beyond_the_one_reached_redirects_back(client, link):
    response = client.get(f"{link}?p=2")
    assert response.status_code == 302 and response.headers["Location"].endswith("p=0")


def test_unknown_token_gives_a_clear_page(client, link):
    response = client.get(link[:-3] + "abc")
    assert response.status_code == 404 and "Deze link is onbekend" in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("opens", "closes", "status", "text"),
    [(-20, -1, 410, "gesloten"), (2, 20, 403, "nog niet geopend")],
)
def test_outside_the_campaign_dates_no_answer_is_taken(client, proef, opens, closes, status, text):
    campaign = _campaign(proef, opens=opens, closes=closes)
    [invitation] = add_invitations(campaign, [Invitee(2, "a@x.example", None, "studenten", None)])
    db.session.commit()
    url = personal_link(invitation).removeprefix("http://127.0.0.1:5000")
    assert client.get(url).status_code == status
    response = client.post(url, data={"status": "werkend", "uren": "3", "nav": "next"})
    assert response.status_code == status and text in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_closed_campaign_keeps_submitted_answers_readable(client, link):
    client.post(link, data={"status": "studerend", "nav": "next"})
    client.post(f"{link}?p=1", data={"nav": "next"})
    client.post(f"{link}?p=2", data={"nav": "submit"})
    campaign = db.session.scalar(select(Invitation)).campaign
    campaign.status = "closed"
    db.session.commit()
    assert "Bedankt" in client.get(link).get_data(as_text=True)


@pytest.fixture
def app_config(request):
    return {"WTF_CSRF_ENABLED": True} if "csrf" in request.node.name else {}


def test_a_forged_or_missing_csrf_token_is_refused_and_nothing_is_stored(client, link):
    page = client.get(link).get_data(as_text=True)
    assert page.count('name="csrf_token"') == 1  # the app's token; the page form adds none
    for forged in ({"csrf_token": "forged"}, {}):
        response = client.post(link, data={**forged, "status": "studerend", "nav": "next"})
        assert response.status_code == 400
        assert "Formulier verlopen" in response.get_data(as_text=True)
    assert _answers() == {}
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post(link, data={"csrf_token": token, "status": "studerend", "nav": "next"})
    assert ok.status_code == 302 and _answers() == {"status": "studerend"}


def test_open_link_asks_the_group_and_offers_a_resume_link(client, proef):
    campaign = _campaign(proef, mode="open")
    landing = client.get(f"/a/{campaign.slug}").get_data(as_text=True)
    assert "Ik vul deze vragenlijst in als" in landing and 'value="docenten"' in landing
    assert "Kies een groep." in client.post(f"/a/{campaign.slug}", data={}).get_data(as_text=True)
    start = client.post(f"/a/{campaign.slug}", data={"group": "docenten"})
    resume_url = start.headers["Location"].split("?")[0]
    first = client.get(start.headers["Location"]).get_data(as_text=True)
    assert "Bewaar deze link" in first and resume_url in first
    client.post(f"{resume_url}?p=0", data={"status": "studerend", "nav": "next"})
    other_browser = type(client)(client.application)
    assert "Stap 2 van 3" in other_browser.get(resume_url, follow_redirects=True).get_data(
        as_text=True
    )
    response = db.session.scalar(select(Response))
    assert response.respondent_group == "docenten" and response.invitation_id is None


def test_open_link_of_another_mode_or_unknown_slug_is_404(client, proef):
    campaign = _campaign(proef, mode="personal")
    assert client.get(f"/a/{campaign.slug}").status_code == 404
    assert client.get("/a/bestaat-niet").status_code == 404


def test_language_can_be_switched_to_english(client, link):
    page = client.get(f"{link}?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "What do you do now?" in page and "Step 1 of 3" in page
    assert "Next" in client.get(link).get_data(as_text=True)  # the choice is remembered


def test_opt_out_needs_a_post_and_stops_reminders(client, link):
    client.get(f"{link}/afmelden")
    assert db.session.scalar(select(Invitation.opted_out)) is False
    client.post(f"{link}/afmelden")
    assert db.session.scalar(select(Invitation.opted_out)) is True


def test_colleagues_fill_in_one_employer_scan_and_land_on_the_company_page(app, proef):
    from surveys.models import Organisation

    org = Organisation(name="Kempen Data BV", sector="ICT", kvk_number="87654321")
    db.session.add(org)
    db.session.flush()
    for email in ("a@kempen.example", "b@kempen.example"):
        create_user(email, "employer", "a long password", org.id)
    campaign = _campaign(proef, mode="employer")
    first, second = app.test_client(), app.test_client()
    login(first, "a@kempen.example", "a long password")
    login(second, "b@kempen.example", "a long password")
    url = f"/employer/scan/{campaign.id}"
    first.post(url, data={"status": "studerend", "nav": "next"})
    assert "Stap 2 van 3" in second.get(url, follow_redirects=True).get_data(as_text=True)
    second.post(f"{url}?p=1", data={"nav": "next"})
    second.post(f"{url}?p=2", data={"nav": "submit"})
    done = first.get(url).get_data(as_text=True)
    assert "Naar het rapport van uw organisatie" in done
    [response] = db.session.scalars(select(Response)).all()
    assert response.organisation_id == org.id and response.status == "submitted"
    assert "verstuurd op" in first.get("/employer/").get_data(as_text=True)


def test_employer_scan_needs_an_employer_account(auth, coordinator_account, proef):
    client = auth.client
    campaign = _campaign(proef, mode="employer")
    assert client.get(f"/employer/scan/{campaign.id}").status_code == 302  # to login
    auth.login(*COORDINATOR_LOGIN)
    assert client.get(f"/employer/scan/{campaign.id}").status_code == 403


def test_an_instrument_without_pages_for_the_group_is_a_404_not_a_redirect_loop(client, version):
    campaign = _campaign(version)
    [invitation] = add_invitations(campaign, [Invitee(2, "a@x.example", None, "studenten", None)])
    db.session.commit()
    url = personal_link(invitation).removeprefix("http://127.0.0.1:5000")
    assert client.get(url).status_code == 404
