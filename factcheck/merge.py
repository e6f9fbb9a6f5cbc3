"""Merging a colleague's copy: rows are matched by UUID, never by integer id.

A desk is read into a *snapshot*: each table's rows with foreign keys written as UUIDs. The
same snapshot is what `export json` writes, so a JSON export merges like a .db file.
Verdicts, evidence and edits are append-only, so a merge is a union; the current value of an
edited field is its newest change; two verdicts that do not supersede each other are a conflict
that the review table shows until a new verdict supersedes both.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from factcheck import sqlite
from factcheck.errors import DatabaseFileError, InvalidInput
from factcheck.models import MUTABLE_FIELDS, ClaimStatus, SourceKind, SpeakerKind, Stance

SNAPSHOT_FORMAT = "factcheck-desk"
SNAPSHOT_VERSION = 1

# table -> (SELECT producing snapshot rows in a stable order, its columns)
SNAPSHOT_QUERIES: dict[str, str] = {
    "rating_scale": (
        "SELECT uuid, name, title, best, worst, builtin, created_at, created_by "
        "FROM rating_scale ORDER BY created_at, uuid"
    ),
    "rating_label": (
        "SELECT l.uuid, s.uuid AS scale_uuid, l.slug, l.label, l.value, l.description, "
        "l.created_at, l.created_by FROM rating_label l JOIN rating_scale s ON s.id = l.scale_id "
        "ORDER BY l.created_at, l.uuid"
    ),
    "source": (
        "SELECT uuid, kind, url, title, publisher, author, published_on, full_text, "
        "content_hash, created_at, created_by FROM source ORDER BY created_at, uuid"
    ),
    "claim": (
        "SELECT c.uuid, c.text, c.summary, c.speaker, c.speaker_kind, c.cites, "
        "s.uuid AS source_uuid, c.char_start, c.char_end, c.score, c.score_model, c.status, "
        "c.claim_date, c.created_at, c.created_by FROM claim c "
        "LEFT JOIN source s ON s.id = c.source_id ORDER BY c.created_at, c.uuid"
    ),
    "evidence": (
        "SELECT e.uuid, c.uuid AS claim_uuid, s.uuid AS source_uuid, e.stance, e.excerpt, "
        "e.note, e.created_at, e.created_by FROM evidence e JOIN claim c ON c.id = e.claim_id "
        "JOIN source s ON s.id = e.source_id ORDER BY e.created_at, e.uuid"
    ),
    "verdict": (
        "SELECT v.uuid, c.uuid AS claim_uuid, l.uuid AS label_uuid, v.rationale, v.reviewer, "
        "v.created_at, v.created_by FROM verdict v JOIN claim c ON c.id = v.claim_id "
        "JOIN rating_label l ON l.id = v.label_id ORDER BY v.created_at, v.uuid"
    ),
    "verdict_supersedes": (
        "SELECT v.uuid AS verdict_uuid, o.uuid AS superseded_uuid FROM verdict_supersedes x "
        "JOIN verdict v ON v.id = x.verdict_id JOIN verdict o ON o.id = x.superseded_id "
        "ORDER BY v.uuid, o.uuid"
    ),
    "claim_link": (
        "SELECT k.uuid, a.uuid AS claim_uuid, b.uuid AS other_claim_uuid, k.note, k.created_at, "
        "k.created_by FROM claim_link k JOIN claim a ON a.id = k.claim_id "
        "JOIN claim b ON b.id = k.other_claim_id ORDER BY k.created_at, k.uuid"
    ),
    "change": (
        "SELECT uuid, entity, entity_uuid, field, old_value, new_value, created_at, created_by "
        "FROM change ORDER BY created_at, uuid"
    ),
    "setting": "SELECT key, uuid, value, updated_at, updated_by FROM setting ORDER BY key",
}
TABLES = tuple(SNAPSHOT_QUERIES)

# Columns that must agree when both files hold a row with the same UUID. The others are
# mutable fields whose value comes from the change log.
IMMUTABLE: dict[str, tuple[str, ...]] = {
    "rating_scale": ("name", "title", "best", "worst", "builtin", "created_at", "created_by"),
    "rating_label": (
        "scale_uuid",
        "slug",
        "label",
        "value",
        "description",
        "created_at",
        "created_by",
    ),
    "source": ("full_text", "content_hash", "created_at", "created_by"),
    "claim": (
        "source_uuid",
        "char_start",
        "char_end",
        "score",
        "score_model",
        "speaker_kind",
        "cites",
        "created_at",
        "created_by",
    ),
    "evidence": (
        "claim_uuid",
        "source_uuid",
        "stance",
        "excerpt",
        "note",
        "created_at",
        "created_by",
    ),
    "verdict": ("claim_uuid", "label_uuid", "rationale", "reviewer", "created_at", "created_by"),
    "change": (
        "entity",
        "entity_uuid",
        "field",
        "old_value",
        "new_value",
        "created_at",
        "created_by",
    ),
    "setting": ("key",),
}
# How a snapshot row becomes a row of ours: (column, snapshot key, table the UUID points into)
FOREIGN: dict[str, dict[str, str]] = {
    "rating_label": {"scale_id": "rating_scale"},
    "claim": {"source_id": "source"},
    "evidence": {"claim_id": "claim", "source_id": "source"},
    "verdict": {"claim_id": "claim", "label_id": "rating_label"},
    "verdict_supersedes": {"verdict_id": "verdict", "superseded_id": "verdict"},
    "claim_link": {"claim_id": "claim", "other_claim_id": "claim"},
}
FOREIGN_KEYS = {
    "scale_id": "scale_uuid",
    "source_id": "source_uuid",
    "claim_id": "claim_uuid",
    "label_id": "label_uuid",
    "verdict_id": "verdict_uuid",
    "superseded_id": "superseded_uuid",
    "other_claim_id": "other_claim_uuid",
}


def _rows(conn: Any, query: str) -> list[dict[str, Any]]:
    cursor = conn.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def snapshot_from_connection(conn: Any) -> dict[str, list[dict[str, Any]]]:
    """Every table of a desk with foreign keys as UUIDs (conn: sqlite3 or DBAPI connection)."""
    return {table: _rows(conn, query) for table, query in SNAPSHOT_QUERIES.items()}


def snapshot_of_session(session: Session) -> dict[str, list[dict[str, Any]]]:
    raw = session.connection().connection.dbapi_connection
    return snapshot_from_connection(raw)


def read_other_file(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Read a colleague's .db without changing it: identified and checked like any file we
    open; an older schema is upgraded in a temporary copy, never in place."""
    from factcheck.db import HEAD_REVISION, SCHEMA_VERSION, read_revision, upgrade_copy

    path = Path(path).expanduser()
    if not path.exists():
        raise InvalidInput(f"no file at {path}: check the path of the copy to merge")
    header = sqlite.read_header(path)
    sqlite.check_ours(path, header, SCHEMA_VERSION)
    # Read a private copy: nothing is created beside the colleague's file, and the checks
    # and the snapshot see the same bytes.
    with sqlite.private_copy(path) as copy:
        revision = read_revision(copy, shown=path)  # refuses foreign triggers and views
        conn = sqlite3.connect(sqlite.sqlite_uri(copy, readonly=True), uri=True)
        try:
            problems = sqlite.integrity_problems_raw(conn)
        finally:
            conn.close()
        if problems:
            raise DatabaseFileError(
                f"{path} is damaged ({problems[0]}): ask your colleague for a fresh copy"
            )
        source = copy
        if revision != HEAD_REVISION:
            source = upgrade_copy(copy, copy.with_name("upgraded.db"))
        conn = sqlite3.connect(sqlite.sqlite_uri(source, readonly=True), uri=True)
        try:
            return snapshot_from_connection(conn)
        finally:
            conn.close()


