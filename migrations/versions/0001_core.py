"""Core tracker schema: sources, claims, evidence, verdicts, rating scales, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 12:57:59.006059
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA_VERSION = 1
# Built-in rows are identical in every file (fixed UUIDs and times) so that merges match them.
SEED_TIME = "2026-11-26 00:00:00.000000"
SEED_BY = "factcheck"
UUID_NAMESPACE = uuid.UUID("5b0f6c3e-7f0b-4c55-9d4e-3f0a6a1d2c11")

# (name, title, best, worst, [(label, value, description)])
BUILTIN_SCALES = [
    (
        "politifact",
        "PolitiFact Truth-O-Meter",
        6,
        1,
        [
            ("True", 6, "The statement is accurate and there's nothing significant missing."),
            (
                "Mostly True",
                5,
                "The statement is accurate but needs clarification or additional information.",
            ),
            (
                "Half True",
                4,
                "The statement is partially accurate but leaves out important details or takes things out of context.",
            ),
            (
                "Mostly False",
                3,
                "The statement contains an element of truth but ignores critical facts that would give a different impression.",
            ),
            ("False", 2, "The statement is not accurate."),
            ("Pants on Fire", 1, "The statement is not accurate and makes a ridiculous claim."),
        ],
    ),
    (
        "snopes",
        "Snopes-style ratings",
        5,
        1,
        [
            ("True", 5, "The primary elements of the claim are demonstrably true."),
            ("Mostly True", 4, "The primary elements are true, but some details are inaccurate."),
            ("Mixture", 3, "The claim has significant elements of both truth and falsity."),
            ("Mostly False", 2, "The primary elements are false, but some details are accurate."),
            ("False", 1, "The primary elements of the claim are demonstrably false."),
            (
                "Unproven",
                None,
                "There is insufficient evidence to establish the claim as true or false.",
            ),
            (
                "Misattributed",
                None,
                "The quoted material was not said or written by the person it is attributed to.",
            ),
            ("Miscaptioned", None, "The image or video is real but misrepresented by its caption."),
            ("Outdated", None, "The claim was true once but its circumstances have changed."),
            ("Satire", None, "The content originated as satire."),
            ("Scam", None, "The claim is part of a scheme to defraud."),
        ],
    ),
    (
        "plain",
        "Plain truth scale",
        5,
        1,
        [
            ("True", 5, "Accurate."),
            ("Mostly True", 4, "Accurate but needs context."),
            ("Mixed", 3, "Partly accurate, partly not."),
            ("Mostly False", 2, "Contains an element of truth but misleads."),
            ("False", 1, "Not accurate."),
            ("Unproven", None, "The evidence available does not settle it."),
        ],
    ),
]
DEFAULT_SETTINGS = [("default_scale", "politifact"), ("org_name", ""), ("org_url", "")]


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def _seed_scales() -> None:
    scale = sa.table(
        "rating_scale",
        *(
            sa.column(c)
            for c in (
                "id",
                "uuid",
                "name",
                "title",
                "best",
                "worst",
                "builtin",
                "created_at",
                "created_by",
            )
        ),
    )
    label = sa.table(
        "rating_label",
        *(
            sa.column(c)
            for c in (
                "uuid",
                "scale_id",
                "slug",
                "label",
                "value",
                "description",
                "created_at",
                "created_by",
            )
        ),
    )
    scale_rows, label_rows = [], []
    for scale_id, (name, title, best, worst, labels) in enumerate(BUILTIN_SCALES, start=1):
        scale_rows.append(
            {
                "id": scale_id,
                "uuid": str(uuid.uuid5(UUID_NAMESPACE, f"scale/{name}")),
                "name": name,
                "title": title,
                "best": best,
                "worst": worst,
                "builtin": True,
                "created_at": SEED_TIME,
                "created_by": SEED_BY,
            }
        )
        for text, value, description in labels:
            slug = _slug(text)
            label_rows.append(
                {
                    "uuid": str(uuid.uuid5(UUID_NAMESPACE, f"scale/{name}/{slug}")),
                    "scale_id": scale_id,
                    "slug": slug,
                    "label": text,
                    "value": value,
                    "description": description,
                    "created_at": SEED_TIME,
                    "created_by": SEED_BY,
                }
            )
    op.bulk_insert(scale, scale_rows)
    op.bulk_insert(label, label_rows)


def _seed_settings() -> None:
    setting = sa.table(
        "setting", *(sa.column(c) for c in ("key", "uuid", "value", "updated_at", "updated_by"))
    )
    op.bulk_insert(
        setting,
        [
            {
                "key": key,
                "uuid": str(uuid.uuid5(UUID_NAMESPACE, f"setting/{key}")),
                "value": value,
                "updated_at": SEED_TIME,
                "updated_by": SEED_BY,
            }
            for key, value in DEFAULT_SETTINGS
        ],
    )


# Frozen copies of the SQL this revision runs: later code may change its helpers, never
# what an old revision does.
APPLICATION_ID = 0x46436B31


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


def _stamp_identity(bind: Any, version: int) -> None:
    bind.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")  # safe: a constant
    bind.exec_driver_sql(f"PRAGMA user_version = {int(version)}")  # safe: an int


def upgrade() -> None:
    op.create_table(
        "rating_scale",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("worst", sa.Integer(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_scale")),
        sa.UniqueConstraint("name", name=op.f("uq_rating_scale_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_rating_scale_uuid")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
        sa.UniqueConstraint("uuid", name=op.f("uq_setting_uuid")),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("publisher", sa.String(), nullable=True),
        sa.Column("author", sa.String(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("full_text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("uuid", name=op.f("uq_source_uuid")),
    )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_url"), ["url"], unique=False)

    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("summary", sa.String(), nullable=True),
        sa.Column("speaker", sa.String(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("char_start", sa.Integer(), nullable=True),
        sa.Column("char_end", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("score_model", sa.String(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("claim_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_claim_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
        sa.UniqueConstraint("uuid", name=op.f("uq_claim_uuid")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index("ix_claim_source_start", ["source_id", "char_start"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_speaker"), ["speaker"], unique=False)
        batch_op.create_index("ix_claim_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "rating_label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("scale_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["scale_id"], ["rating_scale.id"], name=op.f("fk_rating_label_scale_id_rating_scale")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_label")),
        sa.UniqueConstraint("scale_id", "slug", name="uq_rating_label_scale_slug"),
        sa.UniqueConstraint("uuid", name=op.f("uq_rating_label_uuid")),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_evidence_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_evidence_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("uuid", name=op.f("uq_evidence_uuid")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_source_id"), ["source_id"], unique=False)

    op.create_table(
        "verdict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_verdict_claim_id_claim")),
        sa.ForeignKeyConstraint(
            ["label_id"], ["rating_label.id"], name=op.f("fk_verdict_label_id_rating_label")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["verdict.id"], name=op.f("fk_verdict_supersedes_id_verdict")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdict")),
        sa.UniqueConstraint("uuid", name=op.f("uq_verdict_uuid")),
    )
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.create_index("ix_verdict_claim_created", ["claim_id", "created_at"], unique=False)

    _seed_scales()
    _seed_settings()
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _append_only_guard_sql("verdict"):
            op.execute(statement)
        op.execute(_SUPERSEDES_SAME_CLAIM_SQL)
        _stamp_identity(bind, SCHEMA_VERSION)
    elif bind.dialect.name == "postgresql":
        for statement in _pg_append_only_guard_sql("verdict") + _PG_SUPERSEDES_SAME_CLAIM_SQL:
            op.execute(statement)
        # The built-in scales were given their ids: move the id sequence past them.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('rating_scale', 'id'), "
            "(SELECT max(id) FROM rating_scale))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _drop_append_only_guard_sql("verdict"):
            op.execute(statement)
        op.execute("DROP TRIGGER IF EXISTS verdict_supersedes_same_claim")
    elif op.get_bind().dialect.name == "postgresql":
        for statement in _pg_drop_append_only_guard_sql("verdict"):
            op.execute(statement)
        for statement in _PG_DROP_SUPERSEDES_SAME_CLAIM_SQL:
            op.execute(statement)
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.drop_index("ix_verdict_claim_created")

    op.drop_table("verdict")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_source_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_claim_id"))

    op.drop_table("evidence")
    op.drop_table("rating_label")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_status_created")
        batch_op.drop_index(batch_op.f("ix_claim_speaker"))
        batch_op.drop_index("ix_claim_source_start")

    op.drop_table("claim")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_url"))

    op.drop_table("source")
    op.drop_table("setting")
    op.drop_table("rating_scale")
