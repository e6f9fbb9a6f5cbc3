"""Change history and multi-parent verdicts, so that copies of a file merge without loss.

- verdict_supersedes replaces verdict.supersedes_id: a verdict may supersede several (it
  resolves a conflict between two verdicts made on two copies).
- change: an append-only log of edits to mutable fields (claim text/status/speaker ...).
- evidence becomes append-only like verdicts.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from factcheck import sqlite

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 3


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
        for statement in sqlite.drop_append_only_guard_sql("verdict"):
            op.execute(statement)
        op.execute("DROP TRIGGER IF EXISTS verdict_supersedes_same_claim")
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
            for statement in sqlite.append_only_guard_sql(table):
                op.execute(statement)
        op.execute(sqlite.SUPERSEDES_LINK_SAME_CLAIM_SQL)
        sqlite.stamp_identity(bind, SCHEMA_VERSION)


def downgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    if is_sqlite:
        for table in ("verdict", "evidence", "change", "verdict_supersedes"):
            for statement in sqlite.drop_append_only_guard_sql(table):
                op.execute(statement)
        op.execute("DROP TRIGGER IF EXISTS verdict_supersedes_link_same_claim")
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
        for statement in sqlite.append_only_guard_sql("verdict"):
            op.execute(statement)
        op.execute(sqlite.SUPERSEDES_SAME_CLAIM_SQL)
        sqlite.stamp_identity(bind, SCHEMA_VERSION - 1)
