"""nomination trace: the trace headers of a nomination's first submission, which a
resubmission and a withdrawal continue

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
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trace_headers', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_column('trace_headers')
