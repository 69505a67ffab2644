"""Charts: lean inline SVG with an accessible name and a Dutch text alternative."""

import json
import re
import threading
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from markupsafe import Markup

from monitor import charts

DOMAINS = ["Talent identificeren", "Talent ontwikkelen", "Talent behouden", "Werving"]
SVG = "{http://www.w3.org/2000/svg}"


def profile(**overrides):
    args = {
        "domains": DOMAINS,
        "scores": [1.8, 2.6, 2.3, None],
        "peer_median": [2.1, 2.4, 2.0, None],
        "peer_q1": [1.6, 1.9, 1.5, None],
        "peer_q3": [2.5, 2.9, 2.6, None],
    }
    args.update(overrides)
    return charts.domain_profile(args.pop("domains"), args.pop("scores"), **args)


def texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return [el.text for el in root.iter(f"{SVG}text")]


def test_svg_is_inline_markup_with_role_title_and_description():
    chart = profile(title="Domeinprofiel HR-scan")
    assert isinstance(chart.svg, Markup)
    assert chart.svg.startswith("<svg")
    assert "<?xml" not in chart.svg and "<!DOCTYPE" not in chart.svg
    root = ElementTree.fromstring(chart.svg)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Domeinprofiel HR-scan" == chart.title
    assert desc.text == chart.alt
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_domain_profile_alt_states_score_peer_median_and_quartiles_in_dutch():
    chart = profile()
    assert (
        "Talent behouden: bedrijf 2,3; mediaan vergelijkingsgroep 2,0 (kwartielen 1,5–2,6)"
        in chart.alt
    )
    assert chart.alt.startswith("Domeinprofiel (schaal 0–4). Talent identificeren: bedrijf 1,8;")


def test_domain_profile_draws_no_marker_for_a_suppressed_peer_value_and_says_so():
    chart = profile()
    # a median marker (an SVG <use> of the diamond) per shown peer median, 3 of 4, + the legend's
    assert chart.svg.count("<use ") == 3 + 1
    assert (
        "Werving: bedrijf geen score; vergelijkingsgroep niet getoond (te weinig waarnemingen)"
        in (chart.alt)
    )
    assert "vergelijkingsgroep: te weinig waarnemingen" in texts(chart.svg)


def test_domain_profile_without_peers_shows_only_the_scores():
    chart = charts.domain_profile(DOMAINS[:2], [1.0, 3.3])
    assert chart.alt == (
        "Domeinprofiel (schaal 0–4). Talent identificeren: bedrijf 1,0. "
        "Talent ontwikkelen: bedrijf 3,3."
    )
    assert "<use " not in chart.svg


def test_numbers_on_axes_and_labels_use_the_decimal_comma():
    chart = charts.grouped_means(["A", "B"], {"2024": [0.42, 0.61]}, scale=(0, 0.8), decimals=2)
    labels = texts(chart.svg)
    assert "0,2" in labels and "0,42" in labels and "0,61" in labels
    assert not [t for t in labels if re.fullmatch(r"\d+\.\d+", t)]


def test_grouped_means_alt_gives_intervals_marks_and_suppressed_values():
    chart = charts.grouped_means(
        ["Studenten", "Docenten"],
        {"verwachting": [3.9, 3.6], "ervaring": [3.5, None]},
        ci={"verwachting": [(3.7, 4.1), (3.4, 3.8)], "ervaring": [(3.3, 3.7), None]},
        marks={"ervaring": [True, False]},
        title="Verwachting en ervaring",
        scale=(1, 5),
    )
    assert chart.alt == (
        "Verwachting en ervaring. Studenten: verwachting 3,9 (95%-BI 3,7–4,1); ervaring 3,5 "
        "(95%-BI 3,3–3,7), significant verschil met de nulmeting. Docenten: verwachting 3,6 "
        "(95%-BI 3,4–3,8); ervaring niet getoond (te weinig waarnemingen)."
    )
    labels = texts(chart.svg)
    assert "3,5 *" in labels
    assert "* significant verschil met de nulmeting" in labels
    assert "95%-betrouwbaarheidsinterval" in labels


