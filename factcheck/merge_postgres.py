"""Merging another desk into a PostgreSQL server with the statements of a merge into a file.

The server cannot ATTACH the other desk, so its rows travel: read from the other desk's SQLite
file (a .db, or the temporary file holding a JSON export's checked rows) in the snapshot's
shape, checked on the way (fields.py's rules, as merge.RowCheck words them), and COPYed into
temporary tables named as a file's merge names its views (`merge_theirs_<table>`). From there
merge._SqlMerge runs its own generated statements, spelled for PostgreSQL by the attributes
this subclass replaces, inside the command's one transaction (under the server's write lock).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Any, NoReturn

from factcheck import schema, sqlite
from factcheck.errors import DatabaseFileError, InvalidInput
from factcheck.merge import MergeReport, OtherDesk, RowCheck, _SqlMerge, not_utf8, refused_message

_CHUNK = 2000  # rows read from the other desk at a time


def merge_into_server(conn: Any, desk: OtherDesk, name: str) -> MergeReport:
    """merge.merge_snapshot on a server: conn is the SQLAlchemy connection of the command's
    transaction."""
    raw = conn.connection.dbapi_connection
    prefix = str(raw.execute("SELECT current_schema()").fetchone()[0])
    if not prefix.isidentifier():
        raise DatabaseFileError(f"the server's schema name {prefix!r} is not a plain name")
    return _ServerMerge(raw, desk, name, conn, prefix).run()


def _stored_time(value: Any) -> Any:
    """A time as a desk file holds it (UTC text), so reports read the same on both backends."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


