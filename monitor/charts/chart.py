"""The chart type: inline SVG with its accessible name and text alternative.

Both renderers (matplotlib through `monitor.charts.svgpost`, direct SVG in `monitor.charts.direct`)
hand their bare `<svg>` markup to `accessible()`, which adds the role, the `<title>` and `<desc>`
with ids unique per chart (several charts are inlined in one page) and the font family.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

from markupsafe import Markup

from monitor.charts.style import FONT_STACK


@dataclass(frozen=True)
class Chart:
    """A rendered chart: inline SVG plus the title and the Dutch text alternative."""

    svg: Markup
    title: str
    alt: str

    def __html__(self) -> str:
        return str(self.svg)

    def to_dict(self) -> dict[str, str]:
        """Plain values, for the JSON form of a report context."""
        return {"title": self.title, "alt": self.alt, "svg": str(self.svg)}


def accessible(svg: str, title: str, alt: str) -> Chart:
    """`svg` (markup starting with `<svg`, every text in it escaped) as a chart named `title` and
    described by `alt`: `role="img"`, `aria-labelledby` pointing at its `<title>` and `<desc>`."""
    uid = uuid.uuid4().hex[:10]
    open_end = svg.index(">") + 1
    svg = (
        svg[:4]
        + f' class="chart" role="img" aria-labelledby="c{uid}-t c{uid}-d"'
        + f' font-family="{FONT_STACK}"'
        + svg[4:open_end]
        + f'<title id="c{uid}-t">{escape(title)}</title><desc id="c{uid}-d">{escape(alt)}</desc>'
        + svg[open_end:]
    )
    return Chart(svg=Markup(svg.strip()), title=title, alt=alt)  # noqa: S704 (our own markup)
