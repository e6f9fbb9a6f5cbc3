"""SQLite-specific code: file identification, pragmas, locking, backups, the FTS5 index.

Most SQLite-only SQL lives here. Not all: search.py runs FTS5 MATCH/bm25 queries, and
exports.py, stats.py and verdicts.py use SQLite's instr() in hand-written SQL; a PostgreSQL
backend would replace those as well as this module.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.errors import DatabaseFileError

# PRAGMA application_id of every factcheck file: b"FCk1" read as a big-endian int.
APPLICATION_ID = 0x46436B31
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
DEFAULT_BUSY_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class FileHeader:
    size: int
    page_size: int
    page_count: int | None
    application_id: int
    user_version: int


def busy_timeout_seconds() -> float:
    raw = os.environ.get("FACTCHECK_BUSY_TIMEOUT", "")
    try:
        return float(raw) if raw else DEFAULT_BUSY_TIMEOUT_S
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_S


def read_header(path: Path) -> FileHeader:
    """Identify a file from its first 100 bytes without letting SQLite touch it."""
    shown = str(path)
    if path.is_dir():
        raise DatabaseFileError(f"{shown} is a directory: pass the path of a .db file with --db")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(HEADER_SIZE)
    except PermissionError:
        raise DatabaseFileError(
            f"cannot read {shown}: permission denied; check the file's permissions"
        ) from None
    except OSError as exc:
        raise DatabaseFileError(f"cannot read {shown}: {exc.strerror}") from None
    if size == 0:
        raise DatabaseFileError(
            f"{shown} is empty (0 bytes), not a factcheck database: "
            "remove it or pass another file with --db"
        )
    looks_sqlite = head[:16] == SQLITE_MAGIC or (len(head) < 16 and SQLITE_MAGIC.startswith(head))
    if not looks_sqlite:
        raise DatabaseFileError(
            f"{shown} is not a SQLite database, so not a factcheck file: "
            "check the path given with --db"
        )
    if len(head) < HEADER_SIZE:
        raise DatabaseFileError(
            f"{shown} is truncated ({size} bytes, shorter than a SQLite header): "
            "restore it from a backup"
        )
    raw_page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if raw_page_size == 1 else raw_page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DatabaseFileError(f"{shown} has a damaged SQLite header: restore it from a backup")
    change_counter, page_count = struct.unpack(">II", head[24:32])
    valid_for = struct.unpack(">I", head[92:96])[0]
    in_header_pages = page_count if page_count and valid_for == change_counter else None
    if _being_written(path):
        # A writer or checkpoint may have updated the header before extending the file:
        # the sizes only agree between writes, so leave the judgement to SQLite's locks.
        in_header_pages = None
    if size % page_size or (in_header_pages and size < in_header_pages * page_size):
        expected = f", its header says {in_header_pages * page_size}" if in_header_pages else ""
        raise DatabaseFileError(
            f"{shown} is truncated or damaged ({size} bytes{expected}): restore it from a backup"
        )
    user_version = struct.unpack(">i", head[60:64])[0]
    application_id = struct.unpack(">I", head[68:72])[0]
    return FileHeader(size, page_size, in_header_pages, application_id, user_version)


def _being_written(path: Path) -> bool:
    return any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))


def check_ours(path: Path, header: FileHeader, schema_version: int) -> None:
    """Refuse another application's file or one written by a newer factcheck."""
    if header.application_id != APPLICATION_ID:
        raise DatabaseFileError(
            f"{path} is a SQLite database from another application "
            f"(application id {header.application_id:#010x}), not a factcheck file: "
            "pass a factcheck database with --db"
        )
    if header.user_version > schema_version:
        raise DatabaseFileError(
            f"{path} was written by a newer factcheck (schema version {header.user_version}; "
            f"this factcheck knows up to {schema_version}): upgrade factcheck to open it "
            "(pip install --upgrade factcheck)"
        )


