"""Console page for data exports: a campaign's answers as CSV (zip with codebook), XLSX or SPSS.

Coordinators and admins export; contact data (names, e-mail addresses, organisation names) only
admins, on request (the rule of `monitor.contacts`). Every export is recorded in the audit log,
without its content.
"""

from io import BytesIO

from flask import abort, render_template, send_file
from wtforms import BooleanField, RadioField
from wtforms.validators import InputRequired

from monitor import audit
from monitor.accounts import Role
from monitor.console.blueprint import bp
from monitor.console.forms import DutchForm, choices
from monitor.contacts import may_see_contacts
from monitor.roles import role_required
from surveys.campaigns import response_counts
from surveys.db import db
from surveys.exports.table import load_table
from surveys.exports.writers import download
from surveys.models import Campaign

FORMAT_CHOICES = choices(
    [
        ("csv", "CSV: een zip met de data en het codebook (codebook.csv)"),
        ("xlsx", "Excel (XLSX): de data en het codebook op een tweede blad"),
        ("sav", "SPSS (.sav): met variabele- en waardelabels en de ontbrekende codes 98/99"),
    ]
)


class ExportForm(DutchForm):
    format = RadioField(
        "Bestandsformaat",
        choices=FORMAT_CHOICES,
        default="csv",
        validators=[InputRequired("Kies een bestandsformaat.")],
    )
    with_contacts = BooleanField(
        "Met contactgegevens (namen en e-mailadressen van genodigden, namen van organisaties)"
    )


@bp.route("/campaigns/<int:campaign_id>/export", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.COORDINATOR)
def export(campaign_id: int):
    campaign = db.get_or_404(Campaign, campaign_id)
    form = ExportForm()
    may_add_contacts = may_see_contacts()
    if form.validate_on_submit():
        fmt, with_contacts = form.format.data, bool(form.with_contacts.data)
        if with_contacts and not may_add_contacts:
            audit.record("export.refused", "campaign", campaign.id, format=fmt, with_contacts=True)
            db.session.commit()
            abort(403)
        file = download(load_table(campaign.id, with_contacts=with_contacts), fmt)
        audit.record(
            "export",
            "campaign",
            campaign.id,
            format=fmt,
            with_contacts=with_contacts,
            via="console",
        )
        db.session.commit()
        response = send_file(
            BytesIO(file.data),
            mimetype=file.mimetype,
            as_attachment=True,
            download_name=file.filename,
        )
        response.headers["Cache-Control"] = "no-store"
        return response
    return render_template(
        "console/export.html",
        campaign=campaign,
        form=form,
        may_add_contacts=may_add_contacts,
        submitted=response_counts(campaign)["submitted"],
    ), (422 if form.errors else 200)
