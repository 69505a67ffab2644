"""The sprint pack on the demo's 2024 sprints: the PDF read back with pypdf (members present, a
company without consent absent, contents and page numbers), the score per member checked
against a computation from the stored answers, and a theme that is not an HR-scan domain."""

import json
import re

import pytest
from sqlalchemy import select

from monitor.audit import AuditEvent
from monitor.demo import DEMO_LOGINS, load_demo
from monitor.reports import context_json
from monitor.reports.sprint_pack import build_sprint_pack, render_sprint_pack
from scans.models import Sprint, SprintMember
from surveys.db import db
from surveys.definition import answer_items
from surveys.models import (
    Answer,
    Campaign,
    Instrument,
    InstrumentVersion,
    Organisation,
    Response,
    ResponseStatus,
)
from tests.conftest import login
from tests.pdf_helpers import page_texts

YEAR = 2024
K = 5


@pytest.fixture
def demo(app):
    load_demo(seed=2025)


def _sprint(theme_key: str | None = None) -> Sprint:
    """The first demo sprint of 2024 on `theme_key`, or on any HR-scan domain."""
    sprints = db.session.scalars(select(Sprint).where(Sprint.year == YEAR).order_by(Sprint.id))
    if theme_key is None:
        return next(s for s in sprints if s.theme.key != "intervisie")
    return next(s for s in sprints if s.theme.key == theme_key)


