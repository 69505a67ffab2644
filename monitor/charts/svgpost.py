"""matplotlib's SVG made lean for inline use: no prolog, style sheet, ids on groups or no-op
transforms, presentation attributes instead of `style`, coordinates to 0.01 pt. Every element and
attribute left out is markup WeasyPrint and the browser need not read."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from monitor.charts.chart import Chart, accessible

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_G_ID = re.compile(r'<g id="[^"]*">')
_NOOP_ROTATE = re.compile(r' transform="rotate\(-?0 [^")]*\)"')
_STYLE_ATTR = re.compile(r' style="([^"]*)"')
_STYLE_DEFS = re.compile(r"<defs>\s*<style[^<]*</style>\s*</defs>")
_BETWEEN_TAGS = re.compile(r">\s+<")
_GEOMETRY = re.compile(r' (d|x|y|width|height|viewBox|transform)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")


def _short_numbers(match: re.Match[str]) -> str:
    """Coordinates to 0.01 pt and single spaces: less markup for the HTML parser to read."""
    value = _LONG_DECIMAL.sub(r"\1", " ".join(match[2].split()))
    return f' {match[1]}="{value}"'


def _presentation_attributes(match: re.Match[str]) -> str:
    """`style="fill: #fff; stroke: none"` -> `fill="#fff" stroke="none"`.

    Inline in HTML, an SVG element's style attribute goes through the HTML CSS engine, which does
    not know the SVG properties (WeasyPrint logs a warning per property, slowly); presentation
    attributes are read by the SVG renderer directly, and by browsers alike.
    """
    attrs = []
    for declaration in match[1].split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name == "font-family" or (name, value) == ("stroke-linejoin", "miter"):
            continue  # the family is set once on the root; miter is the default join
        if name and value:
            attrs.append(f' {name}="{value}"')
    return "".join(attrs)


def lean_svg(raw: str) -> str:
    """matplotlib's SVG document `raw` as lean inline `<svg>` markup."""
    svg = raw[raw.index("<svg") :]
    svg = _STYLE_DEFS.sub("", svg)
    svg = _G_ID.sub("<g>", svg)
    svg = _NOOP_ROTATE.sub("", svg)
    svg = _STYLE_ATTR.sub(_presentation_attributes, svg)
    svg = _GEOMETRY.sub(_short_numbers, svg)
    if not re.search(r"<g\s", svg):  # only bare groups left: they group nothing
        svg = svg.replace("<g>", "").replace("</g>", "")
    return _BETWEEN_TAGS.sub("><", svg)


def finish(fig: Figure, title: str, alt: str) -> Chart:
    """Write the figure as lean inline SVG with its accessible name and description."""
    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
    )
    return accessible(lean_svg(buf.getvalue()), title, alt)
