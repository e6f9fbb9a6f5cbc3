"""A server under real use: many writers at once, a deadlock or serialization failure, a role
that may only read, a server that goes away, a killed command, a newer schema, libpq options
in the URL, and the roles the README sets up. Each runs the installed `factcheck` command
against the throwaway server of tests/pg.py; the password is never printed in any of them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, factcheck_exe, run_installed
from tests.pg import PgServer
from tests.test_postgres import _one_error as one_error

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# An advisory lock key of the tests' own (factcheck uses 0x46436B31 and 0x46436B32).
HOLD = 0x7E57


def _password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).password or "")


def _sql(url: str, *statements: str) -> list[tuple[Any, ...]]:
    import psycopg

    rows: list[tuple[Any, ...]] = []
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            cursor = conn.execute(statement)  # type: ignore[arg-type]
            rows = cursor.fetchall() if cursor.description else []
    return rows


def _count(url: str, table: str) -> int:
    return int(_sql(url, f"SELECT count(*) FROM {table}")[0][0])  # safe: our table names


def _fc(*args: str, db: str, env: dict[str, str] | None = None) -> Any:
    return run_installed("--db", db, *args, env=env)


def _one_error(done: Any, fragment: str, *, secret: str) -> str:
    """One `Error:` line with fragment, exit 1, no traceback, and the password nowhere."""
    line = one_error(done, fragment)
    assert secret and secret not in done.stdout + done.stderr
    return line


def _ok(*args: str, db: str) -> str:
    done = _fc(*args, db=db)
    assert done.returncode == 0, (args, done.stderr)
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    return str(done.stdout)


# ---- many writers at once ------------------------------------------------------------------

SHARED_URL = "https://example.org/shared-report"


def _writer(db: str, number: int, seconds: float, shared: int, start: threading.Event) -> dict:
    """One checker at work: add a claim, link the shared source, rate the shared claim."""
    done: dict[str, list[Any]] = {"claims": [], "evidence": [], "verdicts": [], "failed": []}

    def run(*args: str) -> str | None:
        result = _fc(*args, db=db)
        if result.returncode != 0 or result.stderr.count("Error") or "Traceback" in result.stderr:
            done["failed"].append((args, result.returncode, result.stderr))
            return None
        return str(result.stdout.strip())

    start.wait()
    end = time.monotonic() + seconds
    step = 0
    while step == 0 or time.monotonic() < end:
        step += 1
        text = f"Writer {number} says claim {step} holds"
        claim = run("claim", "add", text)
        if claim is None:
            continue
        done["claims"].append((int(claim), text))
        link = run("evidence", "add", str(shared), "--url", SHARED_URL, "--stance", "supports")
        if link is not None:
            done["evidence"].append(int(link))
        verdict = run("verdict", "add", str(shared), ("true", "false")[step % 2])
        if verdict is not None:
            done["verdicts"].append(int(verdict))
    return done


def test_concurrent_writers_store_every_reported_success(pg_url: str) -> None:
    """8 processes x 3 s (bench/bench_postgres.py runs 16 for longer): every id a command
    printed is stored, as it said, and the desk is what one writer at a time would leave."""
    shared = int(_ok("claim", "add", "The shared claim", db=pg_url))
    start = threading.Event()
    results: list[dict] = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(_writer(pg_url, n, 3.0, shared, start)))
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join(timeout=600)
    assert len(results) == 8
    assert [f for r in results for f in r["failed"]] == []

    claims = {c for r in results for c in r["claims"]}
    stored = dict(_sql(pg_url, "SELECT id, text FROM claim"))
    assert {(i, stored.get(i)) for i, _ in claims} == claims
    assert len(stored) == len(claims) + 1  # nothing stored that no one reported
    evidence = sorted(e for r in results for e in r["evidence"])
    assert evidence and sorted(r[0] for r in _sql(pg_url, "SELECT id FROM evidence")) == evidence
    verdicts = sorted(v for r in results for v in r["verdicts"])
    assert sorted(
        r[0] for r in _sql(pg_url, f"SELECT id FROM verdict WHERE claim_id = {shared}")
    ) == (verdicts)
    # As on a file: one source for the URL, and each verdict superseded the one before it
    # (two writers reading the same current verdict would leave two, a false conflict).
    assert _sql(pg_url, f"SELECT count(*) FROM source WHERE url = '{SHARED_URL}'") == [(1,)]
    assert _count(pg_url, "verdict_supersedes") == len(verdicts) - 1
    current = _sql(
        pg_url,
        "SELECT count(*) FROM verdict v WHERE NOT EXISTS "
        "(SELECT 1 FROM verdict_supersedes s WHERE s.superseded_id = v.id)",
    )
    assert current == [(1,)]


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_a_serialization_failure_or_deadlock_is_retried(pg_url: str, sqlstate: str) -> None:
    """The server aborts the first two tries (a trigger raising the real SQLSTATE; a sequence,
    which no rollback undoes, counts them): the command runs again and succeeds once."""
    _inject_failures(pg_url, sqlstate, times=2)
    done = _fc("claim", "add", "Retried until it went through", db=pg_url)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"Added claim {done.stdout.strip()}"
    assert _sql(pg_url, "SELECT text FROM claim") == [("Retried until it went through",)]
    assert _sql(pg_url, "SELECT last_value FROM fault_tries") == [(3,)]


def test_a_transaction_that_keeps_failing_is_one_busy_error(pg_url: str) -> None:
    from factcheck.db import TRANSACTION_ATTEMPTS

    _inject_failures(pg_url, "40P01", times=100)
    done = _fc("claim", "add", "Never goes through", db=pg_url)
    _one_error(done, "is busy: other factcheck commands kept it locked", secret=_password(pg_url))
    assert _count(pg_url, "claim") == 0
    assert _sql(pg_url, "SELECT last_value FROM fault_tries") == [(TRANSACTION_ATTEMPTS,)]


def _inject_failures(url: str, sqlstate: str, *, times: int) -> None:
    _sql(
        url,
        "CREATE SEQUENCE fault_tries",
        "CREATE FUNCTION fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF nextval('fault_tries') <= {times} THEN "
        f"RAISE EXCEPTION 'injected' USING ERRCODE = '{sqlstate}'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER fault BEFORE INSERT ON claim FOR EACH ROW EXECUTE FUNCTION fault()",
    )


# ---- a role that may only read, a read-only server -----------------------------------------


@pytest.fixture
def roles(pg_url: str, pg_server: PgServer) -> Iterator[dict[str, str]]:
    """Login roles of this test alone (names made unique), dropped afterwards."""
    made: dict[str, str] = {}
    yield made
    for name in made.values():
        if _sql(pg_url, f"SELECT 1 FROM pg_roles WHERE rolname = '{name}'"):  # safe: ours
            _sql(pg_url, f"DROP OWNED BY {name}")
            pg_server.execute(f"DROP OWNED BY {name}", f"DROP ROLE {name}")


def _login(url: str, name: str, password: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=name, password=password).render_as_string(False)


def test_a_role_that_may_only_read_gets_a_read_only_error(
    pg_url: str, pg_server: PgServer, roles: dict[str, str]
) -> None:
    from sqlalchemy.engine import make_url

    claim = _ok("claim", "add", "Readers may read this", db=pg_url).strip()
    name = roles["reader"] = f"fc_reader_{os.getpid()}"
    secret = "reader-pass-8d1f"
    pg_server.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{secret}'")
    _sql(pg_url, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}")
    url = _login(pg_url, name, secret)
    assert "Readers may read this" in _ok("review", db=url)
    before = {t: _count(pg_url, t) for t in ("claim", "evidence", "verdict", "source", "change")}
    for args in (
        ("claim", "add", "Another"),
        ("claim", "status", claim, "researching"),
        ("evidence", "add", claim, "--url", "https://example.org/x", "--stance", "refutes"),
        ("verdict", "add", claim, "false"),
    ):
        line = _one_error(_fc(*args, db=url), "read-only", secret=secret)
        assert f"{name}:***@" in line and make_url(pg_url).database in line
        assert "Ask the server's administrator for a role that may write" in line
    assert {t: _count(pg_url, t) for t in before} == before


def test_a_read_only_server_says_so(pg_url: str) -> None:
    """A standby, or a session made read-only through the URL's own libpq `options`."""
    url = f"{pg_url}?options=-c%20default_transaction_read_only%3Don"
    assert _ok("review", db=url) == ""
    line = _one_error(
        _fc("claim", "add", "Not on a standby", db=url),
        "is read-only (a standby server, or default_transaction_read_only is on)",
        secret=_password(pg_url),
    )
    assert "Point --db at the primary server" in line
    assert _count(pg_url, "claim") == 0


