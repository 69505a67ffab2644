"""Fuzzing what coordinators upload as questionnaires: the YAML definition loader and the XLSForm
import. Whatever comes in, the loader returns a valid definition or raises `DefinitionError` with
a list of problems, and the XLSForm import returns a valid definition or raises `XLSFormError`
with clear messages; nothing else escapes, nothing is executed, nothing explodes in memory.

tests/surveys/test_definition_fuzz.py fuzzes the validator on structures; here the YAML-level
attacks (tags, aliases, merge keys, nesting) and the workbook-level ones.
"""

import datetime
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.definition import DefinitionError, Problem, validate_definition
from surveys.definition.loader import load_definition_text
from surveys.definition.xlsform import XLSFormError, convert_xlsform

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def assert_problems(error: DefinitionError) -> None:
    assert error.problems, "an error without problems tells the coordinator nothing"
    for problem in error.problems:
        assert isinstance(problem, Problem)
        assert problem.path and problem.message and isinstance(problem.message, str)
        assert "Traceback" not in problem.message


def load_cleanly(text: str) -> None:
    try:
        definition = load_definition_text(text, "x.yaml")
    except DefinitionError as error:
        assert_problems(error)
    else:
        assert validate_definition(definition, "x.yaml") == []


# -- the YAML loader -------------------------------------------------------------------------------

YAML_FRAGMENTS = [
    "key: x", "title: {nl: T, en: T}", "languages: [nl, en]", "sections:", "  - key: s",
    "    items:", "      - {key: a, type: likert5, text: {nl: a, en: a}}",
    "respondent_groups: [{key: g, label: {nl: G, en: G}}]",
    "a: &a [1, 2]", "b: *a", "c: *undefined", "<<: *a", "d: {<<: {e: 1}}",
    "!!python/object/apply:os.system ['touch /tmp/yaml-was-executed']",
    "x: !!python/name:os.system", "y: !!binary aGVsbG8=", "z: !!timestamp 2025-01-01",
    "s: !!set {a, b}", "o: !!omap [a: 1]", "f: !!float .nan", "i: 0x1F", "big: 1e400",
    "? [complex, key]\n: value", "{.nan: 1}", "---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:",
    "\t- tab", "- - - -", "'unclosed", '"\\x00"', "k: |\n  block\n  text", "@reserved",
    "&anchor", "key: [", "key: {", "]", "}", ": :", "- ? : -", "\ufeffkey: bom",
]  # fmt: skip


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from(YAML_FRAGMENTS) | st.text(max_size=15), st.integers(0, 6)),
        max_size=14,
    )
)
def test_random_yaml_documents_give_a_definition_or_problems(lines):
    load_cleanly("\n".join(" " * indent + text for text, indent in lines))
    assert not Path("/tmp/yaml-was-executed").exists()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
                      for i in range(9)),
            id="billion-laughs",
        ),
        pytest.param("[" * 20_000 + "]" * 20_000, id="deep-flow-nesting"),
        pytest.param("a:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)), id="deep-block"),
        pytest.param("!!python/object/apply:os.system ['touch /tmp/yaml-was-executed']", id="rce"),
        pytest.param("key: " + "x" * 5_000_000, id="five-megabytes"),
        pytest.param("\x00\x01\x02", id="control-characters"),
        pytest.param("a: 1\na: 2\n", id="duplicate-keys"),
        pytest.param("- a\n- b\n", id="a-list"),
        pytest.param("", id="empty"),
    ],
)  # fmt: skip
def test_hostile_yaml_is_refused_with_problems(text):
    with pytest.raises(DefinitionError) as raised:
        load_definition_text(text, "x.yaml")

    assert_problems(raised.value)
    assert not Path("/tmp/yaml-was-executed").exists()


# -- the XLSForm import ----------------------------------------------------------------------------

