"""A coordinator uploads a 100,000-line invitee list while respondents answer: the real server
(gunicorn, production's timeout) on the database of this test run (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set). The import must succeed in one request, and no respondent may get an
error or lose a page meanwhile: the list is read without a write lock and added in short
committed batches. Prints the figures docs/performance.md quotes. Loopback only."""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from http.client import HTTPException
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import func, select

from bench._server import Server, prepare_survey
from monitor.accounts import create_user
from surveys.campaigns import create_campaign, open_campaign
from surveys.db import db
from surveys.models import Campaign, Invitation
from tests.conftest import make_app
from tests.load.test_concurrent_answering import Respondent

pytestmark = pytest.mark.slow
LINES = 100_000
RESPONDENTS = 6  # threads, each answering one invitation after another
INVITATIONS = 300
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class TimedLog(list):
    """The respondents' log, each entry stamped with when it happened."""

    def append(self, entry) -> None:
        super().append((time.monotonic(), entry))

    def between(self, began: float, ended: float) -> list:
        return [entry for stamp, entry in self if began <= stamp <= ended]


def _prepare(database_url: str) -> tuple[dict, list[str], int]:
    definition, tokens = prepare_survey(database_url, INVITATIONS)
    app = make_app(database_url)
    with app.app_context():
        version = db.session.scalar(select(Campaign)).instrument_version
        today = date.today()
        campaign = create_campaign(
            version, title="Grote ronde", year=today.year, wave=1, mode="personal",
            opens_on=today, closes_on=today.replace(year=today.year + 1),
        )  # fmt: skip
        open_campaign(campaign)
        create_user("co@load.example", "coordinator", "a long password")
        db.session.commit()
        campaign_id = campaign.id
        db.session.remove()
        db.engine.dispose()
    return definition, tokens, campaign_id


def _upload(base: str, campaign_id: int, data: bytes) -> tuple[str, float]:
    """Log in as the coordinator and upload the list; the page it ends on and the seconds."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    token = _CSRF.search(opener.open(f"{base}/login").read().decode()).group(1)
    form = urllib.parse.urlencode(
        {"csrf_token": token, "email": "co@load.example", "password": "a long password"}
    )
    opener.open(f"{base}/login", form.encode())
    page = opener.open(f"{base}/coordinator/campaigns/{campaign_id}").read().decode()
    token = _CSRF.search(page).group(1)
    boundary = "----invitee-list"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lijst.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{base}/coordinator/campaigns/{campaign_id}/invitees",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    start = time.monotonic()
    try:
        with opener.open(request, timeout=300) as response:  # follows the redirect
            page = response.read().decode()
    except urllib.error.HTTPError as error:
        page = f"{error.code} {error.read().decode(errors='replace')}"
    except (OSError, HTTPException) as error:  # the worker was killed at gunicorn's timeout
        page = f"no answer: {error!r}"
    return page, time.monotonic() - start


def test_respondents_keep_answering_while_a_hundred_thousand_invitees_are_imported(
    empty_database_url, tmp_path
):
    database_url = empty_database_url
    definition, tokens, campaign_id = _prepare(database_url)
    people = "".join(f"p{i}@voorbeeld.example,Persoon {i},werkgever\n" for i in range(LINES))
    data = f"email,name,respondent_group\n{people}".encode()
    env = {"DATABASE_URL": database_url, "MONITOR_RATE_LIMITS": "0"}
    server = Server("wsgi:app", workers=3, env=env, log=tmp_path / "server.log", timeout=120)
    server.start().wait_ready()
    base = f"http://127.0.0.1:{server.port}"
    log, acknowledged = TimedLog(), TimedLog()
    stop = threading.Event()
    queue = iter(enumerate(tokens))
    lock = threading.Lock()

    def answer() -> None:
        while not stop.is_set():
            with lock:
                seed, token = next(queue, (None, None))
            if token is None:
                return
            respondent = Respondent(base, token, definition, seed, log)
            respondent.acknowledged = acknowledged
            respondent.run(time.monotonic() + 600)

    threads = [threading.Thread(target=answer) for _ in range(RESPONDENTS)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(3)
        began = time.monotonic()
        page, seconds = _upload(base, campaign_id, data)
        ended = time.monotonic()
        time.sleep(2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        server.stop()
    during = log.between(began, ended)
    saved = len(acknowledged.between(began, ended))
    errors = [status for _, (_, status) in log if status >= 500 or status == 0]
    server_log = (tmp_path / "server.log").read_text()
    print(
        f"\nimport of {LINES:,} lines: {seconds:.1f} s; during it respondents made "
        f"{len(during)} requests, saved {saved} pages, {len(errors)} errors; "
        f"{server_log.count('database is locked')} 'database is locked' in the server log; "
        f"the import ended on: {page[:80]!r}"
    )
    assert f"{LINES} genodigden toegevoegd" in page, page[:3000] + server_log[-3000:]
    assert errors == [], server_log[-3000:]
    assert "database is locked" not in server_log
    assert saved > 0  # respondents were served during the import, not only before and after
    app = make_app(database_url)
    with app.app_context():
        stored = db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.campaign_id == campaign_id)
        )
        db.engine.dispose()
    assert stored == LINES
