"""The survey data model. Import models from here: `from surveys.models import Campaign`."""

from surveys.models.campaigns import (
    AcceptsAnswers,
    Campaign,
    CampaignMode,
    CampaignStatus,
    Invitation,
    MODE_NL,
    OutboxMail,
)
from surveys.models.instruments import Instrument, InstrumentVersion
from surveys.models.organisations import Organisation
from surveys.models.responses import Answer, Response, ResponseStatus

__all__ = [
    "AcceptsAnswers",
    "Answer",
    "Campaign",
    "CampaignMode",
    "CampaignStatus",
    "Instrument",
    "InstrumentVersion",
    "Invitation",
    "MODE_NL",
    "Organisation",
    "OutboxMail",
    "Response",
    "ResponseStatus",
]
