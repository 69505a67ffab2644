"""Organisation operations: search, create, update, CSV import and deletion on request.

Views and CLI commands call these; the rules for a valid organisation live here only, so the
console form, the CSV import and the command line give the same (Dutch) messages.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Table, delete, func, or_, select, tuple_

from surveys.csvfile import quoted, read_csv
from surveys.db import Base, db
from surveys.models import Answer, Invitation, Organisation, OutboxMail, Response
from surveys.models.organisations import ORGANISATION_KINDS, REGIONS, SECTORS, SIZE_CLASSES
from surveys.textinput import CONTROL, CONTROL_MESSAGE, column_length, text_problem

#: the fields of an organisation that users edit, in form and CSV order
FIELDS = ("name", "kind", "sector", "size_class", "region", "municipality", "kvk_number")
#: fields with a fixed list of values -> the allowed values
CHOICES: dict[str, tuple[str, ...]] = {
    "kind": ORGANISATION_KINDS,
    "sector": SECTORS,
    "size_class": SIZE_CLASSES,
    "region": REGIONS,
}
#: the fields typed freely (the others are listed values or a KvK number) -> their longest value
MAX_LENGTH = {f: column_length(getattr(Organisation, f)) for f in ("name", "municipality")}
KVK = re.compile(r"[0-9]{8}")
#: accepted CSV column names (lower case) -> field
CSV_COLUMNS = {
    "name": "name",
    "naam": "name",
    "kind": "kind",
    "soort": "kind",
    "sector": "sector",
    "size_class": "size_class",
    "grootte": "size_class",
    "grootteklasse": "size_class",
    "region": "region",
    "regio": "region",
    "municipality": "municipality",
    "gemeente": "municipality",
    "kvk": "kvk_number",
    "kvk_number": "kvk_number",
    "kvk-nummer": "kvk_number",
    "kvknummer": "kvk_number",
}
_LABELS = {
    "name": "naam",
    "kind": "soort",
    "sector": "sector",
    "size_class": "grootteklasse",
    "region": "regio",
    "municipality": "gemeente",
    "kvk_number": "KvK-nummer",
}


class OrganisationError(ValueError):
    """Invalid organisation data: `problems` maps each field to a message in Dutch."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{_LABELS.get(f, f)}: {m}" for f, m in self.problems.items()))


@dataclass(frozen=True)
class OrganisationRow:
    """A clean line of an organisation CSV."""

    line: int
    values: dict[str, str | None]


def search_organisations(
    text: str | None = None,
    *,
    sector: str | None = None,
    region: str | None = None,
    size_class: str | None = None,
    kind: str | None = None,
) -> Select[tuple[Organisation]]:
    """Organisations whose name, KvK number or municipality contains `text`, narrowed by the
    filters that are given, ordered by name (a query, so the caller can paginate it)."""
    query = select(Organisation)
    text = (text or "").strip()
    if text:
        digits = re.sub(r"[\s.]", "", text)
        conditions = [
            Organisation.name.icontains(text, autoescape=True),
            Organisation.municipality.icontains(text, autoescape=True),
        ]
        if digits.isdigit():
            conditions.append(Organisation.kvk_number.startswith(digits, autoescape=True))
        query = query.where(or_(*conditions))
    for column, value in (
        (Organisation.sector, sector),
        (Organisation.region, region),
        (Organisation.size_class, size_class),
        (Organisation.kind, kind),
    ):
        if value:
            query = query.where(column == value)
    return query.order_by(func.lower(Organisation.name), Organisation.id)