class _ServerMerge(_SqlMerge):
    temp = "pg_temp."
    mark = "%s"

    def __init__(self, raw: Any, desk: OtherDesk, name: str, engine: Any, prefix: str) -> None:
        super().__init__(raw, desk, "", name, engine=engine)
        self.pg: Any = raw  # a psycopg connection, where a file's merge has sqlite3's
        self.prefix = prefix
        self.main = f"{prefix}."
        self.types: dict[tuple[str, str], str] = {}

    @staticmethod
    def same(a: str, b: str) -> str:
        return f"{a} IS NOT DISTINCT FROM {b}"

    def their_table(self, table: str) -> str:
        return self.theirs(table)

    def new_value(self, spec: schema.TableSpec, name: str) -> str:
        # safe: the type is the server's own name for the column's type
        return f"CAST((c.new_value::jsonb #>> '{{}}') AS {self.types[spec.name, name]})"

    def sql(self, statement: str, params: Any = ()) -> Any:
        return self.pg.execute(statement, params or None)

    def our_rows(self, name: str) -> str:
        return schema.snapshot_select(name, self.prefix)

    def views(self) -> None:
        self.types = {
            (str(table), str(column)): str(kind)
            for table, column, kind in self.sql(
                "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
                "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                "WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 "
                "AND NOT a.attisdropped"
            )
        }
        other = sqlite3.connect(sqlite.sqlite_uri(self.desk.path, readonly=True), uri=True)
        try:
            for spec in schema.tables():
                self.load(other, spec)
        finally:
            other.close()
        for spec in schema.tables():
            self.view(self.ours(spec.name), self.our_rows(spec.name))

    def load(self, other: sqlite3.Connection, spec: schema.TableSpec) -> None:
        """Their rows of one table into a temporary table shaped as our snapshot rows (the
        server's own column types), checked on the way: values first, as on a file."""
        import psycopg

        theirs = self.theirs(spec.name)
        keys = ", ".join(spec.keys)
        # safe: names from the models' metadata
        self.sql(f"DROP TABLE IF EXISTS {theirs}")
        self.sql(
            f"CREATE TEMP TABLE {theirs.split('.')[1]} ON COMMIT DROP AS "
            f"SELECT * FROM ({self.our_rows(spec.name)}) s WITH NO DATA"
        )
        if self.desk.snapshot_shaped:  # a JSON export's rows, checked as the file was read
            select, check = f"SELECT {keys} FROM {spec.name}", None  # safe: model names
        else:
            select, check = schema.snapshot_select(spec.name), RowCheck(spec)
        try:
            rows = other.execute(select)
            with self.pg.cursor() as cursor:
                with cursor.copy(f"COPY {theirs} ({keys}) FROM STDIN") as copy:
                    while chunk := rows.fetchmany(_CHUNK):
                        for row in chunk:
                            problem = check.problem(row) if check is not None else None
                            if problem:
                                self.refuse(spec, dict(zip(spec.keys, row, strict=True)), problem)
                            copy.write_row(row)
        except sqlite3.OperationalError as exc:
            if "decode" not in str(exc):
                raise
            raise not_utf8(self.name, spec.name) from None
        except psycopg.DataError as exc:  # a value the checks pass that the server cannot hold
            why = " ".join(str(exc).split("\n")[0].split())[:200]
            raise InvalidInput(
                f"{self.name}: a {spec.name} row holds a value the server cannot store "
                f"({why}); nothing was merged: ask for a fresh copy"
            ) from None
        identity = ", ".join(spec.identity)
        self.sql(f"CREATE INDEX ON {theirs} ({identity})")  # safe: model names
        if spec.name == "change":
            self.sql(f"CREATE INDEX ON {theirs} (entity_uuid, field)")  # safe: a constant
        self.sql(f"ANALYZE {theirs}")  # temporary tables are never analysed on their own

    def checked_write(self) -> dict[int, str]:
        self.check_all()  # in the merge's transaction, before anything is written
        return self.write()

    def validate(self, spec: schema.TableSpec) -> None:
        """The values were checked as they were loaded; what is left is to find references
        to a row in neither desk, and rows of ours with other immutable values."""
        theirs = self.theirs(spec.name)
        for column in spec.foreign:
            key, table = column.key, column.references
            assert table is not None
            # safe: names from the models' metadata
            found = self.sql(
                f"SELECT o.{key} FROM {theirs} o WHERE o.{key} IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {self.main}{table} r WHERE r.uuid = o.{key}) "
                f"AND NOT EXISTS (SELECT 1 FROM {self.theirs(table)} r WHERE r.uuid = o.{key}) "
                "LIMIT 1"
            ).fetchone()
            if found is not None:
                self.dangling.setdefault((spec.name, key), found[0])
        differs = self.immutable_differs_sql(spec)
        if differs != "0":
            # safe: SQL generated from the models' metadata
            found = self.sql(f"SELECT EXISTS (SELECT 1 FROM {theirs} o WHERE {differs})")
            if found.fetchone()[0]:
                self.immutable_differs.add(spec.name)

    def refuse(self, spec: schema.TableSpec, row: dict[str, Any], problem: Any) -> NoReturn:
        key, why = problem
        number = self.row_number(spec, row)
        raise InvalidInput(refused_message(self.name, spec.name, number, key, why))

    def row_number(self, spec: schema.TableSpec, row: dict[str, Any]) -> int:
        """Counted in the other desk's file, in the order a file's merge counts."""
        if self.desk.snapshot_shaped:
            source, order = spec.name, "o.rowid"
        else:
            source, order = (
                f"({schema.snapshot_select(spec.name)})",
                schema.snapshot_order(spec, "o"),
            )
        identity = ", ".join(f"o.{k}" for k in spec.identity)
        wanted = tuple(row[k] for k in spec.identity)
        other = sqlite3.connect(sqlite.sqlite_uri(self.desk.path, readonly=True), uri=True)
        try:
            query = f"SELECT {identity} FROM {source} o ORDER BY {order}"  # safe: model names
            rows = other.execute(query)
            for number, found in enumerate(rows, 1):
                if tuple(found) == wanted:
                    return number
        finally:
            other.close()
        return 0

    def field_conflicts(self) -> list[dict[str, Any]]:
        found = super().field_conflicts()
        for lost in found:
            lost["lost_at"] = _stored_time(lost["lost_at"])
        return found
