"""XLSForm import: ODK / KoboToolbox forms into our format, or a clear list of what cannot be."""

import openpyxl
import pytest
import yaml
from pyxform.xls2xform import convert

from surveys.definition import load_definition_file, validate_definition
from surveys.definition.xlsform import XLSFormError, convert_xlsform
from surveys.definition.xlsform_expr import Unsupported, parse_bounds, parse_relevant

# A two-language employer survey, written the way the KoboToolbox and ODK documentation write
# XLSForms: metadata first, groups (both spellings), selects with lists, or_other, constraints,
# relevance, hints, a multiline text, and a settings sheet with the default language.
SURVEY = [
    [
        "type",
        "name",
        "label::Dutch (nl)",
        "label::English (en)",
        "hint::Dutch (nl)",
        "hint::English (en)",
        "required",
        "relevant",
        "constraint",
        "constraint_message::Dutch (nl)",
        "constraint_message::English (en)",
        "appearance",
    ],
    ["start", "start"],
    ["end", "end"],
    [
        "begin_group",
        "profiel",
        "Profiel",
        "Profile",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "field-list",
    ],
    [
        "select_one sector",
        "sector",
        "In welke sector werkt uw organisatie?",
        "In which sector does your organisation work?",
        None,
        None,
        "yes",
    ],
    [
        "integer",
        "medewerkers",
        "Hoeveel medewerkers heeft uw organisatie?",
        "How many people does your organisation employ?",
        "Tel personen, geen fte.",
        "Count people, not FTE.",
        "yes",
        None,
        ". >= 1 and . <= 100000",
        "Tussen 1 en 100.000",
        "Between 1 and 100,000",
    ],
    [
        "select_one regio",
        "regio",
        "In welke regio is uw organisatie gevestigd?",
        "In which region is your organisation located?",
    ],
    ["end_group"],
    ["begin group", "werving", "Werving", "Recruitment"],
    [
        "select_one yes_no",
        "vacatures",
        "Heeft u openstaande vacatures?",
        "Do you have open vacancies?",
        None,
        None,
        "true",
    ],
    [
        "integer",
        "aantal_vacatures",
        "Hoeveel vacatures staan open?",
        "How many vacancies are open?",
        None,
        None,
        None,
        "${vacatures} = 'yes'",
        ". > 0",
    ],
    [
        "select_multiple kanalen",
        "kanalen",
        "Via welke kanalen werft u?",
        "Which channels do you recruit through?",
        None,
        None,
        None,
        "${vacatures} = 'yes' and ${aantal_vacatures} >= 5",
    ],
    [
        "select_one functies or_other",
        "moeilijkst",
        "Welke functie is het moeilijkst te vervullen?",
        "Which position is hardest to fill?",
        None,
        None,
        None,
        "selected(${kanalen}, 'uwv') or selected(${kanalen}, 'bureau')",
    ],
    [
        "decimal",
        "aandeel",
        "Welk deel van de vacatures is moeilijk vervulbaar?",
        "What share of the vacancies is hard to fill?",
        "Een getal tussen 0 en 1.",
        "A number between 0 and 1.",
        None,
        "${aantal_vacatures} != ''",
        ". >= 0 and . <= 1",
    ],
    ["end group"],
    [
        "begin_group",
        "afsluiting",
        "Tot slot",
        "Finally",
        None,
        None,
        None,
        "${sector} != 'overheid'",
    ],
    ["note", "dank", "Bedankt voor het invullen!", "Thank you for taking part!"],
    [
        "text",
        "toelichting",
        "Wilt u nog iets toelichten?",
        "Anything you would like to add?",
        None,
        None,
        None,
        "${regio} != 'zuid' or ${medewerkers} > 250",
        None,
        None,
        None,
        "multiline",
    ],
    [
        "text",
        "contact",
        "Mogen we contact opnemen? Laat uw e-mailadres achter.",
        "May we contact you? Leave your e-mail address.",
        None,
        None,
        "no",
        "${medewerkers} <= 50 and not(${sector} = 'zorg') and ${aantal_vacatures} < 3",
    ],
    ["end_group"],
]
CHOICES = [
    ["list_name", "name", "label::Dutch (nl)", "label::English (en)"],
    ["sector", "zorg", "Zorg en welzijn", "Health and social care"],
    ["sector", "industrie", "Industrie en chemie", "Industry and chemicals"],
    ["sector", "ict", "ICT", "ICT"],
    ["sector", "overheid", "Overheid", "Government"],
    ["regio", "noord", "Noord-Limburg", "North Limburg"],
    ["regio", "midden", "Midden-Limburg", "Central Limburg"],
    ["regio", "zuid", "Zuid-Limburg", "South Limburg"],
    ["yes_no", "yes", "Ja", "Yes"],
    ["yes_no", "no", "Nee", "No"],
    ["kanalen", "uwv", "UWV", "Public employment service"],
    ["kanalen", "bureau", "Uitzend- of wervingsbureau", "Recruitment agency"],
    ["kanalen", "website", "Eigen website", "Own website"],
    ["functies", "techniek", "Technisch", "Technical"],
    ["functies", "zorg", "Zorg", "Care"],
    ["functies", "ict", "ICT", "ICT"],
]
SETTINGS = [
    ["form_title", "form_id", "default_language", "version"],
    ["Werkgeverspeiling", "werkgeverspeiling", "Dutch (nl)", "2024061201"],
]

