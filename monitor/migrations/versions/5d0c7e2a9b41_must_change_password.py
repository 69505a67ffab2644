"""users.must_change_password: a password someone else chose must be replaced at first login

Revision ID: 5d0c7e2a9b41
Revises: bced11526fe3
Create Date: 2026-11-22 17:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d0c7e2a9b41"
down_revision = "bced11526fe3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
