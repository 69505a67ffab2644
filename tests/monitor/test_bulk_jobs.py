"""The bulk build job fanned out over the queue, without Redis (HUEY_IMMEDIATE runs every
enqueued task inline): each company report is one task; outcomes are recorded per job item
without lost updates; the last report finishes the job; a repeated delivery does nothing twice;
a job whose consumer died is picked up again by the watchdog. The run through Redis with two
consumer processes is in test_bulk_redis.py."""

import os
import threading
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from monitor.jobs import (
    Job,
    JobItem,
    claim_item,
    complete_item,
    enqueue,
    job_items,
    requeue_stalled,
    start_items,
)
from monitor.reports import bulk
from monitor.reports.bulk import (
    JOB_KIND,
    build_job,
    build_report_job,
    job_zip_name,
    organisations_with_scan,
    requeue_stalled_jobs,
)
from surveys.db import db, utcnow
from tests.monitor.test_report_company import make_world


@pytest.fixture
def app_config(tmp_path) -> dict:
    return {"REPORTS_DIR": str(tmp_path / "kept-reports")}


def _job(status: str = "queued", year: int = 2025) -> int:
    job = Job(kind=JOB_KIND, status=status, params={"year": year, "force": False})
    db.session.add(job)
    db.session.flush()
    job_id = job.id
    db.session.commit()  # and no transaction left open: the jobs code writes on connections
    return job_id


def test_a_job_fans_out_one_task_per_report_and_the_last_one_finishes_it(app, monkeypatch):
    make_world()
    calls = []
    real = bulk.build_report_job
    monkeypatch.setitem(
        app.extensions["tasks"],
        bulk.ITEM_KIND,
        lambda job_id, **kwargs: (calls.append(kwargs["organisation_id"]), real(job_id, **kwargs)),
    )
    job = enqueue(JOB_KIND, {"year": 2025, "force": False}, None)
    scanned = organisations_with_scan(2025)
    assert calls == scanned  # one task per company
    db.session.refresh(job)
    assert (job.status, job.done, job.total) == ("done", 8, 8)
    assert job.result["rendered"] == 8 and job.result["workers"] == 1
    items = job_items(job.id)
    assert [i.item_id for i in items] == scanned
    assert all(i.status == "rendered" and i.attempts == 1 and i.file for i in items)
    assert all(i.worker and i.worker.endswith(f":{os.getpid()}") for i in items)
    path = Path(app.config["REPORTS_DIR"]) / "jobs" / job_zip_name(job.id, 2025)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(i.file for i in items)

    # a repeated delivery of the job or of a report task renders nothing and counts nothing
    build_job(job.id, 2025)
    build_report_job(job.id, scanned[0], 2025)
    db.session.refresh(job)
    assert (job.status, job.done) == ("done", 8)
    assert [i.attempts for i in job_items(job.id)] == [1] * 8


def test_the_year_is_loaded_once_per_process_and_job(app, monkeypatch):
    make_world()
    loads = []
    real = bulk._Renderer.__init__

    def counting(self, *args, **kwargs):
        loads.append(args[0])
        real(self, *args, **kwargs)

    monkeypatch.setattr(bulk._Renderer, "__init__", counting)
    first = enqueue(JOB_KIND, {"year": 2025, "force": False}, None)
    assert loads == [2025]  # eight reports, one load
    second = enqueue(JOB_KIND, {"year": 2025, "force": False}, None)
    assert loads == [2025, 2025]  # a new job sees new data
    db.session.refresh(second)
    assert second.result["skipped"] == 8 and second.result["rendered"] == 0
    assert len(bulk._renderers) <= bulk.CACHED_JOBS
    assert first.id != second.id


