"""outbox_mails.invitation_id; the personal links already in stored mail bodies are taken out

A mail body keeps a placeholder where the personal link goes and delivery fills the link in
(surveys/mail.py). Bodies stored before this revision still hold the link: each link is replaced
by the placeholder and the mail is tied to the invitation the token belongs to, so a queued mail
still goes out with its link. A queued mail whose link no longer matches an invitation (erased
contact data) is marked failed rather than sent without a working link.

Revision ID: 7f3c2b9e4a10
Revises: 5d0c7e2a9b41
Create Date: 2026-12-02 10:30:00

"""

import hashlib
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7f3c2b9e4a10"
down_revision = "5d0c7e2a9b41"
branch_labels = None
depends_on = None

#: surveys.mail.LINK at the time of this revision
PLACEHOLDER = "[persoonlijke link]"
#: a personal link as bodies held it: any address ending in /s/<43-character token>
STORED_LINK = re.compile(r"\S*/s/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])")

outbox = sa.table(
    "outbox_mails",
    sa.column("id", sa.Integer),
    sa.column("invitation_id", sa.Integer),
    sa.column("body", sa.Text),
    sa.column("state", sa.String),
    sa.column("error", sa.String),
)
invitations = sa.table(
    "invitations", sa.column("id", sa.Integer), sa.column("token_hash", sa.String)
)


def _take_links_out(connection) -> None:
    rows = connection.execute(
        sa.select(outbox.c.id, outbox.c.body, outbox.c.state).where(outbox.c.body.contains("/s/"))
    ).all()
    for mail_id, body, state in rows:
        tokens = STORED_LINK.findall(body)
        if not tokens:
            continue
        hashes = {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
        found = (
            connection.execute(
                sa.select(invitations.c.id).where(invitations.c.token_hash.in_(hashes))
            )
            .scalars()
            .all()
        )
        values = {"body": STORED_LINK.sub(PLACEHOLDER, body)}
        if len(found) == 1:
            values["invitation_id"] = found[0]
        elif state == "queued":
            values.update(state="failed", error="personal link no longer known (not sent)")
        connection.execute(sa.update(outbox).where(outbox.c.id == mail_id).values(**values))


def upgrade():
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invitation_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_mails_invitation_id"), ["invitation_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_mails_invitation_id_invitations"),
            "invitations",
            ["invitation_id"],
            ["id"],
            ondelete="CASCADE",
        )
    _take_links_out(op.get_bind())


def downgrade():
    # the links taken out are not put back: they were never meant to be stored
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_mails_invitation_id_invitations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_mails_invitation_id"))
        batch_op.drop_column("invitation_id")
