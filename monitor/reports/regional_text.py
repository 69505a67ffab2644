"""The words of the regional monitor: the summary of key findings and the key figures up front
(the method section: ``regional_method``), written from the chapters' numbers (never hard-coded).

Every sentence uses only figures the chapters show; a hidden figure leaves its sentence out or
says that there were too few observations.
"""

from __future__ import annotations

from typing import Any

from monitor.formatting import number_nl, percent_nl
from scans.wording import join_nl

SUPPRESSED = "te weinig waarnemingen"


def score(value: float) -> str:
    """A mean on a scale, one decimal: 2.345 -> "2,3"."""
    return number_nl(value, 1)


def signed(value: float) -> str:
    """A difference with its sign and a true minus: 0.42 -> "+0,4", -0.3 -> "−0,3"."""
    text = number_nl(abs(value), 1)
    if text == "0,0":
        return text
    return ("+" if value > 0 else "−") + text


def ci_text(low: float | None, high: float | None, *, percent: bool = False) -> str:
    """ "95%-BI 1,2–1,6" (or "51–62%" for a proportion); "" when not available."""
    if low is None or high is None:
        return ""
    if percent:
        return f"95%-BI {number_nl(low * 100, 0)}–{percent_nl(high)}"
    return f"95%-BI {decimal(low)} tot {decimal(high)}"


def decimal(value: float) -> str:
    """One decimal with a true minus, never "-0,0"."""
    text = number_nl(abs(value), 1)
    return text if text == "0,0" or value >= 0 else f"−{text}"


def count_nl(n: int) -> str:
    """A count in Dutch notation: 1234 -> "1.234"."""
    return number_nl(n, 0)


# -- summary ---------------------------------------------------------------------------------------


def summary(context: dict[str, Any]) -> dict[str, Any]:
    """The one-page summary: a lead and findings per topic, as sentences a director reads."""
    year = context["year"]
    findings = []
    for topic, sentences in (
        ("Bereik", _reach(context["response"])),
        ("HR-volwassenheid", _maturity(context["hr"])),
        ("Sectoren en regio's", _sectors(context["hr"])),
        ("Community of Practice", _cop(context["cop"])),
        ("Alumni", _alumni(context["alumni"])),
        ("Sprints", _sprints(context["sprints"])),
    ):
        if sentences:
            findings.append({"topic": topic, "text": " ".join(sentences)})
    lead = (
        f"Deze monitor laat zien hoe het in {year} staat met het personeelsbeleid van de "
        "Limburgse werkgevers die een HR-scan deden, wat de Community of Practice rond Chemelot "
        "volgens haar deelnemers oplevert, waar alumni gaan werken en wat de intervisiesprints "
        "bereikten. De kernbevindingen:"
    )
    return {"lead": lead, "findings": findings}


def _reach(response: dict[str, Any]) -> list[str]:
    if not response.get("available"):
        return [f"In {response['year']} zijn geen HR-scans ingevuld."]
    year, first = response["year"], response["first_year"]
    now, before = response["scanned"], response["first_scanned"]
    out = []
    if now is None:
        out.append(f"In {year} vulden te weinig bedrijven de HR-scan in om cijfers te tonen.")
    elif first < year and before is not None:
        if now > before:
            verb = "steeg"
        elif now < before:
            verb = "daalde"
        else:
            verb = None
        if verb:
            out.append(
                f"Het aantal gescande bedrijven {verb} van {count_nl(before)} in {first} "
                f"naar {count_nl(now)} in {year}."
            )
        else:
            out.append(f"Het aantal gescande bedrijven bleef {count_nl(now)}, net als in {first}.")
    else:
        out.append(f"In {year} vulden {count_nl(now)} bedrijven de HR-scan in.")
    reached, share = response["reached_since_first"], response["reach_share"]
    if first < year and reached is not None:
        sentence = f"Sinds {first} deden {count_nl(reached)} verschillende bedrijven een HR-scan"
        if share is not None and response["network"]:
            sentence += (
                f", {percent_nl(share)} van de {count_nl(response['network'])} werkgevers "
                "in het netwerk"
            )
        out.append(sentence + ".")
    if response.get("repeat") is not None and now is not None:
        out.append(
            f"Van de bedrijven van {year} deden er {count_nl(response['repeat'])} eerder al een "
            "scan."
        )
    return out


def domain_title(hr: dict[str, Any], key: str) -> str:
    return next(d["title"] for d in hr["domains"] if d["key"] == key)


