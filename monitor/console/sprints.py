"""Console pages for intervision sprints: themes, proposing groups for a year, moving companies
between proposed groups, fixing a group, its sessions and attendance, finishing it, sending the
sprint evaluation and downloading the facilitator's sprint pack.

The work is done by the service functions of ``scans.operations`` (they refuse with a Dutch
``SprintError``, which is shown next to the field or button concerned) and of
``surveys.campaigns``; the views only read forms, commit and record what happened in the audit
log (identifiers and counts only). Coordinators and admins only: an employer gets 403 on every
route.

The evaluation of a sprint is a personal-link campaign of the published ``sprint_evaluatie``
instrument with the slug ``sprint-<id>-evaluatie``: that slug is how the sprint finds its
evaluation again (a sprint has no column for it).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from monitor import audit
from monitor.accounts import Role, User
from monitor.console import bp
from monitor.console.forms import ActionForm, choices
from monitor.console.sprint_forms import (
    EvaluationBase,
    ProposeForm,
    SaveProposalForm,
    SessionForm,
    ThemeForm,
    contact_field_name,
    evaluation_form,
)
from monitor.roles import role_required
from monitor.web import MAX_DB_INT
from scans.instrument import HR_SCAN, domain_titles
from scans.models import (
    SESSIONS_PER_SPRINT,
    Sprint,
    SprintMember,
    SprintSession,
    SprintStatus,
    SprintTheme,
)
from scans.operations import (
    NoScans,
    SprintError,
    add_session,
    finish_sprint,
    fix_sprint,
    move_member,
    propose_year,
    record_attendance,
    save_proposal,
)
from scans.proposal import Proposal
from surveys.campaigns import (
    CampaignError,
    add_invitations,
    create_campaign,
    open_campaign,
    response_counts,
    send_invitations,
)
from surveys.db import db
from surveys.invitees import Invitee, normal_email
from surveys.mail import deliver_outbox
from surveys.models import Campaign, Instrument, InstrumentVersion, Organisation

STAFF = (Role.ADMIN, Role.COORDINATOR)
#: the instrument the groups are formed from, and the one the evaluation uses
EVALUATION = "sprint_evaluatie"
#: seconds a sprint pack may take to render in a request before the coordinator gets a 503
PACK_TIMEOUT = 60.0
STATUS_NL = {
    SprintStatus.PROPOSED: "voorgesteld",
    SprintStatus.FIXED: "vastgesteld",
    SprintStatus.DONE: "afgerond",
}
#: the form field of the attendance grid: one check box per member and session
PRESENT_FIELD = "aanwezig"
#: the select of the move form, one per member: naar-<member id> = the target sprint's id
MOVE_FIELD = "naar-{}"


# -- lookups ---------------------------------------------------------------------------------------


YEARS = range(2000, 2101)


#: what the sprint page shows of a sprint, loaded with it rather than a query per member/session
_WITH_MEMBERS_AND_SESSIONS = (
    selectinload(Sprint.members).joinedload(SprintMember.organisation),
    selectinload(Sprint.sessions).selectinload(SprintSession.attendance),
)


def _get_sprint(sprint_id: int) -> Sprint | None:
    """The sprint, or None; an id from a form may be beyond any row (and would overflow a
    database integer: a 500, not a 404)."""
    if not 0 < sprint_id <= MAX_DB_INT:
        return None
    return db.session.get(Sprint, sprint_id, options=_WITH_MEMBERS_AND_SESSIONS)


def _sprint(sprint_id: int) -> Sprint:
    sprint = _get_sprint(sprint_id)
    if sprint is None:
        abort(404)
    return sprint


def _latest_definition(key: str) -> tuple[InstrumentVersion | None, dict[str, Any]]:
    """The latest published version of an instrument and its definition (None, {} if none)."""
    instrument = db.session.scalar(select(Instrument).where(Instrument.key == key))
    version = instrument.latest if instrument is not None else None
    return version, (version.definition if version is not None else {})


def _domain_titles() -> dict[str, str]:
    """The HR-scan's domains (key -> Dutch title) from its latest published version."""
    _, definition = _latest_definition(HR_SCAN)
    return domain_titles(definition) if definition else {}


def _scan_years() -> list[int]:
    """Years with an HR-scan campaign, newest first."""
    return list(
        db.session.scalars(
            select(Campaign.year)
            .distinct()
            .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(Instrument.key == HR_SCAN)
            .order_by(Campaign.year.desc())
        )
    )


def _names(ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
    )


