"""Admin pages of the console: the audit log and the list of accounts (admins only)."""

from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from monitor.accounts import Role, User
from monitor.audit import AuditEvent
from monitor.console.blueprint import bp, page_arg
from monitor.contacts import contact_data
from monitor.roles import role_required
from surveys.db import db

PER_PAGE = 50


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log():
    """Who viewed, downloaded, exported or deleted what, newest first; filter by action."""
    actions = db.session.scalars(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    action = request.args.get("action") or None
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    page = db.paginate(query, page=page_arg(), per_page=PER_PAGE, error_out=False)
    user_ids = {event.user_id for event in page.items if event.user_id is not None}
    emails = dict(
        db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids))).all()
    )
    return render_template(
        "console/audit.html",
        page=page,
        emails=emails,
        actions=actions,
        action=action,
        filters={"action": action} if action else {},
    )


@bp.get("/accounts")
@role_required(Role.ADMIN)
def accounts():
    """Every account with its role and, for employers, its organisation."""
    role = request.args.get("role") or None
    query = select(User).options(selectinload(User.organisation)).order_by(User.role, User.email)
    if role in tuple(Role):
        query = query.where(User.role == role)
    page = db.paginate(query, page=page_arg(), per_page=PER_PAGE, error_out=False)
    # the employers' addresses are contact data: the page view is recorded like the others
    employers = [user for user in page.items if user.role == Role.EMPLOYER]
    contact_data(lambda: employers, object_type="accounts", object_id="list", via="accounts")
    db.session.commit()
    return render_template(
        "console/accounts.html",
        page=page,
        role=role,
        roles=list(Role),
        filters={"role": role} if role else {},
    )
