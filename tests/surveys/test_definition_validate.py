"""Validation of definitions: every problem at once, as `file: path.to.field: message`."""

import json

import pytest

from surveys.definition import (
    DefinitionError,
    canonical_json,
    content_hash,
    load_definition_file,
    load_definition_text,
    validate_definition,
)
from tests.surveys.test_definition_example import example_definition, example_yaml, find_item


def problems(definition, file="hr_scan.yaml") -> list[str]:
    return [str(p) for p in validate_definition(definition, file)]


def text_problems(text: str, file="hr_scan.yaml") -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_definition_text(text, file)
    return [str(p) for p in caught.value.problems]


def test_a_valid_definition_has_no_problems():
    assert problems(example_definition()) == []


def test_unknown_item_type_is_reported_at_its_path_with_a_suggestion():
    definition = example_definition()
    definition["sections"][1]["items"][1]["type"] = "likret5"

    assert problems(definition) == [
        "hr_scan.yaml: sections[1].items[1].type: unknown item type 'likret5' "
        "(did you mean 'likert5'?)"
    ]


def test_every_problem_is_reported_at_once_in_document_order():
    definition = example_definition()
    definition["title"] = {"nl": "HR-scan"}
    definition["sections"][0]["items"][0]["requird"] = True
    definition["sections"][2]["items"][0]["type"] = "net_promoter"

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[0].requird: unknown field 'requird' "
        "(did you mean 'required'?)",
        "hr_scan.yaml: sections[2].items[0].type: unknown item type 'net_promoter'; use one of "
        "likert5, likert7, maturity, nps, single_choice, multiple_choice, yes_no, number, "
        "short_text, long_text, note, matrix",
        "hr_scan.yaml: title: missing translation 'en'",
    ]


def test_an_item_of_unknown_type_still_gets_its_other_fields_checked():
    definition = example_definition()
    item = find_item(definition, "doel_bereikt")
    item["type"] = "likret5"
    item["text"] = {"nl": "Alleen Nederlands"}

    assert problems(definition) == [
        "hr_scan.yaml: sections[1].items[1].text: missing translation 'en'",
        "hr_scan.yaml: sections[1].items[1].type: unknown item type 'likret5' "
        "(did you mean 'likert5'?)",
    ]


def test_duplicate_item_key_across_sections_is_reported():
    definition = example_definition()
    find_item(definition, "aanbevelen")["key"] = "sector"

    assert problems(definition)[0] == (
        "hr_scan.yaml: sections[2].items[0].key: duplicate key 'sector' "
        "(also sections[0].items[0].key)"
    )


def test_matrix_row_key_equal_to_an_item_key_is_a_duplicate():
    definition = example_definition()
    find_item(definition, "werkwijze")["rows"][1]["key"] = "doel_bereikt"

    assert (
        "hr_scan.yaml: sections[1].items[2].rows[1].key: duplicate key 'doel_bereikt' "
        "(also sections[1].items[1].key)"
    ) in problems(definition)


def test_key_equal_to_the_other_text_of_an_earlier_item_is_a_duplicate():
    definition = example_definition()
    item = find_item(definition, "volgend_thema")
    item["key"] = "sector_other"
    item.pop("show_if")

    assert problems(definition) == [
        "hr_scan.yaml: sections[2].items[2].key: duplicate key 'sector_other': it is where the "
        "'anders, namelijk' text of 'sector' is stored (sections[0].items[0].other)"
    ]


def test_other_text_key_clashing_with_an_earlier_item_is_a_duplicate():
    definition = example_definition()
    find_item(definition, "medewerkers")["key"] = "thema_other"

    assert (
        "hr_scan.yaml: sections[0].items[2].other: the 'anders, namelijk' text of 'thema' is "
        "stored as 'thema_other', a key already used at sections[0].items[1].key"
    ) in problems(definition)


def test_duplicate_section_domain_and_group_keys_are_reported():
    definition = example_definition()
    definition["sections"][2]["key"] = "sprint"
    definition["respondent_groups"][1]["key"] = "deelnemer"
    definition["domains"][2]["key"] = "werkwijze"
    find_item(definition, "borging_plan")["domain"] = "werkwijze"

    assert problems(definition) == [
        "hr_scan.yaml: domains[2].key: duplicate key 'werkwijze' (also domains[1].key)",
        "hr_scan.yaml: respondent_groups[1].key: duplicate key 'deelnemer' "
        "(also respondent_groups[0].key)",
        "hr_scan.yaml: sections[2].key: duplicate key 'sprint' (also sections[1].key)",
    ]


