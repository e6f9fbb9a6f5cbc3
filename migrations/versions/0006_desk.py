"""The desk's week: who is on a claim, by when, how urgent; notes, tags, withdrawn evidence.

- claim.assignee, claim.due_date (partial ISO date as text), claim.priority: mutable fields,
  edited through the change log like a claim's other fields.
- note: our notes on a claim, a thread; append-only.
- claim_tag: tags put on and taken off a claim, as append-only events (a claim's tags are those
  whose newest event is not a removal), so tags added on two copies both survive a merge.
- evidence_withdrawal: evidence withdrawn, with the reason; append-only (the evidence stays).

This revision carries its own SQL: it never calls helpers that later code may change.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 6
APPLICATION_ID = 0x46436B31

NEW_TABLES = ("note", "claim_tag", "evidence_withdrawal")


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


def _stamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    # Plain ADD COLUMN (no table rebuild): the claim table keeps its search triggers.
    op.add_column("claim", sa.Column("assignee", sa.String(length=200), nullable=True))
    op.add_column("claim", sa.Column("due_date", sa.String(length=10), nullable=True))
    op.add_column("claim", sa.Column("priority", sa.String(length=20), nullable=True))
    op.create_index("ix_claim_assignee", "claim", ["assignee"])
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name="fk_note_claim_id_claim"),
        sa.PrimaryKeyConstraint("id", name="pk_note"),
        sa.UniqueConstraint("uuid", name="uq_note_uuid"),
    )
    op.create_index("ix_note_claim_created", "note", ["claim_id", "created_at"])
    op.create_table(
        "claim_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name="fk_claim_tag_claim_id_claim"),
        sa.PrimaryKeyConstraint("id", name="pk_claim_tag"),
        sa.UniqueConstraint("uuid", name="uq_claim_tag_uuid"),
    )
    op.create_index("ix_claim_tag_claim_tag", "claim_tag", ["claim_id", "tag", "created_at"])
    op.create_index("ix_claim_tag_tag", "claim_tag", ["tag"])
    op.create_table(
        "evidence_withdrawal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name="fk_evidence_withdrawal_evidence_id_evidence"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_withdrawal"),
        sa.UniqueConstraint("uuid", name="uq_evidence_withdrawal_uuid"),
    )
    op.create_index("ix_evidence_withdrawal_evidence_id", "evidence_withdrawal", ["evidence_id"])
    if is_sqlite:
        for table in NEW_TABLES:
            for statement in _append_only_guard_sql(table):
                op.execute(statement)
        _stamp(bind, SCHEMA_VERSION)
    elif bind.dialect.name == "postgresql":
        for table in NEW_TABLES:
            for statement in _pg_append_only_guard_sql(table):
                op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    if is_sqlite:
        for table in NEW_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_update")  # safe: constants
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_delete")  # safe: constants
    elif bind.dialect.name == "postgresql":
        for table in NEW_TABLES:
            for statement in _pg_drop_append_only_guard_sql(table):
                op.execute(statement)
    op.drop_index("ix_evidence_withdrawal_evidence_id", table_name="evidence_withdrawal")
    op.drop_table("evidence_withdrawal")
    op.drop_index("ix_claim_tag_tag", table_name="claim_tag")
    op.drop_index("ix_claim_tag_claim_tag", table_name="claim_tag")
    op.drop_table("claim_tag")
    op.drop_index("ix_note_claim_created", table_name="note")
    op.drop_table("note")
    op.drop_index("ix_claim_assignee", table_name="claim")
    # DROP COLUMN (SQLite 3.35+) keeps the claim table and its search triggers in place.
    op.drop_column("claim", "priority")
    op.drop_column("claim", "due_date")
    op.drop_column("claim", "assignee")
    if is_sqlite:
        _stamp(bind, SCHEMA_VERSION - 1)
