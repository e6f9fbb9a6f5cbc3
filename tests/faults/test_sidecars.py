"""The files SQLite keeps beside a database, and paths that are not plain files.

Output never lands on the database, its -wal, -shm or -journal (by name, symlink or hard
link); special files are written by streaming and stay what they were; --db refuses anything
that is not a regular file; reading a colleague's file leaves nothing beside it; a backup that
fails leaves no temporary file. All through the installed command.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import factcheck_exe, run_installed


def fc(db: Path, *args: str, **kw) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return run_installed("--db", str(db), *args, timeout=60, **kw)


def ok(db: Path, *args: str) -> str:
    done = fc(db, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def refused(done: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    assert fragment.lower() in lines[0].lower(), done.stderr


def claim_texts(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT text FROM claim ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def wal_pinned(db_path: Path) -> Iterator[Path]:
    """A desk whose last committed claim is still only in its -wal: a reader holds the file
    open, so the writer's close cannot checkpoint it into the main file."""
    ok(db_path, "claim", "add", "first")
    holder = sqlite3.connect(db_path)
    holder.execute("SELECT count(*) FROM claim").fetchone()
    ok(db_path, "claim", "add", "only in the wal")
    assert Path(f"{db_path}-wal").stat().st_size > 0
    yield db_path
    holder.close()


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal", ""])
def test_export_onto_a_database_file_is_refused_and_committed_work_survives(
    wal_pinned: Path, suffix: str
) -> None:
    wal = Path(f"{wal_pinned}-wal")
    before = wal.read_bytes()
    refused(fc(wal_pinned, "export", "csv", "-o", f"{wal_pinned}{suffix}"), "lose committed work")
    assert wal.read_bytes() == before
    assert claim_texts(wal_pinned) == ["first", "only in the wal"]
    assert "only in the wal" in ok(wal_pinned, "review", "--format", "json")


def test_backup_onto_the_journal_or_wal_is_refused(db_path: Path) -> None:
    ok(db_path, "claim", "add", "keep me")
    for suffix in ("-journal", "-wal"):
        refused(fc(db_path, "db", "backup", f"{db_path}{suffix}"), "lose committed work")
        assert not Path(f"{db_path}-journal").exists()
    assert ok(db_path, "db", "check").strip().endswith("ok")


def test_other_routes_to_the_database_files_are_refused(wal_pinned: Path, tmp_path: Path) -> None:
    """A symlink to the -wal, a hard link to it, and a symlink to the database itself."""
    wal = Path(f"{wal_pinned}-wal")
    (tmp_path / "sym.csv").symlink_to(wal)
    os.link(wal, tmp_path / "hard.csv")
    (tmp_path / "desk-link.db").symlink_to(wal_pinned)
    for name in ("sym.csv", "hard.csv", "desk-link.db"):
        refused(fc(wal_pinned, "export", "json", "-o", str(tmp_path / name)), "lose committed work")
    # --db through a symlink: SQLite keeps the -wal beside the real file, which is refused too
    refused(fc(tmp_path / "desk-link.db", "export", "csv", "-o", str(wal)), "lose committed work")
    assert claim_texts(wal_pinned) == ["first", "only in the wal"]


def test_output_onto_a_device_node_streams_and_leaves_the_node(
    db_path: Path, tmp_path: Path
) -> None:
    ok(db_path, "claim", "add", "to nowhere")
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the same device as /dev/null
    except PermissionError:
        pytest.skip("mknod needs root")
    for kind in ("csv", "json", "markdown", "claimreview"):
        done = fc(db_path, "export", kind, "-o", str(node))
        assert done.returncode == 0, done.stderr
        assert stat.S_ISCHR(node.lstat().st_mode), kind
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("desk.db")) == [
        "null"
    ]