# A form using what the instrument format cannot express.
UNSUPPORTED_SURVEY = [
    ["type", "name", "label", "relevant", "constraint", "calculation", "choice_filter"],
    ["text", "naam", "Naam van het bedrijf"],
    ["geopoint", "locatie", "Locatie van het bedrijf"],
    ["calculate", "dubbel", None, None, None, "${medewerkers} * 2"],
    ["integer", "medewerkers", "Aantal medewerkers"],
    ["date", "opgericht", "Datum van oprichting"],
    ["select_one plaats", "plaats", "Plaats", None, None, None, "regio=${regio}"],
    ["text", "toelichting", "Toelichting", "string-length(${naam}) > 3"],
    ["text", "code", "Code", None, "regex(., '^[0-9]{4}$')"],
    ["begin_repeat", "vestigingen", "Vestigingen"],
    ["text", "vestiging", "Vestiging"],
    ["end_repeat"],
]
UNSUPPORTED_CHOICES = [["list_name", "name", "label"], ["plaats", "venlo", "Venlo"]]


def write_xlsform(path, survey, choices=None, settings=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = workbook.create_sheet(title)
            for row in rows:
                extra.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def kobo_form(tmp_path):
    return write_xlsform(tmp_path / "werkgeverspeiling.xlsx", SURVEY, CHOICES, SETTINGS)


@pytest.fixture
def unsupported_form(tmp_path):
    return write_xlsform(tmp_path / "onvertaalbaar.xlsx", UNSUPPORTED_SURVEY, UNSUPPORTED_CHOICES)


def items_of(definition):
    return {item["key"]: item for s in definition["sections"] for item in s["items"]}


# ----------------------------------------------------------------------- the realistic form


def test_the_fixture_is_a_valid_xlsform_for_pyxform(kobo_form):
    result = convert(xlsform=str(kobo_form))

    assert "<h:title>Werkgeverspeiling</h:title>" in result.xform


def test_groups_become_sections_and_the_result_is_valid(kobo_form):
    definition = convert_xlsform(kobo_form).definition

    assert validate_definition(definition) == []
    assert definition["key"] == "werkgeverspeiling"
    assert definition["title"] == {"nl": "Werkgeverspeiling", "en": "Werkgeverspeiling"}
    assert definition["languages"] == ["nl", "en"]
    assert [
        (s["key"], s["title"]["en"], [i["key"] for i in s["items"]]) for s in definition["sections"]
    ] == [
        ("profiel", "Profile", ["sector", "medewerkers", "regio"]),
        (
            "werving",
            "Recruitment",
            ["vacatures", "aantal_vacatures", "kanalen", "moeilijkst", "aandeel"],
        ),
        ("afsluiting", "Finally", ["dank", "toelichting", "contact"]),
    ]


def test_question_types_labels_hints_and_required_are_translated(kobo_form):
    items = items_of(convert_xlsform(kobo_form).definition)

    assert items["sector"] == {
        "key": "sector",
        "type": "single_choice",
        "choices": [
            {"value": "zorg", "label": {"nl": "Zorg en welzijn", "en": "Health and social care"}},
            {
                "value": "industrie",
                "label": {"nl": "Industrie en chemie", "en": "Industry and chemicals"},
            },
            {"value": "ict", "label": {"nl": "ICT", "en": "ICT"}},
            {"value": "overheid", "label": {"nl": "Overheid", "en": "Government"}},
        ],
        "text": {
            "nl": "In welke sector werkt uw organisatie?",
            "en": "In which sector does your organisation work?",
        },
        "required": True,
    }
    assert items["medewerkers"]["help"] == {
        "nl": "Tel personen, geen fte.",
        "en": "Count people, not FTE.",
    }
    assert (items["medewerkers"]["type"], items["medewerkers"]["integer"]) == ("number", True)
    assert (items["medewerkers"]["min"], items["medewerkers"]["max"]) == (1, 100000)
    assert (items["aandeel"]["integer"], items["aandeel"]["min"], items["aandeel"]["max"]) == (
        False,
        0,
        1,
    )
    assert items["aantal_vacatures"]["min"] == 1
    assert items["vacatures"]["required"] is True
    assert items["kanalen"]["type"] == "multiple_choice"
    assert (items["moeilijkst"]["type"], items["moeilijkst"]["other"]) == ("single_choice", True)
    assert items["dank"]["type"] == "note"
    assert items["toelichting"]["type"] == "long_text"
    assert items["contact"]["type"] == "short_text"
    assert "required" not in items["contact"]


def test_relevance_becomes_show_if_with_group_relevance_on_every_item(kobo_form):
    items = items_of(convert_xlsform(kobo_form).definition)
    group = {"item": "sector", "op": "not_equals", "value": "overheid"}

    assert items["aantal_vacatures"]["show_if"] == {
        "item": "vacatures",
        "op": "equals",
        "value": "yes",
    }
    assert items["kanalen"]["show_if"] == {
        "all": [
            {"item": "vacatures", "op": "equals", "value": "yes"},
            {"item": "aantal_vacatures", "op": "gte", "value": 5},
        ]
    }
    assert items["moeilijkst"]["show_if"] == {
        "any": [
            {"item": "kanalen", "op": "equals", "value": "uwv"},
            {"item": "kanalen", "op": "equals", "value": "bureau"},
        ]
    }
    assert items["aandeel"]["show_if"] == {"item": "aantal_vacatures", "op": "answered"}
    assert items["dank"]["show_if"] == group
    assert items["toelichting"]["show_if"] == {
        "all": [
            group,
            {
                "any": [
                    {"item": "regio", "op": "not_equals", "value": "zuid"},
                    {"item": "medewerkers", "op": "gt", "value": 250},
                ]
            },
        ]
    }
    assert items["contact"]["show_if"] == {
        "all": [
            group,
            {
                "all": [
                    {"item": "medewerkers", "op": "lte", "value": 50},
                    {"item": "sector", "op": "not_equals", "value": "zorg"},
                    {"item": "aantal_vacatures", "op": "lt", "value": 3},
                ]
            },
        ]
    }
    assert "show_if" not in items["sector"]


def test_what_is_skipped_is_reported_as_warnings(kobo_form):
    warnings = convert_xlsform(kobo_form).warnings

    assert warnings == [
        "werkgeverspeiling.xlsx: settings row 2: version ignored: publishing numbers the versions",
        "werkgeverspeiling.xlsx: survey row 6: column 'constraint_message::Dutch (nl)' ignored "
        "(rows 6)",
        "werkgeverspeiling.xlsx: survey row 6: column 'constraint_message::English (en)' ignored "
        "(rows 6)",
        "werkgeverspeiling.xlsx: survey row 2: metadata 'start' skipped",
        "werkgeverspeiling.xlsx: survey row 3: metadata 'end' skipped",
    ]


def test_import_command_writes_yaml_that_passes_validation(runner, kobo_form, tmp_path):
    out = tmp_path / "werkgeverspeiling.yaml"

    result = runner.invoke(
        args=["instruments", "import-xlsform", str(kobo_form), "--out", str(out)]
    )
    validated = runner.invoke(args=["instruments", "validate", str(out)])

    assert result.exit_code == 0, result.output
    assert f"wrote {out} (werkgeverspeiling: 3 sections, 10 items)" in result.output
    assert "warning: werkgeverspeiling.xlsx: survey row 2: metadata 'start' skipped" in (
        result.output
    )
    assert validated.exit_code == 0
    assert load_definition_file(out) == convert_xlsform(kobo_form).definition
    assert "text: {nl: 'Hoeveel vacatures staan open?', en: 'How many vacancies are open?'}" in (
        out.read_text("utf-8")
    )


def test_import_command_does_not_overwrite_without_force(runner, kobo_form, tmp_path):
    out = tmp_path / "bestaat.yaml"
    out.write_text("mijn werk", "utf-8")

    refused = runner.invoke(
        args=["instruments", "import-xlsform", str(kobo_form), "--out", str(out)]
    )
    forced = runner.invoke(
        args=["instruments", "import-xlsform", str(kobo_form), "--out", str(out), "--force"]
    )

    assert refused.exit_code == 1
    assert "use --force" in refused.output
    assert out.read_text("utf-8") != "mijn werk"
    assert forced.exit_code == 0


def test_plain_label_columns_are_the_default_language(tmp_path):
    path = write_xlsform(
        tmp_path / "simpel.xlsx",
        [
            ["type", "name", "label", "label::English (en)"],
            ["select_one jn", "akkoord", "Akkoord?", "Agree?"],
        ],
        [
            ["list name", "name", "label", "label::English (en)"],
            ["jn", "ja", "Ja", "Yes"],
            ["jn", "nee", "Nee", "No"],
        ],
        [["form_id", "default_language"], ["simpel", "nl"]],
    )

    definition = convert_xlsform(path).definition

    assert definition["languages"] == ["nl", "en"]
    assert definition["sections"][0]["key"] == "vragen"
    assert definition["sections"][0]["items"][0]["choices"][1] == {
        "value": "nee",
        "label": {"nl": "Nee", "en": "No"},
    }


def test_or_other_choice_in_relevance_becomes_anders(tmp_path):
    path = write_xlsform(
        tmp_path / "anders.xlsx",
        [
            ["type", "name", "label"],
            ["select_one rol or_other", "rol", "Rol"],
            [
                "text",
                "uitleg",
                "Uitleg",
            ],
        ],
        [["list_name", "name", "label"], ["rol", "docent", "Docent"]],
    )
    sheet_path = path
    workbook = openpyxl.load_workbook(sheet_path)
    workbook["survey"]["D1"] = "relevant"
    workbook["survey"]["D3"] = "selected(${rol}, 'other')"
    workbook.save(sheet_path)

    items = items_of(convert_xlsform(sheet_path).definition)

    assert items["uitleg"]["show_if"] == {"item": "rol", "op": "equals", "value": "anders"}


def test_question_names_are_turned_into_keys_and_renames_reported(tmp_path):
    path = write_xlsform(
        tmp_path / "namen.xlsx",
        [
            ["type", "name", "label", "relevant"],
            ["integer", "Q1-Leeftijd", "Leeftijd"],
            ["text", "Q2", "Waarom?", "${Q1-Leeftijd} > 30"],
        ],
    )

    result = convert_xlsform(path)
    items = items_of(result.definition)

    assert list(items) == ["q1_leeftijd", "q2"]
    assert items["q2"]["show_if"] == {"item": "q1_leeftijd", "op": "gt", "value": 30}
    assert "namen.xlsx: survey row 2: name 'Q1-Leeftijd' imported as key 'q1_leeftijd'" in (
        result.warnings
    )


# ----------------------------------------------------------------------- what cannot be imported


def test_everything_untranslatable_is_listed_with_its_row_in_one_error(unsupported_form):
    with pytest.raises(XLSFormError) as caught:
        convert_xlsform(unsupported_form)

    assert [str(p) for p in caught.value.problems] == [
        "onvertaalbaar.xlsx: survey row 4: column 'calculation' is not supported",
        "onvertaalbaar.xlsx: survey row 7: column 'choice_filter' is not supported",
        "onvertaalbaar.xlsx: survey row 3: type 'geopoint' has no equivalent in the instrument "
        "format",
        "onvertaalbaar.xlsx: survey row 4: type 'calculate' has no equivalent in the instrument "
        "format",
        "onvertaalbaar.xlsx: survey row 6: type 'date' has no equivalent in the instrument format",
        "onvertaalbaar.xlsx: survey row 8: relevant 'string-length(${naam}) > 3' cannot be "
        "translated: unknown function or word 'string-length'",
        "onvertaalbaar.xlsx: survey row 9: constraint 'regex(., '^[0-9]{4}$')' cannot be "
        "translated (only number bounds are)",
        "onvertaalbaar.xlsx: survey row 10: repeats are not supported",
        "onvertaalbaar.xlsx: survey row 12: repeats are not supported",
    ]


def test_import_command_lists_the_problems_writes_nothing_and_exits_1(
    runner, unsupported_form, tmp_path
):
    out = tmp_path / "onvertaalbaar.yaml"

    result = runner.invoke(
        args=["instruments", "import-xlsform", str(unsupported_form), "--out", str(out)]
    )

    assert result.exit_code == 1
    assert "onvertaalbaar.xlsx: survey row 3: type 'geopoint' has no equivalent" in result.output
    assert "onvertaalbaar.xlsx: not converted: 9 problem(s); nothing written" in result.output
    assert not out.exists()


def test_missing_translations_and_unknown_lists_are_problems(tmp_path):
    path = write_xlsform(
        tmp_path / "half.xlsx",
        [
            ["type", "name", "label::Dutch (nl)", "label::English (en)"],
            ["select_one kleur", "kleur", "Kleur?", None],
            ["select_one maat", "maat", "Maat?", "Size?"],
            ["text", "naam", "Naam?", "Name?"],
            ["text", "naam", "Nog een naam?", "Another name?"],
        ],
        [
            ["list_name", "name", "label::Dutch (nl)", "label::English (en)"],
            ["kleur", "rood", "Rood", "Red"],
        ],
    )

    with pytest.raises(XLSFormError) as caught:
        convert_xlsform(path)

    assert [str(p) for p in caught.value.problems] == [
        "half.xlsx: survey row 5: name 'naam' is used twice",
        "half.xlsx: survey row 2: label has no text in en (every language needs one)",
        "half.xlsx: survey row 3: choice list 'maat' is not on the choices sheet",
    ]


def test_a_workbook_that_is_not_an_xlsform_is_one_clear_problem(tmp_path):
    not_excel = tmp_path / "form.xlsx"
    not_excel.write_text("this is not a workbook", "utf-8")
    no_survey = write_xlsform(tmp_path / "leeg.xlsx", [["type", "name"]])
    workbook = openpyxl.load_workbook(no_survey)
    workbook["survey"].title = "vragen"
    workbook.save(no_survey)

    with pytest.raises(XLSFormError, match=r"form.xlsx: \(workbook\): cannot read the workbook"):
        convert_xlsform(not_excel)
    with pytest.raises(XLSFormError, match=r"leeg.xlsx: \(workbook\): there is no 'survey' sheet"):
        convert_xlsform(no_survey)


def test_problems_found_only_by_validation_point_at_the_survey_row(tmp_path):
    path = write_xlsform(
        tmp_path / "data.xlsx",
        [["type", "name", "label"], ["text", "data", "Gegevens"]],
    )

    with pytest.raises(XLSFormError) as caught:
        convert_xlsform(path)

    assert [str(p) for p in caught.value.problems] == [
        "data.xlsx: survey row 2: key: key 'data' is reserved by the questionnaire forms; "
        "choose another"
    ]


# ----------------------------------------------------------------------- expressions


@pytest.mark.parametrize(
    ("expression", "condition"),
    [
        ("${x} = 'a'", {"item": "x", "op": "equals", "value": "a"}),
        ('${x}="a"', {"item": "x", "op": "equals", "value": "a"}),
        ("${x} != 'a'", {"item": "x", "op": "not_equals", "value": "a"}),
        ("${x} > 3", {"item": "x", "op": "gt", "value": 3}),
        ("${x} < 2.5", {"item": "x", "op": "lt", "value": 2.5}),
        ("${x} >= '18'", {"item": "x", "op": "gte", "value": 18}),
        ("${x} <= -1", {"item": "x", "op": "lte", "value": -1}),
        ("3 < ${x}", {"item": "x", "op": "gt", "value": 3}),
        ("${x} = 2", {"item": "x", "op": "equals", "value": 2}),
        ("selected(${x}, 'a')", {"item": "x", "op": "equals", "value": "a"}),
        ('selected( ${x} , "a b" )', {"item": "x", "op": "equals", "value": "a b"}),
        ("${x} != ''", {"item": "x", "op": "answered"}),
        ("count-selected(${x}) > 0", {"item": "x", "op": "answered"}),
        ("not(selected(${x}, 'a'))", {"item": "x", "op": "not_equals", "value": "a"}),
        ("not(${x} > 3)", {"item": "x", "op": "lte", "value": 3}),
        (
            "${a} = 'x' and ${b} = 'y' and ${c} = 'z'",
            {
                "all": [
                    {"item": "a", "op": "equals", "value": "x"},
                    {"item": "b", "op": "equals", "value": "y"},
                    {"item": "c", "op": "equals", "value": "z"},
                ]
            },
        ),
        (
            "${a} = 'x' or ${b} = 'y' and ${c} = 'z'",
            {
                "any": [
                    {"item": "a", "op": "equals", "value": "x"},
                    {
                        "all": [
                            {"item": "b", "op": "equals", "value": "y"},
                            {"item": "c", "op": "equals", "value": "z"},
                        ]
                    },
                ]
            },
        ),
        (
            "(${a} = 'x' or ${b} = 'y') and ${c} != ''",
            {
                "all": [
                    {
                        "any": [
                            {"item": "a", "op": "equals", "value": "x"},
                            {"item": "b", "op": "equals", "value": "y"},
                        ]
                    },
                    {"item": "c", "op": "answered"},
                ]
            },
        ),
        (
            "not(${a} = 'x' or ${b} < 2)",
            {
                "all": [
                    {"item": "a", "op": "not_equals", "value": "x"},
                    {"item": "b", "op": "gte", "value": 2},
                ]
            },
        ),
    ],
)
def test_common_relevant_expressions_become_conditions(expression, condition):
    assert parse_relevant(expression) == condition


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("string-length(${x}) > 3", "unknown function or word 'string-length'"),
        ("${x} = ''", "(unanswered) cannot be expressed"),
        ("${x} = ${y}", "does not compare a question with a value"),
        ("${x} > 'veel'", "compares with a text, not a number"),
        ("not(${x} != '')", "not(...) of 'answered' cannot be expressed"),
        ("${x} = 'a' and", "the expression ends too early"),
        ("${x} = 'a' 'b'", "unexpected"),
        ("${x} + 1 > 2", "cannot read"),
        ("count-selected(${x}) > 2", "only '> 0' is understood"),
    ],
)
def test_other_expressions_are_refused_with_a_reason(expression, reason):
    with pytest.raises(Unsupported, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_relevant(expression)


@pytest.mark.parametrize(
    ("constraint", "integer", "bounds"),
    [
        (". >= 0 and . <= 100", True, (0, 100)),
        (".>=18", True, (18, None)),
        (". > 0", True, (1, None)),
        (". < 10 and . > 2", True, (3, 9)),
        ("(. >= 0.5) and (. <= 2.5)", False, (0.5, 2.5)),
    ],
)
def test_number_constraints_become_min_and_max(constraint, integer, bounds):
    assert parse_bounds(constraint, integer=integer) == bounds


def test_strict_bounds_on_decimals_and_other_constraints_are_refused():
    with pytest.raises(Unsupported, match="strict bound"):
        parse_bounds(". > 0", integer=False)
    with pytest.raises(Unsupported, match="only bounds"):
        parse_bounds(". != 5", integer=True)


def test_the_yaml_written_keeps_the_field_order_of_the_format(kobo_form):
    from surveys.definition.xlsform import dump_yaml

    text = dump_yaml(convert_xlsform(kobo_form).definition)
    data = yaml.safe_load(text)

    assert list(data) == ["key", "title", "languages", "respondent_groups", "sections"]
    assert text.startswith("key: werkgeverspeiling\ntitle: {nl: Werkgeverspeiling, en: ")


def test_nested_groups_become_sections_of_their_own_carrying_both_relevances(tmp_path):
    path = write_xlsform(
        tmp_path / "genest.xlsx",
        [
            ["type", "name", "label", "relevant"],
            ["integer", "leeftijd", "Leeftijd"],
            ["begin group", "werk", "Werk", "${leeftijd} >= 16"],
            ["text", "functie", "Functie"],
            ["begin group", "leiding", "Leidinggeven", "${functie} != ''"],
            ["integer", "team", "Hoe groot is uw team?"],
            ["end group"],
            ["text", "sector", "Sector"],
            ["end group"],
        ],
    )

    definition = convert_xlsform(path).definition

    assert [(s["key"], [i["key"] for i in s["items"]]) for s in definition["sections"]] == [
        ("vragen", ["leeftijd"]),
        ("werk", ["functie"]),
        ("leiding", ["team"]),
        ("werk_2", ["sector"]),
    ]
    assert items_of(definition)["team"]["show_if"] == {
        "all": [
            {"item": "leeftijd", "op": "gte", "value": 16},
            {"item": "functie", "op": "answered"},
        ]
    }
    assert definition["sections"][3]["title"] == {"nl": "Werk"}
