"""Merging a colleague's copy: rows are matched by UUID, never by integer id.

A *snapshot* is a desk's rows with foreign keys written as UUIDs: what `export json` writes.
The merge itself is SQL: the other desk (a .db file, an upgraded temporary copy of an older
one, or a JSON export loaded into a temporary SQLite file) is ATTACHed read-only, seen through
snapshot-shaped temporary views, validated row by row where it differs from ours, and copied
in with INSERT ... SELECT and UUID joins, all inside the caller's one transaction. Every
statement is generated from schema.py, so a column added to a model is merged without
touching this file. Verdicts, evidence and edits are append-only, so a merge is a union; the
current value of an edited field is its newest change; two verdicts that do not supersede
each other are a conflict that the review table shows until a new verdict supersedes both.
On a PostgreSQL server the other desk's rows travel into temporary tables instead of being
ATTACHed, and the same statements run there (factcheck/merge_postgres.py).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import re
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NoReturn, cast

from sqlalchemy import literal_column, text
from sqlmodel import Session

from factcheck import schema, sqlite
from factcheck.errors import DatabaseFileError, InvalidInput
from factcheck.exchange.jsonstream import iter_object
from factcheck.fields import rule_for
from factcheck.validate import parse_uuid
from factcheck.verdicts import current_count, sql_text

SNAPSHOT_FORMAT = "factcheck-desk"
SNAPSHOT_VERSION = 1


def snapshot_from_connection(conn: Any) -> dict[str, list[dict[str, Any]]]:
    """Every table of a desk with foreign keys as UUIDs and bytes as base64 text, ready to
    write as JSON (conn: sqlite3 or DBAPI connection)."""
    return {name: list(rows) for name, rows in _snapshot_tables(conn)}


def _to_base64(value: Any) -> Any:
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def _from_base64(value: Any) -> Any:
    """A snapshot's base64 text back to bytes; anything else is left for the checks to refuse."""
    if not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        return value  # refused by the checks as "must be bytes"


def iter_snapshot(session: Session) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Each table's name and its snapshot rows, streamed a chunk at a time (a 1M-claim desk
    is never held in memory); take each table's rows before asking for the next table."""
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    if session.connection().dialect.name == "postgresql":
        from factcheck import postgres

        return postgres.snapshot_tables(raw, _to_base64)
    return _snapshot_tables(raw)


def _snapshot_tables(conn: Any) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    for spec in schema.tables():
        yield spec.name, _streamed_rows(conn, spec)


def _streamed_rows(conn: Any, spec: schema.TableSpec) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(schema.snapshot_sql(spec.name))
    names = [d[0] for d in cursor.description]
    binary = [column.key for column in spec.columns if column.kind == "bytes"]
    while chunk := cursor.fetchmany(2000):
        for values in chunk:
            row = dict(zip(names, values, strict=True))
            for key in binary:
                row[key] = _to_base64(row[key])
            yield row


@dataclass
class OtherDesk:
    """A colleague's desk, checked and ready to ATTACH read-only: their .db file (or an
    upgraded temporary copy of it), or a temporary file holding a JSON export's rows."""

    path: Path
    snapshot_shaped: bool  # tables of snapshot rows (from JSON), not a factcheck file
    name: str
    keep: Any = None  # the temporary folder of a temporary copy: removed with this object


def read_other_file(path: Path) -> OtherDesk:
    """Check a colleague's .db without changing it: identified and checked like any file we
    open; an older schema is upgraded in a temporary copy, never in place."""
    from factcheck.db import HEAD_REVISION, SCHEMA_VERSION, read_revision, upgrade_copy

    path = Path(path).expanduser()
    if not path.exists():
        raise InvalidInput(f"no file at {path}: check the path of the copy to merge")
    header = sqlite.read_header(path)
    sqlite.check_ours(path, header, SCHEMA_VERSION)
    # Read a private copy (with its -wal and -journal): nothing is created beside the
    # colleague's file, and the checks and the merge see the same bytes.
    keep = tempfile.TemporaryDirectory(prefix="factcheck-merge-")
    copy = sqlite.copy_database_files(path, Path(keep.name))
    revision = read_revision(copy, shown=path)  # refuses foreign triggers and views
    conn = sqlite3.connect(sqlite.sqlite_uri(copy, readonly=True), uri=True)
    try:  # a damaged file, or a reference to a row the file lacks (it would arrive as NULL)
        problems = sqlite.integrity_problems_raw(conn) or sqlite.reference_problems_raw(conn)
    finally:
        conn.close()
    if problems:
        raise DatabaseFileError(
            f"{path} is damaged ({problems[0]}): ask your colleague for a fresh copy"
        )
    if revision != HEAD_REVISION:
        copy = upgrade_copy(copy, copy.with_name("upgraded.db"))
    return OtherDesk(copy, snapshot_shaped=False, name=str(path), keep=keep)