def test_output_to_a_symlink_to_dev_stdout_streams(db_path: Path, tmp_path: Path) -> None:
    ok(db_path, "claim", "add", "to the pipe")
    link = tmp_path / "out.csv"
    link.symlink_to("/dev/stdout")
    done = fc(db_path, "export", "csv", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert "to the pipe" in done.stdout
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"


def test_output_to_a_fifo_streams(db_path: Path, tmp_path: Path) -> None:
    ok(db_path, "claim", "add", "through the pipe")
    fifo = tmp_path / "claims.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = fc(db_path, "export", "csv", "-o", str(fifo))
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert received and b"through the pipe" in received[0]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert not list(tmp_path.glob(".*partial*"))


def test_output_through_a_symlink_to_a_file_replaces_the_file_not_the_link(
    db_path: Path, tmp_path: Path
) -> None:
    ok(db_path, "claim", "add", "linked")
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    (tmp_path / "link.csv").symlink_to(real)
    assert fc(db_path, "export", "csv", "-o", str(tmp_path / "link.csv")).returncode == 0
    assert (tmp_path / "link.csv").is_symlink()
    assert "linked" in real.read_text()


def test_backup_refuses_special_files(db_path: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "copy.fifo"
    os.mkfifo(fifo)
    refused(fc(db_path, "db", "backup", str(fifo), "--force"), "not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("kind", ["fifo", "device"])  # a directory: test_files.py
def test_db_that_is_not_a_regular_file_is_refused_without_hanging(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "desk.db"
    if kind == "fifo":
        os.mkfifo(path)
        expected = "FIFO"
    else:
        path = Path("/dev/null")
        expected = "a device"
    for args in (("review",), ("claim", "add", "x"), ("db", "check"), ("db", "info")):
        refused(fc(path, *args), expected)  # fc's timeout fails the test if it hangs
    if kind == "fifo":
        assert stat.S_ISFIFO(path.lstat().st_mode)


def _pinned_copy(template: Path, folder: Path, text: str) -> Path:
    """A colleague's desk sent as the file plus its -wal, holding a claim only in the -wal."""
    live = folder / "live.db"
    live.write_bytes(template.read_bytes())
    holder = sqlite3.connect(live)
    holder.execute("SELECT count(*) FROM claim").fetchone()
    ok(live, "--as", "sam", "claim", "add", text)
    sent = folder / "sent"
    sent.mkdir()
    (sent / "sam.db").write_bytes(live.read_bytes())
    (sent / "sam.db-wal").write_bytes(Path(f"{live}-wal").read_bytes())
    holder.close()
    return sent / "sam.db"


def test_merge_reads_a_colleagues_file_and_wal_leaving_nothing_beside_it(
    db_path: Path, template_db: Path, tmp_path: Path
) -> None:
    sam = _pinned_copy(template_db, tmp_path, "Sam's claim, committed in the wal")
    before = {p.name: p.read_bytes() for p in sam.parent.iterdir()}
    assert sorted(before) == ["sam.db", "sam.db-wal"]
    done = fc(db_path, "merge", str(sam))
    assert done.returncode == 0, done.stderr
    assert claim_texts(db_path) == ["Sam's claim, committed in the wal"]
    assert {p.name: p.read_bytes() for p in sam.parent.iterdir()} == before


def test_merge_of_a_plain_copy_leaves_nothing_beside_it(
    db_path: Path, template_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    ok(db_path, "claim", "add", "ours")
    sam = folder / "sam.db"
    assert fc(db_path, "db", "backup", str(sam)).returncode == 0
    conn = sqlite3.connect(sam)  # WAL, as backups are now and every desk file is
    assert conn.execute("PRAGMA journal_mode = wal").fetchone()[0] == "wal"
    conn.close()
    for args in (("merge", str(sam), "--dry-run"), ("merge", str(sam))):
        assert fc(db_path, *args).returncode == 0
    assert [p.name for p in folder.iterdir()] == ["sam.db"]


def _limited(max_bytes: int):  # type: ignore[no-untyped-def]
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return limit


def test_backup_to_a_full_disk_leaves_no_temporary_file(db_path: Path, tmp_path: Path) -> None:
    ok(db_path, "claim", "add", "x" * 5000)
    target = tmp_path / "out" / "copy.db"
    target.parent.mkdir()
    done = subprocess.run(
        [factcheck_exe(), "--db", str(db_path), "db", "backup", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=_limited(20_000),
        timeout=60,
    )
    refused(done, "disk")
    assert "damaged" not in done.stderr
    assert list(target.parent.iterdir()) == []


def test_merging_a_fifo_is_refused_without_hanging(db_path: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "sam.db"
    os.mkfifo(fifo)
    refused(fc(db_path, "merge", str(fifo)), "is a FIFO (named pipe), not a database file")


def test_dev_stdout_onto_a_file_a_shell_appends_to_is_appended_not_replaced(
    db_path: Path, tmp_path: Path
) -> None:
    ok(db_path, "claim", "add", "appended")
    log = tmp_path / "log.txt"
    log.write_text("earlier lines\n")
    # Through a link of our own: if this ever regresses, it replaces the link, not /dev/stdout.
    link = tmp_path / "stdout"
    link.symlink_to("/dev/stdout")
    with log.open("a") as out:
        done = subprocess.run(
            [factcheck_exe(), "--db", str(db_path), "export", "csv", "-o", str(link)],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert text.startswith("earlier lines\n") and "appended" in text
    assert link.is_symlink()
