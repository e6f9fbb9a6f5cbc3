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

from factcheck import schema, sqlite
from factcheck.errors import DatabaseFileError, InvalidInput
from factcheck.fields import rule_for
from factcheck.validate import parse_uuid
from factcheck.verdicts import CURRENT_COUNT_SQL

SNAPSHOT_FORMAT = "factcheck-desk"
SNAPSHOT_VERSION = 1


def table_names() -> tuple[str, ...]:
    """Every table of a snapshot, parents before children (schema.py, from the models)."""
    return tuple(spec.name for spec in schema.tables())


def _rows(conn: Any, query: str) -> list[dict[str, Any]]:
    cursor = conn.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def snapshot_from_connection(conn: Any) -> dict[str, list[dict[str, Any]]]:
    """Every table of a desk with foreign keys as UUIDs (conn: sqlite3 or DBAPI connection)."""
    return {name: _rows(conn, schema.snapshot_sql(name)) for name in table_names()}


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
            snapshot = snapshot_from_connection(conn)
        finally:
            conn.close()
    check_snapshot(snapshot, str(path))
    return snapshot


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
    for spec in schema.tables():
        rows = data.get(spec.name, [])
        if not isinstance(rows, list):
            raise InvalidInput(f'{name}: "{spec.name}" must be a list of rows')
        known = set(spec.keys)
        checked = []
        for number, row in enumerate(rows, 1):
            if not isinstance(row, dict) or not set(row) <= known:
                raise InvalidInput(
                    f"{name}: {spec.name} row {number} must be an object with only the keys "
                    f"{', '.join(spec.keys)}"
                )
            # A key an older export lacks is a column added since: empty, as in an upgrade.
            checked.append({key: row.get(key) for key in spec.keys})
        snapshot[spec.name] = checked
    check_snapshot(snapshot, name)
    return snapshot


def check_snapshot(snapshot: dict[str, list[dict[str, Any]]], name: str) -> None:
    """Every value that would enter the desk passes the same checks as the CLI's own
    commands (fields.py): a colleague's file cannot bring in what `claim add` refuses."""
    for spec in schema.tables():
        for number, row in enumerate(snapshot.get(spec.name, []), 1):
            for column in spec.columns:
                problem = _value_problem(spec, column, row[column.key])
                if problem is None and spec.name == "change" and column.key == "new_value":
                    problem = _change_problem(row)
                if problem:
                    where = f"{spec.name} row {number}"
                    raise InvalidInput(
                        f"{name}: {where}: {column.key} {problem}; nothing was merged: ask for a "
                        "fresh copy, or correct it with factcheck and export again"
                    )


_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?")


def _value_problem(spec: schema.TableSpec, column: schema.ColumnSpec, value: Any) -> str | None:
    """Why a value from another desk cannot be stored as it is, or None."""
    if value is None:
        return None if column.nullable else "is missing"
    kind = column.kind
    if kind in ("int", "bool"):
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be a whole number"
        if kind == "bool" and value not in (0, 1):
            return "must be 0 or 1"
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "must be a number"
    elif not isinstance(value, str):
        return "must be a string"
    elif "\x00" in value:
        return "contains a NUL byte"
    elif kind == "datetime" and not _DATETIME.fullmatch(value):
        return "must look like 2026-11-26 13:01:04.101207"
    if column.references or column.key == "entity_uuid":
        return _rule_problem(lambda v: parse_uuid(v, column.key), value)
    rule = rule_for(spec.name, column.name)
    return _rule_problem(rule, value) if rule is not None else None


def _rule_problem(rule: Any, value: Any) -> str | None:
    try:
        stored = rule(value)
    except InvalidInput as exc:
        return f"is refused ({exc})"
    if stored != value:
        shown = str(value)[:60].encode("unicode_escape").decode("ascii")
        return f"{shown!r} is not in the form factcheck stores it"
    return None


