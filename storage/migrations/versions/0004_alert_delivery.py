"""alert delivery: status, attempts and the digest an alert went out in

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="pending")
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("digest_key", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_alerts_status", ["status"])
    op.execute("UPDATE alerts SET status = 'sent' WHERE sent_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch_op:
        batch_op.drop_index("ix_alerts_status")
        batch_op.drop_column("digest_key")
        batch_op.drop_column("attempts")
        batch_op.drop_column("status")
