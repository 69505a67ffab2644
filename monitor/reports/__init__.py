"""Report builders: each report is built in two steps (DESIGN.md section 2).

``context = build_...(...)`` gathers plain values (numbers and texts from ``scans`` and
``analysis``, charts from ``monitor.charts`` as dicts) and ``render_...(context) -> bytes`` turns
them into a PDF with ``monitor.pdf``. The same context, written as JSON, shows the numbers behind
every PDF (``--format json``).

- ``monitor.reports.company``: the company HR-scan report (``build_company_context``,
  ``render_company``);
- ``monitor.reports.bulk``: every company report of a year, in parallel worker processes or as a
  background job;
- ``monitor.reports.regional``: the regional monitor.

Importing this package is cheap: the builders (and WeasyPrint) load when their module is imported.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

__all__ = ["context_json"]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"{type(value).__name__} is not a plain value")


def context_json(
    context: dict[str, Any], *, indent: int | None = 2, sort_keys: bool = False
) -> str:
    """A report context as JSON: dates as ISO strings, charts as their dict form."""
    return json.dumps(
        context, ensure_ascii=False, indent=indent, sort_keys=sort_keys, default=_json_default
    )
