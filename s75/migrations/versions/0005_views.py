"""The member's actions page (#17): the action log by owner and by owner's e-mail address,
the two filters of ``/members/actions``.

Revision ID: 0005_views
Revises: 0004_lists
"""

from __future__ import annotations

from alembic import op

revision = "0005_views"
down_revision = "0004_lists"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_owner_email"), ["owner_email"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_owner_email"))
        batch_op.drop_index(batch_op.f("ix_action_owner"))
