"""The results page of a round in Chromium, at desktop width and at 360 px: every shipped
instrument's latest round with answers, unfiltered and filtered, without a serious or critical
axe violation, and without horizontal scrolling of the page itself (wide tables scroll inside their
own region). Set RESULTS_SCREENSHOTS to a folder to keep a screenshot of each page."""

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor.demo import DEMO_LOGINS, load_demo
from surveys.db import db
from surveys.models import Campaign, Instrument, InstrumentVersion, Response
from tests.browser.filler import go
from tests.browser.test_accessibility import _serious

pytestmark = pytest.mark.browser
INSTRUMENTS = ["hr_scan", "cop", "alumni", "sprint_evaluatie", "klankbord"]
WIDTHS = {"desktop": 1280, "phone": 360}


def _latest(instrument: str) -> int:
    submitted = set(
        db.session.scalars(sa.select(Response.campaign_id).where(Response.status == "submitted"))
    )
    ids = db.session.scalars(
        sa.select(Campaign.id)
        .join(InstrumentVersion)
        .join(Instrument)
        .where(Instrument.key == instrument)
        .order_by(Campaign.year, Campaign.id)
    ).all()
    return [i for i in ids if i in submitted][-1]


def test_results_pages_are_accessible_at_desktop_and_phone_width(page, live_server):
    load_demo(seed=2025)
    campaigns = {key: _latest(key) for key in INSTRUMENTS}
    db.session.commit()
    page.goto(f"{live_server}/login")
    page.fill("#email", DEMO_LOGINS["coordinator"][0])
    page.fill("#password", DEMO_LOGINS["coordinator"][1])
    go(page, "button[type=submit]")
    shots = os.environ.get("RESULTS_SCREENSHOTS")
    problems = {}
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for key, campaign_id in campaigns.items():
            page.goto(f"{live_server}/coordinator/campaigns/{campaign_id}/results")
            assert page.locator("h1").inner_text().startswith("Resultaten")
            problems[f"{key} {width_name}"] = _serious(page)
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            if overflow:
                problems[f"{key} {width_name}"].append("the page scrolls sideways")
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{key}-{width_name}.png", full_page=True)
            select = page.locator("select#f-group, select#f-sector").first
            if select.count() and select.locator("option").count() > 1:
                select.select_option(index=1)
                go(page, "form.filters button.primary")
                assert "in deze selectie" in page.content()
                problems[f"{key} {width_name} filtered"] = _serious(page)
    assert {where: found for where, found in problems.items() if found} == {}
