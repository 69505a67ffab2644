"""The results pages in Chromium at desktop width and at 360 px: the regional monitor (for a
coordinator) and an employer's own results. axe-core finds no serious or critical violation, the
page does not scroll sideways, and a screenshot of each view is kept in the test's folder."""

import pytest

from monitor.demo import DEMO_LOGINS, load_demo
from monitor.results.monitor_cache import monitor_context
from tests.browser.filler import go
from tests.browser.test_accessibility import _serious

pytestmark = pytest.mark.browser
YEAR = 2025
WIDTHS = {"desktop": 1280, "phone": 360}


@pytest.fixture
def app_config(tmp_path) -> dict:
    return {"REPORTS_DIR": str(tmp_path / "reports")}


def _sign_in(page, live_server: str, role: str) -> None:
    email, password = DEMO_LOGINS[role]
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    go(page, "button[type=submit]")


def _check(page, name: str, tmp_path) -> dict[str, list[str]]:
    """Problems of the current page at each width (axe, sideways scrolling); screenshots."""
    problems = {}
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=tmp_path / f"{name}-{label}.png", full_page=True)
        found = _serious(page)
        overflow = page.evaluate("document.documentElement.scrollWidth") - width
        if overflow > 0:
            found.append(f"scrolls sideways by {overflow}px")
        problems[f"{name} {label}"] = found
    return problems


def test_monitor_and_employer_results_pass_axe_at_desktop_and_phone_width(
    page, live_server, tmp_path
):
    load_demo(seed=2025)
    monitor_context(YEAR, 5)  # built before: the page itself then comes from the kept context
    _sign_in(page, live_server, "coordinator")
    go(page, "header nav >> text=Monitor")
    assert page.url.endswith(f"/coordinator/monitor/{YEAR}")
    assert page.locator("h1").inner_text() == f"Regionale monitor {YEAR}"
    assert page.locator("svg[role=img]").count() >= 5
    problems = _check(page, "monitor", tmp_path)

    page.context.clear_cookies()
    _sign_in(page, live_server, "employer")
    go(page, "main >> text=Uw resultaten over de jaren")
    assert page.url.endswith("/employer/results")
    assert page.locator("h1").inner_text().startswith("Resultaten van ")
    problems.update(_check(page, "employer", tmp_path))
    assert {where: found for where, found in problems.items() if found} == {}
