"""Role checks for views. Object checks (which organisation) stay in the views themselves."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from monitor.accounts import Role


def role_required(*roles: Role) -> Callable:
    """Log in first, then 403 unless the account has one of `roles`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
