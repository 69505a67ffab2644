"""Console pages for organisations: search and filter, create, edit, CSV import, employer
accounts (admins) and deletion on request (admins). Views, edits, imports and deletions are
recorded in the audit log with identifiers and counts only."""

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from monitor import audit
from monitor.accounts import MIN_PASSWORD_LENGTH, Role, User, create_user, find_user
from monitor.console.blueprint import bp, page_arg
from monitor.console.forms import DutchForm, choices
from monitor.contacts import contact_data
from monitor.reports.bulk import remove_company_reports
from monitor.roles import role_required
from surveys.csvfile import shown_errors
from surveys.db import db
from surveys.invitees import normal_email
from surveys.models import Organisation
from surveys.models.organisations import ORGANISATION_KINDS, REGIONS, SECTORS, SIZE_CLASSES
from surveys.organisations import (
    FIELDS,
    OrganisationError,
    create_organisation,
    delete_organisation,
    import_organisations,
    organisation_footprint,
    parse_organisations_csv,
    search_organisations,
    update_organisation,
)

STAFF = (Role.ADMIN, Role.COORDINATOR)
PER_PAGE = 50
#: generated initial passwords: 16 URL-safe characters (96 bits)
PASSWORD_BYTES = 12


def _choices(values: tuple[str, ...], empty: str) -> list[SelectChoice]:
    return choices([("", empty), *((v, v) for v in values)])


