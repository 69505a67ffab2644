"""The coordinator console (/coordinator/...): campaigns, responses, sprints, exports."""

from flask import Blueprint

bp = Blueprint("console", __name__, url_prefix="/coordinator")

from monitor.console import (  # noqa: E402,F401  (registers the views on bp)
    admin,
    campaigns,
    exports,
    organisations,
)
