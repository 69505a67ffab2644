"""Item types: each type's form field, validation messages, stored value, summary and scoring."""

import math
from typing import Any, ClassVar

import pytest
from wtforms import StringField, TextAreaField

from surveys.definition import (
    REGISTRY,
    ItemType,
    build_form,
    get_type,
    load_definition,
    page_values,
    register,
    scoring_spec,
    summarise,
    validate_definition,
    value_to_float,
)
from surveys.definition.fields import ChoiceRadioField, MultiCheckboxField
from surveys.definition.forms import PlainSectionForm
from surveys.definition.itemtypes import COMMON_FIELDS, FormOptions, ScoredItem

T = {"nl": "Vraag", "en": "Question"}


def definition_with(*items: dict[str, Any], domains: tuple[str, ...] = ()) -> dict[str, Any]:
    """A valid one-page instrument holding `items` (each gets the text T unless it has one);
    the domains its items and rows point to are defined."""
    used = [x.get("domain") for item in items for x in [item, *item.get("rows", [])]]
    domains = tuple(dict.fromkeys([*domains, *(d for d in used if d)]))
    return load_definition(
        {
            "key": "test",
            "title": {"nl": "Test", "en": "Test"},
            "languages": ["nl", "en"],
            "respondent_groups": [{"key": "iedereen", "label": {"nl": "Iedereen", "en": "All"}}],
            "domains": [{"key": d, "title": {"nl": d, "en": d}} for d in domains],
            "sections": [
                {
                    "key": "pagina",
                    "title": {"nl": "Pagina", "en": "Page"},
                    "items": [{"text": T, **item} for item in items],
                }
            ],
        }
    )


def submit(item: dict[str, Any], data: dict[str, Any], lang: str = "nl", **extra) -> Any:
    return page_values(definition_with(item), 0, data, lang=lang, **extra)


def form_for(item: dict[str, Any], lang: str = "nl", wave: int = 0) -> Any:
    return build_form(definition_with(item), 0, lang, wave, formdata=None, base=PlainSectionForm)


def options(field) -> list[tuple[str, str]]:
    return [tuple(choice)[:2] for choice in field.choices]


# ----------------------------------------------------------------------- the registry


def test_every_documented_item_type_is_registered():
    assert list(REGISTRY) == [
        "likert5",
        "likert7",
        "maturity",
        "nps",
        "single_choice",
        "multiple_choice",
        "yes_no",
        "number",
        "short_text",
        "long_text",
        "note",
        "matrix",
    ]


def test_adding_an_item_type_is_one_registered_class():
    @register
    class Postcode(ItemType):
        name = "postcode"
        fields: ClassVar = COMMON_FIELDS

        def form_fields(self, item, options: FormOptions):
            return [(item["key"], StringField(item["text"][options.lang]))]

        def encode(self, item, data):
            value = (data.get(item["key"]) or "").replace(" ", "").upper()
            return {item["key"]: value or None}

    try:
        definition = definition_with({"key": "pc", "type": "postcode"})
        result = page_values(definition, 0, {"pc": "6211 ab"})
    finally:
        del REGISTRY["postcode"]

    assert result.values == {"pc": "6211AB"}


def test_registering_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="taken"):

        @register
        class Again(ItemType):
            name = "likert5"


def test_get_type_returns_the_registered_instance():
    assert get_type("nps").scale_max == 10


# ----------------------------------------------------------------------- scales


def test_likert5_offers_five_agreement_points_and_weet_niet():
    field = form_for({"key": "q", "type": "likert5"})["q"]

    assert isinstance(field, ChoiceRadioField)
    assert options(field) == [
        ("1", "Helemaal oneens"),
        ("2", "Oneens"),
        ("3", "Neutraal"),
        ("4", "Eens"),
        ("5", "Helemaal eens"),
        ("weet_niet", "Weet niet"),
    ]


def test_likert7_offers_seven_points_in_english_when_asked():
    field = form_for({"key": "q", "type": "likert7"}, lang="en")["q"]

    assert [value for value, _ in options(field)] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "weet_niet",
    ]
    assert options(field)[2] == ("3", "Somewhat disagree")
    assert options(field)[-1] == ("weet_niet", "Don't know")


