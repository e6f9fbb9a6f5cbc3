"""The same commands on PostgreSQL: opening a server, its schema, its guards, and the commands
that work on it today, on both backends. Tests about what a command does run it in-process
(tests.conftest.run_in_process); opening a server, its refusals and the README's server
walkthrough run the installed `factcheck` command end to end."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_factcheck, run_installed
from tests.pg import PgServer, _free_port
from tests.test_matching import needs_extra

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).password or "")


def _one_error(done: Any, fragment: str) -> str:
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: "), done.stderr
    assert fragment.lower() in lines[0].lower(), done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def _sql(url: str, statement: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def _fc(*args: str, db: str, installed: bool = False) -> Any:
    return run_factcheck("--db", db, *args, installed=installed)


# ---- opening a server -------------------------------------------------------------------


def test_db_upgrade_creates_the_schema_and_info_names_server_and_revision(
    pg_empty_url: str,
) -> None:
    from factcheck.db import HEAD_REVISION

    refused = _fc("claim", "add", "Water is wet", db=pg_empty_url, installed=True)
    _one_error(refused, "no factcheck schema yet: create it with `factcheck db upgrade`")
    assert _sql(pg_empty_url, "SELECT to_regclass('claim')") == [(None,)]

    done = _fc("db", "upgrade", db=pg_empty_url, installed=True)
    assert done.returncode == 0, done.stderr
    assert f"Created the factcheck schema {HEAD_REVISION} on postgresql://" in done.stderr
    again = _fc("db", "upgrade", db=pg_empty_url, installed=True)
    assert again.returncode == 0 and f"already at schema {HEAD_REVISION}" in again.stderr

    info = json.loads(
        _fc("db", "info", "--format", "json", db=pg_empty_url, installed=True).stdout
    )[0]
    assert info["backend"] == "postgresql"
    assert info["server_version"] == _sql(pg_empty_url, "SHOW server_version")[0][0]
    assert info["schema_revision"] == HEAD_REVISION
    assert info["rating_scale_rows"] == 3 and info["claim_rows"] == 0
    assert info["size_bytes"] > 0 and info["database"] in pg_empty_url


def test_the_password_is_never_printed(pg_url: str, pg_server: PgServer) -> None:
    password = _password(pg_url)
    assert password
    info = _fc("db", "info", db=pg_url, installed=True)
    assert info.returncode == 0, info.stderr
    assert password not in info.stdout + info.stderr
    assert "postgresql://postgres:***@127.0.0.1:" in info.stdout
    # An error names the server too, still without the password.
    missing = pg_server.url("no_such_database")
    done = _fc("db", "info", db=missing, installed=True)
    line = _one_error(done, "has no database named in postgresql://postgres:***@")
    assert password not in line
    # and so does a failure the CLI does not know by name
    done = _fc("merge", "other.db", db=pg_url, installed=True)
    assert password not in done.stderr + done.stdout


@pytest.mark.parametrize("fault", ["refused", "password", "database", "user", "url"])
def test_a_server_that_cannot_be_used_is_one_line_with_a_fix(
    fault: str, pg_server: PgServer, tmp_path: Path
) -> None:
    from sqlalchemy.engine import make_url

    good = make_url(pg_server.url("postgres"))
    url = {
        "refused": good.set(port=_free_port()),
        "password": good.set(password="not-the-password"),
        "database": good.set(database="nowhere"),
        "user": good.set(username="nobody", password="x"),
        "url": None,
    }[fault]
    text = url.render_as_string(False) if url is not None else "postgresql://a:b@host:notaport/x"
    expected = {
        "refused": "cannot connect to postgresql://postgres:***@127.0.0.1:",
        "password": "the server refused the user or password in postgresql://postgres:***@",
        "database": "has no database named in",
        "user": "the server refused the user or password",
        "url": "the server URL cannot be read: write it as postgresql://",
    }[fault]
    done = _fc("review", db=text, installed=True)
    line = _one_error(done, expected)
    assert "not-the-password" not in line and _password(pg_server.admin_url) not in line
    assert done.stdout == ""


def test_a_newer_schema_on_the_server_is_refused_as_a_newer_file_is(pg_url: str) -> None:
    _sql(pg_url, "UPDATE alembic_version SET version_num = '9999'")
    for args in (("review",), ("db", "info"), ("db", "upgrade")):
        done = _fc(*args, db=pg_url, installed=True)
        _one_error(
            done,
            "was written by a newer factcheck (schema revision 9999 is unknown to this "
            "version): upgrade factcheck to open it",
        )
    assert _sql(pg_url, "SELECT version_num FROM alembic_version") == [("9999",)]


def test_an_older_schema_is_upgraded_by_db_upgrade_only(pg_empty_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from factcheck.db import HEAD_REVISION, migrations_dir

    engine = create_engine(pg_empty_url.replace("postgresql://", "postgresql+psycopg://", 1))
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
    engine.dispose()
    _sql(
        pg_empty_url,
        "INSERT INTO claim (uuid, text, status, created_at, created_by) VALUES "
        "('6f1c0e0e-0000-4000-8000-000000000001', 'Old claim', 'new', now(), 'old')",
    )
    _one_error(_fc("review", db=pg_empty_url), "has schema 0002; this factcheck needs")
    done = _fc("db", "upgrade", db=pg_empty_url)
    assert done.returncode == 0, done.stderr
    assert f"from schema 0002 to {HEAD_REVISION}" in done.stderr
    review = _fc("review", "--format", "json", db=pg_empty_url)
    assert [r["text"] for r in json.loads(review.stdout)] == ["Old claim"]


def test_a_database_of_another_application_is_refused(pg_empty_url: str) -> None:
    _sql(pg_empty_url, "CREATE TABLE invoices (id integer)")
    for args in (("db", "upgrade"), ("review",)):
        _one_error(_fc(*args, db=pg_empty_url), "belongs to another application")
    assert _sql(pg_empty_url, "SELECT to_regclass('claim')") == [(None,)]


# ---- the database itself keeps history append-only ---------------------------------------


def test_every_guard_trigger_of_a_file_is_on_the_server_too(pg_url: str) -> None:
    """Read off the SQLite schema manifest, so a new revision's guards are checked here too."""
    from factcheck.db import HEAD_REVISION
    from factcheck.schema_manifest import MANIFEST

    on_file = {
        name
        for kind, name in MANIFEST[HEAD_REVISION]
        if kind == "trigger" and not name.startswith("claim_fts")  # FTS5 upkeep: tsvector here
    }
    guarded = {n.removesuffix("_append_only_update") for n in on_file if n.endswith("_update")}
    assert {"verdict", "evidence", "change"} <= guarded
    rows = _sql(pg_url, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    on_server = {name for (name,) in rows}
    truncate = {f"{table}_append_only_truncate" for table in guarded}
    assert on_server == on_file | truncate


def test_the_server_refuses_to_change_a_verdict_made_through_the_cli(pg_url: str) -> None:
    import psycopg

    claim = _fc("claim", "add", "The dam holds 3 billion litres", db=pg_url)
    assert claim.returncode == 0, claim.stderr
    claim_id = claim.stdout.strip()
    source = _fc("source", "add", "https://example.org/dam", "--title", "Dam", db=pg_url)
    evidence = _fc(
        "evidence",
        "add",
        claim_id,
        "--source",
        source.stdout.strip(),
        "--stance",
        "refutes",
        db=pg_url,
    )
    assert evidence.returncode == 0, evidence.stderr
    done = _fc("verdict", "add", claim_id, "false", "--rationale", "Survey", db=pg_url)
    assert done.returncode == 0, done.stderr
    before = _sql(pg_url, "SELECT * FROM verdict ORDER BY id")
    attempts = {
        "UPDATE verdict SET rationale = 'changed'": "verdict rows are append-only: record a new "
        "one instead of changing one",
        "DELETE FROM verdict": "verdict rows are append-only: record a new one instead of "
        "deleting one",
        "TRUNCATE verdict CASCADE": "verdict rows are append-only",
        "UPDATE evidence SET note = 'changed'": "evidence rows are append-only",
    }
    for statement, message in attempts.items():
        with pytest.raises(psycopg.errors.RaiseException, match=re.escape(message)):
            _sql(pg_url, statement)
    assert _sql(pg_url, "SELECT * FROM verdict ORDER BY id") == before
    # A verdict can only supersede one on its own claim, on the server too.
    other = _fc("claim", "add", "Another claim", db=pg_url).stdout.strip()
    _fc("verdict", "add", other, "true", db=pg_url)
    with pytest.raises(psycopg.errors.RaiseException, match="only supersede a verdict on the same"):
        _sql(
            pg_url,
            "INSERT INTO verdict_supersedes (verdict_id, superseded_id) "
            "SELECT max(id), min(id) FROM verdict",
        )


# ---- the same commands on both backends ---------------------------------------------------


def _ok(*args: str, db: str) -> str:
    done = _fc(*args, db=db)
    assert done.returncode == 0, (args, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stdout


def test_the_tracking_commands_work_on_each_backend(backend: str) -> None:
    db = backend
    upgrade = _fc("db", "upgrade", db=db)
    assert upgrade.returncode == 0 and "already at schema" in upgrade.stderr
    info = json.loads(_ok("db", "info", "--format", "json", db=db))[0]
    assert info["backend"] == ("postgresql" if db.startswith("postgresql") else "sqlite")
    words = "ts_rank" if db.startswith("postgresql") else "FTS5 bm25"
    assert words in info["model_words"]  # what ranks search and matching on this desk
    first = _ok("claim", "add", "Crime rose 40 percent in 2023", "--speaker", "Ann Lee", db=db)
    second = _ok("claim", "add", "Crime rose 40 percent last year", "--speaker", "Bo", db=db)
    c1, c2 = first.strip(), second.strip()
    assert int(c2) == int(c1) + 1
    _ok("claim", "edit", c1, "--summary", "Crime up 40%", "--date", "2024-01", db=db)
    _ok("claim", "status", c1, "researching", db=db)
    source = _ok("source", "add", "https://stats.example.org/crime", "--title", "Crime", db=db)
    _ok("evidence", "add", c1, "--source", source.strip(), "--stance", "refutes", db=db)
    _ok("verdict", "add", c1, "mostly-false", "--rationale", "It rose 4 percent", db=db)
    _ok("verdict", "add", c1, "false", "--rationale", "Corrected figure", db=db)

    shown = json.loads(_ok("claim", "show", c1, "--format", "json", db=db))
    assert shown["summary"] == "Crime up 40%" and shown["claim_date"] == "2024-01"
    assert shown["status"] == "reviewed"  # a verdict moves a claim on from researching
    review = json.loads(_ok("review", "--format", "json", db=db))
    assert [(r["id"], r["verdict"], r["refutes"]) for r in review] == [
        (int(c2), None, 0),
        (int(c1), "false", 1),
    ]
    assert [
        r["id"] for r in json.loads(_ok("review", "--speaker", "ann", "--format", "json", db=db))
    ] == [int(c1)]
    assert [
        r["id"] for r in json.loads(_ok("review", "--verdict", "none", "--format", "json", db=db))
    ] == [int(c2)]
    assert [
        r["id"]
        for r in json.loads(_ok("review", "--status", "reviewed", "--format", "json", db=db))
    ] == [int(c1)]
    stats = json.loads(_ok("stats", "--format", "json", db=db))
    assert stats["claims"] == 2
    # Bad input is refused the same way on both.
    _one_error(_fc("claim", "status", c1, "sideways", db=db), "status")
    _one_error(_fc("verdict", "add", "999", "false", db=db), "999")


def _copy_desk(sqlite_file: Path, url: str) -> None:
    """Every row of a desk file into a server at the same schema: the same content, UUIDs and
    times on both (what `merge` will do one day; here plain Core inserts)."""
    from sqlalchemy import create_engine, select, text
    from sqlalchemy.dialects.postgresql import insert

    from factcheck.models import metadata

    source = create_engine(f"sqlite:///{sqlite_file}")
    target = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with source.connect() as src, target.begin() as dst:
        for table in metadata.sorted_tables:
            rows = [dict(r._mapping) for r in src.execute(select(table))]
            if rows:
                dst.execute(insert(table).on_conflict_do_nothing(), rows)
            if "id" in table.c and table.c.id.primary_key:
                dst.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                        "coalesce((SELECT max(id) FROM " + table.name + "), 1))"  # noqa: S608
                    ),
                    {"t": table.name},
                )
    source.dispose()
    target.dispose()


