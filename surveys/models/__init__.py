"""The survey data model. Import models from here: `from surveys.models import Campaign`."""

from surveys.models.campaigns import (
    MODE_NL,
    AcceptsAnswers,
    Campaign,
    CampaignMode,
    CampaignStatus,
    Invitation,
    OutboxMail,
)
from surveys.models.instruments import Instrument, InstrumentVersion
from surveys.models.organisations import Organisation
from surveys.models.responses import Answer, Response, ResponseStatus

__all__ = [
    "MODE_NL",
    "AcceptsAnswers",
    "Answer",
    "Campaign",
    "CampaignMode",
    "CampaignStatus",
    "Instrument",
    "InstrumentVersion",
    "Invitation",
    "Organisation",
    "OutboxMail",
    "Response",
    "ResponseStatus",
]
