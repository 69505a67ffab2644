"""The object checks of every route: an employer of organisation A (and an anonymous visitor)
requests every rule of `app.url_map` with organisation B's ids, tokens and slugs in the URL.

The walker is generic: it reads the routes from the url map, so a route added later is walked
too. A URL parameter gets B's value by its name (campaign_id -> B's campaigns, organisation_id ->
B, token -> B's personal link token, slug -> B's campaign slugs, ...), else a column of that name
in a row that points to B, else a value by converter type. Every answer must be a refusal (403,
404, 405), a client error, or a redirect to the login or the visitor's own pages; a page that is
shown (200) must not contain any of B's names, identifiers, contact data or answers; nothing may
answer 500; nothing of B may change.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import g
from markupsafe import escape
from sqlalchemy import desc, select
from werkzeug.routing import IntegerConverter, PathConverter, Rule, UUIDConverter

from monitor.accounts import User
from monitor.demo import DEMO_LOGINS, load_demo
from surveys.campaigns import create_campaign, open_campaign, personal_link
from surveys.db import Base, db
from surveys.definition.loader import load_definition_file
from surveys.definition.publish import publish_definition
from surveys.models import Answer, Campaign, CampaignMode, CampaignStatus, Organisation, Response
from surveys.organisations import organisation_footprint
from surveys.responses import save_answers
from tests.conftest import login
from tests.surveys.test_organisations import fill_organisation

PROEF = Path(__file__).parent.parent / "data" / "instruments" / "proef.yaml"
TODAY = date.today()
#: answers only B gave (in B's HR-scan): if they show up anywhere, B's data leaked
B_ANSWERS = {"gemeente": "Geheimdorp-B-7f3a", "hr_vraag": "Geheime HR-vraag van B 7f3a"}
#: statuses that show nothing: refusals and client errors (closed campaign 410, bad form 400,
#: a questionnaire post that names no page it may save 409)
REFUSALS = {400, 401, 403, 404, 405, 409, 410, 422}
#: where a redirect may lead: the login page, the start page, the employer's own pages
OWN_PAGES = ("/login", "/employer/")


@dataclass
class World:
    """Organisation A (the employer's) and B (another one) with their data."""

    a: Organisation
    b: Organisation
    #: URL parameter name -> B's candidate values
    values: dict[str, list] = field(default_factory=dict)
    #: strings that belong to B only
    markers: list[str] = field(default_factory=list)


def _campaign(version, slug: str) -> Campaign:
    campaign = create_campaign(
        version, title=f"Meting {slug}", year=TODAY.year, wave=0, slug=slug,
        opens_on=TODAY - timedelta(days=10), closes_on=TODAY + timedelta(days=10),
        mode="personal",
    )  # fmt: skip
    open_campaign(campaign)
    return campaign


@pytest.fixture
def world(app) -> World:
    """The demo, with the latest HR-scan open again, B's answers in it marked, and a personal
    campaign per organisation with invitees, mails, an account and responses."""
    load_demo(seed=3)
    a = db.session.scalar(
        select(Organisation).join(User).where(User.email == DEMO_LOGINS["employer"][0])
    )
    b_scan = db.session.scalar(  # B: another employer, with a scan in the latest round
        select(Response)
        .join(Organisation)
        .join(Campaign)
        .where(
            Campaign.mode == CampaignMode.EMPLOYER,
            Organisation.kind == "werkgever",
            Organisation.id != a.id,
        )
        .order_by(desc(Campaign.year), Response.id)
    )
    scan_campaign = b_scan.campaign
    scan_campaign.status = CampaignStatus.OPEN
    scan_campaign.opens_on, scan_campaign.closes_on = TODAY - timedelta(days=10), TODAY
    b = db.session.get(Organisation, b_scan.organisation_id)
    save_answers(b_scan.id, B_ANSWERS)
    proef = publish_definition(load_definition_file(PROEF), commit=False).version
    fill_organisation(a, _campaign(proef, "meting-a"), "a")
    campaign_b = _campaign(proef, "meting-b")
    made = fill_organisation(b, campaign_b, "b")
    db.session.commit()
    b_responses = db.session.scalars(
        select(Response.id).where(Response.organisation_id == b.id).order_by(Response.id)
    ).all()
    token = urlsplit(personal_link(made["invitations"][0])).path.rsplit("/", 1)[-1]
    campaigns = [campaign_b, scan_campaign]
    values = {
        "organisation_id": [b.id], "org_id": [b.id], "org": [b.id], "organisation": [b.id],
        "campaign_id": [c.id for c in campaigns], "campaign": [c.id for c in campaigns],
        "slug": [c.slug for c in campaigns],
        "response_id": [b_scan.id, b_responses[-1]],
        "invitation_id": [i.id for i in made["invitations"]],
        "user_id": [made["account"].id], "account_id": [made["account"].id],
        "token": [token],
        "year": [scan_campaign.year],
        "kvk": [b.kvk_number], "kvk_number": [b.kvk_number],
        "filename": ["app.css"],
    }  # fmt: skip
    markers = [
        b.name, b.kvk_number, made["account"].email, token, *B_ANSWERS.values(),
        *(i.email for i in made["invitations"]), "Contact b",
    ]  # fmt: skip
    return World(a=a, b=b, values=values, markers=[m for m in markers if m])


def _value_for(world: World, name: str, converter) -> list:
    """B's candidate values for URL parameter `name`."""
    if name in world.values:
        return world.values[name]
    for table in Base.metadata.sorted_tables:  # a column of that name in a row pointing to B
        for fk in table.foreign_keys:
            if fk.column.table.name == "organisations" and name in table.c:
                found = db.session.scalar(
                    select(table.c[name]).where(fk.parent == world.b.id).limit(1)
                )
                if found is not None:
                    return [found]
    if isinstance(converter, IntegerConverter):
        return [world.b.id]
    if isinstance(converter, UUIDConverter):
        return ["00000000-0000-4000-8000-000000000000"]
    if isinstance(converter, PathConverter):
        return [world.b.kvk_number or str(world.b.id)]
    return world.values["token"]


def _urls(world: World, rule: Rule) -> list[str]:
    converters = getattr(rule, "_converters", {})
    names = sorted(rule.arguments)
    choices = [_value_for(world, name, converters.get(name)) for name in names]
    urls = []
    for combination in itertools.product(*choices):
        built = rule.build(dict(zip(names, combination, strict=True)), append_unknown=False)
        if built is not None:
            urls.append(built[1])
    return sorted(set(urls))


def _leaks(world: World, text: str, url: str) -> list[str]:
    """B's markers in `text`, except what the visitor put in the URL (it may be echoed)."""
    return [m for m in world.markers if m not in url and (m in text or str(escape(m)) in text)]


def _request(client, method: str, url: str):
    """The response, or what went wrong when the view raised (TESTING propagates errors)."""
    # requests share the test's app context: forget the user loaded by the previous request so
    # that this one is judged on the client's own session cookie, as in production
    g.pop("_login_user", None)
    try:
        return client.open(url, method=method, data={})
    except Exception as error:  # any exception is a 500 in production
        db.session.rollback()
        return f"server error ({type(error).__name__}: {error})"


def _judge(
    world: World, client, method: str, url: str, staff_area_refused: bool
) -> tuple[list[str], int]:
    """What is wrong with the answer to `method url` (empty: nothing), and its status."""
    response = _request(client, method, url)
    if isinstance(response, str):
        return [f"{method} {url}: {response}"], 500
    where = f"{method} {url} -> {response.status_code}"
    problems = []
    if response.status_code >= 500:
        return [f"{where}: server error"], response.status_code
    leaks = _leaks(world, response.get_data().decode(errors="replace"), url)
    if leaks:
        problems.append(f"{where}: shows B's {leaks}")
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response.headers["Location"])
        path = target.path
        own = path == "/" or path == urlsplit(url).path or path.startswith(OWN_PAGES)
        if not own and not path.startswith("/r/"):  # a new anonymous response is one's own
            problems.append(f"{where}: redirects to {path}, not to the login or own pages")
        leaks = _leaks(world, response.headers["Location"], url)
        if leaks:
            problems.append(f"{where}: redirects with B's {leaks}")
        followed = _request(client, "GET", f"{path}?{target.query}" if target.query else path)
        if isinstance(followed, str) or followed.status_code >= 500:
            problems.append(f"{where} -> {path}: server error")
        elif leaks := _leaks(world, followed.get_data().decode(errors="replace"), url):
            problems.append(f"{where} -> {path}: shows B's {leaks}")
    elif response.status_code not in REFUSALS and response.status_code not in (200, 201):
        problems.append(f"{where}: unexpected status")
    if (
        staff_area_refused
        and url.startswith("/coordinator")
        and response.status_code not in (403, 404, 405)
    ):
        problems.append(f"{where}: the coordinator console must refuse an employer")
    return problems, response.status_code


