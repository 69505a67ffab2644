"""Company reports: the warm render time of one report as a ratio to a minimal WeasyPrint
document, bulk throughput with 2 worker processes against 1, memory per render and after 200
renders against after 20 in one process, and (when it exists) the regional monitor's time per
page against the company report's.

Runs on the demo data (seed 2025) in a temporary SQLite database. `python -m bench` (or
`make bench`) runs it; `--quick` does fewer repetitions, fewer reports and fewer renders.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bench._timing import median_time, minimal_document, pdf_pages, rss_mb

YEAR = 2025
K = 5


def _children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _text_pages(pages: int) -> str:
    """A document of `pages` pages of running text (headings and paragraphs, nothing else): what
    any report of that length costs at least."""
    sentence = (
        "Het personeelsbeleid van de organisatie komt aan bod in het vervolggesprek met de "
        "coördinator van het netwerk."
    )
    paragraph = "<p>" + " ".join([sentence] * 6) + "</p>"
    chapters = "".join(
        f'<section class="chapter"><h2>Hoofdstuk {n}</h2>{paragraph * 5}</section>'
        for n in range(1, pages + 1)
    )
    return f"<!doctype html><html lang=nl><body><main>{chapters}</main></body></html>"


def _charts_only(context: dict[str, Any]) -> str:
    """A one-page document holding just the report's charts."""
    svg = "".join(chart["svg"] for chart in context["charts"].values() if chart)
    return f"<!doctype html><html lang=nl><body>{svg}</body></html>"


def _demo_app(directory: Path) -> Any:
    """An app on a fresh SQLite database holding the demo (seed 2025)."""
    from monitor import create_app
    from monitor.demo import load_demo
    from surveys.db import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.sqlite'}",
            "SECRET_KEY": "bench",
            "PANEL_SECRET": "bench",
            "TESTING": True,
            "HUEY_IMMEDIATE": True,
            "REPORTS_DIR": str(directory / "reports"),
        }
    )
    with app.app_context():
        db.create_all()
        load_demo(seed=2025)
        db.session.remove()
    return app


