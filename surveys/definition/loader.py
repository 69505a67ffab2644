"""Loading instrument definitions from YAML, and their canonical form and content hash.

Whatever a file contains, loading either returns a valid definition (plain JSON data) or raises
`DefinitionError` with every problem; nothing else escapes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from surveys.definition.errors import DefinitionError, Problem
from surveys.definition.validate import validate_definition

log = logging.getLogger(__name__)

#: Where the shipped instruments live.
INSTRUMENTS_DIR = Path(__file__).resolve().parent.parent / "instruments"
#: A definition larger than this many YAML values is refused (guards against alias bombs).
MAX_NODES = 200_000

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that notes duplicate fields instead of silently keeping the last one."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith((":str", ":int")):
                name = key_node.value
                if name in seen:
                    self.duplicates.append((key_node.start_mark.line + 1, name))
                seen.add(name)
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)


def parse_yaml(text: str, file: str = "<text>") -> Any:
    """The data in a YAML text; DefinitionError for syntax errors and duplicate fields."""
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(root)"
        what = error.problem or error.context or "syntax error"
        raise DefinitionError([Problem(file, where, f"invalid YAML: {what}")]) from None
    except RecursionError:
        raise DefinitionError(
            [Problem(file, "(root)", "invalid YAML: nested too deeply")]
        ) from None
    except Exception as error:
        raise DefinitionError([Problem(file, "(root)", f"invalid YAML: {error}")]) from None
    finally:
        loader.dispose()
    problems = [
        Problem(file, f"line {line}", f"field '{name}' appears twice in the same mapping")
        for line, name in loader.duplicates
    ]
    if problems:
        raise DefinitionError(problems)
    return data


def _too_large(data: Any) -> bool:
    """Whether `data` has more than MAX_NODES values (aliases counted each time they are used)."""
    budget = MAX_NODES
    stack = [data]
    while stack:
        budget -= 1
        if budget < 0:
            return True
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def load_definition(data: Any, file: str = "<definition>") -> dict[str, Any]:
    """Validate parsed data and return it as plain JSON-able data; DefinitionError if bad."""
    if data is None:
        raise DefinitionError([Problem(file, "(root)", "the file is empty")])
    if _too_large(data):
        raise DefinitionError(
            [Problem(file, "(root)", f"the definition has more than {MAX_NODES} values")]
        )
    try:
        problems = validate_definition(data, file)
    except RecursionError:
        problems = [Problem(file, "(root)", "the definition is nested too deeply")]
    if problems:
        raise DefinitionError(problems)
    return json.loads(canonical_json(data))


def load_definition_text(text: str, file: str = "<text>") -> dict[str, Any]:
    """Parse and validate a YAML text; DefinitionError with every problem if it is not valid."""
    return load_definition(parse_yaml(text, file), file)


def load_definition_file(path: str | Path) -> dict[str, Any]:
    """Read, parse and validate a YAML file. Problems name the file by its base name."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DefinitionError([Problem(name, "(root)", "the file is not UTF-8 text")]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise DefinitionError([Problem(name, "(root)", f"cannot read file: {reason}")]) from None
    return load_definition_text(text, name)


def shipped_instrument_files() -> list[Path]:
    """The instrument files shipped with the package, sorted by name."""
    return sorted(INSTRUMENTS_DIR.glob("*.yaml"))


def canonical_json(definition: Mapping[str, Any]) -> str:
    """The definition as canonical JSON: sorted keys, no whitespace, UTF-8 characters kept."""
    return json.dumps(
        definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def content_hash(definition: Mapping[str, Any]) -> str:
    """sha256 (hex) of the canonical JSON: equal for equal content, whatever the YAML layout."""
    return hashlib.sha256(canonical_json(definition).encode("utf-8")).hexdigest()
