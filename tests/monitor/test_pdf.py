"""PDF rendering: page numbers, contents, embedded font, escaping, the fetcher and the time limit.

The specimen report (templates/reports/specimen.html, context from bench/bench_pdf.py) is rendered
once per module and read back with pypdf.
"""

import base64
import cProfile
import io
import logging
import re
import threading
import time
import zlib

import pytest
from pypdf import PdfReader

from bench.bench_pdf import sample_context
from monitor import pdf
from tests.pdf_helpers import FetchSpy, add_templates, counting_http_server, page_texts
from tests.security.test_xss import FILE_IMG as IMG
from tests.security.test_xss import SCRIPT, STYLE

HEADINGS = [
    "Samenvatting",
    "Uw profiel naast vergelijkbare bedrijven",
    "Per domein",
    "Wat deelnemers zeggen",
    "Verandering sinds de vorige scan",
    "Respons",
    "Trend in de regio",
    "Verantwoording",
]


@pytest.fixture(scope="module")
def specimen() -> bytes:
    return pdf.render_pdf("specimen.html", sample_context())


@pytest.fixture
def spy(monkeypatch) -> FetchSpy:
    return FetchSpy(monkeypatch)


@pytest.fixture
def test_templates(monkeypatch):
    """Let a test add templates next to templates/reports/ (they may extend base.html)."""
    return add_templates(monkeypatch, {})


@pytest.fixture
def http_server():
    """A local HTTP server that counts the requests it gets (there should be none)."""
    with counting_http_server() as server:
        yield server


def png_bytes() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


# -- layout --------------------------------------------------------------------------------------


def test_every_page_after_the_cover_says_pagina_x_van_n(specimen):
    texts = page_texts(specimen)
    n = len(texts)
    assert 6 <= n <= 12
    assert "pagina" not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert f"pagina {number} van {n}" in text


def test_running_header_shows_the_title_and_organisation(specimen):
    for text in page_texts(specimen)[1:]:
        assert "HR-scan 2025: uw resultaten" in text
        assert "Voorbeeldbedrijf Techniek B.V." in text


def test_contents_lists_every_h2_with_the_page_it_is_on(specimen):
    texts = page_texts(specimen)
    toc_page = next(i for i, text in enumerate(texts) if "Inhoud" in text)
    toc = texts[toc_page]
    for heading in HEADINGS:
        match = re.search(re.escape(heading) + r"\s*(\d+)\s*$", toc, re.MULTILINE)
        assert match, f"{heading} not in the contents"
        page = int(match[1])
        lines = [line.strip() for line in texts[page - 1].splitlines()]
        assert heading in lines, f"{heading} is not on page {page}"
    assert "Inhoud" not in re.sub(r"Inhoud\n", "", toc, count=1)  # the contents list itself


def test_font_is_embedded_and_every_font_is(specimen):
    names = set()
    for page in PdfReader(io.BytesIO(specimen)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert "Report-Sans" in names
    assert "Report-Sans-Bold" in names
    assert all(name.startswith("Report-Sans") for name in names), names  # charts too


def test_charts_are_drawn_with_their_text_alternative_as_caption(specimen):
    text = "\n".join(page_texts(specimen))
    assert text.count("In woorden:") == 8
    assert "Figuur 1 · Domeinprofiel: uw bedrijf en de vergelijkingsgroep" in text
    assert "Talent identificeren: bedrijf 2,3; mediaan" in text


def test_the_specimen_renders_without_weasyprint_warnings(caplog):
    # a warning per SVG property once cost a third of the render time; keep the log clean
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf.render_pdf("specimen.html", sample_context())
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_pdf_metadata_carries_title_author_and_date(specimen):
    meta = PdfReader(io.BytesIO(specimen)).metadata
    assert meta.title == "HR-scan 2025: uw resultaten – Voorbeeldbedrijf Techniek B.V."
    assert meta.author == "Arbeidsmarktmonitor Limburg"
    assert meta["/CreationDate"].startswith("D:20250414")


# -- macros --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("m.suppressed(5)", '<span class="suppressed">&lt; 5</span>'),
        ("m.suppressed(5, long=true)", "te weinig waarnemingen (minder dan 5)"),
        ("m.value(none, k=5)", "&lt; 5"),
        ("m.value(none)", "–"),
        ("m.value(none, missing='geen score')", "geen score"),
        ("m.value(1234.56)", "1.234,6"),
        ("m.value(1234.56, 'int')", "1.235"),
        ("m.value(0.426, 'pct')", "42,6%"),
        ("m.value('<b>x</b>', 'text')", "&lt;b&gt;x&lt;/b&gt;"),
    ],
)
def test_value_and_suppressed_macros_print_dutch_numbers_or_the_marker(call, expected):
    template = pdf._env.from_string('{% import "_macros.html" as m %}{{ ' + call + " }}")
    assert expected in template.render()


