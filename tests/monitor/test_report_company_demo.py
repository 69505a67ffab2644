"""The company report on the demo data (seed 2025): the longest and the shortest reports of the
year stay within 6-12 pages, and the demo employer's report names its peers."""

import pytest

from monitor.demo import load_demo
from monitor.reports.company import company_context, load_scan_data, render_company
from scans.advice import advise
from scans.profile import company_profile
from surveys.db import db
from tests.conftest import make_app
from tests.monitor.test_report_company import flat, pdf_pages


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's HR-scans of 2025, loaded once."""
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")
    with app.app_context():
        db.create_all()
        load_demo(seed=2025)
        yield app, load_scan_data(2025)
        db.session.remove()
        db.engine.dispose()


def _length(data, organisation_id: int) -> int:
    """How much text a report carries beyond its fixed parts (the advice; a change chapter)."""
    _, campaign = data.scan_of(organisation_id)
    profile = company_profile(
        data.frame, data.definitions[campaign], organisation_id=organisation_id, year=2025, k=5
    )
    advice = advise(profile)
    parts = [
        *advice.key_messages,
        *advice.agenda,
        *(t.reason for t in advice.sprint_themes),
        *(s for d in advice.domains for s in (*d.strengths, *d.attention)),
    ]
    return sum(len(p) for p in parts) + (2000 if profile.previous_year else 0)


def test_longest_and_shortest_reports_stay_within_six_to_twelve_pages(demo):
    app, data = demo
    organisations = data.organisations()
    assert len(organisations) > 100
    ranked = sorted(organisations, key=lambda org: _length(data, org))
    for org in (ranked[0], ranked[-1]):
        with app.app_context():
            pages = pdf_pages(render_company(company_context(data, org, k=5)))
        assert 6 <= len(pages) <= 12, (org, len(pages))
        for number, page in enumerate(pages[1:], start=2):
            assert f"pagina {number} van {len(pages)}" in page


def test_the_demo_employer_sees_its_peer_group(demo):
    app, data = demo
    with app.app_context():
        context = company_context(data, 1, k=5)  # werkgever@example.org's organisation
        text = flat(" ".join(pdf_pages(render_company(context))))
    assert context["organisation"] in text
    assert context["peer_group"]["description"] in text
    for domain in context["profile"]["domains"]:
        assert domain["title"] in text
