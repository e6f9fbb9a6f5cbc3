"""Change history and multi-parent verdicts, so that copies of a file merge without loss.

- verdict_supersedes replaces verdict.supersedes_id: a verdict may supersede several (it
  resolves a conflict between two verdicts made on two copies).
- change: an append-only log of edits to mutable fields (claim text/status/speaker ...).
- evidence becomes append-only like verdicts.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 3


# Frozen copies of the SQL this revision runs: later code may change its helpers, never
# what an old revision does.
APPLICATION_ID = 0x46436B31


_SUPERSEDES_LINK_SAME_CLAIM_SQL = (
    "CREATE TRIGGER verdict_supersedes_link_same_claim BEFORE INSERT ON verdict_supersedes "
    "WHEN (SELECT claim_id FROM verdict WHERE id = NEW.superseded_id) IS NOT "
    "(SELECT claim_id FROM verdict WHERE id = NEW.verdict_id) "
    "BEGIN SELECT RAISE(ABORT, 'a verdict can only supersede a verdict on the same claim'); END"
)


_SUPERSEDES_SAME_CLAIM_SQL = (
    "CREATE TRIGGER verdict_supersedes_same_claim BEFORE INSERT ON verdict "
    "WHEN NEW.supersedes_id IS NOT NULL AND "
    "(SELECT claim_id FROM verdict WHERE id = NEW.supersedes_id) IS NOT NEW.claim_id "
    "BEGIN SELECT RAISE(ABORT, 'a verdict can only supersede a verdict on the same claim'); END"
)


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


def _drop_append_only_guard_sql(table: str) -> list[str]:
    return [  # safe: table is one of this revision's constant names
        f"DROP TRIGGER IF EXISTS {table}_append_only_update",
        f"DROP TRIGGER IF EXISTS {table}_append_only_delete",
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


_PG_SUPERSEDES_SAME_CLAIM_SQL = [
    "CREATE FUNCTION verdict_supersedes_same_claim() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF NEW.supersedes_id IS NOT NULL AND "
    "(SELECT claim_id FROM verdict WHERE id = NEW.supersedes_id) IS DISTINCT FROM NEW.claim_id "
    "THEN RAISE EXCEPTION 'a verdict can only supersede a verdict on the same claim'; END IF; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER verdict_supersedes_same_claim BEFORE INSERT ON verdict "
    "FOR EACH ROW EXECUTE FUNCTION verdict_supersedes_same_claim()",
]
_PG_DROP_SUPERSEDES_SAME_CLAIM_SQL = [
    "DROP TRIGGER IF EXISTS verdict_supersedes_same_claim ON verdict",
    "DROP FUNCTION IF EXISTS verdict_supersedes_same_claim()",
]

_PG_SUPERSEDES_LINK_SAME_CLAIM_SQL = [
    "CREATE FUNCTION verdict_supersedes_link_same_claim() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF (SELECT claim_id FROM verdict WHERE id = NEW.superseded_id) IS DISTINCT FROM "
    "(SELECT claim_id FROM verdict WHERE id = NEW.verdict_id) "
    "THEN RAISE EXCEPTION 'a verdict can only supersede a verdict on the same claim'; END IF; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER verdict_supersedes_link_same_claim BEFORE INSERT ON verdict_supersedes "
    "FOR EACH ROW EXECUTE FUNCTION verdict_supersedes_link_same_claim()",
]
_PG_DROP_SUPERSEDES_LINK_SAME_CLAIM_SQL = [
    "DROP TRIGGER IF EXISTS verdict_supersedes_link_same_claim ON verdict_supersedes",
    "DROP FUNCTION IF EXISTS verdict_supersedes_link_same_claim()",
]

# Tables that become append-only here; verdict's guards (0001) stay, as ALTER TABLE keeps them.
_PG_NEW_GUARDED = ("evidence", "change", "verdict_supersedes")


def _stamp_identity(bind: Any, version: int) -> None:
    bind.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")  # safe: a constant
    bind.exec_driver_sql(f"PRAGMA user_version = {int(version)}")  # safe: an int


def upgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        "verdict_supersedes",
        sa.Column("verdict_id", sa.Integer(), nullable=False),
        sa.Column("superseded_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["verdict_id"], ["verdict.id"], name="fk_verdict_supersedes_verdict_id_verdict"
        ),
        sa.ForeignKeyConstraint(
            ["superseded_id"], ["verdict.id"], name="fk_verdict_supersedes_superseded_id_verdict"
        ),
        sa.PrimaryKeyConstraint("verdict_id", "superseded_id", name="pk_verdict_supersedes"),
    )
    op.create_index("ix_verdict_supersedes_superseded_id", "verdict_supersedes", ["superseded_id"])
    op.execute(
        "INSERT INTO verdict_supersedes (verdict_id, superseded_id) "
        "SELECT id, supersedes_id FROM verdict WHERE supersedes_id IS NOT NULL"
    )
    if is_sqlite:
        # The verdict table is rebuilt to drop the column: lift its guards meanwhile.
        for statement in _drop_append_only_guard_sql("verdict"):
            op.execute(statement)
        op.execute("DROP TRIGGER IF EXISTS verdict_supersedes_same_claim")
    elif bind.dialect.name == "postgresql":
        for statement in _PG_DROP_SUPERSEDES_SAME_CLAIM_SQL:  # it reads the dropped column
            op.execute(statement)
    with op.batch_alter_table("verdict") as batch_op:
        batch_op.drop_constraint("fk_verdict_supersedes_id_verdict", type_="foreignkey")
        batch_op.drop_column("supersedes_id")
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_uuid", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_change"),
        sa.UniqueConstraint("uuid", name="uq_change_uuid"),
    )
    op.create_index("ix_change_entity_field", "change", ["entity_uuid", "field", "created_at"])
    if is_sqlite:
        for table in ("verdict", "evidence", "change", "verdict_supersedes"):
            for statement in _append_only_guard_sql(table):
                op.execute(statement)
        op.execute(_SUPERSEDES_LINK_SAME_CLAIM_SQL)
        _stamp_identity(bind, SCHEMA_VERSION)
    elif bind.dialect.name == "postgresql":
        for table in _PG_NEW_GUARDED:
            for statement in _pg_append_only_guard_sql(table):
                op.execute(statement)
        for statement in _PG_SUPERSEDES_LINK_SAME_CLAIM_SQL:
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    if is_sqlite:
        for table in ("verdict", "evidence", "change", "verdict_supersedes"):
            for statement in _drop_append_only_guard_sql(table):
                op.execute(statement)
        op.execute("DROP TRIGGER IF EXISTS verdict_supersedes_link_same_claim")
    elif bind.dialect.name == "postgresql":
        for table in _PG_NEW_GUARDED:
            for statement in _pg_drop_append_only_guard_sql(table):
                op.execute(statement)
        for statement in _PG_DROP_SUPERSEDES_LINK_SAME_CLAIM_SQL:
            op.execute(statement)
        # verdict gains a column back: its guards must let the UPDATE below through.
        for statement in _pg_drop_append_only_guard_sql("verdict"):
            op.execute(statement)
    op.drop_index("ix_change_entity_field", table_name="change")
    op.drop_table("change")
    with op.batch_alter_table("verdict") as batch_op:
        batch_op.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_verdict_supersedes_id_verdict", "verdict", ["supersedes_id"], ["id"]
        )
    op.execute(
        "UPDATE verdict SET supersedes_id = (SELECT max(superseded_id) FROM verdict_supersedes "
        "WHERE verdict_supersedes.verdict_id = verdict.id)"
    )
    op.drop_index("ix_verdict_supersedes_superseded_id", table_name="verdict_supersedes")
    op.drop_table("verdict_supersedes")
    if is_sqlite:
        for statement in _append_only_guard_sql("verdict"):
            op.execute(statement)
        op.execute(_SUPERSEDES_SAME_CLAIM_SQL)
        _stamp_identity(bind, SCHEMA_VERSION - 1)
    elif bind.dialect.name == "postgresql":
        for statement in _pg_append_only_guard_sql("verdict") + _PG_SUPERSEDES_SAME_CLAIM_SQL:
            op.execute(statement)
