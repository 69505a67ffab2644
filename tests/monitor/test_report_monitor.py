"""The regional monitor on the demo data: built once, rendered once and read back from the PDF.

Expected numbers come from independent computations next to the tests (plain SQL counts, scipy
and statsmodels intervals), not from the monitor's own code.
"""

import json
import re
from collections import defaultdict

import numpy as np
import pytest
import sqlalchemy as sa
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from monitor.demo import load_demo
from monitor.formatting import number_nl, percent_nl
from monitor.reports.regional import build_monitor_context, render_monitor
from surveys.db import db
from surveys.models import Answer, Campaign, Instrument, InstrumentVersion, Response
from tests.conftest import app_on_database
from tests.pdf_helpers import page_texts

YEAR = 2025
K = 5
HEADINGS = [
    "Samenvatting",
    "Respons en bereik",
    "HR-scan: resultaten per domein",
    "Zwakste domeinen per sector en regio",
    "Community of Practice: verwachting en ervaring",
    "Alumni: werken en blijven in Limburg",
    "Intervisiesprints",
    "Verantwoording",
]
COP_GROUPS = [
    "Founding fathers en partners",
    "Studenten, docenten en praktijkopleiders",
    "Voorzitters innovatietafels",
]


@pytest.fixture(scope="module")
def demo_app(postgres_database, tmp_path_factory):
    """One app with the demo loaded, shared by the tests of this module."""
    for app in app_on_database(postgres_database, tmp_path_factory.mktemp("monitor")):
        load_demo(seed=2025)
        yield app


@pytest.fixture(scope="module")
def context(demo_app):
    return build_monitor_context(year=YEAR, k=K)


@pytest.fixture(scope="module")
def pdf(context) -> bytes:
    # rendered from the JSON form, as `--format json` writes it: the two must agree
    return render_monitor(json.loads(json.dumps(context)))


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return page_texts(pdf)


@pytest.fixture(scope="module")
def text(pages) -> str:
    """All text with whitespace collapsed (lines wrap anywhere)."""
    return " ".join(" ".join(pages).split())


def _answers(instrument: str, year: int) -> dict[int, dict[str, str]]:
    """Submitted answers of an instrument's campaigns of a year: response id -> {key: value}."""
    rows = db.session.execute(
        sa.select(Response.id, Response.organisation_id, Answer.item_key, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(Instrument.key == instrument, Campaign.year == year, Response.status == "submitted")
    ).all()
    out: dict[int, dict[str, str]] = defaultdict(dict)
    for response_id, _org, key, value in rows:
        out[response_id][key] = value
    return out


def _companies_scanned(year: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Response.organisation_id)))
        .join(Campaign, Response.campaign_id == Campaign.id)
        .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(Instrument.key == "hr_scan", Campaign.year == year, Response.status == "submitted")
    )


# -- the PDF as a document -------------------------------------------------------------------------


def test_every_chapter_is_in_the_contents_with_the_page_it_starts_on(pages):
    contents = pages[1]
    for heading in HEADINGS:
        match = re.search(rf"{re.escape(heading)} (\d+)", contents)
        assert match, f"{heading!r} missing from the contents"
        page = int(match[1])
        first_line = pages[page - 1].strip().splitlines()[0]
        assert first_line == heading, f"{heading!r} should start page {page}"


def test_pages_after_the_cover_carry_their_number_out_of_the_total(pages):
    total = len(pages)
    assert 12 <= total <= 24
    assert "pagina" not in pages[0]  # the cover has no footer
    for number, page in enumerate(pages[1:], start=2):
        assert f"pagina {number} van {total}" in page


def test_the_summary_fits_on_one_page_right_after_the_contents(pages, context):
    summary = pages[2]
    assert summary.startswith("Samenvatting")
    for finding in context["summary"]["findings"]:
        assert " ".join(finding["text"].split()) in " ".join(summary.split())
    assert "Respons en bereik" not in summary


