"""The one place where database rows become the tidy answer frame that `analysis` works on."""

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import select

from surveys.db import db
from surveys.definition.itemtypes import value_to_float
from surveys.models import (
    Answer,
    Campaign,
    Instrument,
    InstrumentVersion,
    Organisation,
    Response,
    ResponseStatus,
)

#: response-level columns of the tidy frame, in order
RESPONSE_COLUMNS = [
    "response_id", "campaign_id", "year", "wave", "organisation_id", "panel_key",
    "respondent_group", "sector", "region", "size_class",
]  # fmt: skip


def answer_frame(
    *,
    instrument: str | None = None,
    campaign_ids: Sequence[int] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Submitted answers in long format: one row per answer with the response's campaign, year,
    wave, organisation profile and panel key; `value` is numeric (NaN for missing codes, choices
    and texts), `text` the stored text.

    One query, whatever the size; in-progress responses are left out.
    """
    query = (
        select(
            Response.id.label("response_id"),
            Campaign.id.label("campaign_id"),
            Campaign.year,
            Campaign.wave,
            Response.organisation_id,
            Response.panel_key,
            Response.respondent_group,
            Organisation.sector,
            Organisation.region,
            Organisation.size_class,
            Answer.item_key,
            Answer.value.label("text"),
        )
        .join(Response, Answer.response_id == Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .outerjoin(Organisation, Response.organisation_id == Organisation.id)
        .where(Response.status == ResponseStatus.SUBMITTED)
        .order_by(Response.id, Answer.item_key)
    )
    if instrument is not None:
        query = (
            query.join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(Instrument.key == instrument)
        )
    if campaign_ids is not None:
        query = query.where(Campaign.id.in_(list(campaign_ids)))
    if years is not None:
        query = query.where(Campaign.year.in_(list(years)))
    with db.engine.connect() as connection:
        frame = pd.DataFrame(
            connection.execute(query).all(), columns=[*RESPONSE_COLUMNS, "item_key", "text"]
        )
    numbers = {text: value_to_float(text) for text in frame["text"].unique()}
    frame["value"] = frame["text"].map(numbers).astype(float)
    return frame
