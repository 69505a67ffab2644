"""The respondent pages never misapply or silently drop a posted page, and an open link's start
is made once per browser session."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from surveys.campaigns import create_campaign, open_campaign
from surveys.db import db
from surveys.definition.loader import load_definition_file
from surveys.definition.publish import publish_definition
from surveys.models import Response
from surveys.responses import stored_answers

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