def test_maturity_offers_zero_to_four_and_nvt():
    field = form_for({"key": "q", "type": "maturity"})["q"]

    assert [value for value, _ in options(field)] == ["0", "1", "2", "3", "4", "nvt"]
    assert options(field)[0] == ("0", "0 – Niet aanwezig")
    assert options(field)[-1] == ("nvt", "N.v.t.")


def test_nps_offers_zero_to_ten_without_missing_code():
    field = form_for({"key": "q", "type": "nps"})["q"]

    assert [value for value, _ in options(field)] == [str(n) for n in range(11)]


def test_missing_codes_can_be_overridden_per_item():
    both = form_for({"key": "q", "type": "likert5", "missing": ["weet_niet", "nvt"]})["q"]
    none = form_for({"key": "q", "type": "maturity", "missing": []})["q"]

    assert [value for value, _ in options(both)][-2:] == ["weet_niet", "nvt"]
    assert [value for value, _ in options(none)] == ["0", "1", "2", "3", "4"]


@pytest.mark.parametrize(
    ("kind", "answer", "stored"),
    [
        ("likert5", "4", "4"),
        ("likert5", "weet_niet", "weet_niet"),
        ("likert7", "7", "7"),
        ("maturity", "0", "0"),
        ("maturity", "nvt", "nvt"),
        ("nps", "10", "10"),
    ],
)
def test_scale_answers_are_stored_as_integers_or_missing_codes(kind, answer, stored):
    result = submit({"key": "q", "type": kind, "required": True}, {"q": answer})

    assert result.values == {"q": stored}


def test_a_required_scale_without_answer_asks_to_choose():
    result = submit({"key": "q", "type": "likert5", "required": True}, {})

    assert result.errors == {"q": ["Kies een antwoord."]}


def test_a_required_scale_message_is_in_english_for_english_respondents():
    result = submit({"key": "q", "type": "likert5", "required": True}, {}, lang="en")

    assert result.errors == {"q": ["Choose an answer."]}


def test_a_scale_value_that_is_not_offered_is_refused():
    result = submit({"key": "q", "type": "likert5"}, {"q": "6"})
    no_missing = submit({"key": "q", "type": "nps"}, {"q": "weet_niet"})

    assert result.errors == {"q": ["Kies een van de gegeven antwoorden."]}
    assert no_missing.errors == {"q": ["Kies een van de gegeven antwoorden."]}


def test_an_optional_unanswered_scale_stores_nothing():
    assert submit({"key": "q", "type": "maturity"}, {}).values == {"q": None}


def test_scale_summary_counts_each_point_and_keeps_missing_codes_apart():
    definition = definition_with({"key": "q", "type": "likert5"})
    responses = [{"q": "5"}, {"q": "4"}, {"q": "4"}, {"q": "weet_niet"}, {}, {"q": "1"}]

    (summary,) = summarise(definition, responses)

    assert summary.counts == {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1}
    assert summary.missing == {"weet_niet": 1}
    assert summary.n == 4
    assert summary.mean == pytest.approx((5 + 4 + 4 + 1) / 4)


def test_nps_summary_has_the_net_promoter_score():
    definition = definition_with({"key": "q", "type": "nps"})
    responses = [{"q": v} for v in ("10", "9", "8", "7", "6", "0")]

    (summary,) = summarise(definition, responses)

    # promoters 2 (10, 9), detractors 2 (6, 0) of 6 answers
    assert summary.extra == {"nps": 0.0}
    assert summary.mean == pytest.approx(40 / 6)


def test_scored_scale_items_give_their_scoring_spec():
    definition = definition_with(
        {"key": "a", "type": "likert5", "domain": "d"},
        {"key": "b", "type": "maturity", "domain": "d", "reverse": True},
        {"key": "c", "type": "likert7"},
        domains=("d",),
    )

    assert scoring_spec(definition) == [
        ScoredItem("a", "d", 1, 5, False),
        ScoredItem("b", "d", 0, 4, True),
    ]


# ----------------------------------------------------------------------- choices


CHOICES = [
    {"value": "zorg", "label": {"nl": "Zorg", "en": "Care"}},
    {"value": "ict", "label": {"nl": "ICT", "en": "ICT"}},
    {"value": 3, "label": {"nl": "Bouw", "en": "Construction"}},
]


