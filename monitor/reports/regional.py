"""The regional monitor: one PDF per year for the province and the network's yearly event.

Built in two steps (DESIGN.md section 2):

```python
context = build_monitor_context(year=2025, k=5)   # plain, JSON-serialisable values
pdf = render_monitor(context)                      # bytes
```

The context holds every number and text of the PDF: the chapters (response and reach, HR-scan
results and trends, weakest domains by sector and region, vacancies and sprint-theme demand
(``hr.profile``), CoP expectations and experiences (and by role, ``cop.by_role``), the
klankbord's ratings (``klankbord``), alumni with their skills wishes and the ICT section
(``alumni.ict``), sprints), the summary sentences, the key figures, the method section and
the charts (as ``{"title", "alt", "svg"}``). ``json.dumps(context)`` works as it is; hidden
figures are None.

The chapters live in ``regional_hr``, ``regional_profile``, ``regional_cop``,
``regional_cop_roles``, ``regional_klankbord``, ``regional_alumni``, ``regional_alumni_ict`` and
``regional_sprints``; the words in ``regional_text``; the database reads in ``regional_data``.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from markupsafe import Markup

from monitor.charts import Chart
from monitor.reports.regional_alumni import alumni_chapter
from monitor.reports.regional_alumni_ict import alumni_wishes, ict_section
from monitor.reports.regional_cop import cop_chapter
from monitor.reports.regional_cop_roles import cop_roles
from monitor.reports.regional_data import load_monitor_data
from monitor.reports.regional_hr import hr_chapters
from monitor.reports.regional_klankbord import klankbord_chapter
from monitor.reports.regional_method import clusters, method
from monitor.reports.regional_profile import profile_section
from monitor.reports.regional_sprints import sprints_chapter
from monitor.reports.regional_text import key_figures, summary

__all__ = ["TEMPLATE", "build_monitor_context", "render_monitor", "template_values"]

log = logging.getLogger(__name__)

TEMPLATE = "monitor.html"
#: seconds a monitor may take to render (it has about a dozen pages and charts)
RENDER_TIMEOUT = 120.0


def build_monitor_context(*, year: int, k: int) -> dict[str, Any]:
    """Every number and text of the regional monitor of ``year`` as plain values.

    Reads the database (inside an app context), computes with ``analysis`` and ``scans``, and
    applies disclosure control with ``k`` (the app's ``MONITOR_K_ANONYMITY``) to every figure:
    a hidden figure is None and prints as "te weinig waarnemingen".
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"year must be a whole number, got {year!r}")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive whole number, got {k!r}")
    data = load_monitor_data(year)
    response, hr, hr_charts = hr_chapters(data, k=k)
    cop, cop_charts = cop_chapter(data, k=k)
    alumni, alumni_charts = alumni_chapter(data, k=k)
    sprints, sprint_charts = sprints_chapter(data, k=k)
    klankbord, klankbord_charts = klankbord_chapter(data, k=k)
    profile = profile_section(data, k=k)
    hr["profile"] = profile
    cop["by_role"] = cop_roles(data, k=k)
    if alumni["available"]:
        alumni.update(alumni_wishes(data, k=k))
    alumni["ict"] = ict_section(data, profile, k=k)
    context: dict[str, Any] = {
        "title": f"Regionale monitor {year}",
        "subtitle": ("HR-scans, Community of Practice, alumni en intervisiesprints in Limburg"),
        "series": "Arbeidsmarktmonitor Limburg",
        "organisation": "Voor de provincie Limburg en de partners van het netwerk",
        "generated_on": date.today().isoformat(),
        "cover_note": (
            f"Cijfers over {year} en de jaren ervoor. Getallen die op minder dan {k} bedrijven "
            "of respondenten rusten, worden niet getoond."
        ),
        "year": year,
        "k": k,
        "response": response,
        "hr": hr,
        "cop": cop,
        "alumni": alumni,
        "sprints": sprints,
        "klankbord": klankbord,
        "charts": {
            **hr_charts,
            **cop_charts,
            **alumni_charts,
            **sprint_charts,
            **klankbord_charts,
        },
    }
    context["clusters"] = clusters(data)
    context["summary"] = summary(context)
    context["key_figures"] = key_figures(context)
    context["method"] = method(context)
    return context


def render_monitor(context: dict[str, Any], *, timeout: float = RENDER_TIMEOUT) -> bytes:
    """The PDF of a context from :func:`build_monitor_context` (also after a JSON round trip).

    The charts' SVG is our own markup (``monitor.charts``) and is inlined as such; every other
    text is escaped by the template.
    """
    from monitor.pdf import render_pdf  # imports WeasyPrint (~1 s): only when rendering

    return render_pdf(TEMPLATE, template_values(context), timeout=timeout)


def template_values(context: dict[str, Any]) -> dict[str, Any]:
    """What ``monitor.html`` is given for a context: the same values, with the date as a date and
    the charts as ``Chart`` objects. The PDF and the web page (``monitor.results``) both render
    from this, so they print the same figures with the same filters."""
    prepared = dict(context)
    prepared["generated_on"] = date.fromisoformat(context["generated_on"])
    prepared["charts"] = {
        name: Chart(svg=Markup(chart["svg"]), title=chart["title"], alt=chart["alt"])  # noqa: S704
        for name, chart in context["charts"].items()
    }
    return prepared
