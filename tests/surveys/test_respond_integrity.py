"""The respondent pages never misapply or silently drop a posted page, and an open link's start
is made once per browser session."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.accounts import create_user
from surveys.campaigns import add_invitations, create_campaign, open_campaign, personal_link
from surveys.db import db
from surveys.definition.loader import load_definition_file
from surveys.definition.publish import publish_definition
from surveys.invitees import Invitee
from surveys.models import Campaign, Organisation, Response
from surveys.responses import stored_answers
from tests.conftest import login

PROEF = Path(__file__).parent.parent / "data" / "instruments" / "proef.yaml"
TODAY = date.today()


@pytest.fixture
def open_slug(app) -> str:
    version = publish_definition(load_definition_file(PROEF)).version
    campaign = create_campaign(
        version, title="Open", year=TODAY.year, wave=0, mode="open",
        opens_on=TODAY - timedelta(days=1), closes_on=TODAY + timedelta(days=10),
    )  # fmt: skip
    open_campaign(campaign)
    db.session.commit()
    return campaign.slug


def responses() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


# -- an open link's start ------------------------------------------------------------------------


def test_a_double_click_on_start_makes_one_response(client, open_slug):
    assert client.get(f"/a/{open_slug}").status_code == 200
    first = client.post(f"/a/{open_slug}", data={"group": "studenten"})
    second = client.post(f"/a/{open_slug}", data={"group": "studenten"})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert responses() == 1


def test_a_start_resent_before_the_first_answer_came_back_finds_the_same_response(app, open_slug):
    """Both clicks of a double click leave the browser before the first answer arrives: the
    start is found again by the session's key, not by what the first request wrote into it."""
    browser = app.test_client()
    browser.get(f"/a/{open_slug}")
    second_click = app.test_client()
    second_click.set_cookie("session", browser.get_cookie("session").value)
    first = browser.post(f"/a/{open_slug}", data={"group": "studenten"})
    second = second_click.post(f"/a/{open_slug}", data={"group": "studenten"})
    assert first.headers["Location"] == second.headers["Location"] and responses() == 1


def test_another_browser_starts_its_own_response(app, open_slug):
    locations = {
        app.test_client().post(f"/a/{open_slug}", data={"group": "studenten"}).headers["Location"]
        for _ in range(2)
    }
    assert len(locations) == 2 and responses() == 2


def test_a_repeated_start_before_answering_takes_the_group_chosen_last(client, open_slug):
    client.post(f"/a/{open_slug}", data={"group": "studenten"})
    client.post(f"/a/{open_slug}?lang=en", data={"group": "docenten"})
    [response] = db.session.scalars(select(Response)).all()
    assert response.respondent_group == "docenten" and response.language == "en"


def test_once_answered_a_new_start_in_the_same_browser_is_a_new_response(client, open_slug):
    """On a shared computer the next person who presses start does not land in the answers of
    the one before."""
    first = client.post(f"/a/{open_slug}", data={"group": "studenten"}).headers["Location"]
    resume = first.split("?")[0]
    client.post(f"{resume}?p=0", data={"status": "werkend", "uren": "20", "nav": "next"})
    second = client.post(f"/a/{open_slug}", data={"group": "studenten"}).headers["Location"]
    assert second.split("?")[0] != resume and responses() == 2
    page = client.get(second).text
    assert "Stap 1 van 3" in page and 'value="20"' not in page
    third = client.post(f"/a/{open_slug}", data={"group": "studenten"}).headers["Location"]
    assert third == second and responses() == 2
    answered = db.session.scalar(select(Response.id).order_by(Response.id).limit(1))
    assert stored_answers(answered) == {"status": "werkend", "uren": "20"}


# -- a posted page is saved for the page it was rendered for ---------------------------------------


@pytest.fixture
def link(app) -> str:
    version = publish_definition(load_definition_file(PROEF)).version
    campaign = create_campaign(
        version, title="Persoonlijk", year=TODAY.year, wave=0, mode="personal",
        opens_on=TODAY - timedelta(days=1), closes_on=TODAY + timedelta(days=10),
    )  # fmt: skip
    open_campaign(campaign)
    [invitation] = add_invitations(campaign, [Invitee(2, "a@x.example", None, "studenten", None)])
    db.session.commit()
    return personal_link(invitation).removeprefix("http://127.0.0.1:5000")


def rendered_for(page: str) -> dict[str, str]:
    """The hidden fields of a questionnaire page's form, as a browser sends them back."""
    return dict(re.findall(r'<input type="hidden" name="(_page)" value="([^"]*)">', page))


def progress() -> tuple[str, int]:
    response = db.session.scalar(select(Response))
    db.session.refresh(response)
    return response.status, response.current_page


