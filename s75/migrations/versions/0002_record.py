"""record: the secretary's minute text per item, and the issues (versions) of minutes

Revision ID: 0002_record
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import workflows.sqltypes


revision = "0002_record"
down_revision = "0002_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "minute_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("written_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("written_at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["agenda_item.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id"),
    )
    with op.batch_alter_table("minute_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minute_text_meeting_id"), ["meeting_id"],
                              unique=False)
    op.create_table(
        "minutes_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("public_document_id", sa.Integer(), nullable=True),
        sa.Column("created_at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "version"),
    )
    with op.batch_alter_table("minutes_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_version_meeting_id"), ["meeting_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("minutes_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_version_meeting_id"))
    op.drop_table("minutes_version")
    with op.batch_alter_table("minute_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minute_text_meeting_id"))
    op.drop_table("minute_text")