def main(quick: bool = False) -> None:
    from monitor import pdf
    from monitor.reports import bulk
    from monitor.reports.company import company_context, load_scan_data, render_company

    repeat = 3 if quick else 7
    n_bulk, rounds = (6, 1) if quick else (40, 3)
    renders_few, renders_many = (10, 40) if quick else (20, 200)

    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        app = _demo_app(directory)
        print(f"demo data loaded in {time.perf_counter() - started:.1f} s", flush=True)
        with app.app_context():
            data = load_scan_data(YEAR)
            organisations = data.organisations()
            started = time.perf_counter()
            contexts = [company_context(data, org, k=K) for org in organisations[:20]]
            build_each = (time.perf_counter() - started) / len(contexts)
            # the report with a change chapter and the most pages among the first 20
            context = max(
                contexts, key=lambda c: (c["profile"]["previous_year"] is not None, len(str(c)))
            )
            pages = pdf_pages(render_company(context))
            fewest = 6  # the fewest pages a company report may have

            # 1. warm render time against a minimal document of plain WeasyPrint, and what any
            # document of the same length costs: running text alone, and the charts alone
            minimal, minimal_wall = median_time(minimal_document, repeat)
            report, report_wall = median_time(lambda: render_company(context), repeat)
            text_html, fewest_html = _text_pages(pages), _text_pages(fewest)
            charts_html = _charts_only(context)
            text, text_wall = median_time(lambda: pdf.html_to_pdf(text_html), repeat)
            text_fewest, text_fewest_wall = median_time(
                lambda: pdf.html_to_pdf(fewest_html), repeat
            )
            charts, charts_wall = median_time(lambda: pdf.html_to_pdf(charts_html), repeat)
            text_pages = pdf_pages(pdf.html_to_pdf(text_html))
            n_charts = sum(1 for chart in context["charts"].values() if chart)

            def row(label: str, cpu: float, wall: float, note: str = "") -> None:
                print(
                    f"{label:<50}{cpu * 1000:8.1f} ms cpu {wall * 1000:8.1f} ms wall "
                    f"{cpu / minimal:6.1f}x{note}"
                )

            print("ratios: CPU time against the minimal document of plain WeasyPrint")
            row("minimal document, plain WeasyPrint", minimal, minimal_wall)
            row(
                f"company report, {pages} pages, {n_charts} charts",
                report,
                report_wall,
                "  (goal: at most 15x and under 3 s)",
            )
            row(f"  running text only, {text_pages} pages, report CSS", text, text_wall)
            row(
                f"  running text only, {fewest} pages (the fewest allowed)",
                text_fewest,
                text_fewest_wall,
            )
            row(f"  the report's {n_charts} charts alone, one page", charts, charts_wall)
            print(
                f"{'  per page':<50}{report / pages * 1000:8.1f} ms cpu "
                f"{report_wall / pages * 1000:8.1f} ms wall (running text: "
                f"{text / text_pages * 1000:.1f} ms cpu per page)"
            )
            print(
                f"{'  15x the minimal document allows':<50}{15 * minimal * 1000:8.1f} ms cpu; "
                f"{fewest} pages of text and the charts alone take "
                f"{(text_fewest + charts - minimal) / minimal:.1f}x"
            )
            print(
                f"{'building the context (data loaded once)':<50}{build_each * 1000:8.1f} ms wall"
            )

            # 2. bulk throughput: 2 worker processes against 1, alternating, in rounds (the
            # machine is shared: one run alone says little). Total includes the workers' start;
            # steady state is the rate between the first and the last finished report.
            ids = organisations[:n_bulk]
            total: dict[int, list[float]] = {1: [], 2: []}
            steady: dict[int, list[float]] = {1: [], 2: []}
            for round_ in range(rounds):
                for workers in (1, 2):
                    out = directory / f"bulk-{workers}"
                    stamps: list[float] = []
                    children = _children_cpu()
                    started = time.perf_counter()
                    result = bulk.build_reports(
                        YEAR,
                        out,
                        workers=workers,
                        organisation_ids=ids,
                        force=True,
                        progress=lambda done, n, outcome, stamps=stamps: stamps.append(
                            time.perf_counter()
                        ),
                    )
                    seconds = time.perf_counter() - started
                    cpu = _children_cpu() - children  # the workers, after the pool shut down
                    if result.failed:
                        print(f"  {len(result.failed)} failed: {result.failed[0].error}")
                    total[workers].append(len(result.rendered) / seconds)
                    steady[workers].append((len(stamps) - 1) / (stamps[-1] - stamps[0]))
                    print(
                        f"bulk round {round_ + 1}, {workers} worker{'s' if workers > 1 else ' '}, "
                        f"{len(ids)} reports: {seconds:6.1f} s, {total[workers][-1]:5.2f} "
                        f"reports/s, steady {steady[workers][-1]:5.2f} reports/s; workers' CPU "
                        f"{cpu / len(ids):.2f} s per report, {cpu / seconds:.2f} cores busy",
                        flush=True,
                    )
            for label, rates in (("total", total), ("steady state", steady)):
                ratios = [two / one for one, two in zip(rates[1], rates[2], strict=True)]
                print(
                    f"bulk speed-up, 2 workers against 1, {label}: median "
                    f"{statistics.median(ratios):.2f}x (rounds: "
                    f"{', '.join(f'{r:.2f}' for r in ratios)}; goal: at least 1.7x; "
                    f"{os.cpu_count()} cores)"
                )

            # 3. memory in one process rendering report after report
            gc.collect()
            tracemalloc.start()
            render_company(context)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rss = {}
            for n in range(1, renders_many + 1):
                render_company(contexts[n % len(contexts)])
                if n in (renders_few, renders_many):
                    gc.collect()
                    rss[n] = rss_mb()
            max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"memory: peak Python allocations during one render {peak / 2**20:.1f} MB; "
                f"process peak (max RSS) {max_rss:.0f} MB"
            )
            print(
                f"memory: RSS after {renders_few} renders {rss[renders_few]:.0f} MB, after "
                f"{renders_many} renders {rss[renders_many]:.0f} MB: "
                f"{rss[renders_many] / rss[renders_few]:.2f}x (goal: at most 1.3x)"
            )

            # 4. the regional monitor, if it is there
            try:
                from monitor.reports.regional import build_monitor_context, render_monitor
            except ImportError:
                print("regional monitor: not available (monitor.reports.regional missing)")
            else:
                try:
                    monitor_context = build_monitor_context(year=YEAR, k=K)
                    monitor_pdf = render_monitor(monitor_context)
                    monitor_pages = pdf_pages(monitor_pdf)
                    monitor_cpu, monitor_wall = median_time(
                        lambda: render_monitor(monitor_context), max(1, repeat // 2)
                    )
                except Exception as error:  # another engineer's module: report, do not stop
                    print(f"regional monitor: could not be measured ({type(error).__name__})")
                else:
                    per_page = monitor_cpu / monitor_pages
                    print(
                        f"regional monitor, {monitor_pages} pages: {monitor_cpu * 1000:.0f} ms cpu "
                        f"{monitor_wall * 1000:.0f} ms wall, {per_page * 1000:.1f} ms cpu per "
                        f"page: {per_page / (report / pages):.2f}x the company report's per page"
                    )


if __name__ == "__main__":
    main()
