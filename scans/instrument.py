"""What the HR-scan domain reads from the instrument definition: scoring, titles, item wording.

The HR-scan is an instrument like any other (surveys/instruments/hr_scan.yaml); this module turns
its definition into the plain values the profile, the advice and the sprint grouping work with, in
Dutch, the language of the reports.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from surveys.definition import item_index, scoring_spec
from surveys.definition.itemtypes import item_text, leaf_type
from surveys.definition.messages import translate
from surveys.definition.structure import Definition

if TYPE_CHECKING:
    from analysis.scores import ItemScoring

#: the language of everything the scans package writes for people
LANG = "nl"
#: the instrument key of the HR-scan
HR_SCAN = "hr_scan"
#: closing items of the HR-scan, by key
THEMES_ITEM = "sprint_themas"  #: multiple choice of domain keys (stored as a JSON list)
QUESTION_ITEM = "hr_vraag"  #: the company's main HR question, open text
CONSENT_ITEM = "toestemming_delen"  #: "ja"/"nee": may its profile be shared with its sprint group
MUNICIPALITY_ITEM = "gemeente"  #: profile item, open text
CONSENT_YES = "ja"
NOT_ANSWERED = "niet beantwoord"


def item_scoring(definition: Definition) -> "list[ItemScoring]":
    """The scored items of the definition as the analysis package takes them (which loads pandas:
    the web app imports this module for `HR_SCAN` and the titles, and does not score)."""
    from analysis.scores import ItemScoring

    return [ItemScoring(**scored.as_dict()) for scored in scoring_spec(definition)]


def domain_titles(definition: Definition) -> dict[str, str]:
    """Domain key -> Dutch title, in the order of the definition."""
    return {
        domain["key"]: translate(domain.get("title"), LANG) or domain["key"]
        for domain in definition.get("domains") or []
    }


@dataclass(frozen=True)
class ItemWording:
    """How a scored item reads in Dutch: its text and the label of every stored answer."""

    text: str
    labels: Mapping[str, str]  #: stored value ("0".."4", "nvt") -> label, e.g. "1 – Ad hoc"

    def label(self, stored: str | None) -> str:
        """The label of a stored answer; "niet beantwoord" when there is none."""
        if stored is None:
            return NOT_ANSWERED
        return self.labels.get(stored, stored)


def item_wording(definition: Definition) -> dict[str, ItemWording]:
    """Scored item key -> its Dutch wording (as asked at intake), in questionnaire order."""
    index = item_index(definition)
    wording = {}
    for scored in scoring_spec(definition):
        leaf = index[scored.key]
        options = leaf_type(leaf).all_options(leaf, LANG)
        wording[scored.key] = ItemWording(text=item_text(leaf, LANG), labels=dict(options))
    return wording