def _scan_answers(organisation_id: int) -> dict[str, str]:
    """The stored answers of the company's latest submitted HR-scan of YEAR."""
    response_id = db.session.scalar(
        select(Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(
            Instrument.key == "hr_scan",
            Campaign.year == YEAR,
            Response.organisation_id == organisation_id,
            Response.status == ResponseStatus.SUBMITTED,
        )
        .order_by(Response.id.desc())
    )
    if response_id is None:
        return {}
    return dict(
        db.session.execute(
            select(Answer.item_key, Answer.value).where(Answer.response_id == response_id)
        ).all()
    )


def _outsider() -> Organisation:
    """A company that scanned in YEAR, did not consent to share its profile and is in no sprint."""
    in_sprints = set(db.session.scalars(select(SprintMember.organisation_id)))
    for organisation in db.session.scalars(
        select(Organisation).where(Organisation.kind == "werkgever").order_by(Organisation.id)
    ):
        if organisation.id in in_sprints:
            continue
        if _scan_answers(organisation.id).get("toestemming_delen") == "nee":
            return organisation
    raise AssertionError("the demo has no company without consent")


def test_the_pack_shows_consenting_members_leaves_out_the_others_and_numbers_its_pages(
    app, client, demo
):
    sprint = _sprint()
    members = [m.organisation.name for m in sprint.members]
    topics = [s.topic for s in sprint.sessions]
    outsider = _outsider()
    db.session.add(SprintMember(sprint=sprint, organisation_id=outsider.id, reason="toegevoegd"))
    db.session.commit()
    login(client, *DEMO_LOGINS["coordinator"])

    response = client.get(f"/coordinator/sprints/{sprint.id}/sprintmap.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert (
        f"sprintmap-{YEAR}-{sprint.theme.key}-{sprint.id}.pdf"
        in (response.headers["Content-Disposition"])
    )
    pages = page_texts(response.data)
    text = "\n".join(pages)
    for name in members:
        assert name in text
    assert outsider.name not in text
    assert "1 bedrijf in de groep gaf (nog) geen toestemming" in " ".join(text.split())

    # page numbers in the footer of every page after the cover
    n = len(pages)
    assert "pagina" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"pagina {number} van {n}" in page
    # the contents name every member with the page its chapter starts on
    contents = pages[1]
    for name in [*members, "Sessieplan", "Aantekeningen"]:
        listed = re.search(rf"^{re.escape(name)} (\d+)$", contents, re.MULTILINE)
        assert listed, name
        assert pages[int(listed[1]) - 1].lstrip().startswith(name), name
    flowing = " ".join(text.split())
    assert all(topic in flowing for topic in topics)
    assert "Aantekeningen" in pages[-1]
    # the download is in the audit log, with identifiers and counts only
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.download"))
    assert (event.object_type, event.object_id) == ("sprint", str(sprint.id))
    assert event.detail == {"report": "sprint_pack", "format": "pdf", "members": len(members)}


def test_each_member_gets_its_score_on_the_theme_question_and_advice(app, demo):
    sprint = _sprint()
    theme = sprint.theme.key
    definition = db.session.scalars(
        select(InstrumentVersion.definition)
        .join(Instrument)
        .where(Instrument.key == "hr_scan")
        .order_by(InstrumentVersion.id)
    ).first()
    leaves = [leaf for leaf in answer_items(definition) if leaf.get("domain") == theme]
    share = definition.get("min_answered", 0.5)

    context = build_sprint_pack(sprint.id, K)

    assert json.loads(context_json(context))["sprint"]["id"] == sprint.id  # plain values only
    assert [m["name"] for m in context["members"]] == [m.organisation.name for m in sprint.members]
    for member in context["members"]:
        answers = _scan_answers(member["organisation_id"])
        # independent: the mean of the answered practices, "n.v.t." missing, reverse coded
        values = [
            4 - float(answers[leaf["key"]]) if leaf.get("reverse") else float(answers[leaf["key"]])
            for leaf in leaves
            if answers.get(leaf["key"], "").isdigit()
        ]
        expected = sum(values) / len(values) if len(values) >= share * len(leaves) else None
        assert member["theme"]["score"] == pytest.approx(expected), member["name"]
        assert member["hr_question"] == answers.get("hr_vraag")
        assert member["theme"]["strengths"] or member["theme"]["attention"]
        assert len(member["theme"]["practices"]) == len(leaves)
        assert member["chart"]["svg"].startswith("<svg")
    assert context["left_out"] == 0
    assert [s["number"] for s in context["sessions"]] == [1, 2, 3, 4, 5]


def test_an_intervision_group_gets_the_suggested_themes_and_names_print_literally(app, demo):
    sprint = _sprint("intervisie")
    payload = "Bedrijf <b>vet</b> & <script>x()</script> Zn"
    sprint.members[0].organisation.name = payload
    db.session.commit()

    context = build_sprint_pack(sprint.id, K)
    text = " ".join(page_texts(render_sprint_pack(context)))

    assert not context["sprint"]["theme_is_domain"]
    assert all(member["theme"] is None for member in context["members"])
    assert payload in text
    assert "is geen thema van de HR-scan" in " ".join(text.split())
    first = context["members"][0]["suggested_themes"][0]
    assert first["title"] in text


def test_the_pack_gives_the_reasons_of_the_group_as_it_is_now(app, demo):
    """A member is moved to another group after the proposal: every "zelfde sector (...) als N
    andere leden" in the pack counts the members that remain (recounted here from the register),
    and a koploper's reason does not repeat its role."""
    from scans.operations import save_proposal
    from scans.sprint_services import move_members, propose

    saved = save_proposal(propose(2025, themes=[], seed=1, k=5))
    db.session.commit()
    groups: dict[str, list[Sprint]] = {}
    for sprint in saved:
        groups.setdefault(sprint.theme.key, []).append(sprint)
    first, second = next(group for group in groups.values() if len(group) >= 2)[:2]
    mover = next(
        m
        for m in first.members
        if m.role != "koploper"
        and any(o.organisation.sector == m.organisation.sector for o in first.members if o is not m)
    )
    move_members(first.id, {mover.id: second.id})
    db.session.commit()
    sectors = {m.organisation_id: m.organisation.sector for m in first.members}
    context = build_sprint_pack(first.id)
    checked = 0
    for member in context["members"]:
        org = member["organisation_id"]
        same = sum(sectors[other] == sectors[org] for other in sectors if other != org)
        if same:
            words = "ander lid" if same == 1 else "andere leden"
            assert f"zelfde sector ({sectors[org]}) als {same} {words}" in member["reason"]
            checked += 1
        assert not member["reason"].startswith("koploper")
    assert checked  # the group has members sharing a sector: the counts were checked
    text = " ".join(" ".join(page_texts(render_sprint_pack(context))).split())
    assert "(koploper): koploper" not in text
