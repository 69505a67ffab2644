"""Response operations: start or resume, save a page, submit once.

Answers are written with one upsert per page (INSERT ... ON CONFLICT on response and item key), so
a double click, a second tab or two colleagues saving the same page never store an answer twice.
The statements of the respondent pages are built once, with their values as bound parameters, so
that a request neither builds them nor works out their cache key again.

A respondent page reads what it needs in one query of plain columns (`Visit`): the campaign's
terms, the invitation (personal links), the response's progress and its stored answers as one
JSON object. No ORM objects: loading three of them cost more than the rest of the lookup.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import cache, lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import JSON, bindparam, case, delete, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import undefer
from sqlalchemy.sql.functions import FunctionElement

from surveys.db import db, lock_for_writing, utcnow
from surveys.models import (
    AcceptsAnswers,
    Answer,
    Campaign,
    InstrumentVersion,
    Invitation,
    Organisation,
    Response,
    ResponseStatus,
)
from surveys.tokens import hash_token, panel_key, random_token

#: Load a campaign the way the respondent pages use it (see `surveys.published`).
WITH_VERSION_HASH = undefer(Campaign.version_hash)


@dataclass(frozen=True)
class CampaignTerms(AcceptsAnswers):
    """What the respondent pages read of a campaign."""

    id: int
    mode: str
    status: str
    opens_on: date
    closes_on: date
    wave: int
    respondent_groups: list[str]
    instrument_version_id: int
    version_hash: str


@dataclass(frozen=True)
class InvitationKeys:
    """What a personal link's first save copies from its invitation into the response."""

    id: int
    campaign_id: int
    organisation_id: int | None
    respondent_group: str | None
    panel_key: str | None


@dataclass(frozen=True)
class Progress:
    """A response as the respondent pages follow it."""

    id: int
    status: str
    language: str
    current_page: int
    respondent_group: str | None


@dataclass(frozen=True)
class Visit:
    """One request's view of a respondent's link: the campaign, the invitation (personal links
    only), the response (None until the first page is saved) and its stored answers."""

    campaign: CampaignTerms
    response: Progress | None
    stored: dict[str, str]
    invitation: InvitationKeys | None = None


class _answers_object(FunctionElement):
    """item key -> value of the aggregated answers as one JSON object (NULL for none)."""

    type = JSON()
    inherit_cache = True


@compiles(_answers_object, "postgresql")
def _answers_object_postgresql(element, compiler, **kw) -> str:
    return f"json_object_agg({compiler.process(element.clauses, **kw)})"


@compiles(_answers_object, "sqlite")
def _answers_object_sqlite(element, compiler, **kw) -> str:
    return f"json_group_object({compiler.process(element.clauses, **kw)})"


_CAMPAIGNS, _VERSIONS = Campaign.__table__, InstrumentVersion.__table__
_INVITATIONS, _RESPONSES = Invitation.__table__, Response.__table__
_ANSWERS = Answer.__table__.c


def _columns(cls: type, table, **named) -> list[Any]:
    """The columns behind `cls`'s fields, in field order (`named`: those not in `table`)."""
    return [named[f.name] if f.name in named else table.c[f.name] for f in fields(cls)]


_VISIT_COLUMNS = [
    *_columns(CampaignTerms, _CAMPAIGNS, version_hash=_VERSIONS.c.content_hash),
    *_columns(Progress, _RESPONSES),
    select(_answers_object(_ANSWERS.item_key, _ANSWERS.value))
    .where(_ANSWERS.response_id == _RESPONSES.c.id)
    .scalar_subquery(),
]
_WITH_VERSION = _CAMPAIGNS.join(_VERSIONS, _VERSIONS.c.id == _CAMPAIGNS.c.instrument_version_id)
_PERSONAL = (
    select(*_VISIT_COLUMNS, *_columns(InvitationKeys, _INVITATIONS))
    .select_from(
        _INVITATIONS.join(_WITH_VERSION, _CAMPAIGNS.c.id == _INVITATIONS.c.campaign_id).outerjoin(
            _RESPONSES, _RESPONSES.c.invitation_id == _INVITATIONS.c.id
        )
    )
    .where(_INVITATIONS.c.token_hash == bindparam("token_hash"))
)
_RESUME = (
    select(*_VISIT_COLUMNS)
    .select_from(_RESPONSES.join(_WITH_VERSION, _CAMPAIGNS.c.id == _RESPONSES.c.campaign_id))
    .where(_RESPONSES.c.resume_token_hash == bindparam("token_hash"))
)
_EMPLOYER = (
    select(*_VISIT_COLUMNS)
    .select_from(_WITH_VERSION.outerjoin(_RESPONSES, _RESPONSES.c.employer_key == bindparam("key")))
    .where(_CAMPAIGNS.c.id == bindparam("campaign_id"))
)
_STORED = select(_ANSWERS.item_key, _ANSWERS.value).where(
    _ANSWERS.response_id == bindparam("response_id")
)
_MOVE = (
    update(_RESPONSES)
    .where(
        _RESPONSES.c.id == bindparam("response_id"),
        _RESPONSES.c.status == ResponseStatus.IN_PROGRESS,
    )
    .values(
        current_page=case(
            (_RESPONSES.c.current_page > bindparam("page"), _RESPONSES.c.current_page),
            else_=bindparam("page"),
        ),
        language=bindparam("language"),
        updated_at=bindparam("now"),
    )
)
_SIZES = len(fields(CampaignTerms)), len(fields(Progress))


