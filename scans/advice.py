"""Advice from a company's HR-scan profile, as a coordinator would give it in the follow-up
conversation: what goes well, what deserves attention, key messages, sprint themes and an agenda.

The rules (docs/scans.md) work on the maturity scale 0-4 and on the peer position:

* a domain is a **strength** at a score of 3 or more ("structureel uitgevoerd") or in the top
  quartile of its peers; it **deserves attention** below 2 ("op papier / in ontwikkeling") or in
  the bottom quartile; it can be both (strong in absolute terms, behind its peers, or the reverse);
* every practice at 0 or 1 is named, with the next step on the maturity scale (0: start small with
  someone responsible; 1: lay down a fixed way of working); a practice at 4 is named as an example
  for others; the agenda names the three lowest practices, from the weakest domains first;
* a change of half a point or more since the previous scan is called a clear improvement (or
  decline);
* sprint themes: chosen and deserving attention first, then deserving attention but not chosen
  (at most two of those when the company chose any), then chosen; lowest score first; at most three.

Deterministic: the same profile gives the same advice, word for word.
"""

import enum
from dataclasses import dataclass

from analysis.rounding import compare_rounded, round_half_up
from scans.profile import CompanyProfile, DomainProfile, ItemMaturity
from scans.wording import join_nl, percentile_nl, score_nl, signed_score_nl

STRONG_SCORE = 3.0  #: "structureel uitgevoerd" on average
WEAK_SCORE = 2.0  #: below "op papier / in ontwikkeling" on average
TOP_QUARTILE = 75.0  #: percentile rank among peers
BOTTOM_QUARTILE = 25.0
CLEAR_CHANGE = 0.5  #: half a maturity step
LOW_PRACTICE = 1.0  #: practices at 0 ("niet aanwezig") or 1 ("ad hoc") are named
TOP_PRACTICE = 4.0  #: "uitgevoerd, geëvalueerd en bijgesteld"
MAX_THEMES = 3
MAX_UNCHOSEN_THEMES = 2  #: when the company chose themes itself, keep room for one of them

FIRST_STEP = (
    "Een eerste stap: spreek af wie dit oppakt en probeer het eerst op kleine schaal uit, "
    "bijvoorbeeld in één team."
)
NEXT_STEP = (
    "Een volgende stap: leg vast hoe u het aanpakt, wie ervoor verantwoordelijk is en wanneer "
    "het gebeurt, zodat het niet meer van toeval of van één persoon afhangt."
)
#: a concrete way to start per HR-scan domain, for a domain that deserves attention
DOMAIN_TIPS = {
    "identificeren": (
        "zet de leeftijdsopbouw en de verwachte uitstroom van de komende vijf jaar op een rij "
        "en bespreek met de leidinggevenden welke functies en vaardigheden u dan nodig heeft."
    ),
    "aantrekken": (
        "kies voor elke moeilijk vervulbare functie twee wervingskanalen die u nog niet "
        "gebruikt, zoals zij-instromers via het werkgeversservicepunt of stagiairs van een "
        "school in de buurt."
    ),
    "inwerken": (
        "maak een eenvoudig inwerkprogramma voor de eerste drie maanden en koppel elke nieuwe "
        "medewerker aan een vaste collega als buddy."
    ),
    "ontwikkelen": (
        "voer met elke medewerker een kort ontwikkelgesprek en bundel de uitkomsten in een "
        "opleidingsplan met een vast budget."
    ),
    "inzetbaarheid": (
        "meet de werkdruk met een korte vragenlijst, bespreek de uitkomsten in de teams en zoek "
        "samen met de arbodienst naar de oorzaken van verzuim."
    ),
    "behouden": (
        "houd met iedere medewerker een jaarlijks loopbaangesprek en vraag medewerkers die "
        "vertrekken waarom zij gaan."
    ),
    "inclusief": (
        "neem contact op met het werkgeversservicepunt of een mensontwikkelbedrijf in uw regio "
        "en bekijk welke taken zich lenen voor een nieuwe functie (jobcarving)."
    ),
    "samenwerking": (
        "sluit aan bij de HR-community of een sprint met andere bedrijven en vraag een school in "
        "de buurt hoe u kunt meedenken over de inhoud van opleidingen."
    ),
}


@dataclass(frozen=True)
class DomainAdvice:
    """What goes well and what deserves attention in one domain, in Dutch sentences."""

    key: str
    title: str
    is_strength: bool  #: score >= 3 or top quartile of peers
    needs_attention: bool  #: score < 2, bottom quartile of peers, or no score
    strengths: tuple[str, ...]  #: "wat gaat goed"
    attention: tuple[str, ...]  #: "verdient aandacht"


