"""Campaign operations: create, open, close, add invitees, invite and remind.

Views and CLI commands call these; they never touch models for these tasks themselves.
"""

import re
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import exists, func, insert, select

from surveys.db import db, lock_for_writing, utcnow
from surveys.invitees import Invitee
from surveys.mail import LINK, queue_mail
from surveys.mail import personal_link as personal_link  # callers know it from here
from surveys.models import (
    Campaign,
    CampaignMode,
    CampaignStatus,
    InstrumentVersion,
    Invitation,
    Organisation,
    OutboxMail,
    Response,
    ResponseStatus,
)
from surveys.textinput import column_length, shortened, text_problem
from surveys.tokens import hash_token, invitation_token, new_salt, panel_key

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{2,79}")
#: what the subjects of a campaign's mails put before its title
INVITATION_SUBJECT, REMINDER_SUBJECT = "Uitnodiging: ", "Herinnering: "
#: the longest title: its column, and every mail subject made from it must fit its own column
TITLE_MAX = min(
    column_length(Campaign.title),
    column_length(OutboxMail.subject) - max(map(len, (INVITATION_SUBJECT, REMINDER_SUBJECT))),
)
#: contact data is kept this long after a campaign closes unless set otherwise
DEFAULT_RETENTION = timedelta(days=2 * 365)
#: the years a measurement round, a sprint proposal or a monitor report may belong to (every form
#: and page that takes a year checks against this one range)
YEARS = range(2000, 2101)
#: the first and last day a campaign may open or close: a closing date far beyond would have no
#: retention date (9999-12-31 plus two years overflows)
FIRST_DAY, LAST_DAY = date(YEARS[0], 1, 1), date(YEARS[-1], 12, 31)


class CampaignError(ValueError):
    """A campaign operation that cannot be done, with a message for the coordinator."""


def instrument_groups(version: InstrumentVersion) -> list[str]:
    return [g["key"] for g in version.definition.get("respondent_groups", [])]