def evaluation_slug(sprint: Sprint) -> str:
    """The slug of a sprint's evaluation campaign: how the sprint finds it again."""
    return f"sprint-{sprint.id}-evaluatie"


def _evaluation_campaign(sprint: Sprint) -> Campaign | None:
    return db.session.scalar(select(Campaign).where(Campaign.slug == evaluation_slug(sprint)))


def _add_error(field, message: str) -> None:
    field.errors = [*field.errors, message]


# -- overview --------------------------------------------------------------------------------------


@bp.get("/sprints")
@role_required(*STAFF)
def sprints():
    """Every sprint, newest year first, per theme; ?year= shows one year."""
    year = request.args.get("year", type=int)
    if year is not None and year not in YEARS:
        abort(404)
    query = (
        select(Sprint)
        .join(SprintTheme, Sprint.theme_id == SprintTheme.id)
        .options(
            contains_eager(Sprint.theme),
            selectinload(Sprint.members),
            selectinload(Sprint.sessions),
        )
        .order_by(Sprint.year.desc(), SprintTheme.title, Sprint.title, Sprint.id)
    )
    if year is not None:
        query = query.where(Sprint.year == year)
    rows = db.session.scalars(query).all()
    years = list(db.session.scalars(select(Sprint.year).distinct().order_by(Sprint.year.desc())))
    return render_template(
        "console/sprints.html",
        rows=rows,
        years=years,
        year=year,
        status_nl=STATUS_NL,
    )


# -- themes ----------------------------------------------------------------------------------------


@bp.route("/sprints/themes", methods=["GET", "POST"])
@role_required(*STAFF)
def sprint_themes():
    """The sprint themes, and a form to add one (an HR-scan domain or a theme of one's own)."""
    domains = _domain_titles()
    themes = db.session.scalars(select(SprintTheme).order_by(SprintTheme.title)).all()
    taken = {theme.key for theme in themes}
    form = ThemeForm()
    form.domain.choices = choices(
        [
            ("", "— een eigen thema —"),
            *((key, title) for key, title in domains.items() if key not in taken),
        ]
    )
    if form.validate_on_submit():
        key, title = _theme_values(form, domains, taken)
        if key and title:
            theme = SprintTheme(key=key, title=title)
            db.session.add(theme)
            db.session.flush()
            audit.record("sprint.theme", "sprint_theme", theme.id, key=key)
            db.session.commit()
            flash(f"Het thema ‘{title}’ is toegevoegd.")
            return redirect(url_for("console.sprint_themes"))
    status = 422 if form.is_submitted() else 200
    counts = dict(
        db.session.execute(select(Sprint.theme_id, func.count()).group_by(Sprint.theme_id)).all()
    )
    return render_template(
        "console/sprints_themes.html",
        form=form,
        themes=themes,
        domains=domains,
        counts=counts,
    ), status


def _theme_values(
    form: ThemeForm, domains: dict[str, str], taken: set[str]
) -> tuple[str | None, str | None]:
    """The key and title of the new theme, or Nones with the errors next to the fields."""
    domain = form.domain.data or ""
    title = (form.title.data or "").strip()
    if domain:
        if domain not in domains:
            _add_error(form.domain, "Kies een domein uit de lijst.")
        elif domain in taken:
            _add_error(form.domain, "Dit domein is al een thema.")
        else:
            return domain, title or domains[domain]
        return None, None
    key = (form.key.data or "").strip()
    if not key:
        _add_error(form.key, "Kies een domein, of geef een eigen thema een sleutel.")
    elif key in taken:
        _add_error(form.key, "Er is al een thema met deze sleutel.")
    elif key in domains:
        _add_error(form.key, "Dit is de sleutel van een HR-scan-domein: kies het domein hierboven.")
    if not title:
        _add_error(form.title, "Geef een eigen thema een titel.")
    if form.key.errors or form.title.errors:
        return None, None
    return key, title


# -- proposing groups ------------------------------------------------------------------------------


def _theme_choices(domains: dict[str, str]) -> tuple[list[tuple[str, str]], bool]:
    """The themes a proposal can be made for: the defined themes that are HR-scan domains, or
    every domain while none is defined (then the second value is False)."""
    defined = db.session.scalars(
        select(SprintTheme).where(SprintTheme.key.in_(list(domains)))
    ).all()
    keys = {theme.key for theme in defined}
    if keys:
        return [(key, title) for key, title in domains.items() if key in keys], True
    return list(domains.items()), False


