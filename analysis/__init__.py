"""Statistics for the surveys and scans: pure pandas, numpy, scipy and statsmodels.

Functions take a DataFrame and column names as keyword-only arguments, raise ``ValueError`` on bad
input and return frozen result objects with ``to_frame()``. Every figure about groups of units
passes disclosure control (``k``, default 5). See docs/analysis.md.

Import from the modules (``analysis.scores``, ``analysis.change``, ...): this file stays empty so
that a caller needing only the scoring does not load statsmodels with the change models.
"""
