"""Extraction fields: how a claim's speaker was found, the outlet it cites; article content hash.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 2


# Frozen copies of the SQL this revision runs: later code may change its helpers, never
# what an old revision does.
APPLICATION_ID = 0x46436B31


def _stamp_identity(bind: Any, version: int) -> None:
    bind.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")  # safe: a constant
    bind.exec_driver_sql(f"PRAGMA user_version = {int(version)}")  # safe: an int


def upgrade() -> None:
    with op.batch_alter_table("claim") as batch_op:
        batch_op.add_column(sa.Column("speaker_kind", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("cites", sa.String(), nullable=True))
    with op.batch_alter_table("source") as batch_op:
        batch_op.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_source_content_hash", ["content_hash"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _stamp_identity(bind, SCHEMA_VERSION)


def downgrade() -> None:
    with op.batch_alter_table("source") as batch_op:
        batch_op.drop_index("ix_source_content_hash")
        batch_op.drop_column("content_hash")
    with op.batch_alter_table("claim") as batch_op:
        batch_op.drop_column("cites")
        batch_op.drop_column("speaker_kind")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _stamp_identity(bind, SCHEMA_VERSION - 1)
