"""Forms of the sprint pages of the coordinator console (monitor/console/sprints.py).

The forms parse what is posted into plain values (dates, numbers, row ids) with Dutch messages
next to the fields. Rules that need the database (a theme key that is taken, a company already
in the other group) are the services' (``scans.sprint_services``); the view puts their
``SprintError`` next to the field concerned as well.
"""

from __future__ import annotations

from datetime import date, timedelta

from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from monitor.console.forms import YEAR_RANGE, DutchForm, campaign_date, optional_id, parse_id
from scans.models import SESSIONS_PER_SPRINT, Sprint, SprintMember, SprintSession, SprintTheme
from surveys.definition.fields import MultiCheckboxField
from surveys.textinput import PlainText, column_length

#: the select of the move form, one per member: naar-<member id> = the target sprint's id
MOVE_FIELD = "naar-{}"
#: how long the sprint evaluation stays open by default
EVALUATION_DAYS = 21


class ThemeForm(DutchForm):
    """A new sprint theme: an HR-scan domain, or a theme of the coordinator's own."""

    domain = SelectField("HR-scan-domein", validate_choice=False)
    key = StringField(
        "Sleutel van een eigen thema (kleine letters, cijfers en _; alleen zonder domein)",
        validators=[
            Optional(),
            PlainText(column_length(SprintTheme.key)),
            Regexp(
                r"^[a-z][a-z0-9_]*$",
                message="Gebruik kleine letters, cijfers en _, en begin met een letter.",
            ),
        ],
    )
    title = StringField(
        "Titel (leeg bij een domein: de titel van het domein)",
        validators=[Optional(), PlainText(column_length(SprintTheme.title))],
    )


class ProposalFields(DutchForm):
    """Which year and themes to propose groups for, and the variant."""

    year = IntegerField(
        "Jaar van de HR-scans", validators=[InputRequired("Vul een jaar in."), YEAR_RANGE]
    )
    themes = MultiCheckboxField(
        "Thema's (niets aangevinkt: alle thema's hieronder)", coerce=str, validate_choice=False
    )
    seed = IntegerField(
        "Variant (een ander nummer geeft een andere, even goede indeling)",
        default=0,
        validators=[Optional(), NumberRange(0, 9999, "Kies een variant van 0 tot en met 9999.")],
    )


class ProposeForm(ProposalFields):
    """The choice as a GET form: making a proposal changes nothing."""

    class Meta(DutchForm.Meta):
        csrf = False


class SaveProposalForm(ProposalFields):
    """The same choice, posted (with its CSRF token) to store the proposal it gives."""


class SessionForm(DutchForm):
    """A dagdeel of a fixed sprint."""

    number = SelectField(
        "Dagdeel",
        coerce=int,
        choices=[SelectChoice(n, f"Dagdeel {n}") for n in range(1, SESSIONS_PER_SPRINT + 1)],
    )
    held_on = DateField("Datum", validators=[InputRequired("Kies de datum van het dagdeel.")])
    topic = StringField(
        "Onderwerp",
        validators=[
            DataRequired("Vul het onderwerp van het dagdeel in."),
            PlainText(column_length(SprintSession.topic)),
        ],
    )


class EvaluationBase(DutchForm):
    """Send the sprint evaluation; `evaluation_form` adds a contact field per company without
    an employer account."""

    closes_on = DateField(
        "Open tot en met",
        validators=[InputRequired("Kies tot wanneer de evaluatie open is."), campaign_date],
    )

    def validate_closes_on(self, field) -> None:
        if field.data and field.data < date.today():
            raise ValidationError("Deze datum ligt in het verleden.")


def contact_field_name(organisation_id: int) -> str:
    return f"contact_{organisation_id}"


def evaluation_form(contacts: dict[int, str], **kwargs) -> EvaluationBase:
    """The evaluation form with an e-mail field for each company in `contacts` (id -> name)."""

    class EvaluationForm(EvaluationBase):
        pass

    for organisation_id, name in contacts.items():
        setattr(
            EvaluationForm,
            contact_field_name(organisation_id),
            EmailField(
                f"E-mailadres van een contactpersoon bij {name}",
                validators=[Optional(), Length(max=254, message="Dit adres is te lang.")],
            ),
        )
    kwargs.setdefault("closes_on", date.today() + timedelta(days=EVALUATION_DAYS))
    return EvaluationForm(**kwargs)


class MoveBase(DutchForm):
    """Move companies of a proposed sprint; `move_form` adds a select per member."""

    def moves(self) -> dict[int, int]:
        """Member id -> the id of the sprint it goes to, for the members that move."""
        return {
            int(field.name.removeprefix(MOVE_FIELD.format(""))): field.data
            for field in self
            if field.name.startswith(MOVE_FIELD.format("")) and field.data is not None
        }


def move_form(members: list[SprintMember], others: list[Sprint], **kwargs) -> MoveBase:
    """The move form: per member a select of the other proposed sprints of the year (named
    ``naar-<member id>``, empty: it stays). A posted id is not checked against the list here:
    the service says why a group cannot take the company."""

    class MoveForm(MoveBase):
        pass

    options = [
        ("", "blijft in deze groep"),
        *((other.id, f"naar {other.title} ({len(other.members)} bedrijven)") for other in others),
    ]
    for member in members:
        setattr(
            MoveForm,
            MOVE_FIELD.format(member.id),
            SelectField(
                member.organisation.name,
                coerce=optional_id,
                choices=[SelectChoice(value, label) for value, label in options],
                validate_choice=False,
                invalid_value_message="Kies een groep uit de lijst.",
            ),
        )
    return MoveForm(**kwargs)


def session_member(value: object) -> tuple[int, int]:
    """A check box of the attendance grid, "<session id>:<organisation id>", as a pair of ids."""
    session, _, organisation = str(value).partition(":")
    pair = parse_id(session), parse_id(organisation)
    if pair[0] is None or pair[1] is None:
        raise ValueError(f"not a session and organisation: {value!r}")
    return pair


class AttendanceForm(DutchForm):
    """Who was at which held dagdeel: a check box per member and held session (the page draws
    the grid), valued "<session id>:<organisation id>"."""

    aanwezig = SelectMultipleField(
        "Aanwezig",
        coerce=session_member,
        validate_choice=False,
        invalid_value_message="Vink alleen vakjes in het rooster aan.",
    )

    @staticmethod
    def box(session_id: int, organisation_id: int) -> str:
        """The value of the check box of a member at a session."""
        return f"{session_id}:{organisation_id}"

    def present(self) -> set[tuple[int, int]]:
        """The ticked (session id, organisation id) pairs."""
        return set(self.aanwezig.data or [])
