"""Problems found in an instrument definition, and the one exception that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a definition: where (`file`, dotted `path`) and what (`message`)."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class DefinitionError(ValueError):
    """A definition (or a file that should hold one) is not valid; `problems` lists them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid definition")


def describe(value: object) -> str:
    """A coordinator-readable name of a YAML value, for messages ("a list", "the text 'x'")."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) <= 40 else "a text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def quoted(value: object) -> str:
    """A field name or value quoted for a message: 'text' for texts, repr otherwise."""
    return f"'{value}'" if isinstance(value, str) else repr(value)
