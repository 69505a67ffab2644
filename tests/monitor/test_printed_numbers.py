"""Printed numbers follow one rounding rule, and a printed difference is the difference of the
printed values (web pages and reports share the filters and macros)."""

from monitor.formatting import number_nl, percent_nl
from monitor.pdf import _env
from scans.wording import score_nl


def test_halves_round_away_from_zero_in_every_formatter():
    assert number_nl(2.25, 1) == "2,3"  # Python's format: 2.2
    assert number_nl(1.75, 1) == "1,8"
    assert score_nl(2.25) == "2,3"
    assert percent_nl(0.125, 0) == "13%"  # 12.5% -> 13%
    assert number_nl(-0.04, 1) == "0,0"  # no "-0,0"
    assert number_nl(1234.55, 1) == "1.234,6"


def test_a_printed_change_is_the_difference_of_the_printed_values():
    macros = _env.get_template("_macros.html").module
    # 0,65 prints as 0,7 and 0,34 as 0,3: the change prints as −0,4 (unrounded −0,31)
    assert str(macros.printed_change(0.65, 0.34)) == "−0,4"
    assert str(macros.printed_change(2.25, 2.3)) == "0,0"  # 2,3 → 2,3
    assert str(macros.printed_change(1.0, 1.25)) == "+0,3"
    assert str(macros.printed_change(None, 1.0)) == "–"