def test_years_and_cop_groups_are_named(text, context):
    for year in (2023, 2024, 2025):
        assert str(year) in text
    for group in COP_GROUPS:
        assert group in text
    assert context["cop"]["nulmeting_year"] == 2023
    assert [f["year"] for f in context["cop"]["followups"]] == [2024, 2025]


def test_sentences_are_not_glued_together(text):
    """Template conditions between sentences keep the space after the full stop."""
    assert re.findall(r"[a-z0-9)][.;:][A-Z][a-z]", text) == []


def test_the_cover_and_running_header_name_the_report(pages):
    assert "Regionale monitor 2025" in pages[0]
    assert "Regionale monitor 2025" in pages[5]
    assert "Arbeidsmarktmonitor Limburg" in pages[5]


# -- numbers: computed, and the same in the JSON and the PDF ---------------------------------------


def test_the_scan_count_sentence_is_computed_from_the_data(demo_app, text, context):
    first, now = _companies_scanned(2023), _companies_scanned(YEAR)
    assert (first, now) == (115, 175)  # the demo's sizes; the sentence must follow the data
    assert context["response"]["first_scanned"] == first
    assert context["response"]["scanned"] == now
    assert f"Het aantal gescande bedrijven steeg van {first} in 2023 naar {now} in 2025." in text


def test_key_figures_of_the_context_appear_in_dutch_format_in_the_pdf(text, context):
    response, alumni, sprints = context["response"], context["alumni"], context["sprints"]
    figures = [
        number_nl(response["reached_since_first"], 0),
        number_nl(response["network"], 0),
        percent_nl(response["coverage"]),
        number_nl(alumni["respondents"], 0),
        percent_nl(alumni["limburg"]["value"]),
        number_nl(alumni["binding"]["value"], 1),
        number_nl(alumni["match"]["value"], 1),
        percent_nl(alumni["stay"]["value"]),
        percent_nl(sprints["evaluation"]["goal"]["value"]),
        percent_nl(sprints["evaluation"]["implemented"]["value"]),
        number_nl(sprints["evaluation"]["respondents"], 0),
    ]
    for figure in figures:
        assert figure in text
    for key_figure in context["key_figures"]:
        shown = (
            percent_nl(key_figure["value"])
            if key_figure["format"] == "pct"
            else number_nl(key_figure["value"], 0)
        )
        assert f"{shown} {key_figure['label']}" in text
    nps = context["sprints"]["evaluation"]["nps"]["score"]
    assert f"Aanbevelen (NPS): {'+' if nps > 0 else '−'}{number_nl(abs(nps), 0)}" in text


def test_domain_means_per_year_are_in_the_change_table(text, context):
    hr = context["hr"]
    for domain in hr["domains"]:
        first, now = domain["first"]["mean"], domain["current"]["mean"]
        assert f"{domain['title']} {number_nl(first, 1)} {number_nl(now, 1)}" in text


def test_a_domain_mean_and_interval_match_an_independent_computation(demo_app, context):
    """Talent behouden in 2025: mean of each company's answered items (at least half), then the
    mean over companies with a t-interval."""
    keys = [
        k
        for k in _answers("hr_scan", YEAR)[next(iter(_answers("hr_scan", YEAR)))]
        if k.startswith("hr_bh_")
    ]
    scores = []
    for answers in _answers("hr_scan", YEAR).values():
        values = [float(answers[k]) for k in keys if answers.get(k, "nvt").isdigit()]
        if len(values) >= len(keys) / 2:
            scores.append(np.mean(values))
    mean, se = np.mean(scores), stats.sem(scores)
    low, high = stats.t.interval(0.95, len(scores) - 1, loc=mean, scale=se)
    domain = next(d for d in context["hr"]["domains"] if d["key"] == "behouden")["current"]
    assert domain["n"] == len(scores)
    assert domain["mean"] == pytest.approx(mean, abs=1e-4)
    assert (domain["ci_low"], domain["ci_high"]) == pytest.approx((low, high), abs=1e-4)