def test_the_same_content_gives_byte_identical_output_on_both_backends(
    db_path: Path, pg_url: str
) -> None:
    db = str(db_path)
    c1 = _ok(
        "claim",
        "add",
        "Exports rose 12% in 2022, the minister said",
        "--speaker",
        "Minister Ödön",
        db=db,
    ).strip()
    c2 = _ok(
        "claim",
        "add",
        "Unemployment is at a record low",
        "--speaker",
        "ann lee",
        "--summary",
        "Record-low unemployment",
        db=db,
    ).strip()
    c3 = _ok("claim", "add", "Taxes doubled", "--speaker", "Ann Lee", db=db).strip()
    c4 = _ok("claim", "add", "No speaker here, 3 million people", db=db).strip()
    _ok("claim", "edit", c3, "--text", "Taxes doubled since 2010", db=db)
    _ok("claim", "status", c4, "dismissed", db=db)
    s1 = _ok(
        "source",
        "add",
        "https://example.org/trade",
        "--title",
        'Trade "figures"',
        "--publisher",
        "Stats office",
        "--date",
        "2023-02",
        db=db,
    ).strip()
    _ok(
        "evidence",
        "add",
        c1,
        "--source",
        s1,
        "--stance",
        "supports",
        "--excerpt",
        "up 12 percent",
        db=db,
    )
    _ok("evidence", "add", c2, "--source", s1, "--stance", "refutes", db=db)
    _ok("verdict", "add", c1, "true", "--rationale", "Matches the office's figures", db=db)
    _ok("verdict", "add", c2, "half-true", db=db)
    _ok("verdict", "add", c2, "mostly-false", "--rationale", "Lower in 2019", db=db)
    _ok("verdict", "add", c3, "pants-on-fire", "--scale", "politifact", db=db)
    # Scores come from extraction (import is not on the server yet): set two by hand, so
    # that review's default order (score, unscored last) is compared too.
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE claim SET score = 0.9 WHERE id = ?", (int(c2),))
        conn.execute("UPDATE claim SET score = 0.4 WHERE id = ?", (int(c1),))
    conn.close()
    _copy_desk(db_path, pg_url)

    commands = [
        ("review",),
        ("review", "--format", "json"),
        ("review", "--sort", "newest"),
        ("review", "--status", "dismissed"),
        ("review", "--speaker", "ann"),
        ("review", "--verdict", "none"),
        ("review", "--since", "2020-01-01", "--until", "2999-12"),
        ("stats", "--by", "checker"),
        ("stats",),
        ("stats", "--format", "json"),
        ("claim", "show", c1),
        ("claim", "show", c2, "--format", "json"),
        ("export", "csv"),
        ("export", "csv", "--speaker", "ANN"),
        ("export", "json"),
    ]
    for args in commands:
        on_file, on_server = _ok(*args, db=db), _ok(*args, db=pg_url)
        if args[:2] == ("export", "json"):
            on_file, on_server = (
                re.sub(r'"exported_at": "[^"]*"', '"exported_at": ""', out)
                for out in (on_file, on_server)
            )
        assert on_file == on_server, args
    review = json.loads(_ok("review", "--format", "json", db=pg_url))
    assert [r["id"] for r in review] == [int(c2), int(c1), int(c3)]  # c4 is dismissed
    # Search ranks with each backend's own full-text search; both find the same claims.
    for words in ("unemployment", "taxes doubled", "export*"):
        found = [
            sorted(r["id"] for r in json.loads(_ok("search", words, "--format", "json", db=d)))
            for d in (db, pg_url)
        ]
        assert found[0] == found[1] and found[0], words


