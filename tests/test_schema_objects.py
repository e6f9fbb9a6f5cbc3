"""A file someone sends is data, never code: triggers and views factcheck did not create are
refused on every open (before any upgrade), and `db check` reports every schema difference."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from alembic import command

from factcheck import sqlite
from factcheck.db import HEAD_REVISION, KNOWN_REVISIONS
from factcheck.schema_manifest import MANIFEST
from tests.conftest import dump, file_digest, run_installed
from tests.schema_manifest_gen import objects_at, render
from tests.test_migrations import alembic_config, make_old_file


def test_manifest_is_what_the_migrations_make(tmp_path: Path) -> None:
    made = {revision: objects_at(revision, tmp_path) for revision in KNOWN_REVISIONS}
    assert made == MANIFEST, "regenerate: python -m tests.schema_manifest_gen\n" + render(made)


def test_every_upgrade_path_and_a_new_file_end_at_the_head_manifest(
    tmp_path: Path, template_db: Path
) -> None:
    def objects(path: Path) -> sqlite.SchemaObjects:
        conn = sqlite3.connect(path)
        try:
            return sqlite.schema_objects(conn)
        finally:
            conn.close()

    assert objects(template_db) == MANIFEST[HEAD_REVISION]
    for revision in KNOWN_REVISIONS[:-1]:
        path = tmp_path / f"from-{revision}.db"
        make_old_file(path, revision)
        command.upgrade(alembic_config(path), "head")
        assert objects(path) == MANIFEST[HEAD_REVISION], revision


def plant(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def fc(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_installed("--db", str(db), *args, timeout=60)


@pytest.fixture
def desk(db_path: Path) -> Path:
    assert (
        fc(db_path, "source", "add", "https://example.org/a", "--title", "Honest").returncode == 0
    )
    assert fc(db_path, "claim", "add", "A claim").returncode == 0
    return db_path


PLANTED = {
    "trigger": (
        ["CREATE TRIGGER t AFTER INSERT ON claim BEGIN UPDATE source SET title='PWNED'; END"],
        "a trigger 't' that factcheck did not create",
    ),
    "renamed guard body": (
        [
            "DROP TRIGGER claim_fts_insert",
            "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim "
            "BEGIN UPDATE source SET title='PWNED'; END",
        ],
        "a trigger 'claim_fts_insert' changed from the one factcheck created",
    ),
    "view": (["CREATE VIEW v AS SELECT 1"], "a view 'v' that factcheck did not create"),
    "two at once": (
        [
            "CREATE VIEW v AS SELECT 1",
            "CREATE TRIGGER t BEFORE DELETE ON source BEGIN SELECT 1; END",
        ],
        "contains a view 'v' that factcheck did not create, a trigger 't' that factcheck did not "
        "create; factcheck runs no code a file brings: remove them with sqlite3",
    ),
    "escape in a name": (
        ['CREATE TRIGGER "t\x1b[2J" AFTER INSERT ON claim BEGIN SELECT 1; END'],
        "a trigger 't\\x1b[2J' that factcheck did not create",
    ),
    "claim swapped for a view": (
        ["ALTER TABLE claim RENAME TO claim_real", "CREATE VIEW claim AS SELECT * FROM claim_real"],
        "a view 'claim' in place of the table factcheck created",
    ),
}


@pytest.mark.parametrize("case", list(PLANTED))
def test_planted_objects_are_refused_on_every_open_and_nothing_runs(desk: Path, case: str) -> None:
    statements, message = PLANTED[case]
    listed = message.split("; ")[0].removeprefix("contains ").split(", ")  # db check: one a line
    plant(desk, *statements)
    before = dump(desk)
    commands = [("claim", "add", "x"), ("review",)]
    if case == "trigger":  # every open goes the same way; one case tries more commands
        commands += [("db", "info"), ("export", "json"), ("db", "upgrade")]
    for args in commands:
        done = fc(desk, *args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        line = done.stderr.strip()
        assert line.startswith("Error: ") and "\n" not in line, line
        assert message in line and "with sqlite3, or restore the file from a backup" in line, line
        assert "\x1b" not in done.stderr
    assert dump(desk) == before
    check = fc(desk, "db", "check")
    assert check.returncode == 1
    assert all(f"problem: it contains {each}" in check.stderr for each in listed), check.stderr


def test_a_trigger_on_alembic_version_never_fires_during_an_upgrade(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    make_old_file(old, KNOWN_REVISIONS[0])
    plant(
        old,
        "INSERT INTO claim (uuid, text, status, created_at, created_by) "
        "VALUES ('u1', 'old claim', 'new', '2020-01-01 00:00:00', 'old')",
        "CREATE TRIGGER up AFTER UPDATE ON alembic_version "
        "BEGIN UPDATE claim SET text = 'PWNED'; END",
    )
    before = file_digest(old)
    for args in (("review",), ("db", "upgrade"), ("claim", "add", "x"), ("db", "check")):
        done = fc(old, *args)
        assert done.returncode == 1, done.stderr
        assert "a trigger 'up' that factcheck did not create" in done.stderr
    assert file_digest(old) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]  # no upgrade backup either


def test_db_check_reports_a_missing_guard_trigger_and_extra_objects(desk: Path) -> None:
    plant(
        desk,
        "DROP TRIGGER verdict_append_only_update",
        "CREATE INDEX ix_mine ON claim (text)",
        "CREATE TABLE notes (x)",
    )
    check = fc(desk, "db", "check")
    assert check.returncode == 1
    problems = [line for line in check.stderr.splitlines() if line.startswith("problem: ")]
    assert problems == [
        "problem: it has a table 'notes' that factcheck did not create",
        "problem: it has an index 'ix_mine' that factcheck did not create",
        "problem: it has no guard trigger 'verdict_append_only_update' (it was removed)",
    ]
    assert "has 3 problem(s)" in check.stderr
    # not code that runs: the desk still opens
    assert fc(desk, "review").returncode == 0


def test_the_check_costs_little_at_start_up(template_db: Path) -> None:
    """One query over sqlite_master on every open: well under a millisecond or two."""
    import time

    from factcheck.db import inspect_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "desk.db"
        path.write_bytes(template_db.read_bytes())
        inspect_file(path)
        start = time.perf_counter()
        for _ in range(50):
            inspect_file(path)
        per_open = (time.perf_counter() - start) / 50
    assert per_open < 0.02, per_open


def test_db_check_reports_broken_references(desk: Path) -> None:
    plant(
        desk,
        "INSERT INTO evidence (uuid, claim_id, source_id, stance, created_at, created_by) "
        "VALUES ('e1', 999, 1, 'supports', '2020-01-01 00:00:00', 'x')",
    )
    check = fc(desk, "db", "check")
    assert check.returncode == 1
    assert "problem: evidence row 1 points at a missing claim" in check.stderr
