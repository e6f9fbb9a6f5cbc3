"""Extraction fields: how a claim's speaker was found, the outlet it cites; article content hash.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from factcheck import sqlite

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 2


def upgrade() -> None:
    with op.batch_alter_table("claim") as batch_op:
        batch_op.add_column(sa.Column("speaker_kind", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("cites", sa.String(), nullable=True))
    with op.batch_alter_table("source") as batch_op:
        batch_op.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_source_content_hash", ["content_hash"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        sqlite.stamp_identity(bind, SCHEMA_VERSION)


def downgrade() -> None:
    with op.batch_alter_table("source") as batch_op:
        batch_op.drop_index("ix_source_content_hash")
        batch_op.drop_column("content_hash")
    with op.batch_alter_table("claim") as batch_op:
        batch_op.drop_column("cites")
        batch_op.drop_column("speaker_kind")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        sqlite.stamp_identity(bind, SCHEMA_VERSION - 1)