def sqlite_uri(path: Path, *, readonly: bool) -> str:
    from urllib.parse import quote

    uri = f"file:{quote(path.resolve().as_posix())}?mode={'ro' if readonly else 'rwc'}"
    if readonly and not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
        # A WAL file in a folder we cannot write (read-only share, CD, locked-down drive):
        # SQLite cannot create its -shm index there, so read the file as immutable.
        uri += "&immutable=1"
    return uri


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def configure_connection(dbapi_conn: sqlite3.Connection) -> None:
    """Pragmas every connection needs; run before any transaction starts."""
    # We issue BEGIN ourselves (see begin_transaction) so pysqlite must not.
    dbapi_conn.isolation_level = None
    # Text written by other tools may not be valid UTF-8: show U+FFFD rather than fail.
    dbapi_conn.text_factory = _lenient_text
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_seconds() * 1000)}")  # safe: an int
    cur.close()


def begin_transaction(conn: Any, *, immediate: bool) -> None:
    # BEGIN IMMEDIATE takes the write lock up front: two writers queue on the busy timeout
    # instead of one failing half-way with "database is locked".
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def use_wal(dbapi_conn: sqlite3.Connection) -> None:
    """Write-ahead logging for local files, unless FACTCHECK_JOURNAL_MODE says otherwise."""
    mode = os.environ.get("FACTCHECK_JOURNAL_MODE", "wal").lower()
    if mode not in {"wal", "delete", "truncate", "persist"}:
        mode = "wal"
    dbapi_conn.execute(f"PRAGMA journal_mode = {mode}")  # safe: from a fixed set


def stamp_identity(conn: Any, schema_version: int) -> None:
    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")  # safe: constants
    conn.exec_driver_sql(f"PRAGMA user_version = {int(schema_version)}")  # safe: an int