def test_value_table_prints_suppressed_cells_as_less_than_k():
    template = pdf._env.from_string(
        '{% import "_macros.html" as m %}'
        '{{ m.value_table(rows, [{"key": "name", "label": "Sector"},'
        ' {"key": "n", "label": "Aantal", "format": "int"}], k=5) }}'
    )
    html = template.render(rows=[{"name": "Zorg & welzijn", "n": 12}, {"name": "ICT", "n": None}])
    assert "<td>Zorg &amp; welzijn</td>" in html
    assert '<td class="num">12</td>' in html
    assert '<td class="num"><span class="suppressed">&lt; 5</span></td>' in html


def test_key_message_box_labels_its_tone_in_words():
    template = pdf._env.from_string(
        '{% import "_macros.html" as m %}'
        '{{ m.key_message("Tekst", title="Titel", tone="attention") }}'
    )
    html = template.render()
    assert 'class="key-message attention"' in html
    assert "Aandachtspunt" in html and "Titel" in html


# -- escaping ------------------------------------------------------------------------------------


def test_user_written_text_is_escaped_printed_literally_and_fetches_nothing(app, spy):
    context = sample_context()
    context["organisation"] = f"Bedrijf {SCRIPT} {IMG} {STYLE}"
    context["open_answers"] = [SCRIPT, IMG, STYLE, "Regel één\nregel twee"]
    context["domains"][0]["items"][0]["label"] = IMG
    data = pdf.render_pdf("specimen.html", context)
    texts = page_texts(data)
    answers = next(text for text in texts if "Wat deelnemers zeggen" in text.splitlines())
    for payload in (SCRIPT, IMG, STYLE):
        assert payload in answers.splitlines()
    assert SCRIPT in texts[0]  # the organisation on the cover
    assert "Bedrijf <script>alert(1)</script>" in texts[2]  # ... and in the running header
    assert "Samenvatting" in texts[1]  # the body was not hidden by the injected style
    assert spy.refused == []
    assert all(url.startswith("static:fonts/") for url in spy.served)
    assert PdfReader(io.BytesIO(data)).metadata.title.endswith(STYLE)


def test_html_of_a_report_has_the_payload_only_escaped():
    context = sample_context()
    context["organisation"] = SCRIPT
    html = pdf.render_html("specimen.html", context)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- the URL fetcher -----------------------------------------------------------------------------


def test_fetcher_serves_the_embedded_font_from_static():
    response = pdf.StaticOnlyFetcher().fetch("static:fonts/DejaVuSans-Latin.ttf")
    assert response.content_type == "font/ttf"
    assert response.read()[:4] == b"\x00\x01\x00\x00"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        f"file://{pdf.STATIC_DIR}/fonts/DejaVuSans-Latin.ttf",  # our own file, but by path
        "http://127.0.0.1/x.css",
        "https://example.org/font.ttf",
        "ftp://example.org/x",
        "fonts/DejaVuSans-Latin.ttf",  # relative
        "static:../pdf.py",
        "static:fonts/../../pdf.py",
        "static:%2e%2e/pdf.py",
        "static:/etc/passwd",
        "static:fonts/missing.ttf",
        "static:",
        "data:text/css,body{display:none}",
        "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64," + "A" * (pdf.MAX_DATA_BYTES * 2),
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticOnlyFetcher().fetch(url)


def test_fetcher_refuses_a_static_file_of_a_type_it_does_not_serve(tmp_path):
    (tmp_path / "secret.txt").write_text("x")
    (tmp_path / "link.css").symlink_to("/etc/passwd")
    fetcher = pdf.StaticOnlyFetcher(tmp_path)
    with pytest.raises(pdf.RefusedURL, match=r"type \.txt"):
        fetcher.fetch("static:secret.txt")
    with pytest.raises(pdf.RefusedURL):  # a symlink out of the static folder
        fetcher.fetch("static:link.css")


def test_fetcher_allows_a_small_data_png():
    url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    response = pdf.StaticOnlyFetcher().fetch(url)
    assert response.content_type == "image/png"
    assert response.read() == png_bytes()


