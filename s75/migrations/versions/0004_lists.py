"""The list pages (#16, #17): the gateway board's summary of each proposal's gateways and
conditions (``proposal_gateway_summary``: the latest gateway month, whether it was other than
go, the earliest open condition's due date), filled here for the proposals there are and kept
in step by the gateway events (s75/web/board_summary.py); an index on open conditions by
proposal and due date; and meetings by start time (the OParl meeting list, earliest first,
across bodies).

Revision ID: 0004_lists
Revises: 0003_record
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_lists"
down_revision = "0003_record"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO proposal_gateway_summary (proposal_id, latest_month, latest_not_go, first_open_due)
SELECT p.id,
       (SELECT max(g.month) FROM gateway g WHERE g.proposal_id = p.id),
       EXISTS (SELECT 1 FROM gateway_return r WHERE r.decision != 'go' AND r.gateway_id = (
           SELECT l.id FROM gateway l WHERE l.proposal_id = p.id
           ORDER BY l.month DESC LIMIT 1)),
       (SELECT min(c.due) FROM gateway_condition c
        WHERE c.proposal_id = p.id AND c.status = 'open')
FROM proposal p
"""


def upgrade() -> None:
    op.create_table(
        "proposal_gateway_summary",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("latest_month", sa.Date(), nullable=True),
        sa.Column("latest_not_go", sa.Boolean(), nullable=False),
        sa.Column("first_open_due", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"]),
        sa.PrimaryKeyConstraint("proposal_id"),
    )
    op.execute(FILL)
    with op.batch_alter_table("gateway_condition", schema=None) as batch_op:
        batch_op.create_index("ix_gateway_condition_risk", ["proposal_id", "status", "due"],
                              unique=False)
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_starts_at", ["starts_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_starts_at")
    with op.batch_alter_table("gateway_condition", schema=None) as batch_op:
        batch_op.drop_index("ix_gateway_condition_risk")
    op.drop_table("proposal_gateway_summary")