def _logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def _b_state(world: World) -> dict:
    return {
        "organisation": (world.b.name, world.b.kvk_number, world.b.municipality),
        "footprint": organisation_footprint(world.b.id),
        "answers": sorted(
            db.session.execute(
                select(Answer.response_id, Answer.item_key, Answer.value)
                .join(Response)
                .where(Response.organisation_id == world.b.id)
            ).all()
        ),
    }


def _walk(app, client, world: World, sign_in) -> tuple[list[str], dict[str, set[int]]]:
    """Request every rule with B's values, GET and every other method it allows. Returns the
    problems and the statuses seen per "METHOD endpoint"."""
    problems: list[str] = []
    statuses: dict[str, set[int]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for url in _urls(world, rule):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found, status = _judge(world, client, method, url, bool(sign_in))
                problems += found
                statuses.setdefault(f"{method} {rule.endpoint}", set()).add(status)
                if sign_in and not _logged_in(client):  # e.g. after POST /logout
                    sign_in()
    return problems, statuses


def test_no_route_gives_organisation_b_to_an_employer_of_a_or_a_stranger(app, world):
    employer = app.test_client()

    def sign_in() -> None:
        email, password = DEMO_LOGINS["employer"]
        assert login(employer, email, password).status_code == 302

    sign_in()
    before = _b_state(world)
    anonymous_problems, anonymous = _walk(app, app.test_client(), world, None)
    employer_problems, walked = _walk(app, employer, world, sign_in)
    db.session.expire_all()
    assert anonymous_problems == []
    assert employer_problems == []
    assert _b_state(world) == before, "a request changed organisation B's data"
    assert {e.split()[1] for e in walked} == {rule.endpoint for rule in app.url_map.iter_rules()}
    # the walks really ran as who they claim to be
    assert walked["GET console.organisation"] == {403} and walked["GET employer.home"] == {200}
    assert walked["POST console.delete_organisation_view"] == {403}
    assert walked["GET console.round_results"] == {403} == walked["GET console.round_results_csv"]
    assert anonymous["GET console.organisation"] == {302} == anonymous["GET employer.home"]
    # the results pages: an employer sees its own, never the monitor
    assert walked["GET employer.results"] == {200} and anonymous["GET employer.results"] == {302}
    assert walked["GET console.monitor_page"] == {403} == walked["GET console.monitor_latest"]


#: the results pages per role: (path, {role: status}); None is a visitor who is not logged in
RESULTS_PAGES = [
    ("/employer/results", {"employer": 200, "coordinator": 403, "admin": 403, None: 302}),
    ("/coordinator/monitor/{year}", {"employer": 403, "coordinator": 200, "admin": 200, None: 302}),
    ("/coordinator/monitor", {"employer": 403, "coordinator": 302, "admin": 302, None: 302}),
]


def test_results_pages_answer_each_role_as_its_own(app, world, tmp_path):
    """Employers reach only their own results page (which names only their organisation);
    coordinators and admins the monitor pages; a stranger is sent to the login."""
    app.config["REPORTS_DIR"] = str(tmp_path / "reports")
    clients = {None: app.test_client()}
    for role in ("employer", "coordinator", "admin"):
        clients[role] = app.test_client()
        assert login(clients[role], *DEMO_LOGINS[role]).status_code == 302
    seen = {}
    for path, statuses in RESULTS_PAGES:
        url = path.format(year=world.values["year"][0])
        for role in statuses:
            response = _request(clients[role], "GET", url)
            assert not isinstance(response, str), response
            seen[(url, role)] = response.status_code
            if role == "employer" and response.status_code == 200:
                assert _leaks(world, response.get_data(as_text=True), url) == []
                assert str(escape(world.a.name)) in response.get_data(as_text=True)
    expected = {
        (path.format(year=world.values["year"][0]), role): status
        for path, statuses in RESULTS_PAGES
        for role, status in statuses.items()
    }
    assert seen == expected


def test_the_walker_fills_parameters_with_b_values(app):
    """Guards the walker itself: B's values land in the URLs it requests, also for parameters
    it has never heard of."""
    a, b = Organisation(name="A BV"), Organisation(name="B BV", kvk_number="12345678")
    db.session.add_all([a, b])
    db.session.commit()
    world = World(a=a, b=b, values={"organisation_id": [b.id], "campaign_id": [7, 8]})
    world.values["token"] = ["b-token"]
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    assert _urls(world, rules["console.organisation"]) == [f"/coordinator/organisations/{b.id}"]
    assert _urls(world, rules["employer.scan"]) == ["/employer/scan/7", "/employer/scan/8"]
    assert _urls(world, rules["respond.personal"]) == ["/s/b-token"]
    unknown = Rule("/x/<int:mystery_id>/<name>/<path:rest>", endpoint="x")
    unknown.bind(app.url_map)
    assert _urls(world, unknown) == [f"/x/{b.id}/b-token/12345678"]