def read_desk_export(stream: BinaryIO, name: str) -> OtherDesk:
    """Check a desk JSON export (written by strangers: trust nothing) row by row as it is
    read, and hold its rows in a temporary SQLite file, so it merges through the same SQL as
    a .db file. Neither the file nor its rows are ever all in memory."""
    specs = {spec.name: spec for spec in schema.tables()}
    checks = {spec.name: RowCheck(spec) for spec in specs.values()}
    numbers = dict.fromkeys(specs, 0)
    header: dict[str, Any] = {}
    problem: str | None = None  # the first bad row, told once the file is known to be a desk
    keep = tempfile.TemporaryDirectory(prefix="factcheck-merge-")
    path = Path(keep.name) / "snapshot.db"
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        inserts = {}
        for spec in specs.values():
            keys = ", ".join(spec.keys)
            marks = ", ".join("?" for _ in spec.keys)
            identity = ", ".join(spec.identity)
            # Table and column names come from the models' metadata; values are bound.
            conn.execute(f"CREATE TABLE {spec.name} ({keys})")  # safe: model names
            conn.execute(f"CREATE UNIQUE INDEX ix_{spec.name} ON {spec.name} ({identity})")  # safe
            inserts[spec.name] = f"INSERT INTO {spec.name} ({keys}) VALUES ({marks})"
        pending: list[list[Any]] = []
        table = ""

        def flush() -> None:
            try:
                conn.executemany(inserts[table], pending)
            except sqlite3.IntegrityError:
                raise InvalidInput(
                    f"{name}: two {table} rows have the same "
                    f"{', '.join(specs[table].identity)}; nothing was merged: ask for a fresh copy"
                ) from None
            pending.clear()

        for key, value, is_row in iter_object(stream, name, frozenset(specs)):
            if key != table and pending:
                flush()
            if not is_row:
                if key in specs:
                    raise InvalidInput(f'{name}: "{key}" must be a list of rows')
                header[key] = value
                continue
            table, spec = key, specs[key]
            numbers[key] += 1
            if problem is not None:
                continue
            if not isinstance(value, dict) or not set(value) <= set(spec.keys):
                problem = (
                    f"{name}: {key} row {numbers[key]} must be an object with only the keys "
                    f"{', '.join(spec.keys)}"
                )
                continue
            # A key an older export lacks is a column added since: empty, as in an upgrade.
            row = [
                _from_base64(value.get(c.key)) if c.kind == "bytes" else value.get(c.key)
                for c in spec.columns
            ]
            found = checks[key].problem(row)
            if found:
                problem = refused_message(name, key, numbers[key], *found)
                continue
            pending.append(row)
            if len(pending) >= 2000:
                flush()
        if pending:
            flush()
        if header.get("format") != SNAPSHOT_FORMAT:
            raise InvalidInput(
                f'{name} is not a factcheck desk export (no "format": "{SNAPSHOT_FORMAT}"): '
                "merge a file written by `factcheck export json`"
            )
        if header.get("version") != SNAPSHOT_VERSION:
            raise InvalidInput(
                f"{name} is desk export version {header.get('version')!r}; this factcheck "
                f"reads version {SNAPSHOT_VERSION}: upgrade factcheck"
            )
        if problem is not None:
            raise InvalidInput(problem)
        conn.execute("CREATE INDEX ix_change_field ON change (entity_uuid, field)")
        conn.commit()
    finally:
        conn.close()
    return OtherDesk(path, snapshot_shaped=True, name=name, keep=keep)


def not_utf8(name: str, table: str) -> InvalidInput:
    """The refusal of a merge whose other desk holds bytes that are not UTF-8 text."""
    return InvalidInput(
        f"{name}: a {table} row holds text that is not valid UTF-8; nothing was merged: ask "
        "for a fresh copy"
    )


def refused_message(name: str, table: str, number: int, key: str, problem: str) -> str:
    return (
        f"{name}: {table} row {number}: {key} {problem}; nothing was merged: ask for a "
        "fresh copy, or correct it with factcheck and export again"
    )


_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?")
# The same two exact forms as SQL GLOB patterns, so merge tests them in SQLite, not row by row.
_UUID_GLOB = "-".join("[0-9a-f]" * n for n in (8, 4, 4, 4, 12))
_DATETIME_GLOBS = tuple(
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
    + ("." + "[0-9]" * digits if digits else "")
    for digits in range(7)
)


