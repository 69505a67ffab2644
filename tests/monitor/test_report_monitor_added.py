"""The chapters added to the regional monitor (klankbord, vacancies and sprint-theme demand, CoP by
role, alumni skills and community, ICT) on the demo data, against independent computations.

Expected numbers are recomputed here from the stored answers with plain SQL and pandas: item
domains are read from the instrument YAML, domain scores are the mean of the answered items
(at least half answered), and the k rule is the plain count rule. Figures are read back from the
JSON form of the context and from the PDF.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
import yaml
from scipy import stats

from monitor.demo import load_demo
from monitor.formatting import number_nl, percent_nl
from monitor.reports.regional import build_monitor_context, render_monitor
from surveys.db import db
from surveys.models import (
    Answer,
    Campaign,
    Instrument,
    InstrumentVersion,
    Organisation,
    Response,
)
from tests.conftest import app_on_database
from tests.pdf_helpers import page_texts

YEAR = 2025
K = 5
INSTRUMENTS = Path(__file__).resolve().parents[2] / "surveys" / "instruments"


@pytest.fixture(scope="module")
def demo_app(postgres_database, tmp_path_factory):
    for app in app_on_database(postgres_database, tmp_path_factory.mktemp("added")):
        load_demo(seed=2025)
        yield app


@pytest.fixture(scope="module")
def context(demo_app):
    return json.loads(json.dumps(build_monitor_context(year=YEAR, k=K)))


@pytest.fixture(scope="module")
def pages(context) -> list[str]:
    return [" ".join(page.split()) for page in page_texts(render_monitor(context))]


def _chapter(pages: list[str], heading: str, next_heading: str) -> str:
    """The text from ``heading`` up to ``next_heading``, after the cover and the contents."""
    text = " ".join(pages[2:])
    start = text.index(heading)
    return text[start : text.index(next_heading, start)]


def _answers(instrument: str) -> pd.DataFrame:
    """Submitted answers of an instrument up to YEAR, one row per answer."""
    rows = db.session.execute(
        sa.select(
            Response.id,
            Response.organisation_id,
            Response.respondent_group,
            Campaign.year,
            Campaign.wave,
            Answer.item_key,
            Answer.value,
        )
        .join(Answer, Answer.response_id == Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(Instrument.key == instrument, Campaign.year <= YEAR, Response.status == "submitted")
    ).all()
    columns = ["response", "org", "group", "year", "wave", "key", "value"]
    return pd.DataFrame(rows, columns=columns)


def _item_domains(instrument: str) -> dict[str, str]:
    """Scored item key -> domain, read from the shipped YAML (matrix rows and plain items)."""
    definition = yaml.safe_load((INSTRUMENTS / f"{instrument}.yaml").read_text())
    out = {}
    for section in definition["sections"]:
        for item in section["items"]:
            for leaf in item.get("rows") or [item]:
                if leaf.get("domain"):
                    out[leaf["key"]] = leaf["domain"]
    return out


def _domain_scores(answers: pd.DataFrame, instrument: str) -> pd.DataFrame:
    """response x domain: mean of the numeric answers when at least half of the items has one."""
    domains = _item_domains(instrument)
    scored = answers[answers["key"].isin(domains)].copy()
    scored["domain"] = scored["key"].map(domains)
    scored["number"] = pd.to_numeric(scored["value"], errors="coerce")
    sizes = pd.Series(domains).value_counts()
    grouped = scored.groupby(["response", "domain"])["number"]
    table = pd.DataFrame({"mean": grouped.mean(), "answered": grouped.count()}).reset_index()
    table = table[table["answered"] >= 0.5 * table["domain"].map(sizes)]
    return table.pivot(index="response", columns="domain", values="mean")


def _one(answers: pd.DataFrame, key: str) -> pd.Series:
    rows = answers[answers["key"] == key]
    return rows.drop_duplicates("response").set_index("response")["value"]


# -- klankbord -------------------------------------------------------------------------------------


def test_klankbord_means_per_group_match_an_independent_computation(context, pages):
    answers = _answers("klankbord")
    scores = _domain_scores(answers, "klankbord")
    groups = answers.drop_duplicates("response").set_index("response")["group"]
    chapter = context["klankbord"]
    assert chapter["available"] and [y["year"] for y in chapter["years"]] == [YEAR]
    year = chapter["years"][0]
    text = _chapter(pages, "Klankbord: oordeel over de CoP", "Alumni: werken")
    checked = 0
    for domain in year["domains"]:
        column = scores[domain["key"]].dropna()
        for cell in domain["groups"]:
            values = column[groups.reindex(column.index) == cell["key"]]
            assert len(values) >= K  # both demo groups are large enough to be shown
            assert cell["n"] == len(values)
            assert cell["value"] == pytest.approx(values.mean(), abs=1e-4)
            half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
            assert cell["ci_low"] == pytest.approx(values.mean() - half, abs=1e-4)
            assert cell["ci_high"] == pytest.approx(values.mean() + half, abs=1e-4)
            checked += 1
        assert domain["total"]["value"] == pytest.approx(column.mean(), abs=1e-4)
        assert f"{domain['title']} " in text
        assert number_nl(column.mean(), 1) in text
    assert checked == 6


def test_klankbord_roles_are_counted_and_small_ones_hidden(context, pages):
    answers = _answers("klankbord")
    chosen = _one(answers, "rol_klankbord").value_counts()
    year = context["klankbord"]["years"][0]
    assert year["roles"]["total"] == int(chosen.sum())
    for row in year["roles"]["rows"]:
        n = int(chosen.get(row["key"], 0))
        if n < K:
            assert row["n"] is None
        elif row["n"] is not None:
            assert row["n"] == n
    shown = [row for row in year["roles"]["rows"] if row["n"] is not None]
    assert shown, "the demo has roles chosen by at least k members"
    text = _chapter(pages, "Klankbord: oordeel over de CoP", "Alumni: werken")
    for row in shown:
        assert f"{row['label']} {number_nl(row['n'], 0)} {percent_nl(row['share'])}" in text


# -- HR-scan profile -------------------------------------------------------------------------------


def _scans() -> pd.DataFrame:
    """One row per company: its latest HR-scan of YEAR with the register's profile."""
    answers = _answers("hr_scan")
    answers = answers[answers["year"] == YEAR]
    latest = answers.groupby("org")["response"].max()
    answers = answers[answers["response"].isin(latest)]
    wide = answers.pivot_table(index="response", columns="key", values="value", aggfunc="first")
    orgs = dict(db.session.execute(sa.select(Organisation.id, Organisation.region)).all())
    owner = answers.drop_duplicates("response").set_index("response")["org"]
    wide["region"] = owner.map(orgs)
    return wide


