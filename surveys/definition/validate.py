"""Validation of an instrument definition: every problem at once, as `file: path: message`.

`validate_definition` accepts anything (whatever YAML produced) and never raises: it returns the
list of problems, empty when the definition is good.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from surveys.definition import conditions, schema
from surveys.definition.errors import Problem, describe, quoted
from surveys.definition.forms import RESERVED_KEYS
from surveys.definition.itemtypes import COMMON_FIELDS, REGISTRY, ItemType
from surveys.definition.schema import Context, Field, join


def _check_languages(value: Any, path: str, ctx: Context) -> bool:
    if not isinstance(value, list) or not value:
        ctx.add(path, f"expected a list of language codes such as [nl, en], got {describe(value)}")
        return False
    ok = True
    for i, lang in enumerate(value):
        if not isinstance(lang, str) or not schema.LANGUAGE_PATTERN.fullmatch(lang):
            ctx.add(f"{path}[{i}]", f"expected a two-letter language code, got {describe(lang)}")
            ok = False
        elif value.index(lang) != i:
            ctx.add(f"{path}[{i}]", f"language '{lang}' is listed twice")
            ok = False
    return ok


def _group(value: Any, path: str, ctx: Context) -> bool:
    spec = {
        "key": Field(schema.key, required=True),
        "label": Field(schema.translation, required=True),
    }
    return schema.check_mapping(value, spec, path, ctx, what="a respondent group {key, label}")


def _domain(value: Any, path: str, ctx: Context) -> bool:
    spec = {
        "key": Field(schema.key, required=True),
        "title": Field(schema.translation, required=True),
        "description": Field(schema.translation),
    }
    return schema.check_mapping(value, spec, path, ctx, what="a domain {key, title}")


def _item(value: Any, path: str, ctx: Context) -> bool:
    if not isinstance(value, dict):
        ctx.add(path, f"expected an item (a mapping with key, type, text), got {describe(value)}")
        return False
    kind = value.get("type")
    if "type" not in value:
        ctx.add(path, f"missing field 'type' (one of {', '.join(REGISTRY)})")
    elif not isinstance(kind, str) or kind not in REGISTRY:
        message = f"unknown item type {quoted(kind)}"
        guess = difflib.get_close_matches(str(kind), list(REGISTRY), n=1, cutoff=0.6)
        message += (
            f" (did you mean '{guess[0]}'?)" if guess else f"; use one of {', '.join(REGISTRY)}"
        )
        ctx.add(join(path, "type"), message)
    item_type = REGISTRY.get(kind) if isinstance(kind, str) else None
    if item_type is None:
        # still check what every item has, so one bad type does not hide other problems
        for name, rule in COMMON_FIELDS.items():
            if name in value:
                rule.check(value[name], join(path, name), ctx)
            elif rule.required and name != "type":
                ctx.add(path, f"missing field '{name}'")
        return False
    elsewhere = {
        name: f"field '{name}' does not apply to item type '{kind}'"
        for other in REGISTRY.values()
        for name in other.fields
        if name not in item_type.fields
    }
    schema.check_mapping(value, item_type.fields, path, ctx, what="an item", elsewhere=elsewhere)
    item_type.check(value, path, ctx)
    return True


def _section(value: Any, path: str, ctx: Context) -> bool:
    spec = {
        "key": Field(schema.key, required=True),
        "title": Field(schema.translation, required=True),
        "intro": Field(schema.translation),
        "groups": Field(schema.list_of(schema.key, what="a list of respondent group keys")),
        "items": Field(schema.list_of(_item, what="a list of items"), required=True),
    }
    return schema.check_mapping(value, spec, path, ctx, what="a section {key, title, items}")


TOP_FIELDS: dict[str, Field] = {
    "key": Field(schema.key, required=True),
    "title": Field(schema.translation, required=True),
    "description": Field(schema.translation),
    "languages": Field(_check_languages, required=True),
    "min_answered": Field(schema.share),
    "respondent_groups": Field(
        schema.list_of(_group, what="a list of respondent groups"), required=True
    ),
    "domains": Field(schema.list_of(_domain, non_empty=False, what="a list of domains")),
    "sections": Field(schema.list_of(_section, what="a list of sections"), required=True),
}


@dataclass
class _Place:
    """Where an answer key is defined: its item's position and path."""

    order: tuple[int, int]
    path: str
    leaf: dict[str, Any] | None  # None for keys without an answer of their own (notes, matrices)
    kind: str = "item"  # "item", "row", "other", "matrix", "note"
    owner: str = ""


