"""advise: the rules on small hand-made profiles whose advice can be stated in advance."""

from scans.advice import advise
from scans.profile import CompanyProfile, DomainProfile, ItemMaturity, PeerPosition, ScoreChange

TITLES = {
    "identificeren": "Talent identificeren",
    "aantrekken": "Talent aantrekken",
    "behouden": "Talent behouden",
    "samenwerking": "Samenwerking in de regio",
}


def peers(rank=None, median=None) -> PeerPosition:
    """A peer position in the sector ICT; no rank means suppressed."""
    return PeerPosition(
        group="sector",
        label="ICT",
        description="bedrijven in de sector ICT",
        n_peers=None if rank is None else 12,
        percentile_rank=rank,
        median=median,
        q1=None if median is None else median - 0.5,
        q3=None if median is None else median + 0.5,
        suppressed=rank is None,
    )


def item(key: str, value: float | None, text: str | None = None) -> ItemMaturity:
    return ItemMaturity(key=key, text=text or f"Praktijk {key}", value=value, label=str(value))


def domain(key, score, *, rank=None, median=None, items=(), previous=None) -> DomainProfile:
    change = None
    if previous is not None:
        change = ScoreChange(2024, previous, score, score - previous)
    return DomainProfile(
        key=key,
        title=TITLES[key],
        score=score,
        n_answered=len(items) or 3,
        n_items=len(items) or 3,
        peers=peers(rank, median),
        items=tuple(items),
        change=change,
    )


def profile(*domains, themes=(), question=None, consent=True, previous_year=None):
    return CompanyProfile(
        organisation_id=7,
        year=2025,
        response_id=70,
        sector="ICT",
        region="Zuid-Limburg",
        size_class="10-49",
        municipality="Heerlen",
        domains=tuple(domains),
        previous_year=previous_year,
        sprint_themes=tuple(themes),
        hr_question=question,
        consent=consent,
        k=5,
    )


def advice_of(*domains, **kwargs):
    return advise(profile(*domains, **kwargs))


def test_a_domain_at_three_or_more_is_a_strength():
    (advice,) = advice_of(domain("aantrekken", 3.2)).domains
    assert advice.is_strength and not advice.needs_attention
    assert advice.strengths == (
        "Met gemiddeld 3,2 op de schaal van 0 tot 4 is dit thema structureel geregeld.",
    )
    assert advice.attention == ()


def test_the_top_quartile_of_peers_is_a_strength_even_at_a_middling_score():
    (advice,) = advice_of(domain("aantrekken", 2.5, rank=80.0, median=1.8)).domains
    assert advice.is_strength and not advice.needs_attention
    assert advice.strengths == (
        "U scoort hoger dan 80% van de bedrijven in de sector ICT (hun mediaan is 1,8).",
    )


def test_below_two_deserves_attention_with_a_concrete_start():
    (advice,) = advice_of(domain("behouden", 1.4)).domains
    assert advice.needs_attention and not advice.is_strength
    assert advice.attention[0] == (
        "Met gemiddeld 1,4 gebeurt er op dit thema vooral iets als de situatie erom vraagt "
        "(ad hoc); een vaste werkwijze ontbreekt nog."
    )
    assert advice.attention[1].startswith("Een idee om mee te beginnen: houd met iedere")


def test_the_bottom_quartile_deserves_attention_even_at_a_decent_score():
    (advice,) = advice_of(domain("aantrekken", 2.6, rank=20.0, median=3.1)).domains
    assert advice.needs_attention and not advice.is_strength
    assert (
        "U hoort bij het laagst scorende kwart van de bedrijven in de sector ICT "
        "(hun mediaan is 3,1)." in advice.attention
    )


def test_a_strong_score_behind_strong_peers_is_both():
    (advice,) = advice_of(domain("aantrekken", 3.0, rank=10.0, median=3.5)).domains
    assert advice.is_strength and advice.needs_attention


def test_suppressed_peers_give_no_peer_sentences():
    (advice,) = advice_of(domain("aantrekken", 2.5)).domains
    assert advice.strengths == advice.attention == ()
    assert not advice.is_strength and not advice.needs_attention


