"""The coordinator console (/coordinator/...): campaigns, responses, sprints, exports.

Importing the view modules registers their routes on `bp` (monitor.console.blueprint).
"""

from monitor.console import (  # noqa: F401  (registers the views on bp)
    admin,
    campaigns,
    exports,
    monitor_report,
    organisations,
    reports,
    sprints,
)
from monitor.console.blueprint import bp
from monitor.results import (
    monitor_page,  # noqa: F401  (the monitor's web page, on bp)
    round_views,  # noqa: F401  (the results of a round)
)

__all__ = ["bp"]
