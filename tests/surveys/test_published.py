"""The per-process cache of published versions used by the respondent pages."""

from datetime import date

import pytest

from surveys.campaigns import create_campaign
from surveys.definition.publish import publish_definition
from surveys.published import campaign_forms
from tests.surveys.test_definition_example import example_definition, find_item


def _campaign(version):
    return create_campaign(
        version, title="T", year=2025, wave=0, opens_on=date(2025, 1, 1),
        closes_on=date(2025, 12, 31), mode="open",
    )  # fmt: skip


def test_each_campaign_gets_the_definition_of_its_own_version_read_once(app):
    first = publish_definition(example_definition()).version
    changed = example_definition()
    find_item(changed, "sector")["text"] = {"nl": "Sector (nieuw)", "en": "Sector (new)"}
    second = publish_definition(changed).version
    old, new = _campaign(first), _campaign(second)

    assert campaign_forms(old).definition == first.definition
    assert campaign_forms(new).definition == second.definition
    assert campaign_forms(old) is campaign_forms(old)


def test_a_version_id_with_another_content_is_another_entry(app):
    version = publish_definition(example_definition()).version
    campaign = _campaign(version)
    campaign_forms(campaign)
    campaign.version_hash = "f" * 64  # as if another database had reused the id

    with pytest.raises(LookupError):
        campaign_forms(campaign)
