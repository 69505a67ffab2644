"""The console's blueprint (/coordinator/...) and the request helper its list views share.

The view modules import `bp` from here and the package imports the view modules, so nothing
imports the package that imports it (no circle, no import at the bottom of `__init__`).
"""

from flask import Blueprint, request

bp = Blueprint("console", __name__, url_prefix="/coordinator")

#: no list has more pages than this; a larger ?page= is clamped, not a database error
MAX_PAGE = 100_000


def page_arg() -> int:
    """The ?page= of a paginated list, between 1 and MAX_PAGE."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
