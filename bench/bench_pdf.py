"""PDF rendering: the warm render time of the specimen report (about eight pages, eight charts) as
a ratio to a minimal WeasyPrint document rendered in the same run, and the time per chart.

`python -m bench` (or `make bench`) runs it; `--quick` does fewer repetitions.
"""

from __future__ import annotations

import gc
from datetime import date, timedelta
from typing import Any

from bench._timing import MINIMAL_HTML, median_time, minimal_document, pdf_pages, rss_mb

DOMAINS = [
    "Talent identificeren",
    "Talent aantrekken",
    "Talent ontwikkelen",
    "Talent behouden",
    "Leiderschap en cultuur",
    "Strategisch HR-beleid",
]


def sample_charts() -> dict[str, Any]:
    """The eight charts of the specimen report (fictitious figures)."""
    from monitor import charts

    days = [date(2025, 3, 3) + timedelta(days=i) for i in range(28)]
    per_day = [3, 8, 14, 9, 6, 1, 0, 11, 7, 5, 4, 3, 0, 1, 9, 6, 4, 2, 2, 0, 0, 5, 3, 2, 1, 1, 0, 4]
    years = {"2023": [2.0, 1.9, 1.7, 2.2, 2.1, 1.6], "2024": [2.1, 2.0, 1.9, 2.3, 2.0, 1.8]}
    years["2025"] = [2.3, 2.0, 2.2, 2.6, 2.2, None]
    ci = {
        y: [None if v is None else (round(v - 0.22, 2), round(v + 0.22, 2)) for v in vals]
        for y, vals in years.items()
    }
    return {
        "profile": charts.domain_profile(
            DOMAINS,
            [2.3, 1.5, 3.1, 2.8, 1.9, None],
            peer_median=[2.0, 1.8, 2.4, None, 2.1, 1.7],
            peer_q1=[1.5, 1.2, 1.9, None, 1.6, 1.2],
            peer_q3=[2.6, 2.3, 2.9, None, 2.6, 2.2],
            title="Domeinprofiel: uw bedrijf en de vergelijkingsgroep",
        ),
        "change": charts.grouped_means(
            DOMAINS,
            years,
            ci=ci,
            marks={"2025": [True, False, True, True, False, False]},
            title="Gemiddelde domeinscore per jaar",
            scale=(0, 4),
        ),
        "expectation": charts.grouped_means(
            ["Studenten", "Docenten en praktijkopleiders", "Voorzitters innovatietafels"],
            {
                "verwachting (nulmeting)": [3.9, 3.6, 4.1],
                "ervaring (vervolgmeting)": [3.5, 3.7, 3.8],
            },
            ci={
                "verwachting (nulmeting)": [(3.7, 4.1), (3.4, 3.8), (3.8, 4.4)],
                "ervaring (vervolgmeting)": [(3.3, 3.7), (3.5, 3.9), (3.5, 4.1)],
            },
            title="CoP: verwachting en ervaring per groep",
            scale=(1, 5),
        ),
        "sector": charts.bar_chart(
            ["Zorg en welzijn", "Techniek en industrie", "Logistiek", "ICT", "Onderwijs", "Overig"],
            [0.32, 0.27, 0.14, None, 0.11, 0.09],
            percent=True,
            title="Respons naar sector",
        ),
        "region": charts.bar_chart(
            ["Noord-Limburg", "Midden-Limburg", "Zuid-Limburg", "Westelijke Mijnstreek"],
            [41, 38, 77, 29],
            title="Aantal deelnemende bedrijven naar regio",
        ),
        "size": charts.bar_chart(
            ["1-9 medewerkers", "10-49 medewerkers", "50-249 medewerkers", "250 of meer"],
            [0.18, 0.44, 0.29, 0.09],
            percent=True,
            title="Respons naar omvang",
        ),
        "daily": charts.daily_trend(days, per_day, title="Ingevulde scans per dag"),
        "trend": charts.grouped_means(
            ["Talent behouden", "Talent ontwikkelen", "Strategisch HR-beleid"],
            {"2023": [2.2, 1.7, 1.6], "2025": [2.6, 2.2, 1.8]},
            ci={
                "2023": [(2.0, 2.4), (1.5, 1.9), (1.4, 1.8)],
                "2025": [(2.4, 2.8), (2.0, 2.4), None],
            },
            marks={"2025": [True, True, False]},
            title="Regionale trend: nulmeting en vervolgmeting",
            scale=(0, 4),
        ),
    }


