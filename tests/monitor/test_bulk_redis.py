"""Report workers on several machines: a bulk build job started in the console goes through Redis
to two real Huey consumer processes (`huey_consumer monitor.worker.huey`, as on two report
machines) that share the database and the report directory. Both render reports, none twice, the
progress reaches the total and the job ends with a zip of every report.

Needs Redis: TEST_REDIS_URL (default redis://127.0.0.1:6379/14); with REQUIRE_ALL=1 a missing
Redis fails the test. The queue gets a name of its own and its keys are deleted afterwards.
"""

import os
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from monitor.jobs import Job, JobItem
from monitor.reports import company
from monitor.reports.bulk import JOB_KIND, job_zip_name
from surveys.db import db
from tests.conftest import require
from tests.monitor.test_report_company import make_world

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(__file__).resolve().parents[2]
#: the whole run (8 reports on two consumers) takes about 10 s; fail rather than hang
DEADLINE_SECONDS = 50


def _redis() -> redis.Redis | None:
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except (redis.RedisError, ValueError):
        return None
    return client


@pytest.fixture
def queue_name() -> str:
    return f"monitor-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def app_config(tmp_path, queue_name) -> dict:
    require(_redis() is not None, f"Redis is not reachable at {REDIS_URL} (TEST_REDIS_URL)")
    return {
        "REPORTS_DIR": str(tmp_path / "shared-reports"),
        "REDIS_URL": REDIS_URL,
        "HUEY_NAME": queue_name,
        "HUEY_IMMEDIATE": False,
    }


@pytest.fixture
def queue(app, queue_name):
    """The test's own queue in Redis, empty before and deleted after."""
    client = _redis()

    def flush() -> None:
        for key in client.scan_iter(match=f"*{queue_name}*"):
            client.delete(key)

    flush()
    yield app.extensions["huey"]
    flush()
    client.close()


def _consumer(app, log: Path) -> subprocess.Popen:
    """A Huey consumer as a report machine runs it (one worker process), configured from the
    environment only, like monitor-worker.service."""
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": REDIS_URL,
        "MONITOR_QUEUE_NAME": app.config["HUEY_NAME"],
        "REPORTS_DIR": app.config["REPORTS_DIR"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "PANEL_SECRET": app.config["PANEL_SECRET"],
        "MONITOR_K_ANONYMITY": str(app.config["MONITOR_K_ANONYMITY"]),
    }
    command = [sys.executable, "-m", "huey.bin.huey_consumer", "monitor.worker.huey"]
    return subprocess.Popen(
        [*command, "-w", "1", "-k", "process", "-n", "-d", "0.05", "-m", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _job_state(job_id: int) -> tuple[str, int, int]:
    with db.engine.connect() as connection:
        row = connection.execute(
            select(Job.status, Job.done, Job.total).where(Job.id == job_id)
        ).one()
    return row.status, row.done, row.total


def test_two_consumers_share_one_bulk_build_through_redis(app, coordinator, queue, tmp_path):
    ids = make_world()  # 8 companies scanned in 2025
    client = coordinator

    logs = [tmp_path / "consumer-1.log", tmp_path / "consumer-2.log"]
    consumers = [_consumer(app, log) for log in logs]
    try:
        # both consumers up (they log this once they imported the app) before the job starts
        deadline = time.monotonic() + 20
        while not all(b"consumer started" in log.read_bytes() for log in logs):
            assert all(c.poll() is None for c in consumers), [p.read_text() for p in logs]
            assert time.monotonic() < deadline, "the consumers did not start"
            time.sleep(0.1)

        started = time.monotonic()
        response = client.post("/coordinator/reports/build", data={"year": "2025"})
        assert response.status_code == 302
        job_id = db.session.scalars(select(Job.id).where(Job.kind == JOB_KIND)).one()
        db.session.commit()

        seen = []
        while (state := _job_state(job_id))[0] in ("queued", "running"):
            seen.append(state)
            assert all(c.poll() is None for c in consumers), [p.read_text() for p in logs]
            assert time.monotonic() - started < DEADLINE_SECONDS, (
                f"job still {state} after {DEADLINE_SECONDS} s",
                [p.read_text() for p in logs],
            )
            time.sleep(0.1)
        seconds = time.monotonic() - started

        items = db.session.scalars(select(JobItem).where(JobItem.job_id == job_id)).all()
        # which process rendered what, while the consumers (their parents) still run
        parents = {item.worker: _parent(int(item.worker.rsplit(":", 1)[1])) for item in items}
    finally:
        for consumer in consumers:
            consumer.terminate()
        for consumer in consumers:
            try:
                consumer.wait(timeout=10)
            except subprocess.TimeoutExpired:
                consumer.kill()
                consumer.wait()

    job = db.session.get(Job, job_id)
    assert (job.status, job.done, job.total) == ("done", 8, 8), job.result
    assert job.result["rendered"] == 8 and job.result["skipped"] == 0
    assert job.result["failed"] == [] and job.result["workers"] == 2
    assert seen == sorted(seen, key=lambda s: s[1])  # progress only went up

    # every report once: one item per company, each taken by one consumer one time
    assert sorted(item.item_id for item in items) == sorted(
        company_id for company_id in _scanned(ids)
    )
    assert all((item.status, item.attempts) == ("rendered", 1) for item in items)
    per_worker = {}
    for item in items:
        per_worker.setdefault(item.worker, []).append(item.item_id)
    assert len(per_worker) == 2, per_worker
    assert all(len(done) >= 1 for done in per_worker.values()), per_worker
    # the two workers are the worker processes of the two consumers, one each
    assert sorted(parents.values()) == sorted(c.pid for c in consumers), parents

    # the zip holds every report, as the console offers it
    path = Path(app.config["REPORTS_DIR"]) / "jobs" / job_zip_name(job_id, 2025)
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        assert all(archive.read(name).startswith(b"%PDF") for name in names)
    assert names == sorted(item.file for item in items)
    assert company.report_filename(ids["target"], 2025, "Geuldal Bouw BV") in names
    download = client.get(f"/coordinator/reports/jobs/{job_id}/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"

    # the consumers' logs show the fan-out: one build task, eight report tasks between them
    text = "\n".join(log.read_text() for log in logs)
    assert text.count("Executing monitor.jobs.reports.build:") == 1
    assert text.count("Executing monitor.jobs.reports.build.report:") == 8
    print(f"two consumers: {dict((w, len(d)) for w, d in per_worker.items())} in {seconds:.1f} s")


def _scanned(ids: dict[str, int]) -> list[int]:
    from monitor.reports.bulk import organisations_with_scan

    scanned = organisations_with_scan(2025)
    assert ids["target"] in scanned
    return scanned
