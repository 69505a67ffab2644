"""The regional monitor without data, its input checks, and the download route's refusals."""

import io

import pytest
from pypdf import PdfReader

from monitor.reports.regional import build_monitor_context, render_monitor


def test_an_empty_database_gives_a_report_that_says_so(app):
    context = build_monitor_context(year=2025, k=5)
    assert not context["response"]["available"] and not context["cop"]["available"]
    assert context["key_figures"] == []
    pages = PdfReader(io.BytesIO(render_monitor(context))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "In 2025 is de HR-scan niet ingevuld" in text
    assert "Er is (nog) geen nulmeting van de Community of Practice." in text
    assert "Er is (nog) geen alumni-enquête gehouden." in text
    assert "Er zijn (nog) geen sprintevaluaties." in text


@pytest.mark.parametrize(
    ("year", "k"), [("2025", 5), (2025.0, 5), (True, 5), (2025, 0), (2025, "5")]
)
def test_build_refuses_a_year_or_k_that_is_not_a_whole_number(app, year, k):
    with pytest.raises(ValueError, match=r"^(year|k) must be"):
        build_monitor_context(year=year, k=k)


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get("/coordinator/reports/monitor/2025")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_an_unknown_format_or_year_is_refused(coordinator):
    assert coordinator.get("/coordinator/reports/monitor/2025?format=docx").status_code == 400
    assert coordinator.get("/coordinator/reports/monitor/1850").status_code == 404