@dataclass
class _Index:
    places: dict[str, _Place] = field(default_factory=dict)


def validate_definition(data: Any, file: str = "<definition>") -> list[Problem]:
    """Every problem of a definition, as Problems (`file: path: message`); [] when it is valid."""
    ctx = Context(file=file)
    if not isinstance(data, dict):
        ctx.add("", f"expected an instrument definition (a mapping), got {describe(data)}")
        return ctx.problems
    languages = data.get("languages")
    probe = Context(file=file)
    if _check_languages(languages, "languages", probe):
        ctx.languages = tuple(languages)
    schema.check_mapping(data, TOP_FIELDS, "", ctx, what="an instrument definition")
    _cross_check(data, ctx)
    return sorted(ctx.problems, key=_problem_order)


def _problem_order(problem: Problem) -> tuple[Any, ...]:
    """Problems in document order: by path with list indices compared as numbers."""
    parts: list[Any] = []
    for token in problem.path.replace("]", "").replace("[", ".").split("."):
        numeric = token.isascii() and token.isdigit()
        parts.append((0, int(token), "") if numeric else (1, 0, token))
    return (parts,)


def _listed(data: dict[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(name)
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def _unique_keys(entries: list[tuple[str, Any]], ctx: Context) -> set[str]:
    seen: dict[str, str] = {}
    for path, value in entries:
        if not isinstance(value, str):
            continue
        if value in seen:
            ctx.add(path, f"duplicate key '{value}' (also {seen[value]})")
        else:
            seen[value] = path
    return set(seen)


def _cross_check(data: dict[str, Any], ctx: Context) -> None:
    """Checks across the definition: unique keys, known groups and domains, conditions."""
    groups = _unique_keys(
        [
            (f"respondent_groups[{i}].key", g.get("key"))
            for i, g in _listed(data, "respondent_groups")
        ],
        ctx,
    )
    domains = _unique_keys(
        [(f"domains[{i}].key", d.get("key")) for i, d in _listed(data, "domains")], ctx
    )
    section_list = _listed(data, "sections")
    _unique_keys([(f"sections[{i}].key", s.get("key")) for i, s in section_list], ctx)

    index = _Index()
    used_domains: set[str] = set()
    pending_conditions: list[tuple[tuple[int, int], str, Any, str]] = []
    for i, section in section_list:
        spath = f"sections[{i}]"
        section_groups = section.get("groups")
        if isinstance(section_groups, list):
            for g, group in enumerate(section_groups):
                if isinstance(group, str) and groups and group not in groups:
                    known = ", ".join(sorted(groups))
                    ctx.add(
                        f"{spath}.groups[{g}]",
                        f"unknown respondent group '{group}' (respondent_groups: {known})",
                    )
        for j, item in _listed(section, "items"):
            ipath = f"{spath}.items[{j}]"
            item_type = (
                REGISTRY.get(item.get("type")) if isinstance(item.get("type"), str) else None
            )
            _register_keys(item, item_type, (i, j), ipath, index, ctx)
            if item_type is None:
                continue
            for r, leaf in enumerate(item_type.leaves(item)):
                domain = leaf.get("domain")
                if not isinstance(domain, str):
                    continue
                where = f"{ipath}.rows[{r}].domain" if item_type.composite else f"{ipath}.domain"
                if domain in domains:
                    used_domains.add(domain)
                else:
                    known = ", ".join(sorted(domains)) or "none defined"
                    ctx.add(where, f"unknown domain '{domain}' (domains: {known})")
            if "show_if" in item:
                key = item.get("key") if isinstance(item.get("key"), str) else ""
                pending_conditions.append(((i, j), f"{ipath}.show_if", item["show_if"], key))

    for d, domain in _listed(data, "domains"):
        key = domain.get("key")
        if isinstance(key, str) and key not in used_domains:
            ctx.add(f"domains[{d}]", f"domain '{key}' has no items (give items 'domain: {key}')")

    for order, path, condition, own_key in pending_conditions:
        _check_condition(condition, path, order, own_key, index, ctx)


def _register_keys(
    item: dict[str, Any],
    item_type: ItemType | None,
    order: tuple[int, int],
    path: str,
    index: _Index,
    ctx: Context,
) -> None:
    """Record every key an item claims (own key, rows, `_other`) and report duplicates."""
    key = item.get("key")
    claims: list[tuple[str, str, _Place]] = []
    if not isinstance(key, str):
        return  # reported by the field check; without a key there is nothing to claim
    kind = "item"
    leaf: dict[str, Any] | None = item
    if item_type is None:
        kind, leaf = "unknown", None  # its type is reported; references to it are not
    elif not item_type.answerable:
        kind, leaf = "note", None
    elif item_type.composite:
        kind, leaf = "matrix", None
    claims.append((key, f"{path}.key", _Place(order, f"{path}.key", leaf, kind)))
    if item_type is not None:
        if item_type.composite:
            rows = item.get("rows") if isinstance(item.get("rows"), list) else []
            leaves = {leaf["key"]: leaf for leaf in item_type.leaves(item)}
            for r, row in enumerate(rows):
                row_key = row.get("key") if isinstance(row, dict) else None
                if isinstance(row_key, str) and row_key in leaves:
                    where = f"{path}.rows[{r}].key"
                    place = _Place(order, where, leaves[row_key], "row", owner=str(key))
                    claims.append((row_key, where, place))
        else:
            for extra in item_type.stored_keys(item)[1:]:
                place = _Place(order, f"{path}.other", None, "other", owner=str(key))
                claims.append((extra, f"{path}.other", place))
    for claimed, where, place in claims:
        if claimed in RESERVED_KEYS:
            ctx.add(
                where, f"key '{claimed}' is reserved by the questionnaire forms; choose another"
            )
        first = index.places.get(claimed)
        if first is None:
            index.places[claimed] = place
            continue
        if place.kind == "other":
            ctx.add(
                where,
                f"the 'anders, namelijk' text of '{place.owner}' is stored as '{claimed}', "
                f"a key already used at {first.path}",
            )
        elif first.kind == "other":
            ctx.add(
                where,
                f"duplicate key '{claimed}': it is where the 'anders, namelijk' text of "
                f"'{first.owner}' is stored ({first.path})",
            )
        else:
            ctx.add(where, f"duplicate key '{claimed}' (also {first.path})")


def _check_condition(
    condition: Any,
    path: str,
    order: tuple[int, int],
    own_key: str,
    index: _Index,
    ctx: Context,
) -> None:
    structural = conditions.check(condition, path)
    for where, message in structural:
        ctx.add(where, message)
    bad_places = {where for where, _ in structural}
    for relative, comparison in conditions.comparisons(condition):
        target = comparison.get("item")
        if not isinstance(target, str):
            continue
        where = f"{path}{relative}.item"
        place = index.places.get(target)
        if place is None:
            message = f"show_if refers to unknown item '{target}'"
            guess = difflib.get_close_matches(target, list(index.places), n=1, cutoff=0.75)
            ctx.add(where, message + (f" (did you mean '{guess[0]}'?)" if guess else ""))
            continue
        if target == own_key or (place.order == order and place.kind == "row"):
            ctx.add(where, f"show_if of '{own_key}' refers to itself")
            continue
        if place.order >= order:
            ctx.add(
                where,
                f"show_if refers to '{target}', which comes later ({place.path}); "
                "conditions can only use answers given before",
            )
            continue
        if place.kind == "unknown":
            continue
        if place.kind == "note":
            ctx.add(where, f"show_if refers to '{target}', which has no answer (a note)")
            continue
        if place.kind == "matrix":
            ctx.add(where, f"show_if refers to matrix '{target}'; refer to one of its rows")
            continue
        if place.leaf is None:  # an "anders, namelijk" text: only `answered` and texts make sense
            continue
        op = comparison.get("op")
        if op not in conditions.OPERATORS or op == "answered" or "value" not in comparison:
            continue
        if f"{path}{relative}.value" in bad_places:
            continue
        leaf_type = REGISTRY.get(str(place.leaf.get("type")))
        if leaf_type is None:
            continue
        problem = leaf_type.condition_problem(place.leaf, op, comparison["value"])
        if problem:
            ctx.add(f"{path}{relative}.value", problem)
