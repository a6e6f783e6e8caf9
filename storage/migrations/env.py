"""Alembic environment: storage.db.upgrade hands in the connection to migrate."""

from alembic import context
from sqlalchemy import create_engine

from storage.models import Base

target_metadata = Base.metadata


def _ours(obj, name, type_, reflected, compare_to) -> bool:
    """The daemon's APScheduler job table shares the database; it is not ours to migrate."""
    return not (type_ == "table" and name == "apscheduler_jobs")


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_ours,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by table copy
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:  # `alembic -x url=... revision --autogenerate` from a developer's shell
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///storywatch.db")
    with create_engine(url).begin() as standalone:
        run_migrations(standalone)
