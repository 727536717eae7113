"""render: render jobs, documents rendered after the commit of the event that asked for them

Revision ID: 0003_render
Revises: 0003_referrals
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import workflows.sqltypes


revision = "0003_render"
down_revision = '0003_referrals'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "render_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("params", sa.JSON().with_variant(sa.JSON(), 'sqlite'), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", workflows.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("claimed_at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("render_job", schema=None) as batch_op:
        batch_op.create_index("ix_render_job_state_id", ["state", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_render_job_meeting_id"), ["meeting_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("render_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_render_job_meeting_id"))
        batch_op.drop_index("ix_render_job_state_id")
    op.drop_table("render_job")