def test_the_readme_server_walkthrough_runs_on_a_new_database(
    pg_empty_url: str, tmp_path: Path
) -> None:
    import shlex

    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- server:start -->")[1].split("<!-- server:end -->")[0]
    lines = [line for line in block.splitlines() if line and not line.startswith(("#", "```"))]
    assert len(lines) >= 6
    for line in lines:
        argv = shlex.split(line)
        assert argv[0] == "factcheck", line
        done = run_installed(*argv[1:], cwd=tmp_path, env={"FACTCHECK_DB": pg_empty_url})
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        assert "Traceback" not in done.stderr
    snapshot = json.loads((tmp_path / "desk.json").read_text())
    assert [c["text"] for c in snapshot["claim"]] == ["Unemployment fell to 3.9 percent in May"]
    # the field copy's verdict (superseding the server's) and claim came back with `merge`
    reviews = [
        sorted(
            (r["text"], r["verdict"])
            for r in json.loads(_ok("review", "--all", "--format", "json", db=db))
        )
        for db in (pg_empty_url, str(tmp_path / "field-copy.db"))
    ]
    assert (
        reviews[0]
        == reviews[1]
        == [
            ("Inflation doubled in a year", None),
            ("Unemployment fell to 3.9 percent in May", "false"),
        ]
    )
    # The one command the section gives for the PostgreSQL tests names this file.
    assert ".venv/bin/pytest -q tests/test_postgres.py" in readme