def test_condition_on_a_later_item_is_reported():
    definition = example_definition()
    find_item(definition, "thema")["show_if"] = {"item": "aanbevelen", "op": "gte", "value": 9}

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[2].show_if.item: show_if refers to 'aanbevelen', which "
        "comes later (sections[2].items[0].key); conditions can only use answers given before"
    ]


def test_condition_on_an_unknown_item_is_reported_with_a_suggestion():
    definition = example_definition()
    find_item(definition, "volgend_thema")["show_if"] = {
        "all": [{"item": "sectr", "op": "answered"}, {"item": "nergens", "op": "answered"}]
    }

    assert problems(definition) == [
        "hr_scan.yaml: sections[2].items[2].show_if.all[0].item: show_if refers to unknown item "
        "'sectr' (did you mean 'sector'?)",
        "hr_scan.yaml: sections[2].items[2].show_if.all[1].item: show_if refers to unknown item "
        "'nergens'",
    ]


def test_condition_on_the_item_itself_a_note_or_a_matrix_is_reported():
    definition = example_definition()
    find_item(definition, "eigenaarschap")["show_if"] = {
        "any": [
            {"item": "eigenaarschap", "op": "answered"},
            {"item": "uitleg", "op": "answered"},
            {"item": "werkwijze", "op": "answered"},
            {"item": "focus_doel", "op": "gte", "value": 4},
        ]
    }

    assert problems(definition) == [
        "hr_scan.yaml: sections[1].items[3].show_if.any[0].item: show_if of 'eigenaarschap' "
        "refers to itself",
        "hr_scan.yaml: sections[1].items[3].show_if.any[1].item: show_if refers to 'uitleg', "
        "which has no answer (a note)",
        "hr_scan.yaml: sections[1].items[3].show_if.any[2].item: show_if refers to matrix "
        "'werkwijze'; refer to one of its rows",
    ]


def test_condition_values_that_can_never_occur_are_reported():
    definition = example_definition()
    find_item(definition, "volgend_thema")["show_if"] = {
        "all": [
            {"item": "sector", "op": "equals", "value": "zrog"},
            {"item": "oplossing_ingevoerd", "op": "in", "value": ["ja", "misschien"]},
            {"item": "sector", "op": "gt", "value": 3},
            {"item": "doel_bereikt", "op": "equals", "value": 6},
            {"item": "medewerkers", "op": "equals", "value": "veel"},
            {"item": "sector", "op": "equals", "value": "anders"},
            {"item": "doel_bereikt", "op": "equals", "value": "weet_niet"},
        ]
    }

    assert [p.split(": ", 2)[2] for p in problems(definition)] == [
        "'zrog' is not an answer of 'sector' (answers: zorg, industrie, techniek, ict, anders)",
        "'misschien' is not an answer of 'oplossing_ingevoerd' (answers: ja, nee)",
        "'gt' compares numbers, but 'sector' is a single_choice item",
        "6 is not an answer of 'doel_bereikt' (answers: 1, 2, 3, 4, 5, weet_niet)",
        "'medewerkers' is a number item; compare it with numbers, not the text 'veel'",
    ]


def test_malformed_conditions_are_reported():
    definition = example_definition()
    find_item(definition, "volgend_thema")["show_if"] = {
        "all": [
            {"item": "sector", "op": "like", "value": "z"},
            {"item": "sector", "op": "answered", "value": True},
            {"item": "medewerkers", "op": "gt", "value": "veel"},
            {"item": "sector", "op": "in", "value": "zorg"},
            {"item": "sector", "op": "equals"},
            {"op": "answered"},
            {"any": []},
            "sector",
            {"item": "sector", "op": "equals", "value": "zorg", "waarde": 1},
        ]
    }

    assert [p.split(": ", 1)[1] for p in problems(definition)] == [
        "sections[2].items[2].show_if.all[0].op: unknown operator 'like'; use one of equals, "
        "not_equals, in, gt, lt, gte, lte, answered",
        "sections[2].items[2].show_if.all[1].value: 'answered' takes no value",
        "sections[2].items[2].show_if.all[2].value: 'gt' needs a number, got the text 'veel'",
        "sections[2].items[2].show_if.all[3].value: 'in' needs a non-empty list of values",
        "sections[2].items[2].show_if.all[4]: missing field 'value' (operator 'equals')",
        "sections[2].items[2].show_if.all[5]: missing field 'item'",
        "sections[2].items[2].show_if.all[6].any: expected a non-empty list of conditions",
        "sections[2].items[2].show_if.all[7]: expected a condition ({item, op, value}, all or "
        "any), got the text 'sector'",
        "sections[2].items[2].show_if.all[8].waarde: unknown field 'waarde' in a condition",
    ]