def test_share_working_in_limburg_has_a_wilson_interval(demo_app, context, text):
    working = [
        a["werklocatie"]
        for a in _answers("alumni", YEAR).values()
        if a.get("status") == "werkend" and "werklocatie" in a
    ]
    limburg = sum(place == "limburg" for place in working)
    low, high = proportion_confint(limburg, len(working), alpha=0.05, method="wilson")
    figure = context["alumni"]["limburg"]
    assert figure["n"] == len(working)
    assert figure["value"] == pytest.approx(limburg / len(working), abs=1e-4)
    assert (figure["ci_low"], figure["ci_high"]) == pytest.approx((low, high), abs=1e-4)
    interval = f"95%-BI {number_nl(low * 100, 0)}–{percent_nl(high)}"
    assert f"werkt {percent_nl(limburg / len(working))} in Limburg ({interval})" in text


def test_the_trend_names_its_design_and_marks_holm_significant_changes(context, text):
    design = context["hr"]["design"]
    assert design["design"] == "panel"  # companies rescan in the demo
    assert design["methods"] == ["mixedlm"]
    assert "panel" in text and "MixedLM" in text and "Holm" in text
    for domain in context["hr"]["domains"]:
        change = domain["change"]
        assert change["significant"] == (change["p_holm"] < 0.05)
        sign = "+" if change["estimate"] > 0 else "−"
        marked = f"{sign}{number_nl(abs(change['estimate']), 1)} *"
        first, now = domain["first"]["mean"], domain["current"]["mean"]
        row = f"{domain['title']} {number_nl(first, 1)} {number_nl(now, 1)} {marked}"
        assert (row in text) == change["significant"]


def test_cop_expectation_and_experience_per_group_and_item(context, text):
    cop = context["cop"]
    assert [g["label"] for g in cop["groups"]] == COP_GROUPS
    for group in cop["groups"]:
        for domain in group["domains"]:
            assert [side["year"] for side in domain["waves"]] == [2023, 2024, 2025]
            gap = domain["gap"]
            assert gap["difference"] == pytest.approx(
                gap["experience"] - gap["expectation"], abs=1e-3
            )
    item = cop["items"][0]
    cell = item["groups"][0]
    assert f"{number_nl(cell['expectation'], 1)} → {number_nl(cell['experience'], 1)}" in text


def test_charts_have_titles_and_text_alternatives(context, text):
    assert len(context["charts"]) >= 8
    for chart in context["charts"].values():
        assert chart["title"] and chart["alt"] and chart["svg"].startswith("<svg")
        assert chart["title"] in text
    assert text.count("In woorden:") == len(context["charts"])


def test_the_context_is_plain_json(context):
    encoded = json.dumps(context, allow_nan=False)
    assert json.loads(encoded) == context


def test_sprints_come_from_the_sprint_tables_and_the_latest_evaluation(demo_app, context, text):
    from scans.models import Sprint, SprintMember, SprintSession

    last = db.session.scalar(sa.select(sa.func.max(Sprint.year)).where(Sprint.year <= YEAR))
    held = context["sprints"]["held"]
    assert held["year"] == last == 2024  # the demo's sprints; none yet in 2025
    sprints = db.session.scalar(
        sa.select(sa.func.count()).select_from(Sprint).where(Sprint.year == last)
    )
    companies = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(SprintMember.organisation_id)))
        .join(Sprint)
        .where(Sprint.year == last)
    )
    sessions = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SprintSession)
        .join(Sprint)
        .where(Sprint.year == last)
    )
    assert (held["sprints"], held["companies"], held["sessions"]) == (sprints, companies, sessions)
    assert (
        "Voor 2025 zijn (nog) geen sprints vastgesteld; dit zijn de meest recente, van 2024."
        in text
    )
    assert (
        f"In 2024 liepen {sprints} sprints ({held['done']} afgerond) met {companies} bedrijven"
        in text
    )
    assert context["sprints"]["evaluation"]["year"] == 2024
    assert "Evaluatie door de deelnemers, 2024" in text