def test_help_and_a_desk_file_never_import_the_driver(db_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from factcheck.cli import cli\n"
        "for args in (['--help'], ['--db', sys.argv[1], 'review']):\n"
        "    try:\n"
        "        cli.main(args, prog_name='factcheck')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    print('DRIVER', 'psycopg' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.count("DRIVER False") == 2, done.stdout + done.stderr


def test_a_role_that_may_only_read_gets_a_plain_refusal(pg_url: str, pg_server: PgServer) -> None:
    from sqlalchemy.engine import make_url

    name = make_url(pg_url).database
    _fc("claim", "add", "A claim to read", db=pg_url, installed=True)
    pg_server.execute(
        "DROP ROLE IF EXISTS factcheck_reader",
        "CREATE ROLE factcheck_reader LOGIN PASSWORD 'reader-secret'",
    )
    _sql(pg_url, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO factcheck_reader")
    reader = make_url(pg_url).set(username="factcheck_reader", password="reader-secret")
    url = reader.render_as_string(False)
    assert json.loads(_ok("review", "--format", "json", db=url))[0]["text"] == "A claim to read"
    line = _one_error(
        _fc("claim", "add", "Another", db=url, installed=True), "your database role may not do it"
    )
    assert "reader-secret" not in line and "factcheck_reader:***@" in line
    assert _sql(pg_url, "SELECT count(*) FROM claim") == [(1,)]
    _sql(pg_url, "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM factcheck_reader")
    _sql(pg_url, "REVOKE ALL ON SCHEMA public FROM factcheck_reader")
    pg_server.execute(f"REVOKE ALL ON DATABASE {name} FROM factcheck_reader")  # safe: ours


def test_without_a_server_the_tests_skip_but_fail_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.pg import _unavailable

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL"):
        _unavailable("no PostgreSQL server binaries")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the PostgreSQL tests"):
        _unavailable("no PostgreSQL server binaries")


# ---- field copies: `db backup` of a server -------------------------------------------------


def _without_export_time(text: str) -> str:
    return re.sub(r'"exported_at": "[^"]*"', '"exported_at": ""', text)


def _server_counts(url: str) -> dict[str, int]:
    """Rows per table, read off the server's catalogue (not through factcheck.schema)."""
    tables = [
        name
        for (name,) in _sql(
            url,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'alembic_version'",
        )
    ]
    return {t: _sql(url, f"SELECT count(*) FROM {t}")[0][0] for t in tables}  # safe: catalogue


def _file_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                "AND name NOT LIKE 'claim_fts%' AND name <> 'alembic_version'"
            )
        ]
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


