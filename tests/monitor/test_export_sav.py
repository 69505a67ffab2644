"""SPSS exports of the demo data, checked against means computed straight from the database.

The expected numbers come from one SQL query on the answers table and pandas, next to the test,
independent of the export code: a stored value counts when it reads as a number, so the missing
codes ("weet_niet", "nvt") and texts never do. The .sav must give the same means (its user-missing
98/99 left out), both when pyreadstat reads it and when PSPP runs DESCRIPTIVES on it.
"""

import csv
import io
import os
import subprocess

import pandas as pd
import pyreadstat
import pytest
from sqlalchemy import select, text

from monitor.demo import load_demo
from surveys.db import db
from surveys.models import Campaign

#: (campaign slug, missing code its scales use): an HR-scan (maturity, n.v.t.), the CoP (weet niet)
CAMPAIGNS = [("hr-scan-2024", "nvt"), ("cop-2023", "weet_niet")]


@pytest.fixture
def demo(app):
    load_demo(seed=11)
    return {c.slug: c for c in db.session.scalars(select(Campaign))}


def database_answers(campaign_id: int) -> pd.DataFrame:
    """Every answer of the campaign's submitted responses, as stored (item_key, value)."""
    rows = db.session.execute(
        text(
            "SELECT a.item_key, a.value FROM answers a JOIN responses r ON r.id = a.response_id "
            "WHERE r.campaign_id = :campaign AND r.status = 'submitted'"
        ),
        {"campaign": campaign_id},
    ).all()
    return pd.DataFrame(rows, columns=["item_key", "value"])


def database_means(campaign_id: int) -> pd.DataFrame:
    """Mean and count per item key of the answers that are numbers."""
    answers = database_answers(campaign_id)
    answers["number"] = pd.to_numeric(answers["value"], errors="coerce")
    return answers.dropna(subset=["number"]).groupby("item_key")["number"].agg(["mean", "count"])


def export_sav(runner, campaign, path):
    result = runner.invoke(
        args=["export", "--campaign", str(campaign.id), "--format", "sav", "--out", str(path)]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("slug", "code"), CAMPAIGNS)
def test_sav_means_equal_the_means_computed_from_the_database(runner, demo, tmp_path, slug, code):
    campaign = demo[slug]
    export_sav(runner, campaign, tmp_path / "data.sav")
    expected = database_means(campaign.id)
    answers = database_answers(campaign.id)
    assert (answers["value"] == code).sum() > 0  # the missing code occurs, so the test means it

    data, _ = pyreadstat.read_sav(tmp_path / "data.sav")  # user-missing -> NaN
    assert len(data) == db.session.scalar(
        text("SELECT count(*) FROM responses WHERE campaign_id = :c AND status = 'submitted'"),
        {"c": campaign.id},
    )
    assert len(expected) >= 10
    for key, row in expected.iterrows():
        assert data[key].count() == row["count"], key
        assert data[key].mean() == pytest.approx(row["mean"], abs=1e-9), key

    # the missing codes are there, distinguishable, when asked for
    raw, meta = pyreadstat.read_sav(tmp_path / "data.sav", user_missing=True)
    spss_code = {"weet_niet": 98, "nvt": 99}[code]
    stored = answers[answers["value"] == code].groupby("item_key").size()
    assert set(stored.index) <= set(meta.missing_ranges)
    for key in meta.missing_ranges:
        assert (raw[key] == spss_code).sum() == stored.get(key, 0), key


def test_sav_labels_come_from_the_questionnaire(runner, demo, tmp_path):
    campaign = demo["hr-scan-2024"]
    export_sav(runner, campaign, tmp_path / "hr.sav")
    _, meta = pyreadstat.read_sav(tmp_path / "hr.sav", metadataonly=True, user_missing=True)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    definition = campaign.instrument_version.definition
    item = next(i for s in definition["sections"] for i in s["items"] if i["key"] == "hr_iw_mentor")
    assert labels["hr_iw_mentor"] == " ".join(item["text"]["nl"].split())
    assert meta.variable_value_labels["hr_iw_mentor"][0] == "0 – Niet aanwezig"
    assert meta.variable_value_labels["hr_iw_mentor"][99] == "N.v.t."
    assert meta.missing_ranges["hr_iw_mentor"] == [{"lo": 98, "hi": 98}, {"lo": 99, "hi": 99}]
    assert labels["panel_key"].startswith("Pseudoniem")
    assert "contact_email" not in labels and "organisation_name" not in labels


def pspp_descriptives(sav, variables: list[str], workdir) -> dict[str, tuple[int, float]]:
    """N and mean per variable as PSPP's DESCRIPTIVES reports them (means shown with 2 decimals)."""
    script = workdir / "descriptives.sps"
    script.write_text(
        "SET TVARS=NAMES.\n"
        f"GET FILE='{sav}'.\n"
        f"DESCRIPTIVES VARIABLES={' '.join(variables)} /STATISTICS=MEAN.\n"
    )
    output = subprocess.run(
        ["pspp", "-O", "format=csv", str(script)],
        capture_output=True, text=True, check=True, timeout=120,
        env=os.environ | {"LC_ALL": "C.UTF-8"},
    ).stdout  # fmt: skip
    table = output.split("Table: Descriptive Statistics", 1)[1]
    results = {}
    for row in csv.reader(io.StringIO(table.strip())):
        if len(row) == 3 and row[0] in variables:
            results[row[0]] = (int(row[1]), float(row[2]))
    return results


@pytest.mark.pspp
@pytest.mark.parametrize(("slug", "code"), CAMPAIGNS)
def test_pspp_descriptives_on_the_sav_match_the_database(runner, demo, tmp_path, slug, code):
    campaign = demo[slug]
    export_sav(runner, campaign, tmp_path / "data.sav")
    _, meta = pyreadstat.read_sav(tmp_path / "data.sav", metadataonly=True, user_missing=True)
    scales = sorted(meta.missing_ranges)  # the scale items, with 98/99 declared missing
    assert len(scales) >= 10
    reported = pspp_descriptives(tmp_path / "data.sav", scales, tmp_path)
    expected = database_means(campaign.id)
    assert sorted(reported) == scales
    for key in scales:
        n, mean = reported[key]
        assert n == expected.loc[key, "count"], key
        assert mean == pytest.approx(expected.loc[key, "mean"], abs=0.005 + 1e-9), key