def test_practices_at_zero_and_one_are_named_with_a_next_step():
    items = [
        item("a", 0, "Een wervingsplan"),
        item("b", 1, "Gerichte wervingskanalen"),
        item("c", 1, "Een werkgeversmerk"),
        item("d", 4, "Stages"),
        item("e", None),
    ]
    (advice,) = advice_of(domain("aantrekken", 2.5, items=items)).domains
    assert (
        "Nog niet aanwezig (0): „Een wervingsplan”. Een eerste stap: spreek af wie dit oppakt"
        in " ".join(advice.attention)
    )
    low = next(text for text in advice.attention if text.startswith("Alleen ad hoc (1)"))
    assert "„Gerichte wervingskanalen” en „Een werkgeversmerk”. Een volgende stap: leg vast" in low
    assert advice.strengths == (
        "Uitgevoerd, geëvalueerd en bijgesteld (4): „Stages”. Daarmee bent u een voorbeeld "
        "voor andere bedrijven.",
    )


def test_a_clear_improvement_is_acknowledged_and_a_decline_flagged():
    up, down, flat = advice_of(
        domain("aantrekken", 2.4, previous=1.8),
        domain("behouden", 2.2, previous=2.8),
        domain("samenwerking", 2.3, previous=2.0),
        previous_year=2024,
    ).domains
    assert up.strengths == (
        "Sinds de scan van 2024 is de score gestegen van 1,8 naar 2,4: een duidelijke vooruitgang.",
    )
    assert down.attention == (
        "Sinds de scan van 2024 is de score gedaald van 2,8 naar 2,2; ga na wat er is veranderd.",
    )
    assert flat.strengths == flat.attention == ()  # +0.3 is not a clear change


def test_no_score_deserves_attention_and_says_why():
    empty = DomainProfile(
        key="aantrekken",
        title="Talent aantrekken",
        score=None,
        n_answered=1,
        n_items=4,
        peers=peers(),
        items=(),
        change=None,
    )
    (advice,) = advice_of(empty).domains
    assert advice.needs_attention
    assert advice.attention[0].startswith(
        "Er zijn te weinig onderdelen beantwoord voor een score (1 van de 4)"
    )


def test_sprint_themes_chosen_and_weak_first_then_weak_then_chosen():
    advice = advice_of(
        domain("identificeren", 1.0),
        domain("aantrekken", 3.4),
        domain("behouden", 1.5),
        domain("samenwerking", 1.2),
        themes=["behouden", "aantrekken"],
    )
    assert [t.key for t in advice.sprint_themes] == ["behouden", "identificeren", "samenwerking"]
    chosen, weakest, _ = advice.sprint_themes
    assert chosen.reason == "U koos dit thema zelf en het verdient aandacht: u scoort 1,5."
    assert weakest.reason.startswith("U koos dit thema niet, maar met 1,0 hoort het bij uw zwakste")


def test_a_chosen_theme_keeps_a_place_next_to_weak_ones():
    advice = advice_of(
        domain("identificeren", 1.0),
        domain("aantrekken", 3.4),
        domain("behouden", 1.5),
        domain("samenwerking", 1.2),
        themes=["aantrekken"],
    )
    assert [t.key for t in advice.sprint_themes] == ["identificeren", "samenwerking", "aantrekken"]
    assert advice.sprint_themes[2].reason.startswith(
        "U koos dit thema zelf; met 3,4 bent u hier al ver"
    )


def test_without_choices_or_weak_spots_the_lowest_theme_is_suggested():
    advice = advice_of(domain("aantrekken", 3.4), domain("behouden", 2.6))
    (suggestion,) = advice.sprint_themes
    assert suggestion.key == "behouden"
    assert suggestion.reason.startswith("Met 2,6 is dit uw laagst scorende thema")


def test_key_messages_summarise_the_scan():
    advice = advice_of(
        domain("aantrekken", 3.2, rank=90.0, median=2.0, previous=2.5),
        domain("behouden", 1.2, rank=10.0, median=2.0, previous=1.3),
        themes=["behouden"],
        previous_year=2024,
    )
    assert advice.key_messages == (
        "Uw organisatie is het verst op ‘Talent aantrekken’ (3,2) en heeft de meeste ruimte om "
        "te groeien op ‘Talent behouden’ (1,2).",
        "Van de 2 thema's is er 1 een sterk punt; 1 verdient aandacht.",
        "Vergeleken met bedrijven in de sector ICT scoort u op 1 van de 2 thema's boven de "
        "mediaan.",
        "Sinds de scan van 2024 is uw organisatie vooruitgegaan op ‘Talent aantrekken’ (+0,7).",
        "Voor een sprint met andere bedrijven ligt ‘Talent behouden’ het meest voor de hand.",
    )


