"""story trace: the trace headers of the event a story was drafted from, so publishing or
withdrawing it continues the nomination's trace

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 16:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trace_headers', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_column('trace_headers')
