"""report authors and clearance: agenda_item.author, item_clearance

Revision ID: 0003_authors
Revises: 0003_callin
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import workflows.sqltypes


revision = "0003_authors"
down_revision = '0003_callin'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
        batch_op.create_index(batch_op.f("ix_agenda_item_author"), ["author"], unique=False)

    op.create_table(
        "item_clearance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("cleared", sa.Boolean(), nullable=False),
        sa.Column("by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_version", sa.Integer(), nullable=False),
        sa.Column("at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["agenda_item.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("item_clearance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_clearance_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("item_clearance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_clearance_item_id"))
    op.drop_table("item_clearance")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_item_author"))
        batch_op.drop_column("author")
