"""Background jobs: Huey (SQLite storage in the instance folder, Redis when REDIS_URL is set) and
a `jobs` table that records each job's progress, so the console can show it and any worker on any
machine can update it.

A job that fans out (the bulk build: one task per company report) keeps one `job_items` row per
unit of work. Every write here is one short transaction of its own on its own connection (never
the session, so an immediate job inside a request does not meet the request's open transaction),
and every change is a conditional UPDATE: whichever consumer, on whichever machine, gets there
first wins, and nothing is counted twice or lost.

- `start_items` claims a queued job (queued -> running), stores its items and the total;
- `claim_item` takes one item (queued -> running) for one consumer;
- `complete_item` stores the item's outcome and advances the job (`done = done + 1`) in one
  transaction, and tells the caller whether it completed the last item;
- `finish_job` records the end (only once);
- `requeue_stalled` gives back the items of a job whose consumer died (nothing moved for a while).
"""

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    String,
    UniqueConstraint,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import db, utcnow

#: in a queued job's result: when the watchdog last put its task on the queue again
REQUEUED_AT = "requeued_at"
#: the states of an item; the last three are final
ITEM_QUEUED, ITEM_RUNNING = "queued", "running"
FINAL_ITEM_STATES = ("rendered", "skipped", "failed")


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what runs, e.g. "reports.build"
    kind: Mapped[str] = mapped_column(String(40))
    #: "queued", "running", "done", "failed"
    status: Mapped[str] = mapped_column(String(10), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    #: parameters and outcome (file name of the result, failures); no personal data
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JobItem(db.Model):
    """One unit of work of a job that fans out (e.g. one company report of a bulk build)."""

    __tablename__ = "job_items"
    __table_args__ = (UniqueConstraint("job_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    #: what the item works on: for a bulk build the organisation id
    item_id: Mapped[int]
    #: "queued", "running", then "rendered", "skipped" or "failed"
    status: Mapped[str] = mapped_column(String(10), default=ITEM_QUEUED)
    #: the result file's name (a PDF in the year's report directory)
    file: Mapped[str | None] = mapped_column(String(200))
    #: for a failure: the kind of error and its message, one line
    error: Mapped[str | None] = mapped_column(String(200))
    seconds: Mapped[float | None] = mapped_column(Float)
    #: the consumer that took it last: "<host>:<pid>" (no personal data)
    worker: Mapped[str | None] = mapped_column(String(100))
    #: how often a consumer took it (more than 1 only after a consumer died)
    attempts: Mapped[int] = mapped_column(default=0)
    #: when it was last queued or taken: what the stall check looks at
    touched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def worker_name() -> str:
    """This process as the job items record it: "<host>:<pid>"."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def as_utc(moment: datetime) -> datetime:
    """A stored timestamp as an aware UTC datetime (SQLite returns them naive)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# -- progress, race-free ---------------------------------------------------------------------------


def start_items(job_id: int, item_ids: list[int]) -> bool:
    """Claim a queued job and store its items and total, in one transaction. False when the job
    is no longer queued (a second delivery of the same task: it was started already)."""
    now = utcnow()
    with db.engine.begin() as connection:
        claimed = connection.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued")
            .values(status="running", done=0, total=len(item_ids))
        ).rowcount
        if claimed != 1:
            return False
        if item_ids:
            connection.execute(
                insert(JobItem),
                [
                    {
                        "job_id": job_id,
                        "item_id": item,
                        "status": ITEM_QUEUED,
                        "attempts": 0,
                        "touched_at": now,
                    }
                    for item in item_ids
                ],
            )
    return True


def queued_items(job_id: int) -> list[int]:
    """The items of a job that no consumer has taken yet."""
    with db.engine.connect() as connection:
        return list(
            connection.execute(
                select(JobItem.item_id)
                .where(JobItem.job_id == job_id, JobItem.status == ITEM_QUEUED)
                .order_by(JobItem.item_id)
            ).scalars()
        )


def claim_item(job_id: int, item_id: int, worker: str) -> bool:
    """Take one queued item for ``worker``; False when another consumer has it or it is done."""
    with db.engine.begin() as connection:
        return (
            connection.execute(
                update(JobItem)
                .where(
                    JobItem.job_id == job_id,
                    JobItem.item_id == item_id,
                    JobItem.status == ITEM_QUEUED,
                )
                .values(
                    status=ITEM_RUNNING,
                    worker=worker,
                    attempts=JobItem.attempts + 1,
                    touched_at=utcnow(),
                )
            ).rowcount
            == 1
        )


def complete_item(
    job_id: int,
    item_id: int,
    *,
    status: str,
    file: str | None = None,
    error: str | None = None,
    seconds: float | None = None,
) -> bool:
    """Store an item's outcome and advance the job by one, in one transaction; True when this
    was the job's last item (exactly one caller gets True). An item completed already (by a
    consumer that was thought dead) is left alone and not counted again."""
    if status not in FINAL_ITEM_STATES:
        raise ValueError(f"not a final item state: {status!r}")
    with db.engine.begin() as connection:
        stored = connection.execute(
            update(JobItem)
            .where(
                JobItem.job_id == job_id,
                JobItem.item_id == item_id,
                JobItem.status.in_((ITEM_QUEUED, ITEM_RUNNING)),
            )
            .values(
                status=status,
                file=file,
                error=(error or None) and error[:200],
                seconds=seconds,
                finished_at=utcnow(),
            )
        ).rowcount
        if stored != 1:
            return False
        # one UPDATE ... SET done = done + 1: the row lock (PostgreSQL) or the write lock
        # (SQLite) orders concurrent consumers, and RETURNING gives each its own count
        done, total = connection.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(done=Job.done + 1)
            .returning(Job.done, Job.total)
        ).one()
    return done >= total


def finish_job(job_id: int, status: str, result: dict[str, Any]) -> bool:
    """Record the end of a running job (once: False when it had ended already)."""
    with db.engine.begin() as connection:
        return (
            connection.execute(
                update(Job)
                .where(Job.id == job_id, Job.status.in_(("queued", "running")))
                .values(status=status, result=result, finished_at=utcnow())
            ).rowcount
            == 1
        )


def job_items(job_id: int) -> list[JobItem]:
    """The items of a job (detached rows, read on a short connection), by item id."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(JobItem.__table__).where(JobItem.job_id == job_id).order_by(JobItem.item_id)
        ).all()
    return [JobItem(**row._asdict()) for row in rows]


@dataclass(frozen=True)
class Stalled:
    """A running job in which nothing moved for a while."""

    job_id: int
    params: dict[str, Any]
    #: items given back to the queue (their consumer died, or their task was lost)
    requeued: list[int]
    #: every item is complete but the job was not finished (its last consumer died)
    unfinished: bool
    #: the job never started: its own task was lost (a Redis restarted without persistence)
    not_started: bool = False


def requeue_stalled(kind: str, older_than: float, *, now: datetime | None = None) -> list[Stalled]:
    """Jobs of ``kind`` without any activity for ``older_than`` seconds. A running job's open
    items are set back to queued (returned, for the caller to enqueue again); race-free: of two
    callers at once only one gets an item back. A job still queued is returned as not started
    (for the caller to enqueue its task again, which is harmless if the task was only waiting:
    a job starts once); it is marked, so that it comes back at most once per ``older_than``."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=older_than)
    stalled = _requeue_unstarted(kind, cutoff, now)
    with db.engine.connect() as connection:
        jobs = connection.execute(
            select(Job.id, Job.params, Job.done, Job.total, Job.created_at).where(
                Job.kind == kind, Job.status == "running"
            )
        ).all()
        last = dict(
            connection.execute(
                select(
                    JobItem.job_id,
                    func.max(func.coalesce(JobItem.finished_at, JobItem.touched_at)),
                )
                .where(JobItem.job_id.in_([job.id for job in jobs]))
                .group_by(JobItem.job_id)
            ).all()
        )
    for job in jobs:
        activity = last.get(job.id) or job.created_at
        if as_utc(activity) >= cutoff:
            continue
        with db.engine.begin() as connection:
            requeued = list(
                connection.execute(
                    update(JobItem)
                    .where(
                        JobItem.job_id == job.id,
                        JobItem.status.in_((ITEM_QUEUED, ITEM_RUNNING)),
                        JobItem.touched_at < cutoff,
                    )
                    .values(status=ITEM_QUEUED, touched_at=now)
                    .returning(JobItem.item_id)
                ).scalars()
            )
        stalled.append(
            Stalled(job.id, dict(job.params or {}), sorted(requeued), job.done >= job.total)
        )
    return stalled


def _requeue_unstarted(kind: str, cutoff: datetime, now: datetime) -> list[Stalled]:
    """Queued jobs of ``kind`` created (or last given back) before ``cutoff``, marked now."""
    with db.engine.begin() as connection:
        jobs = connection.execute(
            select(Job.id, Job.params, Job.result, Job.created_at).where(
                Job.kind == kind, Job.status == "queued"
            )
        ).all()
        stalled = []
        for job in jobs:
            marked = (job.result or {}).get(REQUEUED_AT)
            since = datetime.fromisoformat(marked) if marked else as_utc(job.created_at)
            if since >= cutoff:
                continue
            connection.execute(
                update(Job)
                .where(Job.id == job.id, Job.status == "queued")
                .values(result={**(job.result or {}), REQUEUED_AT: now.isoformat()})
            )
            stalled.append(Stalled(job.id, dict(job.params or {}), [], False, not_started=True))
    return stalled


# -- the queue -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """A task for `init_app`: the function (taking a job id first) and Huey's options."""

    function: Callable[..., Any]
    retries: int = 0
    retry_delay: int = 0


@dataclass(frozen=True)
class Periodic:
    """A periodic task for `init_app` (no arguments), run by every consumer's scheduler."""

    function: Callable[[], Any]
    minutes: str = "*/5"


def make_huey(app: Flask):
    """The task queue for this app's configuration."""
    name = app.config.get("HUEY_NAME") or "monitor"
    if app.config.get("HUEY_IMMEDIATE"):
        return MemoryHuey(name, immediate=True)
    if app.config["REDIS_URL"]:
        return RedisHuey(name, url=app.config["REDIS_URL"])
    return SqliteHuey(name, filename=str(Path(app.instance_path) / "huey.sqlite"))


def init_app(
    app: Flask,
    tasks: dict[str, Callable[..., Any] | Task],
    periodic: dict[str, Periodic] | None = None,
) -> None:
    """Create the queue and register `tasks` (name -> function taking a job id, or a `Task`)
    and `periodic` tasks on it; each runs inside an app context of the process that executes
    it (web process or consumer)."""
    huey = make_huey(app)

    def in_app_context(function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return function(*args, **kwargs)

        return run

    registered = {}
    for name, spec in tasks.items():
        task = spec if isinstance(spec, Task) else Task(spec)
        registered[name] = huey.task(name=name, retries=task.retries, retry_delay=task.retry_delay)(
            in_app_context(task.function)
        )
    for name, spec in (periodic or {}).items():
        registered[name] = huey.periodic_task(crontab(minute=spec.minutes), name=name)(
            in_app_context(spec.function)
        )
    app.extensions["huey"] = huey
    app.extensions["tasks"] = registered


def enqueue(kind: str, params: dict[str, Any], user_id: int | None) -> Job:
    """Record a job and put it on the queue; returns the job (committed).

    The job's id is taken after the flush, before the commit: reading it after the commit would
    reload the row and open a new transaction, which on SQLite (inside a POST request) holds the
    write lock while an immediate job (HUEY_IMMEDIATE) wants to write its progress."""
    job = Job(kind=kind, params=params, created_by=user_id)
    db.session.add(job)
    db.session.flush()
    job_id = job.id
    db.session.commit()
    current_app.extensions["tasks"][kind](job_id, **params)
    return job
