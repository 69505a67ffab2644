"""The coordinator console (/coordinator/...): campaigns, responses, sprints, exports."""

from flask import Blueprint, request

bp = Blueprint("console", __name__, url_prefix="/coordinator")

#: no list has more pages than this; a larger ?page= is clamped, not a database error
MAX_PAGE = 100_000


def page_arg() -> int:
    """The ?page= of a paginated list, between 1 and MAX_PAGE."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


from monitor.console import (  # noqa: E402,F401  (registers the views on bp)
    admin,
    campaigns,
    exports,
    monitor_report,
    organisations,
    reports,
    sprints,
)
