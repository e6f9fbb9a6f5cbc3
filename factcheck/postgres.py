"""PostgreSQL-specific code: server URLs, connecting, identifying a server's schema, locking the
upgrade, and the few SQL functions SQLite has and PostgreSQL spells differently.

psycopg is imported only when a server is opened (`pip install 'factcheck[postgres]'`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from factcheck.errors import DatabaseFileError, role_may_not_write

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
DRIVER = "postgresql+psycopg"
CONNECT_TIMEOUT_S = 10
# pg_advisory_xact_lock key for `db upgrade`: two upgrades of one server take turns.
UPGRADE_LOCK = 0x46436B31
# pg_advisory_xact_lock key every write transaction takes first (see begin_write).
WRITE_LOCK = 0x46436B32
# SQLSTATEs of a transaction the server aborted so that it may be run again: serialization
# failure and deadlock. Nothing of such a transaction was stored.
RETRYABLE = ("40001", "40P01")


def is_server_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(SCHEMES)


def _parse(url: str) -> URL:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise DatabaseFileError(
            "the server URL cannot be read: write it as "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        ) from None
    if not parsed.database:
        raise DatabaseFileError(
            f"{shown_url(url)} names no database: add one, as in postgresql://USER@HOST/factcheck"
        )
    return parsed.set(drivername=DRIVER)


def shown_url(url: str) -> str:
    """The URL as it may be printed: the password is never shown."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # unreadable: show only its scheme, never what may be a password
        return url.split("://", 1)[0] + "://..."
    if parsed.drivername == DRIVER:
        parsed = parsed.set(drivername="postgresql")
    return parsed.render_as_string(hide_password=True)


def make_engine(url: str, *, write: bool = False) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    parsed = _parse(url)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise DatabaseFileError(
            "PostgreSQL support is not installed: pip install 'factcheck[postgres]'"
        ) from None
    # The URL's own libpq options (sslmode, options, connect_timeout ...) pass through; the
    # driver's connect_args would replace a URL's `options` and `connect_timeout`, so they are
    # joined here. Times come back in UTC whatever the server's time zone, as from a file
    # (this -c comes last, so it wins).
    query = dict(parsed.query)
    given = query.pop("options", "")
    options = " ".join([*(given if isinstance(given, tuple) else [given]), "-c timezone=UTC"])
    connect_args: dict[str, Any] = {"options": options.strip()}
    if "connect_timeout" not in query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    # A reading command sees one moment of the desk, as in a file's read transaction: under
    # READ COMMITTED each statement of `export json` would see the writers that committed
    # since the one before (a verdict whose claim is not in the export). Writers stay READ
    # COMMITTED: their snapshot must come after the write lock, not before it.
    engine = create_engine(
        parsed.set(query=query),
        poolclass=NullPool,
        connect_args=connect_args,
        isolation_level="READ COMMITTED" if write else "REPEATABLE READ",
    )
    if write:

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            begin_write(conn)

    return engine


# Execution options of a connection of a write open that only reads (the schema check).
READ_ONLY = {"factcheck_reads_only": True}


