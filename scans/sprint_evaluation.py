"""The evaluation of a finished sprint: a personal-link campaign of the published
``sprint_evaluatie`` instrument for the member companies, created, opened and its invitations
queued in one use case.

The campaign's slug ``sprint-<id>-evaluatie`` is how the sprint finds its evaluation again (a
sprint has no column for it). Like ``scans.sprint_services``: ids and plain values in, a
``SprintError`` with Dutch messages out, flushed but never committed; delivering the queued
mail is the caller's, after its commit.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from scans.models import SprintStatus
from scans.operations import SprintError
from scans.sprint_services import find_sprint, latest_definition
from surveys.campaigns import (
    TITLE_MAX,
    CampaignError,
    add_invitations,
    create_campaign,
    open_campaign,
    send_invitations,
)
from surveys.db import db
from surveys.invitees import Invitee, normal_email
from surveys.models import Campaign
from surveys.textinput import shortened

#: the instrument the evaluation uses
EVALUATION = "sprint_evaluatie"
#: the respondent group the members are invited as, when the instrument has it
GROUP = "deelnemer"


def evaluation_slug(sprint_id: int) -> str:
    """The slug of a sprint's evaluation campaign: how the sprint finds it again."""
    return f"sprint-{sprint_id}-evaluatie"


def evaluation_campaign(sprint_id: int) -> Campaign | None:
    """The sprint's evaluation campaign, once sent."""
    return db.session.scalar(select(Campaign).where(Campaign.slug == evaluation_slug(sprint_id)))


def check_can_evaluate(sprint_id: int) -> None:
    """Raise SprintError (for the page as a whole) unless the sprint's evaluation can be sent
    now: the sprint is finished, its evaluation not sent yet, the instrument published."""
    sprint = find_sprint(sprint_id)
    if sprint is None:
        raise SprintError("Deze sprint bestaat niet.", "sprint_id")
    if sprint.status != SprintStatus.DONE:
        raise SprintError("Rond de sprint eerst af: de evaluatie volgt op het laatste dagdeel.")
    if evaluation_campaign(sprint_id) is not None:
        raise SprintError("De evaluatie van deze sprint is al verstuurd.")
    if latest_definition(EVALUATION)[0] is None:
        raise SprintError("De vragenlijst voor de sprintevaluatie is nog niet gepubliceerd.")


@dataclass(frozen=True)
class EvaluationSent:
    campaign: Campaign
    invited: int  #: invitations made
    sent: int  #: invitation mails queued
    companies: int  #: member companies invited
    left: int  #: member companies without an address, not invited


def send_evaluation(
    sprint_id: int,
    *,
    accounts: Mapping[int, Sequence[str]],
    contacts: Mapping[int, str],
    closes_on: date,
    today: date,
) -> EvaluationSent:
    """Invite the members of a finished sprint to its evaluation, open from ``today`` until
    ``closes_on``: a member with employer accounts at their addresses (``accounts``:
    organisation id -> addresses), else at the contact address typed in for it (``contacts``:
    organisation id -> address; a member with neither is left out).

    A contact address that is not valid is refused under its organisation id; nobody to invite
    under "invitees"."""
    check_can_evaluate(sprint_id)
    sprint = find_sprint(sprint_id)
    version, definition = latest_definition(EVALUATION)
    groups = [group["key"] for group in definition.get("respondent_groups", [])]
    group = GROUP if GROUP in groups else (groups[0] if groups else None)
    invitees: dict[str, Invitee] = {}
    errors: dict[int | str | None, str] = {}
    for member in sprint.members:
        org_id = member.organisation_id
        addresses = list(accounts.get(org_id, ()))
        if not addresses and (contacts.get(org_id) or "").strip():
            email = normal_email(contacts[org_id])
            if email is None:
                errors[org_id] = "Vul een geldig e-mailadres in, zoals naam@bedrijf.nl."
            addresses = [email] if email else []
        for email in addresses:
            invitees.setdefault(email, Invitee(len(invitees) + 1, email, None, group, org_id))
    SprintError.check(errors)
    if not invitees:
        raise SprintError(
            "Er is niemand om uit te nodigen: vul bij de bedrijven zonder werkgeversaccount "
            "een e-mailadres in.",
            "invitees",
        )
    frame = f"Evaluatie  ({sprint.year})"  # the campaign title around the sprint's
    try:
        campaign = create_campaign(
            version,
            title=f"Evaluatie {shortened(sprint.title, TITLE_MAX - len(frame))} ({sprint.year})",
            year=sprint.year,
            wave=0,
            opens_on=today,
            closes_on=closes_on,
            mode="personal",
            respondent_groups=[group] if group else None,
            slug=evaluation_slug(sprint_id),
        )
        added = add_invitations(campaign, list(invitees.values()))
        open_campaign(campaign)
        sent = send_invitations(campaign)
    except CampaignError as error:
        raise SprintError(f"Niet gelukt: {error}", "invitees") from error
    companies = len({invitee.organisation_id for invitee in invitees.values()})
    return EvaluationSent(
        campaign=campaign,
        invited=len(added),
        sent=sent,
        companies=companies,
        left=len(sprint.members) - companies,
    )