SURVEY_COLUMNS = [
    "type", "name", "label", "label::English (en)", "label::Nederlands (nl)", "label::xx",
    "hint", "hint::English (en)", "required", "relevant", "constraint", "appearance",
    "calculation", "choice_filter", "default", "media::image", "constraint_message", "",
]  # fmt: skip
CHOICE_COLUMNS = ["list_name", "list name", "name", "label", "label::English (en)", "x"]
SETTINGS_COLUMNS = ["form_id", "form_title", "default_language", "version", "other"]
TYPES = [
    "text", "integer", "decimal", "note", "select_one yn", "select_multiple yn",
    "select one yn", "select all that apply yn", "select_one missing", "select_one",
    "begin_group", "begin group", "end_group", "end group", "begin_repeat", "end_repeat",
    "calculate", "geopoint", "image", "start", "end", "today", "deviceid", "range",
    "rank yn", "acknowledge", "date", "barcode", "hidden", "or_other",
]  # fmt: skip
WORDS = [
    "yn", "q1", "q2", "ja", "nee", "yes", "no", "true", "false", "${q1} = 'ja'",
    "selected(${q2}, 'ja')", "${q1} > 3 and ${nope} < 2", ". > 0", "not(${q1})",
    "count-selected(${q2}) >= 1", "English (en)", "nl", "field-list", "minimal",
    "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "", " ", "1", "2.5",
]  # fmt: skip
cell_values = (
    st.sampled_from(TYPES + WORDS)
    | st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.booleans()
    | st.dates(min_value=datetime.date(1900, 1, 1)).map(
        lambda d: datetime.datetime(d.year, d.month, d.day)
    )
    | st.none()
)


NAMES = ["q1", "q2", "yn", "1bad", "naam met spatie", "Q1", "data", "q1_other", ""]


@st.composite
def survey_rows(draw, header: list[str]) -> list:
    """A row that looks like a question: a type, a name and a label where the header has them."""
    values = {
        "type": st.sampled_from(TYPES) | cell_values,
        "name": st.sampled_from(NAMES) | cell_values,
        "label": st.sampled_from(WORDS) | cell_values,
        "relevant": st.sampled_from(WORDS) | cell_values,
        "required": st.sampled_from(["yes", "no", "true()", "ja", "", "maybe"]) | cell_values,
    }
    return [draw(values.get(column, cell_values)) for column in header]