def begin_write(conn: Any) -> None:
    """Writers take turns, as on a file (BEGIN IMMEDIATE), waiting up to the busy timeout.

    READ COMMITTED (the server's default) plus one lock per write transaction gives every
    command what it has on a file: it reads what the last writer committed and nobody writes
    in between. Without it two `verdict add` on one claim both supersede the same verdict (a
    false conflict), and two `evidence add --url` of one new URL make two sources. SERIALIZABLE
    would instead abort most concurrent `claim add` (each reads the claims the others insert,
    to find similar ones). Readers never wait.
    """
    from factcheck.sqlite import busy_timeout_seconds

    if conn.get_execution_options().get("factcheck_reads_only"):
        return
    wait_ms = max(1, int(busy_timeout_seconds() * 1000))
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")  # safe: an int
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a failure from the server (through SQLAlchemy or not), if it has one."""
    orig = getattr(exc, "orig", None) or exc
    return getattr(orig, "sqlstate", None)


def is_retryable(exc: BaseException) -> bool:
    return sqlstate(exc) in RETRYABLE


def plain_error(exc: BaseException, shown: str, *, committing: bool) -> DatabaseFileError | None:
    """A failure of a command's transaction on the server in plain words, or None if it is
    not one factcheck knows. The transaction was rolled back unless committing says the
    connection was lost while the server committed it."""
    code = sqlstate(exc) or ""
    if code == "25006":  # read_only_sql_transaction
        return DatabaseFileError(
            f"{shown} is read-only (a standby server, or default_transaction_read_only is on); "
            "nothing was written. Point --db at the primary server to write"
        )
    if code == "42501":  # insufficient_privilege
        return DatabaseFileError(role_may_not_write(shown))
    if code == "55P03" or code in RETRYABLE:  # lock_not_available; retried and failed again
        return DatabaseFileError(
            f"{shown} is busy: other factcheck commands kept it locked for longer than the wait "
            "limit; nothing was written. Try again, or raise FACTCHECK_BUSY_TIMEOUT (seconds)"
        )
    # 57P: the server shut down or an administrator ended the session; 08: connection failure
    if code.startswith(("57P", "08")) or getattr(exc, "connection_invalidated", False):
        if committing:
            return DatabaseFileError(
                f"lost the connection to {shown} while it committed: the command may or may "
                "not have been stored; check (e.g. `factcheck review`) before running it again"
            )
        return DatabaseFileError(
            f"lost the connection to {shown} before the command finished; nothing was "
            "written. Check that the server is running and try again"
        )
    return None


def connect_error(exc: BaseException, shown: str) -> DatabaseFileError:
    """A failed connection in plain words, with what to do about it."""
    text = " ".join(str(getattr(exc, "orig", None) or exc).split())
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return DatabaseFileError(
            f"the server refused the user or password in {shown}: check both "
            "(a password in the URL, in PGPASSWORD or in ~/.pgpass)"
        )
    if "does not exist" in lowered and "database" in lowered:
        return DatabaseFileError(
            f"the server has no database named in {shown}: create it "
            "(createdb, or CREATE DATABASE) and run `factcheck db upgrade`"
        )
    if "role" in lowered and "does not exist" in lowered:
        return DatabaseFileError(
            f"the server has no user named in {shown}: check the user name, "
            "or ask the server's administrator to create it"
        )
    if any(
        w in lowered for w in ("connection refused", "could not connect", "timeout", "no route")
    ):
        return DatabaseFileError(
            f"cannot connect to {shown}: the server refused or did not answer; check the host "
            "and port and that PostgreSQL is running"
        )
    if "does not support ssl" in lowered:
        return DatabaseFileError(
            f"{shown} asks for TLS (sslmode) but the server does not offer it: turn on ssl "
            "on the server, or drop sslmode=require from the URL on a network you trust"
        )
    if "invalid" in lowered and ("option" in lowered or "value" in lowered):
        return DatabaseFileError(
            f"{shown} has a connection option the driver refuses ({_without_secrets(text)[:200]}): "
            "fix it as libpq documents (e.g. sslmode=disable, require, verify-full)"
        )
    if "could not translate host name" in lowered or "name or service not known" in lowered:
        return DatabaseFileError(f"cannot find the host in {shown}: check the host name")
    return DatabaseFileError(f"cannot connect to {shown} ({_without_secrets(text)[:300]})")


def _without_secrets(text: str) -> str:
    # psycopg names host, port and user in its messages, never the password; keep it that way
    # even if a future version quotes the connection string.
    import re

    return re.sub(r"password=\S+", "password=***", text)


def has_tables(conn: Any) -> bool:
    return bool(
        conn.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema())"
        ).scalar()
    )


def read_revision(conn: Any) -> list[str] | None:
    """The alembic_version rows of the server's schema, or None if it has no such table."""
    exists = conn.exec_driver_sql("SELECT to_regclass('alembic_version') IS NOT NULL").scalar()
    if not exists:
        return None
    return [str(r[0]) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]


def lock_for_upgrade(conn: Any) -> None:
    """Held until the upgrade's transaction ends: a second upgrade waits, then finds it done."""
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (UPGRADE_LOCK,))


def server_values(conn: Any) -> dict[str, Any]:
    return {
        "server_version": conn.exec_driver_sql("SHOW server_version").scalar(),
        "database": conn.exec_driver_sql("SELECT current_database()").scalar(),
        "server_user": conn.exec_driver_sql("SELECT current_user").scalar(),
        "size_bytes": conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar(),
    }


class instr(GenericFunction[int]):
    """SQLite's instr(text, part): the 1-based position of part, 0 if absent. Registering it
    here lets Core queries say func.instr on either backend."""

    type = Integer()
    inherit_cache = True