def _share_or_none(flags: pd.Series) -> float | None:
    """The share of 1 when both the 1s and the 0s number at least k (else hidden)."""
    yes, n = int((flags == 1).sum()), int(flags.notna().sum())
    return None if yes < K or n - yes < K else yes / n


def test_vacancies_by_region_match_an_independent_computation(context, pages):
    scans = _scans()
    table = context["hr"]["profile"]["vacancies"]["region"]
    number = pd.to_numeric(scans["vacatures_open"])
    has_open = (number > 0).astype(float)
    hard = scans["vacatures_moeilijk"].isin(["pct_50_74", "pct_75_100"]).astype(float)
    hard = hard.where(number > 0)
    columns = [c["key"] for c in table["columns"]]
    text = _chapter(pages, "HR-scan: vacatures en gewenste", "Community of Practice:")
    for row in table["rows"]:
        mask = scans["region"] == row["key"] if not row["total"] else scans["region"].notna()
        assert row["n"] == int(mask.sum())
        for key, flags in (("open", has_open), ("hard", hard)):
            if key not in columns:
                continue
            cell = row["cells"][columns.index(key)]
            expected = _share_or_none(flags[mask].dropna())
            if cell is not None:  # complementary suppression may hide more, never less
                assert expected is not None and cell == pytest.approx(expected, abs=1e-4)
        if row["cells"][-1] is not None:
            assert f"{row['label']} {number_nl(row['n'], 0)}" in text
            assert percent_nl(row["cells"][-1]) in text


def test_sprint_theme_demand_matches_an_independent_computation(context):
    scans = _scans()
    chosen = scans["sprint_themas"].dropna().map(json.loads)
    table = context["hr"]["profile"]["themes"]["region"]
    shown = 0
    for row in table["rows"]:
        regions = scans.loc[chosen.index, "region"]
        mask = regions.notna() if row["total"] else regions == row["key"]
        for column, cell in zip(table["columns"], row["cells"], strict=True):
            flags = chosen[mask].map(lambda c, v=column["key"]: float(v in c))
            expected = _share_or_none(flags)
            if cell is not None:
                assert expected is not None and cell == pytest.approx(expected, abs=1e-4)
                shown += 1
    assert shown >= 10


