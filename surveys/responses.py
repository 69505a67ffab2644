"""Response operations: start or resume, save a page, submit once.

Answers are written with one upsert per page (INSERT ... ON CONFLICT on response and item key), so
a double click, a second tab or two colleagues saving the same page never store an answer twice.
The statements of the respondent pages are built once, with their values as bound parameters, so
that a request neither builds them nor works out their cache key again.
"""

from collections.abc import Mapping
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, undefer

from surveys.db import db, utcnow
from surveys.models import (
    Answer,
    Campaign,
    Invitation,
    Organisation,
    Response,
    ResponseStatus,
)
from surveys.tokens import hash_token, panel_key, random_token

#: Load a campaign the way the respondent pages use it (see `surveys.published`).
WITH_VERSION_HASH = undefer(Campaign.version_hash)

_PERSONAL = (
    select(Invitation, Campaign, Response)
    .join(Invitation.campaign)
    .outerjoin(Response, Response.invitation_id == Invitation.id)
    .where(Invitation.token_hash == bindparam("token_hash"))
    .options(WITH_VERSION_HASH)
)
_RESUME = (
    select(Response)
    .where(Response.resume_token_hash == bindparam("token_hash"))
    .options(joinedload(Response.campaign).options(WITH_VERSION_HASH))
)
_ANSWERS = Answer.__table__.c
_STORED = select(_ANSWERS.item_key, _ANSWERS.value).where(
    _ANSWERS.response_id == bindparam("response_id")
)
_RESPONSES = Response.__table__.c
_MOVE = (
    update(Response.__table__)
    .where(
        _RESPONSES.id == bindparam("response_id"),
        _RESPONSES.status == ResponseStatus.IN_PROGRESS,
    )
    .values(
        current_page=bindparam("page"),
        language=bindparam("language"),
        updated_at=bindparam("now"),
    )
)


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


def response_for_invitation(invitation: Invitation) -> Response:
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


def response_for_employer(campaign: Campaign, organisation: Organisation, group: str) -> Response:
    """The organisation's scan in this campaign; colleagues continue the same response."""
    key = f"{campaign.id}:{organisation.id}"
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


def start_open_response(campaign: Campaign, group: str, language: str) -> tuple[Response, str]:
    """An anonymous response on an open link, with the resume token that finds it again."""
    token = random_token()
    response = Response(
        campaign_id=campaign.id,
        respondent_group=group,
        language=language,
        resume_token_hash=hash_token(token),
    )
    db.session.add(response)
    db.session.flush()
    return response, token


def find_personal(token: str) -> tuple[Invitation, Campaign, Response | None] | None:
    """The invitation of a personal token, its campaign and its response (None until the first
    page is saved), in one query; None for an unknown token."""
    return db.session.execute(_PERSONAL, {"token_hash": hash_token(token)}).one_or_none()


def find_by_resume_token(token: str) -> Response | None:
    """The response of an open link's resume token, with its campaign; None when unknown."""
    return db.session.scalar(_RESUME, {"token_hash": hash_token(token)})


def stored_answers(response_id: int) -> dict[str, str]:
    """item key -> stored text of one response."""
    rows = db.session.connection().execute(_STORED, {"response_id": response_id})
    return dict(rows.all())


def save_answers(
    response_id: int, values: Mapping[str, str | None], stored: Mapping[str, str] | None = None
) -> None:
    """Store a page's values: text is upserted, None removes the answer (cleared or hidden).

    `stored`, when given, is what the response has stored (as read in this request): then only
    what changes is written, no DELETE for keys that are not stored, no upsert of equal values.
    (Two different saves of one page at the same moment may then each write only what they
    changed; a double click sends the same values twice and ends the same either way.)
    """
    cleared = [
        key for key, value in values.items() if value is None and (stored is None or key in stored)
    ]
    rows = [
        {"response_id": response_id, "item_key": key, "value": value}
        for key, value in values.items()
        if value is not None and (stored is None or stored.get(key) != value)
    ]
    connection = db.session.connection()
    if cleared:
        connection.execute(
            delete(Answer).where(Answer.response_id == response_id, Answer.item_key.in_(cleared))
        )
    if rows:
        connection.execute(_upsert(connection.dialect.name), rows)


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
    """The respondent is now on `page` and answers in `language` (one UPDATE, no ORM flush).

    False, and nothing changed, when the response has been submitted (by another tab or a
    colleague since this request read it): the caller stores nothing then.
    """
    result = db.session.connection().execute(
        _MOVE, {"response_id": response_id, "page": page, "language": language, "now": utcnow()}
    )
    return result.rowcount == 1


def submit(response: Response) -> bool:
    """Mark the response submitted; True only for the request that did it (double submits
    and second tabs get False and change nothing)."""
    result = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.status == ResponseStatus.IN_PROGRESS)
        .values(status=ResponseStatus.SUBMITTED, submitted_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(response)
    return result.rowcount == 1