@st.composite
def workbooks(draw) -> openpyxl.Workbook:
    """A valid .xlsx: mostly a plausible XLSForm (survey with type and name columns, a choice
    list, settings) with random columns, questions and cells; sometimes anything at all."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    mode = draw(st.sampled_from(["free", "plausible", "valid", "valid"]))
    if mode == "valid":  # a working form, then a few cells changed at random
        survey = workbook.create_sheet("survey")
        header = [
            "type",
            "name",
            "label",
            *draw(
                st.lists(
                    st.sampled_from(
                        ["hint", "required", "relevant", "appearance", "label::English (en)"]
                    ),
                    unique=True,
                    max_size=2,
                )
            ),
        ]
        survey.append(header)
        kinds = ["text", "integer", "decimal", "note", "select_one yn", "select_multiple yn"]
        rows = [
            [draw(st.sampled_from(kinds)), f"q{i}",
             draw(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                          max_size=30))]
            + [draw(st.sampled_from(["", "yes", "no", "${q0} = 'ja'", "Tekst"]))
               for _ in header[3:]]
            for i in range(draw(st.integers(1, 6)))
        ]  # fmt: skip
        for _ in range(draw(st.integers(0, 2))):
            row = draw(st.sampled_from(rows))
            row[draw(st.integers(0, len(row) - 1))] = draw(cell_values)
        for row in rows:
            survey.append(row)
        choices = workbook.create_sheet("choices")
        choices.append(["list_name", "name", "label"])
        choices.append(["yn", "ja", "Ja"])
        choices.append(["yn", "nee", "Nee"])
        return workbook
    if mode == "free":  # random sheets, headers and cells
        for title in draw(st.lists(st.sampled_from(["survey", "choices", "x"]), unique=True)):
            sheet = workbook.create_sheet(title)
            header = draw(st.lists(st.sampled_from(SURVEY_COLUMNS), max_size=6))
            sheet.append(header)
            for row in draw(st.lists(st.lists(cell_values, max_size=7), max_size=6)):
                sheet.append(row)
        if not workbook.sheetnames:
            workbook.create_sheet("leeg")
        return workbook
    survey = workbook.create_sheet(draw(st.sampled_from(["survey", "Survey", " SURVEY "])))
    extra = draw(st.lists(st.sampled_from(SURVEY_COLUMNS), max_size=4, unique=True))
    header = ["type", "name", *[c for c in extra if c not in ("type", "name")]]
    header = draw(st.permutations(header))
    survey.append(list(header))
    for _ in range(draw(st.integers(0, 8))):
        survey.append(draw(survey_rows(list(header))))
    if draw(st.booleans()):
        choices = workbook.create_sheet("choices")
        columns = [
            "list_name",
            "name",
            *draw(st.lists(st.sampled_from(CHOICE_COLUMNS), max_size=2)),
        ]
        choices.append(columns)
        for _ in range(draw(st.integers(0, 5))):
            choices.append(
                [draw(st.sampled_from(["yn", "other", ""]) | cell_values)]
                + [draw(st.sampled_from(["ja", "nee", "1", "anders"]) | cell_values)
                   for _ in columns[1:]]
            )  # fmt: skip
    if draw(st.booleans()):
        settings_sheet = workbook.create_sheet("settings")
        settings_sheet.append(draw(st.lists(st.sampled_from(SETTINGS_COLUMNS), max_size=4)))
        settings_sheet.append(draw(st.lists(st.sampled_from(WORDS) | cell_values, max_size=4)))
    return workbook


def convert_cleanly(path: Path) -> None:
    try:
        result = convert_xlsform(path)
    except XLSFormError as error:
        assert_problems(error)
        assert all(p.file == path.name for p in error.problems)
    else:
        assert validate_definition(result.definition, path.name) == []
        assert all(isinstance(w, str) for w in result.warnings)


@FUZZ
@given(workbooks())
def test_random_workbooks_give_a_definition_or_an_xlsform_error(tmp_path, workbook):
    path = tmp_path / "vragenlijst.xlsx"
    workbook.save(path)

    convert_cleanly(path)


@FUZZ
@given(st.binary(max_size=2000) | st.sampled_from([b"PK\x03\x04", b"PK\x05\x06" + b"\0" * 18]))
def test_random_bytes_saved_as_xlsx_give_an_xlsform_error(tmp_path, data):
    path = tmp_path / "vragenlijst.xlsx"
    path.write_bytes(data)

    with pytest.raises(XLSFormError) as raised:
        convert_xlsform(path)

    assert_problems(raised.value)
    assert "cannot read the workbook" in str(raised.value)


def test_a_missing_file_or_a_directory_gives_an_xlsform_error(tmp_path):
    for path in (tmp_path / "bestaat-niet.xlsx", tmp_path):
        with pytest.raises(XLSFormError) as raised:
            convert_xlsform(path)
        assert_problems(raised.value)


def _valid_xlsform(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    for number in range(1, 40):
        survey.append(["text", f"vraag_{number}", f"Vraag {number}"])
    workbook.save(path)
    return path


def _rewrite_member(source: Path, target: Path, member: str, change) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, change(data) if info.filename == member else data)
    return target


SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data.replace(b"<sheetData>", b"<!DOCTYPE x [<!ENTITY e 'x'>]><sheetData>"),
    ],
    ids=["truncated-sheet", "malformed-sheet"],
)
def test_a_workbook_with_a_broken_sheet_gives_an_xlsform_error(tmp_path, change):
    source = _valid_xlsform(tmp_path / "goed.xlsx")
    broken = _rewrite_member(source, tmp_path / "kapot.xlsx", SHEET, change)

    with pytest.raises(XLSFormError) as raised:
        convert_xlsform(broken)

    assert_problems(raised.value)


def test_a_workbook_with_an_external_entity_reads_no_local_file(tmp_path):
    """XXE: an entity pointing at a local file is refused or left unexpanded, never inlined."""
    source = _valid_xlsform(tmp_path / "goed.xlsx")
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-7f3a")
    doctype = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()

    def change(data: bytes) -> bytes:
        if data.startswith(b"<?xml"):
            declaration, _, data = data.partition(b"?>")
            doctype_at = declaration + b"?>" + doctype
        else:
            doctype_at = doctype
        return doctype_at + data.replace(b"<t>Vraag 1</t>", b"<t>&xxe;</t>", 1)

    evil = _rewrite_member(source, tmp_path / "xxe.xlsx", SHEET, change)
    try:
        result = convert_xlsform(evil)
    except Exception as error:  # XLSFormError, or the broken-sheet finding above
        assert "GEHEIM-7f3a" not in str(error)
    else:
        assert "GEHEIM-7f3a" not in repr(result)


def test_the_import_of_a_payload_workbook_keeps_the_payload_as_text(tmp_path):
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["text", "opmerking", "<script>alert(1)</script>"])
    path = tmp_path / "payload.xlsx"
    workbook.save(path)

    definition = convert_xlsform(path).definition

    assert "<script>alert(1)</script>" in repr(definition)  # text; the pages escape it
