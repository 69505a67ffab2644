"""Chart alt texts as functions of plain values: the wording is checked without drawing, and
importing the charts (or their alt texts) loads no matplotlib."""

import subprocess
import sys
from datetime import date, timedelta

import pytest

from monitor.charts import alt, textwidth, values

DOMAINS = ["Talent identificeren", "Werving"]


def fresh_python(code: str) -> list[str]:
    """The output lines of `code` run in a fresh interpreter (nothing imported yet)."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def test_importing_the_charts_and_drawing_direct_charts_loads_no_matplotlib():
    code = (
        "import sys\n"
        "import monitor.charts\n"
        "from monitor.charts import alt, bar_chart, distribution_chart\n"
        "alt.bars_alt(['a'], [1])\n"
        "bar_chart(['a', 'b'], [1, None])\n"
        "distribution_chart(['x'], ['oneens', 'eens'], [[1, 2]], missing={'weet niet': [1]})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    assert fresh_python(code) == ["[]"]


def test_drawing_a_matplotlib_kind_still_works_after_a_lazy_import():
    code = (
        "import sys\n"
        "from monitor.charts import grouped_means\n"
        "assert 'matplotlib' not in sys.modules\n"
        "print(grouped_means(['A'], {'2024': [1.5]}).alt)\n"
        "print('matplotlib' in sys.modules)\n"
    )
    assert fresh_python(code) == ["Gemiddelden. A: 2024 1,5.", "True"]


def test_profile_alt_names_score_median_quartiles_and_suppressed_peers():
    text = alt.profile_alt(
        DOMAINS,
        [2.3, None],
        peer_median=[2.0, None],
        peer_q1=[1.5, None],
        peer_q3=[2.6, None],
        title="Domeinprofiel HR-scan",
    )
    assert text == (
        "Domeinprofiel HR-scan (schaal 0–4). Talent identificeren: bedrijf 2,3; mediaan "
        "vergelijkingsgroep 2,0 (kwartielen 1,5–2,6). Werving: bedrijf geen score; "
        "vergelijkingsgroep niet getoond (te weinig waarnemingen)."
    )


def test_profile_alt_without_quartiles_gives_the_median_only():
    text = alt.profile_alt(["Werving"], [1.0], peer_median=[1.5], subject="uw bedrijf")
    assert (
        text
        == "Domeinprofiel (schaal 0–4). Werving: uw bedrijf 1,0; mediaan vergelijkingsgroep 1,5."
    )


def test_means_alt_gives_intervals_marks_and_suppressed_means():
    text = alt.means_alt(
        ["Studenten", "Docenten"],
        {"2024": [3.91, None], "2025": [3.5, 3.62]},
        ci={"2025": [(3.3, 3.7), None]},
        marks={"2025": [True, False]},
        mark_label="significant veranderd",
        title="Verwachting",
        decimals=2,
    )
    assert text == (
        "Verwachting. Studenten: 2024 3,91; 2025 3,50 (95%-BI 3,30–3,70), significant veranderd. "
        "Docenten: 2024 niet getoond (te weinig waarnemingen); 2025 3,62."
    )


def test_bars_alt_prints_shares_counts_units_and_suppression():
    assert (
        alt.bars_alt(["Zorg", "ICT"], [0.423, None], percent=True, title="Respons")
        == "Respons. Zorg: 42%; ICT: te weinig waarnemingen."
    )
    assert (
        alt.bars_alt(["Noord", "Zuid"], [1234, 5.5], unit="uur", title="Uren")
        == "Uren. Noord: 1.234,0 uur; Zuid: 5,5 uur."
    )
    assert alt.bars_alt(["Noord"], [3]) == "Aantallen. Noord: 3."


def test_distribution_alt_gives_shares_of_valid_answers_and_missing_codes_apart():
    text = alt.distribution_alt(
        ["Stelling 1", "Stelling 2", "Stelling 3"],
        ["oneens", "neutraal", "eens"],
        [[1, 1, 2], None, [0, 0, 0]],
        missing={"weet niet": [3, 0, 2], "n.v.t.": [0, 0, 1]},
        title="Stellingen",
    )
    assert text == (
        "Stellingen. Stelling 1: oneens 25% (1), neutraal 25% (1), eens 50% (2); n = 4; "
        "weet niet 3. Stelling 2: niet getoond (te weinig waarnemingen). Stelling 3: geen "
        "geldige antwoorden; n = 0; weet niet 2, n.v.t. 1."
    )


def test_trend_alt_lists_a_short_period_and_summarises_a_long_one():
    days = [date(2025, 3, 3) + timedelta(days=i) for i in range(2)]
    assert (
        alt.trend_alt(days, [4, None], label="scans")
        == "Respons per dag (scans): 3 maart 2025: 4; 4 maart 2025: geen gegevens."
    )
    days = [date(2025, 3, 1) + timedelta(days=i) for i in range(15)]
    assert alt.trend_alt(days, [None] * 15) == (
        "Respons per dag (responsen): van 1 maart 2025 tot en met 15 maart 2025, totaal 0; "
        "laatste dag geen gegevens."
    )


@pytest.mark.parametrize(
    ("lo", "hi"),
    [(0, h) for h in (0.1, 0.3, 0.5, 0.8, 1, 1.5, 2.5, 3, 4, 6, 8, 15, 25, 60, 150, 1234, 0.7)]
    + [(1, 5), (0, 4), (1, 7), (0.5, 3.5), (2, 3)],
)
def test_value_ticks_are_matplotlibs_max_n_locator_ticks(lo, hi):
    from matplotlib.ticker import MaxNLocator

    locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10])
    expected = [t for t in locator.tick_values(lo, hi) if lo - 1e-9 <= t <= hi + 1e-9]
    assert values.value_ticks(lo, hi) == pytest.approx(expected)


@pytest.mark.parametrize(
    "label", ["Talent identificeren", "Zorg en welzijn", "Omzet $5 tot $10 mln", "1.234", "Één"]
)
def test_text_width_is_dejavu_sans_width_or_a_little_more(label):
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", size=8.5)
    measured = TextToPath().get_text_width_height_descent(label, prop, ismath=False)[0]
    estimate = textwidth.text_width(label, 8.5)
    assert measured - 0.01 <= estimate <= measured * 1.05