@pytest.mark.parametrize("builder", ["full", "empty"])
def test_db_backup_of_a_server_is_a_field_copy_with_every_row(
    builder: str, pg_url: str, run: Any, tmp_path: Path
) -> None:
    """The schema-parity desks (every column set, every nullable one empty), built on a
    server through the CLI, come out in a desk file with the same rows and UUIDs."""
    from tests.test_schema_parity import build_empty, build_full

    if builder == "full":
        build_full(run, pg_url, tmp_path)  # type: ignore[arg-type]
    else:
        build_empty(run, pg_url)  # type: ignore[arg-type]
    counts = _server_counts(pg_url)
    assert all(counts.values()), counts
    done = _fc("db", "backup", "field-copy.db", db=pg_url)
    assert done.returncode == 0, done.stderr
    assert "Wrote a copy of postgresql://postgres:***@" in done.stderr
    copy = tmp_path / "field-copy.db"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".", "field"))) == [
        "field-copy.db"
    ]
    assert _file_counts(copy) == counts
    assert _ok("db", "check", db=str(copy)).strip() == f"{copy}: ok"
    on_server = _without_export_time(_ok("export", "json", db=pg_url))
    assert _without_export_time(_ok("export", "json", db=str(copy))) == on_server
    # The same content on both backends: the same bytes from every read command.
    same = [
        ("review", "--all"),
        ("review", "--tag", "health", "--format", "json"),
        ("review", "--assignee", "A. Checker"),
        ("speaker", "list"),
        ("speaker", "show", "1"),
        ("stats",),
        ("stats", "--by", "tag"),
        ("claim", "show", "1"),
        ("claim", "show", "2", "--format", "json"),
        ("source", "show", "1"),
        ("source", "list"),
        ("scale", "list"),
        ("settings", "show"),
        ("export", "csv"),
        ("export", "markdown"),
        ("export", "claimreview"),
    ]
    for args in same:
        on_copy, on_server = _fc(*args, db=str(copy)), _fc(*args, db=pg_url)
        assert on_copy.returncode == on_server.returncode, (args, on_copy.stderr, on_server.stderr)
        assert (on_copy.stdout, on_copy.stderr) == (on_server.stdout, on_server.stderr), args