def test_bar_chart_of_shares_prints_percentages_and_suppression():
    chart = charts.bar_chart(
        ["Zorg", "Techniek", "ICT"], [0.42, 0.35, None], percent=True, title="Respons naar sector"
    )
    assert (
        chart.alt == "Respons naar sector. Zorg: 42%; Techniek: 35%; ICT: te weinig waarnemingen."
    )
    assert {"42%", "35%", "te weinig waarnemingen"} <= set(texts(chart.svg))


def test_bar_chart_of_counts_prints_whole_numbers():
    chart = charts.bar_chart(["Noord", "Zuid"], [1234, 56], title="Bedrijven")
    assert chart.alt == "Bedrijven. Noord: 1.234; Zuid: 56."


def test_daily_trend_lists_each_day_of_a_short_period():
    days = [date(2025, 3, 3) + timedelta(days=i) for i in range(3)]
    chart = charts.daily_trend(days, [4, None, 7], title="Respons per dag")
    assert chart.alt == (
        "Respons per dag (responsen): 3 maart 2025: 4; 4 maart 2025: geen gegevens; "
        "5 maart 2025: 7."
    )
    assert "3 mrt" in texts(chart.svg)


def test_daily_trend_summarises_a_long_period():
    days = [date(2025, 3, 1) + timedelta(days=i) for i in range(30)]
    values = [1] * 30
    values[9] = 12
    chart = charts.daily_trend(days, values)
    assert chart.alt == (
        "Respons per dag (responsen): van 1 maart 2025 tot en met 30 maart 2025, totaal 41; "
        "hoogste dag 10 maart 2025 (12); laatste dag 1."
    )


def test_labels_are_escaped_and_dollar_signs_stay_literal():
    chart = charts.bar_chart(["<b>Zorg</b> & welzijn", "Omzet $5 tot $10 mln"], [3, 4])
    assert "<b>" not in chart.svg
    assert "&lt;b&gt;Zorg&lt;/b&gt; &amp; welzijn" in chart.svg
    assert "Omzet $5 tot $10 mln" in texts(chart.svg)


def test_charts_are_lean():
    chart = profile()
    assert "clip-path" not in chart.svg and "clipPath" not in chart.svg
    assert "<style" not in chart.svg and " style=" not in chart.svg  # presentation attributes
    # one path per colour and kind (grid, axis, bars, band, marker, 3 legend keys), not per bar
    assert chart.svg.count("<path") <= 8
    assert 'id="figure_1"' not in chart.svg


def test_ids_differ_between_charts_so_several_can_be_inlined_in_one_page():
    first, second = profile(), profile()
    ids = [set(re.findall(r' id="([^"]+)"', c.svg)) for c in (first, second)]
    assert ids[0] and ids[1]
    assert not ids[0] & ids[1]


def test_palette_has_three_to_one_contrast_against_white():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in (*charts.PALETTE, charts.INK, charts.BAND, charts.MUTED):
        assert 1.05 / (luminance(colour) + 0.05) >= 3.0, colour


def test_chart_to_dict_is_plain_json():
    chart = profile()
    data = json.loads(json.dumps(chart.to_dict()))
    assert data["alt"] == chart.alt and data["svg"].startswith("<svg")


def test_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="scores has 1 values, expected 4"):
        charts.domain_profile(DOMAINS, [1.0])
    with pytest.raises(ValueError, match="NaN"):
        charts.bar_chart(["a"], [float("nan")])
    with pytest.raises(ValueError, match="empty"):
        charts.grouped_means([], {"2024": []})
    with pytest.raises(ValueError, match="ascending"):
        charts.daily_trend([date(2025, 1, 2), date(2025, 1, 1)], [1, 2])


def test_charts_can_be_drawn_in_parallel_threads():
    results: dict[int, str] = {}

    def draw(i: int) -> None:
        results[i] = charts.bar_chart(["A", "B"], [i, i + 1], title=f"T{i}").alt

    threads = [threading.Thread(target=draw, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: f"T{i}. A: {i}; B: {i + 1}." for i in range(6)}