@dataclass(frozen=True)
class ThemeSuggestion:
    """A suggested sprint theme with the reason, addressed to the company."""

    key: str
    title: str
    reason: str


@dataclass(frozen=True)
class Advice:
    """The advice for one company's scan."""

    domains: tuple[DomainAdvice, ...]
    key_messages: tuple[str, ...]  #: 3-5 sentences for the summary page
    sprint_themes: tuple[ThemeSuggestion, ...]  #: at most three, most fitting first
    agenda: tuple[str, ...]  #: 5-7 points for the follow-up conversation


def advise(profile: CompanyProfile) -> Advice:
    """The advice a coordinator would give on this profile (rules in the module docstring)."""
    domains = tuple(_domain_advice(domain) for domain in profile.domains)
    themes = _sprint_themes(profile, domains)
    return Advice(
        domains=domains,
        key_messages=_key_messages(profile, domains, themes),
        sprint_themes=themes,
        agenda=_agenda(profile, domains, themes),
    )


# --------------------------------------------------------------------------- classification


def is_strength(domain: DomainProfile) -> bool:
    """A score of 3 or more, or the top quartile of the peers."""
    rank = domain.peers.percentile_rank
    return (domain.score is not None and domain.score >= STRONG_SCORE) or (
        rank is not None and rank >= TOP_QUARTILE
    )


def needs_attention(domain: DomainProfile) -> bool:
    """A score below 2, the bottom quartile of the peers, or too few answers for a score."""
    rank = domain.peers.percentile_rank
    return (
        domain.score is None
        or domain.score < WEAK_SCORE
        or (rank is not None and rank <= BOTTOM_QUARTILE)
    )


def _theme(title: str) -> str:
    """A domain title inside a sentence."""
    return f"‘{title}’"


def _practice(item: ItemMaturity) -> str:
    """An item text inside a sentence."""
    return f"„{item.text}”"


def _clear_change(domain: DomainProfile) -> float | None:
    """The change since the previous scan when it is half a point or more, else None."""
    if domain.change is None or domain.change.difference is None:
        return None
    return domain.change.difference if abs(domain.change.difference) >= CLEAR_CHANGE else None


# --------------------------------------------------------------------------- per domain


def _domain_advice(domain: DomainProfile) -> DomainAdvice:
    strengths: list[str] = []
    attention: list[str] = []
    score, peers = domain.score, domain.peers
    rank = peers.percentile_rank
    if score is None:
        attention.append(
            f"Er zijn te weinig onderdelen beantwoord voor een score ({domain.n_answered} van "
            f"de {domain.n_items}); bespreek waarom de andere niet van toepassing zijn."
        )
    elif score >= STRONG_SCORE:
        strengths.append(
            f"Met gemiddeld {score_nl(score)} op de schaal van 0 tot 4 is dit thema structureel "
            "geregeld."
        )
    elif score < 1:
        attention.append(f"Met gemiddeld {score_nl(score)} is er op dit thema nog weinig geregeld.")
    elif score < WEAK_SCORE:
        attention.append(
            f"Met gemiddeld {score_nl(score)} gebeurt er op dit thema vooral iets als de situatie "
            "erom vraagt (ad hoc); een vaste werkwijze ontbreekt nog."
        )
    if rank is not None and peers.median is not None:
        if rank >= TOP_QUARTILE:
            strengths.append(
                f"U scoort hoger dan {percentile_nl(rank)} van de {peers.description} "
                f"(hun mediaan is {score_nl(peers.median)})."
            )
        elif rank <= BOTTOM_QUARTILE:
            attention.append(
                f"U hoort bij het laagst scorende kwart van de {peers.description} "
                f"(hun mediaan is {score_nl(peers.median)})."
            )
    change = _clear_change(domain)
    if change is not None and domain.change is not None:
        before = score_nl(domain.change.previous or 0.0)
        now = score_nl(domain.change.current or 0.0)
        year = domain.change.previous_year
        if change > 0:
            strengths.append(
                f"Sinds de scan van {year} is de score gestegen van {before} naar {now}: "
                "een duidelijke vooruitgang."
            )
        else:
            attention.append(
                f"Sinds de scan van {year} is de score gedaald van {before} naar {now}; "
                "ga na wat er is veranderd."
            )
    if needs_attention(domain) and domain.key in DOMAIN_TIPS:
        attention.append(f"Een idee om mee te beginnen: {DOMAIN_TIPS[domain.key]}")
    at_level = {
        level: [_practice(item) for item in domain.items if item.value == level]
        for level in (0.0, 1.0, TOP_PRACTICE)
    }
    if at_level[0.0]:
        attention.append(f"Nog niet aanwezig (0): {join_nl(at_level[0.0])}. {FIRST_STEP}")
    if at_level[1.0]:
        attention.append(f"Alleen ad hoc (1): {join_nl(at_level[1.0])}. {NEXT_STEP}")
    if at_level[TOP_PRACTICE]:
        strengths.append(
            f"Uitgevoerd, geëvalueerd en bijgesteld (4): {join_nl(at_level[TOP_PRACTICE])}. "
            "Daarmee bent u een voorbeeld voor andere bedrijven."
        )
    return DomainAdvice(
        key=domain.key,
        title=domain.title,
        is_strength=is_strength(domain),
        needs_attention=needs_attention(domain),
        strengths=tuple(strengths),
        attention=tuple(attention),
    )


