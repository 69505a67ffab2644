"""The company HR-scan report: what one company's scan says, for the follow-up conversation.

Two steps (DESIGN.md section 2): ``build_company_context(organisation_id, year, k)`` gathers plain
values, ``render_company(context)`` turns them into a PDF of 6-12 A4 pages in Dutch. The context
holds ``dataclasses.asdict`` of the ``scans`` results (``profile``: scores, peer position, item
maturity, change; ``advice``: strengths, points of attention, key messages, sprint themes,
agenda), the charts as dicts and every sentence the report adds, so its JSON form
(``context_json``) holds every number and text of the PDF.

Disclosure control comes from ``scans``: a peer figure based on fewer than ``k`` companies is
None in the context and prints as "te weinig waarnemingen", never as a number. Everything
user-written (the organisation's name, the HR question) is escaped by the print templates.

For many reports at once (``monitor.reports.bulk``) load the year's answers once with
``load_scan_data(year)`` and call ``company_context(data, organisation_id, k=k)`` per company.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select

from analysis.rounding import compare_rounded
from monitor.formatting import date_nl, number_nl
from monitor.reports import context_json
from scans.advice import Advice, advise
from scans.instrument import HR_SCAN, item_wording
from scans.profile import CompanyProfile, DomainProfile, company_profile
from scans.wording import join_nl, size_class_nl
from surveys.db import db
from surveys.frame import answer_frame
from surveys.models import Campaign, Instrument, InstrumentVersion, Organisation, Response

__all__ = [
    "NoScan",
    "ScanData",
    "build_company_context",
    "company_context",
    "describe_peer_group",
    "domain_position",
    "fingerprint",
    "load_scan_data",
    "profile_and_advice",
    "render_company",
    "report_filename",
]

log = logging.getLogger(__name__)

#: the instrument the report is about
#: the print template (templates/reports/)
TEMPLATE = "company.html"
#: bumped when the meaning of the context changes; part of the fingerprint
FORMAT_VERSION = 2
#: every template file whose change makes an earlier PDF out of date
TEMPLATE_FILES = ("company.html", "base.html", "_macros.html", "print.css")
#: percentile ranks that put a domain in the top or bottom quarter of the peers
TOP_QUARTER, BOTTOM_QUARTER = 75.0, 25.0
#: a score against the peers' median, compared as both are printed (one decimal)
MEDIAN_NL = {1: "boven de mediaan", -1: "onder de mediaan", 0: "gelijk aan de mediaan"}
#: a change since the previous scan of at least this much is called clear (as scans.advice does)
CLEAR_CHANGE = 0.5


class NoScan(LookupError):
    """The organisation has no submitted HR-scan in that year (or does not exist)."""


# -- the data of a year ----------------------------------------------------------------------------


@dataclass
class ScanData:
    """What the reports of one year need from the database, loaded once (plain values).

    ``frame`` holds the submitted HR-scans of ``year`` and all earlier years (the change since a
    company's previous scan); ``definitions`` the pinned instrument definition per campaign.
    """

    year: int
    frame: pd.DataFrame
    definitions: dict[int, dict[str, Any]]
    names: dict[int, str]
    #: organisation id -> its municipality in the register (None when not recorded)
    municipalities: dict[int, str | None]
    #: response id -> when the scan was submitted
    submitted: dict[int, datetime | None]

    def organisations(self) -> list[int]:
        """The organisations with a submitted scan in ``year``, by id."""
        rows = self.frame[(self.frame["year"] == self.year) & self.frame["organisation_id"].notna()]
        return sorted(int(org) for org in rows["organisation_id"].unique())

    def scan_of(self, organisation_id: int) -> tuple[int, int]:
        """(response id, campaign id) of the organisation's scan of the year: the latest."""
        rows = self.frame[
            (self.frame["year"] == self.year) & (self.frame["organisation_id"] == organisation_id)
        ]
        if rows.empty:
            raise NoScan(f"organisation {organisation_id} has no submitted HR-scan in {self.year}")
        latest = rows[rows["response_id"] == rows["response_id"].max()].iloc[0]
        return int(latest["response_id"]), int(latest["campaign_id"])


def load_scan_data(year: int, organisation_ids: list[int] | None = None) -> ScanData:
    """The HR-scans of ``year`` and before, with definitions, names and submission times.

    ``organisation_ids`` limits the names loaded (the frame always holds every company of the
    year: the peers). Needs an app context.
    """
    # own short connections, not the session: on SQLite a session transaction outside a GET
    # request holds the write lock, and answer_frame reads on a connection of its own
    with db.engine.connect() as connection:
        campaigns = connection.execute(
            select(Campaign.id, Campaign.year, InstrumentVersion.definition)
            .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(Instrument.key == HR_SCAN, Campaign.year <= year)
        ).all()
        this_year = [row.id for row in campaigns if row.year == year]
        submitted = dict(
            connection.execute(
                select(Response.id, Response.submitted_at).where(
                    Response.campaign_id.in_(this_year)
                )
            ).all()
        )
        names_query = select(Organisation.id, Organisation.name, Organisation.municipality)
        if organisation_ids is not None:
            names_query = names_query.where(Organisation.id.in_(organisation_ids))
        register = connection.execute(names_query).all()
    names = {row.id: row.name for row in register}
    municipalities = {row.id: row.municipality for row in register}
    years = sorted({row.year for row in campaigns})
    frame = answer_frame(instrument=HR_SCAN, years=years) if years else _empty_frame()
    return ScanData(
        year=year,
        frame=frame,
        definitions={row.id: row.definition for row in campaigns},
        names=names,
        municipalities=municipalities,
        submitted=submitted,
    )


def _empty_frame() -> pd.DataFrame:
    from surveys.frame import RESPONSE_COLUMNS

    return pd.DataFrame(columns=[*RESPONSE_COLUMNS, "item_key", "text", "value"])


# -- the context -----------------------------------------------------------------------------------


def build_company_context(
    organisation_id: int, year: int, k: int | None = None, *, generated_on: date | None = None
) -> dict[str, Any]:
    """The context of one company's report: plain values only (see the module docstring).

    ``k`` defaults to the app's MONITOR_K_ANONYMITY. Raises NoScan when the organisation has no
    submitted HR-scan in ``year``. Needs an app context.
    """
    if k is None:
        from flask import current_app

        k = int(current_app.config["MONITOR_K_ANONYMITY"])
    data = load_scan_data(year, organisation_ids=[organisation_id])
    return company_context(data, organisation_id, k=k, generated_on=generated_on)


def company_context(
    data: ScanData, organisation_id: int, *, k: int, generated_on: date | None = None
) -> dict[str, Any]:
    """The report context of one company from a year's loaded data (no database access)."""
    profile, advice, definition = profile_and_advice(data, organisation_id, k=k)
    name = data.names[organisation_id]
    submitted = data.submitted.get(profile.response_id)
    scan_date = submitted.date() if submitted is not None else None
    peer_group = describe_peer_group(profile)
    titles = {d.key: d.title for d in profile.domains}

    context: dict[str, Any] = {
        "report": "hr-scan-bedrijf",
        "format_version": FORMAT_VERSION,
        "title": f"HR-scan {data.year}",
        "subtitle": "Uw resultaten naast die van vergelijkbare bedrijven, met advies voor het "
        "vervolggesprek",
        "series": "HR-scan · Talent Charter Limburg",
        "organisation": name,
        "organisation_id": organisation_id,
        "year": data.year,
        "scan_date": scan_date,
        "generated_on": generated_on or date.today(),
        "k": k,
        "cover_note": (
            "Dit rapport hoort bij het gesprek dat op de HR-scan volgt. Het laat zien hoe ver uw "
            "organisatie is met elk thema van het personeelsbeleid, hoe dat zich verhoudt tot "
            "vergelijkbare bedrijven en welke onderwerpen het meest opleveren om op te pakken."
        ),
        "facts": _facts(profile, scan_date, data.municipalities.get(organisation_id)),
        "peer_group": peer_group,
        "scale": _scale(definition),
        "profile": dataclasses.asdict(profile),
        "advice": dataclasses.asdict(advice),
        "positions": [domain_position(d) for d in profile.domains],
        "chosen_themes": [titles[key] for key in profile.sprint_themes if key in titles],
        "texts": _texts(profile, advice, name, scan_date, peer_group),
        "method": _method(profile, peer_group, definition),
        "charts": _charts(profile, peer_group),
    }
    return context


def profile_and_advice(
    data: ScanData, organisation_id: int, *, k: int
) -> tuple[CompanyProfile, Advice, dict[str, Any]]:
    """The company's profile and advice of ``data.year`` and the instrument definition of its
    scan: what the report (and the employer's results page) says about that scan."""
    if organisation_id not in data.names:
        raise NoScan(f"organisation {organisation_id} does not exist")
    _, campaign_id = data.scan_of(organisation_id)
    definition = data.definitions[campaign_id]
    try:
        profile = company_profile(
            data.frame, definition, organisation_id=organisation_id, year=data.year, k=k
        )
    except ValueError as error:  # no scan after all (e.g. only answers without a score)
        raise NoScan(str(error)) from error
    return profile, advise(profile), definition


def _facts(
    profile: CompanyProfile, scan_date: date | None, municipality: str | None
) -> list[dict[str, str]]:
    """The company's profile as label/value pairs for the cover: sector, region, size and
    municipality from the register (one source), the scan's own municipality answer next to it
    where the two disagree."""
    facts = [
        ("Scan ingevuld op", date_nl(scan_date) if scan_date else None),
        ("Sector", profile.sector),
        ("Regio", profile.region),
        ("Omvang", size_class_nl(profile.size_class) if profile.size_class else None),
        ("Gemeente", _municipality(municipality, profile.municipality)),
        ("Vorige scan", str(profile.previous_year) if profile.previous_year else "geen"),
    ]
    return [{"label": label, "value": value} for label, value in facts if value]


def _municipality(register: str | None, answered: str | None) -> str | None:
    """'Maastricht', or 'Maastricht (volgens de scan: Heerlen)' when the scan says otherwise."""
    if not answered or (register and register.casefold() == answered.strip().casefold()):
        return register
    if not register:
        return f"{answered} (volgens de scan)"
    return f"{register} (volgens de scan: {answered})"


def _scale(definition: dict[str, Any]) -> list[dict[str, str]]:
    """The answer scale of the scored items as the questionnaire shows it ("0 – Niet aanwezig")."""
    wording = item_wording(definition)
    if not wording:
        return []
    first = next(iter(wording.values()))
    return [{"value": value, "label": label} for value, label in first.labels.items()]


def describe_peer_group(profile: CompanyProfile) -> dict[str, Any]:
    """The group the company is compared with, named; the most common one over the domains."""
    shown = [d.peers for d in profile.domains if not d.peers.suppressed]
    if not shown:
        return {
            "suppressed": True,
            "group": None,
            "label": None,
            "description": None,
            "n_peers": None,
            "mixed": False,
            "name": "vergelijkingsgroep",
        }
    counts = Counter((p.group, p.label, p.description) for p in shown)
    (group, label, description), _ = counts.most_common(1)[0]
    n_peers = max(
        p.n_peers or 0
        for p in shown
        if (p.group, p.label, p.description) == (group, label, description)
    )
    return {
        "suppressed": False,
        "group": group,
        "label": label,
        "description": description,
        "n_peers": n_peers,
        "mixed": len(counts) > 1,
        "name": "alle bedrijven" if group == "all" else description,
    }


def domain_position(domain: DomainProfile) -> dict[str, Any]:
    """Where the domain stands among the peers, in words (None when nothing can be said)."""
    peers = domain.peers
    text = None
    if domain.score is not None and not peers.suppressed and peers.median is not None:
        rank = peers.percentile_rank
        if rank is not None and rank >= TOP_QUARTER:
            text = "bij het hoogste kwart"
        elif rank is not None and rank <= BOTTOM_QUARTER:
            text = "bij het laagste kwart"
        else:
            text = MEDIAN_NL[compare_rounded(domain.score, peers.median)]
    return {"key": domain.key, "text": text}


def _peer_phrase(peer_group: dict[str, Any], year: int) -> str:
    """'de 7 bedrijven in de sector ICT die in 2025 de HR-scan invulden'."""
    n = number_nl(peer_group["n_peers"], 0)
    if peer_group["group"] == "all":
        return f"alle {n} andere bedrijven die in {year} de HR-scan invulden"
    return f"de {n} {peer_group['description']} die in {year} de HR-scan invulden"


def _texts(
    profile: CompanyProfile,
    advice: Any,
    name: str,
    scan_date: date | None,
    peer_group: dict[str, Any],
) -> dict[str, Any]:
    """Every sentence the report adds to the scans results."""
    year, k = profile.year, profile.k
    when = f" op {date_nl(scan_date)}" if scan_date else ""
    scored = [d for d in profile.domains if d.score is not None]
    texts: dict[str, Any] = {
        "summary_lead": f"{name} vulde de HR-scan {year}{when} in. Dit zijn de belangrijkste "
        "uitkomsten; de hoofdstukken hierna geven per thema de details en het advies."
        + (
            ""
            if len(scored) == len(profile.domains)
            else f" Op {len(profile.domains) - len(scored)} van de {len(profile.domains)} "
            "thema's waren te weinig onderdelen beantwoord voor een score."
        ),
    }
    if peer_group["suppressed"]:
        texts["profile_intro"] = (
            f"In {year} vulden te weinig bedrijven de HR-scan in om uw scores mee te vergelijken: "
            f"vergelijkingscijfers over minder dan {k} bedrijven worden niet getoond. De figuur "
            "en de tabel geven daarom alleen uw eigen scores."
        )
    else:
        intro = (
            f"De balken tonen uw score per thema. Daarnaast staat hoe "
            f"{_peer_phrase(peer_group, year)} scoren: de ruit is hun mediaan (de helft scoort "
            "lager, de helft hoger), de grijze lijn loopt van het eerste tot het derde kwartiel "
            "(de middelste helft van die bedrijven)."
        )
        if peer_group["group"] == "size_class":
            intro += (
                f" In uw sector vulden minder dan {k} andere bedrijven de scan in; daarom "
                "vergelijken we met bedrijven van dezelfde omvang."
            )
        elif peer_group["group"] == "all":
            intro += (
                f" In uw sector en in uw grootteklasse vulden minder dan {k} andere bedrijven de "
                "scan in; daarom vergelijken we met alle bedrijven."
            )
        if peer_group["mixed"]:
            intro += (
                " Bij enkele thema's is de vergelijkingsgroep anders, omdat daar niet genoeg "
                "bedrijven een score hebben; de tabel noemt per thema de groep."
            )
        texts["profile_intro"] = intro
    if profile.previous_year is not None:
        changes = [d for d in profile.domains if d.change and d.change.difference is not None]
        up = [d.title for d in changes if d.change.difference >= CLEAR_CHANGE]
        down = [d.title for d in changes if d.change.difference <= -CLEAR_CHANGE]
        parts = [
            f"Uw vorige scan was in {profile.previous_year}. De figuur zet uw scores van toen "
            f"naast die van {year}; een verschil van een half punt of meer noemen we duidelijk."
        ]
        if up:
            parts.append(f"Duidelijk vooruit: {join_nl([f'‘{t}’' for t in up])}.")
        if down:
            parts.append(f"Duidelijk achteruit: {join_nl([f'‘{t}’' for t in down])}.")
        if not up and not down:
            parts.append("Op geen enkel thema is de score een half punt of meer veranderd.")
        parts.append(
            "Een scan wordt door één persoon ingevuld: een klein verschil kan ook komen doordat "
            "iemand anders de vragen beantwoordde of ze anders las."
        )
        texts["change_intro"] = " ".join(parts)
    texts["consent"] = (
        "U gaf toestemming om uw profiel te delen met de andere bedrijven in uw sprintgroep."
        if profile.consent
        else "U gaf (nog) geen toestemming om uw profiel te delen met de andere bedrijven in een "
        "sprintgroep; zonder die toestemming kunt u niet in een groep worden ingedeeld."
    )
    return texts


def _method(
    profile: CompanyProfile, peer_group: dict[str, Any], definition: dict[str, Any]
) -> list[str]:
    """The method appendix: scale, scores, peer group, k threshold, what is not computed."""
    k = profile.k
    share = definition.get("min_answered", 0.5)
    paragraphs = [
        "De HR-scan stelt per thema drie tot zes vragen over onderdelen van het "
        "personeelsbeleid. Bij elk onderdeel geeft de organisatie aan hoe ver zij ermee is, op "
        "de volwassenheidsschaal hieronder. ‘N.v.t.’ telt niet mee als 0 maar als ontbrekend.",
        "De score van een thema is het gemiddelde van de beantwoorde onderdelen. Een thema krijgt "
        f"alleen een score als minstens {number_nl(share * 100, 0)}% van de onderdelen is "
        "beantwoord; anders staat er ‘geen score’. Scores staan met één decimaal.",
        "De vergelijkingsgroep bestaat uit de andere bedrijven die in hetzelfde jaar de HR-scan "
        f"invulden: bij voorkeur uit dezelfde sector; zijn dat er minder dan {k}, dan bedrijven "
        f"van dezelfde omvang; zijn ook dat er minder dan {k}, dan alle bedrijven. De groep wordt "
        "per thema gekozen en in het rapport genoemd. Van de groep tonen we de mediaan, het "
        "eerste en derde kwartiel en het aandeel bedrijven dat lager scoort dan u (gelijke "
        "scores tellen voor de helft).",
        f"Cijfers over minder dan {k} bedrijven worden nooit getoond: daar staat ‘te weinig "
        "waarnemingen’. Wat wel te zien is: in een kleine vergelijkingsgroep zijn de mediaan en "
        "de kwartielen scores van afzonderlijke bedrijven uit de groep (bij vijf bedrijven is de "
        "mediaan de score van het middelste). Wat niet te zien is: welk bedrijf dat is. Het "
        "rapport noemt geen andere bedrijven, en een groep van minder dan "
        f"{k} bedrijven wordt niet gebruikt.",
        "Een scan wordt door één persoon namens de organisatie ingevuld. Voor de eigen scores "
        "berekenen we daarom geen betrouwbaarheidsinterval: onzekerheid hoort bij gemiddelden "
        "van groepen. Lees kleine verschillen, met andere bedrijven of met een vorige scan, als "
        "een aanleiding voor het gesprek en niet als een vaststaand feit.",
        "Het advies volgt vaste regels: een thema is een sterk punt bij een score van 3 of hoger "
        "of in het hoogste kwart van de vergelijkingsgroep, en verdient aandacht bij een score "
        "onder 2, in het laagste kwart of zonder score. Sprintthema's komen uit de thema's die "
        "aandacht verdienen en de thema's die u zelf koos.",
    ]
    if profile.previous_year is not None:
        paragraphs.append(
            f"De verandering vergelijkt deze scan met de vorige scan van uw organisatie "
            f"({profile.previous_year}), per thema op dezelfde vragen."
        )
    return paragraphs


#: chart labels longer than this are shortened (the chart leaves at most 45% of its width for them)
CHART_LABEL_CHARS = 36


def short_title(title: str, limit: int = CHART_LABEL_CHARS) -> str:
    """A domain title short enough for a chart label: without a parenthesis, else up to the last
    " en " that fits ("Talent verzilveren en inclusief werkgeverschap" -> "Talent verzilveren")."""
    text = re.sub(r"\s*\([^)]*\)", "", title).strip()
    while len(text) > limit and " en " in text:
        text = text.rsplit(" en ", 1)[0]
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _charts(profile: CompanyProfile, peer_group: dict[str, Any]) -> dict[str, Any]:
    """The domain profile against the peers and, with a previous scan, the change (as dicts).

    The charts label the domains by number and short title, as the chapters do."""
    from monitor import charts

    titles = [f"{i}. {short_title(d.title)}" for i, d in enumerate(profile.domains, start=1)]
    peer_label = "vergelijkingsgroep" if peer_group["mixed"] else peer_group["name"]
    profile_chart = charts.domain_profile(
        titles,
        [d.score for d in profile.domains],
        peer_median=[d.peers.median for d in profile.domains],
        peer_q1=[d.peers.q1 for d in profile.domains],
        peer_q3=[d.peers.q3 for d in profile.domains],
        title=f"Uw scores per thema naast de {peer_label}"
        if not peer_group["suppressed"]
        else "Uw scores per thema",
        subject="uw organisatie",
        peer_label=peer_label,
    )
    result: dict[str, Any] = {"profile": profile_chart.to_dict(), "change": None}
    if profile.previous_year is not None:
        change_chart = charts.grouped_means(
            titles,
            {
                str(profile.previous_year): [
                    d.change.previous if d.change else None for d in profile.domains
                ],
                str(profile.year): [d.score for d in profile.domains],
            },
            title=f"Uw scores per thema in {profile.previous_year} en {profile.year}",
            scale=(0, 4),
        )
        result["change"] = change_chart.to_dict()
    return result


# -- rendering -------------------------------------------------------------------------------------


def render_company(context: dict[str, Any], *, timeout: float = 60) -> bytes:
    """The PDF of a company report context (as ``build_company_context`` makes it).

    Also takes the context read back from its JSON form (dates as ISO strings). The charts' SVG is
    trusted markup from ``monitor.charts``: only pass contexts this module built.
    """
    from monitor.pdf import render_pdf

    return render_pdf(TEMPLATE, _template_context(context), timeout=timeout)


def _template_context(context: dict[str, Any]) -> dict[str, Any]:
    """The context with the charts as Chart objects (their SVG as markup) and dates as dates."""
    from markupsafe import Markup

    from monitor.charts import Chart

    values = dict(context)
    values["charts"] = {
        name: None
        if chart is None
        else Chart(svg=Markup(chart["svg"]), title=chart["title"], alt=chart["alt"])  # noqa: S704 (our own charts)
        for name, chart in context["charts"].items()
    }
    for key in ("scan_date", "generated_on"):
        if isinstance(values.get(key), str):
            values[key] = date.fromisoformat(values[key])
    return values


# -- files -----------------------------------------------------------------------------------------


def _template_digest() -> str:
    from monitor.pdf import REPORTS_DIR

    digest = hashlib.sha256(f"format {FORMAT_VERSION}".encode())
    for name in TEMPLATE_FILES:
        digest.update((REPORTS_DIR / name).read_bytes())
    return digest.hexdigest()


def fingerprint(context: dict[str, Any]) -> str:
    """A hash of everything a report shows except its creation date, and of its templates.

    Equal fingerprints mean an earlier PDF of this context is still up to date.
    """
    content = {key: value for key, value in context.items() if key != "generated_on"}
    content["charts"] = {
        name: None if chart is None else {**chart, "svg": _stable_svg(chart["svg"])}
        for name, chart in context["charts"].items()
    }
    digest = hashlib.sha256(_template_digest().encode())
    digest.update(context_json(content, indent=None, sort_keys=True).encode())
    return digest.hexdigest()


def _stable_svg(svg: str) -> str:
    """An SVG with its element ids (random per drawing) replaced by their order of appearance."""
    for n, ident in enumerate(dict.fromkeys(re.findall(r'id="([^"]+)"', svg))):
        svg = svg.replace(ident, f"id{n}")
    return svg


def slug(text: str, max_length: int = 40) -> str:
    """An ASCII file-name part: "Bakkerij 't Hoekje B.V." -> "bakkerij-t-hoekje-b-v"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:max_length].rstrip("-") or "organisatie"


def report_filename(organisation_id: int, year: int, name: str, suffix: str = "pdf") -> str:
    """'hr-scan-2025-0017-bakkerij-t-hoekje.pdf': year and id first, so files sort and match."""
    return f"hr-scan-{year}-{organisation_id:04d}-{slug(name)}.{suffix}"