def clean_values(values: Mapping[str, Any]) -> tuple[dict[str, str | None], dict[str, str]]:
    """Normalise the user's input (trimmed, canonical spelling of listed values, KvK without
    spaces or dots, blanks as None) and check its form; uniqueness is checked elsewhere.
    Returns the cleaned values and the problems per field."""
    cleaned: dict[str, str | None] = {}
    problems: dict[str, str] = {}
    for field in FIELDS:
        raw = "" if values.get(field) is None else str(values[field])
        if CONTROL.search(raw):
            problems[field] = CONTROL_MESSAGE
        text = " ".join(raw.split())
        if field == "kvk_number":
            text = re.sub(r"[\s.]", "", text)
        cleaned[field] = text or None
    if not cleaned["name"]:
        problems["name"] = "Vul de naam van de organisatie in."
    cleaned["kind"] = cleaned["kind"] or "werkgever"
    for field, limit in MAX_LENGTH.items():
        value = cleaned[field]
        if value and field not in problems and (problem := text_problem(value, limit)):
            problems[field] = problem
    for field, allowed in CHOICES.items():
        value = cleaned[field]
        if value is None or field in problems:
            continue
        canonical = {a.lower(): a for a in allowed}.get(value.lower())
        if canonical is None:
            choices = ", ".join(allowed)
            problems[field] = f"Onbekende {_LABELS[field]} {quoted(value)}; kies uit: {choices}."
        else:
            cleaned[field] = canonical
    kvk = cleaned["kvk_number"]
    if kvk is not None and "kvk_number" not in problems and not KVK.fullmatch(kvk):
        problems["kvk_number"] = "Een KvK-nummer bestaat uit precies acht cijfers."
    return cleaned, problems


class _Taken:
    """Names (case-insensitive) and KvK numbers in use, to keep both unique."""

    def __init__(self) -> None:
        self.names: dict[str, int] = {}
        self.kvk: dict[str, int] = {}
        for org_id, name, kvk in db.session.execute(
            select(Organisation.id, Organisation.name, Organisation.kvk_number)
        ):
            self.names[name.lower()] = org_id
            if kvk:
                self.kvk[kvk] = org_id

    def problems(self, cleaned: Mapping[str, str | None], own_id: int | None) -> dict[str, str]:
        found: dict[str, str] = {}
        name, kvk = cleaned.get("name"), cleaned.get("kvk_number")
        if name and self.names.get(name.lower(), own_id) != own_id:
            other = self.names[name.lower()]
            found["name"] = f"Er is al een organisatie met deze naam (nummer {other})."
        if kvk and self.kvk.get(kvk, own_id) != own_id:
            found["kvk_number"] = f"Dit KvK-nummer hoort al bij organisatie {self.kvk[kvk]}."
        return found


def check_organisation(
    values: Mapping[str, Any], *, organisation: Organisation | None = None
) -> tuple[dict[str, str | None], dict[str, str]]:
    """Clean `values` and list every problem per field, including a name or KvK number that
    another organisation already has (names are unique so an invitee list can name them)."""
    cleaned, problems = clean_values(values)
    own_id = organisation.id if organisation is not None else None
    for field, message in _Taken().problems(cleaned, own_id).items():
        problems.setdefault(field, message)
    return cleaned, problems


def create_organisation(values: Mapping[str, Any]) -> Organisation:
    """A new organisation; raises OrganisationError with every problem."""
    cleaned, problems = check_organisation(values)
    if problems:
        raise OrganisationError(problems)
    organisation = Organisation(**cleaned)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(organisation: Organisation, values: Mapping[str, Any]) -> list[str]:
    """Change an organisation; returns the names of the fields that changed."""
    cleaned, problems = check_organisation(values, organisation=organisation)
    if problems:
        raise OrganisationError(problems)
    changed = [f for f in FIELDS if getattr(organisation, f) != cleaned[f]]
    for field in changed:
        setattr(organisation, field, cleaned[field])
    db.session.flush()
    return changed