def read_snapshot_json(data: Any, name: str) -> dict[str, list[dict[str, Any]]]:
    """Validate the shape of a desk JSON export (written by strangers: trust nothing)."""
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise InvalidInput(
            f'{name} is not a factcheck desk export (no "format": "{SNAPSHOT_FORMAT}"): '
            "merge a file written by `factcheck export json`"
        )
    if data.get("version") != SNAPSHOT_VERSION:
        raise InvalidInput(
            f"{name} is desk export version {data.get('version')!r}; this factcheck reads "
            f"version {SNAPSHOT_VERSION}: upgrade factcheck"
        )
    snapshot: dict[str, list[dict[str, Any]]] = {}
    for table, query in SNAPSHOT_QUERIES.items():
        rows = data.get(table, [])
        columns = _columns_of(query)
        if not isinstance(rows, list):
            raise InvalidInput(f'{name}: "{table}" must be a list of rows')
        checked = []
        for number, row in enumerate(rows, 1):
            if not isinstance(row, dict) or set(row) != set(columns):
                raise InvalidInput(
                    f"{name}: {table} row {number} must have exactly the keys {', '.join(columns)}"
                )
            for key, value in row.items():
                problem = _value_problem(table, key, value)
                if problem:
                    raise InvalidInput(f"{name}: {table} row {number}: {key} {problem}")
            checked.append(row)
        snapshot[table] = checked
    return snapshot


def _columns_of(query: str) -> list[str]:
    """The snapshot keys a SNAPSHOT_QUERIES entry yields, read off its SELECT list."""
    head = query.split(" FROM ")[0].removeprefix("SELECT ")
    return [part.split(" AS ")[-1].split(".")[-1].strip() for part in head.split(",")]