def _domain(hr: dict[str, Any], key: str) -> dict[str, Any]:
    return next(d for d in hr["domains"] if d["key"] == key)


def _maturity(hr: dict[str, Any]) -> list[str]:
    if not hr.get("available"):
        return []
    out = []
    if hr["strongest"] and hr["weakest"]:
        best, worst = _domain(hr, hr["strongest"][0]), _domain(hr, hr["weakest"][0])
        out.append(
            f"Het verst zijn de bedrijven met ‘{best['title'].lower()}’ (gemiddeld "
            f"{score(best['current']['mean'])} op de schaal 0–4); de meeste ruimte voor groei "
            f"zit in ‘{worst['title'].lower()}’ ({score(worst['current']['mean'])})."
        )
    design = hr.get("design")
    if hr["first_year"] < hr["year"] and design and design.get("available"):
        tested = [d for d in hr["domains"] if d["change"] and not d["change"]["suppressed"]]
        improved, declined = hr["improved"], hr["declined"]
        if improved:
            top = max((_domain(hr, key) for key in improved), key=lambda d: d["change"]["estimate"])
            how_many = (
                f"alle {len(tested)}"
                if len(improved) == len(tested)
                else f"{len(improved)} van de {len(tested)}"
            )
            out.append(
                f"Sinds {hr['first_year']} is de gemiddelde score op {how_many} domeinen "
                "significant gestegen (na Holm-correctie), het sterkst bij "
                f"‘{top['title'].lower()}’ ({signed(top['change']['estimate'])})."
            )
        if declined:
            names = join_nl([f"‘{domain_title(hr, key).lower()}’" for key in declined])
            out.append(f"Significant gedaald is de score op {names}.")
        if not improved and not declined and tested:
            out.append(
                f"Geen van de {len(tested)} domeinen veranderde sinds {hr['first_year']} "
                "significant (na Holm-correctie)."
            )
    return out


def _sectors(hr: dict[str, Any]) -> list[str]:
    if not hr.get("available"):
        return []
    out = []
    weakest = hr.get("weakest_by_sector")
    if weakest:
        out.append(
            f"In {weakest['sectors']} van de {weakest['of']} sectoren die we kunnen tonen is "
            f"‘{weakest['title'].lower()}’ het zwakste domein."
        )
    regions = [g for g in hr["by_region"] if g["weakest"] and g["key"] != "onbekend"]
    if regions:
        lowest = min(regions, key=lambda g: g["weakest"][0]["mean"])
        out.append(
            f"De laagste regionale score is die van {lowest['label']} op "
            f"‘{lowest['weakest'][0]['title'].lower()}’ ({score(lowest['weakest'][0]['mean'])})."
        )
    return out


def _cop(cop: dict[str, Any]) -> list[str]:
    if not cop.get("available"):
        return []
    latest, base = cop["latest"], cop["nulmeting_year"]
    if latest is None:
        return [f"De CoP deed in {base} haar nulmeting; een vervolgmeting is er nog niet."]
    shown = [g for g in cop["summary"] if g["shown"]]
    if not shown:
        return [f"Voor de CoP-meting van {latest['year']} zijn te weinig waarnemingen per groep."]
    below = [g for g in shown if g["below"]]
    above = [g for g in shown if g["above"]]
    out = []
    if below:
        extent = (
            "op alle thema's"
            if all(len(g["below"]) == g["domains"] for g in below)
            else "op ten minste één thema"
        )
        out.append(
            f"De ervaren opbrengst van de CoP in {latest['year']} blijft {extent} duidelijk achter "
            f"bij wat bij de nulmeting van {base} werd verwacht, {_groups_nl(below, shown)}."
        )
        gap_group = min(below, key=lambda g: g["largest_gap"]["difference"])
        gap = gap_group["largest_gap"]
        out.append(
            f"Het grootste verschil is er bij de groep ‘{gap_group['label']}’ over "
            f"‘{gap['title'].lower()}’: {score(gap['expectation'])} verwacht, "
            f"{score(gap['experience'])} ervaren (schaal 1–5)."
        )
    if above:
        out.append(
            f"Boven verwachting scoort de CoP op ten minste één thema {_groups_nl(above, shown)}."
        )
    if not below and not above:
        out.append(
            f"De ervaringen in {latest['year']} wijken bij geen van de groepen duidelijk af van "
            f"de verwachtingen bij de nulmeting van {base}."
        )
    return out


