"""WTForms fields and validators for questionnaire items, with the engine's own messages."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from wtforms import RadioField, SelectMultipleField

try:  # WTForms >= 3.3 wants SelectChoice objects; older versions take (value, label) pairs
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover
    SelectChoice = None
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class ChoiceRadioField(RadioField):
    """Radio buttons whose data is the chosen value (text) or None when nothing is chosen."""

    def __init__(self, *args: Any, invalid_message: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("coerce", str)
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:  # blank is no choice (and is never stored)
            self.data = valuelist[0] if str(valuelist[0]).strip() else None

    def pre_validate(self, form: Any) -> None:
        if self.data is None:
            return
        if self.data not in {value for value, *_ in (self.choices or [])}:
            raise ValidationError(self.invalid_message)


class MultiCheckboxField(SelectMultipleField):
    """Check boxes, one per choice; the repeated field's data is the list of chosen values.
    The one check-box field of the product: questionnaire items and console forms alike; with
    `validate_choice=False` the caller checks the chosen values itself."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, invalid_message: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("coerce", str)
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_data(self, value: Any) -> None:
        self.data = [str(v) for v in value] if isinstance(value, list | tuple) else []

    def pre_validate(self, form: Any) -> None:
        if not self.validate_choice:
            return
        allowed = {value for value, *_ in (self.choices or [])}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(self.invalid_message)


def make_choices(options: list[tuple[str, str]]) -> list[Any]:
    """(value, label) pairs as the installed WTForms wants its choices."""
    if SelectChoice is None:  # pragma: no cover
        return list(options)
    return [SelectChoice(value, label) for value, label in options]


def is_empty(data: Any) -> bool:
    """No answer: None, blank text or an empty list."""
    if data is None:
        return True
    if isinstance(data, str):
        return not data.strip()
    if isinstance(data, list | tuple):
        return not data
    return False


class Needed:
    """Requires an answer; a missing code counts as one. Stops the chain when empty otherwise."""

    def __init__(self, message: str, *, required: bool, flag: bool = True) -> None:
        self.message = message
        self.required = required
        self.field_flags = {"required": True} if required and flag else {}

    def __call__(self, form: Any, field: Any) -> None:
        if not is_empty(field.data):
            return
        field.errors[:] = []
        if self.required:
            raise StopValidation(self.message)
        raise StopValidation()


def parse_number(raw: Any) -> Decimal | None:
    """A respondent's number (decimal comma or point, spaces allowed) or None if it is not one."""
    if raw is None:
        return None
    textual = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if textual.count(",") == 1 and "." not in textual:
        textual = textual.replace(",", ".")
    try:
        number = Decimal(textual)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or not math.isfinite(float(number)):
        return None
    return number


def is_integral(number: Decimal) -> bool:
    return number == number.to_integral_value()


class NumberCheck:
    """A number within bounds, whole if asked; one message that states what is accepted."""

    def __init__(
        self, message: str, *, minimum: float | None, maximum: float | None, integer: bool
    ) -> None:
        self.message = message
        self.minimum = minimum
        self.maximum = maximum
        self.integer = integer

    def __call__(self, form: Any, field: Any) -> None:
        number = parse_number(field.data)
        if number is None or (self.integer and not is_integral(number)):
            raise StopValidation(self.message)
        if self.minimum is not None and number < Decimal(str(self.minimum)):
            raise StopValidation(self.message)
        if self.maximum is not None and number > Decimal(str(self.maximum)):
            raise StopValidation(self.message)


class MaxLength:
    def __init__(self, limit: int, message: str) -> None:
        self.limit = limit
        self.message = message
        self.field_flags = {"maxlength": limit}

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is not None and len(str(field.data).strip()) > self.limit:
            raise ValidationError(self.message)


class MaxChoices:
    def __init__(self, limit: int, message: str) -> None:
        self.limit = limit
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if len(field.data or []) > self.limit:
            raise ValidationError(self.message)


class OtherSpecified:
    """The "anders, namelijk" text is needed when "anders" is chosen in field `choice_name`."""

    def __init__(self, choice_name: str, other_value: str, message: str) -> None:
        self.choice_name = choice_name
        self.other_value = other_value
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        chosen = form[self.choice_name].data
        picked = chosen if isinstance(chosen, list) else [chosen]
        if self.other_value in picked and is_empty(field.data):
            raise StopValidation(self.message)
        if is_empty(field.data):
            field.errors[:] = []
            raise StopValidation()
