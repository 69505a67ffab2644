"""Sprint operations on the models: store a proposal, move a company between groups, fix a
group, record its sessions and who attended, close it.

These keep a sprint's rules (its states, 4-8 companies, dagdelen 1-5). The console and the
command line reach them through the use cases of ``scans.sprint_services`` (by id and plain
values); the demo calls them directly. Nobody else changes sprint models. Nothing here commits:
the caller commits the surrounding transaction. A refused operation raises SprintError with a
Dutch message for the coordinator.
"""

from collections.abc import Hashable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from scans.models import (
    SESSIONS_PER_SPRINT,
    Attendance,
    Sprint,
    SprintMember,
    SprintSession,
    SprintStatus,
    SprintTheme,
)
from scans.proposal import Proposal
from surveys.db import db

if TYPE_CHECKING:
    import pandas as pd

#: the statuses in which a company counts as taking part in a sprint of that year
TAKING_PART = (SprintStatus.FIXED, SprintStatus.DONE)


class SprintError(ValueError):
    """A sprint operation that cannot be done, with a Dutch message for the coordinator.

    ``errors`` says which input each message is about: the name of the service's parameter
    ("title", "number") or the id of the row concerned (a member's id in a move); the key None
    is the operation as a whole. A page shows each message next to its field, the command line
    prints them. The exception's own message is the first of them.
    """

    def __init__(
        self,
        message: str,
        field: Hashable | None = None,
        *,
        errors: Mapping[Hashable | None, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.errors: dict[Hashable | None, str] = dict(errors) if errors else {field: message}

    @classmethod
    def check(cls, errors: Mapping[Hashable | None, str]) -> None:
        """Raise one SprintError carrying every message of ``errors``, if there is any."""
        if errors:
            field, message = next(iter(errors.items()))
            raise cls(message, field, errors=errors)


def sprint_theme(key: str, title: str) -> SprintTheme:
    """The theme with this key, created with ``title`` when it does not exist yet."""
    theme = db.session.scalar(select(SprintTheme).where(SprintTheme.key == key))
    if theme is None:
        theme = SprintTheme(key=key, title=title)
        db.session.add(theme)
    return theme


class NoScans(LookupError):
    """The year has no submitted HR-scan to propose sprint groups from."""


def year_scans(year: int) -> "pd.DataFrame":
    """The submitted HR-scans of ``year`` as the tidy answer frame.

    They are read on a connection of their own (`answer_frame`): on SQLite that connection waits
    for a transaction of the caller's session that holds the write lock (a POST request's), so
    the caller ends such a transaction first and reads the scans before anything else."""
    from scans.instrument import HR_SCAN
    from surveys.frame import answer_frame

    return answer_frame(instrument=HR_SCAN, years=[year])


def propose_year(
    year: int,
    definition: Mapping[str, Any],
    *,
    themes: Iterable[str] | None,
    k: int,
    seed: int,
    scans: "pd.DataFrame | None" = None,
) -> Proposal:
    """The sprint proposal from the submitted HR-scans of ``year`` (`propose_groups`; ``scans``
    when they were read already, else `year_scans`), leaving out the companies already in a
    fixed or finished sprint of the year.

    Raises NoScans for a year without scans, ValueError when no proposal can be made (an
    unknown theme, say).
    """
    from scans.sprints import propose_groups

    frame = year_scans(year) if scans is None else scans
    if frame.empty:
        raise NoScans(year)
    return propose_groups(
        frame, definition, year=year, themes=themes, k=k, seed=seed, exclude=taking_part(year)
    )


def taking_part(year: int) -> set[int]:
    """Organisations in a fixed or finished sprint of ``year`` (to leave out of a new proposal)."""
    return set(
        db.session.scalars(
            select(SprintMember.organisation_id)
            .join(Sprint, SprintMember.sprint_id == Sprint.id)
            .where(Sprint.year == year, Sprint.status.in_(TAKING_PART))
        )
    )


def save_proposal(proposal: Proposal) -> list[Sprint]:
    """Store the proposed groups as sprints with status "proposed".

    An earlier proposal for the same year and themes is replaced: its sprints that are still
    proposed are deleted; fixed and finished sprints stay.
    """
    earlier = db.session.scalars(
        select(Sprint)
        .join(SprintTheme, Sprint.theme_id == SprintTheme.id)
        .where(
            Sprint.year == proposal.year,
            Sprint.status == SprintStatus.PROPOSED,
            SprintTheme.key.in_(proposal.themes),
        )
    )
    for sprint in earlier:
        db.session.delete(sprint)
    sprints = []
    for group in proposal.groups:
        sprint = Sprint(
            theme=sprint_theme(group.theme, group.theme_title),
            year=proposal.year,
            title=group.title,
            status=SprintStatus.PROPOSED,
            note=group.note,
            members=[
                SprintMember(
                    organisation_id=member.organisation_id,
                    role=member.role,
                    reason="; ".join(member.reasons),
                )
                for member in group.members
            ],
        )
        db.session.add(sprint)
        sprints.append(sprint)
    db.session.flush()
    return sprints


def move_member(member: SprintMember, to: Sprint) -> SprintMember:
    """Move a company from its proposed group to another proposed group of the same year."""
    source = member.sprint
    if to.id == source.id:
        raise SprintError("Het bedrijf zit al in deze sprint.")
    if source.status != SprintStatus.PROPOSED or to.status != SprintStatus.PROPOSED:
        raise SprintError("Alleen tussen voorgestelde sprints kan een bedrijf worden verplaatst.")
    if to.year != source.year:
        raise SprintError("Een bedrijf kan alleen naar een sprint van hetzelfde jaar.")
    if any(other.organisation_id == member.organisation_id for other in to.members):
        raise SprintError("Het bedrijf zit al in de andere sprint.")
    member.sprint = to
    member.reason = (member.reason + "; " if member.reason else "") + (
        f"verplaatst uit {source.title}"
    )
    db.session.flush()
    return member


def fix_sprint(sprint: Sprint, *, min_size: int = 4, max_size: int = 8) -> None:
    """Fix a proposed sprint: its members are agreed with the companies."""
    if sprint.status != SprintStatus.PROPOSED:
        raise SprintError("Alleen een voorgestelde sprint kan worden vastgesteld.")
    if not min_size <= len(sprint.members) <= max_size:
        raise SprintError(
            f"Een sprint heeft {min_size} tot {max_size} bedrijven; deze heeft er "
            f"{len(sprint.members)}."
        )
    sprint.status = SprintStatus.FIXED


def add_session(sprint: Sprint, *, number: int, held_on: date, topic: str = "") -> SprintSession:
    """Record a session (dagdeel) of a fixed sprint."""
    if sprint.status != SprintStatus.FIXED:
        raise SprintError("Dagdelen worden vastgelegd voor een vastgestelde sprint.")
    if not 1 <= number <= SESSIONS_PER_SPRINT:
        raise SprintError(f"Een sprint heeft dagdeel 1 tot en met {SESSIONS_PER_SPRINT}.", "number")
    if any(session.number == number for session in sprint.sessions):
        raise SprintError(f"Dagdeel {number} is al vastgelegd.", "number")
    session = SprintSession(number=number, held_on=held_on, topic=topic.strip())
    sprint.sessions.append(session)
    db.session.flush()
    return session


def record_attendance(session: SprintSession, organisation_id: int, *, present: bool) -> Attendance:
    """Record whether a member company was at a session (again: the last record counts)."""
    if all(member.organisation_id != organisation_id for member in session.sprint.members):
        raise SprintError("Alleen bedrijven in de sprint kunnen aanwezig zijn.")
    record = next(
        (row for row in session.attendance if row.organisation_id == organisation_id), None
    )
    if record is None:
        record = Attendance(organisation_id=organisation_id, present=present)
        session.attendance.append(record)
    record.present = present
    db.session.flush()
    return record


def finish_sprint(sprint: Sprint) -> None:
    """Close a fixed sprint once its sessions are held."""
    if sprint.status != SprintStatus.FIXED:
        raise SprintError("Alleen een vastgestelde sprint kan worden afgerond.")
    if not sprint.sessions:
        raise SprintError("Leg eerst de sessies van de sprint vast.")
    sprint.status = SprintStatus.DONE
