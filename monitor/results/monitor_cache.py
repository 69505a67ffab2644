"""Report contexts for the web, built once per state of the data and kept on disk.

Building the context of a year takes seconds (every answer frame, the models, the charts), too
slow for a web page. ``monitor_context(year, k)`` keeps the built context as JSON in the reports
folder (``<REPORTS_DIR>/monitor/monitor-<year>-k<k>-<stamp>.json``), shared by every web worker
and by the PDF and JSON downloads, so the web page, the PDF and the JSON of a year are rendered
from the same dict.

The file name carries a stamp of everything the monitor reads, computed in one cheap round of
queries per request (``data_stamp``). The kept context is used again only while the stamp is the
same; it is built anew when

- an answer or response is added, removed or edited (count, highest id and total length of the
  answers; count, highest id, first and last start, last change and last submission of the
  responses: answers are saved only while a response is in progress, and every save moves its
  last change);
- a campaign, invitation or published instrument version is added or changed (the campaigns'
  status, year, wave, mode and title; counts of invitations and versions);
- an organisation is added, removed or changes kind, sector, region or size class;
- a sprint, its members, sessions or attendance change;
- k changes, or the code that builds the monitor changes (a digest of its source files), or
  the database is another one (its URL);
- a new day starts (the context carries its build date).

An older file of the same year and k is removed when a new one is written. ``kept`` does the
same for any context (the employer's results page keeps its own under ``employer/``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select

from monitor.reports.bulk import reports_root, write_atomically
from surveys.db import Base, db

__all__ = ["cache_dir", "data_stamp", "kept", "monitor_context"]

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
#: the source whose change changes the monitor's numbers or texts
SOURCES = (
    "monitor/reports/regional*.py",
    "monitor/reports/company.py",
    "monitor/results/*.py",
    "monitor/charts/*.py",
    "analysis/*.py",
    "scans/*.py",
    "surveys/frame.py",
    "surveys/definition/**/*.py",
)
#: big tables: summarised by count, highest id and (answers) the total length of the values
BIG = {"answers": ("value",), "responses": (), "invitations": ()}
#: small tables: the columns the monitor reads, hashed row by row
SMALL = {
    "campaigns": ("id", "status", "year", "wave", "mode", "title", "instrument_version_id"),
    "instrument_versions": ("id", "instrument_id", "number"),
    "organisations": ("id", "kind", "sector", "region", "size_class"),
    "sprint_themes": ("id", "key", "title"),
    "sprints": ("id", "year", "status", "theme_id"),
    "sprint_members": ("id", "sprint_id", "organisation_id", "role"),
    "sprint_sessions": ("id", "sprint_id", "number"),
    "sprint_attendance": ("id", "session_id", "organisation_id", "present"),
}


@cache
def code_digest() -> str:
    """A digest of the source files that build the monitor (changes with a deploy)."""
    digest = hashlib.sha256()
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def data_stamp() -> str:
    """A short digest of the state of every table the monitor reads (see the module docstring)."""
    digest = hashlib.sha256(code_digest().encode())
    # another database (a copy, a test database) never shares a kept context
    digest.update(db.engine.url.render_as_string(hide_password=True).encode())
    for name, lengths in BIG.items():
        table = _table(name)
        columns = [func.count(), func.max(table.c.id)]
        columns += [func.sum(func.length(table.c[column])) for column in lengths]
        if name == "responses":
            columns += [
                func.min(table.c.started_at),
                func.max(table.c.started_at),
                func.max(table.c.updated_at),
                func.max(table.c.submitted_at),
                func.count(table.c.submitted_at),
            ]
        digest.update(repr(tuple(db.session.execute(select(*columns)).one())).encode())
    for name, wanted in SMALL.items():
        table = _table(name)
        present = [table.c[column] for column in wanted if column in table.c]
        for row in db.session.execute(select(*present).order_by(table.c.id)):
            digest.update(repr(tuple(row)).encode())
        digest.update(b"|")
    return digest.hexdigest()[:20]


def cache_dir(kind: str = "monitor") -> Path:
    """Where the kept contexts of ``kind`` are: ``<reports folder>/<kind>``."""
    return reports_root() / kind


def kept(kind: str, name: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The context ``build()`` returns, kept as ``<reports folder>/<kind>/<name>-<stamp>.json``
    and used again while the data stamp (and the day) is the same. What is returned is always
    the JSON form read back, so a fresh and a kept context are the same values."""
    stamp = f"{data_stamp()}-{date.today().isoformat()}"
    folder = cache_dir(kind)
    path = folder / f"{name}-{stamp}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    except ValueError:  # a damaged file: build it again
        log.warning("kept context %s/%s is damaged; building it again", kind, path.name)
    text = json.dumps(build(), ensure_ascii=False, allow_nan=False, default=_plain)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text.encode())
    for old in folder.glob(f"{name}-*.json"):
        if old != path:
            old.unlink(missing_ok=True)
    return json.loads(text)


def _plain(value: Any) -> Any:
    """Dates as ISO strings (a company context holds some)."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a plain value")


def monitor_context(year: int, k: int) -> dict[str, Any]:
    """The context of the regional monitor of ``year`` with threshold ``k``: the kept one when
    the data have not changed since it was built, else built now and kept. Needs an app
    context."""
    from monitor.reports.regional import build_monitor_context

    return kept("monitor", f"monitor-{year}-k{k}", lambda: build_monitor_context(year=year, k=k))
