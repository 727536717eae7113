"""API tokens (issue 16)

Revision ID: 0003_api
Revises: 0003_members
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import workflows.sqltypes


revision = '0003_api'
down_revision = '0003_members'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('principal_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', workflows.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', workflows.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', workflows.sqltypes.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_principal_id'), ['principal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_token_secret_hash'), ['secret_hash'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_secret_hash'))
        batch_op.drop_index(batch_op.f('ix_api_token_principal_id'))
    op.drop_table('api_token')
