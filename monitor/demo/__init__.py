"""The deterministic demo data set (DOMAIN.md "Demo data"). Invented names only."""

import random
from collections.abc import Callable

from sqlalchemy import delete, func, select

from monitor.accounts import Role, User, create_user
from monitor.demo.organisations import make_organisations
from monitor.demo.rounds import load_rounds
from surveys.db import Base, db
from surveys.models import Organisation

#: role -> (e-mail, password); printed by `make run` and listed in the README
DEMO_LOGINS = {
    "admin": ("admin@example.org", "demo-beheerder"),
    "coordinator": ("coordinator@example.org", "demo-coordinator"),
    "employer": ("werkgever@example.org", "demo-werkgever"),
}


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Organisation)) and not (
        db.session.scalar(select(func.count()).select_from(User))
    )


def reset_database() -> None:
    """Delete every row of every table, children first."""
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def load_demo(
    seed: int = 2025, reset: bool = False, progress: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Fill the database with the demo; the same seed gives the same data."""
    if reset:
        reset_database()
    rng = random.Random(seed)
    organisations = make_organisations(rng)
    db.session.add_all(organisations)
    db.session.flush()
    progress(f"{len(organisations)} organisations")
    employer_org = next(o for o in organisations if o.kind == "werkgever")
    for role, (email, password) in DEMO_LOGINS.items():
        org_id = employer_org.id if role == Role.EMPLOYER else None
        create_user(email, role, password, org_id)
    counts = load_rounds(rng, organisations)
    for what, n in counts.items():
        progress(f"{n} {what}")
    db.session.commit()
    return {"organisations": len(organisations), "accounts": len(DEMO_LOGINS), **counts}
