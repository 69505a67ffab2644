"""The method section of the regional monitor ("Verantwoording"): sources, scales, intervals, the
design of the HR-scan's change and of the CoP comparison, definitions and disclosure control,
written from what the chapters computed (the design and methods the data allowed)."""

from __future__ import annotations

from typing import Any

from monitor.formatting import number_nl
from monitor.reports.regional_text import SUPPRESSED, count_nl, domain_title
from scans.wording import join_nl


def method(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The method section: one block per topic with its paragraphs."""
    k = context["k"]
    hr, response, cop = context["hr"], context["response"], context["cop"]
    blocks = [
        {
            "title": "Bronnen",
            "paragraphs": [
                "De cijfers komen uit de metingen van het platform: de HR-scan van werkgevers, de "
                "CoP-meting (nulmeting en jaarlijkse vervolgmetingen), de reflectie van de "
                "klankborden, de alumni-enquête en de evaluatie na elke sprint, en uit de "
                "sprintadministratie. Alleen ingediende "
                "vragenlijsten tellen mee. Per hoofdstuk staat het jaar van de meting; waar een "
                f"meting in {context['year']} niet is gehouden, gebruikt de monitor de meest "
                "recente eerdere meting.",
            ],
        },
        {
            "title": "Bescherming van kleine groepen",
            "paragraphs": [
                f"Geen cijfer rust op minder dan {k} bedrijven of respondenten. Waar dat wel zo "
                f"zou zijn, staat ‘{SUPPRESSED}’ in plaats van een getal. In tabellen met totalen "
                "verbergen we zo nodig nog een cel (aanvullende geheimhouding), zodat een "
                "verborgen cel niet uit de totalen is terug te rekenen; een verschil tussen twee "
                "jaren of metingen verdwijnt als een van beide kanten verborgen is. Een percentage "
                f"tonen we alleen als zowel de ja- als de nee-groep minstens {k} telt.",
                "Per maat tonen we gemiddelden voor één indeling tegelijk: bij de HR-scan per "
                "arbeidsmarktregio (per sector alleen de volgorde van de domeinen), bij alumni de "
                "binding naar werkplek en de aansluiting naar opleidingsniveau. Zo zijn twee "
                "indelingen van dezelfde groep niet tegen elkaar weg te strepen tot een kleine "
                "groep.",
                "Aandelen per sector, regio, omvang of studierichting (vacatures, gewenste "
                "sprintthema's, bijscholing, alumnicommunity) tonen we alleen als in die groep "
                f"zowel wie de keuze maakte als wie dat niet deed minstens {k} telt; een totaal "
                "dat in één indeling verborgen is, is dat in alle. Rollen in de CoP met minder dan "
                f"{k} respondenten staan samen onder ‘overige rollen’.",
            ],
        },
        {
            "title": "Schalen en scores",
            "paragraphs": [
                "HR-scan: volwassenheid per praktijk van 0 tot 4 (0 niet aanwezig, 1 ad hoc, 2 op "
                "papier of in ontwikkeling, 3 structureel uitgevoerd, 4 uitgevoerd, geëvalueerd en "
                "bijgesteld). CoP, alumni en sprintevaluatie: instemming van 1 (helemaal oneens) "
                "tot 5 (helemaal eens). Aanbevelen: 0 tot 10.",
                "Een domeinscore is het gemiddelde van de beantwoorde items van dat domein, na "
                "omscoren van negatief geformuleerde items, als ten minste de helft van de items "
                "is beantwoord. ‘Weet niet’ en ‘n.v.t.’ tellen als ontbrekend, niet als 0.",
                "Telt een bedrijf in een jaar meer dan één scan, dan telt de laatste. ‘Bereikt "
                f"sinds {response.get('first_year', context['year'])}’ zijn de verschillende "
                "bedrijven met ten minste één scan in die jaren; het netwerk zijn de werkgevers "
                "die nu in het platform staan.",
            ],
        },
        {
            "title": "Betrouwbaarheidsintervallen",
            "paragraphs": [
                "Bij gemiddelden staat een 95%-betrouwbaarheidsinterval (BI) op basis van de "
                "t-verdeling, bij percentages het Wilson-interval. Het interval geeft aan hoe "
                "nauwkeurig een cijfer is: bij weinig waarnemingen is het breed.",
            ],
        },
    ]
    blocks.append({"title": "Verandering in de HR-scan", "paragraphs": _change_method(hr)})
    if cop.get("available"):
        blocks.append(
            {
                "title": "Verwachting en ervaring (CoP)",
                "paragraphs": [
                    f"De nulmeting van {cop['nulmeting_year']} vroeg wat deelnemers van de CoP "
                    "verwachten, de vervolgmetingen wat de CoP heeft opgeleverd, met dezelfde "
                    f"uitspraken. {_cop_design(cop)} Een verschil heet ‘duidelijk’ als het na "
                    "Holm-correctie significant is (p < 0,05): over de "
                    f"{cop['comparisons']['domains']} vergelijkingen per thema samen, en apart "
                    f"over de {cop['comparisons']['items']} per uitspraak. De respondentgroepen "
                    "worden apart getoond en niet samengevoegd.",
                ],
            }
        )
    blocks.append(
        {
            "title": "Alumni en sprints",
            "paragraphs": [
                "‘Werkt in Limburg’ is het aandeel van de werkende alumni die opgaven waar zij "
                "werken. ‘Wil in Limburg werken’ en ‘opleiding past bij het werk’ zijn de "
                "aandelen (helemaal) eens. Binding met Limburg en aansluiting zijn domeinscores "
                "(1–5); aansluiting alleen voor werkende alumni.",
                "Doel bereikt: het aandeel deelnemers dat het (helemaal) eens is met ‘het doel "
                "dat onze organisatie aan het begin van de sprint had, is bereikt’. NPS (Net "
                "Promoter Score): het percentage promotors (9–10) min het percentage criticasters "
                "(0–6) op de vraag of men een sprint zou aanbevelen. Sprints tellen mee als ze "
                "zijn vastgesteld of afgerond.",
                _cluster_note(context.get("clusters") or {}),
            ],
        }
    )
    return blocks


#: below this many clusters, cluster-robust standard errors are themselves too unreliable to use
MIN_CLUSTERS = 20


def clusters(data: Any) -> dict[str, int | None]:
    """How many groups the alumni (institutions) and the sprint evaluation's respondents
    (sprints) come from: respondents of one institution or one sprint resemble each other, and
    the method text says what that means for the intervals."""
    alumni = data.latest_survey("alumni")
    institutions = None
    if alumni is not None:
        named = alumni[0].loc[alumni[0]["item_key"] == "instelling", "text"].dropna()
        institutions = int(named.nunique())
    evaluation = data.latest_survey("sprint_evaluatie")
    sprints = None
    if evaluation is not None and data.sprint_year == evaluation[2]:
        sprints = len(data.sprints)
    return {"alumni_institutions": institutions, "evaluation_sprints": sprints}


def _cluster_note(counts: dict[str, int | None]) -> str:
    """Why the alumni and sprint-evaluation intervals treat respondents as independent."""
    parts = []
    if counts.get("alumni_institutions"):
        parts.append(f"de alumni uit {count_nl(counts['alumni_institutions'])} instellingen")
    if counts.get("evaluation_sprints"):
        parts.append(
            f"de deelnemers aan de sprintevaluatie uit {count_nl(counts['evaluation_sprints'])} "
            "sprints"
        )
    where = f" Hier komen {join_nl(parts)}." if parts else ""
    few = all((n or 0) < MIN_CLUSTERS for n in counts.values())
    why = (
        "Bij zo weinig groepen zouden geclusterde intervallen zelf onbetrouwbaar zijn; de "
        if few
        else "Deze monitor berekent ze nog niet; de "
    )
    return (
        "Respondenten van dezelfde instelling of dezelfde sprint lijken meer op elkaar dan "
        "willekeurige respondenten; intervallen die daar rekening mee houden (geclusterde "
        f"standaardfouten) zijn pas betrouwbaar bij zo’n {MIN_CLUSTERS} groepen of meer.{where} "
        f"{why}intervallen bij alumni en sprints behandelen respondenten als onafhankelijk en "
        "zijn daardoor waarschijnlijk iets te smal. Lees kleine verschillen daar met extra "
        "voorzichtigheid."
    )


def _cop_design(cop: dict[str, Any]) -> str:
    """How the CoP's two sides were compared, as the data allowed."""
    independent = (
        "Zonder panelsleutel (anonieme metingen) vergelijken we de groepen antwoorden als "
        "onafhankelijke steekproeven (Welch-interval voor het verschil)."
    )
    linked = (
        "Waar een pseudonieme panelsleutel dezelfde persoon in beide metingen koppelt, zijn de "
        "standaardfouten geclusterd per persoon (de antwoorden zijn dan niet onafhankelijk)."
    )
    methods = set(cop.get("methods") or [])
    if methods == {"ols_cluster"}:
        return linked
    if "ols_cluster" in methods:
        return f"{independent} {linked}"
    return independent


def _change_method(hr: dict[str, Any]) -> list[str]:
    if not hr.get("available"):
        return ["Er zijn geen HR-scans in het jaar van deze monitor."]
    design = hr.get("design")
    first, year = hr["first_year"], hr["year"]
    if first == year or not design:
        return [
            f"{year} is het eerste jaar met HR-scans; verandering volgt bij de volgende monitor."
        ]
    if not design.get("available"):
        return [
            f"De verandering sinds {first} kon niet worden berekend (te weinig scans of te "
            "weinig spreiding in de scores); de reden staat in de JSON-versie van de monitor."
        ]
    repeated = ""
    if design["companies"] is not None and design["companies_repeated"] is not None:
        repeated = (
            f" Van de {count_nl(design['companies'])} bedrijven met een scan deden er "
            f"{count_nl(design['companies_repeated'])} dat in meer dan één jaar."
        )
    trend = (
        ", plus een lineaire trend per jaar"
        if any(domain.get("trend") for domain in hr["domains"])
        else " (een lineaire trend volgt vanaf vier meetjaren; bij drie is hij precies de helft "
        "van het verschil tussen het eerste en het laatste jaar)"
    )
    paragraphs = [
        f"Ontwerp: {design['design_nl']}.{repeated} Model: {design['method_nl']}, met het jaar als "
        f"meetmoment; vergeleken wordt {year} met {first}{trend}. De effectgrootte (Hedges’ g) "
        "is die van het verschil uit het model.",
        f"Omdat {len(hr['domains'])} domeinen tegelijk worden getoetst, corrigeren we de "
        "p-waarden met de "
        f"methode van Holm; een verandering heet significant als de gecorrigeerde p kleiner is "
        f"dan {number_nl(design['alpha'], 2)}. In figuren staat dan een ster (*).",
    ]
    if design["fallback_domains"]:
        names = join_nl(
            [f"‘{domain_title(hr, key).lower()}’" for key in design["fallback_domains"]]
        )
        paragraphs.append(
            f"Voor {names} convergeerde het gemengde model niet; daar is OLS met per bedrijf "
            "geclusterde standaardfouten gebruikt."
        )
    return paragraphs
