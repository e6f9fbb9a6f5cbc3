"""Publishing: where and when our fact checks went out, whose ratings are whose, speaker types,
partial dates, and a stemming search index.

- publication: append-only; one row each time a claim's fact check is published or updated,
  naming the verdict it stated (so a later verdict shows the claim needs an update).
- rating_scale.publisher: the outside fact-checker whose ratings an imported scale holds.
- claim.speaker_type: person or organization (schema.org's author @type).
- claim.claim_date and source.published_on become text, so "2017" or "2017-05" stay partial
  (a DATE column has numeric affinity in SQLite and would turn "2017" into a number).
- claim_fts is rebuilt with the porter stemmer: "computers" finds "computer".

This revision carries its own SQL: it never calls helpers that later code may change.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA_VERSION = 5
APPLICATION_ID = 0x46436B31

FTS_TRIGGERS = ("claim_fts_insert", "claim_fts_delete", "claim_fts_update")


def _fts_sql(tokenize: str) -> list[str]:
    return [
        "CREATE VIRTUAL TABLE claim_fts USING fts5(text, speaker, summary, content='claim', "
        f"content_rowid='id', tokenize='{tokenize}')",
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


def _drop_fts() -> None:
    for name in FTS_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")  # safe: names are the constants above
    op.execute("DROP TABLE IF EXISTS claim_fts")


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


_PG_PUBLICATION_SAME_CLAIM_SQL = [
    "CREATE FUNCTION publication_same_claim() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF (SELECT claim_id FROM verdict WHERE id = NEW.verdict_id) IS DISTINCT FROM "
    "NEW.claim_id THEN RAISE EXCEPTION 'a publication must state a verdict on its own claim'; "
    "END IF; RETURN NEW; END $$",
    "CREATE TRIGGER publication_same_claim BEFORE INSERT ON publication "
    "FOR EACH ROW EXECUTE FUNCTION publication_same_claim()",
]
_PG_DROP_PUBLICATION_SAME_CLAIM_SQL = [
    "DROP TRIGGER IF EXISTS publication_same_claim ON publication",
    "DROP FUNCTION IF EXISTS publication_same_claim()",
]


def _stamp(bind: sa.engine.Connection, version: int) -> None:
    bind.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")  # safe: a constant
    bind.exec_driver_sql(f"PRAGMA user_version = {int(version)}")  # safe: an int


def upgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    if is_sqlite:
        _drop_fts()  # the claim table is rebuilt below; its index follows
    with op.batch_alter_table("claim") as batch_op:
        batch_op.add_column(sa.Column("speaker_type", sa.String(length=20), nullable=True))
        batch_op.alter_column(
            "claim_date", existing_type=sa.Date(), type_=sa.String(length=10), nullable=True
        )
    with op.batch_alter_table("source") as batch_op:
        batch_op.alter_column(
            "published_on", existing_type=sa.Date(), type_=sa.String(length=10), nullable=True
        )
    with op.batch_alter_table("rating_scale") as batch_op:
        batch_op.add_column(sa.Column("publisher", sa.String(length=200), nullable=True))
    # Scales made by importing ClaimReview markup were named "claimreview-<publisher>".
    op.execute(
        "UPDATE rating_scale SET publisher = substr(title, 22) "
        "WHERE name LIKE 'claimreview-%' AND title LIKE 'Ratings published by %'"
    )
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("verdict_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("published_on", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name="fk_publication_claim_id_claim"),
        sa.ForeignKeyConstraint(
            ["verdict_id"], ["verdict.id"], name="fk_publication_verdict_id_verdict"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_publication"),
        sa.UniqueConstraint("uuid", name="uq_publication_uuid"),
    )
    op.create_index("ix_publication_claim_created", "publication", ["claim_id", "created_at"])
    if is_sqlite:
        op.execute(
            "CREATE TRIGGER publication_append_only_update BEFORE UPDATE ON publication "
            "BEGIN SELECT RAISE(ABORT, 'publication rows are append-only: "
            "record a new one instead of changing one'); END"
        )
        op.execute(
            "CREATE TRIGGER publication_append_only_delete BEFORE DELETE ON publication "
            "BEGIN SELECT RAISE(ABORT, 'publication rows are append-only: "
            "record a new one instead of deleting one'); END"
        )
        op.execute(
            "CREATE TRIGGER publication_same_claim BEFORE INSERT ON publication "
            "WHEN (SELECT claim_id FROM verdict WHERE id = NEW.verdict_id) IS NOT NEW.claim_id "
            "BEGIN SELECT RAISE(ABORT, 'a publication must state a verdict on its own claim'); "
            "END"
        )
        for statement in _fts_sql("porter unicode61 remove_diacritics 2"):
            op.execute(statement)
        _stamp(bind, SCHEMA_VERSION)
    elif bind.dialect.name == "postgresql":
        # claim.search_vector (0004) already stems with the english configuration.
        for statement in _pg_append_only_guard_sql("publication") + _PG_PUBLICATION_SAME_CLAIM_SQL:
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    if is_sqlite:
        for name in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS publication_append_only_{name}")  # safe: literal
        op.execute("DROP TRIGGER IF EXISTS publication_same_claim")
        _drop_fts()
    elif bind.dialect.name == "postgresql":
        for statement in _PG_DROP_PUBLICATION_SAME_CLAIM_SQL + _pg_drop_append_only_guard_sql(
            "publication"
        ):
            op.execute(statement)
    op.drop_index("ix_publication_claim_created", table_name="publication")
    op.drop_table("publication")
    with op.batch_alter_table("rating_scale") as batch_op:
        batch_op.drop_column("publisher")
    with op.batch_alter_table("source") as batch_op:
        batch_op.alter_column(
            "published_on", existing_type=sa.String(length=10), type_=sa.Date(), nullable=True
        )
    with op.batch_alter_table("claim") as batch_op:
        batch_op.alter_column(
            "claim_date", existing_type=sa.String(length=10), type_=sa.Date(), nullable=True
        )
        batch_op.drop_column("speaker_type")
    if is_sqlite:
        for statement in _fts_sql("unicode61 remove_diacritics 2"):
            op.execute(statement)
        _stamp(bind, SCHEMA_VERSION - 1)