_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_REQUIRED = {
    "uuid",
    "text",
    "name",
    "title",
    "slug",
    "label",
    "kind",
    "status",
    "stance",
    "reviewer",
    "entity",
    "entity_uuid",
    "field",
    "key",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "best",
    "worst",
    "builtin",
    "claim_uuid",
    "label_uuid",
    "scale_uuid",
    "verdict_uuid",
    "superseded_uuid",
    "other_claim_uuid",
}
_INTS = {"best", "worst", "builtin", "value", "char_start", "char_end"}
_CHOICES: dict[str, set[str]] = {
    "status": {s.value for s in ClaimStatus},
    "stance": {s.value for s in Stance},
    "kind": {k.value for k in SourceKind},
    "speaker_kind": {k.value for k in SpeakerKind},
    "entity": set(MUTABLE_FIELDS),
    "field": {f for fields in MUTABLE_FIELDS.values() for f in fields},
}


def _value_problem(table: str, key: str, value: Any) -> str | None:
    """Why a value from a JSON desk cannot be stored as it is, or None."""
    if table == "setting" and key == "value":
        return None if isinstance(value, str) else "must be a string"
    if value is None:
        return "is missing" if key in _REQUIRED and key != "value" else None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return "must be a string or a number"
    if key in _INTS and not isinstance(value, int):
        return "must be a whole number"
    if key == "score" and not isinstance(value, (int, float)):
        return "must be a number"
    if key not in _INTS and key != "score" and not isinstance(value, str):
        return "must be a string"
    if key in ("created_at", "updated_at") and not _DATETIME.fullmatch(str(value)):
        return "must look like 2026-11-26 13:01:04.101207"
    if key in ("claim_date", "published_on") and not _DATE.fullmatch(str(value)):
        return "must look like 2026-11-26"
    if isinstance(value, str) and "\x00" in value:
        return "contains a NUL byte"
    allowed = _CHOICES.get(key)
    if allowed and value not in allowed:
        return f"must be one of {', '.join(sorted(allowed))}"
    return None


@dataclass
class MergeReport:
    added: dict[str, int] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)  # claims with rival verdicts
    field_conflicts: list[dict[str, Any]] = field(default_factory=list)  # edits that lost
    renamed_scales: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.added.values())


def merge_snapshot(
    session: Session, other: dict[str, list[dict[str, Any]]], name: str
) -> MergeReport:
    """Fold another desk into ours inside the caller's transaction. Refuses (raises) if a row
    with the same UUID has different immutable content; nothing is then written."""
    conn = session.connection()
    ours = snapshot_of_session(session)
    report = MergeReport()
    by_uuid = {t: {_row_key(t, r): r for r in rows} for t, rows in ours.items()}
    _check_immutable(by_uuid, other, name)
    heads_before = _conflicted_claims(conn)
    for table in TABLES:
        incoming = [r for r in other.get(table, []) if _row_key(table, r) not in by_uuid[table]]
        if table == "rating_scale":
            taken = {r["name"] for r in ours["rating_scale"]}
            for row in incoming:
                if row["name"] in taken:
                    new_name = f"{row['name']}-{row['uuid'][:8]}"
                    report.renamed_scales.append(f"{row['name']} -> {new_name}")
                    row = row.copy()
                    row["name"] = new_name
                taken.add(row["name"])
        if table == "setting":
            incoming = []  # settings exist in every file; their values travel as changes
        report.added[table] = len(incoming)
        if incoming:
            _insert(conn, table, incoming)
    # Mutable fields follow the newest change, wherever it was made.
    touched = {
        r["entity_uuid"] for r in other.get("change", []) if r["uuid"] not in by_uuid["change"]
    }
    report.field_conflicts = _field_conflicts(ours["change"], other.get("change", []))
    _apply_history(session, touched)
    after = _conflicted_claims(conn)
    for claim_id, claim_uuid in sorted(after.items()):
        if claim_id not in heads_before:
            report.conflicts.append({"claim_id": claim_id, "claim_uuid": claim_uuid})
    problems = sqlite.foreign_key_problems(conn)
    if problems:
        raise InvalidInput(f"{name} has rows that point at missing rows ({problems[0]})")
    return report


def _row_key(table: str, row: dict[str, Any]) -> Any:
    """A row's identity across files: its UUID (a setting: its key; a link: both ends)."""
    if table == "verdict_supersedes":
        return (row["verdict_uuid"], row["superseded_uuid"])
    return row["key"] if table == "setting" else row["uuid"]


