"""A throwaway PostgreSQL server for the tests, and the `backend` parameter (sqlite, postgres).

The session starts its own cluster: `initdb` into a temporary folder (as the unprivileged
`postgres` user when the tests run as root: initdb refuses root), `pg_ctl start` listening on a
Unix socket in that folder and on 127.0.0.1 at a free port only, and stops and removes it at
the end. Each test gets its own database, copied from a template that went through the real
migrations once. Under pytest-xdist (`-n auto`) each worker is its own session: its own cluster
(own folder, own port) and its own template, so workers share nothing but the machine. FACTCHECK_TEST_PG_URL (an admin URL, e.g.
postgresql://postgres:secret@127.0.0.1:5432/postgres) points the tests at a server of your own
instead. Without PostgreSQL's binaries the PostgreSQL tests are skipped, except under CI=...,
where they fail: CI must run them.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Per process, so that xdist workers sharing a FACTCHECK_TEST_PG_URL server never drop or copy
# each other's template.
TEMPLATE = f"factcheck_template_{os.getpid()}"
_counter = itertools.count(1)


def find_pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's newest version."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """A server the tests may create and drop databases on, through an admin URL."""

    admin_url: str  # postgresql://user:password@host:port/maintenance-db

    def url(self, database: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.admin_url).set(database=database).render_as_string(False)

    def execute(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self, *, template: str | None = TEMPLATE) -> str:
        """A new database (a copy of the migrated template, or empty); its URL."""
        name = f"factcheck_test_{os.getpid()}_{next(_counter)}"
        # safe: name and template are made here from constants and counters
        source = f"TEMPLATE {template}" if template else "TEMPLATE template0"
        self.execute(f"CREATE DATABASE {name} {source}")
        return self.url(name)


class _Cluster:
    """initdb + pg_ctl in a temporary folder; owned by `postgres` when we are root."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="factcheck-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.password = secrets.token_hex(12)
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run(
            [*prefix, *argv], capture_output=True, text=True, timeout=120, check=False
        )

    def start(self) -> str:
        pwfile = self.folder / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self.as_root:
            shutil.chown(self.folder, "postgres")
            shutil.chown(pwfile, "postgres")
        # C collation: text sorts by code point, as SQLite's BINARY does.
        done = self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--pwfile",
            str(pwfile),
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
        for attempt in range(3):
            try:
                self.serve()
                break
            except RuntimeError:
                # another process (an xdist worker's cluster) may have taken the free port
                # between _free_port() and the server's bind: try another one
                if attempt == 2:
                    raise
                self.port = _free_port()
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/postgres"

    def serve(self) -> None:
        """pg_ctl start on the cluster start() made (again, after a test stopped it)."""
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} "
            f"-c unix_socket_directories={self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        done = self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-o",
            options,
            "start",
        )
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()} {log[-2000:]}")

    def stop(self) -> None:
        try:
            if self.data.exists():
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the PostgreSQL tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The server for the session, with a template database at the current schema."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed: pip install -e '.[test]'")
    given = os.environ.get("FACTCHECK_TEST_PG_URL")
    cluster: _Cluster | None = None
    if given:
        server = PgServer(given)
    else:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            _unavailable(
                "no PostgreSQL server binaries (initdb): install Debian's postgresql package "
                "or set FACTCHECK_TEST_PG_URL"
            )
            raise AssertionError("unreachable")
        cluster = _Cluster(bin_dir)
        try:
            server = PgServer(cluster.start())
        except Exception:
            cluster.stop()
            raise
    try:
        server.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")  # safe: made here from the pid
        server.execute(
            f"CREATE DATABASE {TEMPLATE} TEMPLATE template0"
        )  # safe: made here from the pid
        _upgrade(server.url(TEMPLATE))
        yield server
    finally:
        if cluster is not None:
            cluster.stop()
        else:
            _drop_test_databases(server)


def _upgrade(url: str) -> None:
    from tests.conftest import run_installed

    done = run_installed("--db", url, "db", "upgrade")
    assert done.returncode == 0, done.stderr


def _drop_test_databases(server: PgServer) -> None:
    import psycopg

    prefix = f"factcheck_test_{os.getpid()}_"
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        names = [
            r[0]
            for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'factcheck%'")
        ]
        for name in names:
            if name.startswith(prefix) or name == TEMPLATE:
                for _ in range(3):
                    try:
                        conn.execute(f'DROP DATABASE "{name}"')  # type: ignore[arg-type]  # safe: ours
                        break
                    except psycopg.errors.ObjectInUse:
                        time.sleep(0.5)


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A new database at the current schema, for this test alone."""
    return pg_server.new_database()


@pytest.fixture
def pg_empty_url(pg_server: PgServer) -> str:
    """A new, empty database (no schema), for this test alone."""
    return pg_server.new_database(template=None)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The desk to test, on each backend: a migrated SQLite file or PostgreSQL database.
    FACTCHECK_DB points at it; the value is what --db takes."""
    if request.param == "sqlite":
        location = str(db_path)
    else:
        location = request.getfixturevalue("pg_url")
    monkeypatch.setenv("FACTCHECK_DB", location)
    return location
