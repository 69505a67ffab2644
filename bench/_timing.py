"""Timing and memory helpers shared by the benchmarks, and the minimal WeasyPrint document that
the PDF benchmarks use as their baseline."""

from __future__ import annotations

import io
import resource
import statistics
import time
from collections.abc import Callable

#: the baseline of the PDF benchmarks: rendered by plain WeasyPrint, no stylesheet or fonts
MINIMAL_HTML = "<!doctype html><html lang=nl><body><p>Hallo</p></body></html>"


def median_time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median CPU time and median wall time of `repeat` calls, after one warm-up call.

    Ratios use CPU time of this process (render threads included): it stays comparable on a busy
    machine, and rendering is CPU-bound. Wall time is printed alongside.
    """
    fn()
    cpu, wall = [], []
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall)


def minimal_document() -> bytes:
    """The baseline: the minimal document rendered by plain WeasyPrint."""
    import weasyprint

    return weasyprint.HTML(string=MINIMAL_HTML).write_pdf()


def rss_mb() -> float:
    """Resident memory now (Linux), else the peak so far."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