def _change_problem(row: dict[str, Any]) -> str | None:
    """An edit's new value passes the edited field's own check (a 5M-character claim text
    cannot arrive as an edit either)."""
    import json

    if row["entity"] == "setting":
        return None  # a setting's value is checked when it is used
    rule = rule_for(row["entity"], row["field"])
    if rule is None or row["new_value"] is None:
        return None
    try:
        value = json.loads(row["new_value"])
    except ValueError:
        return "is not JSON"
    return _rule_problem(rule, value)


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
    for table in table_names():
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
    for lost in report.field_conflicts:
        lost["what"] = _describe(conn, lost["entity"], lost["entity_uuid"])
    after = _conflicted_claims(conn)
    for claim_id, claim_uuid in sorted(after.items()):
        if claim_id not in heads_before:
            report.conflicts.append(
                {
                    "claim_id": claim_id,
                    "claim_uuid": claim_uuid,
                    "what": _describe(conn, "claim", claim_uuid),
                }
            )
    problems = sqlite.foreign_key_problems(conn)
    if problems:
        raise InvalidInput(f"{name} has rows that point at missing rows ({problems[0]})")
    return report


def _row_key(table: str, row: dict[str, Any]) -> Any:
    """A row's identity across files: its UUID (a setting: its key; a link: both ends)."""
    identity = schema.table(table).identity
    return row[identity[0]] if len(identity) == 1 else tuple(row[k] for k in identity)


def _check_immutable(
    by_uuid: dict[str, dict[Any, dict[str, Any]]],
    other: dict[str, list[dict[str, Any]]],
    name: str,
) -> None:
    for spec in schema.tables():
        table, columns = spec.name, spec.immutable
        mine = by_uuid[table]
        for row in other.get(table, []):
            ours = mine.get(_row_key(table, row))
            if ours is None:
                continue
            differs = [c for c in columns if _same(ours[c], row[c]) is False]
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
    spec = schema.table(table)
    ids = {c.references: _id_map(conn, c.references) for c in spec.foreign if c.references}
    values = []
    for row in rows:
        record: list[Any] = []
        for column in spec.columns:
            value = row[column.key]
            if column.references and value is not None:
                if value not in ids[column.references]:
                    raise InvalidInput(
                        f"a {table} row points at {column.references} {value}, which is in "
                        "neither file"
                    )
                value = ids[column.references][value]
            record.append(value)
        values.append(tuple(record))
    names = ", ".join(c.name for c in spec.columns)
    placeholders = ", ".join("?" for _ in spec.columns)
    # safe: table and column names come from the models' metadata, values are bound
    statement = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
    conn.exec_driver_sql(statement, values)


def _id_map(conn: Any, table: str) -> dict[str, int]:
    query = f"SELECT uuid, id FROM {table}"  # safe: table names come from the models
    return dict(conn.exec_driver_sql(query).fetchall())


def _conflicted_claims(conn: Any) -> dict[int, str]:
    # safe: CURRENT_COUNT_SQL is a constant
    rows = conn.exec_driver_sql(
        f"SELECT c.id, c.uuid FROM claim c WHERE {CURRENT_COUNT_SQL} > 1"
    ).fetchall()
    return dict(rows)


def _describe(conn: Any, entity: str, entity_uuid: str) -> str:
    """How a person knows a row: "claim 12 (North Korea is directly ...)", "source 3 (...)"."""
    if entity == "setting":
        row = conn.exec_driver_sql("SELECT key FROM setting WHERE uuid = ?", (entity_uuid,)).first()
        return f"setting {row[0]}" if row else "a setting"
    query = {
        "claim": "SELECT id, text FROM claim WHERE uuid = ?",
        "source": "SELECT id, coalesce(title, url, '') FROM source WHERE uuid = ?",
    }.get(entity)
    row = conn.exec_driver_sql(query, (entity_uuid,)).first() if query else None
    if row is None:
        return f"{entity} {entity_uuid}"
    words = " ".join(str(row[1]).split()[:8])
    more = "..." if len(str(row[1]).split()) > 8 else ""
    return f"{entity} {row[0]} ({words}{more})"


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
            if loser["new_value"] == winner["new_value"]:
                continue  # the same change made on both sides: nothing was lost
            found.append(
                {
                    "entity": winner["entity"],
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