def _propose(form: ProposeForm, domains: dict[str, str]) -> Proposal | None:
    """The proposal the form asks for, or None with the errors next to the fields."""
    year = form.year.data
    offered = [choice.value for choice in form.themes.choices]
    themes = list(form.themes.data or []) or offered
    if not domains:
        _add_error(form.year, "De HR-scan is nog niet gepubliceerd.")
        return None
    unknown = [key for key in themes if key not in offered]
    if unknown:
        _add_error(
            form.themes,
            f"Onbekend thema: {', '.join(unknown)}. Kies uit de thema's hieronder, of voeg het "
            "eerst toe bij Thema's.",
        )
        return None
    _, definition = _latest_definition(HR_SCAN)
    db.session.commit()  # the scans are read on a connection of their own (`propose_year`)
    try:
        return propose_year(
            year,
            definition,
            themes=themes,
            k=int(current_app.config["MONITOR_K_ANONYMITY"]),
            seed=form.seed.data or 0,
        )
    except NoScans:
        _add_error(form.year, f"Er zijn geen ingevulde HR-scans uit {year}.")
        return None
    except ValueError as error:
        _add_error(form.themes, f"Geen voorstel mogelijk: {error}")
        return None


@bp.get("/sprints/propose")
@role_required(*STAFF)
def propose_sprints():
    """The proposal form (year, themes) and, once filled in, the proposed groups with every
    placement's reason and the companies not placed with why. Changes nothing."""
    domains = _domain_titles()
    years = _scan_years()
    submitted = "year" in request.args
    form = ProposeForm(request.args if submitted else None, year=years[0] if years else None)
    offered, defined = _theme_choices(domains)
    form.themes.choices = choices(offered)
    proposal = None
    if submitted and form.validate():
        proposal = _propose(form, domains)
    context: dict[str, Any] = {}
    if proposal is not None:
        ids = {m.organisation_id for g in proposal.groups for m in g.members}
        ids |= {u.organisation_id for u in proposal.unplaced}
        replaced = db.session.scalar(
            select(func.count())
            .select_from(Sprint)
            .join(SprintTheme, Sprint.theme_id == SprintTheme.id)
            .where(
                Sprint.year == proposal.year,
                Sprint.status == SprintStatus.PROPOSED,
                SprintTheme.key.in_(proposal.themes),
            )
        )
        save = SaveProposalForm(
            formdata=None, year=proposal.year, themes=list(proposal.themes), seed=form.seed.data
        )
        context = {
            "names": _names(ids),
            "replaced": replaced,
            "save": save,
        }
    status = 422 if submitted and proposal is None else 200
    return render_template(
        "console/sprints_propose.html",
        form=form,
        proposal=proposal,
        defined=defined,
        years=years,
        **context,
    ), status


@bp.post("/sprints/propose")
@role_required(*STAFF)
def save_sprint_proposal():
    """Store the proposal of the posted year, themes and variant as proposed sprints ("Opslaan
    als voorstel"); it is made again from the same data, so it is the one that was shown."""
    domains = _domain_titles()
    form = SaveProposalForm()
    form.themes.choices = choices(_theme_choices(domains)[0])
    proposal = _propose(form, domains) if form.validate_on_submit() else None
    if proposal is None:
        return render_template(
            "console/sprints_propose.html",
            form=form,
            proposal=None,
            defined=True,
            years=_scan_years(),
        ), 422
    stored = save_proposal(proposal)
    audit.record(
        "sprint.propose",
        "year",
        proposal.year,
        groups=len(stored),
        themes=list(proposal.themes),
        via="console",
    )
    db.session.commit()
    flash(
        f"{len(stored)} {'sprint' if len(stored) == 1 else 'sprints'} opgeslagen als voorstel; "
        "verplaats bedrijven waar nodig en stel de groepen daarna vast."
    )
    return redirect(url_for("console.sprints", year=proposal.year))


# -- one sprint ------------------------------------------------------------------------------------


def _accounts(organisation_ids: list[int]) -> dict[int, list[str]]:
    """The active employer accounts' e-mail addresses per organisation."""
    accounts: dict[int, list[str]] = {}
    if organisation_ids:
        for org_id, email in db.session.execute(
            select(User.organisation_id, User.email)
            .where(
                User.organisation_id.in_(organisation_ids),
                User.role == Role.EMPLOYER,
                User.active.is_(True),
            )
            .order_by(User.email)
        ):
            accounts.setdefault(org_id, []).append(email)
    return accounts


