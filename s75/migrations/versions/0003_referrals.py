"""referrals: report-back items, partners that only attend, late gateway returns, the source
of an approval, each partner's decision to move the start date

Revision ID: 0003_referrals
Revises: 0003_api
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0003_referrals"
down_revision = '0003_api'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pools", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_item_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_referral_report_item_id_agenda_item",
                                    "agenda_item", ["report_item_id"], ["id"])
    with op.batch_alter_table("proposal_approval", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16),
                                      nullable=False, server_default="decision"))
    with op.batch_alter_table("gateway_return", schema=None) as batch_op:
        batch_op.add_column(sa.Column("late_reason", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
    with op.batch_alter_table("proposal_start_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_id", sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
        batch_op.add_column(sa.Column("applied", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("proposal_start_change", schema=None) as batch_op:
        batch_op.drop_column("applied")
        batch_op.drop_column("partner_id")
    with op.batch_alter_table("gateway_return", schema=None) as batch_op:
        batch_op.drop_column("late_reason")
    with op.batch_alter_table("proposal_approval", schema=None) as batch_op:
        batch_op.drop_column("source")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_constraint("fk_referral_report_item_id_agenda_item", type_="foreignkey")
        batch_op.drop_column("report_item_id")
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.drop_column("pools")
