"""A whole region answering at once: the real server (gunicorn, several worker processes) on the
database of this test run (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), 50 concurrent
respondents on personal links through the multi-page HR-scan for a bounded time, one worker killed
with SIGKILL in the middle. Every page the server acknowledged must be stored exactly once.
Loopback only; request count and time are bounded."""

import json
import os
import re
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import func, select

from bench._server import Server, prepare_survey
from bench.bench_answering import page_answers
from surveys.campaigns import find_invitation
from surveys.db import db
from surveys.models import Answer, Response
from tests.conftest import make_app

pytestmark = pytest.mark.slow
RESPONDENTS = 50
DEADLINE_S = 75


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Respondent:
    """One person answering every page, retrying a page when the connection breaks."""

    def __init__(self, base, token, definition, seed, log):
        self.base, self.token, self.log = base, token, log
        jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )
        self.pages = page_answers(definition, seed, text_rate=0.5)

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
    empty_database_url, tmp_path
):
    database_url = empty_database_url
    definition, tokens = prepare_survey(database_url, RESPONDENTS)
    env = {"DATABASE_URL": database_url, "MONITOR_RATE_LIMITS": "0"}
    server = Server("wsgi:app", workers=4, env=env, log=tmp_path / "server.log").start()
    server.wait_ready()
    base = f"http://127.0.0.1:{server.port}"
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
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=DEADLINE_S + 40)
        status, _ = respondents[0].request("/healthz")
        assert status == 200  # the master replaced the killed worker
    finally:
        server.stop()
    server_log = (tmp_path / "server.log").read_text()
    statuses = [status for _, status in log]
    errors = [line for line in server_log.splitlines() if "Error" in line or "error" in line]
    assert not [s for s in statuses if s >= 500], f"server errors under load: {errors[-15:]}"
    assert "database is locked" not in server_log
    assert sum(len(r.acknowledged) for r in respondents) >= RESPONDENTS * 3
    assert f"Worker (pid:{victim})" in server_log  # the kill really happened mid-load

    app = make_app(database_url)
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