# --------------------------------------------------------------------------- sprint themes


class _Claim(enum.IntEnum):
    """Why a domain is suggested as sprint theme, strongest claim first."""

    CHOSEN_AND_WEAK = 0
    WEAK = 1  # deserves attention, not chosen
    CHOSEN = 2
    LOWEST = 3  # nothing chosen, nothing weak: the lowest score


def _sprint_themes(
    profile: CompanyProfile, advice: tuple[DomainAdvice, ...]
) -> tuple[ThemeSuggestion, ...]:
    chosen = set(profile.sprint_themes)
    ranked = []
    for order, (domain, verdict) in enumerate(zip(profile.domains, advice, strict=True)):
        if domain.key in chosen:
            claim = _Claim.CHOSEN_AND_WEAK if verdict.needs_attention else _Claim.CHOSEN
        elif verdict.needs_attention and domain.score is not None:
            claim = _Claim.WEAK
        else:
            continue
        score = domain.score if domain.score is not None else float("inf")
        ranked.append((claim, score, order, domain))
    ranked.sort(key=lambda entry: entry[:3])
    picked: list[tuple[_Claim, DomainProfile]] = []
    for claim, _, _, domain in ranked:
        unchosen = sum(earlier == _Claim.WEAK for earlier, _ in picked)
        if claim == _Claim.WEAK and chosen and unchosen == MAX_UNCHOSEN_THEMES:
            continue
        picked.append((claim, domain))
        if len(picked) == MAX_THEMES:
            break
    scored = _scored(profile)
    if not picked and scored:
        picked.append((_Claim.LOWEST, min(scored, key=lambda domain: domain.score or 0.0)))
    return tuple(
        ThemeSuggestion(key=domain.key, title=domain.title, reason=_theme_reason(claim, domain))
        for claim, domain in picked
    )


def _theme_reason(claim: _Claim, domain: DomainProfile) -> str:
    score = domain.score
    rank = domain.peers.percentile_rank
    behind = (
        f", bij het laagst scorende kwart van de {domain.peers.description}"
        if rank is not None and rank <= BOTTOM_QUARTILE
        else ""
    )
    if score is None:
        return "U koos dit thema zelf; de scan geeft er te weinig antwoorden voor een score."
    if claim == _Claim.CHOSEN_AND_WEAK:
        return (
            f"U koos dit thema zelf en het verdient aandacht: u scoort {score_nl(score)}{behind}."
        )
    if claim == _Claim.WEAK:
        return (
            f"U koos dit thema niet, maar met {score_nl(score)} hoort het bij uw zwakste "
            f"thema's{behind}; in een sprint pakt u het samen met andere bedrijven aan."
        )
    if claim == _Claim.CHOSEN and score >= STRONG_SCORE:
        return (
            f"U koos dit thema zelf; met {score_nl(score)} bent u hier al ver en kunt u in een "
            "sprint ook andere bedrijven verder helpen, als koploper."
        )
    if claim == _Claim.CHOSEN:
        return (
            f"U koos dit thema zelf; met {score_nl(score)} is er een basis om op voort te bouwen."
        )
    return (
        f"Met {score_nl(score)} is dit uw laagst scorende thema; ook hier kan een sprint nog "
        "winst opleveren."
    )


# --------------------------------------------------------------------------- summary


def _scored(profile: CompanyProfile) -> list[DomainProfile]:
    return [domain for domain in profile.domains if domain.score is not None]