class SearchForm(DutchForm):
    """The filter bar of the list (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("Zoek op naam, KvK-nummer of gemeente")
    sector = SelectField(
        "Sector", choices=_choices(SECTORS, "Alle sectoren"), validate_choice=False
    )
    region = SelectField("Regio", choices=_choices(REGIONS, "Alle regio's"), validate_choice=False)
    size_class = SelectField(
        "Grootte (fte)", choices=_choices(SIZE_CLASSES, "Alle groottes"), validate_choice=False
    )


class OrganisationForm(DutchForm):
    """Create or edit. The rules (required name, KvK eight digits and unique, listed values)
    live in surveys.organisations, so the form, the CSV import and the CLI say the same."""

    name = StringField("Naam")
    kind = SelectField(
        "Soort organisatie",
        choices=choices((k, k) for k in ORGANISATION_KINDS),
        validate_choice=False,
    )
    sector = SelectField("Sector", choices=_choices(SECTORS, "onbekend"), validate_choice=False)
    size_class = SelectField(
        "Grootte (fte)", choices=_choices(SIZE_CLASSES, "onbekend"), validate_choice=False
    )
    region = SelectField(
        "Arbeidsmarktregio", choices=_choices(REGIONS, "onbekend"), validate_choice=False
    )
    municipality = StringField("Gemeente")
    kvk_number = StringField("KvK-nummer (acht cijfers, mag leeg blijven)")


class ImportForm(DutchForm):
    file = FileField(
        "Organisaties (CSV met de kolommen name, kind, sector, size_class, region, "
        "municipality, kvk)",
        validators=[
            FileRequired("Kies een CSV-bestand."),
            FileAllowed(["csv", "txt"], "Alleen CSV-bestanden."),
        ],
    )


class AccountForm(DutchForm):
    email = EmailField("E-mailadres")
    password = PasswordField("Wachtwoord (leeg laten: er wordt een wachtwoord voor u gemaakt)")


class DeleteForm(DutchForm):
    confirm_name = StringField("Typ de naam van de organisatie om het verwijderen te bevestigen")


def _organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _is_admin() -> bool:
    return current_user.role == Role.ADMIN


def _add_problems(form: DutchForm, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]


@bp.get("/organisations")
@role_required(*STAFF)
def organisations():
    search = SearchForm(request.args)
    query = search_organisations(
        search.q.data,
        sector=search.sector.data or None,
        region=search.region.data or None,
        size_class=search.size_class.data or None,
    )
    page = db.paginate(query, page=page_arg(), per_page=PER_PAGE, error_out=False)
    filters = {
        k: v for k, v in request.args.items() if k in ("q", "sector", "region", "size_class") and v
    }
    return render_template("console/organisations.html", search=search, page=page, filters=filters)


@bp.route("/organisations/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_organisation():
    form = OrganisationForm()
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in FIELDS}
        try:
            organisation = create_organisation(values)
        except OrganisationError as error:
            _add_problems(form, error.problems)
        else:
            audit.record("organisation.create", "organisation", organisation.id)
            db.session.commit()
            flash("De organisatie is toegevoegd.")
            return redirect(url_for("console.organisation", organisation_id=organisation.id))
    status = 422 if form.is_submitted() else 200
    return render_template("console/organisations_form.html", form=form, organisation=None), status


@bp.get("/organisations/<int:organisation_id>")
@role_required(*STAFF)
def organisation(organisation_id: int):
    organisation = _organisation(organisation_id)
    audit.record("organisation.view", "organisation", organisation.id)
    db.session.commit()
    return _organisation_page(organisation, AccountForm())


def _organisation_page(
    organisation: Organisation, account_form: AccountForm, new_password: str | None = None
):
    accounts = contact_data(
        lambda: db.session.scalars(
            select(User).where(User.organisation_id == organisation.id).order_by(User.email)
        ).all(),
        object_type="organisation",
        object_id=organisation.id,
        via="organisation page",
    )
    db.session.commit()  # the audit event of contact data shown
    return render_template(
        "console/organisations_detail.html",
        organisation=organisation,
        counts=organisation_footprint(organisation.id),
        accounts=accounts,
        account_form=account_form,
        new_password=new_password,
        is_admin=_is_admin(),
    )


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_organisation(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in FIELDS}
        try:
            changed = update_organisation(organisation, values)
        except OrganisationError as error:
            _add_problems(form, error.problems)
        else:
            audit.record("organisation.edit", "organisation", organisation.id, fields=changed)
            db.session.commit()
            flash("De gegevens zijn opgeslagen." if changed else "Er is niets veranderd.")
            return redirect(url_for("console.organisation", organisation_id=organisation.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "console/organisations_form.html", form=form, organisation=organisation
    ), status


@bp.route("/organisations/import", methods=["GET", "POST"])
@role_required(*STAFF)
def import_organisations_view():
    form = ImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        rows, errors = parse_organisations_csv(form.file.data.read())
        if not errors:
            added = import_organisations(rows)
            audit.record("organisation.import", count=len(added))
            db.session.commit()
            flash(f"{len(added)} organisaties ingelezen.")
            return redirect(url_for("console.organisations"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "console/organisations_import.html",
        form=form,
        errors=shown_errors(errors),
        error_count=len(errors),
        kinds=ORGANISATION_KINDS,
        sectors=SECTORS,
        size_classes=SIZE_CLASSES,
        regions=REGIONS,
    ), status


@bp.post("/organisations/<int:organisation_id>/accounts")
@role_required(Role.ADMIN)
def create_employer_account(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = AccountForm()
    if not form.validate_on_submit():
        abort(400)
    problems: dict[str, str] = {}
    email = normal_email(form.email.data or "")
    if email is None:
        problems["email"] = "Vul een geldig e-mailadres in, zoals naam@bedrijf.nl."
    elif find_user(email) is not None:
        problems["email"] = "Er bestaat al een account met dit e-mailadres."
    password = form.password.data or ""
    generated = not password
    if generated:
        password = secrets.token_urlsafe(PASSWORD_BYTES)
    elif len(password) < MIN_PASSWORD_LENGTH:
        problems["password"] = f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens."
    if not problems:
        try:
            user = create_user(
                email, Role.EMPLOYER, password, organisation.id, must_change_password=True
            )
        except ValueError as error:
            problems["email"] = str(error)
        else:
            audit.record("account.create", "user", user.id, organisation_id=organisation.id)
            db.session.commit()
            flash(f"Het werkgeversaccount {user.email} is aangemaakt.")
            if not generated:
                return redirect(url_for("console.organisation", organisation_id=organisation.id))
            page = _organisation_page(organisation, AccountForm(formdata=None), password)
            return page, 201, {"Cache-Control": "no-store"}
    _add_problems(form, problems)
    return _organisation_page(organisation, form), 422


@bp.route("/organisations/<int:organisation_id>/delete", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def delete_organisation_view(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = DeleteForm()
    if form.validate_on_submit():
        if (form.confirm_name.data or "").strip() == organisation.name:
            counts = delete_organisation(organisation.id)
            counts["report_files"] = remove_company_reports(organisation_id)
            audit.record("organisation.delete", "organisation", organisation_id, **counts)
            db.session.commit()
            flash(
                f"Organisatie {organisation_id} is verwijderd, met "
                f"{counts.get('responses', 0)} vragenlijsten, {counts.get('answers', 0)} "
                f"antwoorden, {counts.get('invitations', 0)} uitnodigingen en "
                f"{counts.get('users', 0)} accounts."
            )
            return redirect(url_for("console.organisations"))
        form.confirm_name.errors = [
            *form.confirm_name.errors,
            "De naam klopt niet; typ de naam precies zoals hierboven.",
        ]
    status = 422 if form.is_submitted() else 200
    return render_template(
        "console/organisations_delete.html",
        organisation=organisation,
        form=form,
        counts=organisation_footprint(organisation.id),
    ), status
