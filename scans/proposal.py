"""What a sprint proposal holds: groups with their members and reasons, and the candidates
left out. Plain values, so that the command line, a web page or a report can show them."""

from dataclasses import dataclass

from scans.models import SprintRole


@dataclass(frozen=True)
class ProposedMember:
    """A company in a proposed group, with its role and why it is there."""

    organisation_id: int
    role: SprintRole
    theme_score: float | None  #: the company's score on the group's theme
    chose_theme: bool
    sector: str | None
    region: str | None
    size_class: str | None
    reasons: tuple[str, ...]  #: Dutch: why this theme, why this group


@dataclass(frozen=True)
class ProposedGroup:
    """A proposed sprint group on one theme."""

    theme: str  #: domain key
    theme_title: str
    number: int  #: 1, 2, ... within the theme
    title: str  #: e.g. "Talent behouden en loopbaan – groep 2"
    members: tuple[ProposedMember, ...]  #: koplopers first
    note: str | None  #: e.g. why the group has no koploper

    @property
    def has_koploper(self) -> bool:
        return any(member.role == SprintRole.KOPLOPER for member in self.members)


@dataclass(frozen=True)
class UnplacedCompany:
    """A candidate that is in no group, and why."""

    organisation_id: int
    themes: tuple[str, ...]  #: the themes it was a candidate for (or chose)
    reason: str  #: Dutch


@dataclass(frozen=True)
class Proposal:
    """Proposed sprint groups for one year, and the candidates left out."""

    year: int
    themes: tuple[str, ...]  #: the themes asked for
    k: int
    min_size: int
    max_size: int
    groups: tuple[ProposedGroup, ...]
    unplaced: tuple[UnplacedCompany, ...]
