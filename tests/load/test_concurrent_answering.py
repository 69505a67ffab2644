"""A whole region answering at once: the real server (gunicorn, several worker processes) on the
database of this test run (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), 50 concurrent
respondents on personal links through the multi-page HR-scan for a bounded time, one worker killed
with SIGKILL in the middle. Every page the server acknowledged must be stored exactly once.
Loopback only; request count and time are bounded."""

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.demo.answers import fake_answers
from surveys.campaigns import (
    add_invitations,
    create_campaign,
    find_invitation,
    open_campaign,
    personal_link,
)
from surveys.db import db
from surveys.definition.loader import load_definition_file, shipped_instrument_files
from surveys.definition.publish import publish_definition
from surveys.definition.structure import sections
from surveys.invitees import Invitee
from surveys.models import Answer, Response
from tests.conftest import create_database, drop_database, make_app
from tests.smtp import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
RESPONDENTS = 50
DEADLINE_S = 75
SECRETS = {"SECRET_KEY": "load-test-secret", "PANEL_SECRET": "load-test-panel"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def database_url(postgres_server, tmp_path):
    if postgres_server is None:
        yield f"sqlite:///{tmp_path / 'load.sqlite'}"
        return
    url = create_database(postgres_server)
    yield url.render_as_string(hide_password=False)
    drop_database(url)


def _prepare(database_url: str) -> tuple[dict, list[str]]:
    """Schema, the HR-scan published, an open personal-link round with 50 invitations."""
    app = make_app(database_url, **SECRETS)
    with app.app_context():
        db.create_all()
        [path] = [p for p in shipped_instrument_files() if p.stem == "hr_scan"]
        version = publish_definition(load_definition_file(path)).version
        today = __import__("datetime").date.today()
        campaign = create_campaign(
            version, title="HR-scan load", year=today.year, wave=0, mode="personal",
            opens_on=today, closes_on=today.replace(year=today.year + 1),
        )  # fmt: skip
        open_campaign(campaign)
        people = [
            Invitee(i, f"r{i}@load.example", None, "werkgever", None) for i in range(RESPONDENTS)
        ]
        links = [personal_link(i).split("/s/")[1] for i in add_invitations(campaign, people)]
        db.session.commit()
        definition = version.definition
        db.engine.dispose()
    return definition, links


def _server(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ, **SECRETS, "DATABASE_URL": database_url, "MONITOR_RATE_LIMITS": "0",
        "PYTHONUNBUFFERED": "1",
    }  # fmt: skip
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "30", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=5)
            return process, base
        except (OSError, HTTPException):  # not up yet (refused, reset or slow to import)
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


class Respondent:
    """One person answering every page, retrying a page when the connection breaks."""

    def __init__(self, base, token, definition, seed, log):
        self.base, self.token, self.log = base, token, log
        jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )
        rng = random.Random(seed)
        stored = fake_answers(rng, definition, "werkgever", lambda _d: rng.random(), text_rate=0.5)
        self.pages = []
        for section in sections(definition):
            keys = [
                key
                for item in section["items"]
                for key in [
                    item["key"],
                    f"{item['key']}_other",
                    *(r["key"] for r in item.get("rows", [])),
                ]
                if key in stored
            ]
            self.pages.append({key: stored[key] for key in keys})

    def request(self, path, data=None):
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(f"{self.base}{path}", body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def run(self, deadline):
        url = f"/s/{self.token}"
        page = 0
        while page < len(self.pages) and time.monotonic() < deadline:
            try:
                status, html = self.request(f"{url}?p={page}")
                self.log.append(("GET", status))
                token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
                if status != 200 or token is None:
                    continue
                data = {"csrf_token": token.group(1), **self._form(self.pages[page])}
                data["nav"] = "submit" if page == len(self.pages) - 1 else "next"
                status, _ = self.request(f"{url}?p={page}", data)
                self.log.append(("POST", status))
                if status == 302:
                    self.acknowledged.append(self.pages[page])
                    page += 1
            except (OSError, HTTPException):
                self.log.append(("broken", 0))  # the worker died under us: try the page again
        return self

    @staticmethod
    def _form(values):
        return {
            key: json.loads(value) if value.startswith("[") else value
            for key, value in values.items()
        }

    acknowledged: list


def test_fifty_respondents_at_once_and_a_killed_worker_lose_no_acknowledged_page(
    database_url, tmp_path
):
    definition, tokens = _prepare(database_url)
    server, base = _server(database_url, tmp_path / "server.log")
    log: list = []
    respondents = []
    for i, token in enumerate(tokens):
        respondent = Respondent(base, token, definition, i, log)
        respondent.acknowledged = []
        respondents.append(respondent)
    deadline = time.monotonic() + DEADLINE_S
    threads = [threading.Thread(target=r.run, args=(deadline,)) for r in respondents]
    try:
        for thread in threads:
            thread.start()
        time.sleep(4)
        victim = _workers(server.pid)[0]
        os.kill(victim, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=DEADLINE_S + 40)
        status, _ = respondents[0].request("/healthz")
        assert status == 200  # the master replaced the killed worker
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    server_log = (tmp_path / "server.log").read_text()
    statuses = [status for _, status in log]
    errors = [line for line in server_log.splitlines() if "Error" in line or "error" in line]
    assert not [s for s in statuses if s >= 500], f"server errors under load: {errors[-15:]}"
    assert "database is locked" not in server_log
    assert sum(len(r.acknowledged) for r in respondents) >= RESPONDENTS * 3
    assert f"Worker (pid:{victim})" in server_log  # the kill really happened mid-load

    app = make_app(database_url, **SECRETS)
    with app.app_context():
        stored: dict[int, dict[str, str]] = {}
        for invitation_id, key, value in db.session.execute(
            select(Response.invitation_id, Answer.item_key, Answer.value).join(Answer)
        ):
            stored.setdefault(invitation_id, {})[key] = value
        invitation_of = {r.token: find_invitation(r.token).id for r in respondents}
        duplicates = db.session.scalar(
            select(func.count()).select_from(
                select(Answer.response_id, Answer.item_key)
                .group_by(Answer.response_id, Answer.item_key)
                .having(func.count() > 1)
                .subquery()
            )
        )
        responses = db.session.scalar(select(func.count()).select_from(Response))
        db.engine.dispose()
    assert duplicates == 0
    assert responses <= RESPONDENTS
    lost = [
        (respondent.token[:6], key)
        for respondent in respondents
        for page in respondent.acknowledged
        for key, value in page.items()
        if _same(stored.get(invitation_of[respondent.token], {}).get(key), value) is False
    ]
    assert lost == []


def _same(stored: str | None, sent: str) -> bool:
    """A stored value equals what was sent (a multiple choice in any order)."""
    if stored is None:
        return False
    if sent.startswith("["):
        return sorted(json.loads(stored)) == sorted(json.loads(sent))
    return stored == sent
