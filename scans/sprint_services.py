"""Sprint use cases: what a coordinator does with sprints, for the console and the command line.

Every function takes plain values and ids, works in the caller's session (``db.session``: the
request's or the command's unit of work), flushes but never commits, and refuses bad input with
a ``SprintError`` whose ``errors`` name the input concerned, in Dutch. The caller parses its form
or options, commits, records the audit event and tells the user. The sprint's own rules (states,
sizes, dagdelen) are kept by ``scans.operations``; this module finds the rows, checks what
depends on other rows (a theme key that is taken, a group that exists) and calls them.

The reads the sprint pages need are here as well, so that a page asks the database nothing
itself. The evaluation of a finished sprint is in ``scans.sprint_evaluation``.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from scans.instrument import HR_SCAN, domain_titles
from scans.models import (
    Sprint,
    SprintMember,
    SprintSession,
    SprintStatus,
    SprintTheme,
)
from scans.operations import (
    NoScans,
    SprintError,
    add_session,
    finish_sprint,
    fix_sprint,
    move_member,
    propose_year,
    record_attendance,
    year_scans,
)
from scans.proposal import Proposal
from surveys.db import MAX_DB_INT, db
from surveys.models import Campaign, Instrument, InstrumentVersion, Organisation

#: what a sprint's page and its use cases read with it, rather than a query per member/session
_WITH_MEMBERS_AND_SESSIONS = (
    selectinload(Sprint.members).joinedload(SprintMember.organisation),
    selectinload(Sprint.sessions).selectinload(SprintSession.attendance),
)


# -- reading ---------------------------------------------------------------------------------------


def find_sprint(sprint_id: int) -> Sprint | None:
    """The sprint with its members and sessions, or None (also for an id no row can have)."""
    if not 0 < sprint_id <= MAX_DB_INT:
        return None
    return db.session.get(Sprint, sprint_id, options=_WITH_MEMBERS_AND_SESSIONS)


def _sprint(sprint_id: int) -> Sprint:
    sprint = find_sprint(sprint_id)
    if sprint is None:
        raise SprintError("Deze sprint bestaat niet.", "sprint_id")
    return sprint


def sprints_of(year: int | None) -> list[Sprint]:
    """Every sprint (of ``year``, when given) with theme, members and sessions, newest year
    first, then by theme and title."""
    query = (
        select(Sprint)
        .join(SprintTheme, Sprint.theme_id == SprintTheme.id)
        .options(
            contains_eager(Sprint.theme),
            selectinload(Sprint.members),
            selectinload(Sprint.sessions),
        )
        .order_by(Sprint.year.desc(), SprintTheme.title, Sprint.title, Sprint.id)
    )
    if year is not None:
        query = query.where(Sprint.year == year)
    return list(db.session.scalars(query))


def sprint_years() -> list[int]:
    """The years that have sprints, newest first."""
    return list(db.session.scalars(select(Sprint.year).distinct().order_by(Sprint.year.desc())))


def latest_definition(key: str) -> tuple[InstrumentVersion | None, dict[str, Any]]:
    """The latest published version of an instrument and its definition (None, {} if none)."""
    instrument = db.session.scalar(select(Instrument).where(Instrument.key == key))
    version = instrument.latest if instrument is not None else None
    return version, (version.definition if version is not None else {})


def hr_domains() -> dict[str, str]:
    """The HR-scan's domains (key -> Dutch title) from its latest published version; empty
    while none is published."""
    _, definition = latest_definition(HR_SCAN)
    return domain_titles(definition) if definition else {}


def scan_years() -> list[int]:
    """Years with an HR-scan campaign, newest first."""
    return list(
        db.session.scalars(
            select(Campaign.year)
            .distinct()
            .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(Instrument.key == HR_SCAN)
            .order_by(Campaign.year.desc())
        )
    )


def organisation_names(ids: Collection[int] | None = None) -> dict[int, str]:
    """Organisation id -> name, of ``ids`` (of every organisation when None)."""
    query = select(Organisation.id, Organisation.name)
    if ids is not None:
        if not ids:
            return {}
        query = query.where(Organisation.id.in_(list(ids)))
    return dict(db.session.execute(query).all())


def other_proposed(sprint: Sprint) -> list[Sprint]:
    """The other proposed sprints of a proposed sprint's year (where its members can move
    to), with their members; none for a sprint that is no longer proposed."""
    if sprint.status != SprintStatus.PROPOSED:
        return []
    return list(
        db.session.scalars(
            select(Sprint)
            .options(selectinload(Sprint.members))
            .where(
                Sprint.year == sprint.year,
                Sprint.status == SprintStatus.PROPOSED,
                Sprint.id != sprint.id,
            )
            .order_by(Sprint.title, Sprint.id)
        )
    )


# -- themes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Themes:
    """The sprint themes and what a coordinator can add."""

    themes: list[SprintTheme]  #: every theme, by title
    domains: dict[str, str]  #: the HR-scan's domains, key -> title
    sprints: dict[int, int]  #: theme id -> how many sprints it has

    @property
    def free_domains(self) -> dict[str, str]:
        """The domains that are not a theme yet."""
        taken = {theme.key for theme in self.themes}
        return {key: title for key, title in self.domains.items() if key not in taken}


def themes() -> Themes:
    """The themes, the HR-scan's domains and the number of sprints per theme."""
    counts = db.session.execute(select(Sprint.theme_id, func.count()).group_by(Sprint.theme_id))
    return Themes(
        themes=list(db.session.scalars(select(SprintTheme).order_by(SprintTheme.title))),
        domains=hr_domains(),
        sprints=dict(counts.all()),
    )