def _groups_nl(groups: list[dict[str, Any]], shown: list[dict[str, Any]]) -> str:
    """ "bij alle drie de respondentgroepen" or "bij de groep(en) ‘A’ en ‘B’"."""
    if len(groups) == len(shown) and len(shown) > 1:
        return f"bij alle {NUMBERS.get(len(shown), str(len(shown)))} de respondentgroepen"
    names = join_nl([f"‘{g['label']}’" for g in groups])
    return f"bij de groep{'en' if len(groups) > 1 else ''} {names}"


NUMBERS = {2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht"}


def _alumni(alumni: dict[str, Any]) -> list[str]:
    if not alumni.get("available"):
        return []
    out = []
    limburg = alumni["limburg"]
    if limburg["value"] is not None:
        out.append(
            f"Van de werkende alumni ({alumni['year']}) werkt {percent_nl(limburg['value'])} in "
            f"Limburg ({ci_text(limburg['ci_low'], limburg['ci_high'], percent=True)})."
        )
    stay = alumni["stay"]
    if stay["value"] is not None:
        out.append(
            f"Van alle alumni wil {percent_nl(stay['value'])} de komende jaren in Limburg werken."
        )
    match = alumni["match"]
    if match["value"] is not None:
        sentence = (
            f"De aansluiting van opleiding op werk krijgt gemiddeld {score(match['value'])} op "
            "de schaal 1–5"
        )
        share = alumni["match_share"]
        if share["value"] is not None:
            sentence += f"; {percent_nl(share['value'])} vindt dat de opleiding past bij het werk"
        out.append(sentence + ".")
    return out


def _sprints(sprints: dict[str, Any]) -> list[str]:
    out = []
    held = sprints["held"]
    if held.get("available"):
        companies = held["companies"]
        sentence = f"In {held['year']} liepen {count_nl(held['sprints'])} sprints"
        if companies is not None:
            sentence += f" met {count_nl(companies)} bedrijven"
        out.append(sentence + ".")
    evaluation = sprints["evaluation"]
    if evaluation.get("available") and not evaluation.get("hidden"):
        parts = []
        if evaluation["goal"]["value"] is not None:
            parts.append(f"zag {percent_nl(evaluation['goal']['value'])} het doel bereikt")
        if evaluation["implemented"]["value"] is not None:
            parts.append(
                f"is {percent_nl(evaluation['implemented']['value'])} begonnen met een "
                "oplossing uit de sprint"
            )
        if evaluation["nps"]["score"] is not None:
            parts.append(f"is de NPS {nps_text(evaluation['nps']['score'])}")
        if parts:
            out.append(
                f"Bij de sprintevaluatie van {evaluation['year']} "
                f"({count_nl(evaluation['respondents'])} deelnemers) {join_nl(parts)}."
            )
    return out


def nps_text(value: float) -> str:
    """An NPS with its sign and no decimals: 6.0 -> "+6", -12 -> "−12"."""
    text = number_nl(abs(value), 0)
    if text == "0":
        return "0"
    return ("+" if value > 0 else "−") + text


# -- key figures -----------------------------------------------------------------------------------


def key_figures(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Four figures for the top of the summary: value, how to print it, what it counts."""
    response, alumni, sprints = context["response"], context["alumni"], context["sprints"]
    figures = []
    if response.get("available"):
        figures.append(
            {"value": response["scanned"], "format": "int",
             "label": f"bedrijven deden in {response['year']} een HR-scan"}
        )  # fmt: skip
        if response["first_year"] < response["year"]:
            figures.append(
                {"value": response["reached_since_first"], "format": "int",
                 "label": f"verschillende bedrijven bereikt sinds {response['first_year']}"}
            )  # fmt: skip
    if alumni.get("available"):
        figures.append(
            {"value": alumni["limburg"]["value"], "format": "pct",
             "label": f"van de werkende alumni werkt in Limburg ({alumni['year']})"}
        )  # fmt: skip
    evaluation = sprints["evaluation"]
    if evaluation.get("available") and not evaluation.get("hidden"):
        figures.append(
            {"value": evaluation["goal"]["value"], "format": "pct",
             "label": f"van de sprintdeelnemers zag het doel bereikt ({evaluation['year']})"}
        )  # fmt: skip
    return figures[:4]


# -- method ----------------------------------------------------------------------------------------
