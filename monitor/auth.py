"""Log in and out, change one's password; the start page sends each role to its own part of the
site. An account whose password someone else set (generated, or typed by a coordinator) is led to
the password form from every page until its user has chosen their own."""

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from monitor import audit, sessions
from monitor.accounts import MIN_PASSWORD_LENGTH, Role, find_user, spend_password_check
from monitor.extensions import limiter
from surveys.db import db, utcnow

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mailadres", validators=[DataRequired("Vul uw e-mailadres in."), Length(max=254)]
    )
    password = PasswordField(
        "Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."), Length(max=200)]
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Huidig wachtwoord",
        validators=[DataRequired("Vul uw huidige wachtwoord in."), Length(max=200)],
    )
    new = PasswordField(
        "Nieuw wachtwoord",
        description=f"Minstens {MIN_PASSWORD_LENGTH} tekens; een zin van een paar woorden is "
        "sterk en goed te onthouden.",
        validators=[
            DataRequired("Kies een nieuw wachtwoord."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"Een wachtwoord heeft {MIN_PASSWORD_LENGTH} tot 200 tekens.",
            ),
        ],
    )
    repeat = PasswordField(
        "Herhaal het nieuwe wachtwoord",
        validators=[
            DataRequired("Herhaal het nieuwe wachtwoord."),
            EqualTo("new", "De twee nieuwe wachtwoorden zijn niet gelijk."),
        ],
    )


#: what an account that must change its password may still reach
_WHILE_CHANGING = frozenset({"auth.password", "auth.logout", "static", "health.healthz"})


@bp.before_app_request
def _password_first():
    """Lead an account with a password chosen by someone else to the password form."""
    if (
        "_user_id" in session  # no login, no check: anonymous respondents' cookies stay as they are
        and request.endpoint not in _WHILE_CHANGING
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        return redirect(url_for("auth.password"))
    return None


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after login: no scheme, no host, and no whitespace or
    control characters (browsers drop a tab in "/\t/evil.example", leaving "//evil.example")."""
    if not target or any(c.isspace() or not c.isprintable() or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role == Role.EMPLOYER:
        return redirect(url_for("employer.home"))
    return redirect(url_for("console.campaigns"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is None:
            spend_password_check(form.password.data)  # same time as for an existing account
        elif user.active and user.check_password(form.password.data):
            sessions.start(user)  # a fresh session at login, so no fixation
            user.last_login_at = utcnow()
            audit.record("login", "user", user.id, user_id=user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.index"))
        form.password.errors.append("Dit e-mailadres en wachtwoord horen niet bij elkaar.")
    return render_template("monitor/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """End the session on the server too: a copy of the cookie no longer logs anyone in."""
    sessions.end()
    logout_user()
    db.session.commit()
    flash("U bent uitgelogd.")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current.data):
            form.current.errors.append("Dit is niet uw huidige wachtwoord.")
        elif form.new.data == form.current.data:
            form.new.errors.append("Kies een ander wachtwoord dan het huidige.")
        else:
            user.set_password(form.new.data)
            user.must_change_password = False
            audit.record("password.change", "user", user.id, user_id=user.id)
            sessions.end_all(user)  # every other login of the account ends (a stolen one too)
            sessions.start(user)  # and this one goes on in a fresh session
            db.session.commit()
            flash("Uw wachtwoord is gewijzigd.")
            return redirect(url_for("auth.index"))
    status = 422 if form.errors else 200
    return render_template("monitor/password.html", form=form), status
