"""XLSForm expressions (`relevant`, number `constraint`) translated into our conditions.

Only the common forms are understood: comparisons of a question with a literal (`${x} = 'a'`,
`!=`, `>`, `<`, `>=`, `<=`), `selected(${x}, 'a')`, `count-selected(${x}) > 0`, `${x} != ''`
(answered), `not(...)`, `and`, `or` and parentheses. Anything else raises `Unsupported`, so the
importer can list it instead of dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{\s*(?P<refname>[^}\s]+)\s*\})
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
      | (?P<op>!=|>=|<=|=|>|<)
      | (?P<lpar>\()
      | (?P<rpar>\))
      | (?P<comma>,)
      | (?P<dot>\.(?![\w.]))
      | (?P<name>[A-Za-z_][\w.:-]*)
    )""",
    re.VERBOSE,
)

_FLIP = {"=": "=", "!=": "!=", ">": "<", "<": ">", ">=": "<=", "<=": ">="}
_OPS = {
    "=": "equals",
    "!=": "not_equals",
    ">": "gt",
    "<": "lt",
    ">=": "gte",
    "<=": "lte",
}
_NEGATE = {
    "equals": "not_equals",
    "not_equals": "equals",
    "gt": "lte",
    "lte": "gt",
    "lt": "gte",
    "gte": "lt",
}