def test_a_field_copy_works_offline_and_backup_refuses_what_db_backup_refuses(
    pg_url: str, tmp_path: Path
) -> None:
    claim = _ok("claim", "add", "Unemployment fell to 3.9 percent", db=pg_url).strip()
    _ok("db", "backup", "field-copy.db", db=pg_url)
    copy = str(tmp_path / "field-copy.db")
    _ok("--as", "Sam", "verdict", "add", claim, "false", "--rationale", "4.1 percent", db=copy)
    shown = json.loads(_ok("claim", "show", claim, "--format", "json", db=copy))
    assert [v["rating"] for v in shown["verdicts"]] == ["false"]
    assert _sql(pg_url, "SELECT count(*) FROM verdict") == [(0,)]
    # An existing file is refused, as for a file's backup, and left as it was; --force replaces.
    before = (tmp_path / "field-copy.db").read_bytes()
    _one_error(_fc("db", "backup", "field-copy.db", db=pg_url), "exists already")
    assert (tmp_path / "field-copy.db").read_bytes() == before
    _ok("db", "backup", "field-copy.db", "--force", db=pg_url)
    again = json.loads(_ok("claim", "show", claim, "--format", "json", db=copy))
    assert again["verdicts"] == [] and again["uuid"] == shown["uuid"]
    _one_error(_fc("db", "backup", "no/such/folder.db", db=pg_url), "does not exist")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@needs_extra
