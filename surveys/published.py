"""Published instrument versions as the respondent pages use them, read once per process.

A published version never changes (`InstrumentVersion` refuses updates and nothing else writes
the table; a change is published as a new version), so its definition is read and decoded once per
process and kept with its page forms (`PageForms`: the item index behind conditions and the form
class of each page). The key is the version's id with its content hash, so a database that reuses
an id (a test database, a demo loaded again) never gets another version's definition. What is
kept is questionnaire text only: no answers, no personal data.
"""

from functools import lru_cache

from sqlalchemy import select

from surveys.db import db
from surveys.definition.forms import PageForms
from surveys.models import Campaign, InstrumentVersion


def campaign_forms(campaign: Campaign) -> PageForms:
    """The definition and page forms of the version `campaign` is pinned to."""
    return _page_forms(campaign.instrument_version_id, campaign.version_hash)


@lru_cache(maxsize=64)
def _page_forms(version_id: int, content_hash: str) -> PageForms:
    definition = db.session.scalar(
        select(InstrumentVersion.definition).where(
            InstrumentVersion.id == version_id, InstrumentVersion.content_hash == content_hash
        )
    )
    if definition is None:
        raise LookupError(f"no instrument version {version_id} with hash {content_hash[:12]}")
    return PageForms(definition)
