"""Files that are not what they seem are refused with their own message, byte for byte untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import assert_error, file_digest, run_installed


def _other_app_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO songs (title) VALUES ('x')")
    conn.commit()
    conn.close()


def _truncated(path: Path, template: Path) -> None:
    data = template.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


CASES = {
    "not sqlite": (lambda p, t: p.write_text("id,text\n1,hello\n"), "not a SQLite database"),
    "empty": (lambda p, t: p.write_bytes(b""), "is empty"),
    "header only": (lambda p, t: p.write_bytes(t.read_bytes()[:100]), "truncated"),
    "short header": (lambda p, t: p.write_bytes(b"SQLite format 3\x00\x10\x00"), "truncated"),
    "truncated": (_truncated, "truncated"),
    "another application": (lambda p, t: _other_app_db(p), "another application"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("args", [("review",), ("claim", "add", "x"), ("db", "info")])
def test_foreign_files_are_refused_untouched(
    case: str, args: tuple[str, ...], tmp_path: Path, template_db: Path, run
) -> None:  # type: ignore[no-untyped-def]
    make, message = CASES[case]
    path = tmp_path / "desk.db"
    make(path, template_db)
    before = file_digest(path)
    siblings = sorted(p.name for p in tmp_path.iterdir())
    assert_error(run("--db", str(path), *args), message)
    assert file_digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings


def test_read_command_never_creates_a_file(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("--db", str(tmp_path / "missing.db"), "review")
    assert_error(result, "no factcheck database at")
    assert "factcheck import seeds/wannacry-attribution.txt" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_write_command_creates_the_file_and_says_so(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new.db"
    result = run("--db", str(path), "claim", "add", "x")
    assert result.exit_code == 0
    assert f"Created a new factcheck database at {path}" in result.stderr
    assert path.read_bytes()[68:72] == bytes.fromhex("46436b31")  # application id "FCk1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]


def test_missing_folder_is_a_clear_error(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert_error(
        run("--db", str(tmp_path / "nope" / "x.db"), "claim", "add", "x"), "does not exist"
    )


def test_directory_as_db_is_refused(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "dir.db").mkdir()
    result = run("--db", str(tmp_path / "dir.db"), "review")
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.stderr


def test_file_utility_can_tell_our_files(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x46436B31
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # per connection; we turn it on
    conn.close()


def test_installed_command_reports_foreign_file_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some notes\n")
    done = run_installed("--db", str(path), "review")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ") and "Traceback" not in done.stderr
    assert path.read_text() == "just some notes\n"


def test_two_writers_queue_instead_of_failing(tmp_path: Path, db_path: Path) -> None:
    """Two processes adding claims at once: every success is stored, no 'locked' error."""
    import subprocess

    from tests.conftest import factcheck_exe

    script = 'for i in $(seq 1 15); do {exe} --db {db} --as w$1 claim add "claim $1-$i" >/dev/null || exit 1; done'
    procs = [
        subprocess.Popen(
            ["bash", "-c", script.format(exe=factcheck_exe(), db=db_path), "x", str(n)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    errors = [p.communicate(timeout=240)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("locked" in e for e in errors)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM claim").fetchone()[0] == 30
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
