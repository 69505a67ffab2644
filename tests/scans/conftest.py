"""A small HR-scan-like instrument and hand-made answer frames, so that expected numbers can be
worked out by hand; and the demo's HR-scan frame, computed once per module."""

import json

import pandas as pd
import pytest

from surveys.db import db
from surveys.definition import load_definition, load_definition_file, shipped_instrument_files
from surveys.definition.itemtypes import value_to_float
from surveys.frame import RESPONSE_COLUMNS
from tests.conftest import make_app

MINI_SCAN = {
    "key": "mini_scan",
    "title": {"nl": "Mini-scan", "en": "Mini scan"},
    "languages": ["nl", "en"],
    "min_answered": 0.5,
    "respondent_groups": [{"key": "werkgever", "label": {"nl": "Werkgever", "en": "Employer"}}],
    "domains": [
        {"key": "werving", "title": {"nl": "Talent aantrekken", "en": "Attracting talent"}},
        {"key": "behouden", "title": {"nl": "Talent behouden", "en": "Retaining talent"}},
    ],
    "sections": [
        {
            "key": "praktijk",
            "title": {"nl": "Praktijk", "en": "Practice"},
            "items": [
                *(
                    {
                        "key": key,
                        "type": "maturity",
                        "domain": domain,
                        "text": {"nl": text, "en": text},
                    }
                    for key, domain, text in (
                        ("w1", "werving", "Een wervingsplan"),
                        ("w2", "werving", "Gerichte wervingskanalen"),
                        ("w3", "werving", "Een werkgeversmerk"),
                        ("b1", "behouden", "Loopbaangesprekken"),
                        ("b2", "behouden", "Exitgesprekken"),
                    )
                ),
            ],
        },
        {
            "key": "afsluiting",
            "title": {"nl": "Afsluiting", "en": "Closing"},
            "items": [
                {"key": "gemeente", "type": "short_text", "text": {"nl": "Gemeente", "en": "Town"}},
                {
                    "key": "sprint_themas",
                    "type": "multiple_choice",
                    "other": True,
                    "text": {"nl": "Sprintthema's", "en": "Sprint themes"},
                    "choices": [
                        {"value": "werving", "label": {"nl": "Werving", "en": "Recruiting"}},
                        {"value": "behouden", "label": {"nl": "Behouden", "en": "Retaining"}},
                    ],
                },
                {"key": "hr_vraag", "type": "long_text", "text": {"nl": "HR-vraag", "en": "Q"}},
                {
                    "key": "toestemming_delen",
                    "type": "yes_no",
                    "text": {"nl": "Toestemming", "en": "Consent"},
                },
            ],
        },
    ],
}


@pytest.fixture(scope="session")
def mini_scan() -> dict:
    """The small instrument, validated like a shipped one."""
    return load_definition(MINI_SCAN)


def scan_rows(
    response_id: int,
    organisation_id: int,
    year: int,
    answers: dict[str, str],
    *,
    sector: str = "bouw",
    region: str = "Zuid-Limburg",
    size_class: str = "10-49",
) -> list[dict]:
    """The tidy-frame rows of one submitted scan (as surveys.frame.answer_frame makes them)."""
    base = {
        "response_id": response_id,
        "campaign_id": year - 2000,
        "year": year,
        "wave": year - 2023,
        "organisation_id": organisation_id,
        "panel_key": f"p{organisation_id}",
        "respondent_group": "werkgever",
        "sector": sector,
        "region": region,
        "size_class": size_class,
    }
    return [
        {**base, "item_key": key, "text": text, "value": value_to_float(text)}
        for key, text in answers.items()
    ]


def make_frame(rows: list[dict]) -> pd.DataFrame:
    """A tidy answer frame from rows, columns in the order of answer_frame."""
    return pd.DataFrame(rows, columns=[*RESPONSE_COLUMNS, "item_key", "text", "value"])


def closing(themes=(), question=None, consent=True, municipality="Heerlen") -> dict[str, str]:
    """Stored answers of the closing items."""
    answers = {"toestemming_delen": "ja" if consent else "nee", "gemeente": municipality}
    if themes:
        answers["sprint_themas"] = json.dumps(list(themes))
    if question:
        answers["hr_vraag"] = question
    return answers


@pytest.fixture(scope="module")
def demo_scans(tmp_path_factory) -> tuple[pd.DataFrame, dict]:
    """The demo's HR-scan answer frame (seed 2025) and the shipped HR-scan definition."""
    from monitor.demo import load_demo
    from surveys.frame import answer_frame

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    app = make_app(url)
    with app.app_context():
        db.create_all()
        load_demo(seed=2025)
        frame = answer_frame(instrument="hr_scan")
        db.session.remove()
        db.engine.dispose()
    path = next(p for p in shipped_instrument_files() if p.stem == "hr_scan")
    return frame, load_definition_file(path)
