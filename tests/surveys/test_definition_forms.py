"""Page forms built from a definition: field names, languages, waves, show_if and what is stored."""

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from surveys.definition import (
    build_form,
    hidden_answer_keys,
    load_definition_file,
    page_values,
    sections_for_group,
    shipped_instrument_files,
)
from tests.surveys.test_definition_example import example_definition


@pytest.fixture
def definition():
    return example_definition()


def post(app, data):
    """A POST request context carrying `data` as its form."""
    return app.test_request_context("/s/token", method="POST", data=MultiDict(data))


def test_fields_are_named_by_item_key_with_matrix_rows_and_other_texts(app, definition):
    with app.test_request_context():
        first = build_form(definition, 0)
        second = build_form(definition, "sprint")

    assert isinstance(first, FlaskForm)
    assert list(first._fields) == ["sector", "sector_other", "medewerkers", "thema", "thema_other"]
    assert list(second._fields) == [
        "doel_bereikt",
        "niet_praten_maar_doen",
        "focus_doel",
        "tijd_verspild",
        "eigenaarschap",
        "borging_plan",
        "oplossing_ingevoerd",
        "oplossing_toelichting",
    ]


def test_labels_help_and_options_are_in_the_chosen_language(app, definition):
    with app.test_request_context():
        dutch = build_form(definition, 0, "nl")
        english = build_form(definition, 0, "en")

    assert dutch["medewerkers"].label.text == "Hoeveel medewerkers heeft uw organisatie?"
    assert dutch["medewerkers"].description == "Tel personen, geen fte."
    assert english["medewerkers"].label.text == "How many people does your organisation employ?"
    assert english["medewerkers"].description == "Count people, not FTE."
    assert [tuple(c)[:2] for c in english["sector"].choices][-1] == ("anders", "Other, namely")


def test_follow_up_waves_use_the_follow_up_wording(app, definition):
    with app.test_request_context():
        baseline = build_form(definition, "sprint", "nl", wave=0)
        follow_up = build_form(definition, "sprint", "nl", wave=2)

    assert baseline["doel_bereikt"].label.text == "Ik verwacht het doel van de sprint te bereiken."
    assert follow_up["doel_bereikt"].label.text == "Wij hebben het doel van de sprint bereikt."
    assert follow_up["focus_doel"].label.text == "We richtten ons op één concreet doel."


def test_missing_codes_are_extra_radio_options(app, definition):
    with app.test_request_context():
        form = build_form(definition, "sprint", "nl")

    assert [c.value for c in form["doel_bereikt"].choices][-1] == "weet_niet"
    assert [c.value for c in form["borging_plan"].choices][-1] == "nvt"
    assert [c.value for c in form["eigenaarschap"].choices] == [str(n) for n in range(1, 8)]


def test_required_items_carry_the_required_flag_unless_conditional(app, definition):
    with app.test_request_context():
        form = build_form(definition, 0)

    assert form["sector"].flags.required
    assert not form["thema"].flags.required


def test_entries_give_the_page_in_order_with_notes_and_conditions(app, definition):
    with app.test_request_context():
        form = build_form(definition, "sprint", "en", answers={"oplossing_ingevoerd": "nee"})
        entries = form.entries

    assert [e.key for e in entries][:3] == ["uitleg", "doel_bereikt", "werkwijze"]
    assert entries[0].text == "The following questions are about the sprint as a whole."
    assert entries[0].fields == []
    assert [f.name for f in entries[2].fields] == [
        "niet_praten_maar_doen",
        "focus_doel",
        "tijd_verspild",
    ]
    assert entries[-1].show_if == {"item": "oplossing_ingevoerd", "op": "equals", "value": "ja"}
    assert entries[-1].shown is False


def test_stored_answers_fill_the_form_in_again(app, definition):
    answers = {"sector": "anders", "sector_other": "Horeca", "thema": '["behoud"]'}

    with app.test_request_context():
        form = build_form(definition, 0, answers=answers)

    assert form["sector"].data == "anders"
    assert form["sector_other"].data == "Horeca"
    assert form["thema"].data == ["behoud"]


def test_a_submitted_page_is_validated_and_gives_the_values_to_store(app, definition):
    data = {"sector": "zorg", "medewerkers": "40", "thema": ["werving", "behoud"]}

    with post(app, data):
        form = build_form(definition, 0)
        valid = form.validate_on_submit()
        values = form.values_to_store()

    assert valid
    assert values == {
        "sector": "zorg",
        "sector_other": None,
        "medewerkers": "40",
        "thema": '["werving", "behoud"]',
        "thema_other": None,
    }


