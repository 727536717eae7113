"""members: personal calendar links, body subscriptions, sensitive interests

Revision ID: 0003_members
Revises: 0003_follow
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import workflows.sqltypes


revision = "0003_members"
down_revision = "0003_follow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "body_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("confirm_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("unsubscribe_token", sqlmodel.sql.sqltypes.AutoString(length=64),
                  nullable=False),
        sa.Column("requested_at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", workflows.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("unsubscribed_at", workflows.sqltypes.UTCDateTime(timezone=True),
                  nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("body_id", "email"),
        sa.UniqueConstraint("confirm_hash"),
        sa.UniqueConstraint("unsubscribe_token"),
    )
    with op.batch_alter_table("body_subscription", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_body_subscription_body_id"), ["body_id"],
                              unique=False)

    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sensitive", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.drop_column("sensitive")
    with op.batch_alter_table("body_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_body_subscription_body_id"))
    op.drop_table("body_subscription")