def foreign_keys(conn: Any, *, on: bool) -> None:
    # A no-op inside a transaction: call between transactions only.
    conn.exec_driver_sql(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")  # safe: literal


def foreign_key_problems(conn: Any) -> list[str]:
    rows = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    return [f"{r[0]} row {r[1]} points at a missing {r[2]}" for r in rows]


def integrity_problems(conn: Any) -> list[str]:
    rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def integrity_problems_raw(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


def header_values(conn: Any) -> dict[str, Any]:
    return {
        "application_id": conn.exec_driver_sql("PRAGMA application_id").scalar(),
        "user_version": conn.exec_driver_sql("PRAGMA user_version").scalar(),
        "journal_mode": conn.exec_driver_sql("PRAGMA journal_mode").scalar(),
        "page_size": conn.exec_driver_sql("PRAGMA page_size").scalar(),
        "page_count": conn.exec_driver_sql("PRAGMA page_count").scalar(),
    }


def backup_file(source: Path, target: Path) -> None:
    """Write a consistent, compact copy of source to target (VACUUM INTO), whole or not at all.

    Readers and writers of source may carry on meanwhile; the copy is the last committed state.
    """
    tmp = target.with_name(f".{target.name}.partial-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(
        sqlite_uri(source, readonly=True), uri=True, timeout=busy_timeout_seconds()
    )
    try:
        conn.execute("VACUUM INTO ?", (str(tmp),))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    os.replace(tmp, target)


def is_locked_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def append_only_guard_sql(table: str) -> list[str]:
    """Triggers that refuse UPDATE and DELETE on an append-only table."""
    if not table.isidentifier():
        raise ValueError(f"not a table name: {table!r}")
    # safe: table is checked to be a plain identifier above
    return [
        f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: "
        "record a new one instead of changing one'); END",
        f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: "
        "record a new one instead of deleting one'); END",
    ]


def drop_append_only_guard_sql(table: str) -> list[str]:
    if not table.isidentifier():
        raise ValueError(f"not a table name: {table!r}")
    return [  # safe: a checked identifier
        f"DROP TRIGGER IF EXISTS {table}_append_only_update",
        f"DROP TRIGGER IF EXISTS {table}_append_only_delete",
    ]


SUPERSEDES_SAME_CLAIM_SQL = (
    "CREATE TRIGGER verdict_supersedes_same_claim BEFORE INSERT ON verdict "
    "WHEN NEW.supersedes_id IS NOT NULL AND "
    "(SELECT claim_id FROM verdict WHERE id = NEW.supersedes_id) IS NOT NEW.claim_id "
    "BEGIN SELECT RAISE(ABORT, 'a verdict can only supersede a verdict on the same claim'); END"
)

SUPERSEDES_LINK_SAME_CLAIM_SQL = (
    "CREATE TRIGGER verdict_supersedes_link_same_claim BEFORE INSERT ON verdict_supersedes "
    "WHEN (SELECT claim_id FROM verdict WHERE id = NEW.superseded_id) IS NOT "
    "(SELECT claim_id FROM verdict WHERE id = NEW.verdict_id) "
    "BEGIN SELECT RAISE(ABORT, 'a verdict can only supersede a verdict on the same claim'); END"
)

# Every trigger and index a factcheck file may hold; a merge refuses files with others.
EXPECTED_TRIGGERS = frozenset(
    [
        f"{t}_append_only_{op}"
        for t in (
            "verdict",
            "evidence",
            "change",
            "verdict_supersedes",
            "claim_link",
            "publication",
        )
        for op in ("update", "delete")
    ]
    + ["verdict_supersedes_link_same_claim", "publication_same_claim"]
    + ["claim_fts_insert", "claim_fts_delete", "claim_fts_update"]
)


def schema_objects(conn: Any) -> dict[str, set[str]]:
    """Names of triggers and views in a file (a merge refuses unknown ones)."""
    rows = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"
    ).fetchall()
    found: dict[str, set[str]] = {"trigger": set(), "view": set()}
    for kind, name in rows:
        found[kind].add(name)
    return found


# Full-text search over claims (FTS5, external content: the index stores no second copy).
FTS_TABLE = "claim_fts"
FTS_COLUMNS = ("text", "speaker", "summary")
_FTS_INSERT_TRIGGER = (
    "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "
    "INSERT INTO claim_fts(rowid, text, speaker, summary) "
    "VALUES (new.id, new.text, new.speaker, new.summary); END"
)
FTS_TRIGGERS = ("claim_fts_insert", "claim_fts_delete", "claim_fts_update")


def create_fts_sql() -> list[str]:
    return [
        "CREATE VIRTUAL TABLE claim_fts USING fts5(text, speaker, summary, content='claim', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        _FTS_INSERT_TRIGGER,
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


def drop_fts_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in FTS_TRIGGERS] + [
        "DROP TABLE IF EXISTS claim_fts"
    ]


@contextmanager
def fts_deferred(conn: Any) -> Iterator[None]:
    """Bulk-load claims without row-by-row index upkeep, then index the new rows at once.

    FTS5 flushes its buffer at every statement, so a trigger per row costs 3-4x; inside one
    transaction the trigger is dropped, rows are inserted, and the new rows indexed in one
    statement before the trigger is restored (all of it commits or rolls back together).
    """
    last = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM claim").scalar()
    conn.exec_driver_sql("DROP TRIGGER claim_fts_insert")
    yield
    conn.exec_driver_sql(
        "INSERT INTO claim_fts(rowid, text, speaker, summary) "
        "SELECT id, text, speaker, summary FROM claim WHERE id > ?",
        (last,),
    )
    conn.exec_driver_sql(_FTS_INSERT_TRIGGER)


def fts_query(text: str, *, any_word: bool = False) -> str | None:
    """A user's words as a safe FTS5 query: every token quoted, so `"`, `*`, `NEAR`, `-` and
    unbalanced quotes are plain text. A trailing * on a word keeps prefix search."""
    import re

    terms = []
    for token in re.findall(r"\w+\*?", text, flags=re.UNICODE):
        prefix = token.endswith("*")
        word = token.rstrip("*")
        if word:
            terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    if not terms:
        return None
    return (" OR " if any_word else " ").join(terms)
