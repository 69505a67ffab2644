"""XSS and resource fetching in PDFs and charts.

A report is rendered by `monitor.pdf.render_pdf` from a print template and plain values. User text
(an organisation name, an open answer, a domain title, a chart label) is printed literally, never
becomes markup, and never makes WeasyPrint fetch anything; even a user value that a template put
into a URL (src, href, CSS url()) is refused by the static-only url_fetcher, so no file:// or
http:// request leaves the renderer. The PDF carries no JavaScript, launch or javascript: link.
(tests/monitor/test_pdf.py covers the fetcher's URL rules one by one.)
"""

import io
import re
from xml.sax.saxutils import escape as xml_escape

import pytest
from pypdf import PdfReader

from monitor import pdf
from monitor.charts import bar_chart
from tests.pdf_helpers import FetchSpy, add_templates, counting_http_server, pdf_text
from tests.security.test_xss import ACTIVE, FILE_IMG, IMG, JS_URL, PAYLOADS, SCRIPT, STYLE

TEXT_TEMPLATE = """{% extends "base.html" %}
{% block content %}
<section>
  <h2>{{ heading }}</h2>
  <p>{{ answer }}</p>
  <ul>{% for a in answers %}<li>{{ a }}</li>{% endfor %}</ul>
  <figure>{{ chart.svg }}<figcaption>{{ chart.alt }}</figcaption></figure>
</section>
{% endblock %}"""
#: a careless template that puts a user value where a URL goes
URL_TEMPLATE = """{% extends "base.html" %}
{% block head %}<link rel="stylesheet" href="{{ url }}">
<style>p.bg { background: url("{{ url }}"); }</style>{% endblock %}
{% block content %}
<h2>Koppelingen</h2>
<p class="bg">Zichtbare tekst</p>
<p><img src="{{ url }}" alt="afbeelding"></p>
<p><a href="{{ url }}">een koppeling</a></p>
{% endblock %}"""


@pytest.fixture
def templates(monkeypatch):
    add_templates(monkeypatch, {"xss-text.html": TEXT_TEMPLATE, "xss-url.html": URL_TEMPLATE})


@pytest.fixture
def fetched(monkeypatch) -> FetchSpy:
    """Every URL WeasyPrint asked the fetcher for, and whether it was served."""
    return FetchSpy(monkeypatch)


@pytest.fixture
def server():
    """A local HTTP server counting the requests it gets (there must be none)."""
    with counting_http_server(b"p { display: none }") as running:
        yield running


def printed(payload: str, text: str) -> bool:
    """Whether `payload` is in the PDF text, wherever a line happened to break."""
    return re.sub(r"\s+", "", payload) in re.sub(r"\s+", "", text)