def test_import_claim_similar_and_index_on_a_server_as_on_a_file(
    db_path: Path, pg_url: str
) -> None:
    """Matching on a server: candidates from its full-text search (ts_rank), scored by the
    same word measure, merged with meaning (models extra) from vectors stored by `index`."""
    from tests.conftest import SEED

    found: dict[str, list[Any]] = {}
    for db in (str(db_path), pg_url):
        _ok("import", str(SEED), db=db)
        claims = json.loads(_ok("review", "--all", "--sort", "id", "--format", "json", db=db))
        assert len(claims) >= 10
        tip = (
            "similar",
            "--text",
            "North Korea was behind the WannaCry attack",
            "--format",
            "json",
        )
        before = json.loads(_ok("claim", *tip, db=db))
        indexed = _fc("index", db=db)
        assert indexed.returncode == 0, indexed.stderr
        assert f"{len(claims)} have a current vector" in indexed.stderr
        assert "Embedded 0 claims" in _fc("index", db=db).stderr
        after = json.loads(_ok("claim", *tip, db=db))
        # stored float16 vectors give the cosines of embedding on the fly, to 0.001
        assert [r["id"] for r in after] == [r["id"] for r in before]
        assert all(
            abs(a["meaning"] - b["meaning"]) <= 0.002 for a, b in zip(after, before, strict=True)
        )
        found[db] = after
        similar = json.loads(_ok("claim", "similar", "1", "--format", "json", db=db))
        assert similar and all(r["id"] != 1 for r in similar)
    # the import stored the same claims, speakers and scores on both
    for args in (("review", "--all", "--sort", "id"), ("source", "show", "1"), ("speaker", "list")):
        assert _ok(*args, db=str(db_path)) == _ok(*args, db=pg_url), args
    on_file, on_server = found[str(db_path)], found[pg_url]
    assert on_server[0]["id"] == on_file[0]["id"]
    assert {r["id"] for r in on_server} == {r["id"] for r in on_file}
    assert _sql(pg_url, "SELECT count(*) FROM claim_vector") == [(len(claims),)]


def test_db_check_on_a_server_reports_a_removed_guard_and_planted_code(pg_url: str) -> None:
    assert _ok("db", "check", db=pg_url).strip().endswith("/" + pg_url.rsplit("/", 1)[1] + ": ok")
    _sql(pg_url, "DROP TRIGGER verdict_append_only_update ON verdict")
    _sql(pg_url, "CREATE VIEW spy AS SELECT text FROM claim")
    _sql(pg_url, "CREATE TABLE notes_of_mine (id integer)")
    done = _fc("db", "check", db=pg_url)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "problem: it contains a view 'spy' that factcheck did not create",
        "problem: it has no guard trigger 'verdict_append_only_update' (it was removed)",
        "problem: it has a table 'notes_of_mine' that factcheck did not create",
        f"Error: {_shown(pg_url)} has 3 problem(s): restore it from the server's own backup "
        "(pg_dump)",
    ]


def _shown(url: str) -> str:
    from factcheck.postgres import shown_url

    return shown_url(url)
