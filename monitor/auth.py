"""Log in and out; the start page sends each role to its own part of the site."""

import logging

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from monitor import audit
from monitor.accounts import Role, find_user
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
    """Only same-site relative paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


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
        if user is not None and user.active and user.check_password(form.password.data):
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