def test_single_choice_stores_the_choice_value_as_text():
    item = {"key": "s", "type": "single_choice", "choices": CHOICES}

    assert submit(item, {"s": "ict"}).values == {"s": "ict"}
    assert submit(item, {"s": "3"}).values == {"s": "3"}


def test_single_choice_labels_follow_the_language():
    item = {"key": "s", "type": "single_choice", "choices": CHOICES}

    assert options(form_for(item, lang="en")["s"]) == [
        ("zorg", "Care"),
        ("ict", "ICT"),
        ("3", "Construction"),
    ]


def test_single_choice_with_other_stores_the_text_under_the_other_key():
    item = {"key": "s", "type": "single_choice", "choices": CHOICES, "other": True}

    result = submit(item, {"s": "anders", "s_other": "  Horeca "})

    assert options(form_for(item)["s"])[-1] == ("anders", "Anders, namelijk")
    assert result.values == {"s": "anders", "s_other": "Horeca"}


def test_other_text_is_required_when_anders_is_chosen():
    item = {"key": "s", "type": "single_choice", "choices": CHOICES, "other": True}

    assert submit(item, {"s": "anders"}).errors == {
        "s_other": ["Vul in wat u bedoelt met ‘anders’."]
    }


def test_other_text_is_dropped_when_another_choice_is_made():
    item = {"key": "s", "type": "single_choice", "choices": CHOICES, "other": True}

    assert submit(item, {"s": "zorg", "s_other": "Horeca"}).values == {"s": "zorg", "s_other": None}


def test_multiple_choice_is_one_repeated_field_stored_as_a_json_list_in_choice_order():
    item = {"key": "m", "type": "multiple_choice", "choices": CHOICES}

    result = submit(item, {"m": ["3", "zorg"]})

    assert isinstance(form_for(item)["m"], MultiCheckboxField)
    assert result.values == {"m": '["zorg", "3"]'}


def test_multiple_choice_with_other_stores_anders_and_its_text():
    item = {"key": "m", "type": "multiple_choice", "choices": CHOICES, "other": True}

    result = submit(item, {"m": ["anders", "ict"], "m_other": "Onderwijs"})

    assert result.values == {"m": '["ict", "anders"]', "m_other": "Onderwijs"}


def test_multiple_choice_messages_for_required_max_choices_and_unknown_values():
    item = {
        "key": "m",
        "type": "multiple_choice",
        "choices": CHOICES,
        "required": True,
        "max_choices": 2,
    }

    assert submit(item, {}).errors == {"m": ["Kies ten minste één antwoord."]}
    assert submit(item, {"m": ["zorg", "ict", "3"]}).errors == {
        "m": ["Kies ten hoogste 2 antwoorden."]
    }
    assert submit(item, {"m": ["horeca"]}).errors == {"m": ["Kies een van de gegeven antwoorden."]}


def test_choice_summaries_count_per_option():
    definition = definition_with(
        {"key": "s", "type": "single_choice", "choices": CHOICES},
        {"key": "m", "type": "multiple_choice", "choices": CHOICES, "other": True},
    )
    responses = [
        {"s": "zorg", "m": '["zorg", "ict"]'},
        {"s": "zorg", "m": '["anders"]', "m_other": "x"},
        {"s": "3"},
    ]

    single, multiple = summarise(definition, responses)

    assert (single.counts, single.n, single.mean) == ({"zorg": 2, "ict": 0, "3": 1}, 3, None)
    assert multiple.counts == {"zorg": 1, "ict": 1, "3": 0, "anders": 1}
    assert multiple.n == 2


def test_yes_no_stores_ja_or_nee_with_labels_per_language():
    item = {"key": "yn", "type": "yes_no", "required": True}

    assert options(form_for(item)["yn"]) == [("ja", "Ja"), ("nee", "Nee")]
    assert options(form_for(item, lang="en")["yn"]) == [("ja", "Yes"), ("nee", "No")]
    assert submit(item, {"yn": "nee"}).values == {"yn": "nee"}
    assert submit(item, {}).errors == {"yn": ["Kies een antwoord."]}