# ---- libpq options in the URL --------------------------------------------------------------


def test_sslmode_and_other_libpq_options_pass_through(pg_url: str) -> None:
    secret = _password(pg_url)
    info = _ok("db", "info", db=f"{pg_url}?sslmode=disable&application_name=desk7")
    assert "?application_name=desk7&sslmode=disable" in info and secret not in info
    # The server saw the application name the URL gave.
    _sql(
        pg_url,
        "CREATE TABLE seen (name text)",
        "GRANT ALL ON seen TO PUBLIC",
        "CREATE FUNCTION note_app() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO seen VALUES (current_setting('application_name')); RETURN NEW; END $$",
        "CREATE TRIGGER note_app AFTER INSERT ON claim FOR EACH ROW EXECUTE FUNCTION note_app()",
    )
    _ok("claim", "add", "Sent with a name", db=f"{pg_url}?application_name=desk7")
    assert _sql(pg_url, "SELECT name FROM seen") == [("desk7",)]
    # The server of the tests has no TLS: asking for it is one clear error.
    _one_error(
        _fc("review", db=f"{pg_url}?sslmode=require"),
        "?sslmode=require asks for TLS (sslmode) but the server does not offer it",
        secret=secret,
    )
    _one_error(
        _fc("review", db=f"{pg_url}?sslmode=sometimes"),
        'has a connection option the driver refuses (connection is bad: invalid sslmode value: "sometimes")',
        secret=secret,
    )


