"""Indexes for the paths that grow (#17): the audit log by subject, deadlines by state and
their next moment or due time. (Gateways by proposal and month already have the unique index
of their constraint.)

Revision ID: 0002_speed
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002_speed"
down_revision = "0002_publishing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_subject", ["subject_type", "subject_id", "id"],
                              unique=False)
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.create_index("ix_deadline_state_next_at", ["state", "next_at"], unique=False)
        batch_op.create_index("ix_deadline_state_due_at", ["state", "due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index("ix_deadline_state_due_at")
        batch_op.drop_index("ix_deadline_state_next_at")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_subject")