def test_no_hidden_total_is_printed_in_another_breakdown(context):
    """Breakdowns share their total: a total one table hides is hidden in all of them."""
    themes = context["hr"]["profile"]["themes"]
    totals = {}
    for table in themes.values():
        total = next(r for r in table["rows"] if r["total"])
        for column, cell in zip(table["columns"], total["cells"], strict=True):
            totals.setdefault(column["key"], set()).add(cell)
    for key, cells in totals.items():
        assert len(cells) == 1, f"theme {key} has different totals in different tables"


# -- CoP by role -----------------------------------------------------------------------------------


def test_cop_means_by_role_match_an_independent_computation(context, pages):
    answers = _answers("cop")
    wave = int(answers["wave"].max())
    answers = answers[answers["wave"] == wave]
    scores = _domain_scores(answers, "cop")
    role = _one(answers, "rol").reindex(answers["response"].unique())
    sizes = role.value_counts()
    small = set(sizes[sizes < K].index)
    role = role.where(~role.isin(small), "overige")
    by_role = context["cop"]["by_role"]
    assert by_role["available"] and by_role["wave"] == wave
    keys = [d["key"] for d in by_role["domains"]]
    for name in small:
        assert name not in {row["key"] for row in by_role["rows"]}
    text = _chapter(pages, "Per rol in de CoP", "Klankbord: oordeel")
    checked = 0
    for row in by_role["rows"]:
        assert row["n"] == int((role == row["key"]).sum())
        for key, cell in zip(keys, row["cells"], strict=True):
            values = scores[key].dropna()
            values = values[role.reindex(values.index) == row["key"]]
            if cell["value"] is not None:
                assert len(values) >= K
                assert cell["value"] == pytest.approx(values.mean(), abs=1e-4)
                checked += 1
        assert row["label"] in text
    assert checked >= 9


# -- alumni ----------------------------------------------------------------------------------------


def test_alumni_skills_and_community_for_ict_match_an_independent_computation(context, pages):
    answers = _answers("alumni")
    answers = answers[answers["year"] == answers["year"].max()]
    field = _one(answers, "studierichting")
    skills = _one(answers, "vaardigheden_bijscholen").map(json.loads)
    ict = field.reindex(skills.index) == "ict"
    table = context["alumni"]["skills"]
    rows = {row["key"]: row for row in table["rows"]}
    assert rows["ict"]["n"] == int(ict.sum()) and rows["Total"]["n"] == len(skills)
    for i, column in enumerate(table["columns"]):
        flags = skills.map(lambda c, v=column["key"]: float(v in c))
        for key, mask in (("ict", ict), ("Total", ict | ~ict)):
            cell = rows[key]["cells"][i]
            expected = _share_or_none(flags[mask])
            if cell is not None:
                assert cell == pytest.approx(expected, abs=1e-4)
    interest = _one(answers, "interesse_community")
    ict_interest = interest[field.reindex(interest.index) == "ict"]
    community = {row["key"]: row for row in context["alumni"]["community"]["rows"]}
    assert community["ict"]["cells"][0] == pytest.approx((ict_interest == "ja").mean(), abs=1e-4)
    text = _chapter(pages, "Bijscholen", "ICT: werkgevers en alumni")
    assert percent_nl(community["ict"]["cells"][0]) in text
    assert f"n = {number_nl(rows['ict']['n'], 0)}" in text


def test_ict_alumni_working_in_limburg(context, pages):
    answers = _answers("alumni")
    answers = answers[answers["year"] == answers["year"].max()]
    wide = answers.pivot_table(index="response", columns="key", values="value", aggfunc="first")
    placed = wide[(wide["status"] == "werkend") & wide["werklocatie"].notna()]
    ict = placed[placed["studierichting"] == "ict"]
    share = (ict["werklocatie"] == "limburg").mean()
    section = context["alumni"]["ict"]["alumni"]
    row = next(r for r in section["rows"] if r["key"] == "ict")
    assert row["cells"][0] == pytest.approx(share, abs=1e-4)
    text = _chapter(pages, "ICT: werkgevers en alumni", "Intervisiesprints")
    assert f"ICT {number_nl(row['n'], 0)} {percent_nl(share)}" in text
