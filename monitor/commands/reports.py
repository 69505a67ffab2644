"""`monitor reports ...`: the company HR-scan report, all company reports of a year, the regional
monitor. PDF, or with --format json the context behind it (every number and text)."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from monitor import audit
from surveys.db import db

reports = AppGroup(
    "reports", help="PDF reports: per company, all companies of a year, the monitor."
)

FORMAT = click.Choice(["pdf", "json"])


def _write(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)


@reports.command("company")
@click.option("--org", "organisation_id", type=int, required=True, help="organisation id")
@click.option("--year", type=int, required=True, help="year of the HR-scan")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--format", "fmt", type=FORMAT, default="pdf", show_default=True)
def company(organisation_id: int, year: int, out: Path, fmt: str) -> None:
    """One company's HR-scan report: its scores against its peers, advice and an agenda."""
    from monitor.reports import context_json
    from monitor.reports.company import NoScan, build_company_context, render_company

    try:
        context = build_company_context(organisation_id, year)
    except NoScan as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        _write(out, context_json(context).encode())
    else:
        _write(out, render_company(context))
    audit.record(
        "report.company", "organisation", organisation_id, year=year, format=fmt, via="cli"
    )
    db.session.commit()
    click.echo(f"{out} ({fmt}, organisation {organisation_id}, {year})")


@reports.command("build")
@click.option("--year", type=int, required=True, help="year of the HR-scans")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="directory"
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=lambda: min(4, os.cpu_count() or 1),
    show_default="the number of cores, at most 4",
    help="worker processes (0: render in this process)",
)
@click.option("--force", is_flag=True, help="render again even when a report is up to date")
def build(year: int, out: Path, workers: int, force: bool) -> None:
    """Every company report of a year, in parallel; skips reports that are up to date.

    A report that fails does not stop the others; the failures are listed at the end and the
    exit code is 1.
    """
    from monitor.reports.bulk import build_reports, organisations_with_scan

    ids = organisations_with_scan(year)
    if not ids:
        raise click.ClickException(f"no submitted HR-scans in {year}")
    click.echo(f"{len(ids)} rapporten van {year} naar {out} ({workers or 'geen'} workers)")
    with click.progressbar(length=len(ids), label="rapporten", show_pos=True) as bar:
        result = build_reports(
            year,
            out,
            workers=workers,
            organisation_ids=ids,
            force=force,
            progress=lambda done, total, outcome: bar.update(1),
        )
    click.echo(
        f"{len(result.rendered)} gemaakt, {len(result.skipped)} al actueel, "
        f"{len(result.failed)} mislukt in {result.seconds:.1f} s"
    )
    audit.record(
        "report.build",
        "year",
        year,
        rendered=len(result.rendered),
        skipped=len(result.skipped),
        failed=len(result.failed),
        via="cli",
    )
    db.session.commit()
    if result.failed:
        for outcome in sorted(result.failed, key=lambda o: o.organisation_id):
            click.echo(f"mislukt: organisatie {outcome.organisation_id}: {outcome.error}", err=True)
        raise SystemExit(1)


@reports.command("requeue")
@click.option(
    "--older-than",
    type=click.FloatRange(min=0),
    default=None,
    show_default="600 seconds",
    help="seconds without any progress after which a running job counts as stalled",
)
def requeue(older_than: float | None) -> None:
    """Queue again the reports of background build jobs whose consumer died (the consumers'
    watchdog does this every 5 minutes); up-to-date reports are then skipped."""
    from monitor.reports.bulk import STALE_SECONDS, requeue_stalled_jobs

    touched = requeue_stalled_jobs(STALE_SECONDS if older_than is None else older_than)
    click.echo(
        f"{len(touched)} stalled jobs: {', '.join(map(str, touched))}"
        if touched
        else "no stalled jobs"
    )


@reports.command("monitor")
@click.option("--year", type=int, required=True, help="year of the monitor")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--format", "fmt", type=FORMAT, default="pdf", show_default=True)
def monitor_report(year: int, out: Path, fmt: str) -> None:
    """The regional monitor of a year."""
    from monitor.reports import context_json
    from monitor.reports.regional import build_monitor_context, render_monitor

    context = build_monitor_context(year=year, k=current_app.config["MONITOR_K_ANONYMITY"])
    _write(out, context_json(context).encode() if fmt == "json" else render_monitor(context))
    audit.record("report.monitor", "year", year, format=fmt, via="cli")
    db.session.commit()
    click.echo(f"{out} ({fmt}, {year})")