def test_yes_no_summary_counts_ja_and_nee():
    definition = definition_with({"key": "yn", "type": "yes_no"})

    (summary,) = summarise(definition, [{"yn": "ja"}, {"yn": "ja"}, {"yn": "nee"}])

    assert summary.counts == {"ja": 2, "nee": 1}


# ----------------------------------------------------------------------- numbers and texts


def test_a_whole_number_out_of_range_says_what_is_accepted():
    item = {"key": "n", "type": "number", "min": 0, "max": 100, "integer": True}

    assert submit(item, {"n": "101"}).errors == {"n": ["Vul een geheel getal in tussen 0 en 100."]}
    assert submit(item, {"n": "2,5"}).errors == {"n": ["Vul een geheel getal in tussen 0 en 100."]}
    assert submit(item, {"n": "veel"}).errors == {"n": ["Vul een geheel getal in tussen 0 en 100."]}
    assert submit(item, {"n": "-1"}, lang="en").errors == {
        "n": ["Enter a whole number between 0 and 100."]
    }


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"min": 0}, "Vul een getal in van 0 of meer."),
        ({"max": 2.5}, "Vul een getal in van 2,5 of minder."),
        (
            {"min": 1, "max": 100000, "integer": True},
            "Vul een geheel getal in tussen 1 en 100.000.",
        ),
        ({"integer": True}, "Vul een geheel getal in."),
    ],
)
def test_number_messages_state_the_bounds_in_dutch_notation(item, message):
    result = submit({"key": "n", "type": "number", "required": True, **item}, {})

    assert result.errors == {"n": [message]}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", "12"),
        ("3,5", "3.5"),
        ("3.50", "3.5"),
        (" 1 000 ", "1000"),
        ("12.0", "12"),
        ("-0", "0"),
    ],
)
def test_numbers_are_stored_as_plain_decimal_strings(typed, stored):
    assert submit({"key": "n", "type": "number"}, {"n": typed}).values == {"n": stored}


def test_number_summary_gives_mean_and_n():
    definition = definition_with({"key": "n", "type": "number"})

    (summary,) = summarise(definition, [{"n": "2"}, {"n": "3.5"}, {}, {"n": "6.5"}])

    assert (summary.n, summary.mean) == (3, 4.0)
    assert summary.extra == {"min": 2.0, "max": 6.5, "median": 3.5}


def test_short_text_is_trimmed_and_empty_text_stores_nothing():
    item = {"key": "t", "type": "short_text"}

    assert isinstance(form_for(item)["t"], StringField)
    assert submit(item, {"t": "  Meer tijd  "}).values == {"t": "Meer tijd"}
    assert submit(item, {"t": "   "}).values == {"t": None}


def test_text_length_and_required_messages():
    item = {"key": "t", "type": "long_text", "max_length": 10, "required": True}

    assert isinstance(form_for(item)["t"], TextAreaField)
    assert submit(item, {"t": "x" * 11}).errors == {"t": ["Gebruik ten hoogste 10 tekens."]}
    assert submit(item, {"t": ""}).errors == {"t": ["Vul dit veld in."]}


def test_text_summary_counts_the_answers():
    definition = definition_with({"key": "t", "type": "long_text"})

    (summary,) = summarise(definition, [{"t": "a"}, {"t": ""}, {}, {"t": "b"}])

    assert (summary.n, summary.counts, summary.mean) == (2, None, None)


def test_a_note_has_no_field_and_stores_nothing():
    definition = definition_with(
        {"key": "uitleg", "type": "note"}, {"key": "q", "type": "short_text"}
    )
    form = build_form(definition, 0, formdata=None, base=PlainSectionForm)

    assert "uitleg" not in form._fields
    assert [entry.key for entry in form.entries] == ["uitleg", "q"]
    assert page_values(definition, 0, {"q": "x"}).values == {"q": "x"}
    assert summarise(definition, [{"q": "x"}])[0].key == "q"


# ----------------------------------------------------------------------- matrix


MATRIX = {
    "key": "mx",
    "type": "matrix",
    "scale": "maturity",
    "required": True,
    "rows": [
        {"key": "r1", "text": {"nl": "Rij 1", "en": "Row 1"}, "domain": "d"},
        {"key": "r2", "text": {"nl": "Rij 2", "en": "Row 2"}, "domain": "d", "reverse": True},
    ],
}


