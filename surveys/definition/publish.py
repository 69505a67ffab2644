"""Publishing definitions as immutable instrument versions.

A published version is identified by the sha256 of its canonical JSON: publishing the same content
again is a no-op that returns the existing version; changed content becomes version number + 1.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from surveys.db import db
from surveys.definition.errors import DefinitionError
from surveys.definition.loader import content_hash, load_definition, load_definition_file
from surveys.definition.messages import translate
from surveys.models import Instrument, InstrumentVersion

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishResult:
    """The version a definition is published as, and whether publishing created it."""

    version: InstrumentVersion
    created: bool

    @property
    def key(self) -> str:
        return self.version.instrument.key

    @property
    def number(self) -> int:
        return self.version.number

    def __str__(self) -> str:
        verb = "published" if self.created else "unchanged"
        return f"{verb} {self.key} v{self.number}"


def publish_definition(definition: Mapping[str, Any], *, commit: bool = True) -> PublishResult:
    """Publish a definition: validate it, then store it as a new version unless a version with
    the same content exists (then return that one). DefinitionError if it is not valid."""
    definition = load_definition(dict(definition), file=str(definition.get("key", "<definition>")))
    digest = content_hash(definition)
    title = translate(definition["title"], "nl")[:200]
    instrument = db.session.scalar(select(Instrument).where(Instrument.key == definition["key"]))
    if instrument is None:
        instrument = Instrument(key=definition["key"], title=title)
        db.session.add(instrument)
        db.session.flush()
    existing = db.session.scalar(
        select(InstrumentVersion).where(
            InstrumentVersion.instrument_id == instrument.id,
            InstrumentVersion.content_hash == digest,
        )
    )
    if existing is not None:
        return PublishResult(existing, created=False)
    last = db.session.scalar(
        select(func.max(InstrumentVersion.number)).where(
            InstrumentVersion.instrument_id == instrument.id
        )
    )
    version = InstrumentVersion(
        instrument=instrument,
        number=(last or 0) + 1,
        content_hash=digest,
        definition=definition,
    )
    instrument.title = title
    db.session.add(version)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    log.info("published instrument %s v%d (%s)", instrument.key, version.number, digest[:12])
    return PublishResult(version, created=True)


def publish_file(path: str | Path, *, commit: bool = True) -> PublishResult:
    """Load, validate and publish one YAML file (see `publish_definition`)."""
    return publish_definition(load_definition_file(path), commit=commit)


def get_version(key: str, number: int | None = None) -> InstrumentVersion:
    """Version `number` of instrument `key` (the latest when None); LookupError if there is none."""
    instrument = db.session.scalar(select(Instrument).where(Instrument.key == key))
    if instrument is None:
        raise LookupError(f"no instrument '{key}' has been published")
    query = select(InstrumentVersion).where(InstrumentVersion.instrument_id == instrument.id)
    if number is None:
        version = db.session.scalar(query.order_by(InstrumentVersion.number.desc()).limit(1))
    else:
        version = db.session.scalar(query.where(InstrumentVersion.number == number))
    if version is None:
        raise LookupError(f"instrument '{key}' has no version {number}")
    return version


__all__ = ["DefinitionError", "PublishResult", "get_version", "publish_definition", "publish_file"]
