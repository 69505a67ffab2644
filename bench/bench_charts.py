"""Charts: a bar chart drawn with matplotlib against the same bars written as SVG directly, the
stacked distribution a results page shows per item, a results page of 40 of them, and what each
costs WeasyPrint in a PDF. Ratios are CPU time against the matplotlib bar chart measured in the
same run.

The matplotlib bar chart is `grouped_means` with one series: the same horizontal bars, labels,
grid and value labels as `bar_chart`, which is written directly. `python -m bench` (or
`make bench`) runs it; `--quick` does fewer repetitions.
"""

from __future__ import annotations

from bench._timing import MINIMAL_HTML, median_time

SECTORS = [
    "Zorg en welzijn",
    "Techniek en industrie",
    "ICT en zakelijke dienstverlening",
    "Handel",
    "Logistiek",
    "Bouw en installatie",
    "Onderwijs",
    "Overheid",
]
SHARES = [0.42, 0.35, None, 0.61, 0.18, 0.27, 0.49, 0.33]
SCALE = ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"]
GROUPS = ["Studenten", "Docenten en praktijkopleiders", "Werkgevers"]
PAGE_ITEMS = 40


def _document(svgs: list[str]) -> str:
    return f"<!doctype html><html lang=nl><body>{''.join(svgs)}</body></html>"


def main(quick: bool = False) -> None:
    from monitor import charts, pdf

    repeat = 3 if quick else 15
    drawn = [v or 0.0 for v in SHARES]

    def matplotlib_bars() -> charts.Chart:
        return charts.grouped_means(SECTORS, {"respons": drawn}, title="Respons", scale=(0, 0.7))

    def direct_bars() -> charts.Chart:
        return charts.bar_chart(SECTORS, SHARES, percent=True, title="Respons")

    def distribution(i: int = 0) -> charts.Chart:
        counts = [[1 + (i + g) % 4, 3, 5 + g, 9 - g, 4] for g in range(len(GROUPS))]
        missing = {"weet niet": [i % 3, 0, 2], "n.v.t.": [0, 1, 0]}
        return charts.distribution_chart(
            GROUPS, SCALE, counts, missing=missing, title=f"Stelling {i + 1}"
        )

    def page() -> list[charts.Chart]:
        return [distribution(i) for i in range(PAGE_ITEMS)]

    base, base_wall = median_time(matplotlib_bars, repeat)
    direct, direct_wall = median_time(direct_bars, repeat)
    dist, dist_wall = median_time(distribution, repeat)
    whole, whole_wall = median_time(page, max(3, repeat // 3))

    # in a PDF: eight of each chart on one page, less a minimal document rendered the same way
    eight_mpl = _document([str(matplotlib_bars().svg) for _ in range(8)])
    eight_direct = _document([str(direct_bars().svg) for _ in range(8)])
    pdf_repeat = max(3, repeat // 3)
    minimal, _ = median_time(lambda: pdf.html_to_pdf(MINIMAL_HTML), pdf_repeat)
    in_pdf_mpl, _ = median_time(lambda: pdf.html_to_pdf(eight_mpl), pdf_repeat)
    in_pdf_direct, _ = median_time(lambda: pdf.html_to_pdf(eight_direct), pdf_repeat)

    def row(label: str, cpu: float, wall: float | None = None, note: str = "") -> None:
        walls = f"{wall * 1000:8.2f} ms wall" if wall is not None else " " * 16
        print(f"{label:<50}{cpu * 1000:8.2f} ms cpu {walls}  {cpu / base:7.3f}x {note}")

    print("ratios: CPU time against the matplotlib bar chart of this run")
    row("bar chart, matplotlib (8 bars)", base, base_wall, f"{len(matplotlib_bars().svg)} B")
    row("bar chart, direct SVG (8 bars)", direct, direct_wall, f"{len(direct_bars().svg)} B")
    row("stacked distribution, direct SVG (3 x 5)", dist, dist_wall, f"{len(distribution().svg)} B")
    row(f"results page: {PAGE_ITEMS} distributions, direct SVG", whole, whole_wall)
    row("bar chart, matplotlib, rendered in a PDF, each", (in_pdf_mpl - minimal) / 8)
    row("bar chart, direct SVG, rendered in a PDF, each", (in_pdf_direct - minimal) / 8)


if __name__ == "__main__":
    main()
