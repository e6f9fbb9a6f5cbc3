"""Vectors: each claim's sentence vector from the models extra, stored in the desk.

- claim_vector: append-only; one row per claim, embedding model and claim text (its SHA-256),
  the vector as little-endian float16 bytes. A claim whose text was edited no longer matches
  its vector's text_hash: `factcheck index` embeds it again in a new row. Rows travel with
  `export json` (base64) and merge like every other table.

This revision carries its own SQL: it never calls helpers that later code may change.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 8
APPLICATION_ID = 0x46436B31


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


def _stamp(bind: sa.engine.Connection, version: int) -> None:
    bind.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")  # safe: a constant
    bind.exec_driver_sql(f"PRAGMA user_version = {int(version)}")  # safe: an int


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "claim_vector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name="fk_claim_vector_claim_id_claim"),
        sa.PrimaryKeyConstraint("id", name="pk_claim_vector"),
        sa.UniqueConstraint("uuid", name="uq_claim_vector_uuid"),
    )
    op.create_index("ix_claim_vector_model_claim", "claim_vector", ["model", "claim_id"])
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER claim_vector_append_only_update BEFORE UPDATE ON claim_vector "
            "BEGIN SELECT RAISE(ABORT, 'claim_vector rows are append-only: "
            "record a new one instead of changing one'); END"
        )
        op.execute(
            "CREATE TRIGGER claim_vector_append_only_delete BEFORE DELETE ON claim_vector "
            "BEGIN SELECT RAISE(ABORT, 'claim_vector rows are append-only: "
            "record a new one instead of deleting one'); END"
        )
        _stamp(bind, SCHEMA_VERSION)
    elif bind.dialect.name == "postgresql":
        for statement in _pg_append_only_guard_sql("claim_vector"):
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS claim_vector_append_only_{name}")  # safe: literal
    elif bind.dialect.name == "postgresql":
        for statement in _pg_drop_append_only_guard_sql("claim_vector"):
            op.execute(statement)
    op.drop_index("ix_claim_vector_model_claim", table_name="claim_vector")
    op.drop_table("claim_vector")
    if bind.dialect.name == "sqlite":
        _stamp(bind, SCHEMA_VERSION - 1)
