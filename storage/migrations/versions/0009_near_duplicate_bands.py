"""near-duplicate index in the database: one row per LSH band of each original's signature

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from storage.dedupe import band_keys

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    bands = op.create_table(
        "near_duplicate_bands",
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False),
        sa.PrimaryKeyConstraint("band_key", "article_id"),
        sqlite_with_rowid=False,
    )
    connection = op.get_bind()
    originals = connection.execute(
        sa.text(
            "SELECT id, signature FROM articles "
            "WHERE duplicate_of IS NULL AND signature IS NOT NULL"
        )
    ).all()
    rows = []
    for article_id, signature in originals:
        rows.extend({"band_key": key, "article_id": article_id} for key in band_keys(signature))
        if len(rows) >= BATCH:
            op.bulk_insert(bands, rows)
            rows = []
    if rows:
        op.bulk_insert(bands, rows)


def downgrade() -> None:
    op.drop_table("near_duplicate_bands")
