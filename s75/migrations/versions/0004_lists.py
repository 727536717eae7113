"""An index for the list pages (#16, #17): the gateway board's at-risk filter tests each
proposal's open conditions by due date, an index search without reading the rows.

Revision ID: 0004_lists
Revises: 0003_record
"""

from __future__ import annotations

from alembic import op

revision = "0004_lists"
down_revision = "0003_record"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gateway_condition", schema=None) as batch_op:
        batch_op.create_index("ix_gateway_condition_risk", ["proposal_id", "status", "due"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gateway_condition", schema=None) as batch_op:
        batch_op.drop_index("ix_gateway_condition_risk")
