"""Background jobs: Huey (SQLite storage in the instance folder, Redis when REDIS_URL is set) and
a `jobs` table that records each job's progress, so the console can show it and any worker on any
machine can update it."""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import JSON, DateTime, ForeignKey, String, update
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import db, utcnow


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


def set_progress(job_id: int, done: int, total: int) -> None:
    """Record progress in its own short transaction (visible to the console at once)."""
    db.session.execute(
        update(Job).where(Job.id == job_id).values(done=done, total=total, status="running")
    )
    db.session.commit()


def make_huey(app: Flask):
    """The task queue for this app's configuration."""
    if app.config.get("HUEY_IMMEDIATE"):
        return MemoryHuey("monitor", immediate=True)
    if app.config["REDIS_URL"]:
        return RedisHuey("monitor", url=app.config["REDIS_URL"])
    return SqliteHuey("monitor", filename=str(Path(app.instance_path) / "huey.sqlite"))


def init_app(app: Flask, tasks: dict[str, Callable[..., Any]]) -> None:
    """Create the queue and register `tasks` (name -> function taking a job id) on it; each runs
    inside an app context of the process that executes it (web process or consumer)."""
    huey = make_huey(app)

    def in_app_context(function: Callable[..., Any]) -> Callable[..., Any]:
        def run(job_id: int, **kwargs: Any) -> Any:
            with app.app_context():
                return function(job_id, **kwargs)

        return run

    app.extensions["huey"] = huey
    app.extensions["tasks"] = {
        name: huey.task(name=name)(in_app_context(function)) for name, function in tasks.items()
    }


def enqueue(kind: str, params: dict[str, Any], user_id: int | None) -> Job:
    """Record a job and put it on the queue; returns the job (committed)."""
    job = Job(kind=kind, params=params, created_by=user_id)
    db.session.add(job)
    db.session.commit()
    current_app.extensions["tasks"][kind](job.id, **params)
    return job