def _check_immutable(
    by_uuid: dict[str, dict[Any, dict[str, Any]]],
    other: dict[str, list[dict[str, Any]]],
    name: str,
) -> None:
    for table, columns in IMMUTABLE.items():
        mine = by_uuid[table]
        for row in other.get(table, []):
            ours = mine.get(_row_key(table, row))
            if ours is None:
                continue
            differs = [c for c in columns if _same(ours[c], row[c]) is False]
            if table == "setting" and ours["uuid"] != row["uuid"]:
                differs.append("uuid")
            if differs:
                raise InvalidInput(
                    f"{name}: {table} {_row_key(table, row)} has the same UUID as ours but different "
                    f"{', '.join(differs)}; it was altered outside factcheck. Nothing was merged: "
                    "ask for a fresh copy"
                )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) < 1e-9
        except (TypeError, ValueError):
            return False
    return a == b


def _insert(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    ids = {t: _id_map(conn, t) for t in set(FOREIGN.get(table, {}).values())}
    sample_columns = _columns_of(SNAPSHOT_QUERIES[table])
    columns = []
    for column in sample_columns:
        own = next((fk for fk, key in FOREIGN_KEYS.items() if key == column), None)
        columns.append(own or column)
    values = []
    for row in rows:
        record: list[Any] = []
        for column, key in zip(columns, sample_columns, strict=True):
            value = row[key]
            if column in FOREIGN.get(table, {}):
                if value is None:
                    record.append(None)
                    continue
                target = FOREIGN[table][column]
                if value not in ids[target]:
                    raise InvalidInput(
                        f"a {table} row points at {target} {value}, which is in neither file"
                    )
                value = ids[target][value]
            record.append(value)
        values.append(tuple(record))
    placeholders = ", ".join("?" for _ in columns)
    # safe: table and column names come from the constants above, values are bound
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    conn.exec_driver_sql(statement, values)


def _id_map(conn: Any, table: str) -> dict[str, int]:
    query = f"SELECT uuid, id FROM {table}"  # safe: table names come from FOREIGN above
    return dict(conn.exec_driver_sql(query).fetchall())


def _conflicted_claims(conn: Any) -> dict[int, str]:
    rows = conn.exec_driver_sql(
        "SELECT c.id, c.uuid FROM claim c WHERE (SELECT count(*) FROM verdict v WHERE "
        "v.claim_id = c.id AND NOT EXISTS (SELECT 1 FROM verdict_supersedes x "
        "WHERE x.superseded_id = v.id)) > 1"
    ).fetchall()
    return dict(rows)


def _field_conflicts(
    ours: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Fields edited on both sides since the copies parted: the losing edits, by name."""
    mine = {r["uuid"] for r in ours}
    other = {r["uuid"] for r in theirs}
    only_ours: dict[tuple[str, str], list[dict[str, Any]]] = {}
    only_theirs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in ours:
        if r["uuid"] not in other:
            only_ours.setdefault((r["entity_uuid"], r["field"]), []).append(r)
    for r in theirs:
        if r["uuid"] not in mine:
            only_theirs.setdefault((r["entity_uuid"], r["field"]), []).append(r)
    found = []
    for key in sorted(set(only_ours) & set(only_theirs)):
        both = sorted(only_ours[key] + only_theirs[key], key=lambda r: (r["created_at"], r["uuid"]))
        winner = both[-1]
        for loser in both[:-1]:
            found.append(
                {
                    "entity_uuid": key[0],
                    "field": key[1],
                    "kept": winner["new_value"],
                    "kept_by": winner["created_by"],
                    "lost": loser["new_value"],
                    "lost_by": loser["created_by"],
                    "lost_at": loser["created_at"],
                }
            )
    return found


def _apply_history(session: Session, entity_uuids: set[str]) -> None:
    """Bring every row with incoming edits to its newest values, a chunk of rows at a time
    (one query for their rows and one for their changes)."""
    from sqlmodel import col, select

    from factcheck.history import ENTITY_MODELS, decode, encode
    from factcheck.models import Change

    uuids = sorted(entity_uuids)
    with session.no_autoflush:
        for start in range(0, len(uuids), 500):
            chunk = uuids[start : start + 500]
            winners: dict[str, dict[str, Change]] = {}
            changes = session.exec(
                select(Change)
                .where(col(Change.entity_uuid).in_(chunk))
                .order_by(col(Change.created_at), col(Change.uuid))
            )
            for change in changes:  # later rows overwrite: the newest change wins
                winners.setdefault(change.entity_uuid, {})[change.field] = change
            for entity, model in ENTITY_MODELS.items():
                for row in session.exec(select(model).where(col(model.uuid).in_(chunk))):
                    for field, change in winners.get(row.uuid, {}).items():
                        value = decode(field, change.new_value)
                        if encode(getattr(row, field)) != encode(value):
                            setattr(row, field, value)
                    if entity == "setting" and "value" in winners.get(row.uuid, {}):
                        winner = winners[row.uuid]["value"]
                        row.updated_at, row.updated_by = winner.created_at, winner.created_by
                    session.add(row)
    session.flush()
