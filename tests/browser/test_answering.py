"""Respondents and employers in a real browser: the flows of the answering issue end to end."""

import json
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from monitor.accounts import create_user
from surveys.campaigns import create_campaign, open_campaign
from surveys.db import db
from surveys.definition.loader import load_definition_file, shipped_instrument_files
from surveys.definition.publish import publish_definition
from surveys.models import Organisation, Response
from surveys.responses import stored_answers
from tests.browser.filler import fill_page, go

pytestmark = pytest.mark.browser
TODAY = date.today()


def _published(key: str):
    [path] = [p for p in shipped_instrument_files() if p.stem == key]
    return publish_definition(load_definition_file(path)).version


def _open(version, mode: str):
    campaign = create_campaign(
        version, title=f"{version.definition['key']} {TODAY.year}", year=TODAY.year, wave=0,
        mode=mode, opens_on=TODAY - timedelta(days=1), closes_on=TODAY + timedelta(days=30),
    )  # fmt: skip
    open_campaign(campaign)
    db.session.commit()
    return campaign


def _expected(answered: dict[str, object]) -> dict[str, str]:
    return {
        name: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
        for name, value in answered.items()
    }


def _stored() -> dict[str, str]:
    db.session.rollback()  # end this thread's read snapshot: see what the server wrote
    [response] = db.session.scalars(select(Response)).all()
    return stored_answers(response.id)


def test_employer_fills_in_the_hr_scan_leaves_resumes_goes_back_and_submits(page, live_server):
    version = _published("hr_scan")
    _open(version, "employer")
    org = Organisation(name="Mergelland Zorggroep", sector="zorg en welzijn")
    db.session.add(org)
    db.session.flush()
    create_user("hr@mergelland.example", "employer", "a long password", org.id)
    db.session.commit()

    page.goto(f"{live_server}/login")
    page.fill("#email", "hr@mergelland.example")
    page.fill("#password", "a long password")
    go(page, "button[type=submit]")
    go(page, "text=Invullen")
    answered: dict[str, object] = {}
    pages = len(version.definition["sections"])
    for step in range(3):
        expect(page.get_by_text(f"Stap {step + 1} van {pages}")).to_be_visible()
        answered |= fill_page(page)
        go(page, "button[value=next]")
    # leave, come back, continue where we stopped
    page.goto(f"{live_server}/employer/")
    go(page, "text=Verder invullen")
    expect(page.get_by_text(f"Stap 4 van {pages}")).to_be_visible()
    # back one page: the earlier answers are there
    go(page, "button[value=back]")
    expect(page.get_by_text(f"Stap 3 van {pages}")).to_be_visible()
    checked = page.eval_on_selector_all("input[type=radio]:checked", "els => els.length")
    assert checked > 0
    go(page, "button[value=next]")
    for _ in range(3, pages):
        answered |= fill_page(page)
        go(page, "button[value=next], button[value=submit]")
    expect(page.get_by_text("Bedankt!")).to_be_visible()
    assert _stored() == _expected(answered)
    go(page, "text=Naar het rapport van uw organisatie")
    expect(page.get_by_text("verstuurd op")).to_be_visible()


def test_open_link_survey_on_a_phone_sized_screen(browser, live_server):
    version = _published("cop")
    campaign = _open(version, "open")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server}/a/{campaign.slug}")
    page.check("input[name=group][value=onderwijs_praktijk]")
    go(page, "text=Beginnen")
    resume_link = page.locator(".resume-box a").inner_text()
    answered = fill_page(page)
    go(page, "button[value=next]")
    # the page fits the phone: nothing wider than the viewport
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    # another tab resumes with the link
    other = context.new_page()
    other.goto(resume_link)
    expect(other.get_by_text("Stap 2 van")).to_be_visible()
    other.close()
    while not page.is_visible("text=Bedankt!"):
        answered |= fill_page(page)
        go(page, "button[value=next], button[value=submit]")
    assert _stored() == _expected(answered)
    context.close()


def test_keyboard_alone_answers_a_question_and_moves_on(page, live_server):
    version = _published("sprint_evaluatie")
    campaign = _open(version, "open")
    page.goto(f"{live_server}/a/{campaign.slug}")
    go(page, "text=Beginnen")
    page.focus("form.questionnaire input[type=radio]")
    page.keyboard.press("Space")
    focused = page.evaluate("document.activeElement.name")
    assert focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    assert page.locator(f"input[name={focused}]:checked").count() == 1
