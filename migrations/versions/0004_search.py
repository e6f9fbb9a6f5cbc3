"""Search and matching: full-text index on claims, confirmed claim links, review sort indexes.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 4


# Frozen copies of the SQL this revision runs: later code may change its helpers, never
# what an old revision does.
APPLICATION_ID = 0x46436B31


def _append_only_guard_sql(table: str) -> list[str]:
    # safe: table is one of this revision's constant names
    return [
        f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: "
        "record a new one instead of changing one'); END",
        f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: "
        "record a new one instead of deleting one'); END",
    ]


def _create_fts_sql() -> list[str]:
    return [
        "CREATE VIRTUAL TABLE claim_fts USING fts5(text, speaker, summary, content='claim', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "
        "INSERT INTO claim_fts(rowid, text, speaker, summary) "
        "VALUES (new.id, new.text, new.speaker, new.summary); END",
        "CREATE TRIGGER claim_fts_delete AFTER DELETE ON claim BEGIN "
        "INSERT INTO claim_fts(claim_fts, rowid, text, speaker, summary) "
        "VALUES ('delete', old.id, old.text, old.speaker, old.summary); END",
        "CREATE TRIGGER claim_fts_update AFTER UPDATE OF text, speaker, summary ON claim BEGIN "
        "INSERT INTO claim_fts(claim_fts, rowid, text, speaker, summary) "
        "VALUES ('delete', old.id, old.text, old.speaker, old.summary); "
        "INSERT INTO claim_fts(rowid, text, speaker, summary) "
        "VALUES (new.id, new.text, new.speaker, new.summary); END",
        "INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')",
    ]


def _drop_append_only_guard_sql(table: str) -> list[str]:
    return [  # safe: table is one of this revision's constant names
        f"DROP TRIGGER IF EXISTS {table}_append_only_update",
        f"DROP TRIGGER IF EXISTS {table}_append_only_delete",
    ]


def _drop_fts_sql() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS claim_fts_insert",
        "DROP TRIGGER IF EXISTS claim_fts_delete",
        "DROP TRIGGER IF EXISTS claim_fts_update",
        "DROP TABLE IF EXISTS claim_fts",
    ]


# PostgreSQL: the same guards as PL/pgSQL trigger functions, with the same messages (and a
# TRUNCATE guard, which SQLite has no need of).
def _pg_append_only_guard_sql(table: str) -> list[str]:
    # safe: table is one of this revision's constant names
    return [
        f"CREATE FUNCTION {table}_append_only_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{table} rows are append-only: "
        "record a new one instead of changing one'; END $$",
        f"CREATE FUNCTION {table}_append_only_delete() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{table} rows are append-only: "
        "record a new one instead of deleting one'; END $$",
        f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only_update()",
        f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only_delete()",
        f"CREATE TRIGGER {table}_append_only_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only_delete()",
    ]


def _pg_drop_append_only_guard_sql(table: str) -> list[str]:
    return [  # safe: table is one of this revision's constant names
        f"DROP TRIGGER IF EXISTS {table}_append_only_update ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_append_only_delete ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_append_only_truncate ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_append_only_update()",
        f"DROP FUNCTION IF EXISTS {table}_append_only_delete()",
    ]


# PostgreSQL's own full-text search in place of FTS5: a generated tsvector column (kept up to
# date by the server, so no triggers) and a GIN index over it.
_PG_SEARCH_SQL = [
    "ALTER TABLE claim ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(speaker, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'C')) STORED",
    "CREATE INDEX ix_claim_search_vector ON claim USING gin (search_vector)",
]
_PG_DROP_SEARCH_SQL = [
    "DROP INDEX IF EXISTS ix_claim_search_vector",
    "ALTER TABLE claim DROP COLUMN IF EXISTS search_vector",
]


def _stamp_identity(bind: Any, version: int) -> None:
    bind.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")  # safe: a constant
    bind.exec_driver_sql(f"PRAGMA user_version = {int(version)}")  # safe: an int


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "claim_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("other_claim_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name="fk_claim_link_claim_id_claim"),
        sa.ForeignKeyConstraint(
            ["other_claim_id"], ["claim.id"], name="fk_claim_link_other_claim_id_claim"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_claim_link"),
        sa.UniqueConstraint("uuid", name="uq_claim_link_uuid"),
    )
    op.create_index("ix_claim_link_claim_id", "claim_link", ["claim_id"])
    op.create_index("ix_claim_link_other_claim_id", "claim_link", ["other_claim_id"])
    # Review sorts (score, newest) read a page from an index instead of sorting every claim.
    op.create_index("ix_claim_score_id", "claim", ["score", "id"])
    op.create_index("ix_claim_created_id", "claim", ["created_at", "id"])
    if bind.dialect.name == "sqlite":
        for statement in _append_only_guard_sql("claim_link"):
            op.execute(statement)
        for statement in _create_fts_sql():
            op.execute(statement)
        _stamp_identity(bind, SCHEMA_VERSION)
    elif bind.dialect.name == "postgresql":
        for statement in _pg_append_only_guard_sql("claim_link") + _PG_SEARCH_SQL:
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _drop_fts_sql() + _drop_append_only_guard_sql("claim_link"):
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        for statement in _PG_DROP_SEARCH_SQL + _pg_drop_append_only_guard_sql("claim_link"):
            op.execute(statement)
    op.drop_index("ix_claim_created_id", table_name="claim")
    op.drop_index("ix_claim_score_id", table_name="claim")
    op.drop_index("ix_claim_link_other_claim_id", table_name="claim_link")
    op.drop_index("ix_claim_link_claim_id", table_name="claim_link")
    op.drop_table("claim_link")
    if bind.dialect.name == "sqlite":
        _stamp_identity(bind, SCHEMA_VERSION - 1)
