"""Log in and out; the start page sends each role to its own part of the site."""

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from monitor import audit
from monitor.accounts import Role, find_user, spend_password_check
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
            session.clear()  # a fresh session at login, so no fixation
            login_user(user)
            user.last_login_at = utcnow()
            audit.record("login", "user", user.id, user_id=user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.index"))
        form.password.errors.append("Dit e-mailadres en wachtwoord horen niet bij elkaar.")
    return render_template("monitor/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash("U bent uitgelogd.")
    return redirect(url_for("auth.login"))
