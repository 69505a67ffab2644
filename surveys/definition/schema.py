"""The building blocks of definition checking: field specs, value checkers and the problem list.

Every checker takes ``(value, path, ctx)``, records problems on `ctx` and returns whether the value
has the right shape (so callers can skip deeper checks). Checkers never raise on odd input: a
definition can be any YAML, and a coordinator should get every problem at once.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.definition.errors import Problem, describe, quoted

#: Keys of instruments, sections, items, domains and groups.
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
MAX_KEY_LENGTH = 60
LANGUAGE_PATTERN = re.compile(r"[a-z]{2}")


@dataclass
class Context:
    """Collects the problems of one file; `languages` are those every translation must have."""

    file: str
    languages: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, path or "(root)", message))


Checker = Callable[[Any, str, Context], bool]


@dataclass(frozen=True)
class Field:
    """A field a mapping may (or must) have, and the checker of its value."""

    check: Checker
    required: bool = False


def join(path: str, name: object) -> str:
    """The dotted path of field `name` below `path`."""
    return f"{path}.{name}" if path else str(name)


def check_mapping(
    value: Any,
    spec: Mapping[str, Field],
    path: str,
    ctx: Context,
    *,
    what: str,
    elsewhere: Mapping[str, str] | None = None,
) -> bool:
    """Check a mapping against `spec`: unknown fields (with a suggestion), missing and bad fields.

    `elsewhere` names fields that exist but not here (field -> why), for a clearer message than
    "unknown field".
    """
    if not isinstance(value, dict):
        ctx.add(path, f"expected {what} (a mapping), got {describe(value)}")
        return False
    for name in value:
        if name in spec:
            continue
        where = join(path, name)
        if isinstance(name, str) and elsewhere and name in elsewhere:
            ctx.add(where, elsewhere[name])
            continue
        message = f"unknown field {quoted(name)}"
        guess = difflib.get_close_matches(str(name), list(spec), n=1, cutoff=0.7)
        if guess:
            message += f" (did you mean '{guess[0]}'?)"
        elif isinstance(name, bool):
            message += " (YAML reads unquoted yes/no/on/off as true/false; quote it)"
        ctx.add(where, message)
    for name, rule in spec.items():
        if name in value:
            rule.check(value[name], join(path, name), ctx)
        elif rule.required:
            ctx.add(path, f"missing field '{name}'")
    return True


def key(value: Any, path: str, ctx: Context) -> bool:
    """A stable key: lower-case letters, digits and underscores, starting with a letter."""
    if not isinstance(value, str):
        ctx.add(path, f"expected a key (text), got {describe(value)}")
        return False
    if not KEY_PATTERN.fullmatch(value):
        ctx.add(
            path,
            f"key {quoted(value)} must start with a lower-case letter and contain only "
            "lower-case letters, digits and '_'",
        )
        return False
    if len(value) > MAX_KEY_LENGTH:
        ctx.add(path, f"key {quoted(value)} is longer than {MAX_KEY_LENGTH} characters")
        return False
    return True


def text(value: Any, path: str, ctx: Context) -> bool:
    if not isinstance(value, str) or not value.strip():
        ctx.add(path, f"expected a non-empty text, got {describe(value)}")
        return False
    return True


def translation(value: Any, path: str, ctx: Context) -> bool:
    """A text per language: ``{nl: ..., en: ...}`` with every language of the instrument."""
    if not isinstance(value, dict):
        hint = ""
        if isinstance(value, str) and ctx.languages:
            hint = f" (write {{{', '.join(f'{lang}: ...' for lang in ctx.languages)}}})"
        ctx.add(path, f"expected a text per language, got {describe(value)}{hint}")
        return False
    ok = True
    for lang, words in value.items():
        where = join(path, lang)
        if ctx.languages and lang not in ctx.languages:
            message = f"language {quoted(lang)} is not in languages ({', '.join(ctx.languages)})"
            if words is None and isinstance(lang, str) and " " in lang.strip():
                message += "; a comma inside {...} starts a new entry: put the text in quotes"
            ctx.add(where, message)
            ok = False
        elif not isinstance(words, str) or not words.strip():
            ctx.add(where, f"expected a non-empty text, got {describe(words)}")
            ok = False
    for lang in ctx.languages:
        if lang not in value:
            ctx.add(path, f"missing translation '{lang}'")
            ok = False
    return ok


def boolean(value: Any, path: str, ctx: Context) -> bool:
    if not isinstance(value, bool):
        ctx.add(path, f"expected true or false, got {describe(value)}")
        return False
    return True


def is_number(value: Any) -> bool:
    """A finite int or float, not a boolean."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int)


def number(value: Any, path: str, ctx: Context) -> bool:
    if not is_number(value):
        ctx.add(path, f"expected a number, got {describe(value)}")
        return False
    return True


def whole_number(minimum: int) -> Checker:
    """A checker for an integer of at least `minimum`."""

    def check(value: Any, path: str, ctx: Context) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.add(path, f"expected a whole number, got {describe(value)}")
            return False
        if value < minimum:
            ctx.add(path, f"expected a whole number of at least {minimum}, got {value}")
            return False
        return True

    return check


def share(value: Any, path: str, ctx: Context) -> bool:
    """A share between 0 (exclusive) and 1 (inclusive)."""
    if not number(value, path, ctx):
        return False
    if not 0 < value <= 1:
        ctx.add(path, f"expected a share greater than 0 and at most 1, got {value}")
        return False
    return True


def list_of(item: Checker, *, non_empty: bool = True, what: str = "a list") -> Checker:
    """A checker for a list whose members each pass `item`."""

    def check(value: Any, path: str, ctx: Context) -> bool:
        if not isinstance(value, list):
            ctx.add(path, f"expected {what}, got {describe(value)}")
            return False
        if non_empty and not value:
            ctx.add(path, f"expected {what} with at least one entry, got an empty list")
            return False
        ok = True
        for i, member in enumerate(value):
            ok = item(member, f"{path}[{i}]", ctx) and ok
        return ok

    return check


def anything(value: Any, path: str, ctx: Context) -> bool:
    """No check here: the value is checked elsewhere (e.g. conditions, rows)."""
    return True


def choice_value(value: Any, path: str, ctx: Context) -> bool:
    """A choice value: a text or a whole number (stored as text)."""
    if isinstance(value, bool):
        ctx.add(
            path,
            f"expected a text or whole number, got {describe(value)}; quote it ('yes', 'no')",
        )
        return False
    if isinstance(value, int):
        return True
    if not isinstance(value, str) or not value.strip():
        ctx.add(path, f"expected a text or whole number, got {describe(value)}")
        return False
    if value != value.strip():
        ctx.add(path, f"choice value {quoted(value)} has leading or trailing spaces")
        return False
    return True