def add_theme(*, domain: str = "", key: str = "", title: str = "") -> SprintTheme:
    """Add a theme: an HR-scan ``domain`` (titled as in the scan unless ``title`` is given), or
    without one a theme of the coordinator's own with ``key`` and ``title``."""
    current = themes()
    taken = {theme.key for theme in current.themes}
    title = title.strip()
    if domain:
        if domain not in current.domains:
            raise SprintError("Kies een domein uit de lijst.", "domain")
        if domain in taken:
            raise SprintError("Dit domein is al een thema.", "domain")
        key, title = domain, title or current.domains[domain]
    else:
        key = key.strip()
        errors: dict[str | None, str] = {}
        if not key:
            errors["key"] = "Kies een domein, of geef een eigen thema een sleutel."
        elif key in taken:
            errors["key"] = "Er is al een thema met deze sleutel."
        elif key in current.domains:
            errors["key"] = "Dit is de sleutel van een HR-scan-domein: kies het domein hierboven."
        if not title:
            errors["title"] = "Geef een eigen thema een titel."
        SprintError.check(errors)
    theme = SprintTheme(key=key, title=title)
    db.session.add(theme)
    db.session.flush()
    return theme


# -- proposing groups ------------------------------------------------------------------------------


def proposal_themes() -> tuple[dict[str, str], bool]:
    """The themes a proposal can be made for (key -> title): the defined themes that are
    HR-scan domains, or every domain while none is defined (then the second value is False)."""
    domains = hr_domains()
    defined = set(db.session.scalars(select(SprintTheme.key).where(SprintTheme.key.in_(domains))))
    if defined:
        return {key: title for key, title in domains.items() if key in defined}, True
    return domains, False


