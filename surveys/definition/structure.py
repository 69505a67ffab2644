"""Finding one's way in a (validated) definition: sections, items, answerable leaves, visibility."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from surveys.definition.conditions import evaluate
from surveys.definition.itemtypes import REGISTRY, leaf_type

Definition = Mapping[str, Any]


def sections(definition: Definition) -> list[dict[str, Any]]:
    """The sections (pages) in order."""
    return list(definition.get("sections") or [])


def get_section(definition: Definition, section: int | str | Mapping[str, Any]) -> dict[str, Any]:
    """A section by index, by key, or the section itself; KeyError when there is no such section."""
    if isinstance(section, Mapping):
        return dict(section)
    all_sections = sections(definition)
    if isinstance(section, int) and not isinstance(section, bool):
        if 0 <= section < len(all_sections):
            return all_sections[section]
    else:
        for candidate in all_sections:
            if candidate.get("key") == section:
                return candidate
    raise KeyError(f"no section {section!r} in instrument {definition.get('key')!r}")


def sections_for_group(definition: Definition, group: str | None) -> list[dict[str, Any]]:
    """The sections a respondent of `group` sees (all of them when `group` is None)."""
    return [
        s
        for s in sections(definition)
        if group is None or not s.get("groups") or group in s.get("groups", [])
    ]


def iter_items(definition: Definition) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """Every item with its section and item index, in questionnaire order."""
    for i, section in enumerate(sections(definition)):
        for j, item in enumerate(section.get("items") or []):
            yield i, j, item


def answer_items(definition: Definition) -> list[dict[str, Any]]:
    """The answerable items in order, matrices replaced by their rows (typed by the matrix scale).

    Each answer item's key is an answer's `item_key`; notes are left out.
    """
    return [
        dict(leaf)
        for _, _, item in iter_items(definition)
        if item.get("type") in REGISTRY
        for leaf in REGISTRY[item["type"]].leaves(item)
    ]


def item_index(definition: Definition) -> dict[str, dict[str, Any]]:
    """The answer items by key."""
    return {leaf["key"]: leaf for leaf in answer_items(definition)}


def condition_answers(
    definition: Definition,
    stored: Mapping[str, str | None],
    index: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Stored answers as conditions see them (a multiple choice becomes the list of its values).

    `index` is `item_index(definition)` when the caller has it already (it is built otherwise).
    """
    if index is None:
        index = item_index(definition)
    answers: dict[str, Any] = {}
    for key, value in stored.items():
        if value is None:
            continue
        leaf = index.get(key)
        answers[key] = leaf_type(leaf).condition_value(leaf, value) if leaf else value
    return answers


def is_shown(item: Mapping[str, Any], definition: Definition, stored: Mapping[str, Any]) -> bool:
    """Whether `item`'s show_if holds for the stored answers (items without show_if: always)."""
    condition = item.get("show_if")
    if condition is None:
        return True
    return evaluate(condition, condition_answers(definition, stored))