def _behouden_by_company(year: int) -> dict[int, float]:
    """Each company's 'Talent behouden' score of ``year`` (mean of its answered items, at least
    half answered), computed here without the application's scoring."""
    rows = db.session.execute(
        sa.select(Response.organisation_id, Answer.item_key, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(Instrument.key == "hr_scan", Campaign.year == year, Response.status == "submitted")
        .where(Answer.item_key.startswith("hr_bh_"))
    ).all()
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    keys = {key for _, key, _ in rows}
    for org, key, value in rows:
        answers[org][key] = value
    scores = {}
    for org, given in answers.items():
        values = [float(v) for v in given.values() if v.isdigit()]
        if len(values) >= len(keys) / 2:
            scores[org] = float(np.mean(values))
    return scores


def test_the_panel_claim_says_what_the_numbers_are(demo_app, context, text):
    """The model uses every company; the companies seen in both years get their own paired
    change with its n, recomputed here."""
    assert "dezelfde bedrijven gevolgd" not in text
    hr = context["hr"]
    first, now = _behouden_by_company(hr["first_year"]), _behouden_by_company(YEAR)
    both = sorted(set(first) & set(now))
    behouden = next(d for d in hr["domains"] if d["key"] == "behouden")
    assert behouden["paired"]["n_pairs"] == len(both)
    assert behouden["paired"]["mean_difference"] == pytest.approx(
        np.mean([now[org] - first[org] for org in both]), abs=1e-4
    )
    assert "Zelfde bedrijven" in text
    assert f"(n = {number_nl(len(both), 0)})" in text


def test_three_years_get_no_linear_trend_and_the_effect_size_follows_the_estimate(context, text):
    assert len(context["hr"]["years"]) == 3
    assert all(d["trend"] is None for d in context["hr"]["domains"])
    assert "een lineaire trend volgt vanaf vier meetjaren" in text
    for domain in context["hr"]["domains"]:
        change = domain["change"]
        assert np.sign(change["hedges_g"]) == np.sign(change["estimate"])


def test_cop_stars_are_holm_corrected_and_the_method_is_named(context, text):
    cop = context["cop"]
    cells = [cell for item in cop["items"] for cell in item["groups"] if cell["p"] is not None]
    assert cop["comparisons"]["items"] == len(cells)
    p = np.array([cell["p"] for cell in cells])
    order = np.argsort(p)
    expected, running = np.empty(len(p)), 0.0
    for rank, i in enumerate(order):  # Holm, by hand
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        expected[i] = running
    # the context's p are rounded to six decimals: the hand computation is as close as that allows
    assert [cell["p_holm"] for cell in cells] == pytest.approx(expected, rel=0.05, abs=1e-4)
    assert [cell["significant"] for cell in cells] == list(expected < 0.05)
    assert cop["methods"] == ["welch"]  # the demo's CoP rounds are anonymous open links
    assert f"Holm-correctie over de {len(cells)} vergelijkingen in deze tabel" in text
    assert "onafhankelijke steekproeven (Welch-interval" in text


def test_the_method_says_why_alumni_and_sprint_intervals_are_not_clustered(demo_app, context, text):
    institutions = {
        answers["instelling"]
        for answers in _answers("alumni", context["alumni"]["year"]).values()
        if answers.get("instelling")
    }
    assert context["clusters"]["alumni_institutions"] == len(institutions)
    assert context["clusters"]["evaluation_sprints"] == context["sprints"]["held"]["sprints"]
    assert f"de alumni uit {len(institutions)} instellingen" in text
    assert "Bij zo weinig groepen zouden geclusterde intervallen zelf onbetrouwbaar zijn" in text
