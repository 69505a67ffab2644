import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from surveys.db import db, lock_for_writing, reads_first
from surveys.models import Answer, Instrument, InstrumentVersion
from tests.conftest import make_app


def test_sqlite_enforces_foreign_keys_and_uses_wal(tmp_path):
    with make_app(f"sqlite:///{tmp_path}/x.sqlite").app_context(), db.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() == 10000


def test_a_reads_first_post_takes_the_write_lock_only_for_its_writes(tmp_path):
    path = tmp_path / "x.sqlite"
    app = make_app(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)

    def locked() -> bool:
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        other.execute("ROLLBACK")
        return False

    @app.post("/plain")
    def plain():
        db.session.execute(sa.text("SELECT 1"))
        return {"locked": locked()}

    @app.post("/reads-first")
    @reads_first
    def reading_first():
        db.session.execute(sa.text("SELECT 1"))
        before = locked()
        lock_for_writing()
        return {"before": before, "after": locked()}

    client = app.test_client()
    assert client.post("/plain").json == {"locked": True}
    assert client.post("/reads-first").json == {"before": False, "after": True}
    other.close()


def test_answer_needs_an_existing_response(app):
    db.session.add(Answer(response_id=12345, item_key="x", value="1"))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_published_instrument_version_cannot_be_changed(app):
    instrument = Instrument(key="demo", title="Demo")
    version = InstrumentVersion(instrument=instrument, number=1, content_hash="a" * 64,
                                definition={"key": "demo"})  # fmt: skip
    db.session.add(version)
    db.session.commit()
    version.content_hash = "b" * 64
    with pytest.raises(ValueError, match="immutable"):
        db.session.commit()
