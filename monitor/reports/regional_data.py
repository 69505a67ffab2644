"""What the regional monitor reads from the database, as plain frames and dicts.

The only module of the monitor that queries: answers come through ``surveys.frame.answer_frame``
(the one place that turns answer rows into the tidy frame), the rest is a handful of grouped
counts (campaigns, invitations, employers in the network, sprints). Everything after this module
is pandas and ``analysis``, so the numbers can be checked without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import case, distinct, func, select

from surveys.db import db
from surveys.frame import answer_frame
from surveys.models import (
    Campaign,
    CampaignStatus,
    Instrument,
    InstrumentVersion,
    Invitation,
    Organisation,
    Response,
    ResponseStatus,
)

#: the instruments the monitor reports on
INSTRUMENTS = ("hr_scan", "cop", "alumni", "sprint_evaluatie", "klankbord")
#: the kind of organisation that takes the HR-scan
EMPLOYER = "werkgever"


@dataclass(frozen=True)
class MonitorData:
    """Everything the monitor of ``year`` needs, read once."""

    year: int
    #: instrument key -> tidy answer frame of the submitted responses up to and including `year`
    frames: dict[str, pd.DataFrame]
    #: instrument key -> definition of its latest published version (None when not published)
    definitions: dict[str, dict[str, Any] | None]
    #: one row per campaign up to `year` that was opened (drafts left out): campaign_id,
    #: instrument, title, year, wave, mode, groups (the respondent groups addressed; empty: all),
    #: invited, submitted
    campaigns: pd.DataFrame
    #: employers in the network: organisation_id, sector, region, size_class
    employers: pd.DataFrame
    #: organisations invited to an HR-scan of `year` (distinct), 0 when nobody was invited
    hr_invited: int
    #: the latest year up to `year` with sprints that went ahead (fixed or done), or None
    sprint_year: int | None
    #: the sprints of `sprint_year` that went ahead: sprint_id, theme, theme_title, status,
    #: members, koplopers, sessions, present, recorded
    sprints: pd.DataFrame
    #: distinct companies in those sprints (a company in two sprints counts once)
    sprint_companies: int

    def latest_survey(self, key: str) -> tuple[pd.DataFrame, dict[str, Any], int] | None:
        """The answers of the latest year of survey ``key``, its definition and that year; None
        when it has no published definition or no answers."""
        frame, definition = self.frames[key], self.definitions[key]
        if definition is None or frame.empty:
            return None
        survey_year = int(frame["year"].max())
        return frame[frame["year"] == survey_year], definition, survey_year


def load_monitor_data(year: int) -> MonitorData:
    """Read the answers, campaigns, employers and sprints the monitor of ``year`` reports on."""
    frames = {}
    for key in INSTRUMENTS:
        frame = answer_frame(instrument=key)
        frames[key] = frame[frame["year"] <= year].reset_index(drop=True)
    definitions = {key: _latest_definition(key) for key in INSTRUMENTS}
    sprint_year = _sprint_year(year)
    return MonitorData(
        year=year,
        frames=frames,
        definitions=definitions,
        campaigns=_campaigns(year),
        employers=_employers(),
        hr_invited=_hr_invited(year),
        sprint_year=sprint_year,
        sprints=_sprints(sprint_year),
        sprint_companies=_sprint_companies(sprint_year),
    )


def _rows(query: Any) -> list[tuple]:
    """The rows of a query, read on a short-lived connection of its own (as ``answer_frame``
    does), so that building a report never leaves a transaction open in the caller's session
    (on SQLite an open session transaction would hold up the next connection)."""
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query).all()]


def _scalar(query: Any) -> Any:
    rows = _rows(query)
    return rows[0][0] if rows else None


def _latest_definition(key: str) -> dict[str, Any] | None:
    definition = _scalar(
        select(InstrumentVersion.definition)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(Instrument.key == key)
        .order_by(InstrumentVersion.number.desc())
        .limit(1)
    )
    return None if definition is None else dict(definition)


def _campaigns(year: int) -> pd.DataFrame:
    invited = (
        select(Invitation.campaign_id, func.count().label("invited"))
        .group_by(Invitation.campaign_id)
        .subquery()
    )
    submitted = (
        select(Response.campaign_id, func.count().label("submitted"))
        .where(Response.status == ResponseStatus.SUBMITTED)
        .group_by(Response.campaign_id)
        .subquery()
    )
    query = (
        select(
            Campaign.id.label("campaign_id"),
            Instrument.key.label("instrument"),
            Campaign.title,
            Campaign.year,
            Campaign.wave,
            Campaign.mode,
            Campaign.respondent_groups,
            func.coalesce(invited.c.invited, 0).label("invited"),
            func.coalesce(submitted.c.submitted, 0).label("submitted"),
        )
        .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .outerjoin(invited, invited.c.campaign_id == Campaign.id)
        .outerjoin(submitted, submitted.c.campaign_id == Campaign.id)
        .where(Campaign.year <= year, Campaign.status != CampaignStatus.DRAFT)
        .order_by(Campaign.year, Instrument.key, Campaign.wave, Campaign.id)
    )
    columns = [
        "campaign_id", "instrument", "title", "year", "wave", "mode", "groups", "invited",
        "submitted",
    ]  # fmt: skip
    frame = pd.DataFrame(_rows(query), columns=columns)
    frame["mode"] = frame["mode"].astype(str)
    frame["groups"] = frame["groups"].map(lambda groups: tuple(groups or ()))
    return frame


def _employers() -> pd.DataFrame:
    rows = _rows(
        select(
            Organisation.id, Organisation.sector, Organisation.region, Organisation.size_class
        ).where(Organisation.kind == EMPLOYER)
    )
    return pd.DataFrame(rows, columns=["organisation_id", "sector", "region", "size_class"])


def _hr_invited(year: int) -> int:
    return int(
        _scalar(
            select(func.count(distinct(Invitation.organisation_id)))
            .join(Campaign, Invitation.campaign_id == Campaign.id)
            .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(Instrument.key == "hr_scan", Campaign.year == year)
            .where(Invitation.organisation_id.is_not(None))
        )
        or 0
    )


SPRINT_COLUMNS = [
    "sprint_id", "theme", "theme_title", "status", "members", "koplopers", "sessions",
    "present", "recorded",
]  # fmt: skip


def _sprint_year(year: int) -> int | None:
    """The latest year up to ``year`` with sprints that went ahead (fixed or done).

    The sprint models are imported in the functions: they belong to ``scans``, which the rest of
    the monitor's data does not need.
    """
    from scans.models import Sprint, SprintStatus

    return _scalar(
        select(func.max(Sprint.year)).where(
            Sprint.year <= year, Sprint.status.in_((SprintStatus.FIXED, SprintStatus.DONE))
        )
    )


def _sprints(year: int | None) -> pd.DataFrame:
    """The sprints of ``year`` that went ahead (fixed or done), with their counts."""
    if year is None:
        return pd.DataFrame(columns=SPRINT_COLUMNS)
    from scans.models import (
        Attendance,
        Sprint,
        SprintMember,
        SprintRole,
        SprintSession,
        SprintStatus,
        SprintTheme,
    )

    going_ahead = (SprintStatus.FIXED, SprintStatus.DONE)
    sprints = _rows(
        select(Sprint.id, SprintTheme.key, SprintTheme.title, Sprint.status)
        .join(SprintTheme, Sprint.theme_id == SprintTheme.id)
        .where(Sprint.year == year, Sprint.status.in_(going_ahead))
        .order_by(SprintTheme.key, Sprint.id)
    )
    if not sprints:
        return pd.DataFrame(columns=SPRINT_COLUMNS)
    ids = [row[0] for row in sprints]
    members = dict(
        _rows(
            select(SprintMember.sprint_id, func.count())
            .where(SprintMember.sprint_id.in_(ids))
            .group_by(SprintMember.sprint_id)
        )
    )
    koplopers = dict(
        _rows(
            select(SprintMember.sprint_id, func.count())
            .where(SprintMember.sprint_id.in_(ids), SprintMember.role == SprintRole.KOPLOPER)
            .group_by(SprintMember.sprint_id)
        )
    )
    sessions = dict(
        _rows(
            select(SprintSession.sprint_id, func.count())
            .where(SprintSession.sprint_id.in_(ids))
            .group_by(SprintSession.sprint_id)
        )
    )
    attendance = {
        sprint_id: (int(present or 0), int(recorded or 0))
        for sprint_id, present, recorded in _rows(
            select(
                SprintSession.sprint_id,
                func.sum(case((Attendance.present, 1), else_=0)),
                func.count(Attendance.id),
            )
            .join(Attendance, Attendance.session_id == SprintSession.id)
            .where(SprintSession.sprint_id.in_(ids))
            .group_by(SprintSession.sprint_id)
        )
    }
    rows = [
        (
            sprint_id,
            theme,
            title,
            str(status),
            int(members.get(sprint_id, 0)),
            int(koplopers.get(sprint_id, 0)),
            int(sessions.get(sprint_id, 0)),
            *attendance.get(sprint_id, (0, 0)),
        )
        for sprint_id, theme, title, status in sprints
    ]
    return pd.DataFrame(rows, columns=SPRINT_COLUMNS)


def _sprint_companies(year: int | None) -> int:
    if year is None:
        return 0
    from scans.models import Sprint, SprintMember, SprintStatus

    return int(
        _scalar(
            select(func.count(distinct(SprintMember.organisation_id)))
            .join(Sprint, SprintMember.sprint_id == Sprint.id)
            .where(Sprint.year == year)
            .where(Sprint.status.in_((SprintStatus.FIXED, SprintStatus.DONE)))
        )
        or 0
    )
