"""Respondent-facing words the engine itself supplies: scale labels, missing codes, messages.

Dutch first; English for respondents who chose English; any other language falls back to Dutch.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

FALLBACK = "nl"

#: The missing codes an item may offer next to its scale; stored as the code itself.
MISSING_LABELS: dict[str, dict[str, str]] = {
    "weet_niet": {"nl": "Weet niet", "en": "Don't know"},
    "nvt": {"nl": "N.v.t.", "en": "Not applicable"},
}

OTHER_LABEL = {"nl": "Anders, namelijk", "en": "Other, namely"}
OTHER_TEXT_LABEL = {"nl": "Anders, namelijk:", "en": "Other, namely:"}
YES_NO_LABELS = {
    "ja": {"nl": "Ja", "en": "Yes"},
    "nee": {"nl": "Nee", "en": "No"},
}

_MESSAGES: dict[str, dict[str, str]] = {
    "choose": {"nl": "Kies een antwoord.", "en": "Choose an answer."},
    "choose_given": {
        "nl": "Kies een van de gegeven antwoorden.",
        "en": "Choose one of the given answers.",
    },
    "choose_some": {"nl": "Kies ten minste één antwoord.", "en": "Choose at least one answer."},
    "choose_at_most": {
        "nl": "Kies ten hoogste {n} antwoorden.",
        "en": "Choose at most {n} answers.",
    },
    "fill_in": {"nl": "Vul dit veld in.", "en": "Please fill in this field."},
    "specify_other": {
        "nl": "Vul in wat u bedoelt met ‘anders’.",
        "en": "Please specify what you mean by ‘other’.",
    },
    "too_long": {
        "nl": "Gebruik ten hoogste {n} tekens.",
        "en": "Use at most {n} characters.",
    },
    "number_digits": {
        "nl": "Vul een getal in van ten hoogste {n} cijfers, zonder e-notatie.",
        "en": "Enter a number of at most {n} digits, without exponent notation.",
    },
    "integer": {"nl": "Vul een geheel getal in", "en": "Enter a whole number"},
    "decimal": {"nl": "Vul een getal in", "en": "Enter a number"},
    "between": {"nl": " tussen {min} en {max}", "en": " between {min} and {max}"},
    "at_least": {"nl": " van {min} of meer", "en": " of {min} or more"},
    "at_most": {"nl": " van {max} of minder", "en": " of {max} or less"},
}


def translate(texts: Mapping[str, str] | None, lang: str) -> str:
    """The text in `lang`, else in Dutch, else in any language; "" when there is none."""
    if not texts or not isinstance(texts, Mapping):
        return ""
    if lang in texts:
        return texts[lang]
    if FALLBACK in texts:
        return texts[FALLBACK]
    return next(iter(texts.values()))


def message(name: str, lang: str, **values: object) -> str:
    """A validation message in `lang` with `values` filled in."""
    return translate(_MESSAGES[name], lang).format(**values)


def format_number(value: float | int | Decimal, lang: str) -> str:
    """A number as respondents write it: no needless decimals, a decimal comma in Dutch."""
    number = Decimal(str(value)).normalize()
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    thousands, point = (".", ",") if lang == "nl" else (",", ".")
    if len(whole) > 4:  # 10.000 and up get separators; 1000-9999 read fine without
        whole = f"{int(whole):,}".replace(",", thousands)
    sign = "-" if number < 0 else ""
    return sign + whole + (point + fraction if fraction else "")


def number_message(
    lang: str, *, integer: bool, minimum: float | None, maximum: float | None
) -> str:
    """E.g. "Vul een geheel getal in tussen 0 en 100." for a number item's bounds."""
    head = message("integer" if integer else "decimal", lang)
    lo = format_number(minimum, lang) if minimum is not None else None
    hi = format_number(maximum, lang) if maximum is not None else None
    if lo is not None and hi is not None:
        tail = message("between", lang, min=lo, max=hi)
    elif lo is not None:
        tail = message("at_least", lang, min=lo)
    elif hi is not None:
        tail = message("at_most", lang, max=hi)
    else:
        tail = ""
    return head + tail + "."
