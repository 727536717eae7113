"""The iCalendar feeds' window (#17): a body's deadlines and a member's own, by due time.

Revision ID: 0006_feeds
Revises: 0005_views
"""

from __future__ import annotations

from alembic import op

revision = "0006_feeds"
down_revision = "0005_views"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_deadline_body_due_at": ["body_id", "due_at"],
    "ix_deadline_owner_due_at": ["owner_id", "due_at"],
    "ix_deadline_owner_email_due_at": ["owner_email", "due_at"],
}


def upgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        for name in reversed(INDEXES):
            batch_op.drop_index(name)
