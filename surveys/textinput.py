"""The one rule for short text that users type or import (console forms, CSV imports, command
line): no control characters, and no more characters than the column that stores it holds.

A line break in a campaign title ends up in a mail header; a value longer than its `varchar`
is a 500 on PostgreSQL (SQLite stores it silently). Limits are read from the model columns, so a
column and the checks of its inputs cannot disagree. Messages are Dutch and fit next to a field
or after "regel N: veld: ".
"""

import re
from typing import Any

from sqlalchemy import String
from wtforms import Field, Form
from wtforms.validators import ValidationError

#: C0 and C1 control characters, DEL, and the Unicode line and paragraph separators
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_MESSAGE = "Gebruik geen regeleinden, tabs of andere stuurtekens."


def column_length(column: Any) -> int:
    """The number of characters a `String(n)` model column (attribute or Column) holds."""
    type_ = getattr(column, "type", None)
    if not isinstance(type_, String) or type_.length is None:
        raise TypeError(f"{column} is not a String column with a length")
    return type_.length


def text_problem(value: str, max_length: int) -> str | None:
    """What is wrong with a single-line text of at most `max_length` characters, in Dutch, or
    None when it is fine. The value is checked as it will be stored (callers strip it first)."""
    if CONTROL.search(value):
        return CONTROL_MESSAGE
    if len(value) > max_length:
        return f"Gebruik hoogstens {max_length} tekens (nu {len(value)})."
    return None


def shortened(text: str, max_length: int) -> str:
    """`text` cut to `max_length` characters with an ellipsis: for values the application makes
    from others (a mail subject from a title), which must fit their own column."""
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


class PlainText:
    """WTForms validator: no control characters anywhere in the field, and at most
    `max_length` characters once stripped (a blank field is left to DataRequired or Optional)."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length
        #: rendered as the input's maxlength attribute, as WTForms' Length does
        self.field_flags = {"maxlength": max_length}

    def __call__(self, form: Form, field: Field) -> None:
        text = field.data or ""
        problem = CONTROL.search(text) and CONTROL_MESSAGE
        problem = problem or text_problem(text.strip(), self.max_length)
        if problem:
            raise ValidationError(problem)