def sample_context(charts: dict[str, Any] | None = None) -> dict[str, Any]:
    """The context of the specimen report: plain values, as a report builder would pass them."""
    item_texts = [
        "Wij hebben zicht op de talenten van onze medewerkers",
        "Leidinggevenden voeren jaarlijks een ontwikkelgesprek",
        "Er is budget voor scholing dat ook wordt gebruikt",
        "Wij weten waarom medewerkers vertrekken",
        "Nieuwe medewerkers krijgen een inwerkprogramma",
    ]
    domains = [
        {
            "title": name,
            "text": f"Uw antwoorden op de stellingen over {name.lower()}, op de schaal 0–4.",
            "items": [
                {
                    "label": text,
                    "value": None if (i + j) % 7 == 6 else round(0.6 + (i * 3 + j) % 8 * 0.45, 1),
                }
                for j, text in enumerate(item_texts)
            ],
        }
        for i, name in enumerate(DOMAINS)
    ]
    return {
        "title": "HR-scan 2025: uw resultaten",
        "subtitle": "Talent identificeren, ontwikkelen en behouden in het MKB",
        "organisation": "Voorbeeldbedrijf Techniek B.V.",
        "generated_on": date(2025, 4, 14),
        "cover_note": (
            "Dit rapport hoort bij het vervolggesprek over de HR-scan. Het vergelijkt uw "
            "antwoorden met die van bedrijven uit dezelfde sector."
        ),
        "year": 2025,
        "k": 5,
        "peer_description": "vergelijkingsgroep: 23 bedrijven in techniek en industrie",
        "summary": (
            "Uw bedrijf is sterk in het behouden van talent en scoort daar boven de mediaan van "
            "vergelijkbare bedrijven. Talent ontwikkelen blijft achter: er is weinig zicht op "
            "scholingswensen en ontwikkelgesprekken worden niet overal gevoerd."
        ),
        "key_message": {
            "title": "Behouden gaat goed, ontwikkelen verdient de meeste aandacht",
            "text": (
                "Met een score van 1,5 op talent ontwikkelen ligt uw bedrijf onder het eerste "
                "kwartiel van de vergelijkingsgroep. Een intervisiesprint over ontwikkelgesprekken "
                "sluit daar goed op aan."
            ),
        },
        "strengths": [
            "Medewerkers blijven lang: het verloop is laag en bekend.",
            "Nieuwe medewerkers krijgen een vast inwerkprogramma.",
        ],
        "attention": [
            "Ontwikkelgesprekken worden niet met iedereen gevoerd.",
            "Het scholingsbudget wordt maar voor een deel gebruikt.",
        ],
        "profile_intro": (
            "De balken tonen uw score per domein op de volwassenheidsschaal van 0 (nog niet "
            "aanwezig) tot 4 (vast onderdeel van het beleid). De ruit is de mediaan van de "
            "vergelijkingsgroep, de grijze lijn de middelste helft van die bedrijven."
        ),
        "domain_rows": [
            {"domain": name, "score": s, "median": md, "rank": r}
            for name, s, md, r in zip(
                DOMAINS,
                [2.3, 1.5, 3.1, 2.8, 1.9, None],
                [2.0, 1.8, 2.4, None, 2.1, 1.7],
                [64, 22, 81, None, 38, None],
                strict=True,
            )
        ],
        "domains": domains,
        "change_intro": (
            "Sinds de vorige scan is uw score op drie domeinen gestegen. De figuren tonen de "
            "gemiddelden met hun 95%-betrouwbaarheidsinterval."
        ),
        "response_intro": (
            "Aan de HR-scan 2025 deden 185 bedrijven mee. De verdeling over sectoren, regio's "
            "en omvang staat hieronder."
        ),
        "open_answers": [
            "We willen graag meer weten over hoe andere bedrijven het inwerken regelen.",
            "Goede scan!\nDe vragen over leiderschap waren wel lastig.",
            "Geen tijd voor scholing in het hoogseizoen.",
        ],
        "agenda": [
            "Herkent u het beeld van talent ontwikkelen?",
            "Welke twee verbeterpunten pakt u dit jaar op?",
            "Wilt u meedoen aan een intervisiesprint over ontwikkelgesprekken?",
        ],
        "method": [
            "De HR-scan bestaat uit stellingen per domein, beantwoord op een schaal van 0 tot 4. "
            "De domeinscore is het gemiddelde van de beantwoorde stellingen; 'weet niet' telt "
            "niet mee. Een domein krijgt alleen een score als minstens de helft is beantwoord.",
            "De vergelijkingsgroep bestaat uit bedrijven in dezelfde sector; zijn dat er te "
            "weinig, dan bedrijven van dezelfde omvang. Van één scan wordt geen "
            "betrouwbaarheidsinterval berekend: onzekerheid hoort bij gemiddelden van groepen.",
        ],
        "charts": charts if charts is not None else sample_charts(),
    }


