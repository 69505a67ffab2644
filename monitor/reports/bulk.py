"""Every company report of a year at once: in parallel worker processes, skipping reports that are
up to date and carrying on past a report that fails.

``build_reports(year, out_dir, workers=N)`` renders with N worker processes (the 'spawn' context:
no state inherited from the parent, safe with threads and database connections). Each worker
creates the app once, loads the year's answers once (``load_scan_data``) and renders many reports.
``workers=0`` renders in the calling process (it needs an app context).

The background job (``build_job``) fans out over the task queue instead, because a Huey process
worker may not start processes of its own and consumers on several machines should share a year:
one task per company report (``build_report_job``), progress and outcomes recorded race-free per
job item (``monitor.jobs``), the last report writes the zip; a watchdog (``requeue_stalled_jobs``)
gives back the reports of a consumer that died. See docs/reports.md, "The background job".

A report is up to date when its PDF exists and the sidecar file ``<pdf>.fingerprint`` holds the
fingerprint of its context (``company.fingerprint``: every number and text plus the templates).
Any change (a new scan of a peer, a renamed organisation, an edited template) changes it, so the
report is rendered again; the creation date alone does not.

Files are written atomically (a temporary file, then a rename), so an interrupted run or two runs
at once never leave half a PDF. File names: ``hr-scan-<year>-<id>-<name>.pdf``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import uuid
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

__all__ = [
    "EMPLOYER_RESULTS",
    "BuildResult",
    "Outcome",
    "build_job",
    "build_report_job",
    "build_reports",
    "employer_results_name",
    "ensure_report",
    "organisations_with_scan",
    "reports_dir",
    "reports_root",
    "requeue_stalled_jobs",
    "stored_company_report",
    "worker_config",
    "write_atomically",
    "zip_reports",
]

log = logging.getLogger(__name__)

#: the configuration keys a worker process takes over from the app that starts it
WORKER_CONFIG_KEYS = (
    "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY",
    "PANEL_SECRET",
    "MONITOR_K_ANONYMITY",
    "TESTING",
)
#: time limit for one render in a bulk build
RENDER_TIMEOUT = 120.0
#: time limit for one render in a web request (a download)
WEB_RENDER_TIMEOUT = 30.0
FINGERPRINT_SUFFIX = ".fingerprint"
#: the sidecar with the source stamp of a PDF a download built (monitor.reports.sources)
SOURCE_SUFFIX = ".source"


@dataclass(frozen=True)
class Outcome:
    """What happened to one organisation's report."""

    organisation_id: int
    status: str  #: "rendered", "skipped" (up to date) or "failed"
    file: str | None = None  #: the PDF's file name in the output directory
    error: str | None = None  #: for a failure: the kind of error and its message
    seconds: float = 0.0


