"""A coordinator's year in a real browser: a campaign from creation to the response dashboard,
sprint groups, an export and a report."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from monitor.demo import DEMO_LOGINS, load_demo
from surveys.db import db
from surveys.mail import personal_link
from surveys.models import OutboxMail
from tests.browser.filler import fill_page, go

pytestmark = pytest.mark.browser
TODAY = date.today()


def test_coordinator_runs_a_campaign_proposes_sprints_and_downloads(page, live_server, tmp_path):
    load_demo(seed=2025)
    email, password = DEMO_LOGINS["coordinator"]
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    go(page, "button[type=submit]")

    # create and open a personal-link round of the alumni survey
    go(page, "text=Nieuwe meting")
    alumni = page.locator("#version option", has_text="Alumni").first.get_attribute("value")
    page.select_option("#version", alumni)
    page.fill("#title", "Alumni proef")
    page.fill("#year", str(TODAY.year))
    page.fill("#opens_on", (TODAY - timedelta(days=1)).isoformat())
    page.fill("#closes_on", (TODAY + timedelta(days=20)).isoformat())
    page.check("input[name=mode][value=personal]")
    go(page, "button.primary")
    expect(page.get_by_text("is aangemaakt als concept")).to_be_visible()
    go(page, "button:has-text('Openen')")

    # import invitees from a CSV file, then invite them
    people = tmp_path / "alumni.csv"
    people.write_text("email;naam\nanne@alumni.example;Anne\nbram@alumni.example;Bram\n")
    page.set_input_files("#file", str(people))
    go(page, "button:has-text('Inlezen')")
    expect(page.get_by_text("2 genodigden toegevoegd")).to_be_visible()
    go(page, "button:has-text('Uitnodigingen versturen')")
    expect(page.get_by_text("Uitgenodigd: 2")).to_be_visible()
    expect(page.get_by_text("Nog niet verstuurd (2)")).to_be_visible()
    dashboard = page.url

    # one invitee answers through the link in the mail
    db.session.rollback()
    to_anne = OutboxMail.recipient == "anne@alumni.example"
    mail = db.session.scalar(select(OutboxMail).where(to_anne))
    link = personal_link(mail.invitation).split("/s/")[1]  # what delivery put in the mail
    respondent = page.context.browser.new_context().new_page()
    respondent.goto(f"{live_server}/s/{link}")
    for _ in range(12):  # at most one visit per page and a few retries
        if respondent.is_visible("text=Bedankt!"):
            break
        fill_page(respondent)
        go(respondent, "button[value=next], button[value=submit]")
    expect(respondent.get_by_text("Bedankt!")).to_be_visible()
    respondent.context.close()

    # the dashboard shows the response
    page.goto(dashboard)
    expect(page.get_by_text("verstuurd: 1")).to_be_visible()
    expect(page.get_by_text("Nog niet verstuurd (1)")).to_be_visible()

    # propose sprint groups for the HR-scans of 2025
    page.goto(f"{live_server}/coordinator/sprints/propose?year=2025")
    page.locator("input[name=themes]").first.check()
    go(page, "button:has-text('Voorstel maken')")
    expect(page.get_by_text("koploper").first).to_be_visible()

    # download an export of the campaign and the regional monitor
    page.goto(dashboard)
    go(page, "text=Exporteren")
    with page.expect_download() as download:
        page.click("button:has-text('Downloaden')")
    data = download.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        table = archive.read(next(n for n in names if "codebook" not in n)).decode()
    assert any("codebook" in n for n in names) and table.count("\n") == 2  # header + 1 row
    report = page.request.get(f"{live_server}/coordinator/reports/monitor/2025")
    assert report.ok and report.body().startswith(b"%PDF")