def test_matrix_has_one_field_per_row_named_by_the_row_key():
    form = form_for(MATRIX)

    assert [name for name in form._fields] == ["r1", "r2"]
    assert form["r2"].label.text == "Rij 2"
    assert [value for value, _ in options(form["r1"])] == ["0", "1", "2", "3", "4", "nvt"]


def test_matrix_rows_are_stored_and_required_row_by_row():
    definition = definition_with(MATRIX, domains=("d",))

    assert page_values(definition, 0, {"r1": "3", "r2": "nvt"}).values == {"r1": "3", "r2": "nvt"}
    assert page_values(definition, 0, {"r1": "3"}).errors == {"r2": ["Kies een antwoord."]}


def test_matrix_rows_are_scored_and_summarised_as_items():
    definition = definition_with(MATRIX, domains=("d",))

    summaries = summarise(definition, [{"r1": "4", "r2": "0"}, {"r1": "2", "r2": "nvt"}])

    assert scoring_spec(definition) == [
        ScoredItem("r1", "d", 0, 4, False),
        ScoredItem("r2", "d", 0, 4, True),
    ]
    assert [(s.key, s.n, s.mean, s.missing) for s in summaries] == [
        ("r1", 2, 3.0, {"nvt": 0}),
        ("r2", 1, 0.0, {"nvt": 1}),
    ]


# ----------------------------------------------------------------------- round trips, analysis

ROUND_TRIPS = [
    ({"key": "q", "type": "likert5"}, {"q": "weet_niet"}),
    ({"key": "q", "type": "likert7"}, {"q": "7"}),
    ({"key": "q", "type": "maturity"}, {"q": "0"}),
    ({"key": "q", "type": "nps"}, {"q": "9"}),
    (
        {"key": "q", "type": "single_choice", "choices": CHOICES, "other": True},
        {"q": "anders", "q_other": "x"},
    ),
    ({"key": "q", "type": "multiple_choice", "choices": CHOICES}, {"q": '["zorg", "3"]'}),
    ({"key": "q", "type": "yes_no"}, {"q": "ja"}),
    ({"key": "q", "type": "number"}, {"q": "3.5"}),
    ({"key": "q", "type": "short_text"}, {"q": "tekst"}),
    ({"key": "q", "type": "long_text"}, {"q": "lange\ntekst"}),
    (MATRIX, {"r1": "1", "r2": "nvt"}),
]


@pytest.mark.parametrize(("item", "stored"), ROUND_TRIPS, ids=[i["type"] for i, _ in ROUND_TRIPS])
def test_stored_values_decode_into_the_form_and_encode_back_unchanged(item, stored):
    definition = definition_with(item)
    form = build_form(definition, 0, answers=stored, formdata=None, base=PlainSectionForm)

    assert form.validate()
    assert {k: v for k, v in form.values_to_store().items() if v is not None} == stored


@pytest.mark.parametrize(
    ("value", "expected"),
    [("4", 4.0), ("0", 0.0), ("3.5", 3.5), ("10", 10.0), ("-2", -2.0)],
)
def test_value_to_float_gives_numbers_for_numeric_answers(value, expected):
    assert value_to_float(value) == expected


@pytest.mark.parametrize(
    "value", [None, "", "weet_niet", "nvt", "zorg", "ja", '["a"]', "nan", "inf", "  "]
)
def test_value_to_float_is_nan_for_missing_codes_and_non_numbers(value):
    assert math.isnan(value_to_float(value))


def test_domain_on_every_non_scale_type_is_refused():
    for kind in ("single_choice", "multiple_choice", "yes_no", "number", "short_text", "note"):
        item = {"key": "q", "type": kind, "text": T, "domain": "d"}
        if "choice" in kind:
            item["choices"] = CHOICES
        definition = definition_with({"key": "a", "type": "likert5", "domain": "d"}, domains=("d",))
        definition["sections"][0]["items"].append(item)

        messages = [p.message for p in validate_definition(definition)]

        assert messages == [f"field 'domain' does not apply to item type '{kind}'"]