@dataclass
class BuildResult:
    """The outcome of a bulk build, one entry per organisation, in the order they finished."""

    year: int
    out_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def _with(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def rendered(self) -> list[Outcome]:
        return self._with("rendered")

    @property
    def skipped(self) -> list[Outcome]:
        return self._with("skipped")

    @property
    def failed(self) -> list[Outcome]:
        return self._with("failed")

    @property
    def files(self) -> list[Path]:
        """The up-to-date PDFs of this build (rendered or skipped), by organisation id."""
        done = sorted(
            (o for o in self.outcomes if o.status != "failed" and o.file),
            key=lambda o: o.organisation_id,
        )
        return [self.out_dir / o.file for o in done if o.file]


def organisations_with_scan(year: int) -> list[int]:
    """The organisations with a submitted HR-scan in ``year`` (needs an app context)."""
    from scans.instrument import HR_SCAN
    from surveys.db import db
    from surveys.models import (
        Campaign,
        Instrument,
        InstrumentVersion,
        Response,
        ResponseStatus,
    )

    with db.engine.connect() as connection:
        rows = connection.execute(
            select(Response.organisation_id)
            .distinct()
            .join(Campaign, Response.campaign_id == Campaign.id)
            .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(
                Instrument.key == HR_SCAN,
                Campaign.year == year,
                Response.status == ResponseStatus.SUBMITTED,
                Response.organisation_id.is_not(None),
            )
        ).scalars()
        return sorted(int(org) for org in rows)


def worker_config(app: Any) -> dict[str, Any]:
    """The configuration a worker process needs to reach the same database as ``app``."""
    return {key: app.config[key] for key in WORKER_CONFIG_KEYS if key in app.config}


def build_reports(
    year: int,
    out_dir: Path | str,
    *,
    workers: int = 1,
    k: int | None = None,
    organisation_ids: list[int] | None = None,
    force: bool = False,
    config: dict[str, Any] | None = None,
    progress: Callable[[int, int, Outcome], None] | None = None,
) -> BuildResult:
    """Render the company report of every organisation that scanned in ``year`` into ``out_dir``.

    Call it inside an app context. ``workers`` processes render in parallel (0: this process);
    ``config`` is what they create their app with (default: ``worker_config`` of the current
    app). Reports already up to date are skipped unless ``force``. A failing report is recorded
    and the build carries on. ``progress(done, total, outcome)`` is called after each report.
    """
    from flask import current_app

    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if k is None:
        k = int(current_app.config["MONITOR_K_ANONYMITY"])
    ids = organisations_with_scan(year) if organisation_ids is None else sorted(organisation_ids)
    result = BuildResult(year=year, out_dir=out)
    total = len(ids)

    def record(outcome: Outcome) -> None:
        result.outcomes.append(outcome)
        if outcome.status == "failed":
            log.warning(
                "report of organisation %s (%s) failed: %s",
                outcome.organisation_id,
                year,
                outcome.error,
            )
        if progress is not None:
            progress(len(result.outcomes), total, outcome)

    if ids and workers <= 0:
        renderer = _Renderer(year, out, k, force)
        for org in ids:
            record(renderer.render(org))
    elif ids:
        _in_workers(
            ids,
            workers=min(workers, len(ids)),
            initargs=(config or worker_config(current_app), year, str(out), k, force),
            record=record,
        )
    result.seconds = time.perf_counter() - started
    return result


def _in_workers(
    ids: list[int],
    *,
    workers: int,
    initargs: tuple[Any, ...],
    record: Callable[[Outcome], None],
) -> None:
    """Run ``_render_in_worker`` for every id on a pool of spawned processes, at most two
    reports queued per worker (so a broken pool loses little and progress stays honest)."""
    context = multiprocessing.get_context("spawn")
    pending = list(reversed(ids))
    running: dict[Future[Outcome], int] = {}
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=initargs,
    ) as pool:
        broken: BrokenProcessPool | None = None
        while (pending or running) and broken is None:
            while pending and len(running) < 2 * workers:
                org = pending.pop()
                running[pool.submit(_render_in_worker, org)] = org
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                org = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool as error:
                    broken = error
                    outcome = Outcome(org, "failed", error=_describe(error))
                except Exception as error:  # one report must not stop the rest
                    outcome = Outcome(org, "failed", error=_describe(error))
                record(outcome)
        if broken is not None:
            # a worker died (or could not start): what did not finish fails, with the reason
            for org in [*running.values(), *reversed(pending)]:
                record(Outcome(org, "failed", error=_describe(broken)))


def _describe(error: BaseException) -> str:
    """An error in one line, without a traceback (logged by the worker)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# -- rendering one report ------------------------------------------------------------------------


class _Renderer:
    """Renders reports of one year into one directory, with the year's data loaded once."""

    def __init__(self, year: int, out_dir: Path, k: int, force: bool) -> None:
        from monitor.reports.company import load_scan_data

        self.year, self.out_dir, self.k, self.force = year, out_dir, k, force
        self.data = load_scan_data(year)

    def render(self, organisation_id: int) -> Outcome:
        """Render one report (or skip it when up to date); failures become an Outcome."""
        from monitor.reports.company import company_context

        started = time.perf_counter()
        try:
            context = company_context(self.data, organisation_id, k=self.k)
            path, rendered = ensure_report(context, self.out_dir, force=self.force)
            status = "rendered" if rendered else "skipped"
            return Outcome(organisation_id, status, path.name, None, _since(started))
        except Exception as error:  # one report must not stop the rest
            log.exception("report of organisation %s (%s) failed", organisation_id, self.year)
            return Outcome(organisation_id, "failed", None, _describe(error), _since(started))