def _all_themes(domains: tuple[DomainProfile, ...]) -> str:
    """'alle 4 thema's', or 'het enige thema met een score, ‘X’,' for one."""
    if len(domains) == 1:
        return f"het enige thema met een score, {_theme(domains[0].title)},"
    return f"alle {len(domains)} thema's"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class _Extremes:
    """The highest and the lowest scoring domains as printed (one decimal): ties are all named,
    in the instrument's order, never decided by decimals the reader does not see."""

    best: tuple[DomainProfile, ...]
    worst: tuple[DomainProfile, ...]

    @property
    def level(self) -> bool:
        """Every scored domain prints the same score."""
        return self.best == self.worst

    def titles(self, domains: tuple[DomainProfile, ...]) -> str:
        return join_nl([_theme(domain.title) for domain in domains])


def _extremes(profile: CompanyProfile) -> _Extremes | None:
    """The highest and the lowest scoring domains, or None when no domain has a score."""
    scored = _scored(profile)
    if not scored:
        return None
    printed = [round_half_up(domain.score or 0.0, 1) for domain in scored]
    top, bottom = max(printed), min(printed)
    return _Extremes(
        best=tuple(d for d, p in zip(scored, printed, strict=True) if p == top),
        worst=tuple(d for d, p in zip(scored, printed, strict=True) if p == bottom),
    )


def _key_messages(
    profile: CompanyProfile,
    advice: tuple[DomainAdvice, ...],
    themes: tuple[ThemeSuggestion, ...],
) -> tuple[str, ...]:
    messages = []
    extremes = _extremes(profile)
    if extremes and extremes.level:
        messages.append(
            f"Uw organisatie scoort op {_all_themes(extremes.best)} even hoog "
            f"({score_nl(extremes.best[0].score or 0)})."
        )
    elif extremes:
        messages.append(
            f"Uw organisatie is het verst op {extremes.titles(extremes.best)} "
            f"({score_nl(extremes.best[0].score or 0)}) en heeft de meeste ruimte om te groeien "
            f"op {extremes.titles(extremes.worst)} ({score_nl(extremes.worst[0].score or 0)})."
        )
    else:
        messages.append("De scan bevat te weinig antwoorden om per thema een score te berekenen.")
    n_strong = sum(item.is_strength for item in advice)
    n_attention = sum(item.needs_attention for item in advice)
    strong = (
        f"Geen van de {len(advice)} thema's is al een sterk punt"
        if n_strong == 0
        else f"Van de {len(advice)} thema's {'is' if n_strong == 1 else 'zijn'} er {n_strong} "
        "een sterk punt"
    )
    attention = (
        "geen thema vraagt om extra aandacht"
        if n_attention == 0
        else f"{n_attention} {'verdient' if n_attention == 1 else 'verdienen'} aandacht"
    )
    messages.append(f"{strong}; {attention}.")
    messages.append(_peer_message(profile))
    messages.append(_change_message(profile))
    if themes:
        first = _theme(themes[0].title)
        sentence = f"Voor een sprint met andere bedrijven ligt {first} het meest voor de hand."
        if not profile.consent:
            sentence += " Daarvoor is wel uw toestemming nodig om uw profiel met de groep te delen."
        messages.append(sentence)
    return tuple(messages)


def _peer_message(profile: CompanyProfile) -> str:
    compared = [d for d in profile.domains if d.peers.median is not None and d.score is not None]
    if not compared:
        return (
            "Een vergelijking met andere bedrijven is niet mogelijk: daarvoor vulden te weinig "
            f"bedrijven de scan in (minder dan {profile.k})."
        )
    descriptions = {domain.peers.description for domain in compared}
    peers = descriptions.pop() if len(descriptions) == 1 else "vergelijkbare bedrijven"
    # as printed: a score of 2,3 next to a median of 2,3 is not "above", whatever the decimals
    above = sum(compare_rounded(domain.score, domain.peers.median) > 0 for domain in compared)
    themes = _count(len(compared), "thema", "thema's")
    if above == 0:
        where = f"op geen van de {themes}"
    elif above == len(compared) > 1:
        where = f"op alle {themes}"
    else:
        where = f"op {above} van de {themes}"
    return f"Vergeleken met {peers} scoort u {where} boven de mediaan."


def _change_message(profile: CompanyProfile) -> str:
    if profile.previous_year is None:
        return (
            "Dit is de eerste HR-scan van uw organisatie; een volgende scan laat zien wat er "
            "verandert."
        )
    up = [d for d in profile.domains if (_clear_change(d) or 0) > 0]
    down = [d for d in profile.domains if (_clear_change(d) or 0) < 0]
    if not up and not down:
        return (
            f"Sinds de scan van {profile.previous_year} zijn de scores ongeveer gelijk gebleven: "
            "op geen enkel thema is het verschil een half punt of meer."
        )
    parts = []
    if up:
        parts.append(f"vooruitgegaan op {_changes(up)}")
    if down:
        parts.append(f"achteruitgegaan op {_changes(down)}")
    return f"Sinds de scan van {profile.previous_year} is uw organisatie {' en '.join(parts)}."


