"""Alembic environment. factcheck runs migrations in-process on its own connection
(config.attributes["connection"]); the `alembic` command line works too, for developers."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from factcheck.models import metadata

config = context.config


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    # The FTS5 index and its shadow tables are made by hand (factcheck/sqlite.py), not models.
    return not (type_ == "table" and str(name).startswith("claim_fts"))


def run_on(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=True,  # SQLite cannot ALTER most things: rebuild tables in batches
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


shared = config.attributes.get("connection")
if shared is not None:
    run_on(shared)
elif context.is_offline_mode():
    raise SystemExit("factcheck migrations run online only")
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///dev.db")
    with engine.begin() as conn:
        run_on(conn)
