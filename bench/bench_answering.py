"""Answering under load: the real server (gunicorn, sync workers) on SQLite and on PostgreSQL,
respondents on personal links saving a page of the HR-scan, as a ratio to a bare Flask endpoint
that inserts one row, served by the same gunicorn configuration on the same database, measured in
the same run with the rounds interleaved (the machine is shared and noisy).

- **page submit**: POST of the HR-scan's biggest page (CSRF check, form validation, the answers
  upserted, the response moved on, commit, a redirect), each client saving the same page of its
  own response again and again, alternating between two sets of answers so every save changes them.
- **bare insert**: `bare_app()` below, a tiny Flask app with one table and one POST route that
  inserts one row (SQLAlchemy Core, the same database URL, the same SQLite pragmas and BEGIN
  IMMEDIATE as the application).
- **full page**: GET + POST of that page, as a respondent does it: pages per second and the
  latency of each request (median and p99).

Goal: page submit at least 0.5 x the bare insert. Also printed: the CPU per request of the
gunicorn workers and of the PostgreSQL backends (from /proc; steadier than rates on a busy
machine), the load generator's CPU and the workers' memory.

`python -m bench.bench_answering` (also run by `python -m bench`): 4 workers, 16 clients, SQLite
and PostgreSQL, a few minutes. `--quick`: SQLite only, 2 workers started with --preload, 8
clients, ~20 s. `--postgres`: the PostgreSQL part of the full run only. PostgreSQL:
BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres), skipped with the
reason when it does not answer.
Loopback only; every run has a fixed number of requests.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import _server
from bench._server import Server, build_request, send, status_of
from monitor.config import engine_url

BARE_TABLE = "bench_rows"
GROUP = "werkgever"


@dataclass(frozen=True)
class Size:
    workers: int
    clients: int
    rounds: int
    page_requests: int  # page submits per round
    bare_requests: int  # bare inserts per round
    full_pages: int  # GET + POST pairs per round
    full_rounds: int
    preload: bool  # gunicorn --preload: boots faster; serving is the same
    postgres: bool


FULL = Size(workers=4, clients=16, rounds=8, page_requests=250, bare_requests=500,
            full_pages=200, full_rounds=3, preload=False, postgres=True)  # fmt: skip
QUICK = Size(workers=2, clients=8, rounds=3, page_requests=40, bare_requests=80,
             full_pages=40, full_rounds=1, preload=True, postgres=False)  # fmt: skip


# --- the baseline: a bare Flask endpoint that inserts one row ------------------------------------


def _bare_engine(url: str):
    import sqlite3

    import sqlalchemy as sa

    engine = sa.create_engine(engine_url(url))
    if engine.dialect.name == "sqlite":  # what surveys/db.py does for the application

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()
            dbapi_connection.isolation_level = None

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _bare_table():
    import sqlalchemy as sa

    metadata = sa.MetaData()
    return sa.Table(
        BARE_TABLE,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def bare_app():
    """The baseline WSGI app: `gunicorn 'bench.bench_answering:bare_app()'` with DATABASE_URL."""
    from datetime import UTC, datetime

    from flask import Flask, request

    engine = _bare_engine(os.environ["DATABASE_URL"])
    table = _bare_table()
    app = Flask(__name__)

    @app.post("/rows")
    def insert_row():
        with engine.begin() as conn:
            conn.execute(
                table.insert().values(value=request.form["value"], created_at=datetime.now(UTC))
            )
        return "", 204

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app


def create_bare_table(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(engine_url(url))  # (surveys.db's listeners apply in this process)
    _bare_table().create(engine, checkfirst=True)
    engine.dispose()


# --- the load ------------------------------------------------------------------------------------


@dataclass
class Run:
    """One timed run: `units` sequences of requests by `clients` concurrent clients."""

    seconds: float
    units: int
    requests: int
    latencies: list[list[float]]  # per position in the unit, seconds
    unit_latencies: list[float]
    unexpected: dict[int, int] = field(default_factory=dict)  # status -> count
    client_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.units / self.seconds


def drive(port: int, scripts: list[list[list[bytes]]], expected: list[int], units: int) -> Run:
    """Each client i cycles through `scripts[i]` (a list of units; a unit is a list of prepared
    requests sent one after the other) until `units` units have been done by all together."""
    tickets = itertools.count()
    lock = threading.Lock()
    positions = len(expected)
    latencies: list[list[float]] = [[] for _ in range(positions)]
    unit_latencies: list[float] = []
    unexpected: dict[int, int] = {}
    start = threading.Barrier(len(scripts) + 1)

    def client(script: list[list[bytes]]) -> None:
        mine: list[list[float]] = [[] for _ in range(positions)]
        mine_units: list[float] = []
        bad: dict[int, int] = {}
        cycle = itertools.cycle(script)
        start.wait()
        while next(tickets) < units:
            unit = next(cycle)
            unit_started = time.perf_counter()
            for i, raw in enumerate(unit):
                started = time.perf_counter()
                try:
                    status = status_of(send(port, raw))
                except OSError:
                    status = 0
                mine[i].append(time.perf_counter() - started)
                if status != expected[i]:
                    bad[status] = bad.get(status, 0) + 1
            mine_units.append(time.perf_counter() - unit_started)
        with lock:
            for i in range(positions):
                latencies[i].extend(mine[i])
            unit_latencies.extend(mine_units)
            for status, count in bad.items():
                unexpected[status] = unexpected.get(status, 0) + count

    threads = [threading.Thread(target=client, args=(s,)) for s in scripts]
    for thread in threads:
        thread.start()
    cpu_started = time.process_time()
    started = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return Run(seconds, units, units * positions, latencies, unit_latencies, unexpected, cpu)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


# --- respondents ---------------------------------------------------------------------------------


def page_answers(
    definition: dict[str, Any], seed: int, text_rate: float = 1.0
) -> list[dict[str, str]]:
    """Answers of one fictitious employer, per page (also the load test's). By default every text
    is answered (a required short text left empty would fail validation)."""
    from monitor.demo.answers import fake_answers
    from surveys.definition.structure import sections_for_group

    rng = random.Random(seed)
    stored = fake_answers(rng, definition, GROUP, lambda _d: rng.random(), text_rate=text_rate)
    pages = []
    for section in sections_for_group(definition, GROUP):
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
        pages.append({key: stored[key] for key in keys})
    return pages


def biggest_page(definition: dict[str, Any]) -> int:
    """The page with the most questions (matrix rows counted), not the last one (that submits)."""
    from surveys.definition.structure import sections_for_group

    pages = sections_for_group(definition, GROUP)[:-1]
    sizes = [sum(1 + len(item.get("rows", [])) for item in page["items"]) for page in pages]
    return sizes.index(max(sizes))


def form_body(values: dict[str, str], csrf: str, nav: str = "next") -> bytes:
    fields = {
        key: json.loads(value) if value.startswith("[") else value for key, value in values.items()
    }
    return urllib.parse.urlencode({"csrf_token": csrf, **fields, "nav": nav}, doseq=True).encode()


@dataclass
class Respondent:
    """A client's respondent, walked to the measured page, with its prepared requests."""

    post: list[bytes]  # the page saved with answer set A, then B
    get: bytes


def ready_respondent(
    port: int, token: str, definition: dict[str, Any], seed: int, page: int
) -> Respondent:
    path = f"/s/{token}"
    first = _server.request(port, "GET", f"{path}?p=0")
    cookies = first.cookies()
    match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', first.body)
    if first.status != 200 or match is None or not cookies:
        raise RuntimeError(f"respondent page: HTTP {first.status}, no CSRF token or cookie")
    csrf = match.group(1).decode()
    answers_a, answers_b = page_answers(definition, seed), page_answers(definition, seed + 10_000)
    for p in range(page + 1):  # save every page up to the measured one, as a respondent would
        reply = _server.request(
            port, "POST", f"{path}?p={p}", form_body(answers_a[p], csrf), cookies
        )
        if reply.status != 302:
            errors = re.findall(rb'class="[^"]*error[^"]*"[^>]*>\s*([^<]+)', reply.body)
            raise RuntimeError(f"saving page {p} answered HTTP {reply.status}: {errors[:3]}")
    target = f"{path}?p={page}"
    return Respondent(
        post=[
            build_request(port, "POST", target, form_body(answers[page], csrf), cookies)
            for answers in (answers_a, answers_b)
        ],
        get=build_request(port, "GET", target, cookies=cookies),
    )


# --- one database --------------------------------------------------------------------------------


@dataclass
class Measured:
    run: Run
    server_cpu: float  # seconds of CPU used by the server's workers during the run
    database_cpu: float | None  # seconds of CPU of the PostgreSQL backends, if known


def measure(server: Server, scripts, expected: list[int], units: int, db=None) -> Measured:
    before, db_before = server.cpu_seconds(), db.seconds() if db else None
    run = drive(server.port, scripts, expected, units)
    db_after = db.seconds() if db else None
    db_cpu = None if db_before is None or db_after is None else db_after - db_before
    return Measured(run, server.cpu_seconds() - before, db_cpu)


def _db_cpu(runs: list[Measured], per: str = "requests") -> str:
    if any(m.database_cpu is None for m in runs):
        return ""
    total = sum(m.database_cpu for m in runs) / sum(getattr(m.run, per) for m in runs)
    return f" + PostgreSQL {total * 1000:.1f}"


def _row(label: str, runs: list[Measured]) -> str:
    rates = [m.run.rate for m in runs]
    lat = [x for m in runs for x in m.run.latencies[0]]
    cpu = sum(m.server_cpu for m in runs) / sum(m.run.requests for m in runs)
    return (
        f"  {label:<30} {statistics.median(rates):7.1f} req/s ({min(rates):.0f}-{max(rates):.0f})"
        f"  p50 {percentile(lat, 50) * 1000:5.0f} ms  p99 {percentile(lat, 99) * 1000:5.0f} ms"
        f"  CPU {cpu * 1000:4.1f}{_db_cpu(runs)} ms/request"
    )


def _full_row(label: str, runs: list[Measured]) -> str:
    gets = [x for m in runs for x in m.run.latencies[0]]
    posts = [x for m in runs for x in m.run.latencies[1]]
    pairs = [x for m in runs for x in m.run.unit_latencies]
    rate = statistics.median(m.run.rate for m in runs)
    cpu = sum(m.server_cpu for m in runs) / sum(m.run.units for m in runs)

    def ms(values: list[float], q: float) -> str:
        return f"{percentile(values, q) * 1000:.0f}"

    return (
        f"  {label}: {rate:.1f} pages/s = {2 * rate:.1f} req/s; GET p50/p99 {ms(gets, 50)}/"
        f"{ms(gets, 99)} ms, POST {ms(posts, 50)}/{ms(posts, 99)} ms, GET + POST {ms(pairs, 50)}/"
        f"{ms(pairs, 99)} ms; CPU {cpu * 1000:.1f}{_db_cpu(runs, 'units')} ms/page"
    )


def bench_database(name: str, url: str, size: Size, workdir: Path) -> dict[str, float]:
    """Every measurement on one database; prints them and returns the headline figures."""
    from surveys.definition.structure import sections_for_group

    env = {"DATABASE_URL": url, "MONITOR_RATE_LIMITS": "0"}
    started = time.perf_counter()
    app = Server("wsgi:app", size.workers, env, workdir / f"{name}-app.log", size.preload)
    bare = Server(
        "bench.bench_answering:bare_app()", size.workers, env, workdir / f"{name}-bare.log",
        size.preload,
    )  # fmt: skip
    app.start()
    bare.start()
    db = None
    try:  # the workers boot while the data is prepared (no worker touches it before a request)
        definition, tokens = _server.prepare_survey(url, size.clients)
        if not url.startswith("sqlite"):
            db = _server.PostgresCpu(url)
        create_bare_table(url)
        app.wait_ready()
        bare.wait_ready()
        boot = time.perf_counter() - started
        page = biggest_page(definition)
        section = sections_for_group(definition, GROUP)[page]
        respondents = [
            ready_respondent(app.port, token, definition, seed, page)
            for seed, token in enumerate(tokens)
        ]
        post_scripts = [[[r.post[0]], [r.post[1]]] for r in respondents]
        full_scripts = [[[r.get, r.post[0]], [r.get, r.post[1]]] for r in respondents]
        bare_scripts = [
            [[build_request(bare.port, "POST", "/rows", f"value=client-{i}".encode())]]
            for i in range(size.clients)
        ]
        # warm every worker (the first requests load templates and open connections)
        drive(app.port, full_scripts, [200, 302], size.clients * 2)
        drive(bare.port, bare_scripts, [204], size.clients * 2)

        page_runs: list[Measured] = []
        bare_runs: list[Measured] = []
        for round_ in range(size.rounds):  # interleaved, so that both see the same machine
            order = ["bare", "page"] if round_ % 2 == 0 else ["page", "bare"]
            for kind in order:
                if kind == "bare":
                    bare_runs.append(measure(bare, bare_scripts, [204], size.bare_requests, db))
                else:
                    page_runs.append(measure(app, post_scripts, [302], size.page_requests, db))
        full_runs = [
            measure(app, full_scripts, [200, 302], size.full_pages, db)
            for _ in range(size.full_rounds)
        ]
        few = full_scripts[: size.workers]  # as many clients as workers: (almost) no queueing
        calm_runs = [measure(app, few, [200, 302], size.full_pages // 2, db)]
        memory = app.rss_mb(), bare.rss_mb()
    finally:
        app.stop()
        bare.stop()
        if db is not None:
            db.close()

    ratios = [p.run.rate / b.run.rate for p, b in zip(page_runs, bare_runs, strict=True)]
    ratio = statistics.median(ratios)
    cpu_ratio = (sum(m.server_cpu for m in page_runs) / sum(m.run.requests for m in page_runs)) / (
        sum(m.server_cpu for m in bare_runs) / sum(m.run.requests for m in bare_runs)
    )
    questions = sum(1 + len(item.get("rows", [])) for item in section["items"])
    print(f"-- {name}: {size.workers} workers booted in {boot:.0f} s; page {page + 1} "
          f"'{section.get('key')}' ({questions} questions); {size.clients} clients")  # fmt: skip
    print("  CPU: of the gunicorn workers (and of the PostgreSQL backends), per request")
    print(_row("bare insert (one row)", bare_runs))
    print(_row("page submit", page_runs))
    verdict = "met" if ratio >= 0.5 else "NOT met"
    print(f"  ratio page submit / bare insert: {ratio:.2f} (median of {len(ratios)} paired rounds, "
          f"{min(ratios):.2f}-{max(ratios):.2f}); goal >= 0.5: {verdict}; server CPU per "
          f"request {cpu_ratio:.1f}x the bare insert's")  # fmt: skip
    print(_full_row(f"full page, {size.clients} clients", full_runs))
    print(_full_row(f"full page, {len(few)} clients", calm_runs))
    client = sum(m.run.client_cpu for m in page_runs) / sum(m.run.requests for m in page_runs)
    print(f"  load generator: {client * 1000:.2f} ms CPU per page submit (in this process); "
          f"memory per worker: app {memory[0]:.0f} MB, bare {memory[1]:.0f} MB")  # fmt: skip
    unexpected = _merge(m.run.unexpected for m in page_runs + bare_runs + full_runs + calm_runs)
    problems = _server_problems(app.log) + _server_problems(bare.log)
    if unexpected or problems:
        print(f"  !! unexpected statuses {unexpected}; server log: {problems[:5]}")
    return {"ratio": ratio, "pages_per_s": statistics.median(m.run.rate for m in full_runs)}


def _merge(dicts) -> dict[int, int]:
    merged: dict[int, int] = {}
    for d in dicts:
        for k, v in d.items():
            merged[k] = merged.get(k, 0) + v
    return merged


def _server_problems(log: Path) -> list[str]:
    lines = log.read_text(errors="replace").splitlines()
    return [line for line in lines if "Traceback" in line or "database is locked" in line]


def main(quick: bool = False, postgres_only: bool = False) -> None:
    size = FULL if postgres_only else QUICK if quick else FULL
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"machine: {os.cpu_count()} cores, load average {load}; gunicorn {size.workers} sync "
        f"workers{' (--preload)' if size.preload else ''}; clients are threads of this process, "
        f"a new connection per request; "
        f"{size.rounds} interleaved rounds of {size.page_requests} page submits and "
        f"{size.bare_requests} bare inserts; {size.full_rounds} x {size.full_pages} full pages"
    )
    with tempfile.TemporaryDirectory(prefix="bench-answering-") as tmp:
        workdir = Path(tmp)
        if not postgres_only:
            bench_database("SQLite", f"sqlite:///{workdir / 'bench.sqlite'}", size, workdir)
        reason = _server.postgres_available() if size.postgres else "in the full run only"
        if reason is not None:
            print(f"-- PostgreSQL: skipped ({reason})")
        else:
            url = _server.create_postgres_database()
            try:
                bench_database("PostgreSQL", url, size, workdir)
            finally:
                _server.drop_postgres_database(url)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average afterwards: {load}")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv, postgres_only="--postgres" in sys.argv)
