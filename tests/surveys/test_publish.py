"""Publishing immutable instrument versions, the change report, and their commands."""

import copy
import hashlib
import json

import pytest
import yaml
from sqlalchemy import func, select

from surveys.db import db
from surveys.definition import DefinitionError, compare
from surveys.definition.loader import INSTRUMENTS_DIR
from surveys.definition.publish import get_version, publish_definition, publish_file
from surveys.models import Instrument, InstrumentVersion
from tests.surveys.test_definition_example import example_definition, example_yaml, find_item


def version_count() -> int:
    return db.session.scalar(select(func.count()).select_from(InstrumentVersion))


def write(tmp_path, definition, name="sprint_evaluatie.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), "utf-8")
    return path


# ----------------------------------------------------------------------- publishing


def test_publishing_stores_version_1_with_the_sha256_of_the_canonical_json(app):
    definition = example_definition()

    result = publish_definition(definition)

    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert (result.created, result.key, result.number) == (True, "sprint_evaluatie", 1)
    assert result.version.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert result.version.definition == definition
    assert result.version.instrument.title == "Evaluatie intervisiesprint"
    assert str(result) == "published sprint_evaluatie v1"


def test_republishing_an_unchanged_definition_is_a_no_op(app):
    first = publish_definition(example_definition())

    again = publish_definition(example_definition())

    assert again.created is False
    assert again.version.id == first.version.id
    assert str(again) == "unchanged sprint_evaluatie v1"
    assert version_count() == 1


def test_a_reformatted_file_with_the_same_content_is_unchanged(app, tmp_path):
    publish_file(write(tmp_path, example_definition()))
    reordered = dict(reversed(list(example_definition().items())))
    flow = tmp_path / "flow.yaml"
    flow.write_text(yaml.safe_dump(reordered, default_flow_style=True), "utf-8")

    assert str(publish_file(flow)) == "unchanged sprint_evaluatie v1"


def test_a_changed_definition_becomes_the_next_version(app):
    publish_definition(example_definition())
    changed = example_definition()
    find_item(changed, "sector")["text"]["nl"] = "In welke branche werkt uw organisatie?"

    result = publish_definition(changed)

    assert (result.created, result.number) == (True, 2)
    assert [v.number for v in db.session.scalar(select(Instrument)).versions] == [1, 2]
    assert get_version("sprint_evaluatie").number == 2
    assert get_version("sprint_evaluatie", 1).definition == example_definition()


def test_publishing_earlier_content_again_returns_that_version(app):
    publish_definition(example_definition())
    changed = example_definition()
    changed["min_answered"] = 0.75
    publish_definition(changed)

    assert str(publish_definition(example_definition())) == "unchanged sprint_evaluatie v1"
    assert version_count() == 2


def test_an_invalid_definition_is_not_published(app):
    broken = example_definition()
    find_item(broken, "doel_bereikt")["type"] = "likret5"

    with pytest.raises(DefinitionError, match="unknown item type 'likret5'"):
        publish_definition(broken)

    assert version_count() == 0


def test_a_published_version_cannot_be_changed(app):
    version = publish_definition(example_definition()).version
    changed = copy.deepcopy(version.definition)
    changed["min_answered"] = 0.9
    version.definition = changed

    with pytest.raises(ValueError, match="immutable"):
        db.session.commit()
    db.session.rollback()


def test_get_version_says_what_is_missing(app):
    with pytest.raises(LookupError, match="no instrument 'hr_scan' has been published"):
        get_version("hr_scan")
    publish_definition(example_definition())
    with pytest.raises(LookupError, match="has no version 3"):
        get_version("sprint_evaluatie", 3)


# ----------------------------------------------------------------------- the change report


def test_an_identical_definition_has_no_changes_and_everything_comparable():
    report = compare(example_definition(), example_definition())

    assert report.unchanged
    assert len(report.comparable) == 14


def test_added_and_removed_items_are_listed():
    new = example_definition()
    new["sections"][2]["items"].pop(2)
    find_item(new, "werkwijze")["rows"].append(
        {"key": "tempo", "text": {"nl": "Het tempo was goed.", "en": "The pace was right."}}
    )

    report = compare(example_definition(), new)

    assert report.added == ["tempo"]
    assert report.removed == ["volgend_thema"]


def test_rewording_of_texts_follow_up_texts_and_choice_labels_is_listed_per_language():
    new = example_definition()
    find_item(new, "sector")["text"]["en"] = "Which sector is your organisation in?"
    find_item(new, "doel_bereikt")["text_followup"]["nl"] = "Het doel is bereikt."
    find_item(new, "sector")["choices"][0]["label"]["nl"] = "Zorg"

    report = compare(example_definition(), new)

    assert [(r.key, r.field, r.lang, r.new) for r in report.reworded] == [
        ("sector", "text", "en", "Which sector is your organisation in?"),
        ("sector", "choices.zorg", "nl", "Zorg"),
        ("doel_bereikt", "text_followup", "nl", "Het doel is bereikt."),
    ]
    assert "sector" in report.comparable
    assert report.rescaled == []


def test_changes_of_type_scale_or_choice_values_are_rescalings_and_not_comparable():
    new = example_definition()
    find_item(new, "doel_bereikt")["type"] = "likert7"
    find_item(new, "werkwijze")["scale"] = "maturity"
    find_item(new, "sector")["choices"].pop()
    find_item(new, "medewerkers")["integer"] = False

    report = compare(example_definition(), new)

    assert [(r.key, r.old, r.new) for r in report.rescaled] == [
        (
            "sector",
            "single_choice [zorg, industrie, techniek, ict, anders]",
            "single_choice [zorg, industrie, techniek, anders]",
        ),
        ("medewerkers", "number (whole)", "number (decimal)"),
        ("doel_bereikt", "likert5", "likert7"),
        ("niet_praten_maar_doen", "likert5", "maturity"),
        ("focus_doel", "likert5", "maturity"),
        ("tijd_verspild", "likert5", "maturity"),
    ]
    assert "sector" not in report.comparable
    assert len(report.comparable) == 14 - 6


def test_a_standalone_item_moved_into_a_matrix_of_the_same_scale_stays_comparable():
    new = example_definition()
    items = new["sections"][1]["items"]
    moved = items.pop(1)
    find_item(new, "werkwijze")["rows"].insert(
        0, {"key": moved["key"], "text": moved["text"], "domain": moved["domain"]}
    )

    report = compare(example_definition(), new)

    assert "doel_bereikt" in report.comparable
    assert report.rescaled == []


def test_moved_domain_and_changed_reverse_coding_are_listed():
    new = example_definition()
    find_item(new, "borging_plan")["domain"] = "opbrengst"
    find_item(new, "werkwijze")["rows"][2]["reverse"] = False
    new["domains"].pop(2)

    report = compare(example_definition(), new)

    assert [(m.key, m.old, m.new) for m in report.moved_domain] == [
        ("borging_plan", "borging", "opbrengst")
    ]
    assert report.reversed == ["tijd_verspild"]


def test_the_change_report_reads_as_text():
    new = example_definition()
    find_item(new, "doel_bereikt")["type"] = "likert7"
    find_item(new, "sector")["text"]["nl"] = "Sector?"
    new["sections"][2]["items"].pop(2)

    text = compare(example_definition(), new, old_version=1, new_version=2).to_text()

    assert text.splitlines() == [
        "sprint_evaluatie: v1 -> v2",
        "removed (1): volgend_thema",
        "reworded (1):",
        "  sector [text, nl]: 'In welke sector is uw organisatie actief?' -> 'Sector?'",
        "rescaled (1), not comparable:",
        "  doel_bereikt: likert5 -> likert7",
        "comparable: 12 of 13 items in both versions (same key, same scale)",
    ]


# ----------------------------------------------------------------------- commands


def test_publish_command_prints_published_then_unchanged(app, runner, tmp_path):
    path = write(tmp_path, example_definition())

    first = runner.invoke(args=["instruments", "publish", str(path)])
    second = runner.invoke(args=["instruments", "publish", str(path)])

    assert (first.exit_code, first.output) == (0, "published sprint_evaluatie v1\n")
    assert (second.exit_code, second.output) == (0, "unchanged sprint_evaluatie v1\n")


def test_publish_command_publishes_a_changed_file_as_the_next_version(app, runner, tmp_path):
    path = write(tmp_path, example_definition())
    runner.invoke(args=["instruments", "publish", str(path)])
    changed = example_definition()
    changed["min_answered"] = 0.6
    write(tmp_path, changed)

    result = runner.invoke(args=["instruments", "publish", str(path)])

    assert result.output == "published sprint_evaluatie v2\n"


def test_publish_command_publishes_nothing_when_one_file_is_invalid(app, runner, tmp_path):
    good = write(tmp_path, example_definition(), "good.yaml")
    bad = tmp_path / "hr_scan.yaml"
    bad.write_text(example_yaml().replace("type: nps", "type: nsp"), "utf-8")

    result = runner.invoke(args=["instruments", "publish", str(good), str(bad)])

    assert result.exit_code == 1
    assert "hr_scan.yaml: sections[2].items[0].type: unknown item type 'nsp'" in result.output
    assert "nothing published" in result.output
    assert version_count() == 0


def test_publish_command_refuses_two_files_with_the_same_key(app, runner, tmp_path):
    one = write(tmp_path, example_definition(), "one.yaml")
    two = write(tmp_path, example_definition(), "two.yaml")

    result = runner.invoke(args=["instruments", "publish", str(one), str(two)])

    assert result.exit_code == 1
    assert "two.yaml: key: instrument 'sprint_evaluatie' is also in one.yaml" in result.output


def test_publish_command_takes_the_shipped_instruments_directory(app, runner):
    result = runner.invoke(args=["instruments", "publish", str(INSTRUMENTS_DIR)])

    assert result.exit_code == 0, result.output
    assert all(line.startswith("published ") for line in result.output.splitlines())


def test_diff_command_prints_the_change_report(app, runner):
    publish_definition(example_definition())
    changed = example_definition()
    find_item(changed, "doel_bereikt")["type"] = "likert7"
    publish_definition(changed)

    result = runner.invoke(
        args=["instruments", "diff", "sprint_evaluatie", "--from", "1", "--to", "2"]
    )

    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "sprint_evaluatie: v1 -> v2"
    assert "  doel_bereikt: likert5 -> likert7" in result.output.splitlines()


def test_diff_command_defaults_to_the_latest_two_versions_and_can_print_json(app, runner):
    publish_definition(example_definition())
    changed = example_definition()
    changed["sections"][2]["items"].pop(2)
    publish_definition(changed)

    result = runner.invoke(args=["instruments", "diff", "sprint_evaluatie", "--format", "json"])

    report = json.loads(result.output)
    assert (report["from"], report["to"], report["removed"]) == (1, 2, ["volgend_thema"])


def test_diff_command_explains_missing_instruments_and_versions(app, runner):
    unknown = runner.invoke(args=["instruments", "diff", "hr_scan", "--from", "1", "--to", "2"])
    publish_definition(example_definition())
    single = runner.invoke(args=["instruments", "diff", "sprint_evaluatie"])

    assert unknown.exit_code == 1
    assert "no instrument 'hr_scan' has been published" in unknown.output
    assert single.exit_code == 1
    assert "has only version 1; nothing to compare" in single.output


def test_changes_outside_the_items_are_listed():
    new = example_definition()
    new["min_answered"] = 0.75
    new["domains"].append({"key": "extra", "title": {"nl": "Extra", "en": "Extra"}})
    find_item(new, "eigenaarschap")["domain"] = "extra"
    new["respondent_groups"].pop()

    report = compare(example_definition(), new)

    assert report.other == [
        "min_answered 0.5 -> 0.75",
        "domain added: extra",
        "respondent group removed: begeleider",
    ]
    assert "changed: min_answered 0.5 -> 0.75" in report.to_text().splitlines()
