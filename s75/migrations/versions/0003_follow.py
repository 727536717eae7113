"""follow: when a report listed "to follow" on a published agenda was supplied

Revision ID: 0003_follow
Revises: 0002_record
"""
from alembic import op
import sqlalchemy as sa
import workflows.sqltypes


revision = "0003_follow"
down_revision = "0002_record"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agenda_item", sa.Column("report_followed_at",
                                           workflows.sqltypes.UTCDateTime(timezone=True),
                                           nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agenda_item") as batch:
        batch.drop_column("report_followed_at")