def test_conditions_nested_too_deeply_are_refused():
    condition = {"item": "sector", "op": "answered"}
    for _ in range(12):
        condition = {"all": [condition]}
    definition = example_definition()
    find_item(definition, "volgend_thema")["show_if"] = condition

    assert any("nested more than 10 levels deep" in p for p in problems(definition))


def test_domain_without_items_is_reported():
    definition = example_definition()
    find_item(definition, "borging_plan").pop("domain")

    assert problems(definition) == [
        "hr_scan.yaml: domains[2]: domain 'borging' has no items (give items 'domain: borging')"
    ]


def test_item_and_matrix_row_pointing_to_an_unknown_domain_are_reported():
    definition = example_definition()
    find_item(definition, "doel_bereikt")["domain"] = "opbrengsten"
    find_item(definition, "werkwijze")["rows"][0]["domain"] = "werkwijzen"

    assert problems(definition) == [
        "hr_scan.yaml: sections[1].items[1].domain: unknown domain 'opbrengsten' "
        "(domains: borging, opbrengst, werkwijze)",
        "hr_scan.yaml: sections[1].items[2].rows[0].domain: unknown domain 'werkwijzen' "
        "(domains: borging, opbrengst, werkwijze)",
    ]


def test_domain_on_an_item_type_that_is_not_scored_does_not_apply():
    definition = example_definition()
    find_item(definition, "volgend_thema")["domain"] = "opbrengst"

    assert problems(definition) == [
        "hr_scan.yaml: sections[2].items[2].domain: field 'domain' does not apply to item type "
        "'short_text'"
    ]


def test_missing_and_extra_translations_are_reported():
    definition = example_definition()
    find_item(definition, "sector")["choices"][1]["label"] = {"nl": "Industrie"}
    find_item(definition, "medewerkers")["help"]["de"] = "Personen"
    find_item(definition, "thema")["text"]["en"] = "  "

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[0].choices[1].label: missing translation 'en'",
        "hr_scan.yaml: sections[0].items[1].help.de: language 'de' is not in languages (nl, en)",
        "hr_scan.yaml: sections[0].items[2].text.en: expected a non-empty text, got the text '  '",
    ]


def test_a_text_instead_of_translations_says_how_to_write_them():
    definition = example_definition()
    find_item(definition, "sector")["text"] = "Sector?"

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[0].text: expected a text per language, got the text "
        "'Sector?' (write {nl: ..., en: ...})"
    ]


def test_a_comma_inside_a_flow_mapping_gets_a_hint_to_quote_the_text():
    text = example_yaml().replace(
        'help: {nl: "Tel personen, geen fte.", en: "Count people, not FTE."}',
        "help: {nl: Tel personen, geen fte., en: Count people}",
    )

    assert text_problems(text) == [
        "hr_scan.yaml: sections[0].items[1].help.geen fte.: language 'geen fte.' is not in "
        "languages (nl, en); a comma inside {...} starts a new entry: put the text in quotes"
    ]


def test_bad_min_and_max_of_a_number_are_reported():
    definition = example_definition()
    item = find_item(definition, "medewerkers")
    item.update({"min": 10, "max": 5.5})

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[1].max: max 5.5 is not a whole number",
        "hr_scan.yaml: sections[0].items[1].min: min 10 is greater than max 5.5",
    ]


def test_min_and_max_must_be_numbers():
    definition = example_definition()
    find_item(definition, "medewerkers").update({"min": "nul", "max": True})

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[1].max: expected a number, got true (a yes/no value)",
        "hr_scan.yaml: sections[0].items[1].min: expected a number, got the text 'nul'",
    ]