def _visit(statement, **params: Any) -> Visit | None:
    row = _first_row(statement, params)
    if row is None:
        return None
    campaign_end = _SIZES[0]
    response_end = campaign_end + _SIZES[1]
    response, invitation = row[campaign_end:response_end], row[response_end + 1 :]
    return Visit(
        campaign=CampaignTerms(*row[:campaign_end]),
        response=Progress(*response) if response[0] is not None else None,
        stored=row[response_end] or {},
        invitation=InvitationKeys(*invitation) if invitation else None,
    )


def _first_row(statement, params: Mapping[str, Any]) -> Sequence[Any] | None:
    """The first row of a respondent page's statement. On PostgreSQL it runs on the driver's own
    connection, with the statement's SQL compiled once: SQLAlchemy's execution and result
    machinery cost more CPU than the query itself (~0.2 ms a statement, two per saved page). The
    row holds the columns' Python values (psycopg decodes JSON itself)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return connection.execute(statement, params).first()
    sql = _compiled(statement, connection.dialect)
    with connection.connection.driver_connection.cursor() as cursor:
        return cursor.execute(sql, params).fetchone()


@lru_cache(maxsize=32)
def _compiled(statement, dialect) -> str:
    return str(statement.compile(dialect=dialect))


def find_personal(token: str) -> Visit | None:
    """The visit of a personal token, with its invitation; None for an unknown token."""
    return _visit(_PERSONAL, token_hash=hash_token(token))


def find_by_resume_token(token: str) -> Visit | None:
    """The visit of an open link's resume token; None when unknown."""
    return _visit(_RESUME, token_hash=hash_token(token))


def find_employer_scan(campaign_id: int, organisation_id: int) -> Visit | None:
    """The visit of an organisation's scan in a campaign (no response until the first save);
    None when there is no such campaign."""
    key = employer_key(campaign_id, organisation_id)
    return _visit(_EMPLOYER, campaign_id=campaign_id, key=key)


def employer_key(campaign_id: int, organisation_id: int) -> str:
    """The key that makes colleagues of one organisation continue the same scan."""
    return f"{campaign_id}:{organisation_id}"


def _get_or_create(lookup, make: Mapping) -> Response:
    """The response found by `lookup`, else a new one; safe when two requests race."""
    response = db.session.scalar(select(Response).where(lookup))
    if response is not None:
        return response
    try:
        with db.session.begin_nested():
            response = Response(**make)
            db.session.add(response)
    except IntegrityError:
        response = db.session.scalar(select(Response).where(lookup))
    return response


def response_for_invitation(invitation: Invitation | InvitationKeys) -> Response:
    """The one response of a personal invitation."""
    return _get_or_create(
        Response.invitation_id == invitation.id,
        {
            "campaign_id": invitation.campaign_id,
            "invitation_id": invitation.id,
            "organisation_id": invitation.organisation_id,
            "respondent_group": invitation.respondent_group,
            "panel_key": invitation.panel_key,
        },
    )


def organisation_panel_key(organisation: Organisation) -> str:
    """Pseudonymous key of a company, stable across years (KvK number, else the id)."""
    identifier = f"kvk:{organisation.kvk_number}" if organisation.kvk_number else organisation.id
    return panel_key(current_app.config["PANEL_SECRET"], f"organisation:{identifier}")


def response_for_employer(
    campaign: Campaign | CampaignTerms, organisation: Organisation, group: str
) -> Response:
    """The organisation's scan in this campaign; colleagues continue the same response."""
    key = employer_key(campaign.id, organisation.id)
    return _get_or_create(
        Response.employer_key == key,
        {
            "campaign_id": campaign.id,
            "employer_key": key,
            "organisation_id": organisation.id,
            "respondent_group": group,
            "panel_key": organisation_panel_key(organisation),
        },
    )


def start_open_response(
    campaign: Campaign, group: str, language: str, token: str | None = None
) -> tuple[Response, str]:
    """The anonymous response on an open link that `token` resumes, made when it has none (a new
    random token when None), and the token; safe when two requests race."""
    token = token or random_token()
    response = _get_or_create(
        Response.resume_token_hash == hash_token(token),
        {
            "campaign_id": campaign.id,
            "respondent_group": group,
            "language": language,
            "resume_token_hash": hash_token(token),
        },
    )
    return response, token


def stored_answers(response_id: int) -> dict[str, str]:
    """item key -> stored text of one response."""
    rows = db.session.connection().execute(_STORED, {"response_id": response_id})
    return dict(rows.all())


