"""Conditions (`show_if`): plain data, checked and evaluated here without `eval`.

A condition is either a comparison ``{item: K, op: OP, value: V}`` or a combination
``{all: [cond, ...]}`` / ``{any: [cond, ...]}`` (nestable). Comparisons look at the answers given so
far: a mapping from item key to its value, where a multiple-choice answer is a list of the chosen
values and every other answer is its stored text (numbers are compared as numbers).

Semantics, kept deliberately simple so coordinators can predict them:

- ``answered``: the item has an answer, a missing code ("weet niet", "n.v.t.") included;
- ``equals`` / ``in``: false when unanswered; on a multiple-choice answer, true when the chosen set
  contains the value / one of the values;
- ``not_equals``: the negation of ``equals`` (so also true when unanswered);
- ``gt`` / ``lt`` / ``gte`` / ``lte``: numeric; false when unanswered or not a number (a code).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from surveys.definition.errors import describe, quoted

#: Every comparison operator; `answered` takes no value, `in` a list.
OPERATORS = ("equals", "not_equals", "in", "gt", "lt", "gte", "lte", "answered")
NUMERIC_OPERATORS = ("gt", "lt", "gte", "lte")
COMBINATORS = ("all", "any")
#: Deeper nesting than this is refused by the validator (and by `evaluate`).
MAX_DEPTH = 10


class ConditionError(ValueError):
    """A condition that is not well formed reached `evaluate` (definitions are validated first)."""


def evaluate(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Whether `condition` holds for `answers`; no condition always holds."""
    if condition is None:
        return True
    return _evaluate(condition, answers, 0)


def _evaluate(condition: Any, answers: Mapping[str, Any], depth: int) -> bool:
    if depth > MAX_DEPTH or not isinstance(condition, Mapping):
        raise ConditionError(f"not a condition: {condition!r}")
    if "all" in condition:
        return all(_evaluate(c, answers, depth + 1) for c in _members(condition["all"]))
    if "any" in condition:
        return any(_evaluate(c, answers, depth + 1) for c in _members(condition["any"]))
    op = condition.get("op")
    key = condition.get("item")
    if op not in OPERATORS or not isinstance(key, str):
        raise ConditionError(f"not a condition: {condition!r}")
    actual = answers.get(key)
    value = condition.get("value")
    if op == "answered":
        return is_answered(actual)
    if op == "not_equals":
        return not _equals(actual, value)
    if op == "equals":
        return _equals(actual, value)
    if op == "in":
        if not isinstance(value, list):
            raise ConditionError(f"'in' needs a list: {condition!r}")
        return any(_equals(actual, v) for v in value)
    left, right = _number(actual), _number(value)
    if left is None or right is None:
        return False
    return {
        "gt": left > right,
        "lt": left < right,
        "gte": left >= right,
        "lte": left <= right,
    }[op]


def _members(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ConditionError(f"'all'/'any' need a non-empty list: {value!r}")
    return value


def is_answered(value: Any) -> bool:
    """Whether a value counts as an answer (missing codes do; None, "" and [] do not)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) > 0
    return True


def _equals(actual: Any, value: Any) -> bool:
    if not is_answered(actual):
        return False
    if isinstance(actual, list | tuple | set | frozenset):
        return any(_same(a, value) for a in actual)
    return _same(actual, value)


def _same(actual: Any, value: Any) -> bool:
    left, right = _number(actual), _number(value)
    if left is not None and right is not None:
        return left == right
    return _text(actual) == _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value).strip()


def _number(value: Any) -> float | None:
    """The value as a finite number, or None (booleans and missing codes are not numbers)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def references(condition: Any) -> Iterator[str]:
    """The item keys a (possibly malformed) condition refers to, in order of appearance."""
    stack: list[tuple[Any, int]] = [(condition, 0)]
    found: list[str] = []
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, Mapping) or depth > MAX_DEPTH:
            continue
        key = node.get("item")
        if isinstance(key, str):
            found.append(key)
        for name in COMBINATORS:
            members = node.get(name)
            if isinstance(members, list):
                stack.extend((m, depth + 1) for m in reversed(members))
    return iter(found)


def comparisons(condition: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each well-placed comparison in a condition with its path relative to the condition."""
    stack: list[tuple[Any, str, int]] = [(condition, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if not isinstance(node, Mapping) or depth > MAX_DEPTH:
            continue
        combined = False
        for name in COMBINATORS:
            members = node.get(name)
            if isinstance(members, list):
                combined = True
                for i in reversed(range(len(members))):
                    stack.append((members[i], f"{path}.{name}[{i}]", depth + 1))
        if not combined and "item" in node:
            yield path, node


def check(condition: Any, path: str) -> list[tuple[str, str]]:
    """Structural problems of a condition as (path, message) pairs; item references aside."""
    problems: list[tuple[str, str]] = []
    _check(condition, path, 0, problems)
    return problems


def _check(node: Any, path: str, depth: int, problems: list[tuple[str, str]]) -> None:
    if depth > MAX_DEPTH:
        problems.append((path, f"conditions are nested more than {MAX_DEPTH} levels deep"))
        return
    if not isinstance(node, Mapping):
        problems.append(
            (path, f"expected a condition ({{item, op, value}}, all or any), got {describe(node)}")
        )
        return
    combinators = [name for name in COMBINATORS if name in node]
    if combinators:
        if len(node) != 1:
            extra = sorted(str(k) for k in node if k not in combinators[:1])
            problems.append(
                (path, f"'{combinators[0]}' must stand alone; remove {', '.join(extra)}")
            )
        name = combinators[0]
        members = node[name]
        if not isinstance(members, list) or not members:
            problems.append((f"{path}.{name}", "expected a non-empty list of conditions"))
            return
        for i, member in enumerate(members):
            _check(member, f"{path}.{name}[{i}]", depth + 1, problems)
        return
    for field in node:
        if field not in ("item", "op", "value"):
            problems.append((f"{path}.{field}", f"unknown field {quoted(field)} in a condition"))
    key = node.get("item")
    if "item" not in node:
        problems.append((path, "missing field 'item'"))
    elif not isinstance(key, str):
        problems.append((f"{path}.item", f"expected an item key, got {describe(key)}"))
    op = node.get("op")
    if "op" not in node:
        problems.append((path, "missing field 'op'"))
        return
    if op not in OPERATORS:
        problems.append(
            (f"{path}.op", f"unknown operator {quoted(op)}; use one of {', '.join(OPERATORS)}")
        )
        return
    has_value = "value" in node
    value = node.get("value")
    if op == "answered":
        if has_value:
            problems.append((f"{path}.value", "'answered' takes no value"))
        return
    if not has_value:
        problems.append((path, f"missing field 'value' (operator '{op}')"))
        return
    if op == "in":
        if not isinstance(value, list) or not value:
            problems.append((f"{path}.value", "'in' needs a non-empty list of values"))
        elif not all(_is_scalar(v) for v in value):
            problems.append((f"{path}.value", "'in' needs a list of texts or numbers"))
    elif op in NUMERIC_OPERATORS:
        if _number(value) is None or isinstance(value, str):
            problems.append((f"{path}.value", f"'{op}' needs a number, got {describe(value)}"))
    elif not _is_scalar(value):
        problems.append(
            (f"{path}.value", f"'{op}' needs a text or a number, got {describe(value)}")
        )


def _is_scalar(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str | int)
