"""Reading invitee lists (CSV) for personal-link campaigns: all-or-nothing with line numbers."""

import functools
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import DOT_ATOM_TEXT, EMAIL_MAX_LENGTH

from surveys.csvfile import quoted, read_csv
from surveys.models import Invitation
from surveys.textinput import column_length, text_problem

#: accepted column names (lower case) -> field
COLUMNS = {
    "email": "email",
    "e-mail": "email",
    "e-mailadres": "email",
    "name": "name",
    "naam": "name",
    "respondent_group": "respondent_group",
    "groep": "respondent_group",
    "respondentgroep": "respondent_group",
    "organisation": "organisation",
    "organisatie": "organisation",
}
#: the longest name and address an invitation stores
NAME_MAX, EMAIL_MAX = column_length(Invitation.name), column_length(Invitation.email)


@dataclass(frozen=True)
class Invitee:
    line: int
    email: str
    name: str | None
    respondent_group: str | None
    organisation_id: int | None


def normal_email(text: str) -> str | None:
    """An e-mail address in the one form we store (normalised, lower case), or None when it is
    not a valid address (the domain is not looked up).

    The form must never change: panel keys are made from it. A plain ASCII address (what nearly
    every invitee list holds) takes a short way with the same result as the full validation:
    email_validator accepts such a local part unchanged, so only its domain needs the full check,
    once per domain; that makes a 100.000-line list take about a second instead of twenty."""
    text = text.strip()
    local, at, domain = text.rpartition("@")
    if at and DOT_ATOM_TEXT.match(local) and len(text) <= EMAIL_MAX_LENGTH:
        normal_domain = _ascii_domain(domain)
        if normal_domain is not None:
            return f"{local}@{normal_domain}".lower()
    return _validated(text)


def _validated(text: str) -> str | None:
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


@functools.lru_cache(maxsize=4096)
def _ascii_domain(domain: str) -> str | None:
    """The normalised domain when it is valid and stays ASCII, else None (the caller then
    validates the whole address)."""
    address = _validated(f"a@{domain}")
    if address is None:
        return None
    normal = address.partition("@")[2]
    return normal if normal.isascii() and len(normal) == len(domain) else None


def parse_invitees(
    data: bytes | str, *, groups: list[str], organisations: dict[str, int]
) -> tuple[list[Invitee], list[str]]:
    """Parse an invitee CSV (comma or semicolon separated, UTF-8, header row).

    `groups` are the campaign's respondent group keys; `organisations` maps an id, KvK number or
    exact name (lower case) to an organisation id. Returns the invitees and, if anything is wrong,
    every problem as "regel N: ..." (then nothing should be imported).
    """
    required = {"email": ""}
    if len(groups) > 1:
        required["respondent_group"] = ", ".join(groups)
    rows, errors = read_csv(data, columns=COLUMNS, required=required)
    if errors:
        return [], errors
    invitees: list[Invitee] = []
    seen: dict[str, int] = {}
    for row in rows:
        line, values = row.line, row.values
        if row.problem:
            errors.append(row.problem)
            continue
        if problem := text_problem(values["email"], EMAIL_MAX):
            errors.append(f"regel {line}: e-mailadres: {problem}")
            continue
        email = normal_email(values["email"])
        if email is None:
            errors.append(f"regel {line}: {quoted(values['email'])} is geen geldig e-mailadres")
            continue
        name = values.get("name") or None
        if name and (problem := text_problem(name, NAME_MAX)):
            errors.append(f"regel {line}: naam: {problem}")
            continue
        if email in seen:
            errors.append(f"regel {line}: {email} staat ook op regel {seen[email]}")
            continue
        seen[email] = line
        group = values.get("respondent_group") or (groups[0] if len(groups) == 1 else None)
        if group not in groups:
            given = quoted(values.get("respondent_group", ""))
            errors.append(
                f"regel {line}: onbekende respondentgroep {given} (kies uit: {', '.join(groups)})"
            )
            continue
        organisation_id = None
        if values.get("organisation"):
            organisation_id = organisations.get(values["organisation"].lower())
            if organisation_id is None:
                given = quoted(values["organisation"])
                errors.append(f"regel {line}: onbekende organisatie {given}")
                continue
        invitees.append(Invitee(line, email, name, group, organisation_id))
    if not invitees and not errors:
        errors.append("het bestand bevat geen genodigden")
    return ([] if errors else invitees), errors