def _sprint_page(sprint: Sprint, status: int = 200, **forms: Any):
    """The sprint page with its forms (those given in `forms` replace the empty ones)."""
    members = sprint.members
    org_ids = [m.organisation_id for m in members]
    accounts = _accounts(org_ids)
    others = (
        db.session.scalars(
            select(Sprint)
            .options(selectinload(Sprint.members))
            .where(
                Sprint.year == sprint.year,
                Sprint.status == SprintStatus.PROPOSED,
                Sprint.id != sprint.id,
            )
            .order_by(Sprint.title, Sprint.id)
        ).all()
        if sprint.status == SprintStatus.PROPOSED
        else []
    )
    sessions = sprint.sessions
    free = [n for n in range(1, SESSIONS_PER_SPRINT + 1) if n not in {s.number for s in sessions}]
    session_form = forms.get("session_form") or SessionForm(
        formdata=None, number=free[0] if free else 1
    )
    present = {(r.session_id, r.organisation_id): r.present for s in sessions for r in s.attendance}
    campaign = _evaluation_campaign(sprint)
    no_account = {
        m.organisation_id: m.organisation.name
        for m in members
        if not accounts.get(m.organisation_id)
    }
    evaluation = forms.get("evaluation") or evaluation_form(no_account, formdata=None)
    return render_template(
        "console/sprints_detail.html",
        sprint=sprint,
        status_nl=STATUS_NL,
        members=members,
        accounts=accounts,
        others=others,
        move_errors=forms.get("move_errors", {}),
        action=ActionForm(),
        page_error=forms.get("page_error"),
        fix_error=forms.get("fix_error"),
        finish_error=forms.get("finish_error"),
        attendance_error=forms.get("attendance_error"),
        evaluation_error=forms.get("evaluation_error"),
        session_form=session_form,
        free_numbers=free,
        present=present,
        today=date.today(),
        campaign=campaign,
        campaign_counts=response_counts(campaign) if campaign is not None else None,
        evaluation=evaluation,
        contact_fields=[evaluation[contact_field_name(org_id)] for org_id in no_account],
        sessions_per_sprint=SESSIONS_PER_SPRINT,
    ), status


@bp.get("/sprints/<int:sprint_id>")
@role_required(*STAFF)
def sprint(sprint_id: int):
    return _sprint_page(_sprint(sprint_id))


def _checked() -> None:
    """400 unless the posted button form carries a valid CSRF token (CSRFProtect checks it for
    the whole app as well; this keeps each view safe on its own)."""
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.post("/sprints/<int:sprint_id>/move")
@role_required(*STAFF)
def move_sprint_members(sprint_id: int):
    """Move companies to other proposed groups of the year: a select per member."""
    sprint = _sprint(sprint_id)
    _checked()
    moves: list[tuple[SprintMember, Sprint]] = []
    errors: dict[int, str] = {}
    for member in list(sprint.members):
        target = request.form.get(MOVE_FIELD.format(member.id), "")
        if not target:
            continue
        to = _get_sprint(int(target)) if target.isdigit() else None
        if to is None:
            errors[member.id] = "Kies een groep uit de lijst."
            continue
        moves.append((member, to))
    if not errors:
        for member, to in moves:
            try:
                move_member(member, to)
            except SprintError as error:
                errors[member.id] = str(error)
                break
    if errors:
        db.session.rollback()
        return _sprint_page(_sprint(sprint_id), 422, move_errors=errors)
    if not moves:
        flash("Er is niets verplaatst: kies bij een bedrijf een andere groep.")
        return redirect(url_for("console.sprint", sprint_id=sprint_id))
    for member, to in moves:
        audit.record(
            "sprint.move",
            "sprint",
            sprint_id,
            organisation_id=member.organisation_id,
            to=to.id,
        )
    db.session.commit()
    flash(f"{len(moves)} {'bedrijf' if len(moves) == 1 else 'bedrijven'} verplaatst.")
    return redirect(url_for("console.sprint", sprint_id=sprint_id))


@bp.post("/sprints/<int:sprint_id>/fix")
@role_required(*STAFF)
def fix_sprint_view(sprint_id: int):
    """Fix a proposed group: its members are agreed with the companies."""
    sprint = _sprint(sprint_id)
    _checked()
    try:
        fix_sprint(sprint)
    except SprintError as error:
        db.session.rollback()
        return _sprint_page(_sprint(sprint_id), 422, fix_error=str(error))
    audit.record("sprint.fix", "sprint", sprint.id, members=len(sprint.members))
    db.session.commit()
    flash("De groep is vastgesteld. Leg nu de dagdelen vast.")
    return redirect(url_for("console.sprint", sprint_id=sprint_id))