def test_errors_are_reported_per_field_in_dutch(app, definition):
    with post(app, {"medewerkers": "0"}):
        form = build_form(definition, 0)
        valid = form.validate_on_submit()

    assert not valid
    assert form.errors == {
        "sector": ["Kies een antwoord."],
        "medewerkers": ["Vul een geheel getal in tussen 1 en 100.000."],
    }


def test_item_hidden_by_an_earlier_page_is_left_out_and_cleared(app, definition):
    with app.test_request_context():
        hidden = build_form(definition, "afsluiting", answers={})
        shown = build_form(definition, "afsluiting", answers={"sector": "ict"})

    assert "volgend_thema" not in hidden._fields
    assert "volgend_thema" in shown._fields
    assert hidden.values_to_store()["volgend_thema"] is None


def test_item_depending_on_the_same_page_is_decided_on_submit(app, definition):
    with post(
        app, {"doel_bereikt": "4", "oplossing_ingevoerd": "nee", "oplossing_toelichting": "x"}
    ):
        form = build_form(definition, "sprint")
        valid = form.validate_on_submit()
        values = form.values_to_store()

    assert "oplossing_toelichting" in form._fields
    assert valid
    assert form.hidden_keys == {"oplossing_toelichting"}
    assert values["oplossing_toelichting"] is None


def test_hidden_items_are_not_validated(app, definition):
    definition["sections"][1]["items"][-1]["required"] = True

    with post(app, {"doel_bereikt": "4", "oplossing_ingevoerd": "nee"}):
        form = build_form(definition, "sprint")
        hidden_ok = form.validate_on_submit()
    with post(app, {"doel_bereikt": "4", "oplossing_ingevoerd": "ja"}):
        form = build_form(definition, "sprint")
        shown_ok = form.validate_on_submit()

    assert hidden_ok
    assert not shown_ok
    assert form.errors == {"oplossing_toelichting": ["Vul dit veld in."]}


def test_conditions_on_earlier_pages_use_the_stored_answers_on_submit(app, definition):
    stored = {"thema": '["werving"]', "medewerkers": "300"}

    result = page_values(definition, 2, {"aanbevelen": "9", "reden_laag": "Tijd"}, stored)
    without = page_values(definition, 2, {"aanbevelen": "9", "reden_laag": "Tijd"}, {})

    assert result.values["reden_laag"] == "Tijd"
    assert without.values["reden_laag"] is None


def test_visible_decides_which_items_are_in_the_form(app, definition):
    with app.test_request_context():
        form = build_form(definition, 0, visible={"sector"})

    assert list(form._fields) == ["sector", "sector_other"]
    assert form.values_to_store()["medewerkers"] is None


def test_page_values_works_without_flask(definition):
    result = page_values(definition, "organisatie", {"sector": "ict", "medewerkers": "12"})

    assert result.ok
    assert result.values["sector"] == "ict"
    assert result.values["medewerkers"] == "12"


def test_hidden_answer_keys_finds_answers_of_items_now_hidden(definition):
    stored = {
        "sector": "zorg",
        "oplossing_ingevoerd": "nee",
        "oplossing_toelichting": "was ja",
        "reden_laag": "oud antwoord",
        "aanbevelen": "9",
    }

    assert hidden_answer_keys(definition, stored) == {"oplossing_toelichting", "reden_laag"}


def test_hidden_answer_keys_drops_sections_of_other_respondent_groups(definition):
    stored = {"sector": "zorg", "doel_bereikt": "4", "werkwijze_x": "1", "aanbevelen": "9"}

    assert hidden_answer_keys(definition, stored, group="begeleider") == {"doel_bereikt"}
    assert hidden_answer_keys(definition, stored, group="deelnemer") == set()


def test_sections_for_group_leaves_out_pages_for_other_groups(definition):
    keys = [s["key"] for s in sections_for_group(definition, "begeleider")]

    assert keys == ["organisatie", "afsluiting"]
    assert len(sections_for_group(definition, None)) == 3


@pytest.mark.parametrize("path", shipped_instrument_files(), ids=lambda p: p.name)
def test_every_page_of_every_shipped_instrument_builds_and_accepts_an_empty_optional_page(
    app, path
):
    definition = load_definition_file(path)
    for index, section in enumerate(definition["sections"]):
        for lang in definition["languages"]:
            with app.test_request_context():
                form = build_form(definition, index, lang, wave=1)
            assert all(entry.text for entry in form.entries)
        result = page_values(definition, index, {})
        required = {
            leaf_key
            for item in section["items"]
            if item.get("required") and "show_if" not in item
            for leaf_key in [row["key"] for row in item.get("rows", [])] or [item["key"]]
        }
        assert set(result.errors) == required
