"""Where the database is, how it is opened, identified, created and upgraded.

Opening discipline: identify the file from its header before SQLite touches it; refuse what is
not ours or is newer than this code; upgrade an older schema only after writing a backup copy.
Alembic is imported only when a file is created or upgraded, never on the read path.
"""

from __future__ import annotations

import getpass
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from factcheck import postgres, sqlite
from factcheck.errors import DatabaseFileError
from factcheck.sqlite import SchemaFinding

# Alembic revisions this code knows, oldest first; the position+1 is PRAGMA user_version.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
SCHEMA_VERSION = len(KNOWN_REVISIONS)
# How often Database.transaction runs a transaction the server aborted as a deadlock or
# serialization failure, and the first pause between runs (doubled each time, with jitter).
TRANSACTION_ATTEMPTS = 5
RETRY_PAUSE_S = 0.05

T = TypeVar("T")


def resolve_user(explicit: str | None = None) -> str:
    """Who is writing: --as NAME, else FACTCHECK_USER, else the OS user."""
    for candidate in (explicit, os.environ.get("FACTCHECK_USER")):
        if candidate and candidate.strip():
            return candidate.strip()[:200]
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no passwd entry in some containers
        return "unknown"


def migrations_dir() -> Path:
    import factcheck.migrations

    return Path(factcheck.migrations.__file__).parent