def _form_in_sql(column: schema.ColumnSpec) -> str | None:
    """SQL that is true when row o's value of a UUID or datetime column has the exact form
    the checks above accept (parse_uuid's canonical form, _DATETIME); None for other columns."""
    if column.references or column.key in ("uuid", "entity_uuid"):
        globs: tuple[str, ...] = (_UUID_GLOB,)
    elif column.kind == "datetime":
        globs = _DATETIME_GLOBS
    else:
        return None
    # safe: the key comes from the models' metadata, the patterns are constants
    matches = " OR ".join(f"o.{column.key} GLOB '{glob}'" for glob in globs)
    test = f"(typeof(o.{column.key}) = 'text' AND ({matches}))"
    return f"(o.{column.key} IS NULL OR {test})" if column.nullable else test


_REMEMBERED = 5_000  # text values per column known to pass (bounded memory)


class RowCheck:
    """The checks of one table's rows, each column's rule looked up once. A text value that
    passed is remembered (bounded), so a speaker or a status repeated 100,000 times is
    checked once (a rule is a function of the value alone); a column whose values do not
    repeat (UUIDs, times, claim text) stops remembering after a sample."""

    def __init__(
        self, spec: schema.TableSpec, columns: tuple[schema.ColumnSpec, ...] | None = None
    ) -> None:
        self.spec = spec
        self.columns = spec.columns if columns is None else columns
        self.keys = tuple(column.key for column in self.columns)
        self.rules = [_column_rule(spec, column) for column in self.columns]
        self.nullable = [column.nullable for column in self.columns]
        self.passed: list[set[str] | None] = [set() for _ in self.columns]
        self.hits = [0] * len(self.columns)
        self.new_value = self.keys.index("new_value") if spec.name == "change" else -1
        if self.new_value >= 0:
            self.passed[self.new_value] = None  # checked against the edited field's rule

    def problem(self, values: list[Any] | tuple[Any, ...]) -> tuple[str, str] | None:
        """(column key, why) for the first value refused, or None."""
        for index, value in enumerate(values):
            if value is None and self.nullable[index]:
                continue
            passed = self.passed[index]
            if passed is not None and value.__class__ is str and value in passed:
                self.hits[index] += 1
                continue
            column = self.columns[index]
            problem = _value_problem(column, value, self.rules[index])
            if problem is None and index == self.new_value:
                problem = _change_problem(dict(zip(self.keys, values, strict=True)))
            if problem:
                return column.key, problem
            if passed is not None and value.__class__ is str and len(value) < 200:
                passed.add(value)
                if len(passed) >= _REMEMBERED:  # full: keep it only if it pays
                    self.passed[index] = passed if self.hits[index] > len(passed) else None
        return None


def _column_rule(spec: schema.TableSpec, column: schema.ColumnSpec) -> Any:
    if column.references or column.key == "entity_uuid":
        return lambda v: parse_uuid(v, column.key)
    return rule_for(spec.name, column.name)


def _value_problem(column: schema.ColumnSpec, value: Any, rule: Any) -> str | None:
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
    elif kind == "bytes":
        if not isinstance(value, bytes):
            return "must be bytes (base64 text in a JSON export)"
    elif not isinstance(value, str):
        return "must be a string"
    elif "\x00" in value:
        return "contains a NUL byte"
    elif kind == "datetime" and not _DATETIME.fullmatch(value):
        return "must look like 2026-11-26 13:01:04.101207"
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


def merge_snapshot(session: Session, desk: OtherDesk, name: str) -> MergeReport:
    """Fold another desk into ours inside the caller's transaction, in SQL: the other file is
    ATTACHed read-only and rows are matched by UUID joins, so neither desk is read into
    memory. Refuses (raises) on a value the CLI would refuse, a row with the same UUID but
    different immutable content, or a row pointing at a row in neither file; nothing is then
    written (the caller rolls back)."""
    session.info["merge_other"] = desk  # its temporary file lives as long as the transaction
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        from factcheck.merge_postgres import merge_into_server

        return merge_into_server(conn, desk, name)
    alias = _attach(conn, desk)
    raw = cast(sqlite3.Connection, conn.connection.dbapi_connection)
    merge = _SqlMerge(raw, desk, alias, name, engine=conn)
    return merge.run()


_attached = itertools.count(1)
# A scale of theirs whose name we already use for another scale comes in as name-<uuid8>.
RENAMED_SCALE = "o.name || '-' || substr(o.uuid, 1, 8)"


def _renamed(scale: dict[str, Any]) -> str:
    return f"{scale['name']}-{scale['uuid'][:8]}"


def _attach(conn: Any, desk: OtherDesk) -> str:
    alias = f"merge_other_{next(_attached)}"
    _attach_raw(conn.connection.dbapi_connection, desk, alias)
    return alias


