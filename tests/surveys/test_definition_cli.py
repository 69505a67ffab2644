"""`monitor instruments validate`: ok lines, or every problem as `file: path: message`, exit 1."""

import pytest

from surveys.definition import load_definition_file, shipped_instrument_files
from surveys.definition.loader import INSTRUMENTS_DIR
from tests.surveys.test_definition_example import example_yaml


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "sprint_evaluatie.yaml"
    path.write_text(example_yaml(), "utf-8")
    return path


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "hr_scan.yaml"
    text = example_yaml().replace("type: likert5", "type: likret5")
    text = text.replace("domain: borging\n", "domain: borgen\n")
    path.write_text(text, "utf-8")
    return path


def test_validate_prints_ok_for_a_valid_file(runner, good):
    result = runner.invoke(args=["instruments", "validate", str(good)])

    assert result.exit_code == 0
    assert result.output == "ok sprint_evaluatie.yaml (sprint_evaluatie: 3 sections, 14 items)\n"


def test_validate_prints_every_problem_and_exits_1(runner, bad):
    result = runner.invoke(args=["instruments", "validate", str(bad)])

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "hr_scan.yaml: domains[2]: domain 'borging' has no items (give items 'domain: borging')",
        "hr_scan.yaml: sections[1].items[1].type: unknown item type 'likret5' "
        "(did you mean 'likert5'?)",
        "hr_scan.yaml: sections[1].items[4].domain: unknown domain 'borgen' "
        "(domains: borging, opbrengst, werkwijze)",
    ]


def test_validate_checks_every_file_given_and_fails_if_any_fails(runner, good, bad):
    result = runner.invoke(args=["instruments", "validate", str(good), str(bad)])

    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("ok sprint_evaluatie.yaml")
    assert len(result.output.splitlines()) == 4


def test_validate_takes_a_directory(runner, good, bad, tmp_path):
    result = runner.invoke(args=["instruments", "validate", str(tmp_path)])

    assert result.exit_code == 1
    assert "ok sprint_evaluatie.yaml" in result.output
    assert "hr_scan.yaml: sections[1].items[1].type" in result.output


def test_validate_reports_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["instruments", "validate", str(tmp_path / "weg.yaml")])

    assert result.exit_code == 1
    assert result.output.startswith("weg.yaml: (root): cannot read file")


def test_validate_reports_yaml_syntax_errors_as_problems(runner, tmp_path):
    path = tmp_path / "kapot.yaml"
    path.write_text("key: x\n  title: [\n", "utf-8")

    result = runner.invoke(args=["instruments", "validate", str(path)])

    assert result.exit_code == 1
    assert result.output.startswith("kapot.yaml: line 2, column ")


def test_the_shipped_instruments_pass_validation(runner):
    result = runner.invoke(args=["instruments", "validate", str(INSTRUMENTS_DIR)])

    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == len(shipped_instrument_files())


@pytest.mark.parametrize("path", shipped_instrument_files(), ids=lambda p: p.name)
def test_each_shipped_instrument_loads(path):
    definition = load_definition_file(path)

    assert f"{definition['key']}.yaml" == path.name
