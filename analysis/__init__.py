"""Statistics for the surveys and scans: pure pandas, numpy, scipy and statsmodels.

Functions take a DataFrame and column names as keyword-only arguments, raise ``ValueError`` on bad
input and return frozen result objects with ``to_frame()``. Every figure about groups of units
passes disclosure control (``k``, default 5). See docs/analysis.md.
"""

from analysis.benchmark import Benchmark, peer_benchmark
from analysis.change import Change, DomainChange, change_by_domain, change_over_waves
from analysis.crosstab import TOTAL, CrossTab, YearOnYear, crosstab, year_on_year
from analysis.descriptives import (
    Descriptives,
    describe_means,
    describe_proportions,
    wilson_interval,
)
from analysis.disclosure import mark_suppressed, protect_table, suppress_small
from analysis.effect_size import hedges_g, hedges_g_paired
from analysis.expectation import ExpectationGap, expectation_vs_experience
from analysis.multiple import holm
from analysis.reliability import Reliability, cronbach_alpha
from analysis.scores import DomainScores, ItemScoring, domain_scores, recode_items

__all__ = [
    "TOTAL",
    "Benchmark",
    "Change",
    "CrossTab",
    "Descriptives",
    "DomainChange",
    "DomainScores",
    "ExpectationGap",
    "ItemScoring",
    "Reliability",
    "YearOnYear",
    "change_by_domain",
    "change_over_waves",
    "cronbach_alpha",
    "crosstab",
    "describe_means",
    "describe_proportions",
    "domain_scores",
    "expectation_vs_experience",
    "hedges_g",
    "hedges_g_paired",
    "holm",
    "mark_suppressed",
    "peer_benchmark",
    "protect_table",
    "recode_items",
    "suppress_small",
    "wilson_interval",
    "year_on_year",
]