def test_refused_urls_in_a_template_do_not_load_and_do_not_stop_the_render(
    test_templates, spy, http_server
):
    base, hits = http_server
    test_templates["fetch-test.html"] = (
        '{% extends "base.html" %}{% block head %}'
        f'<link rel="stylesheet" href="{base}/linked.css">'
        f"<style>@import url({base}/imported.css);"
        f'@font-face {{ font-family: X; src: url("{base}/font.ttf"); }}'
        "p.x { font-family: X; background: url(file:///etc/passwd); }</style>"
        "{% endblock %}{% block content %}<h2>Inhoud van de test</h2>"
        '<p class="x">Zichtbare tekst</p>'
        f'<img src="{base}/image.png" alt="extern"><img src="file:///etc/passwd" alt="bestand">'
        '<img src="{{ data_png }}" alt="logo">'
        "{% endblock %}"
    )
    data_png = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    data = pdf.render_pdf("fetch-test.html", {"title": "Test", "data_png": data_png})
    assert hits == []  # nothing reached the network
    texts = page_texts(data)
    assert "Zichtbare tekst" in texts[-1]  # the linked CSS (display: none) did not apply
    refused = spy.refused
    for url in ("linked.css", "imported.css", "font.ttf", "image.png"):
        assert f"{base}/{url}" in refused
    assert "file:///etc/passwd" in refused
    assert data_png in spy.served
    images = [
        name
        for page in PdfReader(io.BytesIO(data)).pages
        for name, obj in (page["/Resources"].get("/XObject") or {}).items()
        if obj.get_object().get("/Subtype") == "/Image"
    ]
    assert len(set(images)) == 1  # only the data: PNG


# -- time limit ----------------------------------------------------------------------------------


def test_render_exceeding_its_time_limit_raises_report_timeout_promptly():
    context = sample_context()
    start = time.monotonic()
    with pytest.raises(pdf.ReportTimeout, match=r"specimen\.html took longer than the limit"):
        pdf.render_pdf("specimen.html", context, timeout=0.05)
    assert time.monotonic() - start < 5
    assert not [t for t in threading.enumerate() if t.name.startswith("render ")]
    # the next render is not disturbed, nor is this thread
    assert pdf.render_pdf("specimen.html", context)[:5] == b"%PDF-"
    assert sum(range(200_000)) > 0


def test_a_profiler_still_works_after_an_interrupted_render():
    # an interrupt left pending (or cancelled) in the interpreter makes profiled calls spin
    with pytest.raises(pdf.ReportTimeout):
        pdf.render_pdf("specimen.html", sample_context(), timeout=0.05)
    done = threading.Event()

    def work() -> int:
        return sum(i * i for i in range(1000))

    def profiled() -> None:
        cProfile.Profile().runcall(work)
        done.set()

    threading.Thread(target=profiled, daemon=True).start()
    assert done.wait(5)


def test_a_runaway_template_is_interrupted(test_templates):
    class Endless:
        def __str__(self):
            while True:
                pass

    test_templates["endless.html"] = "<p>{{ value }}</p>"
    start = time.monotonic()
    with pytest.raises(pdf.ReportTimeout):
        pdf.render_pdf("endless.html", {"value": Endless()}, timeout=0.3)
    assert time.monotonic() - start < 5


def test_errors_in_a_render_reach_the_caller(test_templates):
    test_templates["undefined.html"] = "<p>{{ missing_value }}</p>"
    with pytest.raises(Exception, match="missing_value"):
        pdf.render_pdf("undefined.html", {})


def test_timeout_must_be_positive():
    with pytest.raises(ValueError):
        pdf.render_pdf("specimen.html", sample_context(), timeout=0)


# -- plain values and the cache ------------------------------------------------------------------


def test_a_database_object_in_the_context_is_refused():
    class Row:
        _sa_instance_state = object()

    with pytest.raises(TypeError, match=r"context\['rows'\]\[0\] is a database object"):
        pdf.render_pdf("specimen.html", {"rows": [Row()]})


def test_repeated_renders_reuse_the_parsed_css_and_font_configuration():
    pdf.html_to_pdf("<p>een</p>")
    cached = pdf._resources
    pdf.html_to_pdf("<p>twee</p>")
    assert pdf._resources is cached
    pdf.reset_cache()
    pdf.html_to_pdf("<p>drie</p>")
    assert pdf._resources is not cached


def test_renders_from_several_threads_all_complete():
    results: list[bytes] = []

    def render(i: int) -> None:
        results.append(pdf.html_to_pdf(f"<h2>Rapport {i}</h2><p>Tekst {i}</p>"))

    threads = [threading.Thread(target=render, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(page_texts(data)[0].split()[1] for data in results) == ["0", "1", "2"]


def test_outline_gives_h2s_ids_and_skips_no_toc():
    result = pdf.outline(
        '<h2>Eén &amp; twee</h2><h2 class="no-toc">Niet</h2><h2 id="eigen">Drie <em>x</em></h2>'
    )
    assert [(e.id, str(e.title)) for e in result.entries] == [
        ("hoofdstuk-1", "Eén &amp; twee"),
        ("eigen", "Drie x"),
    ]
    assert '<h2 id="hoofdstuk-1">Eén &amp; twee</h2>' in result.html