def ensure_report(
    context: dict[str, Any], out_dir: Path, *, force: bool = False, timeout: float = RENDER_TIMEOUT
) -> tuple[Path, bool]:
    """The PDF of a company report context in ``out_dir``: rendered and stored unless an up-to-date
    one is there already. Returns its path and whether it was rendered now."""
    from monitor.reports.company import fingerprint, render_company, report_filename

    year, organisation_id = context["year"], context["organisation_id"]
    path = out_dir / report_filename(organisation_id, year, context["organisation"])
    stamp = fingerprint(context)
    if not force and _up_to_date(path, stamp):
        return path, False
    pdf = render_company(context, timeout=timeout)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(path, pdf)
    write_atomically(_sidecar(path), stamp.encode())
    _remove_stale(out_dir, year, organisation_id, keep=path.name)
    return path, True


def reports_root() -> Path:
    """Where the app keeps reports: REPORTS_DIR if configured, else instance/reports."""
    from flask import current_app

    configured = current_app.config.get("REPORTS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "reports"


def reports_dir(year: int) -> Path:
    """Where the app keeps the company reports of a year (<reports>/company/<year>)."""
    return reports_root() / "company" / str(year)


def stored_company_report(
    organisation_id: int, year: int, *, stamp: str, timeout: float = WEB_RENDER_TIMEOUT
) -> Path:
    """The up-to-date PDF of one company's report, built and rendered now (for downloads that
    found no current kept PDF); ``stamp``, its source stamp (``sources.source_stamp``), is kept
    next to it, so the next download serves it without building the context again.

    Raises company.NoScan when the organisation has no submitted scan in ``year`` and
    pdf.ReportTimeout when the render takes longer than ``timeout``.
    """
    from monitor.reports.company import build_company_context
    from monitor.reports.sources import keep

    context = build_company_context(organisation_id, year)
    path, _ = ensure_report(context, reports_dir(year), timeout=timeout)
    keep(path, stamp)
    return path


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + FINGERPRINT_SUFFIX)


def _up_to_date(path: Path, stamp: str) -> bool:
    sidecar = _sidecar(path)
    try:
        return path.is_file() and sidecar.read_text().strip() == stamp
    except OSError:
        return False


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file and a rename: never half a file to read (the
    temporary name is unique per call, so two threads of one process never share it)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _remove_stale(out_dir: Path, year: int, organisation_id: int, keep: str) -> None:
    """Remove the organisation's report under an earlier name (it was renamed)."""
    for old in out_dir.glob(f"hr-scan-{year}-{organisation_id:04d}-*.pdf"):
        if old.name != keep:
            _unlink_report(old)


#: the folder of the kept employer results pages under the reports folder
EMPLOYER_RESULTS = "employer"


def employer_results_name(organisation_id: int, k: int | None = None) -> str:
    """The name of an organisation's kept results page (before its stamp): ``organisation-<id>``
    and, with ``k``, ``-k<k>``."""
    return f"organisation-{organisation_id}" + (f"-k{k}" if k is not None else "")


def remove_company_reports(organisation_id: int) -> int:
    """Delete the kept report PDFs of an organisation, every year, with the files next to them:
    after a deletion on request no file carries its name or its scores. Returns how many PDFs
    were removed (for the audit log)."""
    removed = 0
    # the employer's kept results page (monitor.results.employer_page) holds its scores too
    for kept in (reports_root() / EMPLOYER_RESULTS).glob(
        f"{employer_results_name(organisation_id)}-*.json"
    ):
        kept.unlink(missing_ok=True)
    company = reports_root() / "company"
    years = [path for path in company.iterdir() if path.is_dir()] if company.is_dir() else []
    for year in years:
        for pdf in year.glob(f"hr-scan-{year.name}-{organisation_id:04d}-*.pdf"):
            _unlink_report(pdf)
            removed += 1
    return removed


def _unlink_report(pdf: Path) -> None:
    pdf.unlink(missing_ok=True)
    _sidecar(pdf).unlink(missing_ok=True)
    pdf.with_name(pdf.name + SOURCE_SUFFIX).unlink(missing_ok=True)


# -- the worker process ----------------------------------------------------------------------------

_worker: _Renderer | None = None


