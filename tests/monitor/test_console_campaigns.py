import io
from datetime import date, timedelta

from sqlalchemy import func, select

from monitor.accounts import create_user
from monitor.audit import AuditEvent
from surveys.db import db
from surveys.models import Campaign, Invitation, OutboxMail
from tests.conftest import login

TODAY = date.today()


def _form(version, **overrides):
    data = {
        "version": str(version.id), "title": "Meting studenten", "year": str(TODAY.year),
        "wave": "0", "opens_on": (TODAY - timedelta(days=1)).isoformat(),
        "closes_on": (TODAY + timedelta(days=30)).isoformat(), "mode": "personal",
        "groups": "", "slug": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_coordinator_creates_opens_fills_invites_and_reminds(coordinator, version):
    response = coordinator.post("/coordinator/campaigns/new", data=_form(version))
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert campaign.respondent_groups == ["studenten", "docenten"] and campaign.status == "draft"
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/open")
    csv = b"email;groep\na@x.example;studenten\nb@x.example;docenten\n"
    upload = coordinator.post(
        f"/coordinator/campaigns/{campaign.id}/invitees",
        data={"file": (io.BytesIO(csv), "mensen.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/invite")
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 2
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/remind")
    page = coordinator.get(f"/coordinator/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Uitgenodigd: <strong>2</strong>" in page and "2 herinneringen verstuurd" in page
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"campaign.create", "campaign.open", "campaign.invite", "campaign.remind"} <= actions


def test_campaign_form_errors_stand_next_to_the_fields_and_keep_the_input(coordinator, version):
    data = _form(version, title="", closes_on="2000-01-01", groups="ouders")
    page = coordinator.post("/coordinator/campaigns/new", data=data).get_data(as_text=True)
    assert "Geef de meting een titel." in page
    assert "De einddatum ligt voor de begindatum." in page
    assert 'value="ouders"' in page
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0
    page = coordinator.post("/coordinator/campaigns/new", data=_form(version, groups="ouders"))
    assert "unknown respondent group(s) ouders" in page.get_data(as_text=True)


def test_campaign_form_speaks_dutch_where_wtforms_checks_the_input(coordinator, version):
    data = _form(version, year="twintig", opens_on="morgen")
    page = coordinator.post("/coordinator/campaigns/new", data=data).get_data(as_text=True)
    assert "Ongeldig getal." in page and "Ongeldige datum." in page
    assert "Not a valid" not in page
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_campaign_year_outside_the_years_of_a_round_is_refused_next_to_the_field(
    coordinator, version
):
    page = coordinator.post("/coordinator/campaigns/new", data=_form(version, year="2101"))
    assert "Kies een jaar tussen 2000 en 2100." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_a_bad_invitee_file_imports_nothing_and_shows_the_lines(coordinator, version):
    coordinator.post("/coordinator/campaigns/new", data=_form(version))
    campaign = db.session.scalar(select(Campaign))
    csv = b"email,respondent_group\ngood@x.example,studenten\nwrong,studenten\n"
    response = coordinator.post(
        f"/coordinator/campaigns/{campaign.id}/invitees",
        data={"file": (io.BytesIO(csv), "mensen.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "regel 3: &#39;wrong&#39; is geen geldig e-mailadres" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_state_changes_need_post_and_staff(client, version, organisation):
    create_user("e@x.example", "employer", "a long password", organisation.id)
    db.session.commit()
    login(client, "e@x.example", "a long password")
    assert client.get("/coordinator/").status_code == 403
    assert client.post("/coordinator/campaigns/new", data=_form(version)).status_code == 403
    assert client.get("/coordinator/campaigns/1/open").status_code == 405


def test_dashboard_shows_rates_by_group_the_trend_and_who_has_not_responded(coordinator, version):
    from datetime import UTC, datetime

    from surveys.models import Response, ResponseStatus

    coordinator.post("/coordinator/campaigns/new", data=_form(version))
    campaign = db.session.scalar(select(Campaign))
    coordinator.post(f"/coordinator/campaigns/{campaign.id}/open")
    csv = b"email,groep\na@x.example,studenten\nb@x.example,studenten\nc@x.example,docenten\n"
    coordinator.post(
        f"/coordinator/campaigns/{campaign.id}/invitees",
        data={"file": (io.BytesIO(csv), "mensen.csv")},
        content_type="multipart/form-data",
    )
    invitations = db.session.scalars(select(Invitation).order_by(Invitation.email)).all()
    for invitation, day in zip(invitations[:2], (3, 5), strict=True):
        db.session.add(Response(campaign_id=campaign.id, invitation_id=invitation.id,
                                respondent_group=invitation.respondent_group,
                                status=ResponseStatus.SUBMITTED,
                                submitted_at=datetime(2025, 3, day, 10, tzinfo=UTC)))  # fmt: skip
    db.session.commit()
    page = coordinator.get(f"/coordinator/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Respons per respondentgroep" in page  # the chart's title
    assert "<td>studenten</td><td>2</td><td>2</td><td>2</td><td>100%</td>" in page
    assert "<td>docenten</td><td>1</td><td>0</td><td>0</td><td>0%</td>" in page
    assert "Verstuurd per dag" in page  # a trend over 3 March to 5 March
    assert "Nog niet verstuurd (1)" in page
    assert "c@x.example" not in page  # who: admins only (tests/security/test_contact_data.py)


def test_submissions_per_day_fills_days_without_responses(version):
    from datetime import UTC, datetime

    from surveys.campaigns import create_campaign, submissions_per_day
    from surveys.models import Response, ResponseStatus

    campaign = create_campaign(
        version, title="T", year=2025, wave=0, opens_on=date(2025, 3, 1),
        closes_on=date(2025, 3, 31), mode="open",
    )  # fmt: skip
    for day in (3, 3, 6):
        db.session.add(Response(campaign=campaign, status=ResponseStatus.SUBMITTED,
                                submitted_at=datetime(2025, 3, day, 12, tzinfo=UTC)))  # fmt: skip
    db.session.commit()
    assert submissions_per_day(campaign) == [
        (date(2025, 3, 3), 2), (date(2025, 3, 4), 0), (date(2025, 3, 5), 0), (date(2025, 3, 6), 1),
    ]  # fmt: skip


def test_an_id_beyond_any_database_integer_is_a_404(coordinator):
    assert coordinator.get("/coordinator/campaigns/99999999999999999999999").status_code == 404
    assert coordinator.get("/coordinator/campaigns/2147483648").status_code == 404
