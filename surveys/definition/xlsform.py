"""XLSForm import: an ODK / KoboToolbox XLSForm (.xlsx) into our instrument definition.

The workbook is read with openpyxl (sheets `survey`, `choices`, `settings`). What has an equivalent
is translated; metadata questions and display-only columns are skipped with a warning; everything
else is a problem listed with its sheet and row number, and nothing is produced. The result is
validated like any definition, so an import either gives a valid definition or says why not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from surveys.definition import xlsform_expr
from surveys.definition.errors import DefinitionError, Problem
from surveys.definition.itemtypes import OTHER_VALUE, get_type
from surveys.definition.validate import validate_definition

#: Questions XLSForm fills in by itself (timestamps, device ids); skipped with a warning.
METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "imei",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "start-geopoint",
        "background-geopoint",
    }
)
#: Columns that only change how a question looks or what message it shows: skipped with a warning.
DISPLAY_COLUMNS = frozenset(
    {
        "constraint_message",
        "required_message",
        "guidance_hint",
        "media::image",
        "media::audio",
        "media::video",
        "media::big-image",
        "image",
        "audio",
        "video",
        "big-image",
        "read_only",
        "note",
        "label_note",
        "tag",
    }
)
#: Columns that change behaviour we cannot reproduce: a value there is a problem.
UNSUPPORTED_COLUMNS = frozenset(
    {
        "default",
        "calculation",
        "choice_filter",
        "repeat_count",
        "trigger",
        "parameters",
        "body::accuracythreshold",
        "body::intent",
        "instance::",
    }
)
_SURVEY_ALIASES = {
    "bind::relevant": "relevant",
    "relevance": "relevant",
    "bind::required": "required",
    "bind::constraint": "constraint",
    "constraint message": "constraint_message",
    "bind::jr:constraintmsg": "constraint_message",
    "required message": "required_message",
    "bind::jr:requiredmsg": "required_message",
    "bind::calculate": "calculation",
    "choice filter": "choice_filter",
    "repeat count": "repeat_count",
    "jr:count": "repeat_count",
    "caption": "label",
    "bind::readonly": "read_only",
    "control::appearance": "appearance",
    "guidance hint": "guidance_hint",
}
_LANGUAGE_NAMES = {
    "dutch": "nl",
    "nederlands": "nl",
    "english": "en",
    "engels": "en",
    "french": "fr",
    "français": "fr",
    "german": "de",
    "deutsch": "de",
    "spanish": "es",
    "español": "es",
    "portuguese": "pt",
    "italian": "it",
    "arabic": "ar",
    "turkish": "tr",
    "polish": "pl",
    "swahili": "sw",
}
_GROUP_LABELS = {"nl": "Respondenten", "en": "Respondents"}
_KEY_CLEAN = re.compile(r"[^a-z0-9_]+")
_TRUE = {"yes", "true", "true()", "1", "y", "ja"}
_FALSE = {"no", "false", "false()", "0", "n", "nee", ""}


class XLSFormError(DefinitionError):
    """The XLSForm cannot be converted; `problems` name the sheet and row of each cause."""


@dataclass(frozen=True)
class ImportResult:
    """A converted, valid definition and the warnings about what was skipped."""

    definition: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]

    def get(self, column: str) -> str:
        return _cell_text(self.cells.get(column))


@dataclass
class _Sheet:
    name: str
    columns: list[str]
    rows: list[_Row]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_name(header: Any, aliases: dict[str, str]) -> str:
    text = _cell_text(header)
    if "::" in text:
        base, _, rest = text.partition("::")
        base = base.strip().lower()
        full = f"{base}::{rest.strip().lower()}"
        if full in aliases:
            return aliases[full]
        if base in ("media", "bind", "body", "control", "instance"):
            return full
        return f"{aliases.get(base, base)}::{rest.strip()}"
    lowered = text.lower()
    return aliases.get(lowered, lowered.replace(" ", "_"))


def _read_sheet(workbook: Any, wanted: str, aliases: dict[str, str]) -> _Sheet | None:
    for title in workbook.sheetnames:
        if title.strip().lower() == wanted:
            break
    else:
        return None
    rows_iter = workbook[title].iter_rows(values_only=True)
    header = next(rows_iter, None) or ()
    columns = [_column_name(h, aliases) for h in header]
    rows: list[_Row] = []
    for number, values in enumerate(rows_iter, start=2):
        cells = {
            column: value
            for column, value in zip(columns, values, strict=False)
            if column and _cell_text(value) != ""
        }
        if cells:
            rows.append(_Row(number, cells))
    return _Sheet(title, columns, rows)


def _language(label: str) -> str | None:
    """'Dutch (nl)' -> 'nl', 'English' -> 'en', 'nl' -> 'nl'; None when it cannot be told."""
    match = re.search(r"\(\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)?\s*\)\s*$", label)
    if match:
        return match.group(1).lower()
    name = label.strip().lower()
    if re.fullmatch(r"[a-z]{2}", name):
        return name
    return _LANGUAGE_NAMES.get(name)


def _key(name: str) -> str:
    key = _KEY_CLEAN.sub("_", name.strip().lower()).strip("_")
    key = re.sub(r"_+", "_", key)
    if not key or not key[0].isalpha():
        key = f"q_{key}".rstrip("_")
    return key[:60]


class _Converter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.name
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    # ---- reporting

    def problem(self, sheet: str, row: int | None, message: str) -> None:
        where = f"{sheet} row {row}" if row else sheet
        self.problems.append(Problem(self.file, where, message))

    def warn(self, sheet: str, row: int | None, message: str) -> None:
        where = f"{sheet} row {row}" if row else sheet
        self.warnings.append(f"{self.file}: {where}: {message}")

    # ---- reading

    def run(self) -> ImportResult:
        try:
            import openpyxl

            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:
            raise XLSFormError(
                [Problem(self.file, "(workbook)", f"cannot read the workbook: {error}")]
            ) from None
        try:  # sheets are parsed lazily: a broken sheet shows here
            survey = _read_sheet(workbook, "survey", _SURVEY_ALIASES)
            choices = _read_sheet(workbook, "choices", {"list name": "list_name"})
            settings = _read_sheet(workbook, "settings", {})
        except Exception as error:
            raise XLSFormError(
                [Problem(self.file, "(workbook)", f"cannot read a sheet of the workbook: {error}")]
            ) from None
        finally:
            workbook.close()
        if survey is None:
            raise XLSFormError([Problem(self.file, "(workbook)", "there is no 'survey' sheet")])
        for column in ("type", "name"):
            if column not in survey.columns:
                self.problem("survey", 1, f"the survey sheet has no '{column}' column")
        if self.problems:
            raise XLSFormError(self.problems)
        self.settings = self.read_settings(settings)
        self.languages = self.find_languages(survey, choices)
        self.lists = self.read_choices(choices)
        definition = self.convert(survey)
        if self.problems:
            raise XLSFormError(self.problems)
        definition = json.loads(json.dumps(definition))
        problems = validate_definition(definition, self.file)
        if problems:
            raise XLSFormError([self.locate(p) for p in problems])
        return ImportResult(definition, self.warnings)

    def read_settings(self, sheet: _Sheet | None) -> dict[str, str]:
        if sheet is None or not sheet.rows:
            return {}
        row = sheet.rows[0]
        known = {"form_id", "form_title", "default_language", "version"}
        for column in row.cells:
            if column not in known:
                self.warn("settings", row.number, f"setting '{column}' ignored")
        if row.get("version"):
            self.warn("settings", row.number, "version ignored: publishing numbers the versions")
        return {column: row.get(column) for column in known if row.get(column)}

    def find_languages(self, survey: _Sheet, choices: _Sheet | None) -> list[str]:
        found: list[str] = []
        plain = False
        for sheet in (survey, choices):
            if sheet is None:
                continue
            for column in sheet.columns:
                base, sep, label = column.partition("::")
                if base not in ("label", "hint") or not column:
                    continue
                if not sep:
                    plain = plain or base == "label"
                    continue
                lang = _language(label)
                if lang is None:
                    self.problem(
                        sheet.name,
                        1,
                        f"cannot tell the language of column '{column}'; "
                        f"name it like '{base}::English (en)'",
                    )
                elif lang not in found:
                    found.append(lang)
        default = self.settings.get("default_language")
        default_lang = _language(default) if default else None
        if default and default_lang is None:
            self.problem("settings", 2, f"cannot tell the language of default_language '{default}'")
        if plain:
            if default_lang is None:
                default_lang = "nl" if "nl" not in found else None
                if default_lang:
                    self.warn("survey", 1, "plain 'label' columns taken as Dutch (nl)")
            self.plain_language = default_lang
        else:
            self.plain_language = None
        ordered = [default_lang] if default_lang else []
        ordered += [lang for lang in found if lang != default_lang]
        if not ordered:
            ordered = ["nl"]
        return ordered

    def texts(self, sheet: str, row: _Row, base: str, *, required: bool) -> dict[str, str] | None:
        """The translations of column `base` (label, hint) of a row, all languages or a problem."""
        texts: dict[str, str] = {}
        for column, value in row.cells.items():
            column_base, sep, label = column.partition("::")
            if column_base != base:
                continue
            lang = _language(label) if sep else self.plain_language
            if lang and _cell_text(value):
                texts.setdefault(lang, _cell_text(value))
        if not texts:
            if required:
                self.problem(sheet, row.number, f"no {base}")
            return None
        missing = [lang for lang in self.languages if lang not in texts]
        if missing:
            self.problem(
                sheet,
                row.number,
                f"{base} has no text in {', '.join(missing)} (every language needs one)",
            )
            return None
        for text in texts.values():
            if "${" in text:
                self.warn(
                    sheet,
                    row.number,
                    f"{base} refers to an answer ({text}); it is shown as written",
                )
                break
        return {lang: texts[lang] for lang in self.languages}

    def read_choices(self, sheet: _Sheet | None) -> dict[str, list[dict[str, Any]]]:
        lists: dict[str, list[dict[str, Any]]] = {}
        if sheet is None:
            return lists
        for column in sheet.columns:
            base = column.partition("::")[0]
            if column and base not in ("list_name", "name", "label") and not column.startswith("$"):
                self.warn("choices", 1, f"column '{column}' ignored")
        for row in sheet.rows:
            list_name, value = row.get("list_name"), row.get("name")
            if not list_name:
                self.problem("choices", row.number, "no list_name")
                continue
            if not value:
                self.problem("choices", row.number, f"a choice of list '{list_name}' has no name")
                continue
            label = self.texts("choices", row, "label", required=True)
            entries = lists.setdefault(list_name, [])
            if any(entry["value"] == value for entry in entries):
                self.problem("choices", row.number, f"choice '{value}' twice in list '{list_name}'")
                continue
            entries.append({"value": value, "label": label or {}, "row": row.number})
        return lists

    # ---- converting

    def convert(self, survey: _Sheet) -> dict[str, Any]:
        self.warn_columns(survey)
        keys = self.name_keys(survey)
        self.keys = keys
        title_text = self.settings.get("form_title") or self.settings.get("form_id")
        title_text = title_text or self.path.stem
        form_key = _key(self.settings.get("form_id") or self.path.stem)
        sections: list[dict[str, Any]] = []
        self.section_keys: set[str] = set()
        self.rows_of: dict[str, int] = {}
        stack: list[dict[str, Any]] = []  # open groups: key, title, condition, row
        current: dict[str, Any] | None = None
        for row in survey.rows:
            words = _type_words(row.get("type"))
            head = words[0] if words else ""
            if not head:
                self.problem("survey", row.number, "no type")
                continue
            if head == "begin_group":
                self.close(current, sections)
                current = None
                group = self.open_group(row, stack)
                stack.append(group)
                current = self.new_section(group["key"], group["title"], group["row"])
                continue
            if head == "end_group":
                if not stack:
                    self.problem("survey", row.number, "end group without a begin group")
                    continue
                self.close(current, sections)
                stack.pop()
                current = None
                continue
            if head in ("begin_repeat", "end_repeat"):
                self.problem("survey", row.number, "repeats are not supported")
                continue
            if head in METADATA_TYPES:
                self.warn("survey", row.number, f"metadata '{head}' skipped")
                continue
            item = self.item(row, words, keys, stack)
            if item is None:
                continue
            if current is None:
                if stack:
                    group = stack[-1]
                    current = self.new_section(group["key"], group["title"], row.number)
                else:
                    title = dict.fromkeys(self.languages, title_text)
                    current = self.new_section("vragen", title, row.number)
            self.rows_of[f"sections[{len(sections)}].items[{len(current['items'])}]"] = row.number
            current["items"].append(item)
        for group in stack:
            self.problem("survey", group["row"], f"group '{group['name']}' is never closed")
        self.close(current, sections)
        if not sections and not self.problems:
            self.problem("survey", None, "there are no questions to import")
        return {
            "key": form_key,
            "title": dict.fromkeys(self.languages, title_text),
            "languages": list(self.languages),
            "respondent_groups": [
                {
                    "key": "respondenten",
                    "label": {
                        lang: _GROUP_LABELS.get(lang, _GROUP_LABELS["en"])
                        for lang in self.languages
                    },
                }
            ],
            "sections": sections,
        }

    def warn_columns(self, survey: _Sheet) -> None:
        known = {"type", "name", "required", "relevant", "constraint", "appearance"}
        kobo = sorted({c for c in survey.columns if c.startswith("$")})
        if kobo:
            self.warn("survey", 1, f"columns {', '.join(kobo)} ignored (KoboToolbox bookkeeping)")
        for column in survey.columns:
            base = column.partition("::")[0]
            if not column or column in known or base in ("label", "hint") or column.startswith("$"):
                continue
            rows = [row.number for row in survey.rows if row.get(column)]
            if not rows:
                continue
            if column in UNSUPPORTED_COLUMNS or base in UNSUPPORTED_COLUMNS:
                for number in rows:
                    self.problem("survey", number, f"column '{column}' is not supported")
            elif column in DISPLAY_COLUMNS or base in DISPLAY_COLUMNS or base == "media":
                self.warn("survey", rows[0], f"column '{column}' ignored (rows {_ranges(rows)})")
            else:
                for number in rows:
                    self.problem("survey", number, f"unknown column '{column}'")

    def name_keys(self, survey: _Sheet) -> dict[str, str]:
        """Question name -> key, for every question row (renames reported, clashes problems)."""
        keys: dict[str, str] = {}
        used: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.or_other: set[str] = set()
        for row in survey.rows:
            words = _type_words(row.get("type"))
            name = row.get("name")
            if not name or not words or words[0] in _STRUCTURE:
                continue
            key = _key(name)
            if name in keys:
                self.problem("survey", row.number, f"name '{name}' is used twice")
                continue
            if key in used:
                self.problem(
                    "survey", row.number, f"name '{name}' becomes key '{key}', like '{used[key]}'"
                )
                continue
            if key != name and words[0] not in METADATA_TYPES:
                self.warn("survey", row.number, f"name '{name}' imported as key '{key}'")
            keys[name] = key
            used[key] = name
            self.kinds[name] = words[0]
            if words[-1] == "or_other":
                self.or_other.add(name)
        return keys

    def open_group(self, row: _Row, stack: list[dict[str, Any]]) -> dict[str, Any]:
        name = row.get("name") or f"groep_{row.number}"
        if not row.get("name"):
            self.problem("survey", row.number, "a group without a name")
        title = self.texts("survey", row, "label", required=False)
        if title is None:
            title = dict.fromkeys(self.languages, name)
        condition = self.condition(row, "relevant")
        if row.get("appearance") and row.get("appearance") != "field-list":
            self.warn("survey", row.number, f"appearance '{row.get('appearance')}' ignored")
        return {
            "name": name,
            "key": _key(name),
            "title": title,
            "condition": condition,
            "row": row.number,
        }

    def new_section(self, key: str, title: dict[str, str], row: int) -> dict[str, Any]:
        unique, n = key, 2
        while unique in self.section_keys:
            unique, n = f"{key}_{n}", n + 1
        self.section_keys.add(unique)
        return {"key": unique, "title": title, "items": [], "row": row}

    def close(self, section: dict[str, Any] | None, sections: list[dict[str, Any]]) -> None:
        if section is None:
            return
        row = section.pop("row")
        if section["items"]:
            sections.append(section)
        else:
            self.warn("survey", row, f"group '{section['key']}' has no questions; left out")

    def condition(self, row: _Row, column: str) -> dict[str, Any] | None:
        expression = row.get(column)
        if not expression:
            return None
        try:
            parsed = xlsform_expr.parse_relevant(expression)
        except xlsform_expr.Unsupported as error:
            self.problem(
                "survey", row.number, f"{column} '{expression}' cannot be translated: {error}"
            )
            return None
        for name in xlsform_expr.names(parsed):
            if name not in self.keys:
                self.problem("survey", row.number, f"{column} refers to unknown question '{name}'")
                return None
            if self.kinds.get(name) in METADATA_TYPES:
                self.problem(
                    "survey", row.number, f"{column} refers to '{name}', which is not imported"
                )
                return None
        return self._other_values(xlsform_expr.rename(parsed, self.keys), parsed)

    def _other_values(self, condition: dict[str, Any], parsed: dict[str, Any]) -> dict[str, Any]:
        """`selected(${x}, 'other')` on an or_other question: our "anders" option."""
        for name in ("all", "any"):
            if name in condition:
                return {
                    name: [
                        self._other_values(c, p)
                        for c, p in zip(condition[name], parsed[name], strict=True)
                    ]
                }
        if parsed["item"] in self.or_other and condition.get("value") == "other":
            return {**condition, "value": OTHER_VALUE}
        return condition

    def item(
        self, row: _Row, words: list[str], keys: dict[str, str], stack: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        head = words[0]
        name = row.get("name")
        if not name:
            self.problem("survey", row.number, f"a '{head}' question without a name")
            return None
        if name not in keys:
            return None
        item: dict[str, Any] = {"key": keys[name]}
        understood: str | None = None  # the appearance the conversion takes into account
        if head in ("select_one", "select_multiple"):
            if len(words) < 2:
                self.problem("survey", row.number, f"'{head}' without a choice list")
                return None
            other = words[-1] == "or_other"
            list_name = words[1]
            if other and len(words) == 2:
                self.problem("survey", row.number, f"'{head}' without a choice list")
                return None
            entries = self.lists.get(list_name)
            if not entries:
                self.problem(
                    "survey", row.number, f"choice list '{list_name}' is not on the choices sheet"
                )
                return None
            item["type"] = "single_choice" if head == "select_one" else "multiple_choice"
            item["choices"] = [{"value": e["value"], "label": e["label"]} for e in entries]
            if other:
                item["other"] = True
        elif head in ("integer", "int", "decimal"):
            item["type"] = "number"
            item["integer"] = head != "decimal"
        elif head in ("text", "string"):
            multiline = "multiline" in row.get("appearance").split()
            item["type"] = "long_text" if multiline else "short_text"
            understood = "multiline" if multiline else None
        elif head == "note":
            item["type"] = "note"
        else:
            self.problem(
                "survey",
                row.number,
                f"type '{row.get('type')}' has no equivalent in the instrument format",
            )
            return None
        text = self.texts("survey", row, "label", required=True)
        if text is None:
            return None
        item["text"] = text
        hint = self.texts("survey", row, "hint", required=False)
        if hint:
            item["help"] = hint
        self.required(row, item)
        self.constraint(row, item)
        appearance = row.get("appearance")
        if appearance and appearance != understood:
            self.warn("survey", row.number, f"appearance '{appearance}' ignored")
        conditions = [g["condition"] for g in stack if g["condition"]]
        own = self.condition(row, "relevant")
        if own:
            conditions.append(own)
        if conditions:
            item["show_if"] = conditions[0] if len(conditions) == 1 else {"all": conditions}
        first = ("key", "type", "text", "help", "required", "show_if")
        return {
            name: item[name]
            for name in sorted(
                item, key=lambda n: (n not in first, first.index(n) if n in first else 0)
            )
        }

    def required(self, row: _Row, item: dict[str, Any]) -> None:
        value = row.get("required").lower()
        if value in _FALSE:
            return
        if value not in _TRUE:
            self.problem(
                "survey", row.number, f"required '{row.get('required')}': only yes/no is supported"
            )
            return
        if not get_type(item["type"]).answerable:
            self.warn("survey", row.number, "required on a note ignored")
            return
        item["required"] = True

    def constraint(self, row: _Row, item: dict[str, Any]) -> None:
        expression = row.get("constraint")
        if not expression:
            return
        if not {"min", "max"} <= set(get_type(item["type"]).fields):
            self.problem(
                "survey",
                row.number,
                f"constraint '{expression}' cannot be translated (only number bounds are)",
            )
            return
        try:
            low, high = xlsform_expr.parse_bounds(expression, integer=item["integer"])
        except xlsform_expr.Unsupported as error:
            self.problem(
                "survey", row.number, f"constraint '{expression}' cannot be translated: {error}"
            )
            return
        if low is not None:
            item["min"] = low
        if high is not None:
            item["max"] = high

    def locate(self, problem: Problem) -> Problem:
        """A validation problem of the converted definition, pointed at its survey row."""
        best = ""
        for prefix in self.rows_of:
            if (problem.path == prefix or problem.path.startswith(prefix + ".")) and len(
                prefix
            ) > len(best):
                best = prefix
        if not best:
            return problem
        rest = problem.path[len(best) :].lstrip(".")
        where = f"survey row {self.rows_of[best]}"
        return Problem(
            problem.file, where, f"{rest}: {problem.message}" if rest else problem.message
        )


_STRUCTURE = frozenset({"begin_group", "end_group", "begin_repeat", "end_repeat"})


def _type_words(kind: str) -> list[str]:
    """An XLSForm type as words in canonical spelling: 'begin group' -> ['begin_group'],
    'select one yn' -> ['select_one', 'yn'], 'select all that apply x' -> ['select_multiple', 'x'].
    """
    words = kind.split()
    if not words:
        return []
    lowered = [w.lower() for w in words]
    if lowered[0] in ("begin", "end", "select") and len(words) >= 2:
        pair = f"{lowered[0]}_{lowered[1]}"
        if lowered[:4] == ["select", "all", "that", "apply"]:
            return ["select_multiple", *words[4:]]
        if pair in ("begin_group", "end_group", "begin_repeat", "end_repeat", "select_one"):
            return [pair, *words[2:]]
    return [lowered[0], *words[1:]]


def _ranges(numbers: Iterable[int]) -> str:
    numbers = sorted(numbers)
    return ", ".join(str(n) for n in numbers[:10]) + (", ..." if len(numbers) > 10 else "")


def convert_xlsform(path: str | Path) -> ImportResult:
    """Convert an XLSForm workbook into a valid definition; XLSFormError lists what cannot be."""
    return _Converter(Path(path)).run()


class _Dumper(yaml.SafeDumper):
    """Block style for structure, flow style for translations and conditions (as in the docs)."""


class _Flow(dict):
    pass


_Dumper.add_representer(
    _Flow,
    lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True),
)


def _flowing(value: Any, languages: set[str]) -> Any:
    if isinstance(value, dict):
        inner = {k: _flowing(v, languages) for k, v in value.items()}
        is_translation = (
            value and set(value) <= languages and all(isinstance(v, str) for v in value.values())
        )
        is_comparison = "item" in value and "op" in value
        return _Flow(inner) if is_translation or is_comparison else inner
    if isinstance(value, list):
        return [_flowing(v, languages) for v in value]
    return value


def dump_yaml(definition: dict[str, Any]) -> str:
    """The definition as YAML in the house style: readable, stable field order, UTF-8."""
    languages = set(definition.get("languages", []))
    return yaml.dump(
        _flowing(definition, languages),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
