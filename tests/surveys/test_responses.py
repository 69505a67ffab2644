from datetime import date

from sqlalchemy import func, select

from surveys.campaigns import add_invitations, create_campaign
from surveys.db import db
from surveys.invitees import Invitee
from surveys.models import Answer, Response
from surveys.responses import (
    find_by_resume_token,
    move_to_page,
    response_for_employer,
    response_for_invitation,
    save_answers,
    save_page,
    start_open_response,
    stored_answers,
    submit,
)


def _campaign(version, mode="personal"):
    return create_campaign(
        version, title="T", year=2025, wave=0, opens_on=date(2025, 1, 1),
        closes_on=date(2025, 12, 31), mode=mode,
    )  # fmt: skip


def test_an_invitation_has_exactly_one_response(version):
    campaign = _campaign(version)
    [invitation] = add_invitations(campaign, [Invitee(2, "a@x.example", None, "docenten", None)])
    first = response_for_invitation(invitation)
    db.session.commit()
    assert response_for_invitation(invitation).id == first.id
    assert first.respondent_group == "docenten" and first.panel_key == invitation.panel_key


def test_colleagues_of_one_organisation_share_the_scan(version, organisation):
    campaign = _campaign(version, mode="employer")
    first = response_for_employer(campaign, organisation, "werkgever")
    db.session.commit()
    again = response_for_employer(campaign, organisation, "werkgever")
    assert again.id == first.id
    assert first.panel_key and len(first.panel_key) == 64


def test_saving_a_page_twice_keeps_one_row_per_item(version):
    response, _ = start_open_response(_campaign(version, "open"), "studenten", "nl")
    save_answers(response.id, {"a": "1", "b": "2"})
    save_answers(response.id, {"a": "3", "b": None, "c": "x"})
    db.session.commit()
    assert stored_answers(response.id) == {"a": "3", "c": "x"}
    count = db.session.scalar(select(func.count()).select_from(Answer))
    assert count == 2


def test_saving_with_what_is_stored_writes_only_changes_and_the_same_result(version):
    response, _ = start_open_response(_campaign(version, "open"), "studenten", "nl")
    save_answers(response.id, {"a": "1", "b": "2"})
    stored = stored_answers(response.id)
    save_answers(response.id, {"a": "1", "b": None, "c": "x", "d": None}, stored)
    db.session.commit()
    assert stored_answers(response.id) == {"a": "1", "c": "x"}


def test_moving_on_in_a_submitted_response_changes_nothing(version):
    response, _ = start_open_response(_campaign(version, "open"), "studenten", "nl")
    db.session.commit()
    assert move_to_page(response.id, 2, "en") is True
    submit(response.id)
    assert move_to_page(response.id, 0, "nl") is False
    db.session.commit()
    db.session.refresh(response)
    assert (response.current_page, response.language) == (2, "en")


def test_saving_a_page_moves_on_writes_the_changes_and_nothing_once_submitted(version):
    response, _ = start_open_response(_campaign(version, "open"), "studenten", "nl")
    save_answers(response.id, {"a": "1", "b": "2"})
    db.session.commit()
    stored = stored_answers(response.id)
    assert save_page(response.id, 2, "en", {"a": "1", "b": None, "c": "x", "d": None}, stored)
    db.session.commit()
    db.session.refresh(response)
    assert stored_answers(response.id) == {"a": "1", "c": "x"}
    assert (response.current_page, response.language) == (2, "en")

    submit(response.id)
    db.session.commit()
    late = save_page(response.id, 0, "nl", {"a": "9", "c": None}, stored_answers(response.id))
    db.session.commit()
    db.session.refresh(response)
    assert late is False and stored_answers(response.id) == {"a": "1", "c": "x"}
    assert (response.current_page, response.language) == (2, "en")


def test_resume_token_finds_the_open_response(version):
    response, token = start_open_response(_campaign(version, "open"), "studenten", "en")
    db.session.commit()
    assert find_by_resume_token(token).response.id == response.id
    assert find_by_resume_token(token + "x") is None
    assert response.resume_token_hash != token


def test_only_the_first_submit_counts(version):
    response, _ = start_open_response(_campaign(version, "open"), "studenten", "nl")
    db.session.commit()
    assert submit(response.id) is True
    db.session.refresh(response)
    first_time = response.submitted_at
    assert submit(response.id) is False
    db.session.refresh(response)
    assert first_time is not None and response.submitted_at == first_time
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