# ---- a newer schema ------------------------------------------------------------------------


def test_a_newer_schema_is_refused_by_a_write_exactly_as_a_newer_file_is(
    pg_url: str, db_path: Path
) -> None:
    """tests/test_postgres.py checks review, db info and db upgrade; here a write, and the
    very words a newer file gets."""
    import sqlite3

    _sql(pg_url, "UPDATE alembic_version SET version_num = '9999'")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    secret = _password(pg_url)
    on_server = _one_error(_fc("claim", "add", "x", db=pg_url), "newer", secret=secret)
    on_file = _one_error(_fc("claim", "add", "x", db=str(db_path)), "newer", secret=secret)
    shown = on_server.split(" was written")[0].removeprefix("Error: ")
    assert shown.startswith("postgresql://postgres:***@")
    assert on_server.replace(shown, "DESK") == on_file.replace(str(db_path), "DESK")
    assert _count(pg_url, "claim") == 0


# ---- the server goes away, the command is killed -------------------------------------------


def _blocked_claim_add(url: str, text: str) -> tuple[subprocess.Popen[str], Any, int]:
    """Start `claim add` and hold it after its claim row is inserted (a trigger waits for an
    advisory lock this test holds); the held connection and the command's server pid."""
    import psycopg

    _sql(
        url,
        "CREATE FUNCTION hold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"PERFORM pg_advisory_xact_lock({HOLD}); RETURN NEW; END $$",
        "CREATE TRIGGER hold AFTER INSERT ON claim FOR EACH ROW EXECUTE FUNCTION hold()",
    )
    holder = psycopg.connect(url, autocommit=True)
    holder.execute("SELECT pg_advisory_lock(%s)", (HOLD,))
    env = dict(os.environ, FACTCHECK_BUSY_TIMEOUT="120")
    proc = subprocess.Popen(
        [factcheck_exe(), "--db", url, "claim", "add", text],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        row = holder.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND objid = %s AND database = (SELECT oid FROM pg_database "
            "WHERE datname = current_database())",
            (HOLD,),
        ).fetchone()
        if row:
            return proc, holder, int(row[0])
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("claim add never reached its insert")


def test_a_server_that_goes_away_mid_command_is_one_error_and_nothing_written(
    pg_url: str,
) -> None:
    proc, holder, backend = _blocked_claim_add(pg_url, "Half written?")
    try:
        # The claim row is inserted in the command's open transaction when the server ends it.
        holder.execute("SELECT pg_terminate_backend(%s)", (backend,))
        out, err = proc.communicate(timeout=60)
    finally:
        holder.close()
    done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    line = _one_error(done, "lost the connection to postgresql://", secret=_password(pg_url))
    assert "before the command finished; nothing was written" in line
    assert out == ""
    assert _count(pg_url, "claim") == 0 and _count(pg_url, "change") == 0


def test_kill_9_of_a_writing_command_leaves_nothing_and_frees_the_desk(pg_url: str) -> None:
    proc, holder, backend = _blocked_claim_add(pg_url, "Killed midway")
    try:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        holder.execute("SELECT pg_advisory_unlock(%s)", (HOLD,))
        # The server ends the orphaned transaction once the client is seen gone.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            alive = holder.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend,)
            ).fetchone()
            if alive == (0,):
                break
            time.sleep(0.1)
    finally:
        holder.close()
    assert proc.returncode == -signal.SIGKILL
    assert _count(pg_url, "claim") == 0 and _count(pg_url, "change") == 0
    # The write lock went with it: the next writer is not kept waiting.
    _sql(pg_url, "DROP TRIGGER hold ON claim")
    assert _ok("claim", "add", "After the crash", db=pg_url).strip()
    assert _count(pg_url, "claim") == 1