@compiles(instr, "postgresql")
def _instr_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


class date(GenericFunction[str]):
    """SQLite's date(time [, modifiers]): the day as "YYYY-MM-DD" text. Core queries say
    func.date on either backend; PostgreSQL gets the day in UTC, and for the one modifier
    pair factcheck uses ('weekday 0', '-6 days': the week's Monday) date_trunc('week')."""

    type = String()
    inherit_cache = True


_WEEK_MONDAY = ("weekday 0", "-6 days")


@compiles(date, "postgresql")
def _date_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    from sqlalchemy.exc import CompileError

    arguments = list(element.clauses.clauses)
    day = f"({compiler.process(arguments[0], **kw)}) AT TIME ZONE 'UTC'"
    modifiers = tuple(getattr(a, "value", None) for a in arguments[1:])
    if not modifiers:
        return f"to_char({day}, 'YYYY-MM-DD')"
    if modifiers == _WEEK_MONDAY:
        return f"to_char(date_trunc('week', {day}), 'YYYY-MM-DD')"
    raise CompileError(f"date() with modifiers {modifiers!r} has no PostgreSQL form here")


# Full-text search over claim.search_vector (a generated tsvector with a GIN index, made by
# the migrations). Ranks are negated ts_rank, so that lower is better, as with SQLite's bm25.
def tsquery_text(text: str, *, any_word: bool = False) -> str | None:
    """A user's words as a safe to_tsquery() argument: each word a quoted lexeme (so no
    operator a user types is one), a trailing * a prefix search."""
    import re

    terms = []
    for token in re.findall(r"\w+\*?", text, flags=re.UNICODE):
        word = token.rstrip("*")
        if word:
            terms.append(
                "'" + word.replace("'", "''") + "'" + (":*" if token.endswith("*") else "")
            )
    if not terms:
        return None
    return (" | " if any_word else " & ").join(terms)


def search_sql(verdict_sql: str, start: str, end: str) -> str:
    # safe: verdict_sql is compiled from the Core definition; the marks are constants
    return (
        "SELECT c.id, c.uuid, c.text, c.speaker, c.status, "
        f"ts_headline('english', c.text, q, 'StartSel={start}, StopSel={end}, "
        "MaxWords=24, MinWords=8, FragmentDelimiter=…') AS snippet, "
        f"-ts_rank(c.search_vector, q) AS rank, {verdict_sql} AS verdict "
        "FROM claim c, to_tsquery('english', :query) q "
        "WHERE c.search_vector @@ q AND (CAST(:verdict AS text) IS NULL "
        f"OR {verdict_sql} = CAST(:verdict AS text)) "
        "ORDER BY rank, c.id LIMIT :limit"
    )


def candidates_sql(verdict_sql: str) -> str:
    # safe: verdict_sql is compiled from the Core definition
    return (
        f"SELECT c.id, c.uuid, c.text, c.speaker, c.status, {verdict_sql} AS verdict, "
        "-ts_rank(c.search_vector, q) AS rank "
        "FROM claim c, to_tsquery('english', :query) q "
        "WHERE c.search_vector @@ q AND (CAST(:source AS integer) IS NULL "
        "OR c.source_id IS DISTINCT FROM CAST(:source AS integer)) "
        "ORDER BY rank, c.id LIMIT :limit"
    )


# Trigram candidates (pg_trgm, revision 0009): claims whose text shares enough three-letter
# pieces with the claim looked up, which finds rewordings and misspellings that share no whole
# word's stem. The GIN index serves `%` (similarity above pg_trgm.similarity_threshold, 0.3).
TRIGRAM_INDEX = "ix_claim_text_trgm"
# Reciprocal rank fusion of the two candidate lists, as search.py merges meaning in.
FUSION_K = 10


def trigram_candidates_sql(verdict_sql: str) -> str:
    # safe: verdict_sql is compiled from the Core definition
    return (
        f"SELECT c.id, c.uuid, c.text, c.speaker, c.status, {verdict_sql} AS verdict, "
        "similarity(c.text, :text) AS likeness "
        "FROM claim c WHERE c.text % :text AND (CAST(:source AS integer) IS NULL "
        "OR c.source_id IS DISTINCT FROM CAST(:source AS integer)) "
        "ORDER BY likeness DESC, c.id LIMIT :limit"
    )


