"""A server's own tools for matching and review: pg_trgm, and an index for review by score.

PostgreSQL only (a desk file's schema does not change; it is stamped at this revision):
- the pg_trgm extension (trusted since PostgreSQL 13: a database owner may create it) and a GIN
  trigram index on claim.text, which `claim similar` uses for candidates beside ts_rank. A role
  that may not create the extension still upgrades: the index is left out, and matching uses
  full-text candidates alone, as before this revision.
- ix_claim_score_review on (score DESC NULLS LAST, id DESC): review's order by score (unscored
  claims last, as on a file), which ix_claim_score_id cannot give on PostgreSQL (a backward
  scan puts NULLs first), so the server sorted every claim for each page.

This revision carries its own SQL: it never calls helpers that later code may change.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 9
APPLICATION_ID = 0x46436B31

_PG_REVIEW_INDEX = "CREATE INDEX ix_claim_score_review ON claim (score DESC NULLS LAST, id DESC)"
_PG_TRGM_INDEX = "CREATE INDEX ix_claim_text_trgm ON claim USING gin (text gin_trgm_ops)"


def _stamp(bind: sa.engine.Connection, version: int) -> None:
    bind.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")  # safe: a constant
    bind.exec_driver_sql(f"PRAGMA user_version = {int(version)}")  # safe: an int


def _trigram_ready(bind: sa.engine.Connection) -> bool:
    """pg_trgm is there, or this role could create it. A savepoint keeps the upgrade's one
    transaction alive when the server refuses (no CREATE right, or no contrib package)."""
    bind.exec_driver_sql("SAVEPOINT factcheck_pg_trgm")
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        bind.exec_driver_sql("ROLLBACK TO SAVEPOINT factcheck_pg_trgm")
    bind.exec_driver_sql("RELEASE SAVEPOINT factcheck_pg_trgm")
    # its operator class must be reachable from the schema's search path
    found = bind.exec_driver_sql(
        "SELECT EXISTS (SELECT 1 FROM pg_opclass WHERE opcname = 'gin_trgm_ops' "
        "AND pg_opclass_is_visible(oid))"
    ).scalar()
    return bool(found)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _stamp(bind, SCHEMA_VERSION)
    elif bind.dialect.name == "postgresql":
        op.execute(_PG_REVIEW_INDEX)
        if _trigram_ready(bind):
            op.execute(_PG_TRGM_INDEX)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _stamp(bind, SCHEMA_VERSION - 1)
    elif bind.dialect.name == "postgresql":
        # the extension stays: other databases' or the administrator's uses are not ours
        op.execute("DROP INDEX IF EXISTS ix_claim_text_trgm")
        op.execute("DROP INDEX IF EXISTS ix_claim_score_review")