def test_a_page_form_posted_again_to_the_plain_address_is_saved_for_its_own_page(client, link):
    """Page 1's form, posted three times to /s/<token> (the address it was shown at), is page 1
    three times: it neither answers pages 2 and 3 nor submits the response."""
    hidden = rendered_for(client.get(link).text)
    assert hidden == {"_page": "0"}
    for _ in range(3):
        saved = client.post(link, data={**hidden, "status": "studerend", "nav": "next"})
        assert saved.status_code == 302 and saved.headers["Location"].endswith("?p=1")
    assert progress() == ("in_progress", 1)
    assert stored_answers(db.session.scalar(select(Response.id))) == {"status": "studerend"}


def test_a_post_that_names_no_page_is_refused_with_a_message(client, link):
    client.post(link, data={"_page": "0", "status": "werkend", "uren": "20", "nav": "next"})
    refused = client.post(link, data={"status": "werkend", "uren": "30", "nav": "next"})
    assert refused.status_code == 409 and "niet opgeslagen" in refused.text
    assert "Stap 2 van 3" in refused.text and rendered_for(refused.text) == {"_page": "1"}
    assert progress() == ("in_progress", 1)
    assert stored_answers(db.session.scalar(select(Response.id)))["uren"] == "20"


def test_a_post_for_a_page_not_reached_is_refused_with_a_message(client, link):
    final = {"_page": "2", "vaardigheden": "ai", "nav": "submit"}
    refused = client.post(link, data=final)
    assert refused.status_code == 409 and "niet opgeslagen" in refused.text
    assert "Stap 1 van 3" in refused.text and responses() == 0
    client.post(link, data={"_page": "0", "status": "studerend", "nav": "next"})
    refused = client.post(f"{link}?p=2", data=final)
    assert refused.status_code == 409 and progress() == ("in_progress", 1)


def test_going_back_keeps_the_furthest_page_reached(client, link):
    client.post(link, data={"_page": "0", "status": "studerend", "nav": "next"})
    client.post(f"{link}?p=1", data={"_page": "1", "nav": "next"})
    client.post(f"{link}?p=1", data={"_page": "1", "nav": "back"})
    client.post(f"{link}?p=0", data={"_page": "0", "status": "studerend", "nav": "next"})
    assert progress() == ("in_progress", 2)
    assert "Stap 3 van 3" in client.get(link, follow_redirects=True).text


def test_an_answer_posted_after_the_submit_is_not_saved_and_says_so(client, link):
    client.post(link, data={"_page": "0", "status": "studerend", "nav": "next"})
    client.post(link, data={"_page": "1", "nav": "next"})
    final = {"_page": "2", "vaardigheden": "ai", "nav": "submit"}
    client.post(link, data=final)
    assert progress()[0] == "submitted"
    double_click = client.post(link, data=final)
    assert "Bedankt" in double_click.text and "niet opgeslagen" not in double_click.text
    changed = client.post(link, data={**final, "vaardigheden": "data"})
    assert "Bedankt" in changed.text and "niet opgeslagen" in changed.text
    assert stored_answers(db.session.scalar(select(Response.id)))["vaardigheden"] == '["ai"]'


def test_a_colleagues_stale_scan_page_is_saved_for_its_page(app, link):
    organisation = Organisation(name="Kempen Data BV", sector="ICT")
    db.session.add(organisation)
    db.session.flush()
    for email in ("a@kempen.example", "b@kempen.example"):
        create_user(email, "employer", "a long password", organisation.id)
    version = db.session.scalar(select(Campaign)).instrument_version
    campaign = create_campaign(
        version, title="Scan", year=TODAY.year, wave=0, mode="employer",
        opens_on=TODAY - timedelta(days=1), closes_on=TODAY + timedelta(days=10),
    )  # fmt: skip
    open_campaign(campaign)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(first, "a@kempen.example", "a long password")
    login(second, "b@kempen.example", "a long password")
    url = f"/employer/scan/{campaign.id}"
    stale = rendered_for(first.get(url).text)  # a sits on page 1 and waits
    second.post(url, data={**rendered_for(second.get(url).text), "status": "werkend", "uren": "8",
                           "nav": "next"})  # fmt: skip
    second.post(url, data={"_page": "1", "tevreden_werk": "4", "sector": "ict", "nav": "next"})
    # a's form of page 1, sent now, is page 1's answers, not page 3's
    saved = first.post(url, data={**stale, "status": "werkend", "uren": "30", "nav": "next"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("?p=1")
    done = second.post(url, data={"_page": "2", "vaardigheden": "data", "nav": "submit"})
    assert done.status_code == 302 and "Bedankt" in second.get(url).text
    scan = db.session.scalar(select(Response).where(Response.campaign_id == campaign.id))
    assert scan.status == "submitted"
    assert stored_answers(scan.id) == {
        "status": "werkend", "uren": "30", "tevreden_werk": "4", "sector": "ict",
        "vaardigheden": '["data"]',
    }  # fmt: skip