# ---- the roles the README sets up ----------------------------------------------------------


def _readme_roles_sql() -> str:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- roles:start -->")[1].split("<!-- roles:end -->")[0]
    return block.split("```sql")[1].split("```")[0]


def test_the_readme_roles_do_what_it_says(
    pg_url: str, pg_server: PgServer, roles: dict[str, str]
) -> None:
    from sqlalchemy.engine import make_url

    database = str(make_url(pg_url).database)
    sql = _readme_roles_sql()
    names = {role: f"fc_{role}_{os.getpid()}" for role in ("reviewer", "checker", "editor")}
    passwords = {role: f"{role}-pw-{os.getpid()}" for role in names}
    for role, name in names.items():
        sql = re.sub(rf"\b{role}\b", name, sql)
    sql = sql.replace("DATABASE factcheck", f"DATABASE {database}")
    for role, name in names.items():
        sql = sql.replace(f"'{role.upper()}_PASSWORD'", f"'{passwords[role]}'")
        roles[role] = name
    code = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    statements = [s.strip() for s in code.split(";") if s.strip()]
    assert any(s.startswith("CREATE ROLE") for s in statements)
    for statement in statements:
        if statement.startswith(("CREATE ROLE", "GRANT CONNECT")):
            pg_server.execute(statement)
        else:
            _sql(pg_url, statement)
    url = {role: _login(pg_url, names[role], passwords[role]) for role in names}

    claim = _ok("claim", "add", "Prices fell 2 percent", db=pg_url).strip()
    # The reviewer reads everything and writes nothing.
    assert "Prices fell 2 percent" in _ok("review", db=url["reviewer"])
    _ok("claim", "show", claim, db=url["reviewer"])
    _one_error(
        _fc("claim", "add", "Reviewers do not add", db=url["reviewer"]),
        "read-only",
        secret=passwords["reviewer"],
    )
    # The checker adds claims, evidence and verdicts, edits claims, but does not publish.
    mine = _ok("claim", "add", "Rents rose 9 percent", db=url["checker"]).strip()
    _ok("claim", "status", mine, "researching", db=url["checker"])
    _ok("source", "add", "https://example.org/rents", "--title", "Rents", db=url["checker"])
    _ok("evidence", "add", mine, "--source", "1", "--stance", "refutes", db=url["checker"])
    _ok("verdict", "add", mine, "false", "--rationale", "3 percent", db=url["checker"])
    _one_error(
        _fc("claim", "publish", mine, "--url", "https://example.org/fc/1", db=url["checker"]),
        "read-only",
        secret=passwords["checker"],
    )
    assert _count(pg_url, "publication") == 0
    # The editor publishes.
    _ok("claim", "publish", mine, "--url", "https://example.org/fc/1", db=url["editor"])
    assert _count(pg_url, "publication") == 1
    # The guarantee is the triggers, not the grants: a checker may UPDATE the claim table,
    # yet no one but the tables' owner can change a verdict or switch its trigger off.
    import psycopg

    with psycopg.connect(url["checker"], autocommit=True) as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("UPDATE verdict SET rationale = 'changed'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must be owner"):
            conn.execute("ALTER TABLE verdict DISABLE TRIGGER USER")