def has_trigram_index(conn: Any) -> bool:
    """Whether `db upgrade` could make the trigram index (it needs the pg_trgm extension,
    which a role without CREATE on the database cannot add): if not, matching uses
    full-text candidates alone."""
    found = conn.exec_driver_sql("SELECT to_regclass(%s) IS NOT NULL", (TRIGRAM_INDEX,))
    return bool(found.scalar())


def fused_candidates(ranked_lists: list[list[Any]], limit: int) -> list[Any]:
    """Candidate rows of several rankings (ts_rank's, pg_trgm's), each claim once, in one order
    by reciprocal rank fusion; `rank` is the negated fused score (lower is better, as bm25)."""
    from types import SimpleNamespace

    fused: dict[int, float] = {}
    rows: dict[int, Any] = {}
    for ranked in ranked_lists:
        for position, row in enumerate(ranked, start=1):
            rows.setdefault(row.id, row)
            fused[row.id] = fused.get(row.id, 0.0) + 1 / (FUSION_K + position)
    order = sorted(fused, key=lambda claim_id: (-fused[claim_id], claim_id))[:limit]
    keys = ("id", "uuid", "text", "speaker", "status", "verdict")
    return [
        SimpleNamespace(**{k: getattr(rows[i], k) for k in keys}, rank=-fused[i]) for i in order
    ]


