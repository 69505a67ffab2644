"""The database side of an export: one record per submitted response of a campaign."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from surveys.db import db
from surveys.exports.columns import RESPONSE_SOURCE, Column, export_columns
from surveys.models import Answer, Campaign, Invitation, Organisation, Response, ResponseStatus

#: Submission dates are the date in the Netherlands, not in UTC.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")


class ExportError(ValueError):
    """An export cannot be made; the message says why, fit for the person who asked."""


@dataclass(frozen=True)
class ExportTable:
    """What an export holds, independent of the file format: the columns and one record per
    submitted response (item key or response attribute -> the stored value)."""

    campaign_id: int
    slug: str
    title: str
    instrument: str
    version: int
    with_contacts: bool
    columns: tuple[Column, ...]
    records: tuple[Mapping[str, Any], ...]

    @property
    def message(self) -> str | None:
        """A note for the person exporting, or None (a campaign without responses)."""
        if not self.records:
            return (
                f"campaign {self.campaign_id} has no submitted responses; "
                "the export holds the column headers only"
            )
        return None

    def cells(self) -> Iterator[list[Any]]:
        """The CSV/XLSX cells, row by row (None = empty)."""
        for record in self.records:
            yield [column.cell(record.get(column.source)) for column in self.columns]


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).date()


def load_table(campaign_id: int, *, with_contacts: bool = False) -> ExportTable:
    """The export of campaign `campaign_id`: its submitted responses in id order, with the
    contact data of invitations and the organisation's name only when `with_contacts`.

    Raises ExportError for an unknown campaign. Two queries (responses, answers), whatever the
    size.
    """
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise ExportError(f"campaign {campaign_id} does not exist")
    version = campaign.instrument_version
    fields = [
        Response.id.label("response_id"),
        Response.respondent_group,
        Response.submitted_at,
        Response.panel_key,
        Organisation.sector,
        Organisation.region,
        Organisation.size_class,
    ]
    if with_contacts:
        fields += [
            Organisation.name.label("organisation_name"),
            Invitation.name.label("contact_name"),
            Invitation.email.label("contact_email"),
        ]
    query = (
        select(*fields)
        .outerjoin(Organisation, Response.organisation_id == Organisation.id)
        .where(Response.campaign_id == campaign.id, Response.status == ResponseStatus.SUBMITTED)
        .order_by(Response.id)
    )
    if with_contacts:
        query = query.outerjoin(Invitation, Response.invitation_id == Invitation.id)
    records: dict[int, dict[str, Any]] = {}
    for row in db.session.execute(query).mappings():
        attributes = dict(row, year=campaign.year, wave=campaign.wave)
        attributes["submitted_on"] = _local_date(attributes.pop("submitted_at"))
        records[row["response_id"]] = {RESPONSE_SOURCE + k: v for k, v in attributes.items()}
    if records:
        # through the session's own connection: a second connection would wait for the session's
        # write lock on SQLite (commands and POST requests begin IMMEDIATE, see surveys.db)
        answers = (
            select(Answer.response_id, Answer.item_key, Answer.value)
            .join(Response, Answer.response_id == Response.id)
            .where(Response.campaign_id == campaign.id, Response.status == ResponseStatus.SUBMITTED)
        )
        for response_id, key, value in db.session.execute(answers):
            if response_id in records:  # (submitted since the first query: next export)
                records[response_id][key] = value
    columns = export_columns(version.definition, wave=campaign.wave, with_contacts=with_contacts)
    return ExportTable(
        campaign_id=campaign.id,
        slug=campaign.slug,
        title=campaign.title,
        instrument=version.instrument.key,
        version=version.number,
        with_contacts=with_contacts,
        columns=tuple(columns),
        records=tuple(records.values()),
    )