@bp.post("/sprints/<int:sprint_id>/sessions")
@role_required(*STAFF)
def add_sprint_session(sprint_id: int):
    """Record a dagdeel (number, date, topic) of a fixed sprint."""
    sprint = _sprint(sprint_id)
    form = SessionForm()
    if sprint.status != SprintStatus.FIXED:
        return _sprint_page(
            sprint, 422, page_error="Dagdelen worden vastgelegd voor een vastgestelde sprint."
        )
    if form.validate_on_submit():
        try:
            session = add_session(
                sprint, number=form.number.data, held_on=form.held_on.data, topic=form.topic.data
            )
        except SprintError as error:
            db.session.rollback()
            _add_error(form.number, str(error))
            return _sprint_page(_sprint(sprint_id), 422, session_form=form)
        audit.record("sprint.session", "sprint", sprint.id, number=session.number)
        db.session.commit()
        flash(f"Dagdeel {session.number} is vastgelegd.")
        return redirect(url_for("console.sprint", sprint_id=sprint_id) + "#dagdelen")
    return _sprint_page(sprint, 422, session_form=form)


@bp.post("/sprints/<int:sprint_id>/attendance")
@role_required(*STAFF)
def record_sprint_attendance(sprint_id: int):
    """Who was at which dagdeel: a check box per member and held session; a member not ticked
    at a held session is recorded as absent."""
    sprint = _sprint(sprint_id)
    _checked()
    if sprint.status == SprintStatus.PROPOSED:
        return _sprint_page(
            sprint, 422, page_error="Stel de groep eerst vast en leg de dagdelen vast."
        )
    held = [s for s in sprint.sessions if s.held_on <= date.today()]
    if not held:
        return _sprint_page(
            sprint,
            422,
            attendance_error="Er is nog geen dagdeel gehouden om aanwezigheid bij te noteren.",
        )
    ticked = set(request.form.getlist(PRESENT_FIELD))
    count = 0
    for session in held:
        for member in sprint.members:
            present = f"{session.id}:{member.organisation_id}" in ticked
            record_attendance(session, member.organisation_id, present=present)
            count += present
    audit.record("sprint.attendance", "sprint", sprint.id, sessions=len(held), present=count)
    db.session.commit()
    flash("De aanwezigheid is opgeslagen.")
    return redirect(url_for("console.sprint", sprint_id=sprint_id) + "#aanwezigheid")


@bp.post("/sprints/<int:sprint_id>/finish")
@role_required(*STAFF)
def finish_sprint_view(sprint_id: int):
    """Close a fixed sprint once its dagdelen are recorded."""
    sprint = _sprint(sprint_id)
    _checked()
    try:
        finish_sprint(sprint)
    except SprintError as error:
        db.session.rollback()
        return _sprint_page(_sprint(sprint_id), 422, finish_error=str(error))
    audit.record("sprint.finish", "sprint", sprint.id, sessions=len(sprint.sessions))
    db.session.commit()
    flash("De sprint is afgerond. Verstuur nu de evaluatie.")
    return redirect(url_for("console.sprint", sprint_id=sprint_id) + "#evaluatie")


# -- the evaluation --------------------------------------------------------------------------------


def _invitees(
    sprint: Sprint, form: EvaluationBase, accounts: dict[int, list[str]], group: str | None
) -> list[Invitee]:
    """The employer accounts of the members, else the contact address typed in for them; an
    address that is not valid gets its error next to its field."""
    invitees: list[Invitee] = []
    seen: set[str] = set()

    def add(email: str, organisation_id: int) -> None:
        if email not in seen:
            seen.add(email)
            invitees.append(Invitee(len(invitees) + 1, email, None, group, organisation_id))

    for member in sprint.members:
        org_id = member.organisation_id
        if accounts.get(org_id):
            for email in accounts[org_id]:
                add(email, org_id)
            continue
        field = form[contact_field_name(org_id)]
        typed = (field.data or "").strip()
        if not typed:
            continue
        email = normal_email(typed)
        if email is None:
            _add_error(field, "Vul een geldig e-mailadres in, zoals naam@bedrijf.nl.")
        else:
            add(email, org_id)
    return invitees


