"""Forms of the coordinator console, and what they share: `DutchForm`, the base of every console
form, the checks of a year, and the parsing of posted row ids."""

from collections.abc import Hashable, Mapping

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from surveys.campaigns import FIRST_DAY, LAST_DAY, TITLE_MAX, YEARS
from surveys.db import MAX_DB_INT
from surveys.models import Campaign
from surveys.textinput import PlainText, column_length

#: the respondent groups are typed as one line of keys; each is checked against the instrument
GROUPS_MAX = 300


def campaign_date(form, field) -> None:
    """A date a campaign can hold: from 2000 to 2100 (a later closing date has no retention
    date; 9999-12-31 plus two years does not exist)."""
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError("Kies een datum tussen 1 januari 2000 en 31 december 2100.")


def parse_id(text: str) -> int | None:
    """A row id posted as text, or None when the text is not one: ASCII digits only (a
    superscript "²" passes ``str.isdigit`` and then fails ``int``; an Arabic-Indic "٣" passes
    both), from 1 to the largest database integer (a larger one would overflow the query)."""
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_DB_INT else None


def optional_id(value: object) -> int | None:
    """The ``coerce`` of a select of rows: None for the empty option, else the row id;
    ValueError (the field's error, not a 500) for anything that is not one."""
    if value is None or value == "":
        return None
    parsed = parse_id(str(value))
    if parsed is None:
        raise ValueError(f"not a row id: {value!r}")
    return parsed


def errors_next_to_fields(
    form: FlaskForm,
    errors: Mapping[Hashable | None, str],
    names: Mapping[Hashable, str] | None = None,
) -> dict[Hashable | None, str]:
    """Put each message of a refused use case (a domain error's ``errors``: input -> message)
    next to its field of ``form``: the field named as the input, or as ``names`` maps it. The
    messages without a field are returned, for the page to show where they belong."""
    rest: dict[Hashable | None, str] = {}
    for key, message in errors.items():
        name = (names or {}).get(key, key)
        if isinstance(name, str) and name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            rest[key] = message
    return rest


#: a year of a round, a proposal or a report (surveys.campaigns.YEARS), with its Dutch message
YEAR_RANGE = NumberRange(YEARS[0], YEARS[-1], f"Kies een jaar tussen {YEARS[0]} en {YEARS[-1]}.")


class DutchForm(FlaskForm):
    """A form whose built-in messages ("Ongeldige datum.") are Dutch, from WTForms' own
    translations (Flask-WTF would only translate them through Flask-Babel). Every console form
    derives from it, so no English message reaches a coordinator."""

    class Meta:
        locales = ("nl",)

        def get_translations(self, form):
            return DefaultMeta.get_translations(self, form)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select, radio buttons or check boxes."""
    return [SelectChoice(value, label) for value, label in pairs]


MODES = choices(
    [
        ("personal", "Persoonlijke links (uitnodiging per e-mail)"),
        ("open", "Open link (anoniem)"),
        ("employer", "Werkgeversaccounts (HR-scan)"),
    ]
)


class CampaignForm(DutchForm):
    version = SelectField("Vragenlijst (gepubliceerde versie)", coerce=int)
    title = StringField(
        "Titel", validators=[DataRequired("Geef de meting een titel."), PlainText(TITLE_MAX)]
    )
    year = IntegerField(
        "Jaar",
        validators=[InputRequired("Vul een jaar in."), YEAR_RANGE],
    )
    wave = IntegerField(
        "Meting (0 = nulmeting, 1 = eerste vervolgmeting, ...)",
        default=0,
        validators=[InputRequired("Vul 0 of hoger in."), NumberRange(0, 50, "Vul 0 of hoger in.")],
    )
    opens_on = DateField(
        "Open vanaf", validators=[InputRequired("Kies een begindatum."), campaign_date]
    )
    closes_on = DateField(
        "Open tot en met", validators=[InputRequired("Kies een einddatum."), campaign_date]
    )
    mode = RadioField(
        "Manier van deelnemen", choices=MODES, validators=[InputRequired("Kies een manier.")]
    )
    groups = StringField(
        "Respondentgroepen (sleutels, met komma's; leeg = alle groepen)",
        validators=[Optional(), PlainText(GROUPS_MAX)],
    )
    slug = StringField(
        "Naam in de open link (leeg = automatisch)",
        validators=[Optional(), PlainText(column_length(Campaign.slug))],
    )

    def validate_closes_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")


class UploadForm(DutchForm):
    file = FileField(
        "Genodigden (CSV met de kolommen email, name, respondent_group, organisation)",
        validators=[
            FileRequired("Kies een CSV-bestand."),
            FileAllowed(["csv", "txt"], "Alleen CSV-bestanden."),
        ],
    )


class ActionForm(DutchForm):
    """An empty form: a button that changes state, protected by CSRF."""