def _changes(domains: list[DomainProfile]) -> str:
    return join_nl(
        [
            f"{_theme(d.title)} ({signed_score_nl(d.change.difference or 0) if d.change else ''})"
            for d in domains
        ]
    )


# --------------------------------------------------------------------------- agenda


def _agenda(
    profile: CompanyProfile,
    advice: tuple[DomainAdvice, ...],
    themes: tuple[ThemeSuggestion, ...],
) -> tuple[str, ...]:
    agenda = []
    extremes = _extremes(profile)
    if extremes and extremes.level:
        agenda.append(
            f"Herkent u het beeld van de scan? Uw organisatie scoort op "
            f"{_all_themes(extremes.best)} even hoog ({score_nl(extremes.best[0].score or 0)})."
        )
    elif extremes:
        agenda.append(
            f"Herkent u het beeld van de scan? Het hoogst scoort {extremes.titles(extremes.best)} "
            f"({score_nl(extremes.best[0].score or 0)}), het laagst "
            f"{extremes.titles(extremes.worst)} ({score_nl(extremes.worst[0].score or 0)})."
        )
    else:
        agenda.append(
            "Herkent u het beeld van de scan? Veel onderdelen zijn niet beantwoord; bespreek "
            "waarom."
        )
    strong = [_theme(item.title) for item in advice if item.is_strength]
    if strong:
        agenda.append(
            f"Wat gaat goed: {join_nl(strong)}. Hoe heeft u dat bereikt, en wat kunnen andere "
            "bedrijven daarvan leren?"
        )
    else:
        agenda.append(
            "Waar is uw organisatie tevreden over, ook als dat nog niet uit de scores blijkt?"
        )
    low = sorted(
        (
            (item.value, domain.score if domain.score is not None else -1.0, order, item)
            for domain in profile.domains
            for order, item in enumerate(domain.items)
            if item.value is not None and item.value <= LOW_PRACTICE
        ),
        key=lambda entry: entry[:3],
    )
    if low:
        examples = join_nl([_practice(entry[3]) for entry in low[:3]])
        agenda.append(
            f"{_count(len(low), 'onderdeel is', 'onderdelen zijn')} nog niet of alleen ad hoc "
            f"geregeld, zoals {examples}. Welke zijn voor u het belangrijkst om op te pakken?"
        )
    else:
        agenda.append(
            "Er zijn geen onderdelen die nog niet of alleen ad hoc geregeld zijn. Waar wilt u "
            "de stap zetten naar evalueren en bijstellen?"
        )
    if profile.previous_year is not None:
        up = [_theme(d.title) for d in profile.domains if (_clear_change(d) or 0) > 0]
        down = [_theme(d.title) for d in profile.domains if (_clear_change(d) or 0) < 0]
        if up or down:
            parts = []
            if up:
                parts.append(f"de vooruitgang op {join_nl(up)}")
            if down:
                parts.append(f"de daling op {join_nl(down)}")
            explain = " en ".join(parts)
            agenda.append(f"Terugblik op {profile.previous_year}: wat verklaart {explain}?")
        else:
            agenda.append(
                f"Terugblik op {profile.previous_year}: de scores zijn ongeveer gelijk gebleven. "
                "Wat stond er toen op de planning en wat is ervan terechtgekomen?"
            )
    if profile.hr_question:
        question = profile.hr_question
        end = "" if question.endswith((".", "?", "!")) else "."
        agenda.append(
            f"Uw belangrijkste HR-vraag: „{question}”{end} Hoe hangt die samen met de "
            "uitkomsten van de scan?"
        )
    else:
        agenda.append(
            "Wat is op dit moment uw belangrijkste HR-vraag, en hoe hangt die samen met de "
            "uitkomsten van de scan?"
        )
    if themes:
        sprint = (
            f"Sprintthema: {join_nl([_theme(t.title) for t in themes])}. Welk thema pakt u op, "
            "en past een sprint van vijf dagdelen met andere bedrijven in uw planning?"
        )
        if not profile.consent:
            sprint += (
                " U heeft nog geen toestemming gegeven om uw profiel met de sprintgroep te "
                "delen; wilt u dat alsnog doen?"
            )
        agenda.append(sprint)
    agenda.append("Afspraken: wie doet wat en wanneer, en wanneer vult u de volgende scan in?")
    return tuple(agenda)