def test_concurrent_completions_are_all_counted_and_one_is_the_last(app):
    job_id = _job()
    items = list(range(1, 13))
    assert start_items(job_id, items)
    assert not start_items(job_id, items)  # claimed once
    barrier = threading.Barrier(len(items))
    last = []

    def consumer(item: int) -> None:
        with app.app_context():
            assert claim_item(job_id, item, f"test:{item}")
            barrier.wait()
            if complete_item(job_id, item, status="skipped", file=f"{item}.pdf", seconds=0.1):
                last.append(item)

    threads = [threading.Thread(target=consumer, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    done, total = db.session.execute(select(Job.done, Job.total).where(Job.id == job_id)).one()
    assert (done, total) == (12, 12)
    assert len(last) == 1
    # a second completion of the same item (a consumer thought dead) is not counted
    assert not complete_item(job_id, items[0], status="failed", error="laat")
    assert not claim_item(job_id, items[0], "test:again")
    assert db.session.scalar(select(Job.done).where(Job.id == job_id)) == 12
    assert {i.status for i in job_items(job_id)} == {"skipped"}


def test_the_watchdog_requeues_the_report_of_a_consumer_that_died(app):
    make_world()
    scanned = organisations_with_scan(2025)
    job_id = _job()
    assert start_items(job_id, scanned)
    # every report but the last done by one consumer; the last one was taken by a consumer
    # that died ten minutes ago
    for organisation_id in scanned[:-1]:
        claim_item(job_id, organisation_id, "elders:1")
        assert not complete_item(job_id, organisation_id, status="skipped", file=None)
    claim_item(job_id, scanned[-1], "dood:2")
    an_hour_ago = utcnow() - timedelta(hours=1)
    db.session.execute(
        update(JobItem)
        .where(JobItem.job_id == job_id)
        .values(touched_at=an_hour_ago, finished_at=an_hour_ago)
    )
    db.session.commit()

    assert requeue_stalled_jobs(older_than=3600 * 2) == []  # not stalled for that long
    assert requeue_stalled_jobs() == [job_id]  # immediate queue: rendered at once
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    assert (job.status, job.done, job.total) == ("done", 8, 8)
    item = db.session.scalars(
        select(JobItem).where(JobItem.job_id == job_id, JobItem.item_id == scanned[-1])
    ).one()
    assert (item.status, item.attempts) == ("rendered", 2)
    assert job.result["rendered"] == 1 and job.result["skipped"] == 7
    assert requeue_stalled_jobs(older_than=0) == []  # nothing running any more


def test_the_watchdog_finishes_a_job_whose_last_consumer_died_before_the_zip(app, runner):
    job_id = _job()
    assert start_items(job_id, [1, 2])
    for item in (1, 2):
        claim_item(job_id, item, "weg:3")
        complete_item(job_id, item, status="failed", error="NoScan: geen scan")
    # the consumer that completed the last report died before writing the zip
    assert db.session.scalar(select(Job.status).where(Job.id == job_id)) == "running"
    db.session.rollback()
    result = runner.invoke(args=["reports", "requeue", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert f"1 stalled jobs: {job_id}" in result.output
    job = db.session.get(Job, job_id)
    assert job.status == "done" and job.result["files"] == 0
    assert [f["organisation_id"] for f in job.result["failed"]] == [1, 2]


def test_a_job_whose_own_task_was_lost_is_queued_again_at_most_once_per_period(app):
    make_world()
    job_id = _job()  # recorded, but its task never reached a consumer
    an_hour_ago = utcnow() - timedelta(hours=1)
    db.session.execute(update(Job).where(Job.id == job_id).values(created_at=an_hour_ago))
    db.session.commit()

    (stalled,) = requeue_stalled(JOB_KIND, 600)
    assert (stalled.job_id, stalled.not_started, stalled.requeued) == (job_id, True, [])
    assert requeue_stalled(JOB_KIND, 600) == []  # marked: not again within the period
    later = utcnow() + timedelta(minutes=11)
    assert [s.job_id for s in requeue_stalled(JOB_KIND, 600, now=later)] == [job_id]

    # the watchdog puts the task back on the queue (immediate here: the job runs at once)
    db.session.execute(update(Job).where(Job.id == job_id).values(result={}))
    db.session.commit()
    assert requeue_stalled_jobs() == [job_id]
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    assert (job.status, job.done, job.total) == ("done", 8, 8)
    assert requeue_stalled_jobs(older_than=0) == []


def test_a_report_whose_year_cannot_be_loaded_fails_and_the_job_goes_on(app, monkeypatch):
    make_world()

    def broken(*args, **kwargs):
        raise RuntimeError("database weg")

    monkeypatch.setattr(bulk._Renderer, "__init__", broken)
    job = enqueue(JOB_KIND, {"year": 2025, "force": False}, None)
    db.session.refresh(job)
    assert (job.status, job.done, job.total) == ("done", 8, 8)
    assert job.result["files"] == 0
    assert {f["error"] for f in job.result["failed"]} == {"RuntimeError: database weg"}