def _make_engine(path: Path, *, readonly: bool, immediate: bool) -> Engine:
    uri = sqlite.sqlite_uri(path, readonly=readonly)
    timeout = sqlite.busy_timeout_seconds()

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        sqlite.configure_connection(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        sqlite.begin_transaction(conn, immediate=immediate)

    return engine


class Database:
    """An open, identified factcheck file (or PostgreSQL database) at the current schema."""

    def __init__(
        self,
        path: Path | None,
        engine: Engine,
        user: str,
        notices: list[str],
        *,
        location: str | None = None,
    ) -> None:
        self.path = path  # None for a server
        self.location = location or str(path)  # what messages name: never a password
        self.backend = engine.dialect.name  # "sqlite" or "postgresql"
        self.engine = engine
        self.user = user
        self.notices = notices  # one-line messages for stderr (created, upgraded ...)
        self.created = False  # this open created the file
        self.make_reader: Callable[[], Engine] | None = None  # see read_session
        self._reader: Engine | None = None

    def discard_if_unused(self) -> bool:
        """Remove the file this open created if nothing was stored in it (the command that
        created it failed): a failed first command leaves no empty desk behind."""
        if not self.created or self.path is None:
            return False
        self.engine.dispose()
        conn = sqlite3.connect(sqlite.sqlite_uri(self.path, readonly=True), uri=True)
        try:
            used = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM claim) OR EXISTS (SELECT 1 FROM source) "
                "OR EXISTS (SELECT 1 FROM change)"
            ).fetchone()[0]
        finally:
            conn.close()
        if used:
            return False
        sqlite.remove_database_files(self.path)
        return True

    @contextmanager
    def session(self, *, dry_run: bool = False, retrying: bool = False) -> Iterator[Session]:
        """One transaction: committed if the block finishes (rolled back instead with
        dry_run), rolled back if it raises. A server's failures the user can act on become
        one plain DatabaseFileError (except, when retrying, those worth running again)."""
        from sqlalchemy.exc import DBAPIError

        with Session(self.engine, expire_on_commit=False, autoflush=True) as session:
            committing = False
            try:
                yield session
                if dry_run:
                    session.rollback()
                else:
                    committing = True
                    session.commit()
            except BaseException as exc:
                try:
                    session.rollback()
                except Exception:  # the connection is gone: the server rolls back on its own
                    pass
                if (
                    self.backend == "postgresql"
                    and isinstance(exc, DBAPIError)
                    and not (retrying and postgres.is_retryable(exc))
                ):
                    plain = postgres.plain_error(exc, self.location, committing=committing)
                    if plain is not None:
                        raise plain from None
                raise

    def transaction(self, work: Callable[[Session], T]) -> T:
        """work(session) in one transaction (see session). On a server, a transaction it
        aborted as a deadlock or serialization failure (SQLSTATE 40P01, 40001) stored nothing,
        so it runs again after a short random pause, up to TRANSACTION_ATTEMPTS times: work
        must do nothing but read and write the database (print after it returns)."""
        from sqlalchemy.exc import DBAPIError

        for attempt in range(1, TRANSACTION_ATTEMPTS):
            try:
                with self.session(retrying=True) as session:
                    return work(session)
            except DBAPIError as exc:
                if not postgres.is_retryable(exc):
                    raise
                # jitter: writers that collided do not collide again in step
                time.sleep(RETRY_PAUSE_S * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
        with self.session() as session:
            return work(session)

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A transaction that only reads and, unlike session() after a write open, takes no
        write lock (a file's BEGIN IMMEDIATE, a server's advisory lock): for reading after a
        write, such as the similar-claims notice, without keeping other writers waiting."""
        if self.make_reader is None:
            with self.session(dry_run=True) as session:
                yield session
            return
        if self._reader is None:
            self._reader = self.make_reader()
        with Session(self._reader, expire_on_commit=False, autoflush=False) as session:
            try:
                yield session
            finally:
                session.rollback()

    def close(self) -> None:
        self.engine.dispose()
        if self._reader is not None:
            self._reader.dispose()


def open_database(
    path: Path | str,
    *,
    write: bool,
    user: str | None = None,
    upgrade: bool = True,
    upgrade_server: bool = False,
) -> Database:
    """Open (and for a write, create) the file at path, ready at the current schema; a
    postgresql:// URL opens that server, whose schema only upgrade_server creates or upgrades."""
    if postgres.is_server_url(path):
        return open_server(str(path), user=user, upgrade=upgrade_server, write=write)
    path = Path(path).expanduser()
    notices: list[str] = []
    created = False
    if not path.exists():
        if not write:
            raise missing_file_error(path)
        if _create(path):
            created = True
            notices.append(f"Created a new factcheck database at {path}")
    revision = read_revision(path)
    if revision != HEAD_REVISION:
        if not upgrade:
            raise DatabaseFileError(
                f"{path} has schema {revision}; this factcheck needs {HEAD_REVISION}: "
                "run `factcheck db upgrade` first"
            )
        notices.extend(_upgrade_with_backup(path, revision))
    if write and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise DatabaseFileError(
            f"{path} is read-only (or its folder is), so nothing was written: copy it somewhere "
            "you can write, or ask for write access"
        )
    engine = _make_engine(path, readonly=not write, immediate=write)
    database = Database(path, engine, resolve_user(user), notices)
    database.created = created
    if write:
        database.make_reader = lambda: _make_engine(path, readonly=True, immediate=False)
    return database


def open_server(
    url: str, *, user: str | None = None, upgrade: bool = False, write: bool = False
) -> Database:
    """Connect to a PostgreSQL database and check that its schema is this code's.

    A shared server is never upgraded as a side effect of another command: only
    `factcheck db upgrade` (upgrade=True) creates or upgrades its schema.
    """
    from sqlalchemy.exc import DBAPIError

    shown = postgres.shown_url(url)
    engine = postgres.make_engine(url, write=write)
    notices: list[str] = []
    try:
        # (only reads: without the write lock, which a long write elsewhere may hold)
        with engine.connect().execution_options(**postgres.READ_ONLY) as conn:
            revision = _server_revision(conn, shown)
        if revision != HEAD_REVISION:
            if not upgrade:
                engine.dispose()
                if revision is None:
                    raise DatabaseFileError(
                        f"{shown} has no factcheck schema yet: create it with "
                        "`factcheck db upgrade`"
                    )
                raise DatabaseFileError(
                    f"{shown} has schema {revision}; this factcheck needs {HEAD_REVISION}: "
                    "run `factcheck db upgrade` first"
                )
            if _run_migrations(engine):
                if revision is None:
                    notices.append(f"Created the factcheck schema {HEAD_REVISION} on {shown}")
                else:
                    notices.append(f"Upgraded {shown} from schema {revision} to {HEAD_REVISION}")
    except DBAPIError as exc:
        engine.dispose()
        if exc.connection_invalidated or _is_connect_failure(exc):
            raise postgres.connect_error(exc, shown) from None
        raise
    database = Database(None, engine, resolve_user(user), notices, location=shown)
    if write:
        database.make_reader = lambda: postgres.make_engine(url, write=False)
    return database


def _is_connect_failure(exc: BaseException) -> bool:
    import psycopg

    orig = getattr(exc, "orig", None)
    return isinstance(orig, psycopg.OperationalError) and not isinstance(
        orig, psycopg.errors.LockNotAvailable
    )


def _server_revision(conn: Any, shown: str) -> str | None:
    """The server's schema revision (None: an empty database, ready for `db upgrade`)."""
    rows = postgres.read_revision(conn)
    if rows is None:
        if postgres.has_tables(conn):
            raise DatabaseFileError(
                f"{shown} holds tables but no factcheck schema version: it belongs to another "
                "application; point --db at a database of factcheck's own"
            )
        return None
    if len(rows) != 1:
        raise DatabaseFileError(f"{shown} has no single schema version: restore it from a backup")
    if rows[0] not in KNOWN_REVISIONS:
        raise DatabaseFileError(
            f"{shown} was written by a newer factcheck (schema revision {rows[0]} is unknown "
            "to this version): upgrade factcheck to open it (pip install --upgrade factcheck)"
        )
    return rows[0]


def missing_file_error(path: Path) -> DatabaseFileError:
    return DatabaseFileError(
        f"no factcheck database at {path}: start one with "
        "`factcheck import seeds/wannacry-attribution.txt` or "
        '`factcheck claim add "..."`, or point --db (or FACTCHECK_DB) at your file'
    )


def read_revision(path: Path, *, shown: Path | None = None) -> str:
    """Identify the file, roll back a write a crash left unfinished, and return its schema
    revision once its triggers, views and tables are known to be the ones factcheck made
    (checked before any upgrade, so nothing planted in the file ever runs)."""
    revision, findings = inspect_file(path, shown=shown)
    refused = [f.message for f in findings if f.refuse]
    if refused:
        more = f" (and {len(refused) - 3} more)" if len(refused) > 3 else ""
        them = "them" if len(refused) > 1 else "it"
        raise DatabaseFileError(
            f"{shown or path} contains {', '.join(refused[:3])}{more}; factcheck runs no code "
            f"a file brings: remove {them} with sqlite3, or restore the file from a backup "
            "(`factcheck db check` lists every difference)"
        )
    return revision


def inspect_file(path: Path, *, shown: Path | None = None) -> tuple[str, list[SchemaFinding]]:
    """The file's revision and how its schema differs from what that revision should hold.

    One read-only connection and two small queries: this runs on every open.
    """
    from factcheck.schema_manifest import MANIFEST

    name = shown or path
    header = sqlite.read_header(path)
    sqlite.check_ours(name, header, SCHEMA_VERSION)
    sqlite.roll_back_hot_journal(path)
    try:
        conn = sqlite3.connect(
            sqlite.sqlite_uri(path, readonly=True), uri=True, timeout=sqlite.busy_timeout_seconds()
        )
        try:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            found = sqlite.schema_objects(conn)
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        _raise_open_error(exc, name)
    if len(rows) != 1:
        raise DatabaseFileError(f"{name} has no single schema version: restore it from a backup")
    revision = str(rows[0][0])
    if revision not in KNOWN_REVISIONS:
        raise DatabaseFileError(
            f"{name} was written by a newer factcheck (schema revision {revision} is unknown "
            "to this version): upgrade factcheck to open it (pip install --upgrade factcheck)"
        )
    return revision, sqlite.compare_schema(found, MANIFEST[revision])


def _raise_open_error(exc: sqlite3.OperationalError, name: Path) -> NoReturn:
    text = str(exc).lower()
    if sqlite.is_locked_error(exc) or any(w in text for w in ("disk is full", "i/o", "large")):
        raise exc  # busy, or a full disk: the error boundary says so in plain words
    if "unable to open" in text:
        raise DatabaseFileError(
            f"cannot open {name}: check that you may read it and its folder"
        ) from None
    if "no such table" in text:
        raise DatabaseFileError(
            f"{name} has a factcheck header but no schema version table: it is damaged "
            "or was made by another tool; restore it from a backup"
        ) from None
    raise DatabaseFileError(
        f"{name} is damaged ({' '.join(str(exc).split())}): restore it from a backup"
    ) from None


def _create(path: Path) -> bool:
    """Build a new file beside path and move it into place whole; False if another won."""
    if not path.parent.is_dir():
        raise DatabaseFileError(
            f"cannot create {path}: the folder {path.parent} does not exist; create it first"
        )
    tmp = path.with_name(f".{path.name}.creating-{os.getpid()}")
    sqlite.remove_database_files(tmp)
    try:
        engine = _make_engine(tmp, readonly=False, immediate=True)
        try:
            with engine.connect() as conn:
                sqlite.use_wal(conn.connection.dbapi_connection)  # type: ignore[arg-type]
            _run_migrations(engine)
        finally:
            engine.dispose()
        try:
            os.link(tmp, path)  # fails if someone created path meanwhile: never clobber
        except FileExistsError:
            return False
        except OSError:  # file systems without hard links
            if path.exists():
                return False
            os.replace(tmp, path)
        return True
    except PermissionError:
        raise DatabaseFileError(
            f"cannot create {path}: permission denied; choose a folder you can write to"
        ) from None
    finally:
        sqlite.remove_database_files(tmp)


def backup_path_for(path: Path, revision: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.stem}.before-upgrade-from-{revision}-{stamp}{path.suffix}")


def _upgrade_with_backup(path: Path, revision: str) -> list[str]:
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseFileError(
            f"{path} has an older schema ({revision}) that must be upgraded to {HEAD_REVISION}, "
            "but the file or its folder is read-only: copy it somewhere writable first"
        )
    backup = backup_path_for(path, revision)
    sqlite.backup_file(path, backup)
    engine = _make_engine(path, readonly=False, immediate=True)
    try:
        upgraded = _run_migrations(engine)
    finally:
        engine.dispose()
    if not upgraded:  # another process upgraded it while we made the copy
        return [f"{path} was upgraded by another process; a copy was kept at {backup}"]
    return [
        f"Upgraded {path} from schema {revision} to {HEAD_REVISION}; "
        f"the file as it was is saved at {backup}"
    ]


def upgrade_copy(path: Path, target: Path) -> Path:
    """Copy an older-schema file to target and upgrade the copy; the original is only read."""
    sqlite.backup_file(path, target)
    engine = _make_engine(target, readonly=False, immediate=True)
    try:
        _run_migrations(engine)
    finally:
        engine.dispose()
    return target


def _run_migrations(engine: Engine) -> bool:
    """Upgrade to head in one transaction, foreign keys checked at the end; False if at head."""
    if engine.dialect.name == "postgresql":
        return _run_server_migrations(engine)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # Batch migrations rebuild tables; foreign keys must be off while they do, and the
        # pragma only takes effect outside a transaction.
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                current = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
                ).first()
                if current is not None:
                    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
                    if row is not None and row[0] == HEAD_REVISION:
                        return False
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                problems = sqlite.foreign_key_problems(conn)
                if problems:
                    raise DatabaseFileError(
                        "the schema upgrade left broken references ("
                        + "; ".join(problems[:3])
                        + "): nothing was changed; report this with the file attached"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
    return True


def _run_server_migrations(engine: Engine) -> bool:
    """PostgreSQL runs DDL in a transaction: the whole upgrade commits or none of it does, and
    an advisory lock makes a second `db upgrade` wait and then find the schema at head."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.connect() as conn:
        with conn.begin():
            postgres.lock_for_upgrade(conn)
            rows = postgres.read_revision(conn)
            if rows == [HEAD_REVISION]:
                return False
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    return True