def main(quick: bool = False) -> None:
    from monitor import pdf

    repeat = 3 if quick else 10
    # the baseline: a minimal document rendered by plain WeasyPrint (no cached CSS or fonts)
    minimal, minimal_wall = median_time(minimal_document, repeat)
    ours, ours_wall = median_time(lambda: pdf.html_to_pdf(MINIMAL_HTML), repeat)
    charts, charts_wall = median_time(sample_charts, repeat)
    context = sample_context()
    report, report_wall = median_time(lambda: pdf.render_pdf("specimen.html", context), repeat)
    blank = sample_context(charts=_blank_charts())
    text, text_wall = median_time(lambda: pdf.render_pdf("specimen.html", blank), repeat)
    pages = pdf_pages(pdf.render_pdf("specimen.html", context))

    renders = 10 if quick else 40
    gc.collect()
    rss_before = rss_mb()
    for _ in range(renders):
        pdf.render_pdf("specimen.html", context)
    gc.collect()
    rss_after = rss_mb()

    def row(label: str, cpu: float, wall: float, ratio: bool = True) -> None:
        line = f"{label:<44}{cpu * 1000:7.1f} ms cpu {wall * 1000:7.1f} ms wall"
        print(line + (f"  {cpu / minimal:6.1f}x" if ratio else ""))

    print("ratios: CPU time against the minimal document of plain WeasyPrint")
    row("minimal document, plain WeasyPrint", minimal, minimal_wall)
    row("minimal document, monitor.pdf (cached CSS)", ours, ours_wall)
    row(f"specimen report, {pages} pages, 8 charts", report, report_wall)
    row("the same without the charts", text, text_wall)
    row("chart, matplotlib -> SVG, each", charts / 8, charts_wall / 8, ratio=False)
    row(
        "chart, drawn into the PDF, each", (report - text) / 8, (report_wall - text_wall) / 8, False
    )
    total, total_wall = (
        charts / 8 + (report - text) / 8,
        (charts_wall + report_wall - text_wall) / 8,
    )
    row("chart, in all, each", total, total_wall, ratio=False)
    print(f"memory after {renders} more renders: {rss_after - rss_before:+.1f} MB")


def _blank_charts() -> dict[str, Any]:
    """Stand-ins without SVG, to measure what the charts add to a render."""
    from markupsafe import Markup

    from monitor.charts import Chart

    return {
        name: Chart(svg=Markup(""), title=chart.title, alt=chart.alt)
        for name, chart in sample_charts().items()
    }


if __name__ == "__main__":
    main()
