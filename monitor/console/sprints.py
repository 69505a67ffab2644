"""Console pages for intervision sprints: themes, proposals, moving companies, fixing a group,
its dagdelen and attendance, finishing it, its evaluation and the facilitator's sprint pack.

A view parses its form (sprint_forms.py), calls one use case of ``scans.sprint_services`` or
``scans.sprint_evaluation`` with plain values and ids, records it in the audit log (ids and
counts only), commits, flashes and redirects. A refusal (``SprintError``) is rolled back and its
Dutch messages stand next to their fields or buttons, status 422; sprint_pages.py draws the
pages. Coordinators and admins only: an employer gets 403 on every route.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date
from io import BytesIO

from flask import abort, current_app, flash, redirect, request, send_file, url_for

from monitor import audit
from monitor.accounts import Role, employer_addresses
from monitor.console.blueprint import bp
from monitor.console.forms import ActionForm, choices, errors_next_to_fields
from monitor.console.sprint_forms import (
    MOVE_FIELD,
    AttendanceForm,
    ProposalFields,
    ProposeForm,
    SaveProposalForm,
    SessionForm,
    ThemeForm,
    contact_field_name,
    evaluation_form,
    move_form,
)
from monitor.console.sprint_pages import (
    members_without_account,
    overview_page,
    proposal_page,
    sprint_pack_file,
    sprint_page,
    themes_page,
)
from monitor.roles import role_required
from scans.models import Sprint
from scans.operations import SprintError, save_proposal
from scans.proposal import Proposal
from scans.sprint_evaluation import check_can_evaluate, send_evaluation
from scans.sprint_services import (
    add_dagdeel,
    add_theme,
    find_sprint,
    finish,
    fix,
    move_members,
    other_proposed,
    proposal_themes,
    propose,
    scan_years,
    sprint_years,
    sprints_of,
    take_attendance,
    themes,
)
from surveys.db import db
from surveys.mail import deliver_outbox

STAFF = (Role.ADMIN, Role.COORDINATOR)
#: seconds a sprint pack may take to render in a request before the coordinator gets a 503
PACK_TIMEOUT = 60.0
YEARS = range(2000, 2101)


def _sprint(sprint_id: int) -> Sprint:
    sprint = find_sprint(sprint_id)
    if sprint is None:
        abort(404)
    return sprint


def _checked() -> None:
    """400 unless the posted button form carries a valid CSRF token (CSRFProtect checks it for
    the whole app as well; this keeps each view safe on its own)."""
    if not ActionForm().validate_on_submit():
        abort(400)


# -- overview, themes and proposals ----------------------------------------------------------------


@bp.get("/sprints")
@role_required(*STAFF)
def sprints():
    """Every sprint, newest year first, per theme; ?year= shows one year."""
    year = request.args.get("year", type=int)
    if year is not None and year not in YEARS:
        abort(404)
    return overview_page(sprints_of(year), sprint_years(), year)


@bp.route("/sprints/themes", methods=["GET", "POST"])
@role_required(*STAFF)
def sprint_themes():
    """The sprint themes, and a form to add one (an HR-scan domain or a theme of one's own)."""
    current = themes()
    form = ThemeForm()
    form.domain.choices = choices([("", "— een eigen thema —"), *current.free_domains.items()])
    if form.validate_on_submit():
        try:
            theme = add_theme(
                domain=form.domain.data or "", key=form.key.data or "", title=form.title.data or ""
            )
        except SprintError as error:
            db.session.rollback()
            errors_next_to_fields(form, error.errors)
            current = themes()
        else:
            audit.record("sprint.theme", "sprint_theme", theme.id, key=theme.key)
            db.session.commit()
            flash(f"Het thema ‘{theme.title}’ is toegevoegd.")
            return redirect(url_for("console.sprint_themes"))
    return themes_page(form, current), 422 if form.is_submitted() else 200


def _propose(form: ProposalFields) -> Proposal | None:
    """The proposal the validated form asks for, or None with the errors next to the fields."""
    db.session.commit()  # the scans are read on a connection of their own: end this transaction
    try:
        return propose(
            form.year.data,
            themes=list(form.themes.data or []),
            seed=form.seed.data or 0,
            k=int(current_app.config["MONITOR_K_ANONYMITY"]),
        )
    except SprintError as error:
        db.session.rollback()
        errors_next_to_fields(form, error.errors)
        return None


@bp.get("/sprints/propose")
@role_required(*STAFF)
def propose_sprints():
    """The proposal form (year, themes) and, once filled in, the proposed groups with every
    placement's reason and the companies not placed with why. Changes nothing."""
    offered, defined = proposal_themes()
    years = scan_years()
    submitted = "year" in request.args
    form = ProposeForm(request.args if submitted else None, year=years[0] if years else None)
    form.themes.choices = choices(offered.items())
    proposal = _propose(form) if submitted and form.validate() else None
    page = proposal_page(form, proposal, defined=defined, years=years)
    return page, 422 if submitted and proposal is None else 200


@bp.post("/sprints/propose")
@role_required(*STAFF)
def save_sprint_proposal():
    """Store the proposal of the posted year, themes and variant as proposed sprints ("Opslaan
    als voorstel"); it is made again from the same data, so it is the one that was shown."""
    form = SaveProposalForm()
    form.themes.choices = choices(proposal_themes()[0].items())
    proposal = _propose(form) if form.validate_on_submit() else None
    if proposal is None:
        return proposal_page(form, None, defined=True, years=scan_years()), 422
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


def _back(sprint_id: int, anchor: str = "") -> object:
    return redirect(url_for("console.sprint", sprint_id=sprint_id) + anchor)


@bp.get("/sprints/<int:sprint_id>")
@role_required(*STAFF)
def sprint(sprint_id: int):
    return sprint_page(_sprint(sprint_id))


@bp.post("/sprints/<int:sprint_id>/move")
@role_required(*STAFF)
def move_sprint_members(sprint_id: int):
    """Move companies to other proposed groups of the year: a select per member."""
    sprint = _sprint(sprint_id)
    _checked()
    form = move_form(sprint.members, other_proposed(sprint))
    if not form.validate():
        return sprint_page(sprint, move=form), 422
    moves = form.moves()
    if not moves:
        flash("Er is niets verplaatst: kies bij een bedrijf een andere groep.")
        return _back(sprint_id)
    try:
        moved = move_members(sprint_id, moves)
    except SprintError as error:
        db.session.rollback()
        errors_next_to_fields(form, error.errors, {m: MOVE_FIELD.format(m) for m in moves})
        return sprint_page(_sprint(sprint_id), move=form), 422
    for member in moved:
        audit.record(
            "sprint.move",
            "sprint",
            sprint_id,
            organisation_id=member.organisation_id,
            to=member.sprint_id,
        )
    db.session.commit()
    flash(f"{len(moved)} {'bedrijf' if len(moved) == 1 else 'bedrijven'} verplaatst.")
    return _back(sprint_id)


@bp.post("/sprints/<int:sprint_id>/fix")
@role_required(*STAFF)
def fix_sprint_view(sprint_id: int):
    """Fix a proposed group: its members are agreed with the companies."""
    _sprint(sprint_id)
    _checked()
    try:
        fixed = fix(sprint_id)
    except SprintError as error:
        db.session.rollback()
        return sprint_page(_sprint(sprint_id), errors={"fix": str(error)}), 422
    audit.record("sprint.fix", "sprint", sprint_id, members=len(fixed.members))
    db.session.commit()
    flash("De groep is vastgesteld. Leg nu de dagdelen vast.")
    return _back(sprint_id)


@bp.post("/sprints/<int:sprint_id>/sessions")
@role_required(*STAFF)
def add_sprint_session(sprint_id: int):
    """Record a dagdeel (number, date, topic) of a fixed sprint."""
    sprint = _sprint(sprint_id)
    form = SessionForm()
    if not form.validate_on_submit():
        return sprint_page(sprint, session_form=form), 422
    try:
        session = add_dagdeel(
            sprint_id, number=form.number.data, held_on=form.held_on.data, topic=form.topic.data
        )
    except SprintError as error:
        db.session.rollback()
        rest = errors_next_to_fields(form, error.errors)
        return sprint_page(_sprint(sprint_id), session_form=form, errors=_page(rest)), 422
    audit.record("sprint.session", "sprint", sprint_id, number=session.number)
    db.session.commit()
    flash(f"Dagdeel {session.number} is vastgelegd.")
    return _back(sprint_id, "#dagdelen")


def _page(rest: Mapping[Hashable | None, str]) -> dict[str, str]:
    """The message of a refusal that concerns the whole sprint, at the top of its page."""
    return {"page": rest[None]} if None in rest else {}


@bp.post("/sprints/<int:sprint_id>/attendance")
@role_required(*STAFF)
def record_sprint_attendance(sprint_id: int):
    """Who was at which dagdeel: a check box per member and held session; a member not ticked
    at a held session is recorded as absent."""
    sprint = _sprint(sprint_id)
    _checked()
    form = AttendanceForm()
    if not form.validate():
        return sprint_page(sprint, errors={"attendance": form.aanwezig.errors[0]}), 422
    try:
        recorded = take_attendance(sprint_id, form.present(), today=date.today())
    except SprintError as error:
        db.session.rollback()
        rest = error.errors
        errors = {"attendance": rest["present"]} if "present" in rest else _page(rest)
        return sprint_page(_sprint(sprint_id), errors=errors), 422
    audit.record(
        "sprint.attendance",
        "sprint",
        sprint_id,
        sessions=recorded.sessions,
        present=recorded.present,
    )
    db.session.commit()
    flash("De aanwezigheid is opgeslagen.")
    return _back(sprint_id, "#aanwezigheid")


@bp.post("/sprints/<int:sprint_id>/finish")
@role_required(*STAFF)
def finish_sprint_view(sprint_id: int):
    """Close a fixed sprint once its dagdelen are recorded."""
    _sprint(sprint_id)
    _checked()
    try:
        finished = finish(sprint_id)
    except SprintError as error:
        db.session.rollback()
        return sprint_page(_sprint(sprint_id), errors={"finish": str(error)}), 422
    audit.record("sprint.finish", "sprint", sprint_id, sessions=len(finished.sessions))
    db.session.commit()
    flash("De sprint is afgerond. Verstuur nu de evaluatie.")
    return _back(sprint_id, "#evaluatie")


@bp.post("/sprints/<int:sprint_id>/evaluation")
@role_required(*STAFF)
def send_sprint_evaluation(sprint_id: int):
    """After the last session: a personal-link campaign of the published sprint evaluation for
    the members (their employer accounts, else the contact addresses typed in), opened and sent."""
    sprint = _sprint(sprint_id)
    accounts = employer_addresses([m.organisation_id for m in sprint.members])
    no_account = members_without_account(sprint, accounts)
    form = evaluation_form(no_account)
    try:
        check_can_evaluate(sprint_id)
    except SprintError as error:
        return sprint_page(sprint, errors={"page": str(error)}), 422
    if not form.validate_on_submit():
        return sprint_page(sprint, evaluation=form), 422
    try:
        sent = send_evaluation(
            sprint_id,
            accounts=accounts,
            contacts={org_id: form[contact_field_name(org_id)].data or "" for org_id in no_account},
            closes_on=form.closes_on.data,
            today=date.today(),
        )
    except SprintError as error:
        db.session.rollback()
        names = {org_id: contact_field_name(org_id) for org_id in no_account}
        rest = errors_next_to_fields(form, error.errors, names)
        errors = {"evaluation": rest["invitees"]} if "invitees" in rest else _page(rest)
        return sprint_page(_sprint(sprint_id), evaluation=form, errors=errors), 422
    audit.record(
        "sprint.evaluation",
        "sprint",
        sprint_id,
        campaign_id=sent.campaign.id,
        invited=sent.invited,
        companies=sent.companies,
    )
    db.session.commit()
    deliver_outbox(current_app.config["MAIL_URL"], current_app.config["MAIL_FROM"])
    message = f"De evaluatie is verstuurd: {sent.sent} uitnodigingen."
    if left := sent.left:
        message += (
            f" {left} {'bedrijf heeft' if left == 1 else 'bedrijven hebben'} geen account en "
            f"geen ingevuld e-mailadres en {'is' if left == 1 else 'zijn'} niet uitgenodigd."
        )
    flash(message)
    return _back(sprint_id, "#evaluatie")


# -- the sprint pack -------------------------------------------------------------------------------


@bp.get("/sprints/<int:sprint_id>/sprintmap.pdf")
@role_required(*STAFF)
def sprint_pack(sprint_id: int):
    """The facilitator's sprint pack as a PDF (or ?format=json: the numbers behind it). Every
    download is recorded in the audit log."""
    fmt = request.args.get("format", "pdf")
    if fmt not in ("pdf", "json"):
        abort(400, description="format must be pdf or json")
    _sprint(sprint_id)
    pack = sprint_pack_file(
        sprint_id, fmt, k=int(current_app.config["MONITOR_K_ANONYMITY"]), timeout=PACK_TIMEOUT
    )
    if pack is None:
        abort(
            503, description="Het maken van de sprintmap duurde te lang; probeer het later opnieuw."
        )
    audit.record(
        "report.download",
        "sprint",
        sprint_id,
        report="sprint_pack",
        format=fmt,
        members=pack.members,
    )
    db.session.commit()
    response = send_file(
        BytesIO(pack.data), mimetype=pack.mimetype, as_attachment=True, download_name=pack.name
    )
    response.headers["Cache-Control"] = "no-store"
    return response
