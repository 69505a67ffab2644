"""The charts' house style: colours, font, sizes and the suppression wording, shared by the charts
drawn with matplotlib and the ones written as SVG directly, so both look alike in print and on the
web.
"""

from __future__ import annotations

#: Colour-blind safe: the Okabe-Ito hues, darkened where needed so that every colour has a contrast
#: of at least 3:1 against white (the WCAG minimum for graphical objects). Used in this order.
PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#00795A", "#A4508B", "#8F6400", "#4D4D4D")
INK = "#1B1F23"  #: text and markers (peer median)
MUTED = "#5B636B"  #: axis labels, notes
GRID = "#D5D9DD"  #: grid lines (decoration only)
BAND = "#7A8288"  #: interquartile band of the peers (3.9:1 against white)

#: Font family written into the SVG text. The print CSS registers "Report Sans" (the embedded
#: DejaVu Sans subset); web pages fall back to DejaVu Sans or the system sans-serif. Labels are
#: measured with DejaVu Sans's own advance widths (`monitor.charts.textwidth`): they fit in print.
FONT_STACK = "'Report Sans', 'DejaVu Sans', Verdana, sans-serif"

FONT_SIZE = 8.5  # points; the chart is drawn at its printed size
WIDTH_CM = 16.0  # fits A4 with 2 cm margins left and right
SUPPRESSED_TEXT = "te weinig waarnemingen"

#: Layout of the horizontal bar charts, in inches (matplotlib's unit) and shared by both renderers.
ROW_IN = 0.42  # one row unit of the plot area
BOTTOM_IN = 0.24  # room for the value axis labels
RIGHT_IN = 0.45  # room for the value labels at the end of the longest bar
LEGEND_LINE = 13.0  # points per legend line
LEGEND_SIZE = FONT_SIZE - 0.5
#: width in points of a legend entry's key before its text, per kind of key
LEGEND_KEY = {"bar": 13.0, "diamond": 13.0, "line": 16.0, "whisker": 16.0, "text": 0.0}
