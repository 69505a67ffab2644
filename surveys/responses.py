"""Response operations: start or resume, save a page, submit once.

Answers are written with one upsert per page (INSERT ... ON CONFLICT on response and item key), so
a double click, a second tab or two colleagues saving the same page never store an answer twice.
"""

from collections.abc import Mapping
from functools import cache

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

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


def find_by_resume_token(token: str) -> Response | None:
    lookup = Response.resume_token_hash == hash_token(token)
    return db.session.scalar(select(Response).where(lookup))


def stored_answers(response_id: int) -> dict[str, str]:
    """item key -> stored text of one response."""
    rows = db.session.execute(
        select(Answer.item_key, Answer.value).where(Answer.response_id == response_id)
    )
    return dict(rows.all())


def save_answers(response_id: int, values: Mapping[str, str | None]) -> None:
    """Store a page's values: text is upserted, None removes the answer (cleared or hidden)."""
    cleared = [key for key, value in values.items() if value is None]
    rows = [
        {"response_id": response_id, "item_key": key, "value": value}
        for key, value in values.items()
        if value is not None
    ]
    if cleared:
        db.session.execute(
            delete(Answer).where(Answer.response_id == response_id, Answer.item_key.in_(cleared))
        )
    if rows:
        db.session.execute(_upsert(db.engine.dialect.name), rows)


@cache
def _upsert(dialect: str):
    """INSERT ... ON CONFLICT (response, item key) DO UPDATE, built once per dialect so its
    compiled form is cached (the rows are parameters)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Answer)
    return statement.on_conflict_do_update(
        index_elements=[Answer.response_id, Answer.item_key],
        set_={"value": statement.excluded.value},
    )


def move_to_page(response: Response, page: int) -> None:
    response.current_page = page
    response.updated_at = utcnow()


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