def test_empty_choices_are_reported():
    definition = example_definition()
    find_item(definition, "sector")["choices"] = []

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[0].choices: expected a list of choices with at least "
        "one entry, got an empty list"
    ]


def test_choice_values_must_be_unique_within_an_item():
    definition = example_definition()
    choices = find_item(definition, "sector")["choices"]
    choices[2]["value"] = "zorg"
    choices[3]["value"] = 1
    choices[1]["value"] = "1"

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[0].choices[2].value: duplicate choice value 'zorg' "
        "(also choices[0])",
        "hr_scan.yaml: sections[0].items[0].choices[3].value: duplicate choice value '1' "
        "(also choices[1])",
    ]


def test_the_other_value_is_reserved_when_other_is_offered():
    definition = example_definition()
    find_item(definition, "sector")["choices"][3]["value"] = "anders"

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[0].choices[3].value: choice value 'anders' is reserved "
        "for 'other: true'; drop this choice or use another value"
    ]


def test_unquoted_yes_as_a_choice_value_gets_a_hint():
    definition = example_definition()
    find_item(definition, "sector")["choices"][3]["value"] = True

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[0].choices[3].value: expected a text or whole number, "
        "got true (a yes/no value); quote it ('yes', 'no')"
    ]


def test_unknown_respondent_group_in_a_section_is_reported():
    definition = example_definition()
    definition["sections"][1]["groups"] = ["deelnemer", "docent"]

    assert problems(definition) == [
        "hr_scan.yaml: sections[1].groups[1]: unknown respondent group 'docent' "
        "(respondent_groups: begeleider, deelnemer)"
    ]


def test_wrong_field_types_are_reported():
    definition = example_definition()
    definition["languages"] = "nl"
    definition["min_answered"] = 1.5
    find_item(definition, "sector")["required"] = "ja"
    find_item(definition, "thema")["max_choices"] = "2"
    definition["sections"][2]["items"] = {"key": "aanbevelen"}

    assert problems(definition) == [
        "hr_scan.yaml: languages: expected a list of language codes such as [nl, en], got the "
        "text 'nl'",
        "hr_scan.yaml: min_answered: expected a share greater than 0 and at most 1, got 1.5",
        "hr_scan.yaml: sections[0].items[0].required: expected true or false, got the text 'ja'",
        "hr_scan.yaml: sections[0].items[2].max_choices: expected a whole number, got the text '2'",
        "hr_scan.yaml: sections[2].items: expected a list of items, got a mapping",
    ]


def test_max_choices_above_the_number_of_choices_is_reported():
    definition = example_definition()
    find_item(definition, "thema")["max_choices"] = 5

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[2].max_choices: max_choices 5 is more than the 4 "
        "choices offered"
    ]


def test_unknown_fields_are_reported_as_probable_typos():
    definition = example_definition()
    definition["titel"] = definition["title"]
    definition["sections"][0]["itmes"] = []
    find_item(definition, "werkwijze")["rows"][0]["revers"] = True
    definition[True] = "from an unquoted yes:"

    assert problems(definition) == [
        "hr_scan.yaml: True: unknown field True (YAML reads unquoted yes/no/on/off as true/false; "
        "quote it)",
        "hr_scan.yaml: sections[0].itmes: unknown field 'itmes' (did you mean 'items'?)",
        "hr_scan.yaml: sections[1].items[2].rows[0].revers: unknown field 'revers' "
        "(did you mean 'reverse'?)",
        "hr_scan.yaml: titel: unknown field 'titel' (did you mean 'title'?)",
    ]


def test_missing_required_fields_are_reported():
    definition = example_definition()
    del definition["respondent_groups"]
    del find_item(definition, "sector")["choices"]
    del find_item(definition, "werkwijze")["scale"]

    assert problems(definition) == [
        "hr_scan.yaml: (root): missing field 'respondent_groups'",
        "hr_scan.yaml: sections[0].items[0]: missing field 'choices'",
        "hr_scan.yaml: sections[1].items[2]: missing field 'scale'",
    ]


