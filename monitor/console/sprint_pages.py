"""The sprint pages of the console, drawn: what each template gets, read through the services of
``scans.sprint_services`` and ``scans.sprint_evaluation``.

The views (monitor/console/sprints.py) handle a request and hand the forms they parsed, with
their errors, to these functions; a page never asks the database itself. The sprint's page is
one template with an include per step (templates/console/sprints_detail/); which steps it shows
is decided here (`SprintSteps`), not by comparing status strings in the template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask import render_template

from monitor.accounts import employer_addresses
from monitor.console.forms import ActionForm
from monitor.console.sprint_forms import (
    AttendanceForm,
    EvaluationBase,
    MoveBase,
    ProposeForm,
    SessionForm,
    ThemeForm,
    contact_field_name,
    evaluation_form,
    move_form,
)
from scans.models import SESSIONS_PER_SPRINT, STATUS_NL, Sprint, SprintStatus
from scans.proposal import Proposal
from scans.sprint_evaluation import evaluation_campaign
from scans.sprint_services import Themes, organisation_names, other_proposed, replaced_by
from surveys.campaigns import response_counts


def overview_page(rows: list[Sprint], years: list[int], year: int | None) -> str:
    return render_template(
        "console/sprints.html", rows=rows, years=years, year=year, status_nl=STATUS_NL
    )


def themes_page(form: ThemeForm, current: Themes) -> str:
    return render_template(
        "console/sprints_themes.html",
        form=form,
        themes=current.themes,
        domains=current.domains,
        counts=current.sprints,
    )


def proposal_page(
    form: ProposeForm, proposal: Proposal | None, *, defined: bool, years: list[int]
) -> str:
    """The proposal form and, once made, the groups with the companies' names and how many
    stored proposed sprints saving it would replace."""
    context = {}
    if proposal is not None:
        ids = {m.organisation_id for g in proposal.groups for m in g.members}
        ids |= {u.organisation_id for u in proposal.unplaced}
        context = {
            "names": organisation_names(ids),
            "replaced": replaced_by(proposal),
            "seed": form.seed.data or 0,
        }
    return render_template(
        "console/sprints_propose.html",
        form=form,
        proposal=proposal,
        defined=defined,
        years=years,
        **context,
    )


def members_without_account(sprint: Sprint, accounts: Mapping[int, list[str]]) -> dict[int, str]:
    """The members that no employer account reaches (organisation id -> name): the evaluation
    form asks a contact address for each."""
    return {
        m.organisation_id: m.organisation.name
        for m in sprint.members
        if not accounts.get(m.organisation_id)
    }


@dataclass(frozen=True)
class SprintSteps:
    """Which parts of the sprint's page apply in its state."""

    move: bool  #: proposed, with another proposed group to move to
    fix: bool  #: proposed
    sessions: bool  #: fixed or finished: the dagdelen
    add_session: bool  #: fixed, with a dagdeel still free
    attendance: bool  #: dagdelen recorded
    finish: bool  #: fixed
    evaluate: bool  #: finished and not yet evaluated


def sprint_page(
    sprint: Sprint,
    *,
    errors: Mapping[str, str] | None = None,
    move: MoveBase | None = None,
    session_form: SessionForm | None = None,
    evaluation: EvaluationBase | None = None,
) -> str:
    """The sprint page with its forms (those given replace the empty ones) and the messages in
    ``errors`` ("page", "fix", "attendance", "finish", "evaluation": where they stand)."""
    members = sprint.members
    accounts = employer_addresses([m.organisation_id for m in members])
    others = other_proposed(sprint)
    proposed = sprint.status == SprintStatus.PROPOSED
    fixed = sprint.status == SprintStatus.FIXED
    taken = {s.number for s in sprint.sessions}
    free = [n for n in range(1, SESSIONS_PER_SPRINT + 1) if n not in taken]
    session_form = session_form or SessionForm(formdata=None, number=free[0] if free else 1)
    no_account = members_without_account(sprint, accounts)
    evaluation = evaluation or evaluation_form(no_account, formdata=None)
    campaign = evaluation_campaign(sprint.id)
    move = move or move_form(members, others, formdata=None)
    # a form with errors is always shown, also when a post came for a step the sprint is not at
    steps = SprintSteps(
        move=(proposed and bool(others) and bool(members)) or bool(move.errors),
        fix=proposed,
        sessions=not proposed or bool(session_form.errors),
        add_session=(fixed and bool(free)) or bool(session_form.errors),
        attendance=not proposed and bool(sprint.sessions),
        finish=fixed,
        evaluate=sprint.status == SprintStatus.DONE and campaign is None,
    )
    return render_template(
        "console/sprints_detail.html",
        sprint=sprint,
        status_nl=STATUS_NL,
        steps=steps,
        members=members,
        accounts=accounts,
        move=move,
        action=ActionForm(),
        errors=errors or {},
        session_form=session_form,
        attendance=AttendanceForm(formdata=None),
        present={
            (r.session_id, r.organisation_id): r.present
            for s in sprint.sessions
            for r in s.attendance
        },
        today=date.today(),
        campaign=campaign,
        campaign_counts=response_counts(campaign) if campaign is not None else None,
        evaluation=evaluation,
        contact_fields=[evaluation[contact_field_name(org_id)] for org_id in no_account],
    )


@dataclass(frozen=True)
class PackFile:
    data: bytes
    mimetype: str
    name: str  #: the download's file name
    members: int  #: the sprint's members, for the audit log


def sprint_pack_file(sprint_id: int, fmt: str, *, k: int, timeout: float) -> PackFile | None:
    """The sprint pack as a PDF (``fmt`` "pdf") or the JSON of the numbers behind it; None when
    the PDF took longer than ``timeout`` seconds."""
    from monitor.pdf import ReportTimeout
    from monitor.reports import context_json
    from monitor.reports.sprint_pack import build_sprint_pack, pack_filename, render_sprint_pack

    context = build_sprint_pack(sprint_id, k)
    name, members = pack_filename(context), len(context["members"])
    if fmt == "json":
        data = context_json(context).encode()
        return PackFile(data, "application/json", name.removesuffix(".pdf") + ".json", members)
    try:
        return PackFile(
            render_sprint_pack(context, timeout=timeout), "application/pdf", name, members
        )
    except ReportTimeout:
        return None