def active_content(data: bytes) -> list[str]:
    """JavaScript, launch actions, open actions and javascript: links anywhere in the PDF."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    root = reader.trailer["/Root"]
    if "/OpenAction" in root or "/AA" in root:
        found.append("document action")
    if "/JavaScript" in (root.get("/Names") or {}):
        found.append("document JavaScript")
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            kind = action.get("/S")
            uri = str(action.get("/URI", ""))
            if kind in ("/JavaScript", "/Launch") or uri.strip().lower().startswith("javascript"):
                found.append(f"page {number}: {kind} {uri}")
    return found


def test_user_text_in_a_pdf_is_printed_literally_and_fetches_nothing(templates, fetched):
    chart = bar_chart([SCRIPT, IMG, FILE_IMG, STYLE], [3, 5, 2, 4], title=SCRIPT)
    context = {
        "title": f"Rapport {SCRIPT}",
        "organisation": f"Bedrijf {IMG}",
        "subtitle": STYLE,
        "heading": FILE_IMG,
        "answer": f"{JS_URL} {SCRIPT}",
        "answers": list(PAYLOADS),
        "chart": chart,
    }

    data = pdf.render_pdf("xss-text.html", context)

    text = pdf_text(data)
    for payload in PAYLOADS:
        assert printed(payload, text)  # shown as the respondent typed it
    assert fetched.not_static == []
    assert active_content(data) == []
    html = pdf.render_html("xss-text.html", context)
    assert ACTIVE.search(html) is None and not any(p in html for p in PAYLOADS)


@pytest.mark.parametrize(
    "make_url",
    [
        lambda base: "file:///etc/passwd",
        lambda base: f"{base}/van-de-gebruiker.css",
        lambda base: base.replace("http:", "https:") + "/x.png",
        lambda base: base.replace("http:", "") + "/protocol-relatief.css",
        lambda base: "static:../../../../etc/passwd",
        lambda base: "../../../../etc/passwd",
        lambda base: f"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>"
        f"<image href='{base}/via-svg.png'/></svg>",
        lambda base: f"data:text/css,@import url({base}/via-data.css);",
        lambda base: JS_URL,
    ],
    ids=["file", "http", "https", "protocol-relative", "static-traversal", "relative",
         "svg-data", "css-data", "javascript"],
)  # fmt: skip
def test_a_user_value_in_a_url_position_is_refused_by_the_fetcher(
    templates, fetched, server, make_url
):
    base, hits = server
    url = make_url(base)

    data = pdf.render_pdf("xss-url.html", {"title": "Koppelingen", "url": url})

    assert hits == []  # nothing reached the network
    served = fetched.served
    assert all(u.startswith("static:fonts/") for u in served), served
    text = pdf_text(data)
    assert "Zichtbare tekst" in text  # a foreign stylesheet did not hide it
    assert "root:" not in text  # /etc/passwd was not inlined
    assert [f for f in active_content(data) if "javascript" not in f] == []


def test_a_javascript_url_never_becomes_a_link_in_a_pdf(templates):
    data = pdf.render_pdf("xss-url.html", {"title": "Koppelingen", "url": JS_URL})

    assert active_content(data) == []


def test_chart_labels_and_titles_are_escaped_in_the_svg():
    chart = bar_chart(list(PAYLOADS), [1, 2, 3, 4], title=f"Titel {SCRIPT}")

    svg = str(chart.svg)

    assert ACTIVE.search(svg) is None
    for payload in PAYLOADS:
        assert payload not in svg
        assert xml_escape(payload) in svg or xml_escape(payload).replace('"', "&quot;") in svg
    assert "<script" not in svg.lower()


def test_the_company_report_prints_a_payload_name_and_hr_question_literally(app, fetched):
    """The real report builder end to end: the demo, one company renamed to a payload and its
    main HR question a payload, rendered as its PDF."""
    from sqlalchemy import desc, select

    from monitor.demo import load_demo
    from monitor.reports.company import (
        TEMPLATE,
        _template_context,
        build_company_context,
        render_company,
    )
    from scans.instrument import QUESTION_ITEM
    from surveys.db import db
    from surveys.models import Campaign, CampaignMode, Organisation, Response, ResponseStatus
    from surveys.responses import save_answers

    load_demo(seed=3)
    scan = db.session.scalar(
        select(Response)
        .join(Campaign)
        .where(
            Campaign.mode == CampaignMode.EMPLOYER,
            Response.status == ResponseStatus.SUBMITTED,
            Response.organisation_id.is_not(None),
        )
        .order_by(desc(Campaign.year), Response.id)
    )
    organisation = db.session.get(Organisation, scan.organisation_id)
    organisation.name = f"Bedrijf {SCRIPT} {IMG}"
    question = f"Hoe houden we {FILE_IMG} {STYLE} vast?"
    save_answers(scan.id, {QUESTION_ITEM: question})
    db.session.commit()

    context = build_company_context(organisation.id, scan.campaign.year)
    data = render_company(context)

    text = pdf_text(data)
    assert all(printed(payload, text) for payload in PAYLOADS)
    assert fetched.not_static == []
    assert active_content(data) == []
    html = pdf.render_html(TEMPLATE, _template_context(context))
    assert ACTIVE.search(html) is None and not any(p in html for p in PAYLOADS)