def create_campaign(
    version: InstrumentVersion,
    *,
    title: str,
    year: int,
    wave: int,
    opens_on: date,
    closes_on: date,
    mode: CampaignMode | str,
    respondent_groups: list[str] | None = None,
    slug: str | None = None,
    retention_until: date | None = None,
) -> Campaign:
    """A new draft campaign pinned to one published instrument version."""
    mode = CampaignMode(mode)
    groups = respondent_groups or instrument_groups(version)
    unknown = sorted(set(groups) - set(instrument_groups(version)))
    problems = []
    if unknown:
        problems.append(f"unknown respondent group(s) {', '.join(unknown)}")
    if closes_on < opens_on:
        problems.append("the closing date lies before the opening date")
    if not all(FIRST_DAY <= day <= LAST_DAY for day in (opens_on, closes_on)):
        problems.append(f"the dates must lie between {FIRST_DAY} and {LAST_DAY} (2000-2100)")
    if wave < 0:
        problems.append("the wave must be 0 (nulmeting) or higher")
    if year not in YEARS:
        problems.append(f"the year must lie between {YEARS[0]} and {YEARS[-1]}")
    title = title.strip()
    if not title:
        problems.append("a title is required")
    elif problem := text_problem(title, TITLE_MAX):
        problems.append(f"titel: {problem}")
    slug = slug or _free_slug(f"{version.definition['key'].replace('_', '-')}-{year}-{wave}")
    if not SLUG.fullmatch(slug):
        problems.append("the slug may hold lower-case letters, digits and hyphens (3-80)")
    elif db.session.scalar(select(Campaign.id).where(Campaign.slug == slug)):
        problems.append(f"the slug '{slug}' is taken")
    if problems:
        raise CampaignError("; ".join(problems))
    campaign = Campaign(
        instrument_version=version,
        title=title,
        year=year,
        wave=wave,
        opens_on=opens_on,
        closes_on=closes_on,
        mode=mode,
        status=CampaignStatus.DRAFT,
        respondent_groups=groups,
        slug=slug,
        retention_until=retention_until or closes_on + DEFAULT_RETENTION,
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _free_slug(base: str) -> str:
    taken = set(db.session.scalars(select(Campaign.slug).where(Campaign.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def open_campaign(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.OPEN:
        raise CampaignError(f"campaign {campaign.id} is already open")
    campaign.status = CampaignStatus.OPEN


def close_campaign(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise CampaignError(f"campaign {campaign.id} is not open")
    campaign.status = CampaignStatus.CLOSED


def organisation_lookup() -> dict[str, int]:
    """Id, KvK number and name (lower case) of every organisation -> its id (CSV imports)."""
    lookup: dict[str, int] = {}
    for org_id, kvk, name in db.session.execute(
        select(Organisation.id, Organisation.kvk_number, Organisation.name)
    ):
        lookup[str(org_id)] = org_id
        lookup[name.lower()] = org_id
        if kvk:
            lookup[kvk] = org_id
    return lookup


def add_invitations(campaign: Campaign, invitees: list[Invitee]) -> list[Invitation]:
    """Invitations with a personal token each, in the caller's transaction; e-mails already
    invited are skipped. For a list of any length from a file, see `import_invitations`."""
    added = [Invitation(**values) for values in _new_invitations(campaign, invitees)]
    db.session.add_all(added)
    db.session.flush()
    return added


#: invitations written per transaction by `import_invitations`
IMPORT_BATCH = 5000


def import_invitations(campaign: Campaign, invitees: list[Invitee]) -> int:
    """Add a (long) invitee list in transactions of IMPORT_BATCH invitations, each committed at
    once, so that respondents who save a page meanwhile wait milliseconds for SQLite's write
    lock instead of the whole import. Returns how many were added (e-mails already invited are
    skipped, so importing the same file again after a failure adds just the rest).

    Commits the caller's transaction first; a `reads_first` view calls it after its reads."""
    rows = _new_invitations(campaign, invitees)
    for start in range(0, len(rows), IMPORT_BATCH):
        lock_for_writing()
        db.session.execute(insert(Invitation.__table__), rows[start : start + IMPORT_BATCH])
        db.session.commit()
    return len(rows)


def _new_invitations(campaign: Campaign, invitees: list[Invitee]) -> list[dict[str, Any]]:
    """The column values of an invitation for each invitee not yet invited (a personal token's
    salt and hash, the keyed panel key)."""
    if campaign.mode != CampaignMode.PERSONAL:
        raise CampaignError("only personal-link campaigns take an invitee list")
    existing = set(
        db.session.scalars(select(Invitation.email).where(Invitation.campaign_id == campaign.id))
    )
    secret, panel_secret = current_app.config["SECRET_KEY"], current_app.config["PANEL_SECRET"]
    rows = []
    for person in invitees:
        if person.email in existing:
            continue
        salt = new_salt()
        rows.append(
            {
                "campaign_id": campaign.id,
                "token_salt": salt,
                "token_hash": hash_token(invitation_token(secret, salt)),
                "email": person.email,
                "name": person.name,
                "respondent_group": person.respondent_group,
                "organisation_id": person.organisation_id,
                "panel_key": panel_key(panel_secret, person.email),
            }
        )
    return rows


def find_invitation(token: str) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def _mail_body(campaign: Campaign, invitation: Invitation, reminder: bool) -> str:
    """The text of an invitation or reminder, with `LINK` where delivery puts the personal link."""
    link = LINK
    greeting = f"Beste {invitation.name}," if invitation.name else "Beste deelnemer,"
    opening = (
        f"Een vriendelijke herinnering: we horen graag uw mening in '{campaign.title}'."
        if reminder
        else f"U bent uitgenodigd voor '{campaign.title}'."
    )
    return (
        f"{greeting}\n\n{opening}\n\nOpen uw persoonlijke link:\n{link}\n\n"
        f"De link werkt tot en met {campaign.closes_on.strftime('%d-%m-%Y')}. U kunt tussendoor "
        "stoppen en later met dezelfde link verdergaan. Uw antwoorden worden alleen gebruikt in "
        f"overzichten van minstens {current_app.config['MONITOR_K_ANONYMITY']} deelnemers.\n\n"
        f"Geen herinneringen meer ontvangen? {link}/afmelden\n"
    )


def mail_subject(prefix: str, title: str) -> str:
    """The subject of a campaign mail. Titles are checked against TITLE_MAX when made; one
    stored before that check is shortened so the round can still invite."""
    return shortened(f"{prefix}{title}", column_length(OutboxMail.subject))


def _not_submitted():
    return ~exists().where(
        Response.invitation_id == Invitation.id, Response.status == ResponseStatus.SUBMITTED
    )


def send_invitations(campaign: Campaign) -> int:
    """Queue an invitation mail for everyone not yet invited; returns how many."""
    if campaign.status != CampaignStatus.OPEN:
        raise CampaignError("open the campaign before sending invitations")
    pending = db.session.scalars(
        select(Invitation).where(
            Invitation.campaign_id == campaign.id,
            Invitation.sent_at.is_(None),
            Invitation.email.is_not(None),
            ~Invitation.opted_out,
        )
    ).all()
    for invitation in pending:
        queue_mail(
            invitation.email,
            mail_subject(INVITATION_SUBJECT, campaign.title),
            _mail_body(campaign, invitation, False),
            campaign.id,
            invitation,
        )
        invitation.sent_at = utcnow()
    return len(pending)


def send_reminders(campaign: Campaign) -> int:
    """Queue a reminder for the invited who have not submitted and did not opt out."""
    if campaign.status != CampaignStatus.OPEN:
        raise CampaignError("reminders go out only while the campaign is open")
    pending = db.session.scalars(
        select(Invitation).where(
            Invitation.campaign_id == campaign.id,
            Invitation.sent_at.is_not(None),
            Invitation.email.is_not(None),
            ~Invitation.opted_out,
            _not_submitted(),
        )
    ).all()
    for invitation in pending:
        queue_mail(
            invitation.email,
            mail_subject(REMINDER_SUBJECT, campaign.title),
            _mail_body(campaign, invitation, True),
            campaign.id,
            invitation,
        )
        invitation.reminded_at = utcnow()
    return len(pending)


def response_counts(campaign: Campaign) -> dict[str, int]:
    """Invited, started and submitted counts of a campaign."""
    invited = db.session.scalar(
        select(func.count()).select_from(Invitation).where(Invitation.campaign_id == campaign.id)
    )
    rows = dict(
        db.session.execute(
            select(Response.status, func.count())
            .where(Response.campaign_id == campaign.id)
            .group_by(Response.status)
        ).all()
    )
    submitted = rows.get(ResponseStatus.SUBMITTED, 0)
    return {
        "invited": invited or 0,
        "started": submitted + rows.get(ResponseStatus.IN_PROGRESS, 0),
        "submitted": submitted,
    }


#: what response monitoring can be broken down by
BREAKDOWNS = {
    "respondent_group": (Invitation.respondent_group, Response.respondent_group),
    "sector": (Organisation.sector, Organisation.sector),
    "region": (Organisation.region, Organisation.region),
}


def response_breakdown(campaign: Campaign, by: str) -> list[dict[str, object]]:
    """Invited, started and submitted per value of `by` (respondent_group, sector or region),
    with the response rate where people were invited."""
    invited_col, response_col = BREAKDOWNS[by]
    invited_query = (
        select(invited_col, func.count())
        .select_from(Invitation)
        .where(Invitation.campaign_id == campaign.id)
    )
    response_query = (
        select(response_col, Response.status, func.count())
        .select_from(Response)
        .where(Response.campaign_id == campaign.id)
    )
    if by in ("sector", "region"):
        invited_query = invited_query.join(
            Organisation, Invitation.organisation_id == Organisation.id
        )
        response_query = response_query.join(
            Organisation, Response.organisation_id == Organisation.id
        )
    rows: dict[object, dict[str, object]] = {}

    def row(key: object) -> dict[str, object]:
        return rows.setdefault(key, {by: key, "invited": 0, "started": 0, "submitted": 0})

    for key, n in db.session.execute(invited_query.group_by(invited_col)):
        row(key)["invited"] = n
    for key, status, n in db.session.execute(
        response_query.group_by(response_col, Response.status)
    ):
        row(key)["started"] += n
        if status == ResponseStatus.SUBMITTED:
            row(key)["submitted"] += n
    for values in rows.values():
        values["rate"] = values["submitted"] / values["invited"] if values["invited"] else None
    return sorted(rows.values(), key=lambda r: str(r[by]))


def submissions_per_day(campaign: Campaign) -> list[tuple[date, int]]:
    """How many responses were submitted on each day of the campaign (days without any: 0)."""
    on = func.date(Response.submitted_at)
    counts = {
        date.fromisoformat(str(d)): n
        for d, n in db.session.execute(
            select(on, func.count())
            .where(Response.campaign_id == campaign.id, Response.submitted_at.is_not(None))
            .group_by(on)
        )
    }
    if not counts:
        return []
    first, last = min(counts), max(counts)
    span = (last - first).days + 1
    return [
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(span)
    ]


def non_responders(campaign: Campaign, limit: int = 500) -> tuple[list[Invitation], int]:
    """Invitations without a submitted response (personal-link rounds), at most `limit`, and
    how many there are in all."""
    where = (Invitation.campaign_id == campaign.id, _not_submitted())
    total = db.session.scalar(select(func.count()).select_from(Invitation).where(*where))
    rows = db.session.scalars(
        select(Invitation).where(*where).order_by(Invitation.email).limit(limit)
    ).all()
    return list(rows), total or 0
