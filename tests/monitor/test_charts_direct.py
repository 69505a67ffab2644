"""Charts written as SVG directly: the bar chart and the stacked distribution of answers."""

import re
from xml.etree import ElementTree

import pytest

from monitor import charts

SVG = "{http://www.w3.org/2000/svg}"
SCALE = ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"]


def texts(svg: str) -> list[str]:
    return [el.text for el in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def rect_widths(svg: str, colour: str, *, edged: bool = False) -> list[float]:
    """The widths of the rectangles in the first path filled with `colour` (with a white edge:
    the segments of a stacked bar, not its legend key)."""
    root = ElementTree.fromstring(svg)
    paths = root.iter(f"{SVG}path")
    path = next(p for p in paths if p.get("fill") == colour and bool(p.get("stroke")) == edged)
    return [float(w) for w in re.findall(r"h(-?[\d.]+)v", path.get("d"))]


def likert(**overrides):
    args = {
        "rows": ["Ik weet wat mijn talenten zijn", "<b>Leiding</b> & $5", "Klein team"],
        "categories": SCALE,
        "counts": [[2, 4, 4, 6, 4], [1, 0, 3, 12, 4], None],
        "missing": {"weet niet": [3, 0, 0], "n.v.t.": [1, 2, 0]},
        "title": "Stellingen over talent",
    }
    args.update(overrides)
    return charts.distribution_chart(
        args.pop("rows"), args.pop("categories"), args.pop("counts"), **args
    )


def test_distribution_is_accessible_inline_svg_with_its_alt():
    chart = likert()
    root = ElementTree.fromstring(chart.svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Stellingen over talent"
    assert root.find(f"{SVG}desc").text == chart.alt
    assert chart.alt.startswith(
        "Stellingen over talent. Ik weet wat mijn talenten zijn: helemaal oneens 10% (2), "
    )


def test_distribution_segments_are_shares_of_the_valid_answers_only():
    chart = likert()
    oneens = rect_widths(chart.svg, charts.PALETTE[1], edged=True)  # row 2 has no "oneens"
    eens = rect_widths(chart.svg, charts.PALETTE[3], edged=True)
    assert len(oneens) == 1 and len(eens) == 2
    # row 1: 6 of 20 valid answers "eens" against 4 "oneens"; the 4 missing codes count in neither
    assert eens[0] / oneens[0] == pytest.approx(6 / 4, rel=0.01)
    full = sum(rect_widths(chart.svg, c, edged=True)[0] for c in charts.PALETTE[:5])
    assert eens[0] / full == pytest.approx(6 / 20, rel=0.01)


def test_distribution_prints_missing_codes_apart_and_suppressed_rows():
    labels = texts(likert().svg)
    assert "n = 20; weet niet 3, n.v.t. 1" in labels
    assert "n = 20; n.v.t. 2" in labels
    assert "te weinig waarnemingen" in labels
    assert {"0%", "40%", "100%"} <= set(labels)
    assert set(SCALE) <= set(labels)  # the legend


def test_distribution_escapes_labels():
    chart = likert(categories=["<i>nee</i>", "ja & nee"], counts=[[1, 2], [3, 4], None])
    assert "<i>" not in chart.svg and "<b>" not in chart.svg
    assert "&lt;b&gt;Leiding&lt;/b&gt; &amp; $5" in chart.svg
    assert "ja & nee" in texts(chart.svg)


def test_distribution_of_a_row_without_valid_answers_says_so():
    chart = likert(counts=[[0, 0, 0, 0, 0], [1, 1, 1, 1, 1], None])
    assert "geen geldige antwoorden" in texts(chart.svg)
    assert (
        "Ik weet wat mijn talenten zijn: geen geldige antwoorden; n = 0; weet niet 3" in chart.alt
    )


def test_distribution_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="categories must number 1 to 6"):
        likert(categories=[str(i) for i in range(7)], counts=[[1] * 7, None, None])
    with pytest.raises(ValueError, match=r"counts\[1\] has 4 values, expected 5"):
        likert(counts=[[1] * 5, [1] * 4, None])
    with pytest.raises(ValueError, match="negative"):
        likert(counts=[[1] * 5, [1, -1, 1, 1, 1], None])
    with pytest.raises(ValueError, match=r"missing\['n\.v\.t\.'\] has 1 values"):
        likert(missing={"n.v.t.": [1]})


def test_bar_lengths_are_proportional_to_the_values_on_one_path():
    chart = charts.bar_chart(["A", "B", "C"], [10, 20, None])
    widths = rect_widths(chart.svg, charts.PALETTE[0])
    assert len(widths) == 2 and widths[1] / widths[0] == pytest.approx(2.0, rel=0.001)
    assert chart.svg.count("<path") == 3  # bars, grid lines, axis line
    assert {"0", "10", "20", "te weinig waarnemingen"} <= set(texts(chart.svg))


def test_direct_charts_have_ids_unique_per_chart():
    first, second = likert(), likert()
    ids = [set(re.findall(r' id="([^"]+)"', c.svg)) for c in (first, second)]
    assert ids[0] and not ids[0] & ids[1]