class Unsupported(ValueError):
    """An expression (or part of one) that has no equivalent in our conditions."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    value: Any = None


def _tokens(expression: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    expression = expression.strip()
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if not match or match.end() == position:
            rest = expression[position:].strip()
            raise Unsupported(f"cannot read '{rest[:30]}'")
        position = match.end()
        kind = match.lastgroup
        if kind == "refname":
            kind = "ref"
        text = match.group(kind).strip() if kind else ""
        if kind == "ref":
            tokens.append(_Token("ref", text, match.group("refname")))
        elif kind == "string":
            tokens.append(_Token("literal", text, text[1:-1]))
        elif kind == "number":
            number = float(text)
            tokens.append(_Token("literal", text, int(number) if number.is_integer() else number))
        elif kind is not None:
            tokens.append(_Token(kind, text))
        if not expression[position:].strip():
            break
    return tokens


class _Parser:
    """Recursive descent over the tokens; builds our condition dicts (names, not keys, yet)."""

    def __init__(self, expression: str) -> None:
        self.tokens = _tokens(expression)
        self.at = 0

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, kind: str, text: str | None = None) -> _Token:
        token = self.peek()
        if token is None or token.kind != kind or (text is not None and token.text != text):
            found = f"'{token.text}'" if token else "the end"
            raise Unsupported(f"expected {text or kind} but found {found}")
        self.at += 1
        return token

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "name" and token.text == word

    def parse(self) -> dict[str, Any]:
        result = self.either()
        if self.peek() is not None:
            raise Unsupported(f"unexpected '{self.peek().text}'")  # type: ignore[union-attr]
        return result

    def either(self) -> dict[str, Any]:
        parts = [self.both()]
        while self.is_word("or"):
            self.at += 1
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else {"any": _flatten("any", parts)}

    def both(self) -> dict[str, Any]:
        parts = [self.unary()]
        while self.is_word("and"):
            self.at += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else {"all": _flatten("all", parts)}

    def unary(self) -> dict[str, Any]:
        if self.is_word("not"):
            self.at += 1
            self.take("lpar")
            inner = self.either()
            self.take("rpar")
            return negate(inner)
        return self.primary()

    def primary(self) -> dict[str, Any]:
        token = self.peek()
        if token is None:
            raise Unsupported("the expression ends too early")
        if token.kind == "lpar":
            self.at += 1
            inner = self.either()
            self.take("rpar")
            return inner
        if token.kind == "name" and token.text == "selected":
            self.at += 1
            self.take("lpar")
            ref = self.take("ref")
            self.take("comma")
            value = self.take("literal")
            self.take("rpar")
            return {"item": ref.value, "op": "equals", "value": value.value}
        if token.kind == "name" and token.text == "count-selected":
            self.at += 1
            self.take("lpar")
            ref = self.take("ref")
            self.take("rpar")
            op = self.take("op").text
            number = self.take("literal").value
            if (op, number) in ((">", 0), (">=", 1), ("!=", 0)):
                return {"item": ref.value, "op": "answered"}
            raise Unsupported(f"count-selected(...) {op} {number} (only '> 0' is understood)")
        if token.kind == "name":
            raise Unsupported(f"unknown function or word '{token.text}'")
        return self.comparison()

    def operand(self) -> _Token:
        token = self.peek()
        if token is None or token.kind not in ("ref", "literal", "dot"):
            found = f"'{token.text}'" if token else "the end"
            raise Unsupported(f"expected a ${{question}}, '.' or a value but found {found}")
        self.at += 1
        return token

    def comparison(self) -> dict[str, Any]:
        left = self.operand()
        symbol = self.take("op").text
        right = self.operand()
        if left.kind == "literal" and right.kind in ("ref", "dot"):
            left, right, symbol = right, left, _FLIP[symbol]
        if left.kind not in ("ref", "dot") or right.kind != "literal":
            raise Unsupported(
                f"'{left.text} {symbol} {right.text}' does not compare a question with a value"
            )
        name = "." if left.kind == "dot" else left.value
        value = right.value
        if value == "":
            if symbol == "!=":
                return {"item": name, "op": "answered"}
            raise Unsupported(
                f"'{left.text} {symbol} {right.text}' (unanswered) cannot be expressed"
            )
        op = _OPS[symbol]
        if op in ("gt", "lt", "gte", "lte"):
            value = _as_number(value, f"{left.text} {symbol} {right.text}")
        return {"item": name, "op": op, "value": value}


def _as_number(value: Any, shown: str) -> int | float:
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except ValueError:
        raise Unsupported(f"'{shown}' compares with a text, not a number") from None
    return int(number) if number.is_integer() else number


def _flatten(name: str, parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for part in parts:
        flat.extend(part[name] if set(part) == {name} else [part])
    return flat


def negate(condition: dict[str, Any]) -> dict[str, Any]:
    """The opposite condition (De Morgan for all/any); Unsupported for `answered`."""
    if "all" in condition:
        return {"any": _flatten("any", [negate(c) for c in condition["all"]])}
    if "any" in condition:
        return {"all": _flatten("all", [negate(c) for c in condition["any"]])}
    op = condition["op"]
    if op not in _NEGATE:
        raise Unsupported(f"not(...) of '{op}' cannot be expressed")
    return {**condition, "op": _NEGATE[op]}


def parse_relevant(expression: str) -> dict[str, Any]:
    """An XLSForm `relevant` expression as a condition on question *names* (not yet keys)."""
    return _Parser(expression).parse()


def rename(condition: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """The condition with question names replaced by keys (KeyError for unknown names)."""
    for name in ("all", "any"):
        if name in condition:
            return {name: [rename(c, mapping) for c in condition[name]]}
    return {**condition, "item": mapping[condition["item"]]}


def names(condition: dict[str, Any]) -> list[str]:
    """The question names a parsed condition refers to."""
    for name in ("all", "any"):
        if name in condition:
            return [n for c in condition[name] for n in names(c)]
    return [condition["item"]]


def parse_bounds(expression: str, *, integer: bool) -> tuple[float | None, float | None]:
    """A number constraint such as `. >= 0 and . <= 100` as (min, max)."""
    condition = _Parser(expression).parse()
    parts = condition.get("all", [condition])
    low: float | None = None
    high: float | None = None
    for part in parts:
        if part.get("item") != "." or part.get("op") not in ("gt", "gte", "lt", "lte"):
            raise Unsupported("only bounds such as '. >= 0 and . <= 100' are understood")
        value = part["value"]
        if part["op"] in ("gt", "lt"):
            if not integer or not float(value).is_integer():
                raise Unsupported(
                    f"a strict bound ({'>' if part['op'] == 'gt' else '<'}) on decimals"
                )
            value = int(value) + (1 if part["op"] == "gt" else -1)
        if part["op"] in ("gt", "gte"):
            low = value if low is None else max(low, value)
        else:
            high = value if high is None else min(high, value)
    return low, high