def test_key_messages_say_none_and_all_in_words():
    weak = advice_of(
        domain("aantrekken", 1.0, rank=10.0, median=2.0),
        domain("behouden", 0.8, rank=5.0, median=2.0),
    ).key_messages
    assert weak[1] == "Geen van de 2 thema's is al een sterk punt; 2 verdienen aandacht."
    assert "scoort u op geen van de 2 thema's boven de mediaan" in weak[2]
    strong = advice_of(
        domain("aantrekken", 3.6, rank=95.0, median=2.0),
        domain("behouden", 3.5, rank=90.0, median=2.0),
    ).key_messages
    assert strong[1].endswith("; geen thema vraagt om extra aandacht.")
    assert "scoort u op alle 2 thema's boven de mediaan" in strong[2]


def test_key_messages_without_peers_or_earlier_scan():
    messages = advice_of(domain("aantrekken", 2.5), consent=False).key_messages
    assert 3 <= len(messages) <= 5
    assert "Een vergelijking met andere bedrijven is niet mogelijk" in messages[2]
    assert messages[3].startswith("Dit is de eerste HR-scan van uw organisatie")
    assert messages[4].endswith(
        "Daarvoor is wel uw toestemming nodig om uw profiel met de groep te delen."
    )


def test_the_agenda_refers_to_the_company_s_own_results():
    agenda = advice_of(
        domain("aantrekken", 3.2, items=[item("a", 4), item("b", 3)], previous=2.5),
        domain("behouden", 1.2, items=[item("c", 0, "Exitgesprekken"), item("d", 1)], previous=1.3),
        themes=["behouden"],
        question="Hoe houden we jonge vakmensen",
        consent=False,
        previous_year=2024,
    ).agenda
    assert 5 <= len(agenda) <= 7
    assert agenda[0] == (
        "Herkent u het beeld van de scan? Het hoogst scoort ‘Talent aantrekken’ (3,2), het "
        "laagst ‘Talent behouden’ (1,2)."
    )
    assert agenda[1].startswith("Wat gaat goed: ‘Talent aantrekken’.")
    assert agenda[2].startswith(
        "2 onderdelen zijn nog niet of alleen ad hoc geregeld, zoals „Exitgesprekken”"
    )
    assert agenda[3] == "Terugblik op 2024: wat verklaart de vooruitgang op ‘Talent aantrekken’?"
    assert agenda[4].startswith("Uw belangrijkste HR-vraag: „Hoe houden we jonge vakmensen”.")
    assert agenda[5].startswith("Sprintthema: ‘Talent behouden’.")
    assert "nog geen toestemming gegeven" in agenda[5]
    assert agenda[6].startswith("Afspraken:")


def test_a_first_scan_agenda_still_has_five_points():
    agenda = advice_of(domain("aantrekken", 2.5)).agenda
    assert len(agenda) == 6
    assert not any(point.startswith("Terugblik") for point in agenda)
    assert agenda[3].startswith("Wat is op dit moment uw belangrijkste HR-vraag")


def test_advice_is_deterministic():
    made = profile(
        domain("aantrekken", 2.2, rank=50.0, median=2.2, items=[item("a", 1)]),
        domain("behouden", 1.2, rank=10.0, median=2.0),
        themes=["behouden"],
    )
    assert advise(made) == advise(made)


def test_above_the_median_is_decided_on_the_printed_scores():
    """2,26 against a median of 2,25 prints as 2,3 against 2,3: not above it."""
    messages = advice_of(
        domain("aantrekken", 2.26, rank=55.0, median=2.25),
        domain("behouden", 1.0, rank=30.0, median=2.0),
    ).key_messages
    assert "scoort u op geen van de 2 thema's boven de mediaan" in messages[2]


def test_a_half_rounds_up_in_every_sentence():
    (advice,) = advice_of(domain("aantrekken", 3.25)).domains
    assert advice.strengths[0].startswith("Met gemiddeld 3,3 ")  # Python's format gives 3,2


def test_tied_scores_name_every_tied_theme_and_never_one_as_both_best_and_worst():
    tied = advice_of(
        domain("identificeren", 2.0),
        domain("aantrekken", 3.0),
        domain("behouden", 2.04),  # prints as 2,0 as well
    )
    assert tied.key_messages[0] == (
        "Uw organisatie is het verst op ‘Talent aantrekken’ (3,0) en heeft de meeste ruimte om "
        "te groeien op ‘Talent identificeren’ en ‘Talent behouden’ (2,0)."
    )
    level = advice_of(domain("aantrekken", 2.0), domain("behouden", 2.0))
    assert level.key_messages[0] == "Uw organisatie scoort op alle 2 thema's even hoog (2,0)."
    assert "Talent aantrekken" not in level.agenda[0]
