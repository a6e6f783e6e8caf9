"""rejected pages keep their text, score and the profile version that scored them

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("page_fetches") as batch_op:
        batch_op.add_column(sa.Column("title", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("relevance", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("profile_version", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("outlet", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("page_fetches") as batch_op:
        for column in ("published_at", "outlet", "profile_version", "relevance", "text", "title"):
            batch_op.drop_column(column)
