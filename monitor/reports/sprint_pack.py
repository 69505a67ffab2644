"""The sprint pack: a PDF for the facilitator of one intervision sprint.

Two steps (DESIGN.md section 2): ``build_sprint_pack(sprint_id, k)`` gathers plain values,
``render_sprint_pack(context)`` turns them into a PDF. The pack holds the group, the profile of
every member company on the sprint's theme, the session plan and a page for notes.

Only companies that consented to share their profile with their sprint group
(``toestemming_delen`` in their HR-scan of the sprint's year) appear in it, with their name; a
member without consent, or without a scan that year, is left out entirely and only counted
("1 bedrijf in de groep staat niet in deze map"). Per member: sector, size class, region, the
score on the theme with its position among the peers (disclosure control from ``scans``: fewer
than ``k`` peers prints "te weinig waarnemingen"), the domain profile chart, the company's HR
question and, from ``scans.advice.advise``, what goes well and what deserves attention on the theme.
Everything user-written (names, HR questions, topics) is escaped by the print template.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select

from scans.advice import advise
from scans.instrument import HR_SCAN, domain_titles
from scans.models import SESSIONS_PER_SPRINT, STATUS_NL, Sprint, SprintRole
from scans.profile import CompanyProfile, company_profile
from scans.sprint_reasons import member_reasons
from scans.wording import size_class_nl
from surveys.db import db
from surveys.frame import answer_frame
from surveys.models import Campaign, Instrument, InstrumentVersion

__all__ = ["NoSprint", "build_sprint_pack", "pack_filename", "render_sprint_pack"]

#: the print template (templates/reports/)
TEMPLATE = "sprint_pack.html"
#: chart labels longer than this are shortened (the chart leaves at most 45% of its width for them)
CHART_LABEL_CHARS = 36
ROLE_NL = {SprintRole.DEELNEMER: "deelnemer", SprintRole.KOPLOPER: "koploper"}


class NoSprint(LookupError):
    """There is no sprint with this id."""


def build_sprint_pack(
    sprint_id: int, k: int | None = None, *, generated_on: date | None = None
) -> dict[str, Any]:
    """The context of a sprint's pack: plain values only (see the module docstring).

    ``k`` defaults to the app's MONITOR_K_ANONYMITY. Raises NoSprint for an unknown id. Needs an
    app context.
    """
    if k is None:
        from flask import current_app

        k = int(current_app.config["MONITOR_K_ANONYMITY"])
    sprint = db.session.get(Sprint, sprint_id)
    if sprint is None:
        raise NoSprint(f"there is no sprint {sprint_id}")
    year, theme_key, theme_title = sprint.year, sprint.theme.key, sprint.theme.title
    members = [
        {
            "organisation_id": m.organisation_id,
            "name": m.organisation.name,
            "role": str(m.role),
            "role_label": ROLE_NL.get(m.role, str(m.role)),
            "reason": m.reason or "",
        }
        for m in sprint.members
    ]
    attendance = _attendance(sprint)
    sessions = _session_plan(sprint)
    title, status = sprint.title, STATUS_NL.get(sprint.status, str(sprint.status))
    note = sprint.note
    frame, definitions = _scans(year)
    reasons = _current_reasons(frame, definitions, sprint, k)
    for member in members:
        # computed as the group is now: a reason stored at the proposal goes stale after a move
        member["reason"] = reasons.get(member["organisation_id"], member["reason"])

    shown, left_out = [], 0
    for member in members:
        profile = _profile(frame, definitions, member["organisation_id"], year, k)
        if profile is None or not profile.consent:
            left_out += 1
            continue
        shown.append(_member(member, profile, theme_key, attendance.get(member["organisation_id"])))
    return {
        "report": "sprintmap",
        "title": "Sprintmap",
        "subtitle": f"Intervisiesprint {year} · thema ‘{theme_title}’",
        "organisation": title,
        "series": "Intervisiesprints · Talent Charter Limburg",
        "cover_note": (
            "Voor de begeleider van de sprint. Vertrouwelijk: de profielen staan in deze map "
            "omdat de bedrijven toestemming gaven om ze met hun sprintgroep te delen. Geef de "
            "map niet door buiten de groep."
        ),
        "generated_on": generated_on or date.today(),
        "sprint": {
            "id": sprint_id,
            "title": title,
            "year": year,
            "status": status,
            "note": note,
            "theme_key": theme_key,
            "theme_title": theme_title,
            "theme_is_domain": theme_key in _domain_keys(definitions),
            "members": len(members),
        },
        "k": k,
        "members": shown,
        "left_out": left_out,
        "sessions": sessions,
        "sessions_per_sprint": SESSIONS_PER_SPRINT,
    }


def _attendance(sprint: Sprint) -> dict[int, dict[str, int]]:
    """Per member: at how many recorded sessions it was present, of how many recorded."""
    counts: dict[int, dict[str, int]] = {}
    for session in sprint.sessions:
        for record in session.attendance:
            entry = counts.setdefault(record.organisation_id, {"present": 0, "recorded": 0})
            entry["recorded"] += 1
            entry["present"] += int(record.present)
    return counts


def _session_plan(sprint: Sprint) -> list[dict[str, Any]]:
    """Every dagdeel 1..SESSIONS_PER_SPRINT, recorded or still to plan."""
    recorded = {session.number: session for session in sprint.sessions}
    plan = []
    for number in range(1, SESSIONS_PER_SPRINT + 1):
        session = recorded.get(number)
        present = [r for r in session.attendance if r.present] if session else []
        plan.append(
            {
                "number": number,
                "held_on": session.held_on if session else None,
                "topic": (session.topic or None) if session else None,
                "present": len(present) if session and session.attendance else None,
                "recorded": len(session.attendance) if session else 0,
            }
        )
    return plan


def _scans(year: int) -> tuple[pd.DataFrame, dict[int, dict[str, Any]]]:
    """The HR-scans of ``year`` (the members' profiles and their peers) and the definition each
    campaign pinned."""
    definitions = dict(
        db.session.execute(
            select(Campaign.id, InstrumentVersion.definition)
            .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(Instrument.key == HR_SCAN, Campaign.year == year)
        ).all()
    )
    frame = answer_frame(instrument=HR_SCAN, years=[year]) if definitions else pd.DataFrame()
    return frame, definitions


def _domain_keys(definitions: dict[int, dict[str, Any]]) -> set[str]:
    return {
        domain["key"]
        for definition in definitions.values()
        for domain in definition.get("domains") or []
    }


def _current_reasons(
    frame: pd.DataFrame, definitions: dict[int, dict[str, Any]], sprint: Sprint, k: int
) -> dict[int, str]:
    """Why each member is in the group now (``scans.sprint_reasons.member_reasons``)."""
    if frame.empty or not definitions:
        return {}
    definition = definitions[max(definitions)]  # the year's latest round
    if sprint.theme.key not in domain_titles(definition):
        return {}
    return member_reasons(
        frame, definition, year=sprint.year, theme=sprint.theme.key,
        members=[(m.organisation_id, m.role) for m in sprint.members], k=k,
    )  # fmt: skip


def _profile(
    frame: pd.DataFrame,
    definitions: dict[int, dict[str, Any]],
    organisation_id: int,
    year: int,
    k: int,
) -> CompanyProfile | None:
    """The company's profile of ``year``, or None without a scan that year."""
    if frame.empty:
        return None
    rows = frame[(frame["year"] == year) & (frame["organisation_id"] == organisation_id)]
    if rows.empty:
        return None
    latest = rows[rows["response_id"] == rows["response_id"].max()]
    definition = definitions.get(int(latest["campaign_id"].iloc[0]))
    if definition is None:
        return None
    try:
        return company_profile(frame, definition, organisation_id=organisation_id, year=year, k=k)
    except ValueError:
        return None


def _member(
    member: dict[str, Any],
    profile: CompanyProfile,
    theme_key: str,
    attendance: dict[str, int] | None,
) -> dict[str, Any]:
    """What the pack says about one consenting member."""
    from monitor import charts

    advice = advise(profile)
    titles = {d.key: d.title for d in profile.domains}
    theme = None
    try:
        domain = profile.domain(theme_key)
    except KeyError:
        domain = None
    if domain is not None:
        domain_advice = next(a for a in advice.domains if a.key == theme_key)
        peers = domain.peers
        theme = {
            "title": domain.title,
            "score": domain.score,
            "n_answered": domain.n_answered,
            "n_items": domain.n_items,
            "peers": dataclasses.asdict(peers),
            "peer_text": _peer_text(domain.score, peers),
            "is_strength": domain_advice.is_strength,
            "needs_attention": domain_advice.needs_attention,
            "strengths": list(domain_advice.strengths),
            "attention": list(domain_advice.attention),
            "practices": [{"label": item.text, "value": item.value} for item in domain.items],
        }
    peer_label = _common_peer_label(profile)
    chart = charts.domain_profile(
        [f"{i}. {chart_label(d.title)}" for i, d in enumerate(profile.domains, start=1)],
        [d.score for d in profile.domains],
        peer_median=[d.peers.median for d in profile.domains],
        peer_q1=[d.peers.q1 for d in profile.domains],
        peer_q3=[d.peers.q3 for d in profile.domains],
        title=f"Scores per thema in de HR-scan {profile.year}",
        subject="bedrijf",
        peer_label=peer_label,
    )
    return {
        **member,
        "sector": profile.sector,
        "region": profile.region,
        "size_class": size_class_nl(profile.size_class) if profile.size_class else None,
        "municipality": profile.municipality,
        "hr_question": profile.hr_question,
        "chosen_themes": [titles[key] for key in profile.sprint_themes if key in titles],
        "theme": theme,
        "suggested_themes": [{"title": s.title, "reason": s.reason} for s in advice.sprint_themes],
        "attendance": attendance,
        "chart": chart.to_dict(),
    }


def chart_label(title: str, limit: int = CHART_LABEL_CHARS) -> str:
    """A domain title short enough for a chart label: without a parenthesis, else up to the last
    " en " that fits ("Talent verzilveren en inclusief werkgeverschap" -> "Talent verzilveren").
    The same rule as the company report's charts."""
    text = re.sub(r"\s*\([^)]*\)", "", title).strip()
    while len(text) > limit and " en " in text:
        text = text.rsplit(" en ", 1)[0].strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _peer_text(score: float | None, peers: Any) -> str:
    """Where the theme score stands among the peers, in words."""
    from monitor.formatting import number_nl

    if score is None:
        return "Te weinig vragen beantwoord voor een score op dit thema."
    if peers.suppressed or peers.median is None:
        return "Te weinig vergelijkbare bedrijven om mee te vergelijken."
    rank = peers.percentile_rank
    rank_text = f"; {number_nl(rank, 0)}% van hen scoort lager" if rank is not None else ""
    return (
        f"Mediaan van de {peers.description}: {number_nl(peers.median, 1)} "
        f"({number_nl(peers.n_peers, 0)} bedrijven){rank_text}."
    )


def _common_peer_label(profile: CompanyProfile) -> str:
    shown = [d.peers.description for d in profile.domains if not d.peers.suppressed]
    if not shown:
        return "vergelijkingsgroep"
    return max(set(shown), key=shown.count) if len(set(shown)) == 1 else "vergelijkingsgroep"


# -- rendering -------------------------------------------------------------------------------------


def render_sprint_pack(context: dict[str, Any], *, timeout: float = 60) -> bytes:
    """The PDF of a pack context as ``build_sprint_pack`` makes it (its charts' SVG is trusted
    markup from ``monitor.charts``: only pass contexts this module built)."""
    from markupsafe import Markup

    from monitor.charts import Chart
    from monitor.pdf import render_pdf

    values = dict(context)
    values["members"] = [
        {
            **member,
            "chart": Chart(
                svg=Markup(member["chart"]["svg"]),  # noqa: S704 (our own charts)
                title=member["chart"]["title"],
                alt=member["chart"]["alt"],
            ),
        }
        for member in context["members"]
    ]
    return render_pdf(TEMPLATE, values, timeout=timeout)


def pack_filename(context: dict[str, Any]) -> str:
    """A download name: sprintmap-2025-behouden-12.pdf."""
    sprint = context["sprint"]
    return f"sprintmap-{sprint['year']}-{sprint['theme_key']}-{sprint['id']}.pdf"
