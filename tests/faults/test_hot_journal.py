"""A crash in rollback-journal mode: SQLite's recovery rolls the write back and work goes on.

A real hot journal: a child process in journal_mode=DELETE writes enough for pages to reach the
file, then is killed with SIGKILL mid-transaction. Every command must then roll it back (not
call the file damaged) and see exactly the committed state from before the crash.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import dump, factcheck_exe, run_installed

CRASHING_WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA cache_size = 2")  # spill changed pages into the file before any commit
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE source SET title = 'half-written'")
conn.executemany(
    "INSERT INTO claim (uuid, text, status, created_at, created_by) "
    "VALUES (?, ?, 'new', '2020-01-01 00:00:00.000000', 'crash')",
    [(f"crash-{i}", f"never committed {i} " + "y" * 2000) for i in range(300)],
)
print("written", flush=True)
time.sleep(120)
"""


def crash_mid_write(db: Path) -> None:
    """Leave a hot journal beside db: the writer is killed with -9 inside its transaction."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHING_WRITER, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "written"
    proc.kill()
    proc.wait(timeout=30)
    assert Path(f"{db}-journal").stat().st_size > 0
    probe = sqlite3.connect(f"file:{db}?mode=ro", uri=True)  # cannot roll back: proves it hot
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            probe.execute("SELECT count(*) FROM claim").fetchone()
    finally:
        probe.close()


@pytest.fixture
def committed(db_path: Path) -> tuple[Path, list[str]]:
    for text in ("committed one", "committed two"):
        assert run_installed("--db", str(db_path), "claim", "add", text).returncode == 0
    assert (
        run_installed(
            "--db", str(db_path), "source", "add", "https://example.org/a", "--title", "A title"
        ).returncode
        == 0
    )
    return db_path, dump(db_path)


@pytest.mark.parametrize(
    "first",
    [("review", "--format", "json"), ("claim", "add", "next"), ("db", "check"), ("db", "info")],
)
def test_every_command_rolls_back_a_hot_journal_and_goes_on(
    committed: tuple[Path, list[str]], first: tuple[str, ...]
) -> None:
    db, before = committed
    crash_mid_write(db)
    done = run_installed("--db", str(db), *first)
    assert done.returncode == 0, done.stderr
    assert "damaged" not in done.stderr
    assert not Path(f"{db}-journal").exists() or Path(f"{db}-journal").stat().st_size == 0
    if first[0] != "claim":
        assert dump(db) == before
    listed = run_installed("--db", str(db), "review", "--format", "json")
    texts = [c["text"] for c in json.loads(listed.stdout)]
    assert sorted(texts) == sorted(
        ["committed one", "committed two"] + (["next"] if first[0] == "claim" else [])
    )
    assert run_installed("--db", str(db), "db", "check").returncode == 0


def test_a_full_disk_during_recovery_is_not_called_damage(
    committed: tuple[Path, list[str]],
) -> None:
    db, before = committed

    def no_room() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))

    crash_mid_write(db)
    for args in (("review",), ("db", "info"), ("claim", "add", "x")):
        done = subprocess.run(
            [factcheck_exe(), "--db", str(db), *args],
            capture_output=True,
            text=True,
            preexec_fn=no_room,
            timeout=60,
        )
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("Error: ") and "disk" in done.stderr, done.stderr
        assert "damaged" not in done.stderr and "Traceback" not in done.stderr
    assert run_installed("--db", str(db), "db", "check").returncode == 0
    assert dump(db) == before


def test_backup_copies_are_wal_like_the_original(db_path: Path, tmp_path: Path) -> None:
    assert run_installed("--db", str(db_path), "claim", "add", "x").returncode == 0
    copy = tmp_path / "copy.db"
    assert run_installed("--db", str(db_path), "db", "backup", str(copy)).returncode == 0
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    assert sorted(p.name for p in tmp_path.glob("copy.db*")) == ["copy.db"]


def test_a_hot_journal_without_write_access_is_refused_with_the_reason(
    committed: tuple[Path, list[str]],
) -> None:
    """An immutable file and folder (chattr +i): not even root can roll the journal back."""
    db, _before = committed
    crash_mid_write(db)
    paths = [db, Path(f"{db}-journal"), db.parent]
    if subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available on this file system")
    try:
        done = run_installed("--db", str(db), "review")
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ") and "unfinished write left by a crash" in done.stderr
    assert run_installed("--db", str(db), "review").returncode == 0
