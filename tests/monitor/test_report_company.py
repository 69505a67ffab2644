"""The company HR-scan report, read back from the PDF with pdftotext: page count and numbers, the
organisation, every domain and the peer group, agreement with the JSON context, disclosure control,
escaping, and the ways to get it (command line, employer, coordinator).

A small hand-made world (`make_world`) keeps the numbers under control: in 2025 the company
"Geuldal Bouw BV" and six other construction companies of 10-49 fte scan, plus one ICT company
(alone in its sector, so compared with its size class); in 2024 the company scans again with two
others; in 2023 it scans with three others, fewer than k = 5, so every peer figure is suppressed.
"""

import io
import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from monitor import pdf
from monitor.accounts import create_user
from monitor.audit import AuditEvent
from monitor.formatting import number_nl
from monitor.reports import context_json
from monitor.reports.company import (
    NoScan,
    build_company_context,
    render_company,
)
from scans.instrument import item_scoring
from surveys.campaigns import create_campaign
from surveys.db import db
from surveys.definition import load_definition_file, shipped_instrument_files
from surveys.definition.publish import publish_definition
from surveys.models import Answer, Organisation, Response, ResponseStatus
from tests.conftest import login, make_app, require

NAME = "Geuldal Bouw BV"
QUESTION = "Hoe houden we onze vakmensen vast nu grote bedrijven hen wegkopen?"
GENERATED = date(2025, 6, 2)
PASSWORD = "werkgever-wachtwoord"
XSS_NAME = "Evil <script>alert(1)</script> <img src=file:///etc/passwd> BV"
XSS_QUESTION = (
    "<script>alert('x')</script> <img src=file:///etc/passwd> "
    "</style><style>body{display:none}</style> <b>vet</b>"
)


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Reports kept under the test's own directory, not the instance folder."""
    return {"REPORTS_DIR": str(tmp_path / "kept-reports")}


# -- the world ------------------------------------------------------------------------------------


def _hr_scan_definition() -> dict:
    path = next(p for p in shipped_instrument_files() if p.stem == "hr_scan")
    return load_definition_file(path)


def _items(definition: dict) -> dict[str, list[str]]:
    """Scored item keys per domain, in questionnaire order."""
    items: dict[str, list[str]] = {}
    for item in item_scoring(definition):
        items.setdefault(item.domain, []).append(item.key)
    return items


def _scan(campaign, organisation, answers: dict[str, str], day: int) -> None:
    response = Response(
        campaign_id=campaign.id,
        organisation_id=organisation.id,
        status=ResponseStatus.SUBMITTED,
        respondent_group="werkgever",
        employer_key=f"{campaign.id}:{organisation.id}",
        submitted_at=datetime(campaign.year, 3, day, 10, 0, tzinfo=UTC),
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        Answer(response_id=response.id, item_key=k, value=v) for k, v in answers.items()
    )


def _closing(themes=("behouden",), question=None, consent=True) -> dict[str, str]:
    answers = {"gemeente": "Heerlen", "toestemming_delen": "ja" if consent else "nee"}
    if themes:
        answers["sprint_themas"] = json.dumps(list(themes))
    if question:
        answers["hr_vraag"] = question
    return answers


