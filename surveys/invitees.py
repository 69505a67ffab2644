"""Reading invitee lists (CSV) for personal-link campaigns: all-or-nothing with line numbers."""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

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


@dataclass(frozen=True)
class Invitee:
    line: int
    email: str
    name: str | None
    respondent_group: str | None
    organisation_id: int | None


def parse_invitees(
    data: bytes | str, *, groups: list[str], organisations: dict[str, int]
) -> tuple[list[Invitee], list[str]]:
    """Parse an invitee CSV (comma or semicolon separated, UTF-8, header row).

    `groups` are the campaign's respondent group keys; `organisations` maps an id, KvK number or
    exact name (lower case) to an organisation id. Returns the invitees and, if anything is wrong,
    every problem as "regel N: ..." (then nothing should be imported).
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], ["het bestand is geen UTF-8-tekst; sla het op als 'CSV UTF-8'"]
    if not data.strip():
        return [], ["het bestand is leeg"]
    first_line = data.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(data), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    fields = [COLUMNS.get(h) for h in header]
    errors = [
        f"regel 1: onbekende kolom '{h}'" for h, f in zip(header, fields, strict=True) if not f
    ]
    if "email" not in fields:
        errors.append("regel 1: de kolom 'email' ontbreekt")
    if len(groups) > 1 and "respondent_group" not in fields:
        errors.append(f"regel 1: de kolom 'respondent_group' ontbreekt ({', '.join(groups)})")
    if errors:
        return [], errors
    invitees: list[Invitee] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(fields):
            errors.append(f"regel {line}: {len(row)} velden, verwacht {len(fields)}")
            continue
        values = {f: cell.strip() for f, cell in zip(fields, row, strict=True)}
        try:
            email = validate_email(values["email"], check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            errors.append(f"regel {line}: '{values['email']}' is geen geldig e-mailadres")
            continue
        if email in seen:
            errors.append(f"regel {line}: {email} staat ook op regel {seen[email]}")
            continue
        seen[email] = line
        group = values.get("respondent_group") or (groups[0] if len(groups) == 1 else None)
        if group not in groups:
            errors.append(
                f"regel {line}: onbekende respondentgroep '{values.get('respondent_group', '')}'"
                f" (kies uit: {', '.join(groups)})"
            )
            continue
        organisation_id = None
        if values.get("organisation"):
            organisation_id = organisations.get(values["organisation"].lower())
            if organisation_id is None:
                errors.append(f"regel {line}: onbekende organisatie '{values['organisation']}'")
                continue
        invitees.append(Invitee(line, email, values.get("name") or None, group, organisation_id))
    if not invitees and not errors:
        errors.append("het bestand bevat geen genodigden")
    return ([] if errors else invitees), errors
