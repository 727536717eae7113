"""publishing: document versions and publication dates; an item's action wording

Revision ID: 0002_publishing
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import workflows.sqltypes


revision = "0002_publishing"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False,
                                      server_default="1"))
        batch_op.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_at",
                                      workflows.sqltypes.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column("published_by", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("source_hash",
                                      sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))


    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action_text", sa.String(), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("checklist",
                                      sa.JSON().with_variant(sa.JSON(), "sqlite"),
                                      nullable=False, server_default="{}"))


    op.create_table(
        "item_appendix",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["agenda_item.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("item_appendix", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_appendix_item_id"), ["item_id"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("item_appendix")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_column("checklist")
        batch_op.drop_column("action_text")
    with op.batch_alter_table("document", schema=None) as batch_op:
        for name in ("source_hash", "published_by", "published_at", "supersedes_id",
                     "version"):
            batch_op.drop_column(name)
