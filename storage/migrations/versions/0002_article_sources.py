"""article sources: provenance of each article

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=2048), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("article_id", "source"),
    )
    with op.batch_alter_table("article_sources") as batch_op:
        batch_op.create_index("ix_article_sources_article_id", ["article_id"])
        batch_op.create_index("ix_article_sources_source", ["source"])


def downgrade() -> None:
    op.drop_table("article_sources")
