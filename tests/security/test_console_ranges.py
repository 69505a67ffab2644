"""Numbers and dates in console forms beyond what the application can hold: a 30-digit year, a
closing date whose retention date (two years later) does not exist. Each is a 4xx with a Dutch
message, never a 500 (finding 7 of the security review)."""

from datetime import date

import pytest

from surveys.campaigns import CampaignError, create_campaign
from surveys.db import db
from surveys.models import Campaign
from tests.security.conftest import call, server_error, sign_in


def test_a_thirty_digit_year_for_the_report_build_is_a_client_error(client, small_site):
    sign_in(client, "coordinator")

    response = call(client, "POST", "/coordinator/reports/build", data={"year": "9" * 30})

    assert server_error(response) is None, server_error(response)
    assert response.status_code == 400
    assert "Kies een jaar" in response.get_data(as_text=True)


@pytest.mark.parametrize("closes_on", ["9999-12-31", "2101-01-01"])
def test_a_closing_date_beyond_2100_is_refused_at_its_field(client, small_site, closes_on):
    sign_in(client, "coordinator")
    campaign = db.session.get(Campaign, small_site.values["campaign_id"][0])
    form = {
        "version": str(campaign.instrument_version_id), "title": "Ver weg", "year": "2026",
        "wave": "0", "opens_on": "2026-01-01", "closes_on": closes_on, "mode": "open",
    }  # fmt: skip

    response = call(client, "POST", "/coordinator/campaigns/new", data=form)

    assert server_error(response) is None, server_error(response)
    assert response.status_code == 422
    assert "Kies een datum tussen 1 januari 2000 en 31 december 2100." in response.get_data(
        as_text=True
    )


def test_the_campaign_service_refuses_a_closing_date_without_a_retention_date(small_site):
    version = db.session.get(Campaign, small_site.values["campaign_id"][0]).instrument_version

    with pytest.raises(CampaignError, match="2100"):
        create_campaign(
            version, title="Ver weg", year=2026, wave=0, mode="open",
            opens_on=date(2026, 1, 1), closes_on=date(9999, 12, 31),
        )  # fmt: skip


def test_the_cli_refuses_a_closing_date_without_a_retention_date(runner, small_site):
    version = db.session.get(Campaign, small_site.values["campaign_id"][0]).instrument_version
    result = runner.invoke(
        args=[
            "campaigns", "create", "--instrument", version.instrument.key,
            "--version", str(version.number), "--title", "Ver weg", "--year", "2026",
            "--opens", "2026-01-01", "--closes", "9999-12-31", "--mode", "open",
        ]
    )  # fmt: skip

    assert result.exit_code != 0
    assert "2100" in result.output
    assert not isinstance(result.exception, OverflowError)
