"""Charts as inline SVG, for the PDF reports and the web pages alike.

Every chart function takes plain values (sequences, mappings, floats, dates) and returns a `Chart`:
the SVG markup (no XML prolog, `role="img"`, a `<title>` and a `<desc>`), the title and a Dutch text
alternative that states the figures in words. The alt text goes into the figure caption of a report
and into the `<desc>` of the SVG, so a reader without the picture misses nothing.

The package, by job:
- `chart`: the `Chart` type and its accessible name and description;
- `style`: colours, font and sizes; `textwidth`, `layout`, `values`: measuring labels, placing the
  legend, checking input values and choosing the axis ticks, for both renderers;
- `alt`: the alt texts, as functions of the charts' plain values (tested without drawing);
- `direct`: the bar chart and the stacked distribution written as SVG directly (no matplotlib,
  cheap enough to draw dozens per web request);
- `kinds`: the domain profile, grouped means and daily trend, drawn with matplotlib through the
  helpers in `draw` and made lean by `svgpost`.

Importing this package (or `alt`, or `direct`) does not import matplotlib: only drawing a `kinds`
chart does, so a web worker that shows no such chart never loads it.
"""

from monitor.charts.chart import Chart
from monitor.charts.direct import bar_chart, distribution_chart
from monitor.charts.kinds import daily_trend, domain_profile, grouped_means
from monitor.charts.style import BAND, FONT_STACK, GRID, INK, MUTED, PALETTE

__all__ = [
    "BAND",
    "FONT_STACK",
    "GRID",
    "INK",
    "MUTED",
    "PALETTE",
    "Chart",
    "bar_chart",
    "daily_trend",
    "distribution_chart",
    "domain_profile",
    "grouped_means",
]