def copy_rows(conn: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Rows into a table with COPY, in the connection's transaction: the server's bulk path
    (several times faster than an INSERT per row). Times given as text are UTC, as every
    connection's time zone is."""
    if not rows:
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    import psycopg
    from sqlalchemy.exc import DBAPIError

    # safe: table and column names come from the models' metadata
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as exc:
        # as SQLAlchemy raises a failed statement, so that Database.session says it plainly
        # (a role that may not write, a server that went away)
        raise DBAPIError.instance(
            statement, None, exc, psycopg.Error, connection_invalidated=raw.closed
        ) from exc


def snapshot_tables(
    raw: Any, encode_bytes: Callable[[Any], Any]
) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Every table's snapshot rows, as merge.iter_snapshot gives a file's (binary columns
    through encode_bytes, the snapshot's one encoding of them)."""
    from factcheck import schema

    for spec in schema.tables():
        binary = [c.key for c in spec.columns if c.kind == "bytes"]
        yield spec.name, _encoded(snapshot_rows(raw, spec.name), binary, encode_bytes)


def _encoded(
    rows: Iterator[dict[str, Any]], binary: list[str], encode: Callable[[Any], Any]
) -> Iterator[dict[str, Any]]:
    for row in rows:
        for key in binary:
            row[key] = encode(row[key])
        yield row


def snapshot_rows(raw: Any, name: str) -> Iterator[dict[str, Any]]:
    """One table's snapshot rows (factcheck/schema.py), streamed through a server-side cursor,
    with values as a desk file holds them (times as UTC text, booleans as 0/1), so that an
    export's bytes depend on the content alone, not on the backend."""
    from datetime import datetime, timezone

    from factcheck import schema

    spec = schema.table(name)
    prefix = raw.execute("SELECT current_schema()").fetchone()[0]
    if not str(prefix).isidentifier():
        raise DatabaseFileError(f"the server's schema name {prefix!r} is not a plain name")
    # Identities are text: ordered by code point (COLLATE "C"), as SQLite orders them.
    names = {c.name for c in spec.columns}
    order = ["t.created_at"] if "created_at" in names else []
    # (a link's ends are UUIDs from the joins snapshot_select names j<position>)
    joined = {c.key: f"j{n}.uuid" for n, c in enumerate(spec.columns) if c.references}
    order += [(f"t.{k}" if k in names else joined[k]) + ' COLLATE "C"' for k in spec.identity]
    # safe: names come from the models' metadata and a checked identifier
    query = f"{schema.snapshot_select(name, str(prefix))} ORDER BY {', '.join(order)}"
    kinds = {c.key: c.kind for c in spec.columns}
    with raw.cursor(name=f"factcheck_snapshot_{name}") as cursor:
        cursor.execute(query)
        columns = [d[0] for d in cursor.description]
        while chunk := cursor.fetchmany(2000):
            for values in chunk:
                row = dict(zip(columns, values, strict=True))
                for key, value in row.items():
                    if isinstance(value, datetime):
                        row[key] = value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
                    elif kinds.get(key) == "bool" and value is not None:
                        row[key] = int(value)
                yield row


# Claim vectors (factcheck/vectors.py): SQLite computes a text's SHA-256 in a Python function
# registered on the connection; PostgreSQL has sha256() of its own. The look-up index file
# beside a desk has no place beside a server: matching scans the stored vectors instead.
def _text_hash(column: str) -> str:
    return f"encode(sha256(convert_to({column}, 'UTF8')), 'hex')"


_CURRENT_VECTOR = (
    "EXISTS (SELECT 1 FROM claim_vector v WHERE v.claim_id = c.id AND v.model = %(model)s "
    f"AND v.text_hash = {_text_hash('c.text')})"
)


def _raw_connection(session: Any) -> Any:
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    return raw


def pending_vector_ids(session: Any, model: str) -> list[int]:
    """Ids of the claims with no current vector from model, in id order."""
    # safe: _CURRENT_VECTOR is a constant
    query = f"SELECT c.id FROM claim c WHERE NOT {_CURRENT_VECTOR} ORDER BY c.id"
    return [r[0] for r in _raw_connection(session).execute(query, {"model": model})]


def count_current_vectors(session: Any, model: str) -> int:
    query = f"SELECT count(*) FROM claim c WHERE {_CURRENT_VECTOR}"  # safe: a constant
    return int(_raw_connection(session).execute(query, {"model": model}).fetchone()[0])


def claim_texts(session: Any, ids: list[int]) -> list[tuple[int, str]]:
    rows = _raw_connection(session).execute(
        "SELECT id, text FROM claim WHERE id = ANY(%s) ORDER BY id", (ids,)
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def current_vector_rows(
    session: Any, model: str, size: int, exclude_source: int | None
) -> list[tuple[int, bytes]]:
    """(claim id, vector bytes) of each claim's current vector, as vectors.current_vectors
    reads them from a file: by claim id, the greatest vector (by bytes) when a claim has two."""
    rows = _raw_connection(session).execute(
        "SELECT DISTINCT ON (c.id) c.id, v.vector FROM claim c JOIN claim_vector v "
        "ON v.claim_id = c.id AND v.model = %(model)s "
        f"AND v.text_hash = {_text_hash('c.text')} AND length(v.vector) = %(size)s "
        "WHERE (%(source)s::integer IS NULL OR c.source_id IS DISTINCT FROM %(source)s::integer) "
        "ORDER BY c.id, v.vector DESC",
        {"model": model, "size": size, "source": exclude_source},
    )
    return [(int(r[0]), bytes(r[1])) for r in rows]


def read_one_snapshot(session: Any) -> None:
    """Make the session's transaction read one consistent state of every table (a field copy
    must not hold a verdict whose claim it read before the claim was added). The first
    statement of the transaction."""
    session.connection().exec_driver_sql(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
    )


def schema_problems(conn: Any) -> list[str]:
    """What `db check` reports on a server: tables, triggers and views that differ from what
    its migrations made. The server keeps the references and types itself; its trigger set is
    the file's (factcheck/schema_manifest.py) without the FTS5 upkeep (a generated tsvector
    here), with a TRUNCATE guard beside each append-only table's."""
    from factcheck.db import HEAD_REVISION
    from factcheck.schema_manifest import MANIFEST

    expected = [(k, n) for k, n in MANIFEST[HEAD_REVISION] if not n.startswith("claim_fts")]
    tables = {n for k, n in expected if k == "table"}
    triggers = {n for k, n in expected if k == "trigger"}
    triggers |= {
        n.removesuffix("_update") + "_truncate"
        for n in triggers
        if n.endswith("_append_only_update")
    }
    found_tables = _names(
        conn, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    )
    found_views = _names(conn, "SELECT viewname FROM pg_views WHERE schemaname = current_schema()")
    found_triggers = _names(
        conn,
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace",
    )
    problems = [f"it contains a view {n!r} that factcheck did not create" for n in found_views]
    problems += [
        f"it contains a trigger {n!r} that factcheck did not create"
        for n in sorted(found_triggers - triggers)
    ]
    problems += [f"it has no table {n!r}" for n in sorted(tables - found_tables)]
    problems += [
        f"it has no guard trigger {n!r} (it was removed)" for n in sorted(triggers - found_triggers)
    ]
    problems += [
        f"it has a table {n!r} that factcheck did not create"
        for n in sorted(found_tables - tables - {"alembic_version"})
    ]
    return problems


def _names(conn: Any, query: str) -> set[str]:
    return {str(r[0]) for r in conn.exec_driver_sql(query)}
