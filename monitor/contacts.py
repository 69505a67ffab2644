"""The one rule for contact data: who sees it, on a page or in an export, and the trace it leaves.

Contact data are the e-mail addresses and names of invitees and the e-mail addresses of employer
accounts (and, in an export, the names of organisations next to answers). Only admins see them,
and every page that shows them and every export that holds them leaves an audit event with how
many, never the data itself. Coordinators run rounds on counts: who has not answered yet is
reminded by the platform, not by hand. Every page and export asks here (docs/privacy.md).
"""

from collections.abc import Callable, Sequence
from typing import TypeVar

from flask_login import current_user

from monitor import audit
from monitor.accounts import Role

T = TypeVar("T")


def may_see_contacts() -> bool:
    """Whether the logged-in account may see contact data: admins only."""
    return bool(current_user.is_authenticated and current_user.role == Role.ADMIN)


def contact_data(
    load: Callable[[], Sequence[T]], *, object_type: str, object_id: object, via: str
) -> list[T]:
    """The rows `load` gives when the account may see contact data, else none (and nothing is
    loaded). Rows shown are recorded as a `contacts.view` event of the object, with their count
    and the page (`via`); the caller commits it with its transaction."""
    if not may_see_contacts():
        return []
    rows = list(load())
    if rows:
        audit.record("contacts.view", object_type, object_id, count=len(rows), via=via)
    return rows