def _attach_raw(raw: sqlite3.Connection, desk: OtherDesk, alias: str) -> None:
    uri = sqlite.sqlite_uri(desk.path, readonly=True)
    raw.execute(f"ATTACH DATABASE ? AS {alias}", (uri,))  # safe: alias is ours


class _Checks:
    """The checks of a merge's incoming rows (`_SqlMerge.check_all`). On a desk in WAL mode
    they run on a read-only connection of their own, in a thread, while the rows go in: that
    reader sees the desk as it was before the merge (the write transaction commits only after
    the checks end), and sqlite3 lets go of the GIL while SQLite works, so the two passes over
    the other desk share the machine's cores. A refusal still comes before anything commits,
    and the caller rolls the whole merge back. In other journal modes a reader could block the
    writer, so the checks run first, in the merge's own transaction."""

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self.reader: sqlite3.Connection | None = None
        self.cancelled = False

    def start(self, merge: _SqlMerge) -> None:
        path = _wal_file(merge.raw)
        if path is None:
            merge.check_all()
            return
        merge.checks_failed = lambda: self.error is not None
        self.thread = threading.Thread(
            target=self.run, args=(merge, path), name="merge-checks", daemon=True
        )
        self.thread.start()

    def run(self, merge: _SqlMerge, path: Path) -> None:
        try:
            if self.cancelled:
                return
            reader = sqlite3.connect(
                sqlite.sqlite_uri(path, readonly=True),
                uri=True,
                timeout=sqlite.busy_timeout_seconds(),
            )
            self.reader = reader
            try:
                # Cancelled between statements too, not only in one.
                reader.set_progress_handler(lambda: self.cancelled, 10_000)
                sqlite.configure_connection(reader)
                _attach_raw(reader, merge.desk, merge.alias)
                checking = _SqlMerge(reader, merge.desk, merge.alias, merge.name)
                checking.views()
                checking.check_all()
            finally:
                reader.close()
        except BaseException as exc:  # handed to the merge's thread, which raises it
            self.error = exc
            if not self.cancelled:
                # The merge is refused: stop the rows going in now rather than after the
                # statement running. It fails as "interrupted", and run() then raises this.
                merge.raw.interrupt()

    def finish(self) -> None:
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        """Stop the checks and wait for them (Ctrl-C): the merge is abandoned and rolled back,
        and no reader may outlive it (it would keep the desk's -wal file beside it)."""
        self.cancelled = True
        reader = self.reader
        if reader is not None:
            with contextlib.suppress(sqlite3.Error):
                reader.interrupt()
        if self.thread is not None:
            self.thread.join()


def _wal_file(raw: sqlite3.Connection) -> Path | None:
    """Our desk's file when it is in WAL mode (a reader there never blocks the writer)."""
    mode = raw.execute("PRAGMA main.journal_mode").fetchone()[0]
    files = {row[1]: row[2] for row in raw.execute("PRAGMA database_list")}
    return Path(files["main"]) if str(mode).lower() == "wal" and files.get("main") else None


