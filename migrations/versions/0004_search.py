"""Search and matching: full-text index on claims, confirmed claim links, review sort indexes.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from factcheck import sqlite

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 4


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
        for statement in sqlite.append_only_guard_sql("claim_link"):
            op.execute(statement)
        for statement in sqlite.create_fts_sql():
            op.execute(statement)
        sqlite.stamp_identity(bind, SCHEMA_VERSION)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in sqlite.drop_fts_sql() + sqlite.drop_append_only_guard_sql("claim_link"):
            op.execute(statement)
    op.drop_index("ix_claim_created_id", table_name="claim")
    op.drop_index("ix_claim_score_id", table_name="claim")
    op.drop_index("ix_claim_link_other_claim_id", table_name="claim_link")
    op.drop_index("ix_claim_link_claim_id", table_name="claim_link")
    op.drop_table("claim_link")
    if bind.dialect.name == "sqlite":
        sqlite.stamp_identity(bind, SCHEMA_VERSION - 1)
