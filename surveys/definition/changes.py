"""What changed between two versions of an instrument, and which results stay comparable.

Answers are compared across versions and years by item key. An item stays **comparable** when it
keeps its key and its scale (type, scale points, choice values); a reworded item is comparable but
worth a footnote; a rescaled item is not comparable; an item that moved domain changes the domain
scores it contributes to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.definition.itemtypes import leaf_type
from surveys.definition.structure import Definition, answer_items, iter_items


@dataclass(frozen=True)
class Rewording:
    """A text of an item that changed: which field, which language, from what to what."""

    key: str
    field: str  # "text", "text_followup" or "choices"
    lang: str
    old: str
    new: str


@dataclass(frozen=True)
class Rescaling:
    key: str
    old: str
    new: str


@dataclass(frozen=True)
class DomainMove:
    key: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ChangeReport:
    """The differences between two definitions of one instrument, item by item."""

    instrument: str
    old_version: int | None
    new_version: int | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reworded: list[Rewording] = field(default_factory=list)
    rescaled: list[Rescaling] = field(default_factory=list)
    moved_domain: list[DomainMove] = field(default_factory=list)
    reversed: list[str] = field(default_factory=list)
    comparable: list[str] = field(default_factory=list)
    #: changes outside the items: min_answered, domains, respondent groups, languages
    other: list[str] = field(default_factory=list)

    @property
    def items_changed(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.reworded
            or self.rescaled
            or self.moved_domain
            or self.reversed
        )

    @property
    def unchanged(self) -> bool:
        return not (self.items_changed or self.other)

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "from": self.old_version,
            "to": self.new_version,
            "added": list(self.added),
            "removed": list(self.removed),
            "reworded": [vars(r) for r in self.reworded],
            "rescaled": [vars(r) for r in self.rescaled],
            "moved_domain": [vars(m) for m in self.moved_domain],
            "reversed": list(self.reversed),
            "comparable": list(self.comparable),
            "other": list(self.other),
        }

    def to_text(self) -> str:
        """The report as coordinators read it in the terminal."""
        head = f"{self.instrument}: v{self.old_version} -> v{self.new_version}"
        lines = [head]
        if not self.items_changed:
            lines.append("no changes to items")
        if self.added:
            lines.append(f"added ({len(self.added)}): {', '.join(self.added)}")
        if self.removed:
            lines.append(f"removed ({len(self.removed)}): {', '.join(self.removed)}")
        if self.reworded:
            keys = sorted({r.key for r in self.reworded}, key=[r.key for r in self.reworded].index)
            lines.append(f"reworded ({len(keys)}):")
            for r in self.reworded:
                lines.append(f"  {r.key} [{r.field}, {r.lang}]: {r.old!r} -> {r.new!r}")
        if self.rescaled:
            lines.append(f"rescaled ({len(self.rescaled)}), not comparable:")
            lines.extend(f"  {r.key}: {r.old} -> {r.new}" for r in self.rescaled)
        if self.moved_domain:
            lines.append(f"moved domain ({len(self.moved_domain)}):")
            lines.extend(
                f"  {m.key}: {m.old or '(none)'} -> {m.new or '(none)'}" for m in self.moved_domain
            )
        if self.reversed:
            lines.append(
                f"reverse coding changed ({len(self.reversed)}): {', '.join(self.reversed)}"
            )
        lines.extend(f"changed: {change}" for change in self.other)
        both = len(self.comparable) + len(self.rescaled)
        lines.append(
            f"comparable: {len(self.comparable)} of {both} items in both versions "
            "(same key, same scale)"
        )
        return "\n".join(lines)


def _choice_labels(item: Mapping[str, Any]) -> dict[str, Mapping[str, str]]:
    return {
        str(c["value"]): c.get("label", {})
        for c in item.get("choices", [])
        if isinstance(c, Mapping) and "value" in c
    }


def compare(
    old: Definition,
    new: Definition,
    *,
    old_version: int | None = None,
    new_version: int | None = None,
) -> ChangeReport:
    """The change report from definition `old` to definition `new` (answerable items only)."""
    before = {leaf["key"]: leaf for leaf in answer_items(old)}
    after = {leaf["key"]: leaf for leaf in answer_items(new)}
    report = ChangeReport(
        instrument=str(new.get("key") or old.get("key")),
        old_version=old_version,
        new_version=new_version,
        added=[key for key in after if key not in before],
        removed=[key for key in before if key not in after],
    )
    old_items = {item.get("key"): item for _, _, item in iter_items(old)}
    new_items = {item.get("key"): item for _, _, item in iter_items(new)}
    for key, leaf in after.items():
        if key not in before:
            continue
        previous = before[key]
        for name in ("text", "text_followup"):
            old_texts = previous.get(name) or {}
            new_texts = leaf.get(name) or {}
            for lang in sorted(set(old_texts) | set(new_texts)):
                if old_texts.get(lang) != new_texts.get(lang):
                    report.reworded.append(
                        Rewording(key, name, lang, old_texts.get(lang, ""), new_texts.get(lang, ""))
                    )
        old_labels = _choice_labels(old_items.get(key, {}))
        new_labels = _choice_labels(new_items.get(key, {}))
        for value in (v for v in new_labels if v in old_labels):
            for lang in sorted(set(old_labels[value]) | set(new_labels[value])):
                was, now = old_labels[value].get(lang, ""), new_labels[value].get(lang, "")
                if was != now:
                    report.reworded.append(Rewording(key, f"choices.{value}", lang, was, now))
        if leaf_type(previous).signature(previous) != leaf_type(leaf).signature(leaf):
            report.rescaled.append(
                Rescaling(
                    key, leaf_type(previous).describe(previous), leaf_type(leaf).describe(leaf)
                )
            )
        else:
            report.comparable.append(key)
        if previous.get("domain") != leaf.get("domain"):
            report.moved_domain.append(DomainMove(key, previous.get("domain"), leaf.get("domain")))
        elif leaf.get("domain") and bool(previous.get("reverse")) != bool(leaf.get("reverse")):
            report.reversed.append(key)
    report.other.extend(_instrument_changes(old, new))
    return report


def _keys(definition: Definition, name: str) -> list[str]:
    entries = definition.get(name) or []
    return [e["key"] for e in entries if isinstance(e, Mapping) and "key" in e]


def _instrument_changes(old: Definition, new: Definition) -> list[str]:
    """Changes outside the items that affect scoring or who is asked."""
    changes: list[str] = []
    was, now = old.get("min_answered", 0.5), new.get("min_answered", 0.5)
    if was != now:
        changes.append(f"min_answered {was} -> {now}")
    for name, label in (("domains", "domain"), ("respondent_groups", "respondent group")):
        before, after = _keys(old, name), _keys(new, name)
        changes.extend(f"{label} added: {k}" for k in after if k not in before)
        changes.extend(f"{label} removed: {k}" for k in before if k not in after)
    if old.get("languages") != new.get("languages"):
        changes.append(f"languages {old.get('languages')} -> {new.get('languages')}")
    return changes


__all__ = ["ChangeReport", "DomainMove", "Rescaling", "Rewording", "compare"]
