"""record: corrections and rescissions of decisions (the original kept, marked superseded)

Revision ID: 0003_record
Revises: 0003_authors
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import workflows.sqltypes


revision = "0003_record"
down_revision = '0003_authors'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("new_decision_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("changed", sa.JSON().with_variant(sa.JSON(), "sqlite"), nullable=False),
        sa.Column("corrected_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("corrected_at", workflows.sqltypes.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column("old_document_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["decision_id"], ["decision.id"]),
        sa.ForeignKeyConstraint(["new_decision_id"], ["decision.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("decision_id"),
    )


def downgrade() -> None:
    op.drop_table("decision_correction")
