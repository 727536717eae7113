"""callin: the day a decision notice was published (the call-in window runs from it), and
the scrutiny body and resolution of a call-in

Revision ID: 0003_callin
Revises: 0003_render
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0003_callin"
down_revision = '0003_render'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_published_on", sa.Date(), nullable=True))
    with op.batch_alter_table("call_in", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scrutiny_body", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
        batch_op.add_column(sa.Column("resolved_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("resolution_reason", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
        batch_op.add_column(sa.Column("reconsideration_item_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("call_in", schema=None) as batch_op:
        batch_op.drop_column("reconsideration_item_id")
        batch_op.drop_column("resolution_reason")
        batch_op.drop_column("resolved_on")
        batch_op.drop_column("scrutiny_body")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_column("notice_published_on")