def parse_organisations_csv(data: bytes | str) -> tuple[list[OrganisationRow], list[str]]:
    """Read an organisation CSV (name, kind, sector, size_class, region, municipality, kvk; Dutch
    column names too). Returns the clean rows, or none and every problem as "regel N: ...";
    a name or KvK number already in use, or twice in the file, is a problem too."""
    rows, errors = read_csv(data, columns=CSV_COLUMNS, required={"name": ""})
    if errors:
        return [], errors
    taken = _Taken()
    seen_names: dict[str, int] = {}
    seen_kvk: dict[str, int] = {}
    clean_rows: list[OrganisationRow] = []
    for row in rows:
        if row.problem:
            errors.append(row.problem)
            continue
        cleaned, problems = clean_values(row.values)
        for field, message in taken.problems(cleaned, None).items():
            problems.setdefault(field, message)
        name, kvk = (cleaned["name"] or "").lower(), cleaned["kvk_number"]
        if name and name in seen_names:
            problems.setdefault("name", f"Deze naam staat ook op regel {seen_names[name]}.")
        if kvk and kvk in seen_kvk:
            problems.setdefault("kvk_number", f"Dit KvK-nummer staat ook op regel {seen_kvk[kvk]}.")
        seen_names.setdefault(name, row.line)
        if kvk:
            seen_kvk.setdefault(kvk, row.line)
        if problems:
            errors.extend(
                f"regel {row.line}: {_LABELS[f]}: {problems[f]}" for f in FIELDS if f in problems
            )
            continue
        clean_rows.append(OrganisationRow(row.line, cleaned))
    if not clean_rows and not errors:
        errors.append("het bestand bevat geen organisaties")
    return ([] if errors else clean_rows), errors


def import_organisations(rows: Iterable[OrganisationRow]) -> list[Organisation]:
    """Add the organisations of a clean CSV (see parse_organisations_csv) in one go."""
    organisations = [Organisation(**row.values) for row in rows]
    db.session.add_all(organisations)
    db.session.flush()
    return organisations


def _references() -> list[tuple[Table, Any]]:
    """Every (table, column) with a foreign key to organisations.id, children first.

    Found from the metadata, so tables added later (sprint memberships, ...) are included."""
    found = []
    for table in reversed(Base.metadata.sorted_tables):
        for fk in table.foreign_keys:
            if fk.column.table.name == Organisation.__tablename__:
                found.append((table, fk.parent))
    return found


def _mails_query(organisation_id: int):
    """Mails sent to the organisation's invitees (they hold contact data)."""
    pairs = select(Invitation.campaign_id, Invitation.email).where(
        Invitation.organisation_id == organisation_id, Invitation.email.is_not(None)
    )
    return tuple_(OutboxMail.campaign_id, OutboxMail.recipient).in_(pairs)


def organisation_footprint(organisation_id: int) -> dict[str, int]:
    """How many rows of each table belong to the organisation (what deletion would remove):
    responses, answers, invitations, accounts ("users"), outbox mails and any other table that
    points to it."""
    counts = {
        table.name: db.session.scalar(
            select(func.count()).select_from(table).where(column == organisation_id)
        )
        or 0
        for table, column in _references()
    }
    counts["answers"] = (
        db.session.scalar(
            select(func.count())
            .select_from(Answer)
            .join(Response, Answer.response_id == Response.id)
            .where(Response.organisation_id == organisation_id)
        )
        or 0
    )
    counts["outbox_mails"] = (
        db.session.scalar(
            select(func.count()).select_from(OutboxMail).where(_mails_query(organisation_id))
        )
        or 0
    )
    return counts


def delete_organisation(organisation_id: int) -> dict[str, int]:
    """Delete an organisation on request with everything of it: responses and their answers,
    invitations with their contact data and the mails sent to them, employer accounts, and
    every other row that points to it. Returns the counts per table (for the audit log).

    Raises LookupError when the organisation does not exist."""
    if db.session.get(Organisation, organisation_id) is None:
        raise LookupError(f"organisation {organisation_id} does not exist")
    db.session.flush()
    counts = organisation_footprint(organisation_id)
    db.session.execute(delete(OutboxMail).where(_mails_query(organisation_id)))
    db.session.execute(
        delete(Answer).where(
            Answer.response_id.in_(
                select(Response.id).where(Response.organisation_id == organisation_id)
            )
        )
    )
    for table, column in _references():
        db.session.execute(delete(table).where(column == organisation_id))
    db.session.execute(delete(Organisation).where(Organisation.id == organisation_id))
    db.session.expire_all()  # objects loaded before may point at deleted rows
    return counts