def _write_lock_holder(conn: Any) -> int | None:
    """The server pid holding factcheck's write lock, if a write transaction is open."""
    from factcheck.postgres import WRITE_LOCK

    row = conn.execute(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = %s "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        (WRITE_LOCK,),
    ).fetchone()
    return int(row[0]) if row else None


def test_kill_9_of_a_large_import_stores_all_or_nothing(pg_url: str, tmp_path: Path) -> None:
    import psycopg

    probe = tmp_path / "one.csv"
    probe.write_text("text\nOne claim to see that import works here\n")
    first = _fc("import", str(probe), db=pg_url)
    assert first.returncode == 0, first.stderr
    before = _count(pg_url, "claim")
    rows = 50_000
    sheet = tmp_path / "big.csv"
    sheet.write_text(
        "text,speaker\n"
        + "".join(f"Imported claim {i} says {i * 7} rose,Speaker {i % 97}\n" for i in range(rows))
    )
    proc = subprocess.Popen(
        [factcheck_exe(), "--db", pg_url, "import", str(sheet)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with psycopg.connect(pg_url, autocommit=True) as watcher:
        deadline = time.monotonic() + 120
        backend = None
        while backend is None and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            backend = _write_lock_holder(watcher)
            time.sleep(0.05)
        assert backend is not None, "the import never began writing"
        time.sleep(0.5)  # well inside its transaction: rows are going in
        assert proc.poll() is None, "the import finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        while time.monotonic() < deadline and watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend,)
        ).fetchone() != (0,):
            time.sleep(0.1)
    assert proc.returncode == -signal.SIGKILL
    assert _count(pg_url, "claim") == before  # nothing of it
    done = _fc("import", str(sheet), db=pg_url)
    assert done.returncode == 0, done.stderr
    assert _count(pg_url, "claim") == before + rows  # or all of it


def test_a_server_that_shuts_down_mid_command_then_comes_back(tmp_path: Path) -> None:
    """A private server of this test, stopped (immediate: no goodbye to the clients) while
    `claim add` is inside its transaction, then started again: nothing was stored."""
    from tests.pg import _Cluster, _upgrade, find_pg_bin

    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.skip("needs PostgreSQL's binaries (initdb, pg_ctl) for a server of its own")
    cluster = _Cluster(bin_dir)
    try:
        server = PgServer(cluster.start())
        server.execute("CREATE DATABASE desk TEMPLATE template0")
        url = server.url("desk")
        _upgrade(url)
        proc, holder, _backend = _blocked_claim_add(url, "Lost with the server")
        try:  # the holder keeps the claim row waiting until the server is gone
            cluster._run(
                str(bin_dir / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "stop"
            )
            out, err = proc.communicate(timeout=60)
        finally:
            holder.close()
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        line = _one_error(done, "lost the connection to postgresql://", secret=cluster.password)
        assert "nothing was written" in line
        # While it is down: a plain error, not a traceback.
        _one_error(
            _fc("review", db=url), "cannot connect to postgresql://", secret=cluster.password
        )
        cluster.serve()
        assert _count(url, "claim") == 0
        _sql(url, "DROP TRIGGER hold ON claim")
        # (its id may skip some: a crash loses the sequence's cached values, as PostgreSQL does)
        new = _ok("claim", "add", "After the restart", db=url).strip()
        assert _sql(url, "SELECT id, text FROM claim") == [(int(new), "After the restart")]
    finally:
        cluster.stop()


def test_a_reading_command_sees_one_moment_while_others_write(pg_url: str) -> None:
    """`export json` (and a backup) reads table after table: a writer that commits in between
    must not show in the later tables only (a verdict whose claim is not in the export)."""
    from sqlalchemy import text

    from factcheck.db import open_database

    _ok("claim", "add", "Before the export", db=pg_url)
    db = open_database(pg_url, write=False, user="tester")
    try:
        with db.session() as session:
            claims = session.execute(text("SELECT count(*) FROM claim")).scalar()
            _ok("claim", "add", "Written meanwhile", db=pg_url)
            _ok("verdict", "add", "2", "false", db=pg_url)
            verdicts = session.execute(text("SELECT count(*) FROM verdict")).scalar()
            again = session.execute(text("SELECT count(*) FROM claim")).scalar()
    finally:
        db.close()
    assert (claims, verdicts, again) == (1, 0, 1)
    assert _count(pg_url, "claim") == 2 and _count(pg_url, "verdict") == 1


def test_a_writer_waits_for_the_write_lock_then_says_busy_and_readers_never_wait(
    pg_url: str,
) -> None:
    import psycopg

    from factcheck.postgres import WRITE_LOCK

    _ok("claim", "add", "Already here", db=pg_url)
    with psycopg.connect(pg_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))  # a long write elsewhere
        assert "Already here" in _ok("review", db=pg_url)
        done = _fc("claim", "add", "Waits", db=pg_url, env={"FACTCHECK_BUSY_TIMEOUT": "1"})
        line = _one_error(done, "is busy", secret=_password(pg_url))
        assert "nothing was written. Try again, or raise FACTCHECK_BUSY_TIMEOUT" in line
    assert _sql(pg_url, "SELECT text FROM claim") == [("Already here",)]


def _desk_content(url: str) -> dict[str, Any]:
    """Every row of the desk, as `export json` writes it (without the time of the export)."""
    import json

    data = json.loads(_ok("export", "json", db=url))
    data.pop("exported_at")
    return dict(data)


def test_kill_9_of_a_merge_into_the_server_leaves_it_as_it_was(pg_url: str, tmp_path: Path) -> None:
    """Killed while its rows go in (the server is seen running the merge's INSERTs), a merge
    leaves the server exactly as before; run again, it brings everything."""
    import psycopg

    _ok("claim", "add", "On the server before the merge", db=pg_url)
    field = tmp_path / "field.db"
    _ok("db", "backup", str(field), db=pg_url)
    rows = 20_000
    sheet = tmp_path / "road.csv"
    sheet.write_text(
        "text,speaker\n"
        + "".join(f"Road claim {i} says {i * 7} fell,Speaker {i % 89}\n" for i in range(rows))
    )
    _ok("import", str(sheet), db=str(field))
    before = _desk_content(pg_url)
    proc = subprocess.Popen(
        [factcheck_exe(), "--db", pg_url, "merge", str(field)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with psycopg.connect(pg_url, autocommit=True) as watcher:
        deadline = time.monotonic() + 120
        inserting = None
        while inserting is None and time.monotonic() < deadline:
            assert proc.poll() is None, "the merge finished before it could be killed"
            backend = _write_lock_holder(watcher)
            if backend is not None:
                query = watcher.execute(
                    "SELECT query FROM pg_stat_activity WHERE pid = %s", (backend,)
                ).fetchone()
                if query and str(query[0]).startswith("INSERT INTO"):
                    inserting = backend
            time.sleep(0.01)
        assert inserting is not None, "the merge never began inserting"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        while time.monotonic() < deadline and watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (inserting,)
        ).fetchone() != (0,):
            time.sleep(0.1)
    assert proc.returncode == -signal.SIGKILL
    assert _desk_content(pg_url) == before  # nothing of it
    _ok("merge", str(field), db=pg_url)
    assert _count(pg_url, "claim") == 1 + rows  # or all of it


def test_a_merge_while_others_write_brings_every_row_and_loses_no_write(
    pg_url: str, tmp_path: Path
) -> None:
    """Four checkers write on the server while a field copy is merged back: the merge waits
    its turn for the write lock (or they wait for it), and afterwards the server holds every
    row of the copy and every write a checker was told succeeded, and nothing else."""
    import json

    shared = int(_ok("claim", "add", "The shared claim", db=pg_url))
    field = tmp_path / "field.db"
    _ok("db", "backup", str(field), db=pg_url)
    rows = 3_000
    sheet = tmp_path / "road.csv"
    sheet.write_text(
        "text,speaker\n"
        + "".join(f"Road claim {i} says {i * 7} fell,Speaker {i % 37}\n" for i in range(rows))
    )
    _ok("import", str(sheet), db=str(field))
    _ok("verdict", "add", str(shared), "half-true", db=str(field))
    _ok(
        "evidence",
        "add",
        str(shared),
        "--url",
        "https://example.org/road",
        "--stance",
        "refutes",
        db=str(field),
    )
    road = json.loads(_ok("export", "json", db=str(field)))

    start = threading.Event()
    results: list[dict] = []
    writers = [
        threading.Thread(target=lambda n=n: results.append(_writer(pg_url, n, 4.0, shared, start)))
        for n in range(4)
    ]
    for thread in writers:
        thread.start()
    start.set()
    time.sleep(0.5)  # the writers are at work when the merge starts
    merged = _fc("merge", str(field), db=pg_url)
    for thread in writers:
        thread.join(timeout=600)
    assert merged.returncode == 0, merged.stderr
    assert "Traceback" not in merged.stderr and "Error" not in merged.stderr
    assert len(results) == 4
    assert [f for r in results for f in r["failed"]] == []

    written = {c for r in results for c in r["claims"]}
    stored = dict(_sql(pg_url, "SELECT id, text FROM claim"))
    assert {(i, stored.get(i)) for i, _ in written} <= set(stored.items())
    server = json.loads(_ok("export", "json", db=pg_url))
    for table, rows in road.items():  # every row of the copy, of every table
        if isinstance(rows, list) and rows and "uuid" in rows[0]:
            assert {r["uuid"] for r in rows} <= {r["uuid"] for r in server[table]}, table
    assert len(stored) == len(road["claim"]) + len(written)  # and nothing else
    assert len(server["evidence"]) == 1 + sum(len(r["evidence"]) for r in results)
    verdicts = {row[0] for row in _sql(pg_url, "SELECT uuid FROM verdict")}
    assert {v["uuid"] for v in road["verdict"]} <= verdicts
    assert len(verdicts) == len(road["verdict"]) + sum(len(r["verdicts"]) for r in results)