def make_world(name: str = NAME, question: str = QUESTION) -> dict[str, int]:
    """The hand-made HR-scans of 2023-2025 (module docstring); returns organisation ids."""
    definition = _hr_scan_definition()
    version = publish_definition(definition, commit=False).version
    items = _items(version.definition)
    campaigns = {
        year: create_campaign(
            version,
            title=f"HR-scan {year}",
            year=year,
            wave=year - 2023,
            opens_on=date(year, 1, 15),
            closes_on=date(year, 11, 30),
            mode="employer",
        )
        for year in (2023, 2024, 2025)
    }

    def org(label: str, sector: str = "bouw", size: str = "10-49") -> Organisation:
        organisation = Organisation(
            name=label,
            sector=sector,
            size_class=size,
            region="Zuid-Limburg",
            municipality="Heerlen",
        )
        db.session.add(organisation)
        db.session.flush()
        return organisation

    def levels(value) -> dict[str, str]:
        """Every practice at `value(domain index, item index)`."""
        return {
            key: str(value(i, j))
            for i, keys in enumerate(items.values())
            for j, key in enumerate(keys)
        }

    target = org(name)
    peers = [org(f"Bouwbedrijf {letter}") for letter in "ABCDEF"]
    ict = org("Maasdata ICT", sector="ICT")
    # 2025: the company varies per practice (one "n.v.t."), peers in between, the ICT company at 3
    own_2025 = levels(lambda i, j: (i + 2 * j) % 5)
    own_2025[items["aantrekken"][2]] = "nvt"
    _scan(
        campaigns[2025],
        target,
        {**own_2025, **_closing(("behouden", "ontwikkelen"), question)},
        day=10,
    )
    for c, peer in enumerate(peers):
        _scan(
            campaigns[2025],
            peer,
            {**levels(lambda i, j, c=c: min(4, c // 2 + (i + j) % 3)), **_closing()},
            day=11 + c,
        )
    _scan(campaigns[2025], ict, {**levels(lambda i, j: 3), **_closing(())}, day=20)
    # 2024: the company at 2 everywhere, two peers
    _scan(campaigns[2024], target, {**levels(lambda i, j: 2), **_closing()}, day=5)
    for c, peer in enumerate(peers[:2]):
        _scan(campaigns[2024], peer, {**levels(lambda i, j, c=c: 1 + c), **_closing()}, day=6 + c)
    # 2023: the company at 1, three peers at 4: fewer than k = 5 peers
    _scan(campaigns[2023], target, {**levels(lambda i, j: 1), **_closing()}, day=5)
    for c, peer in enumerate(peers[:3]):
        _scan(campaigns[2023], peer, {**levels(lambda i, j: 4), **_closing()}, day=6 + c)
    db.session.commit()
    return {"target": target.id, "ict": ict.id, "peer": peers[0].id}


# -- reading a PDF back ---------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list[str]:
    """The text of every page (pdftotext, reading order)."""
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    n = len(PdfReader(io.BytesIO(data)).pages)
    pages = []
    for page in range(1, n + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
        )
        pages.append(out.stdout.decode())
    return pages


def flat(text: str) -> str:
    """Whitespace collapsed, so that sentences broken over lines compare."""
    return " ".join(text.split())


class Report:
    def __init__(self, context: dict, data: bytes) -> None:
        self.context = context
        self.data = data
        self.pages = pdf_pages(data)
        self.text = flat(" ".join(self.pages))

    def page_with(self, heading: str) -> int:
        """The index of the page where a chapter starts (past the contents on page 2)."""
        found = [i for i, page in enumerate(self.pages) if heading in page.splitlines()]
        return next((i for i in found if i > 1), found[0])


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """An app on its own database holding the world, for the tests that only read."""
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('world') / 'world.sqlite'}")
    with app.app_context():
        db.create_all()
        ids = make_world()
        yield app, ids
        db.session.remove()
        db.engine.dispose()


def _report(world, organisation: str, year: int, k: int = 5) -> Report:
    app, ids = world
    with app.app_context():
        context = build_company_context(ids[organisation], year, k, generated_on=GENERATED)
        return Report(context, render_company(context))


@pytest.fixture(scope="module")
def report(world) -> Report:
    return _report(world, "target", 2025)


@pytest.fixture(scope="module")
def first_scan(world) -> Report:
    return _report(world, "target", 2023)


# -- the PDF --------------------------------------------------------------------------------------


def test_six_to_twelve_pages_numbered_after_the_cover(report):
    n = len(report.pages)
    assert 6 <= n <= 12
    assert "pagina" not in report.pages[0]
    for number, page in enumerate(report.pages[1:], start=2):
        assert f"pagina {number} van {n}" in page


def test_names_the_organisation_the_scan_every_domain_and_the_peer_group(report):
    profile = report.context["profile"]
    assert report.pages[0].count(NAME) >= 1
    assert "HR-scan 2025" in report.pages[0]
    assert "10 maart 2025" in flat(report.pages[0])  # the date of the scan
    assert all(NAME in page for page in report.pages[1:])  # running header
    for domain in profile["domains"]:
        assert domain["title"] in report.text
    assert report.context["peer_group"]["description"] == "bedrijven in de sector bouw"
    assert "de 6 bedrijven in de sector bouw die in 2025 de HR-scan invulden" in report.text


def test_the_municipality_comes_from_the_register_and_the_scans_answer_shows_where_it_differs(
    world, report
):
    """Sector, region and size come from the register; the municipality too, with the scan's
    own answer next to it when the two disagree."""
    facts = {fact["label"]: fact["value"] for fact in report.context["facts"]}
    assert facts["Gemeente"] == "Heerlen"  # register and scan agree
    app, ids = world
    with app.app_context():
        ict = db.session.get(Organisation, ids["ict"])
        ict.municipality = "Maastricht"
        db.session.commit()
        try:
            context = build_company_context(ids["ict"], 2025, 5, generated_on=GENERATED)
        finally:
            ict.municipality = "Heerlen"
            db.session.commit()
    facts = {fact["label"]: fact["value"] for fact in context["facts"]}
    assert facts["Gemeente"] == "Maastricht (volgens de scan: Heerlen)"


def test_a_third_scan_shows_the_path_since_the_first(report, first_scan):
    """The company scanned in 2023 (every practice at 1), 2024 (at 2) and 2025: besides the
    change since 2024, its path since 2023 and the change since then."""
    for domain in report.context["profile"]["domains"]:
        assert [list(point) for point in domain["path"]] == [
            [2023, 1.0], [2024, 2.0], [2025, domain["score"]],
        ]  # fmt: skip
        assert domain["since_first"]["previous_year"] == 2023
        assert domain["since_first"]["previous"] == 1.0
    text = flat(report.text)
    assert "Uw scores per thema sinds de eerste scan (2023)" in text
    for i, domain in enumerate(report.context["profile"]["domains"], start=1):
        now = _half_up(domain["score"])
        change = now - 1.0
        shown = f"{'+' if change > 0 else '−' if change < 0 else ''}{number_nl(abs(change), 1)}"
        row = f"{i}. {domain['title']} 1,0 2,0 {number_nl(now, 1)} {shown}"
        assert row in text
    assert all(d["since_first"] is None for d in first_scan.context["profile"]["domains"])


def test_the_chapters_a_director_expects(report):
    headings = [
        "Samenvatting",
        "Uw profiel naast vergelijkbare bedrijven",
        "Resultaten per thema",
        "Verandering sinds de vorige scan",
        "Sprintthema's en vervolggesprek",
        "Verantwoording",
    ]
    starts = [report.page_with(h) for h in headings]
    assert starts == sorted(starts)
    assert "Agenda voor het vervolggesprek" in report.text
    assert report.page_with("Samenvatting") == 1  # with the contents, right after the cover


def _domain_pages(report: Report) -> dict[str, str]:
    """The text of each domain's section in the chapter "Resultaten per thema"."""
    start = report.page_with("Resultaten per thema")
    end = report.page_with("Verandering sinds de vorige scan")
    chapter = flat(" ".join(report.pages[start:end]))
    titles = [d["title"] for d in report.context["profile"]["domains"]]
    sections = {}
    for i, title in enumerate(titles):
        begin = chapter.index(f"{i + 1}. {title}")
        stop = chapter.index(f"{i + 2}. {titles[i + 1]}") if i + 1 < len(titles) else None
        sections[title] = chapter[begin:stop]
    return sections


def test_every_number_of_the_json_appears_in_dutch_notation(report):
    profile = report.context["profile"]
    profile_page = flat(report.pages[report.page_with("Uw profiel naast vergelijkbare bedrijven")])
    change_page = flat(report.pages[report.page_with("Verandering sinds de vorige scan")])
    sections = _domain_pages(report)
    for domain in profile["domains"]:
        peers, section = domain["peers"], sections[domain["title"]]
        score = number_nl(domain["score"], 1)
        median = number_nl(peers["median"], 1)
        quartiles = f"{number_nl(peers['q1'], 1)}–{number_nl(peers['q3'], 1)}"
        rank = f"{number_nl(peers['percentile_rank'], 0)}%"
        row = f"{domain['title']} {score} {median} {quartiles} {rank}"
        assert row in profile_page
        assert f"Uw score {score}" in section
        assert f"mediaan bedrijven in de sector bouw: {median}" in section
        assert f"middelste helft {quartiles}" in section
        assert f"hoger dan {rank}" in section
        change = domain["change"]
        assert change["previous_year"] == 2024
        # printed: the difference of the two printed scores (halves rounded away from zero)
        difference = _half_up(domain["score"]) - _half_up(change["previous"])
        sign = "+" if difference > 0 else "−" if difference < 0 else ""
        shown = f"{sign}{number_nl(abs(difference), 1)}"
        assert (
            f"{domain['title']} {number_nl(change['previous'], 1)} {score} {shown}" in change_page
        )
        for item in domain["items"]:
            assert f"{item['text']} {item['label']}" in section
    assert (
        f"bedrijven in de sector bouw ({profile['domains'][0]['peers']['n_peers']} bedrijven)"
        in (profile_page)
    )


def _half_up(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_the_method_says_what_the_peer_figures_do_and_do_not_reveal(report):
    method = " ".join(report.context["method"])
    assert "niet af te leiden hoe een ander bedrijf scoorde" not in method
    assert "de mediaan de score van het middelste" in method
    assert "welk bedrijf dat is" in method


def test_every_sentence_of_the_advice_appears(report):
    advice = report.context["advice"]
    sentences = [
        *advice["key_messages"],
        *advice["agenda"],
        *(theme["reason"] for theme in advice["sprint_themes"]),
        *(theme["title"] for theme in advice["sprint_themes"]),
        *(s for d in advice["domains"] for s in (*d["strengths"], *d["attention"])),
        *report.context["texts"].values(),
        *report.context["method"],
    ]
    assert sentences
    missing = [s for s in sentences if flat(s) not in report.text]
    assert missing == []
    assert QUESTION in report.text


def test_the_json_form_is_plain_and_renders_the_same_report(report):
    text = context_json(report.context)
    again = json.loads(text)
    assert again["organisation"] == NAME
    assert again["scan_date"] == "2025-03-10"
    assert again["charts"]["profile"]["svg"].startswith("<svg")
    assert again["profile"]["domains"][0]["peers"]["description"] == "bedrijven in de sector bouw"
    data = render_company(again)
    assert len(PdfReader(io.BytesIO(data)).pages) == len(report.pages)


def test_a_first_scan_has_no_change_chapter(first_scan):
    assert first_scan.context["profile"]["previous_year"] is None
    assert first_scan.context["charts"]["change"] is None
    assert "Verandering sinds de vorige scan" not in first_scan.text
    assert 6 <= len(first_scan.pages) <= 12


def test_peer_figures_of_fewer_than_k_companies_never_print(world, first_scan):
    # 2023: three peers, k = 5: every peer figure suppressed; they all scored 4, the company 1
    context = first_scan.context
    assert context["peer_group"]["suppressed"] is True
    for domain in context["profile"]["domains"]:
        peers = domain["peers"]
        assert peers["suppressed"] is True
        assert peers["median"] is peers["q1"] is peers["q3"] is peers["percentile_rank"] is None
        assert domain["score"] == 1.0
    assert "4,0" not in first_scan.text
    assert "te weinig waarnemingen" in first_scan.text
    assert "minder dan 5" in first_scan.text
    profile_page = first_scan.pages[
        first_scan.page_with("Uw profiel naast vergelijkbare bedrijven")
    ]
    assert flat(profile_page).count("te weinig waarnemingen") >= 8
    # with k = 3 the same three peers may be shown: the check above would have seen them
    shown = _report(world, "target", 2023, k=3)
    assert shown.context["profile"]["domains"][0]["peers"]["median"] == 4.0
    assert "4,0" in shown.text


def test_a_company_alone_in_its_sector_is_compared_with_its_size_class(world):
    ict = _report(world, "ict", 2025)
    assert ict.context["peer_group"]["group"] == "size_class"
    assert "bedrijven met 10-49 fte" in ict.text
    assert "In uw sector vulden minder dan 5 andere bedrijven de scan in" in ict.text
    assert 6 <= len(ict.pages) <= 12


def test_no_scan_that_year_is_an_error(world):
    app, ids = world
    with app.app_context():
        with pytest.raises(NoScan):
            build_company_context(ids["target"], 2022, 5)
        with pytest.raises(NoScan):
            build_company_context(ids["ict"], 2024, 5)
        with pytest.raises(NoScan):
            build_company_context(999_999, 2025, 5)


# -- escaping -------------------------------------------------------------------------------------


class FetchSpy:
    """Every URL the report fetcher is asked for."""

    def __init__(self, monkeypatch) -> None:
        self.urls: list[str] = []
        original = pdf.StaticOnlyFetcher.fetch

        def fetch(fetcher, url, headers=None):
            self.urls.append(url)
            return original(fetcher, url, headers)

        monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", fetch)


def test_user_written_text_is_printed_as_text(app, monkeypatch):
    ids = make_world(name=XSS_NAME, question=XSS_QUESTION)
    spy = FetchSpy(monkeypatch)
    context = build_company_context(ids["target"], 2025, 5, generated_on=GENERATED)
    html = pdf.render_html("company.html", _template(context))
    assert "<script>" not in html and "<img src=file" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "</style><style>" not in html.split("</head>", 1)[1]
    report = Report(context, render_company(context))
    assert XSS_NAME in report.text  # cover, header, notes
    # the agenda quotes the HR question (a line may break inside it, after "</")
    assert "".join(XSS_QUESTION.split()) in "".join(report.text.split())
    assert "body{display:none}" in report.text  # the injected CSS is text, not style
    assert all(url.startswith("static:") for url in spy.urls)
    assert not any("passwd" in url for url in spy.urls)


def _template(context: dict) -> dict:
    from monitor.reports.company import _template_context

    return _template_context(context)


# -- command line ---------------------------------------------------------------------------------


def test_cli_writes_the_pdf_and_the_json(app, runner, tmp_path):
    ids = make_world()
    out = tmp_path / "rapport.json"
    result = runner.invoke(
        args=["reports", "company", "--org", ids["target"], "--year", "2025", "--out", out,
              "--format", "json"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    context = json.loads(out.read_text())
    assert context["organisation"] == NAME and context["year"] == 2025 and context["k"] == 5
    assert {d["title"] for d in context["profile"]["domains"]} >= {"Inwerken en begeleiding"}

    out_pdf = tmp_path / "rapport.pdf"
    result = runner.invoke(
        args=["reports", "company", "--org", ids["target"], "--year", "2025", "--out", out_pdf]
    )
    assert result.exit_code == 0, result.output
    assert out_pdf.read_bytes().startswith(b"%PDF")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.company"))
    assert [(e.object_id, e.detail["format"]) for e in events] == [
        (str(ids["target"]), "json"),
        (str(ids["target"]), "pdf"),
    ]


def test_cli_says_when_there_is_no_scan(app, runner, tmp_path):
    ids = make_world()
    result = runner.invoke(
        args=["reports", "company", "--org", ids["ict"], "--year", "2023", "--out",
              tmp_path / "x.pdf"]
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no submitted HR-scan in 2023" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_cli_monitor_command_calls_the_regional_builder(app, runner, tmp_path, monkeypatch):
    regional = pytest.importorskip("monitor.reports.regional")
    calls = []

    def build(*, year, k):
        calls.append((year, k))
        return {"year": year, "k": k, "made": date(2025, 1, 2)}

    monkeypatch.setattr(regional, "build_monitor_context", build)
    monkeypatch.setattr(regional, "render_monitor", lambda context: b"%PDF-fake")
    out = tmp_path / "monitor.json"
    result = runner.invoke(
        args=["reports", "monitor", "--year", "2025", "--out", out, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == {"year": 2025, "k": 5, "made": "2025-01-02"}
    result = runner.invoke(
        args=["reports", "monitor", "--year", "2025", "--out", tmp_path / "m.pdf"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.pdf").read_bytes() == b"%PDF-fake"
    assert calls == [(2025, 5), (2025, 5)]


# -- web ------------------------------------------------------------------------------------------


def _employer(ids: dict[str, int], client) -> None:
    create_user("werkgever@geuldal.example", "employer", PASSWORD, ids["target"])
    db.session.commit()
    login(client, "werkgever@geuldal.example", PASSWORD)


def test_employer_downloads_the_report_of_its_own_scan(app, client):
    ids = make_world()
    _employer(ids, client)
    home = client.get("/employer/")
    assert home.status_code == 200
    assert b'href="/employer/report/2025.pdf"' in home.data
    response = client.get("/employer/report/2025.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = flat(" ".join(pdf_pages(response.data)))
    assert NAME in text and "Maasdata" not in text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.download"))
    assert event.object_id == str(ids["target"]) and event.detail["via"] == "employer"


def test_employer_never_gets_another_organisations_report(app, client):
    ids = make_world()
    _employer(ids, client)
    assert client.get("/employer/report/2022.pdf").status_code == 404  # no scan that year
    for org in (ids["ict"], ids["peer"], ids["target"]):
        assert client.get(f"/coordinator/reports/company/{org}/2025.pdf").status_code == 403
    assert client.get("/coordinator/reports").status_code == 403


def test_coordinator_downloads_any_company_report_once_rendered(app, coordinator, monkeypatch):
    ids = make_world()
    client = coordinator
    page = client.get("/coordinator/reports?year=2025")
    assert page.status_code == 200
    assert f"/coordinator/reports/company/{ids['ict']}/2025.pdf".encode() in page.data
    assert b"Maasdata ICT" in page.data
    url = f"/coordinator/reports/company/{ids['ict']}/2025.pdf"
    first = client.get(url)
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    assert "hr-scan-2025-" in first.headers["Content-Disposition"]
    # unchanged data: the stored PDF is served, not rendered again
    monkeypatch.setattr(
        "monitor.reports.company.render_company",
        lambda *a, **kw: pytest.fail("rendered again although nothing changed"),
    )
    assert client.get(url).data == first.data
    assert client.get(f"/coordinator/reports/company/{ids['ict']}/2023.pdf").status_code == 404
    assert client.get("/coordinator/reports/company/999999/2025.pdf").status_code == 404
    actions = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "report.download")
    ).all()
    assert [a["via"] for a in actions] == ["console", "console"]


def test_report_file_names_are_safe(app):
    from monitor.reports.company import report_filename

    assert (
        report_filename(7, 2025, "Bakkerij 't Hoekje B.V.")
        == "hr-scan-2025-0007-bakkerij-t-hoekje-b-v.pdf"
    )
    name = report_filename(7, 2025, XSS_NAME)
    assert re.fullmatch(r"hr-scan-2025-0007-[a-z0-9-]+\.pdf", name)
    assert report_filename(7, 2025, "«»") == "hr-scan-2025-0007-organisatie.pdf"


def test_a_render_that_takes_too_long_is_a_503_with_a_message(app, client, monkeypatch):
    ids = make_world()
    _employer(ids, client)

    def slow(*args, **kwargs):
        raise pdf.ReportTimeout("rendering company.html took longer than the limit of 30 s")

    monkeypatch.setattr("monitor.reports.company.render_company", slow)
    response = client.get("/employer/report/2025.pdf")
    assert response.status_code == 503
    assert "Het rapport is nog niet klaar" in response.get_data(as_text=True)