def propose(year: int, *, themes: Sequence[str], seed: int, k: int) -> Proposal:
    """The proposal for the HR-scans of ``year`` and ``themes`` (none: every theme offered by
    `proposal_themes`), variant ``seed``. Changes nothing.

    The scans are read first, on a connection of their own (`year_scans`): on SQLite the caller
    ends a transaction that holds the write lock before calling."""
    scans = year_scans(year)
    offered, _ = proposal_themes()
    if not offered:
        raise SprintError("De HR-scan is nog niet gepubliceerd.", "year")
    unknown = [key for key in themes if key not in offered]
    if unknown:
        raise SprintError(
            f"Onbekend thema: {', '.join(unknown)}. Kies uit de thema's hieronder, of voeg het "
            "eerst toe bij Thema's.",
            "themes",
        )
    _, definition = latest_definition(HR_SCAN)
    try:
        return propose_year(
            year, definition, themes=list(themes) or list(offered), k=k, seed=seed, scans=scans
        )
    except NoScans:
        raise SprintError(f"Er zijn geen ingevulde HR-scans uit {year}.", "year") from None
    except ValueError as error:
        raise SprintError(f"Geen voorstel mogelijk: {error}", "themes") from error


def replaced_by(proposal: Proposal) -> int:
    """How many proposed sprints storing ``proposal`` would replace."""
    return db.session.scalar(
        select(func.count())
        .select_from(Sprint)
        .join(SprintTheme, Sprint.theme_id == SprintTheme.id)
        .where(
            Sprint.year == proposal.year,
            Sprint.status == SprintStatus.PROPOSED,
            SprintTheme.key.in_(proposal.themes),
        )
    )


# -- one sprint ------------------------------------------------------------------------------------


def move_members(sprint_id: int, moves: Mapping[int, int]) -> list[SprintMember]:
    """Move members of a proposed sprint (member id -> the id of the proposed sprint of the
    same year it goes to). A refusal is keyed by the member's id; the moves flushed before it
    are undone by the caller's rollback, as after any refusal, so it is all moves or none."""
    sprint = _sprint(sprint_id)
    members = {member.id: member for member in sprint.members}
    errors: dict[int | None, str] = {}
    targets: dict[int, Sprint] = {}
    for member_id, target_id in moves.items():
        target = find_sprint(target_id)
        if member_id not in members:
            errors[member_id] = "Dit bedrijf zit niet in deze sprint."
        elif target is None:
            errors[member_id] = "Kies een groep uit de lijst."
        else:
            targets[member_id] = target
    SprintError.check(errors)
    moved = []
    for member_id, target in targets.items():
        try:
            moved.append(move_member(members[member_id], target))
        except SprintError as error:
            raise SprintError(str(error), member_id) from None
    return moved


def fix(sprint_id: int) -> Sprint:
    """Fix a proposed sprint: its members are agreed with the companies."""
    sprint = _sprint(sprint_id)
    fix_sprint(sprint)
    return sprint


def add_dagdeel(sprint_id: int, *, number: int, held_on: date, topic: str) -> SprintSession:
    """Record dagdeel ``number`` of a fixed sprint."""
    return add_session(_sprint(sprint_id), number=number, held_on=held_on, topic=topic)


@dataclass(frozen=True)
class AttendanceRecorded:
    sessions: int  #: the held sessions recorded
    present: int  #: the ticks among them


def take_attendance(
    sprint_id: int, present: Collection[tuple[int, int]], *, today: date
) -> AttendanceRecorded:
    """Record who was at the sessions held by ``today``: ``present`` holds (session id,
    organisation id) pairs; a member without a pair at a held session is recorded absent, a
    session still to come is left alone."""
    sprint = _sprint(sprint_id)
    if sprint.status == SprintStatus.PROPOSED:
        raise SprintError("Stel de groep eerst vast en leg de dagdelen vast.")
    held = [session for session in sprint.sessions if session.held_on <= today]
    if not held:
        raise SprintError(
            "Er is nog geen dagdeel gehouden om aanwezigheid bij te noteren.", "present"
        )
    ticked = set(present)
    count = 0
    for session in held:
        for member in sprint.members:
            here = (session.id, member.organisation_id) in ticked
            record_attendance(session, member.organisation_id, present=here)
            count += here
    return AttendanceRecorded(sessions=len(held), present=count)


def finish(sprint_id: int) -> Sprint:
    """Close a fixed sprint once its dagdelen are recorded."""
    sprint = _sprint(sprint_id)
    finish_sprint(sprint)
    return sprint