def _init_worker(config: dict[str, Any], year: int, out_dir: str, k: int, force: bool) -> None:
    """Create the app once per worker process and load the year's data once."""
    global _worker
    from monitor import create_app

    app = create_app({**config, "HUEY_IMMEDIATE": True})
    app.app_context().push()  # for the life of the worker process
    _worker = _Renderer(year, Path(out_dir), k, force)


def _render_in_worker(organisation_id: int) -> Outcome:
    if _worker is None:
        raise RuntimeError("the worker process was not initialised")
    return _worker.render(organisation_id)


# -- the zip ---------------------------------------------------------------------------------------


def zip_reports(result: BuildResult, zip_path: Path | str) -> Path:
    """Put the build's up-to-date PDFs in one zip (written atomically); returns its path."""
    target = Path(zip_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    # PDFs are compressed already: store them
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as archive:
        for path in result.files:
            archive.write(path, arcname=path.name)
    os.replace(temporary, target)
    return target


# -- the background job: fanned out over the queue ------------------------------------------------

#: the job kind (monitor.jobs) of a bulk build: the task that lists the organisations and fans out
JOB_KIND = "reports.build"
#: the task that renders one company report of a bulk build job
ITEM_KIND = "reports.build.report"
#: the periodic task that gives back the reports of a consumer that died
WATCHDOG_KIND = "reports.build.watchdog"
#: a running job in which nothing moved for this long lost its consumer: its open reports are
#: queued again (a render is limited to RENDER_TIMEOUT, so a live consumer is never this slow)
STALE_SECONDS = 600.0
#: how many years' data (one per job) a consumer process keeps loaded
CACHED_JOBS = 2


def jobs_dir() -> Path:
    """Where the zips of the bulk build jobs are kept (<reports>/jobs)."""
    return reports_root() / "jobs"


def job_zip_name(job_id: int, year: int) -> str:
    return f"hr-scans-{year}-taak-{job_id}.zip"


def build_job(job_id: int, year: int, force: bool = False) -> None:
    """The Huey task of a bulk build: list the organisations that scanned in ``year``, record
    them as the job's items (and the total), and enqueue one ``build_report_job`` task per
    company. Consumers on any machine take those; the one that completes the last report
    writes the zip and ends the job. A second delivery of this task only enqueues again what no
    consumer took yet (a report is never rendered twice for one job: the consumer claims it)."""
    from monitor.jobs import finish_job, queued_items, start_items

    try:
        ids = organisations_with_scan(year)
        started = start_items(job_id, ids)
        if not ids:
            if started:
                _finish_job(job_id, year)
            return
        pending = ids if started else queued_items(job_id)
    except Exception as error:  # recorded on the job for the console
        log.exception("bulk build job %s failed", job_id)
        finish_job(job_id, "failed", {"error": _describe(error)[:200]})
        return
    _enqueue_reports(job_id, year, force, pending)


def _enqueue_reports(job_id: int, year: int, force: bool, ids: list[int]) -> None:
    from flask import current_app

    task = current_app.extensions["tasks"][ITEM_KIND]
    #: one load of the year's data per consumer process and job (see _job_renderer)
    token = uuid.uuid4().hex
    for organisation_id in ids:
        task(job_id, organisation_id=organisation_id, year=year, force=force, token=token)


def build_report_job(
    job_id: int, organisation_id: int, year: int, force: bool = False, token: str = ""
) -> None:
    """The Huey task of one company report of a bulk build job: claim it (so no other consumer
    renders it too), render it (or skip it when up to date; a failure is an outcome), record
    the outcome and advance the job's progress; the task that completes the last report
    finishes the job. Runs in any consumer that shares the database and the report directory."""
    from monitor.jobs import claim_item, complete_item, worker_name

    if not claim_item(job_id, organisation_id, worker_name()):
        return  # another consumer has it, or it is done
    started = time.perf_counter()
    try:
        outcome = _job_renderer(token or f"job-{job_id}", year, force).render(organisation_id)
    except Exception as error:  # loading the year failed: this report fails, the job goes on
        log.exception("report of organisation %s (%s) failed", organisation_id, year)
        outcome = Outcome(organisation_id, "failed", None, _describe(error), _since(started))
    if outcome.status == "failed":
        log.warning(
            "report of organisation %s (%s) failed: %s", organisation_id, year, outcome.error
        )
    last = complete_item(
        job_id,
        organisation_id,
        status=outcome.status,
        file=outcome.file,
        error=outcome.error,
        seconds=outcome.seconds,
    )
    if last:
        _finish_job(job_id, year)


#: (database, job token) -> the renderer with that job's year loaded, newest last
_renderers: OrderedDict[tuple[str, str], _Renderer] = OrderedDict()


def _job_renderer(token: str, year: int, force: bool) -> _Renderer:
    """The renderer of a job in this process: the year's data is loaded by the first report of
    the job this process renders and reused for the others (a report then takes its render
    time only). A new job loads again, so it sees new scans and renamed organisations; the
    newest CACHED_JOBS jobs are kept, older ones dropped."""
    from flask import current_app

    from surveys.db import db

    key = (db.engine.url.render_as_string(hide_password=True), token)
    renderer = _renderers.get(key)
    if renderer is None or renderer.year != year or renderer.force != force:
        k = int(current_app.config["MONITOR_K_ANONYMITY"])
        renderer = _Renderer(year, reports_dir(year), k, force)
        _renderers[key] = renderer
        while len(_renderers) > CACHED_JOBS:
            _renderers.popitem(last=False)
    _renderers.move_to_end(key)
    return renderer


def _finish_job(job_id: int, year: int) -> None:
    """Zip the job's up-to-date PDFs and end the job with its result (rendered, skipped, failed
    with the reasons). Ends a job only once, whoever calls it."""
    from monitor.jobs import FINAL_ITEM_STATES, Job, as_utc, finish_job, job_items
    from surveys.db import db, utcnow

    items = job_items(job_id)
    outcomes = [
        Outcome(item.item_id, item.status, item.file, item.error, item.seconds or 0.0)
        for item in items
        if item.status in FINAL_ITEM_STATES
    ]
    result = BuildResult(year=year, out_dir=reports_dir(year), outcomes=outcomes)
    with db.engine.connect() as connection:
        created = connection.execute(select(Job.created_at).where(Job.id == job_id)).scalar()
    try:
        zip_reports(result, jobs_dir() / job_zip_name(job_id, year))
    except Exception as error:
        log.exception("bulk build job %s: the zip failed", job_id)
        finish_job(job_id, "failed", {"error": _describe(error)[:200]})
        return
    finish_job(
        job_id,
        "done",
        {
            "zip": job_zip_name(job_id, year),
            "files": len(result.files),
            "rendered": len(result.rendered),
            "skipped": len(result.skipped),
            "failed": [
                {"organisation_id": o.organisation_id, "error": (o.error or "")[:200]}
                for o in sorted(result.failed, key=lambda o: o.organisation_id)
            ],
            "workers": len({item.worker for item in items if item.worker}),
            "seconds": round((utcnow() - as_utc(created)).total_seconds(), 1) if created else None,
        },
    )


def requeue_stalled_jobs(older_than: float = STALE_SECONDS) -> list[int]:
    """The watchdog (a periodic task of every consumer, every 5 minutes; also
    `monitor reports requeue`): a running bulk build job in which nothing moved for
    ``older_than`` seconds lost a consumer. Its open reports go back on the queue (up-to-date
    PDFs are then skipped); a job whose reports are all complete is finished; a job still queued
    after that time lost its own task (a restarted Redis keeps no queue) and is queued again.
    Returns the ids of the jobs it touched."""
    from flask import current_app

    from monitor.jobs import requeue_stalled

    touched = []
    for stalled in requeue_stalled(JOB_KIND, older_than):
        year = int(stalled.params["year"])
        if stalled.not_started:
            log.warning("bulk build job %s never started: its task is queued again", stalled.job_id)
            current_app.extensions["tasks"][JOB_KIND](stalled.job_id, **stalled.params)
        elif stalled.requeued:
            log.warning(
                "bulk build job %s stalled: %d reports queued again",
                stalled.job_id,
                len(stalled.requeued),
            )
            _enqueue_reports(
                stalled.job_id, year, bool(stalled.params.get("force")), stalled.requeued
            )
        elif stalled.unfinished:
            _finish_job(stalled.job_id, year)
        touched.append(stalled.job_id)
    return touched
