"""Forms of the coordinator console."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)


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


class CampaignForm(FlaskForm):
    version = SelectField("Vragenlijst (gepubliceerde versie)", coerce=int)
    title = StringField(
        "Titel", validators=[DataRequired("Geef de meting een titel."), Length(max=200)]
    )
    year = IntegerField(
        "Jaar",
        validators=[
            InputRequired("Vul een jaar in."),
            NumberRange(2000, 2100, "Kies een jaar tussen 2000 en 2100."),
        ],
    )
    wave = IntegerField(
        "Meting (0 = nulmeting, 1 = eerste vervolgmeting, ...)",
        default=0,
        validators=[InputRequired("Vul 0 of hoger in."), NumberRange(0, 50, "Vul 0 of hoger in.")],
    )
    opens_on = DateField("Open vanaf", validators=[InputRequired("Kies een begindatum.")])
    closes_on = DateField("Open tot en met", validators=[InputRequired("Kies een einddatum.")])
    mode = RadioField(
        "Manier van deelnemen", choices=MODES, validators=[InputRequired("Kies een manier.")]
    )
    groups = StringField(
        "Respondentgroepen (sleutels, met komma's; leeg = alle groepen)",
        validators=[Optional(), Length(max=300)],
    )
    slug = StringField(
        "Naam in de open link (leeg = automatisch)", validators=[Optional(), Length(max=80)]
    )

    def validate_closes_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")


class UploadForm(FlaskForm):
    file = FileField(
        "Genodigden (CSV met de kolommen email, name, respondent_group, organisation)",
        validators=[
            FileRequired("Kies een CSV-bestand."),
            FileAllowed(["csv", "txt"], "Alleen CSV-bestanden."),
        ],
    )


class ActionForm(FlaskForm):
    """An empty form: a button that changes state, protected by CSRF."""
