"""Schema history: every revision upgrades with rows intact; head equals the models."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from factcheck import db as dbmod
from factcheck.models import metadata
from tests.conftest import ROOT, assert_error, file_digest


def alembic_config(path: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(dbmod.migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return config


def make_old_file(path: Path, revision: str) -> None:
    """A file exactly as the factcheck of that revision would have made it."""
    command.upgrade(alembic_config(path), revision)


def test_known_revisions_match_the_migration_scripts() -> None:
    script = ScriptDirectory.from_config(alembic_config(Path("x.db")))
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(chain) == dbmod.KNOWN_REVISIONS
    assert dbmod.SCHEMA_VERSION == len(chain)


def test_upgrade_on_empty_file_equals_models(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    dbmod.open_database(path, write=True).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    engine.dispose()
    # The FTS5 index and its shadow tables are made by hand in factcheck/sqlite.py.
    fts = [d for d in diff if d[0] == "remove_table" and d[1].name.startswith("claim_fts")]
    assert {d[1].name for d in fts} <= {
        "claim_fts",
        "claim_fts_data",
        "claim_fts_idx",
        "claim_fts_docsize",
        "claim_fts_config",
        "claim_fts_content",
    }
    assert [d for d in diff if d not in fts] == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x46436B31
    conn.close()


@pytest.mark.parametrize("revision", dbmod.KNOWN_REVISIONS[:-1])
def test_old_file_is_upgraded_with_rows_intact_and_a_backup(
    tmp_path: Path, revision: str, run
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.db"
    make_old_file(path, revision)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO source (uuid, kind, url, title, created_at, created_by) VALUES "
        "('s-1', 'article', 'https://example.org/a', 'Old source', '2020-01-01 00:00:00', 'old')"
    )
    conn.execute(
        "INSERT INTO claim (uuid, text, speaker, source_id, status, created_at, created_by) VALUES "
        "('c-1', 'An old claim', 'Old Speaker', 1, 'new', '2020-01-01 00:00:00', 'old')"
    )
    conn.execute(
        "INSERT INTO verdict (uuid, claim_id, label_id, rationale, reviewer, created_at, created_by) "
        "VALUES ('v-1', 1, 2, 'old rationale', 'Old Reviewer', '2020-01-02 00:00:00', 'old')"
    )
    if revision < "0003":  # then a verdict named the one it corrected in a column
        conn.execute(
            "INSERT INTO verdict (uuid, claim_id, label_id, rationale, reviewer, supersedes_id, "
            "created_at, created_by) VALUES ('v-2', 1, 5, 'correction', 'Old Reviewer', 1, "
            "'2020-01-03 00:00:00', 'old')"
        )
    else:
        conn.execute(
            "INSERT INTO verdict (uuid, claim_id, label_id, rationale, reviewer, created_at, "
            "created_by) VALUES ('v-2', 1, 5, 'correction', 'Old Reviewer', "
            "'2020-01-03 00:00:00', 'old')"
        )
        conn.execute("INSERT INTO verdict_supersedes (verdict_id, superseded_id) VALUES (2, 1)")
    conn.commit()
    conn.close()
    before = file_digest(path)

    result = run("--db", str(path), "review", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert f"from schema {revision} to {dbmod.HEAD_REVISION}" in result.stderr
    backups = list(tmp_path.glob(f"old.before-upgrade-from-{revision}-*.db"))
    assert len(backups) == 1 and str(backups[0]) in result.stderr
    # The backup is the old file's content, still at the old revision, and opens fine.
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
    assert old.execute("SELECT text FROM claim").fetchone()[0] == "An old claim"
    old.close()
    assert file_digest(path) != before
    import json

    rows = json.loads(result.stdout)
    assert [(r["uuid"], r["text"], r["speaker"], r["verdict"]) for r in rows] == [
        ("c-1", "An old claim", "Old Speaker", "false")
    ]
    shown = json.loads(run("--db", str(path), "claim", "show", "1", "--format", "json").stdout)
    assert [(v["uuid"], v["rationale"], v["current"]) for v in shown["verdicts"]] == [
        ("v-2", "correction", True),
        ("v-1", "old rationale", False),
    ]
    assert shown["verdicts"][0]["supersedes"] == [shown["verdicts"][1]["id"]]
    assert shown["source"]["title"] == "Old source"
    guarded = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        guarded.execute("DELETE FROM verdict")
    guarded.close()
    # A second open does not upgrade or back up again.
    again = run("--db", str(path), "review")
    assert "Upgraded" not in again.stderr
    assert len(list(tmp_path.glob("old.before-upgrade-*"))) == 1


def test_newer_schema_version_is_refused_untouched(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {dbmod.SCHEMA_VERSION + 1}")
    conn.close()
    before = file_digest(db_path)
    for args in (("review",), ("claim", "add", "x")):
        assert_error(run(*args), "newer factcheck")
    assert file_digest(db_path) == before


def test_unknown_revision_is_refused_untouched(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = file_digest(db_path)
    assert_error(run("claim", "add", "x"), "newer factcheck")
    assert file_digest(db_path) == before


def test_old_file_in_a_read_only_place_is_refused_untouched(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "old.db"
    make_old_file(path, dbmod.KNOWN_REVISIONS[0])
    before = file_digest(path)
    if subprocess.run(["chattr", "+i", str(path), str(folder)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available on this file system")
    try:
        assert_error(run("--db", str(path), "review"), "read-only")
    finally:
        subprocess.run(["chattr", "-i", str(path), str(folder)], check=True)
    assert file_digest(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["old.db"]


def test_wheel_install_can_create_and_migrate(tmp_path: Path) -> None:
    """A non-editable install carries the migrations: build a wheel, install it, use it."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(wheel_dir.glob("factcheck-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert (target / "factcheck" / "migrations" / "env.py").exists()
    assert (target / "factcheck" / "migrations" / "versions" / "0001_core.py").exists()
    old = tmp_path / "old.db"
    make_old_file(old, dbmod.KNOWN_REVISIONS[0])
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(target)!r})\n"
        "import factcheck.db as d\n"
        f"assert d.__file__.startswith({str(target)!r}), d.__file__\n"
        f"x = d.open_database(__import__('pathlib').Path({str(tmp_path / 'new.db')!r}), write=True)\n"
        f"y = d.open_database(__import__('pathlib').Path({str(old)!r}), write=False)\n"
        "print(x.notices, y.notices)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Created a new factcheck database" in done.stdout
    assert "Upgraded" in done.stdout
    conn = sqlite3.connect(old)
    assert (
        conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == dbmod.HEAD_REVISION
    )
    conn.close()
