"""Shared pieces of the benchmarks that drive the real server: a database prepared like the load
test's (the HR-scan published, an open personal-link round with invitations), gunicorn started as
a child process, a minimal HTTP client and PostgreSQL scratch databases. Loopback only."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SECRETS = {"SECRET_KEY": "bench-secret-key", "PANEL_SECRET": "bench-panel-secret"}
#: the server of `python -m bench`'s PostgreSQL runs (trust authentication on loopback)
POSTGRES_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- PostgreSQL scratch databases ----------------------------------------------------------------


def _psycopg(url: str):
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql+psycopg")


def postgres_available() -> str | None:
    """None when the server of BENCH_POSTGRES_URL answers, else the reason it does not."""
    import sqlalchemy as sa

    engine = sa.create_engine(_psycopg(POSTGRES_SERVER), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure means: skip PostgreSQL
        return f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    finally:
        engine.dispose()
    return None


def create_postgres_database() -> str:
    """A new, empty database on the PostgreSQL server; returns its URL."""
    import sqlalchemy as sa

    server = _psycopg(POSTGRES_SERVER)
    name = f"monitor_bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


class PostgresCpu:
    """CPU time used by the PostgreSQL backends connected to one database (read from /proc, so
    only when the server runs on this machine and its processes are readable; else None)."""

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.engine = sa.create_engine(_psycopg(url), isolation_level="AUTOCOMMIT")
        self.query = sa.text(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )

    def seconds(self) -> float | None:
        with self.engine.connect() as conn:
            pids = conn.execute(self.query).scalars().all()
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.engine.dispose()


# --- the survey ----------------------------------------------------------------------------------


def prepare_survey(database_url: str, respondents: int) -> tuple[dict[str, Any], list[str]]:
    """Schema, the HR-scan published, an open personal-link round with `respondents` invitations.

    Returns the published definition and the personal tokens (the part after /s/)."""
    from monitor import create_app
    from surveys.campaigns import add_invitations, create_campaign, open_campaign, personal_link
    from surveys.db import db
    from surveys.definition.loader import load_definition_file, shipped_instrument_files
    from surveys.definition.publish import publish_definition
    from surveys.invitees import Invitee

    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "HUEY_IMMEDIATE": True} | SECRETS
    )
    with app.app_context():
        db.create_all()
        [path] = [p for p in shipped_instrument_files() if p.stem == "hr_scan"]
        version = publish_definition(load_definition_file(path)).version
        today = date.today()
        campaign = create_campaign(
            version, title="HR-scan benchmark", year=today.year, wave=0, mode="personal",
            opens_on=today, closes_on=today.replace(year=today.year + 1),
        )  # fmt: skip
        open_campaign(campaign)
        people = [
            Invitee(i, f"b{i}@bench.example", None, "werkgever", None) for i in range(respondents)
        ]
        tokens = [personal_link(i).split("/s/")[1] for i in add_invitations(campaign, people)]
        db.session.commit()
        definition = version.definition
        db.session.remove()
        db.engine.dispose()
    return definition, tokens


# --- gunicorn ------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the benchmark process dies (Linux), so that a
    killed benchmark leaves no server behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Server:
    """gunicorn serving `target` (e.g. "wsgi:app") with `workers` sync workers on a free port;
    `preload` imports the app once in the master before forking (faster boot, same serving)."""

    target: str
    workers: int
    env: dict[str, str]
    log: Path
    preload: bool = False
    #: seconds before gunicorn kills a busy worker (production: 120, docs/operations.md)
    timeout: int = 30
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        env = {**os.environ, **SECRETS, **self.env, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [str(gunicorn), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
             "--timeout", str(self.timeout), *(["--preload"] if self.preload else []), self.target],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_die_with_parent,
        )  # fmt: skip
        return self

    def wait_ready(self, path: str = "/healthz", timeout: float = 90) -> None:
        """Until every worker has booted (the log says so) and `path` answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.target} exited: {self.log.read_text()[-2000:]}")
            booted = self.log.read_text().count("Booting worker")
            try:
                if booted >= self.workers and request(self.port, "GET", path).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn {self.target} did not start: {self.log.read_text()[-2000:]}")

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the worker processes."""
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # the worker just exited
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return total / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        """Resident memory of one worker, on average (MB)."""
        sizes = []
        for pid in self.worker_pids():
            try:
                pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            except OSError:
                continue
            sizes.append(pages * os.sysconf("SC_PAGE_SIZE") / 2**20)
        return sum(sizes) / max(len(sizes), 1)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


# --- a minimal HTTP client -----------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def cookies(self) -> dict[str, str]:
        found = {}
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                found[key.strip()] = val.strip()
        return found


def build_request(
    port: int,
    method: str,
    path: str,
    form: bytes | None = None,
    cookies: dict[str, str] | None = None,
) -> bytes:
    """The bytes of one HTTP/1.1 request (Connection: close, as gunicorn's sync workers do)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if form is not None:
        lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(form)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (form or b"")


def send(port: int, raw: bytes, timeout: float = 30) -> bytes:
    """Send a prepared request on a new connection; the whole response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    """The status code of a raw response (0 when there is none)."""
    return int(response[9:12]) if response[:5] == b"HTTP/" and len(response) >= 12 else 0


def parse(response: bytes) -> Reply:
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(x.strip() for x in line.split(":", 1)) for line in lines[1:] if ":" in line]
    return Reply(status_of(response), headers, body)


def request(
    port: int,
    method: str,
    path: str,
    form: bytes | None = None,
    cookies: dict[str, str] | None = None,
) -> Reply:
    return parse(send(port, build_request(port, method, path, form, cookies)))