class _SqlMerge:
    """One merge: temporary views name the other desk's rows (`o`, snapshot-shaped) and ours
    (`m`); every statement below is generated from schema.py. The few words SQLite and
    PostgreSQL spell differently are the attributes and small methods a subclass for the
    server (factcheck/merge_postgres.py) replaces."""

    main = "main."  # our tables
    temp = "temp."  # the merge's temporary tables and views
    mark = "?"  # a bound value

    @staticmethod
    def same(a: str, b: str) -> str:
        """SQL: a equals b, NULL equal to NULL."""
        return f"{a} IS {b}"

    def their_table(self, table: str) -> str:
        """Their rows of a table as stored, with a `uuid` column (for references)."""
        return f"{self.alias}.{table}"

    def new_value(self, spec: schema.TableSpec, name: str) -> str:
        """SQL: change c's new value (JSON text) as a value of column `name`."""
        return "json_extract(c.new_value, '$')"

    def __init__(
        self, raw: sqlite3.Connection, desk: OtherDesk, alias: str, name: str, engine: Any = None
    ) -> None:
        self.raw, self.desk, self.alias, self.name = raw, desk, alias, name
        self.conn = engine  # the SQLAlchemy connection of the merge's transaction, if this is it
        self.checks_failed: Callable[[], bool] = lambda: False
        self.report = MergeReport()
        # Found by validate's one pass over the incoming rows and raised by check_all in the
        # order the checks have always run: every table's values, then immutable
        # differences, then a reference to a row in neither file.
        self.immutable_differs: set[str] = set()
        self.dangling: dict[tuple[str, str], str] = {}

    def sql(self, statement: str, params: Any = ()) -> sqlite3.Cursor:
        return self.raw.execute(statement, params)

    def theirs(self, table: str) -> str:
        return f"{self.temp}merge_theirs_{table}"

    def ours(self, table: str) -> str:
        return f"{self.temp}merge_ours_{table}"

    def run(self) -> MergeReport:
        self.views()
        heads_before = self.checked_write()
        for lost in self.report.field_conflicts:
            lost["what"] = _describe(self.conn, lost["entity"], lost["entity_uuid"])
        for claim_id, claim_uuid in sorted(self.conflicted_claims().items()):
            if claim_id not in heads_before:
                self.report.conflicts.append(
                    {
                        "claim_id": claim_id,
                        "claim_uuid": claim_uuid,
                        "what": _describe(self.conn, "claim", claim_uuid),
                    }
                )
        return self.report

    def checked_write(self) -> dict[int, str]:
        """The checks and the writes (see _Checks); the claims in conflict before."""
        checks = _Checks()
        try:
            checks.start(self)
            try:
                heads_before = self.write()
            except Exception:  # a row the checks refuse may also break a statement here
                checks.finish()  # their refusal says what is wrong; else this error stands
                raise
            checks.finish()
        except BaseException as exc:
            if not isinstance(exc, Exception):  # Ctrl-C, SIGTERM: stop the checks first
                checks.stop()
            raise
        return heads_before

    def write(self) -> dict[int, str]:
        """Everything the merge writes; returns the claims in conflict before it."""
        self.report.field_conflicts = self.field_conflicts()
        self.temp_table(
            "merge_claims",  # claims with incoming verdicts: the only ones a conflict can start on
            f"SELECT DISTINCT o.claim_uuid AS uuid FROM {self.theirs('verdict')} o "
            f"WHERE NOT EXISTS (SELECT 1 FROM {self.main}verdict m WHERE m.uuid = o.uuid)",
        )
        self.temp_table(
            "merge_touched",  # rows with incoming edits
            f"SELECT DISTINCT o.entity_uuid AS uuid FROM {self.theirs('change')} o "
            f"WHERE NOT EXISTS (SELECT 1 FROM {self.main}change m WHERE m.uuid = o.uuid)",
        )
        heads_before = self.conflicted_claims()
        for spec in schema.tables():
            if self.checks_failed():
                return heads_before  # no use writing more: the checks' refusal comes next
            self.insert(spec)
        for spec in schema.tables():
            self.apply_history(spec)
        return heads_before

    def views(self) -> None:
        for spec in schema.tables():
            if self.desk.snapshot_shaped:
                keys = ", ".join(spec.keys)
                theirs = f"SELECT {keys} FROM {self.alias}.{spec.name}"  # safe: model names
            else:
                theirs = schema.snapshot_select(spec.name, self.alias)
            self.view(self.theirs(spec.name), theirs)
            self.view(self.ours(spec.name), self.our_rows(spec.name))

    def our_rows(self, name: str) -> str:
        """SELECT of our snapshot rows of a table."""
        return schema.snapshot_select(name)

    def check_all(self) -> None:
        """Every check of the incoming rows against ours as it was before the merge, in the
        order their refusals have always come: values, then immutable columns, then a
        reference to a row in neither file (the first table's)."""
        for spec in schema.tables():
            self.validate(spec)
        for spec in schema.tables():
            if spec.name in self.immutable_differs:
                self.check_immutable(spec)
        for spec in schema.tables():
            for column in spec.foreign:
                dangling = self.dangling.get((spec.name, column.key))
                if dangling is not None:
                    raise InvalidInput(
                        f"a {spec.name} row points at {column.references} {dangling}, which "
                        "is in neither file"
                    )

    def view(self, name: str, select: str) -> None:
        self.sql(f"DROP VIEW IF EXISTS {name}")  # safe: our own name
        self.sql(f"CREATE TEMP VIEW {name.split('.')[1]} AS {select}")  # safe: names only

    def temp_table(self, name: str, select: str) -> None:
        self.sql(f"DROP TABLE IF EXISTS {self.temp}{name}")  # safe: our own name
        self.sql(f"CREATE TEMP TABLE {name} AS {select}")  # safe: names only

    def same_row(self, spec: schema.TableSpec, keys: tuple[str, ...]) -> str:
        """SQL: row m of ours is row o of theirs (same identity) and equal in `keys`."""
        parts = [f"m.{k} = o.{k}" for k in spec.identity]
        parts += [self.same(f"m.{k}", f"o.{k}") for k in keys if k not in spec.identity]
        return " AND ".join(parts)

    def validate(self, spec: schema.TableSpec) -> None:
        """Every value of a row that is not already ours, exactly as we hold it, passes the
        CLI's own checks (fields.py); streamed, a chunk of rows at a time. Text is read
        strictly: bytes that are not UTF-8 are refused, not quietly replaced."""
        in_sql = {c.key: test for c in spec.columns if (test := _form_in_sql(c)) is not None}
        rest = tuple(c for c in spec.columns if c.key not in in_sql)
        incoming = (
            f"FROM {self.theirs(spec.name)} o WHERE NOT EXISTS "
            f"(SELECT 1 FROM {self.ours(spec.name)} m WHERE {self.same_row(spec, spec.keys)})"
        )
        raw = self.raw
        factory, raw.text_factory = raw.text_factory, str
        cursor = raw.cursor()
        try:
            # One pass: UUIDs and times are tested in SQLite (a column says whether they have
            # the stored form), the other columns in Python (fields.py); each row comes with its
            # identity, to name it in a message. The same pass finds references to a row in
            # neither file and rows of ours whose immutable columns differ (only a row that is
            # not exactly ours can), so neither needs a pass of its own.
            form_ok = " AND ".join(in_sql.values()) or "1"
            shown = spec.identity + tuple(c.key for c in rest)
            flags = [self.dangling_sql(column) for column in spec.foreign]
            flags.append(self.immutable_differs_sql(spec))
            columns = ", ".join([*(f"o.{k}" for k in shown), form_ok, *flags])
            cursor.execute(f"SELECT {columns} {incoming}")  # safe: model names
            checks, start, form = RowCheck(spec, rest), len(spec.identity), len(shown)
            while chunk := cursor.fetchmany(2000):
                for values in chunk:
                    if not values[form]:
                        self.explain(spec, incoming, values[:start])
                    problem = checks.problem(values[start:form])
                    if problem:
                        row = dict(zip(shown, values[:form], strict=True))
                        self.refuse(spec, row, problem)
                    for column, missing in zip(spec.foreign, values[form + 1 :], strict=False):
                        if missing is not None:
                            self.dangling.setdefault((spec.name, column.key), missing)
                    if values[-1]:
                        self.immutable_differs.add(spec.name)
        except sqlite3.OperationalError as exc:
            if "decode" not in str(exc):
                raise
            raise not_utf8(self.name, spec.name) from None
        finally:
            cursor.close()
            raw.text_factory = factory

    def dangling_sql(self, column: schema.ColumnSpec) -> str:
        """SQL: row o's reference when it points at a row in neither file, else NULL. Every
        row of theirs that we lack goes in, so in either file means in ours once merged."""
        key, table = column.key, str(column.references)
        # safe: names from the models' metadata
        return (
            f"CASE WHEN o.{key} IS NULL "
            f"OR EXISTS (SELECT 1 FROM {self.main}{table} r WHERE r.uuid = o.{key}) "
            f"OR EXISTS (SELECT 1 FROM {self.their_table(table)} r WHERE r.uuid = o.{key}) "
            f"THEN NULL ELSE o.{key} END"
        )

    def immutable_differs_sql(self, spec: schema.TableSpec) -> str:
        """SQL: true when we hold row o (same identity) with other immutable values; which
        ones, and whether only in ways check_immutable forgives, is for check_immutable."""
        if not spec.immutable:
            return "0"
        same = " AND ".join(self.same(f"m.{k}", f"o.{k}") for k in spec.immutable)
        identity = " AND ".join(f"m.{k} = o.{k}" for k in spec.identity)
        # safe: names from the models' metadata
        return f"EXISTS (SELECT 1 FROM {self.ours(spec.name)} m WHERE {identity} AND NOT ({same}))"

    def explain(self, spec: schema.TableSpec, incoming: str, identity: Any) -> NoReturn:
        """Refuse the row whose UUID or time SQLite found not in the stored form, saying
        which value and why, as the Python checks word it."""
        everything = ", ".join(f"o.{k}" for k in spec.keys)
        same = " AND ".join(f"o.{k} IS ?" for k in spec.identity)
        raw = self.raw
        query = f"SELECT {everything} {incoming} AND {same}"  # safe: model names, bound values
        values = raw.execute(query, identity).fetchone()
        row = dict(zip(spec.keys, values, strict=True))
        self.refuse(spec, row, RowCheck(spec).problem(values))

    def refuse(self, spec: schema.TableSpec, row: dict[str, Any], problem: Any) -> NoReturn:
        key, why = problem or (spec.identity[0], "is not in the form factcheck stores it")
        number = self.row_number(spec, row)
        raise InvalidInput(refused_message(self.name, spec.name, number, key, why))

    def row_number(self, spec: schema.TableSpec, row: dict[str, Any]) -> int:
        """Where a refused row is in the other desk (its export's order), for the message."""
        if self.desk.snapshot_shaped:  # the order of the JSON export's list
            source, order = f"{self.alias}.{spec.name}", "o.rowid"
        else:
            source, order = self.theirs(spec.name), schema.snapshot_order(spec, "o")
        identity = ", ".join(f"o.{k}" for k in spec.identity)
        # safe: names from the models' metadata
        rows = self.sql(f"SELECT {identity} FROM {source} o ORDER BY {order}")
        wanted = tuple(row[k] for k in spec.identity)
        for number, found in enumerate(rows, 1):
            if tuple(found) == wanted:
                return number
        return 0

    def check_immutable(self, spec: schema.TableSpec) -> None:
        columns = spec.immutable
        if not columns:
            return
        same = []
        for key in columns:
            if spec.column(key).kind == "float":
                same.append(
                    f"({self.same(f'm.{key}', f'o.{key}')} OR abs(m.{key} - o.{key}) < 1e-9)"
                )
            elif (spec.name, key) == ("rating_scale", "name"):  # renamed when it came in
                same.append(f"({self.same('m.name', 'o.name')} OR m.name = {RENAMED_SCALE})")
            else:
                same.append(self.same(f"m.{key}", f"o.{key}"))
        picked = ", ".join(f"o.{k}" for k in spec.identity + columns)
        picked += ", " + ", ".join(f"m.{k}" for k in columns)
        identity = " AND ".join(f"m.{k} = o.{k}" for k in spec.identity)
        # safe: names from the models' metadata
        cursor = self.sql(
            f"SELECT {picked} FROM {self.theirs(spec.name)} o JOIN {self.ours(spec.name)} m "
            f"ON {identity} WHERE NOT ({' AND '.join(same)})"
        )
        for values in cursor:
            theirs = dict(zip(spec.identity + columns, values, strict=False))
            ours = dict(zip(columns, values[len(spec.identity) + len(columns) :], strict=True))
            differs = [c for c in columns if _same(ours[c], theirs[c]) is False]
            if spec.name == "rating_scale" and ours["name"] == _renamed(theirs):
                differs.remove("name")
            if differs:
                cursor.close()
                raise InvalidInput(
                    f"{self.name}: {spec.name} {_row_key(spec.name, theirs)} has the same UUID "
                    f"as ours but different {', '.join(differs)}; it was altered outside "
                    "factcheck. Nothing was merged: ask for a fresh copy"
                )

    def field_conflicts(self) -> list[dict[str, Any]]:
        """Only the edits made on one side since the copies parted, to a field the other side
        also edited, are read (not the whole change log)."""
        keys = ("uuid", "entity", "entity_uuid", "field", "new_value", "created_at", "created_by")
        picked = ", ".join(f"a.{k}" for k in keys)

        def one_side(mine: str, other: str) -> list[dict[str, Any]]:
            # safe: names only
            rows = self.sql(
                f"SELECT {picked} FROM {mine} a "
                f"WHERE NOT EXISTS (SELECT 1 FROM {other} b WHERE b.uuid = a.uuid) "
                f"AND EXISTS (SELECT 1 FROM {other} b WHERE b.entity_uuid = a.entity_uuid "
                f"AND b.field = a.field AND NOT EXISTS "
                f"(SELECT 1 FROM {mine} c WHERE c.uuid = b.uuid))"
            )
            return [dict(zip(keys, r, strict=True)) for r in rows]

        ours = one_side(f"{self.main}change", self.theirs("change"))
        theirs = one_side(self.theirs("change"), f"{self.main}change")
        return _field_conflicts(ours, theirs)

    def conflicted_claims(self) -> dict[int, str]:
        # safe: SQL compiled from the one definition of current verdicts
        current = sql_text(current_count(literal_column("c.id")), self.conn.dialect)
        rows = self.sql(
            f"SELECT c.id, c.uuid FROM {self.main}claim c WHERE c.uuid IN "
            f"(SELECT uuid FROM {self.temp}merge_claims) AND {current} > 1"
        ).fetchall()
        return dict(rows)

    def insert(self, spec: schema.TableSpec) -> None:
        """INSERT ... SELECT of their rows we lack, foreign keys mapped by UUID joins."""
        if spec.name == "setting":  # settings exist in every file; values travel as changes
            self.report.added[spec.name] = 0
            return
        theirs = self.theirs(spec.name)
        parts, joins, mapped = [], [], {}
        for position, column in enumerate(spec.columns):
            if column.references:
                alias = f"r{position}"
                joins.append(
                    f"LEFT JOIN {self.main}{column.references} {alias} "
                    f"ON {alias}.uuid = o.{column.key}"
                )
                parts.append(f"{alias}.id")
                mapped[column.key] = f"{alias}.id"
            else:
                parts.append(f"o.{column.key}")
        if spec.identity == ("uuid",) or spec.identity == ("key",):
            key = spec.identity[0]
            exists = f"m.{key} = o.{key}"
        else:  # a link table: both ends, as our ids
            exists = " AND ".join(f"m.{spec.column(k).name} = {mapped[k]}" for k in spec.identity)
        if spec.name == "rating_scale":
            self.rename_scales(parts)
        names = ", ".join(c.name for c in spec.columns)
        # safe: names from the models' metadata
        result = self.sql(
            f"INSERT INTO {self.main}{spec.name} ({names}) SELECT {', '.join(parts)} "
            f"FROM {theirs} o {' '.join(joins)} WHERE NOT EXISTS (SELECT 1 FROM {self.main}{spec.name} m "
            f"WHERE {exists})"
        )
        self.report.added[spec.name] = result.rowcount

    def rename_scales(self, parts: list[str]) -> None:
        """A scale of theirs whose name we use for another scale comes in as name-<uuid8>."""
        taken = f"EXISTS (SELECT 1 FROM {self.main}rating_scale s WHERE s.name = o.name)"
        renamed = self.sql(
            f"SELECT o.name, o.uuid FROM {self.theirs('rating_scale')} o WHERE NOT EXISTS "
            f"(SELECT 1 FROM {self.main}rating_scale m WHERE m.uuid = o.uuid) AND {taken} "
            "ORDER BY o.created_at, o.uuid"
        )
        for old, uuid in renamed:
            self.report.renamed_scales.append(f"{old} -> {_renamed({'name': old, 'uuid': uuid})}")
        index = schema.table("rating_scale").keys.index("name")
        parts[index] = f"CASE WHEN {taken} THEN {RENAMED_SCALE} ELSE o.name END"

    def apply_history(self, spec: schema.TableSpec) -> None:
        """Rows with incoming edits take the newest change of each field (by time, then change
        UUID, as every copy agrees), in one UPDATE per table."""
        fields = [c.name for c in spec.columns if c.mutable and not c.name.startswith("updated_")]
        if not fields or "uuid" not in spec.keys:
            return
        newest = (
            f"(SELECT {{}} FROM {self.main}change c WHERE c.entity_uuid = t.uuid AND c.field {{}} "
            "ORDER BY c.created_at DESC, c.uuid DESC LIMIT 1)"
        )
        one = f"= {self.mark}"
        sets, params = [], []
        for name in fields:
            value = self.new_value(spec, name)
            sets.append(
                f"{name} = CASE WHEN {newest.format('1', one)} IS NULL THEN {name} "
                f"ELSE {newest.format(value, one)} END"
            )
            params += [name, name]
        if {"updated_at", "updated_by"} <= set(spec.keys):  # a setting: stamped by its change
            within = f"IN ({', '.join(self.mark for _ in fields)})"
            for stamp, source in (("updated_at", "c.created_at"), ("updated_by", "c.created_by")):
                sets.append(f"{stamp} = coalesce({newest.format(source, within)}, {stamp})")
                params += fields
        # safe: names from the models' metadata; field names are bound
        self.sql(
            f"UPDATE {self.main}{spec.name} AS t SET {', '.join(sets)} "
            f"WHERE t.uuid IN (SELECT uuid FROM {self.temp}merge_touched)",
            tuple(params),
        )


def _row_key(table: str, row: dict[str, Any]) -> Any:
    """A row's identity across files: its UUID (a setting: its key; a link: both ends)."""
    identity = schema.table(table).identity
    return row[identity[0]] if len(identity) == 1 else tuple(row[k] for k in identity)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) < 1e-9
        except (TypeError, ValueError):
            return False
    return a == b


def _describe(conn: Any, entity: str, entity_uuid: str) -> str:
    """How a person knows a row: "claim 12 (North Korea is directly ...)", "source 3 (...)"."""
    # Bound by name, so SQLAlchemy spells the placeholder for either backend.
    if entity == "setting":
        key = text("SELECT key FROM setting WHERE uuid = :uuid")
        row = conn.execute(key, {"uuid": entity_uuid}).first()
        return f"setting {row[0]}" if row else "a setting"
    query = {
        "claim": "SELECT id, text FROM claim WHERE uuid = :uuid",
        "source": "SELECT id, coalesce(title, url, '') FROM source WHERE uuid = :uuid",
        "speaker": "SELECT id, name FROM speaker WHERE uuid = :uuid",
    }.get(entity)
    row = conn.execute(text(query), {"uuid": entity_uuid}).first() if query else None
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
