"""SQLite-specific code: file identification, pragmas, locking, backups, the FTS5 index.

Its PostgreSQL counterpart is factcheck/postgres.py; the rest of the core speaks SQLAlchemy
Core, which both dialects compile. Two places still hold SQLite-only SQL of their own:
search.py's FTS5 MATCH/bm25 statements (with their PostgreSQL twins from postgres.py beside
them) and merge.py, which ATTACHes the other desk's file and so runs on SQLite only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
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
    size = require_regular_file(path).st_size
    try:
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


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def require_regular_file(path: Path) -> os.stat_result:
    """Stat path (through symlinks) and refuse anything but a regular file before opening it:
    reading a FIFO would hang and a device is never a database."""
    try:
        info = path.stat()
    except PermissionError:
        raise DatabaseFileError(
            f"cannot read {path}: permission denied; check the file's permissions"
        ) from None
    except OSError as exc:
        raise DatabaseFileError(f"cannot read {path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseFileError(
            f"{path} is {_kind_of(info.st_mode)}, not a database file: "
            "give the path of a factcheck .db file"
        )
    return info


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
    if (
        readonly
        and not os.access(path.parent, os.W_OK)
        and not Path(f"{path}-shm").exists()
        and not has_journal(path)  # immutable would read a crashed write's half-written pages
    ):
        # A WAL file in a folder we cannot write (read-only share, CD, locked-down drive):
        # SQLite cannot create its -shm index there, so read the file as immutable.
        uri += "&immutable=1"
    return uri


def has_journal(path: Path) -> bool:
    """A live rollback journal beside path: a write in progress, or one a crash left (a "hot
    journal" that SQLite rolls back on the next read-write open). Like SQLite, an empty one or
    one whose first byte is zero (journal_mode=PERSIST after a commit) does not count."""
    try:
        with open(f"{path}-journal", "rb") as journal:
            return journal.read(1) not in (b"", b"\x00")
    except OSError:
        return False


def has_wal(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def roll_back_hot_journal(path: Path) -> None:
    """Let SQLite roll back a write that a crash left unfinished, before a read-only open.

    A read-only connection cannot roll a hot journal back (SQLITE_READONLY_ROLLBACK), so one
    read-write connection reads the schema once: SQLite restores the pages from the journal
    (or, if the journal belongs to a live writer, waits for it like any reader).
    """
    if not has_journal(path):
        return
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise DatabaseFileError(
            f"{path} has an unfinished write left by a crash ({path.name}-journal), and only "
            "write access can roll it back: copy the file together with its -journal to a "
            "folder you can write, or ask for write access"
        )
    conn = sqlite3.connect(
        sqlite_uri(path, readonly=False), uri=True, timeout=busy_timeout_seconds()
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


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


def foreign_keys(conn: Any, *, on: bool) -> None:
    # A no-op inside a transaction: call between transactions only.
    conn.exec_driver_sql(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")  # safe: literal


def foreign_key_problems(conn: Any) -> list[str]:
    return _fk_messages(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())


def _fk_messages(rows: list[Any]) -> list[str]:
    return [f"{r[0]} row {r[1]} points at a missing {r[2]}" for r in rows]


def integrity_problems_raw(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


def reference_problems_raw(conn: sqlite3.Connection) -> list[str]:
    return _fk_messages(conn.execute("PRAGMA foreign_key_check").fetchall())


def file_problems(path: Path) -> list[str]:
    """Full integrity check and broken references, on a read-only connection of its own."""
    conn = sqlite3.connect(
        sqlite_uri(path, readonly=True), uri=True, timeout=busy_timeout_seconds()
    )
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        problems = [] if rows == ["ok"] else rows
        return problems + reference_problems_raw(conn)
    finally:
        conn.close()


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

    Readers and writers of source may carry on meanwhile; the copy is the last committed state,
    in the same journal mode as a new file (WAL), so it behaves like any other desk file.
    """
    tmp = target.with_name(f".{target.name}.partial-{os.getpid()}")
    remove_database_files(tmp)
    conn = sqlite3.connect(
        sqlite_uri(source, readonly=True), uri=True, timeout=busy_timeout_seconds()
    )
    try:
        conn.execute("VACUUM INTO ?", (str(tmp),))
        conn.close()
        # VACUUM INTO writes a rollback-journal file; a desk file is WAL wherever it came from.
        copy = sqlite3.connect(sqlite_uri(tmp, readonly=False), uri=True)
        try:
            use_wal(copy)
        finally:
            copy.close()
        os.replace(tmp, target)
    finally:
        conn.close()
        remove_database_files(tmp)


def remove_database_files(path: Path) -> None:
    """Remove a temporary database and every file SQLite may have left beside it."""
    for leftover in (path, *sidecar_paths(path)):
        leftover.unlink(missing_ok=True)


def sidecar_paths(path: Path) -> tuple[Path, Path, Path]:
    """The files SQLite keeps beside a database: write-ahead log, its index, rollback journal."""
    return (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"))


def copy_database_files(path: Path, folder: Path) -> Path:
    """Copy another desk's file into folder (a temporary one), and return the copy.

    Opening a colleague's file, even read-only, makes SQLite create -wal and -shm files beside
    it (and a hot journal could not be rolled back). Copying the file with its -wal (committed
    work not yet in the main file) and -journal lets SQLite do its recovery in the copy, and
    leaves nothing beside the original.
    """
    copy = folder / "other.db"
    shutil.copyfile(path, copy)
    for side, copy_side in zip(sidecar_paths(path), sidecar_paths(copy), strict=True):
        if side.name.endswith("-shm"):
            continue  # an index of the -wal that SQLite rebuilds
        try:
            shutil.copyfile(side, copy_side)
        except FileNotFoundError:
            pass
    return copy


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


# What a file's schema holds: (type, name) -> a digest of the CREATE statement for triggers and
# views (whose bodies run code), "" for tables and indexes (see factcheck/schema_manifest.py).
SchemaObjects = dict[tuple[str, str], str]


def sql_digest(sql: str | None) -> str:
    return hashlib.sha256((sql or "").encode("utf-8", "surrogatepass")).hexdigest()[:32]


def schema_objects(conn: Any) -> SchemaObjects:
    """Every object in sqlite_master (one query; SQLite's own sqlite_* tables left out)."""
    rows = conn.execute(
        "SELECT type, name, CASE WHEN type IN ('trigger', 'view') THEN sql END FROM sqlite_master"
    ).fetchall()
    return {
        (str(kind), str(name)): sql_digest(sql) if kind in ("trigger", "view") else ""
        for kind, name, sql in rows
        if not (kind in ("table", "index") and str(name).startswith("sqlite_"))
    }


@dataclass(frozen=True)
class SchemaFinding:
    """One difference between a file's schema and what its revision should hold."""

    message: str
    refuse: bool  # code that would run (a trigger or view) or a table that is not a table


def _shown(name: str) -> str:
    return repr(name)  # quoted, with control and format characters escaped


def compare_schema(found: SchemaObjects, expected: SchemaObjects) -> list[SchemaFinding]:
    """What is in found that factcheck did not create, and what is missing from it."""
    findings = []
    order = {"view": 0, "table": 1, "trigger": 2}  # a swapped table explains changed triggers
    for (kind, name), digest in sorted(found.items(), key=lambda i: (order.get(i[0][0], 3), i)):
        if kind not in ("trigger", "view"):
            if (kind, name) not in expected:
                article = "an" if kind == "index" else "a"
                findings.append(
                    SchemaFinding(
                        f"{article} {kind} {_shown(name)} that factcheck did not create", False
                    )
                )
            continue
        if (kind, name) not in expected:
            where = "that factcheck did not create"
            if ("table", name) in expected:
                where = "in place of the table factcheck created"
            findings.append(SchemaFinding(f"a {kind} {_shown(name)} {where}", True))
        elif expected[(kind, name)] != digest:
            findings.append(
                SchemaFinding(
                    f"a {kind} {_shown(name)} changed from the one factcheck created", True
                )
            )
    for kind, name in sorted(expected):
        if (kind, name) in found:
            continue
        refuse = kind == "table" and ("view", name) not in found  # a view is reported above
        if kind == "trigger":
            what = "guard trigger" if "append_only" in name or "same_claim" in name else "trigger"
            findings.append(SchemaFinding(f"no {what} {_shown(name)} (it was removed)", False))
        elif refuse:
            findings.append(SchemaFinding(f"no table {_shown(name)}", True))
        elif kind == "index":
            findings.append(SchemaFinding(f"no index {_shown(name)} (it was removed)", False))
    return findings


# Full-text search over claims (FTS5, external content: the index stores no second copy).
_FTS_INSERT_TRIGGER = (
    "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "
    "INSERT INTO claim_fts(rowid, text, speaker, summary) "
    "VALUES (new.id, new.text, new.speaker, new.summary); END"
)


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