def test_keys_must_be_lower_case_identifiers_and_not_reserved():
    definition = example_definition()
    find_item(definition, "sector")["key"] = "Sector"
    item = find_item(definition, "volgend_thema")
    item["key"] = "data"
    item.pop("show_if")

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[0].key: key 'Sector' must start with a lower-case "
        "letter and contain only lower-case letters, digits and '_'",
        "hr_scan.yaml: sections[2].items[2].key: key 'data' is reserved by the questionnaire "
        "forms; choose another",
    ]


def test_unknown_matrix_scale_and_missing_codes_are_reported():
    definition = example_definition()
    find_item(definition, "werkwijze")["scale"] = "nps"
    find_item(definition, "doel_bereikt")["missing"] = ["weet_niet", "geen_mening", "weet_niet"]

    assert problems(definition) == [
        "hr_scan.yaml: sections[1].items[1].missing: missing code 'weet_niet' is listed twice",
        "hr_scan.yaml: sections[1].items[1].missing[1]: unknown missing code 'geen_mening'; "
        "use weet_niet, nvt",
        "hr_scan.yaml: sections[1].items[2].scale: unknown matrix scale 'nps'; use likert5, "
        "likert7, maturity",
    ]


def test_fields_of_other_item_types_do_not_apply():
    definition = example_definition()
    find_item(definition, "uitleg")["required"] = True
    find_item(definition, "sector")["max_choices"] = 1

    assert problems(definition) == [
        "hr_scan.yaml: sections[0].items[0].max_choices: field 'max_choices' does not apply to "
        "item type 'single_choice'",
        "hr_scan.yaml: sections[1].items[0].required: field 'required' does not apply to item "
        "type 'note'",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (None, "hr_scan.yaml: (root): expected an instrument definition (a mapping), got nothing"),
        ([1, 2], "hr_scan.yaml: (root): expected an instrument definition (a mapping), got a list"),
    ],
)
def test_a_definition_that_is_not_a_mapping_is_one_problem(data, expected):
    assert problems(data) == [expected]


def test_an_empty_file_is_reported():
    assert text_problems("") == ["hr_scan.yaml: (root): the file is empty"]


def test_yaml_syntax_errors_give_line_and_column():
    found = text_problems("key: hr_scan\ntitle: {nl: HR\n  en: [\n")

    assert len(found) == 1
    assert found[0].startswith("hr_scan.yaml: line 3, column 5: invalid YAML: ")


def test_a_field_given_twice_in_yaml_is_reported_not_silently_overwritten():
    text = example_yaml().replace("min_answered: 0.5\n", "min_answered: 0.5\nmin_answered: 0.6\n")

    assert text_problems(text) == [
        "hr_scan.yaml: line 8: field 'min_answered' appears twice in the same mapping"
    ]


def test_a_yaml_alias_bomb_is_refused_cleanly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 8):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")

    assert text_problems("\n".join(lines)) == [
        "hr_scan.yaml: (root): the definition has more than 200000 values"
    ]


def test_loading_a_file_names_it_by_its_base_name(tmp_path):
    path = tmp_path / "hr_scan.yaml"
    path.write_text(example_yaml().replace("type: likert5", "type: likret5"), encoding="utf-8")

    with pytest.raises(DefinitionError) as caught:
        load_definition_file(path)

    assert str(caught.value) == (
        "hr_scan.yaml: sections[1].items[1].type: unknown item type 'likret5' "
        "(did you mean 'likert5'?)"
    )


def test_unreadable_files_are_definition_errors(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: caf\xe9".encode("latin-1"))

    with pytest.raises(DefinitionError, match=r"latin.yaml: \(root\): the file is not UTF-8"):
        load_definition_file(latin)
    with pytest.raises(DefinitionError, match=r"nowhere.yaml: \(root\): cannot read file"):
        load_definition_file(tmp_path / "nowhere.yaml")


def test_loaded_definitions_are_plain_json_data():
    definition = load_definition_text(example_yaml())

    assert json.loads(canonical_json(definition)) == definition


def test_content_hash_ignores_layout_and_key_order_but_not_content():
    reordered = dict(reversed(list(example_definition().items())))
    reworded = example_definition()
    find_item(reworded, "sector")["text"]["nl"] = "In welke branche werkt uw organisatie?"

    assert content_hash(reordered) == content_hash(example_definition())
    assert content_hash(reworded) != content_hash(example_definition())
