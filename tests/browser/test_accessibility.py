"""axe-core finds no serious or critical violation on the respondent pages."""

from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from surveys.campaigns import create_campaign, open_campaign
from surveys.db import db
from surveys.definition.loader import load_definition_file, shipped_instrument_files
from surveys.definition.publish import publish_definition
from tests.browser.filler import go

pytestmark = pytest.mark.browser


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x)"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("key", ["hr_scan", "cop", "alumni", "klankbord"])
def test_respondent_pages_have_no_serious_axe_violations(page, live_server, key):
    [path] = [p for p in shipped_instrument_files() if p.stem == key]
    version = publish_definition(load_definition_file(path)).version
    today = date.today()
    campaign = create_campaign(
        version, title=key, year=today.year, wave=1, mode="open",
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=9),
    )  # fmt: skip
    open_campaign(campaign)
    db.session.commit()
    page.goto(f"{live_server}/a/{campaign.slug}")
    problems = {"landing": _serious(page)}
    go(page, "button.primary")  # several groups and none chosen: the error is shown
    if page.is_visible("#error-summary"):
        problems["landing with errors"] = _serious(page)
        page.locator("input[name=group]").first.check()
        go(page, "button.primary")
    for step in range(4):
        problems[f"page {step + 1}"] = _serious(page)
        go(page, "button[value=next], button[value=submit]")  # unanswered: errors if required
        if page.is_visible("#error-summary"):
            problems[f"page {step + 1} with errors"] = _serious(page)
            break
        if page.is_visible("text=Bedankt!"):
            problems["submitted"] = _serious(page)
            break
    assert {where: found for where, found in problems.items() if found} == {}


def test_the_axe_check_does_report_a_serious_violation(page):
    page.set_content('<html lang="nl"><body><main><input type="text"></main></body></html>')
    assert any(found.startswith("label:") for found in _serious(page))
