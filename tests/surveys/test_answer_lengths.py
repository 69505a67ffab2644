"""Every stored answer has a bounded length: a number in exponent notation or with endless digits,
and a text over its limit, get a Dutch message next to their field on the respondent page, the
page's other answers are kept, and nothing long is stored (SQLite and PostgreSQL alike)."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from surveys.campaigns import add_invitations, create_campaign, open_campaign, personal_link
from surveys.db import db
from surveys.definition import DefinitionError, load_definition_text
from surveys.definition.publish import publish_definition
from surveys.invitees import Invitee
from surveys.models import Answer, Response
from surveys.responses import stored_answers

TODAY = date.today()
DEFINITION = """
key: lengtes
title: {nl: Lengtes}
languages: [nl]
respondent_groups: [{key: iedereen, label: {nl: Iedereen}}]
sections:
  - key: een
    title: {nl: Een}
    items:
      - {key: keuze, type: yes_no, text: {nl: Ja of nee?}}
      - {key: getal, type: number, text: {nl: Een getal?}}
      - {key: geheel, type: number, integer: true, text: {nl: Een geheel getal?}}
      - {key: kort, type: short_text, text: {nl: Kort?}}
      - {key: lang, type: long_text, text: {nl: Lang?}}
  - key: twee
    title: {nl: Twee}
    items:
      - {key: slot, type: short_text, text: {nl: Slot?}}
"""


@pytest.fixture
def link(app):
    version = publish_definition(load_definition_text(DEFINITION)).version
    campaign = create_campaign(
        version, title="Lengtes", year=TODAY.year, wave=0, mode="personal",
        opens_on=TODAY - timedelta(days=1), closes_on=TODAY + timedelta(days=10),
    )  # fmt: skip
    open_campaign(campaign)
    [invitation] = add_invitations(campaign, [Invitee(2, "a@x.example", None, "iedereen", None)])
    db.session.commit()
    return personal_link(invitation).removeprefix("http://127.0.0.1:5000")


def _stored() -> dict[str, str]:
    response_id = db.session.scalar(select(Response.id))
    return stored_answers(response_id) if response_id is not None else {}


def _longest_stored() -> int:
    return db.session.scalar(select(func.coalesce(func.max(func.length(Answer.value)), 0)))


@pytest.mark.parametrize(
    "typed",
    ["1e-999999", "1E5", "2e0", "1" * 40, "0," + "0" * 40 + "1", "-" + "9" * 30],
)
def test_a_number_in_exponent_notation_or_with_too_many_digits_is_refused_with_the_page_kept(
    client, link, typed
):
    posted = {"keuze": "ja", "getal": typed, "kort": "Mijn antwoord", "nav": "next"}
    response = client.post(link, data=posted)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'id="getal-error"[^>]*>([^<]*)<', page)
    assert error and "Vul een getal in" in error.group(1) and "cijfers" in error.group(1)
    assert 'value="Mijn antwoord"' in page  # the other answers of the page are shown again
    assert re.search(r'value="ja"[^>]*checked|checked[^>]*value="ja"', page)
    assert "getal" not in _stored() and _longest_stored() <= 40


def test_ordinary_numbers_are_still_stored_as_typed(client, link):
    posted = {"getal": "-1.234,5", "geheel": "12", "nav": "next"}
    assert client.post(link, data=posted).status_code == 200  # "1.234,5": not one number
    posted = {"getal": "-1234,5", "geheel": "  120000000000000 ", "nav": "next"}
    assert client.post(link, data=posted).status_code == 302
    assert _stored() == {"getal": "-1234.5", "geheel": "120000000000000"}


@pytest.mark.parametrize(("field", "limit"), [("kort", 250), ("lang", 5000)])  # the types' defaults
def test_a_text_over_its_limit_gets_a_dutch_message_and_nothing_is_stored(
    client, link, field, limit
):
    posted = {"keuze": "nee", field: "x" * (limit + 1), "nav": "next"}
    response = client.post(link, data=posted)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'id="{field}-error"[^>]*>Gebruik ten hoogste {limit} tekens', page)
    assert _stored() == {} and _longest_stored() == 0
    ok = client.post(link, data={**posted, field: "x" * limit})
    assert ok.status_code == 302 and _stored() == {"keuze": "nee", field: "x" * limit}


def test_an_instrument_cannot_raise_a_text_limit_above_what_its_type_stores():
    text = DEFINITION.replace(
        "{key: lang, type: long_text,", "{key: lang, type: long_text, max_length: 1000000,"
    )
    with pytest.raises(DefinitionError) as raised:
        load_definition_text(text)
    [problem] = raised.value.problems
    assert problem.path == "sections[0].items[4].max_length" and "5000" in problem.message


def test_a_blank_choice_is_no_answer_and_stores_nothing(client, link):
    response = client.post(link, data={"keuze": " " * 5000, "nav": "next"})
    assert response.status_code == 302 and _stored() == {}
