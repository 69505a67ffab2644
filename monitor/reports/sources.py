"""What a company report is made of, summed up in a few cheap queries: its source stamp.

Building a company report's context loads every HR-scan of the year and before and computes the
profile, the advice and the charts (about 0.3-0.5 s of CPU on the demo, more on a large year),
even when the PDF kept from an earlier download is still right. The source stamp says whether
it is without building anything: a hash of

- the HR-scan campaigns up to the year (id, year, wave, pinned version: published versions never
  change);
- the submitted responses of those campaigns: their number, the sum of their ids (a deleted
  one), the latest ``updated_at`` and ``submitted_at`` (every save and the submission set them),
  and their answers' number, sum of ids and total length (an answer added, removed or rewritten
  behind the application's back);
- every organisation's sector, region and size class (the peer groups) and the company's name;
- the disclosure threshold k, the print templates and the source of the code that computes the
  report (scans, analysis, monitor/reports, charts), so a new release renders afresh.

The stamp is stored next to the PDF (``<pdf>.source``). Equal stamps: the kept PDF is current.
An answer changed by hand in the database to another of the same length, without touching its
response, is the one change it does not see; ``monitor reports build --force`` renders anew.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from sqlalchemy import func, select

from monitor import ROOT
from monitor.reports.bulk import SOURCE_SUFFIX, write_atomically
from scans.instrument import HR_SCAN
from surveys.db import db
from surveys.models import (
    Answer,
    Campaign,
    Instrument,
    InstrumentVersion,
    Organisation,
    Response,
    ResponseStatus,
)

__all__ = ["code_files", "keep", "kept_report", "source_stamp"]

#: the code (packages or modules, without ".py") and templates whose change makes every kept
#: report out of date
CODE = ("scans", "analysis", "monitor/reports", "monitor/charts", "monitor/formatting")
TEMPLATES = "templates/reports"


def code_files() -> list[Path]:
    """The files of ``CODE`` and ``TEMPLATES``, in a stable order."""
    paths: list[Path] = []
    for name in (*CODE, TEMPLATES):
        path = ROOT / name
        if path.is_dir():
            paths += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix != ".pyc")
        elif path.with_suffix(".py").is_file():
            paths.append(path.with_suffix(".py"))
    return paths


@functools.cache
def _code_digest() -> str:
    """A hash of the report code, the print templates and matplotlib's version (once a process)."""
    digest = hashlib.sha256(version("matplotlib").encode())
    for path in code_files():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def source_stamp(organisation_id: int, year: int, k: int) -> str | None:
    """The source stamp of the company's report of ``year``, or None when the company has no
    submitted HR-scan that year (nothing to build: a 404, without loading the year)."""
    campaigns = db.session.execute(
        select(Campaign.id, Campaign.year, Campaign.wave, Campaign.instrument_version_id)
        .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(Instrument.key == HR_SCAN, Campaign.year <= year)
        .order_by(Campaign.id)
    ).all()
    this_year = [row.id for row in campaigns if row.year == year]
    submitted = (Response.status == ResponseStatus.SUBMITTED, Response.campaign_id.in_(this_year))
    if not this_year or not db.session.scalar(
        select(Response.id).where(*submitted, Response.organisation_id == organisation_id).limit(1)
    ):
        return None
    in_scope = (
        Response.status == ResponseStatus.SUBMITTED,
        Response.campaign_id.in_([row.id for row in campaigns]),
    )
    responses = db.session.execute(
        select(
            func.count(),
            func.sum(Response.id),
            func.max(Response.updated_at),
            func.max(Response.submitted_at),
        ).where(*in_scope)
    ).one()
    answers = db.session.execute(
        select(func.count(), func.sum(Answer.id), func.sum(func.length(Answer.value)))
        .join(Response, Answer.response_id == Response.id)
        .where(*in_scope)
    ).one()
    organisations = db.session.execute(
        select(
            Organisation.id, Organisation.sector, Organisation.region, Organisation.size_class
        ).order_by(Organisation.id)
    ).all()
    name = db.session.scalar(select(Organisation.name).where(Organisation.id == organisation_id))
    content = {
        "organisation": [organisation_id, name],
        "year": year,
        "k": k,
        "campaigns": [list(row) for row in campaigns],
        "responses": list(responses),
        "answers": list(answers),
        "organisations": [list(row) for row in organisations],
        "code": _code_digest(),
    }
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()


def _sidecar(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + SOURCE_SUFFIX)


def kept_report(out_dir: Path, organisation_id: int, year: int, stamp: str) -> Path | None:
    """The kept PDF of the company's report of ``year`` if it was made from ``stamp``."""
    for pdf in out_dir.glob(f"hr-scan-{year}-{organisation_id:04d}-*.pdf"):
        try:
            if _sidecar(pdf).read_text().strip() == stamp:
                return pdf
        except OSError:
            continue
    return None


def keep(pdf: Path, stamp: str) -> None:
    """Record that ``pdf`` was made from ``stamp`` (written atomically, after the PDF)."""
    write_atomically(_sidecar(pdf), stamp.encode())