@bp.post("/sprints/<int:sprint_id>/evaluation")
@role_required(*STAFF)
def send_sprint_evaluation(sprint_id: int):
    """After the last session: a personal-link campaign of the published sprint evaluation for
    the members (their employer accounts, else the contact addresses typed in), opened and sent."""
    sprint = _sprint(sprint_id)
    accounts = _accounts([m.organisation_id for m in sprint.members])
    no_account = {
        m.organisation_id: m.organisation.name
        for m in sprint.members
        if not accounts.get(m.organisation_id)
    }
    form = evaluation_form(no_account)

    def refuse(message: str | None = None):
        return _sprint_page(sprint, 422, evaluation=form, evaluation_error=message)

    version, definition = _latest_definition(EVALUATION)
    if sprint.status != SprintStatus.DONE:
        problem = "Rond de sprint eerst af: de evaluatie volgt op het laatste dagdeel."
    elif _evaluation_campaign(sprint) is not None:
        problem = "De evaluatie van deze sprint is al verstuurd."
    elif version is None:
        problem = "De vragenlijst voor de sprintevaluatie is nog niet gepubliceerd."
    else:
        problem = None
    if problem:
        return _sprint_page(sprint, 422, page_error=problem)
    if not form.validate_on_submit():
        return refuse()
    groups = [g["key"] for g in definition.get("respondent_groups", [])]
    group = "deelnemer" if "deelnemer" in groups else (groups[0] if groups else None)
    invitees = _invitees(sprint, form, accounts, group)
    if any(field.errors for field in form):
        return refuse()
    if not invitees:
        return refuse(
            "Er is niemand om uit te nodigen: vul bij de bedrijven zonder werkgeversaccount "
            "een e-mailadres in."
        )
    try:
        campaign = create_campaign(
            version,
            title=f"Evaluatie {sprint.title} ({sprint.year})",
            year=sprint.year,
            wave=0,
            opens_on=date.today(),
            closes_on=form.closes_on.data,
            mode="personal",
            respondent_groups=[group] if group else None,
            slug=evaluation_slug(sprint),
        )
        added = add_invitations(campaign, invitees)
        open_campaign(campaign)
        sent = send_invitations(campaign)
    except CampaignError as error:
        db.session.rollback()
        return _sprint_page(_sprint(sprint_id), 422, evaluation_error=f"Niet gelukt: {error}")
    audit.record(
        "sprint.evaluation",
        "sprint",
        sprint.id,
        campaign_id=campaign.id,
        invited=len(added),
        companies=len({i.organisation_id for i in invitees}),
    )
    db.session.commit()
    deliver_outbox(current_app.config["MAIL_URL"], current_app.config["MAIL_FROM"])
    left = len(sprint.members) - len({i.organisation_id for i in invitees})
    message = f"De evaluatie is verstuurd: {sent} uitnodigingen."
    if left:
        message += (
            f" {left} {'bedrijf heeft' if left == 1 else 'bedrijven hebben'} geen account en "
            f"geen ingevuld e-mailadres en {'is' if left == 1 else 'zijn'} niet uitgenodigd."
        )
    flash(message)
    return redirect(url_for("console.sprint", sprint_id=sprint_id) + "#evaluatie")


# -- the sprint pack -------------------------------------------------------------------------------


@bp.get("/sprints/<int:sprint_id>/sprintmap.pdf")
@role_required(*STAFF)
def sprint_pack(sprint_id: int):
    """The facilitator's sprint pack as a PDF (or ?format=json: the numbers behind it). Every
    download is recorded in the audit log."""
    from monitor.pdf import ReportTimeout
    from monitor.reports import context_json
    from monitor.reports.sprint_pack import build_sprint_pack, pack_filename, render_sprint_pack

    fmt = request.args.get("format", "pdf")
    if fmt not in ("pdf", "json"):
        abort(400, description="format must be pdf or json")
    _sprint(sprint_id)
    context = build_sprint_pack(sprint_id, int(current_app.config["MONITOR_K_ANONYMITY"]))
    if fmt == "json":
        data, mimetype = context_json(context).encode(), "application/json"
    else:
        try:
            data, mimetype = render_sprint_pack(context, timeout=PACK_TIMEOUT), "application/pdf"
        except ReportTimeout:
            abort(
                503,
                description="Het maken van de sprintmap duurde te lang; probeer het later opnieuw.",
            )
    audit.record(
        "report.download",
        "sprint",
        sprint_id,
        report="sprint_pack",
        format=fmt,
        members=len(context["members"]),
    )
    db.session.commit()
    name = pack_filename(context)
    response = send_file(
        BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=name if fmt == "pdf" else name.removesuffix(".pdf") + ".json",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
