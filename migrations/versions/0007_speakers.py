"""Speakers as rows: a person or organisation with aliases, that desks can merge.

- speaker: uuid, name, speaker_type, merged_into (the UUID of the speaker it was merged into;
  edited only through the change log), created_at/by. Nothing else of a row ever changes.
- speaker_alias: another name of a speaker; append-only.
- Existing desks: one speaker per distinct claim speaker, typed as its claims were, dated and
  signed as the first claim that named it.

A claim keeps `speaker` as written on the page; it belongs to the speaker one of whose names
matches it, so no claim row changes here. No name is unique: two desks that each added
"Tom Bossert" merge, and the two rows count as one speaker by name.

This revision carries its own SQL: it never calls helpers that later code may change. It stamps
user_version one above the file's, so it stays right whichever revision comes before it.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

APPLICATION_ID = 0x46436B31

_GUARDS = (
    "CREATE TRIGGER speaker_append_only_update BEFORE UPDATE OF uuid, name, speaker_type, "
    "created_at, created_by ON speaker BEGIN SELECT RAISE(ABORT, 'speaker rows are "
    "append-only: add an alias or merge speakers instead of changing one'); END",
    "CREATE TRIGGER speaker_append_only_delete BEFORE DELETE ON speaker "
    "BEGIN SELECT RAISE(ABORT, 'speaker rows are append-only: "
    "merge speakers instead of deleting one'); END",
    "CREATE TRIGGER speaker_alias_append_only_update BEFORE UPDATE ON speaker_alias "
    "BEGIN SELECT RAISE(ABORT, 'speaker_alias rows are append-only: "
    "add a new one instead of changing one'); END",
    "CREATE TRIGGER speaker_alias_append_only_delete BEFORE DELETE ON speaker_alias "
    "BEGIN SELECT RAISE(ABORT, 'speaker_alias rows are append-only: "
    "add a new one instead of deleting one'); END",
)
_GUARD_NAMES = (
    "speaker_append_only_update",
    "speaker_append_only_delete",
    "speaker_alias_append_only_update",
    "speaker_alias_append_only_delete",
)

# A random (version 4) UUID in canonical lower-case form, made by SQLite itself.
_UUID4 = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || "
    "'-' || lower(hex(randomblob(6)))"
)

# One speaker per distinct name on a claim (spaces trimmed); its first claim dates and signs it.
_SPEAKERS_FROM_CLAIMS = f"""
INSERT INTO speaker (uuid, name, speaker_type, merged_into, created_at, created_by)
SELECT {_UUID4}, n.name,
  (SELECT c.speaker_type FROM claim c WHERE trim(c.speaker) = n.name
     AND c.speaker_type IS NOT NULL ORDER BY c.created_at DESC, c.id DESC LIMIT 1),
  NULL,
  (SELECT c.created_at FROM claim c WHERE trim(c.speaker) = n.name
     ORDER BY c.created_at, c.id LIMIT 1),
  (SELECT c.created_by FROM claim c WHERE trim(c.speaker) = n.name
     ORDER BY c.created_at, c.id LIMIT 1)
FROM (SELECT DISTINCT trim(speaker) AS name FROM claim
      WHERE speaker IS NOT NULL AND trim(speaker) != '') n
ORDER BY n.name
"""


# PostgreSQL: the same guards as PL/pgSQL trigger functions, with the same messages (and
# TRUNCATE guards, which SQLite has no need of); merged_into stays editable, as on a file.
def _pg_guard_sql(table: str, columns: str, changing: str, deleting: str) -> list[str]:
    # safe: every argument is one of this revision's constants
    return [
        f"CREATE FUNCTION {table}_append_only_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{table} rows are append-only: {changing}'; END $$",
        f"CREATE FUNCTION {table}_append_only_delete() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{table} rows are append-only: {deleting}'; END $$",
        f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE {columns}ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only_update()",
        f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only_delete()",
        f"CREATE TRIGGER {table}_append_only_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only_delete()",
    ]


_PG_GUARDS = _pg_guard_sql(
    "speaker",
    "OF uuid, name, speaker_type, created_at, created_by ",
    "add an alias or merge speakers instead of changing one",
    "merge speakers instead of deleting one",
) + _pg_guard_sql(
    "speaker_alias",
    "",
    "add a new one instead of changing one",
    "add a new one instead of deleting one",
)
_PG_DROP_GUARDS = [
    f"DROP TRIGGER IF EXISTS {table}_append_only_{what} ON {table}"  # safe: constants
    for table in ("speaker", "speaker_alias")
    for what in ("update", "delete", "truncate")
] + [
    f"DROP FUNCTION IF EXISTS {table}_append_only_{what}()"  # safe: constants
    for table in ("speaker", "speaker_alias")
    for what in ("update", "delete")
]

# The same backfill on PostgreSQL, with its own random UUIDs.
_PG_SPEAKERS_FROM_CLAIMS = _SPEAKERS_FROM_CLAIMS.replace(_UUID4, "gen_random_uuid()::text")


def _stamp(bind: sa.engine.Connection, step: int) -> None:
    version = int(bind.exec_driver_sql("PRAGMA user_version").scalar() or 0) + step
    bind.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")  # safe: a constant
    bind.exec_driver_sql(f"PRAGMA user_version = {int(version)}")  # safe: an int


def upgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        "speaker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("speaker_type", sa.String(length=20), nullable=True),
        sa.Column("merged_into", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_speaker"),
        sa.UniqueConstraint("uuid", name="uq_speaker_uuid"),
    )
    op.create_table(
        "speaker_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speaker.id"], name="fk_speaker_alias_speaker_id_speaker"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_speaker_alias"),
        sa.UniqueConstraint("uuid", name="uq_speaker_alias_uuid"),
    )
    op.create_index("ix_speaker_alias_speaker_id", "speaker_alias", ["speaker_id"])
    if bind.dialect.name == "postgresql":
        op.execute(_PG_SPEAKERS_FROM_CLAIMS)
        for statement in _PG_GUARDS:
            op.execute(statement)
    else:
        op.execute(_SPEAKERS_FROM_CLAIMS)
    if is_sqlite:
        for statement in _GUARDS:
            op.execute(statement)
        _stamp(bind, +1)


def downgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    if is_sqlite:
        for name in _GUARD_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")  # safe: names are the constants above
    elif bind.dialect.name == "postgresql":
        for statement in _PG_DROP_GUARDS:
            op.execute(statement)
    op.drop_index("ix_speaker_alias_speaker_id", table_name="speaker_alias")
    op.drop_table("speaker_alias")
    op.drop_table("speaker")
    if is_sqlite:
        _stamp(bind, -1)
