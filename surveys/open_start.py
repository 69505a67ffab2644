"""Starting a response on an open link (/a/<slug>) once per browser session.

The session holds a random start key; the response's resume token is derived from it
(`open_start_token`). A double click on "Beginnen", a form sent again or a second tab therefore
land in the same response instead of making one each. Once that response has an answer (or has
been submitted) a new start gets a new key and a new response: on a shared computer the next
person does not land in the answers of the one before.
"""

import secrets

from flask import current_app, session
from sqlalchemy import exists, select

from surveys.db import db
from surveys.models import Answer, Campaign, Response, ResponseStatus
from surveys.responses import start_open_response
from surveys.tokens import open_start_token

#: the session entry with this browser's start key for open links
SESSION_KEY = "open_start"


def start_key(*, renew: bool = False) -> str:
    """This browser session's start key, made on first use (or anew with `renew`)."""
    key = session.get(SESSION_KEY)
    if key is None or renew:
        key = session[SESSION_KEY] = secrets.token_urlsafe(16)
    return key


def _unanswered(response: Response) -> bool:
    return (
        response.status == ResponseStatus.IN_PROGRESS
        and response.current_page == 0
        and not db.session.scalar(select(exists().where(Answer.response_id == response.id)))
    )


def start_once(campaign: Campaign, group: str, language: str) -> str:
    """The resume token of this browser session's unanswered response on `campaign` (started
    now when there is none), in `group` and `language` as chosen last."""
    secret = current_app.config["SECRET_KEY"]
    response, token = start_open_response(
        campaign, group, language, open_start_token(secret, campaign.id, start_key())
    )
    if not _unanswered(response):
        response, token = start_open_response(
            campaign, group, language, open_start_token(secret, campaign.id, start_key(renew=True))
        )
    response.respondent_group, response.language = group, language
    return token