def _changes(
    values: Mapping[str, str | None], stored: Mapping[str, str] | None
) -> tuple[list[str], dict[str, str]]:
    """The keys to delete and the texts to upsert for `values` (see `save_answers`)."""
    cleared = [
        key for key, value in values.items() if value is None and (stored is None or key in stored)
    ]
    changed = {
        key: value
        for key, value in values.items()
        if value is not None and (stored is None or stored.get(key) != value)
    }
    return cleared, changed


def save_answers(
    response_id: int, values: Mapping[str, str | None], stored: Mapping[str, str] | None = None
) -> None:
    """Store a page's values: text is upserted, None removes the answer (cleared or hidden).

    `stored`, when given, is what the response has stored (as read in this request): then only
    what changes is written, no DELETE for keys that are not stored, no upsert of equal values.
    (Two different saves of one page at the same moment may then each write only what they
    changed; a double click sends the same values twice and ends the same either way.)
    """
    cleared, changed = _changes(values, stored)
    connection = db.session.connection()
    if cleared:
        connection.execute(
            delete(Answer).where(Answer.response_id == response_id, Answer.item_key.in_(cleared))
        )
    if changed:
        rows = [
            {"response_id": response_id, "item_key": key, "value": value}
            for key, value in changed.items()
        ]
        connection.execute(_upsert(connection.dialect.name), rows)


#: `save_page` on PostgreSQL: the move, the DELETE and the upsert in one statement, which is
#: atomic by itself; the answers are written only when the response moved (is not submitted).
_SAVE_PAGE_POSTGRESQL = text(
    """
    WITH moved AS (
        UPDATE responses
        SET current_page = GREATEST(current_page, :page), language = :language, updated_at = :now
        WHERE id = :response_id AND status = :in_progress
        RETURNING id
    ), cleared AS (
        DELETE FROM answers USING moved
        WHERE answers.response_id = moved.id
          AND answers.item_key = ANY(CAST(:cleared AS varchar[]))
    ), saved AS (
        INSERT INTO answers (response_id, item_key, value)
        SELECT moved.id, given.item_key, given.value
        FROM moved, unnest(CAST(:keys AS varchar[]), CAST(:texts AS text[]))
            AS given(item_key, value)
        ON CONFLICT (response_id, item_key) DO UPDATE SET value = excluded.value
    )
    SELECT count(*) FROM moved
    """
)


def save_page(
    response_id: int,
    page: int,
    language: str,
    values: Mapping[str, str | None],
    stored: Mapping[str, str],
) -> bool:
    """Save a page: the respondent moves on to `page` in `language` (see `move_to_page`) and
    `values` are stored as `save_answers` does. False, and nothing changed, when the response
    has been submitted (by another tab or a colleague since this request read it).

    PostgreSQL: one statement, atomic by itself, so a `reads_first` view needs no transaction
    for it (one round trip instead of BEGIN, UPDATE, upsert and COMMIT). SQLite: the write lock,
    then the UPDATE and the changed answers.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        cleared, changed = _changes(values, stored)
        (moved,) = _first_row(
            _SAVE_PAGE_POSTGRESQL,
            {
                "response_id": response_id,
                "page": page,
                "language": language,
                "now": utcnow(),
                "in_progress": ResponseStatus.IN_PROGRESS.value,
                "cleared": cleared,
                "keys": list(changed),
                "texts": list(changed.values()),
            },
        )
        return moved == 1
    lock_for_writing()
    if not move_to_page(response_id, page, language):
        return False
    save_answers(response_id, values, stored)
    return True


@cache
def _upsert(dialect: str):
    """INSERT ... ON CONFLICT (response, item key) DO UPDATE, built once per dialect so its
    compiled form is cached (the rows are parameters)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Answer.__table__)
    return statement.on_conflict_do_update(
        index_elements=[Answer.response_id, Answer.item_key],
        set_={"value": statement.excluded.value},
    )


def move_to_page(response_id: int, page: int, language: str) -> bool:
    """The respondent is now on `page` and answers in `language` (one UPDATE, no ORM flush);
    the response's `current_page` is the furthest page reached, so going back does not lower it
    (a colleague's or another tab's post for an earlier page leaves the later pages open).

    False, and nothing changed, when the response has been submitted (by another tab or a
    colleague since this request read it): the caller stores nothing then.
    """
    result = db.session.connection().execute(
        _MOVE, {"response_id": response_id, "page": page, "language": language, "now": utcnow()}
    )
    return result.rowcount == 1


def submit(response_id: int) -> bool:
    """Mark the response submitted; True only for the request that did it (double submits
    and second tabs get False and change nothing). A loaded `Response` is not refreshed."""
    now = utcnow()
    result = db.session.connection().execute(
        update(_RESPONSES)
        .where(_RESPONSES.c.id == response_id, _RESPONSES.c.status == ResponseStatus.IN_PROGRESS)
        .values(status=ResponseStatus.SUBMITTED, submitted_at=now, updated_at=now)
    )
    return result.rowcount == 1
