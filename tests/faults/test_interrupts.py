"""Crashes and interruptions: a command happens completely or not at all."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import factcheck_exe, run_installed

ROWS = 100_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("csv") / "claims.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("text,speaker,claim_date\n")
        for i in range(ROWS):
            out.write(
                f"Claim number {i} says the budget grew by {i % 97} percent,Speaker {i % 40},2024-01-{1 + i % 28:02d}\n"
            )
    return path


def _claims(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT count(*) FROM claim").fetchone()[0]
    finally:
        conn.close()


def _start(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [factcheck_exe(), "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(
    "sig,code,word", [(signal.SIGINT, 130, "cancelled"), (signal.SIGTERM, 143, "terminated")]
)
def test_signal_during_import_cancels_cleanly(
    db_path: Path, big_csv: Path, sig, code, word
) -> None:  # type: ignore[no-untyped-def]
    proc = _start(db_path, "import", str(big_csv))
    time.sleep(2.0)
    assert proc.poll() is None, "the import finished before the signal: make the file bigger"
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert err.strip() == f"Error: {word}, nothing written"
    assert _claims(db_path) == 0
    assert run_installed("--db", str(db_path), "claim", "add", "next command works").returncode == 0


def test_kill_9_during_import_leaves_all_or_nothing(db_path: Path, big_csv: Path) -> None:
    rng = random.Random(7)
    seen = set()
    for _attempt in range(4):
        proc = _start(db_path, "import", str(big_csv))
        time.sleep(rng.uniform(0.3, 6.0))
        proc.kill()
        proc.wait(timeout=60)
        count = _claims(db_path)
        assert count in (0, ROWS) or count % ROWS == 0, count
        seen.add(count)
        done = run_installed("--db", str(db_path), "db", "check")
        assert done.returncode == 0, done.stderr
    assert not list(db_path.parent.glob("*.partial-*"))


def test_kill_9_during_schema_upgrade(tmp_path: Path) -> None:
    from factcheck.db import HEAD_REVISION, KNOWN_REVISIONS
    from tests.test_migrations import make_old_file

    template = tmp_path / "template.db"
    make_old_file(template, KNOWN_REVISIONS[0])
    conn = sqlite3.connect(template)
    conn.executemany(
        "INSERT INTO claim (uuid, text, status, created_at, created_by) VALUES (?, ?, 'new', "
        "'2020-01-01 00:00:00.000000', 'old')",
        [(f"u-{i}", f"old claim {i} " + "x" * 200) for i in range(150_000)],
    )
    conn.executemany(
        "INSERT INTO verdict (uuid, claim_id, label_id, reviewer, created_at, created_by) "
        "VALUES (?, ?, 1, 'r', '2020-01-02 00:00:00.000000', 'old')",
        [(f"v-{i}", i) for i in range(1, 50_000)],
    )
    conn.commit()
    conn.close()
    rng = random.Random(3)
    for attempt in range(3):
        path = tmp_path / f"old{attempt}.db"
        path.write_bytes(template.read_bytes())
        proc = _start(path, "review", "--limit", "1")
        time.sleep(rng.uniform(0.2, 2.5))
        proc.kill()
        proc.wait(timeout=60)
        check = sqlite3.connect(path)
        revision = check.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert revision in (KNOWN_REVISIONS[0], HEAD_REVISION)
        tables = [r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert not [t for t in tables if t.startswith("_alembic_tmp")]
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM claim").fetchone()[0] == 150_000
        check.close()
        done = run_installed("--db", str(path), "review", "--limit", "1", "--format", "json")
        assert done.returncode == 0, done.stderr
        for backup in tmp_path.glob(f"old{attempt}.before-upgrade-*.db"):
            copy = sqlite3.connect(backup)
            assert copy.execute("SELECT count(*) FROM claim").fetchone()[0] == 150_000
            copy.close()


def _limited(max_bytes: int):  # type: ignore[no-untyped-def]
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return limit


def test_disk_full_during_import_changes_nothing(db_path: Path, big_csv: Path) -> None:
    before = db_path.read_bytes()
    done = subprocess.run(
        [factcheck_exe(), "--db", str(db_path), "import", str(big_csv)],
        capture_output=True,
        text=True,
        preexec_fn=_limited(db_path.stat().st_size + 200_000),
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Error: ") and "full" in done.stderr
    assert "Traceback" not in done.stderr
    assert _claims(db_path) == 0
    assert db_path.read_bytes()[:100] == before[:100]  # same header: same schema, same counter


def test_disk_full_during_export_leaves_no_partial_file(
    db_path: Path, big_csv: Path, tmp_path: Path
) -> None:
    assert run_installed("--db", str(db_path), "import", str(big_csv)).returncode == 0
    target = tmp_path / "out" / "claims.csv"
    target.parent.mkdir()
    done = subprocess.run(
        [factcheck_exe(), "--db", str(db_path), "export", "csv", "-o", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=_limited(1_000_000),
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Error: ") and "full" in done.stderr
    assert list(target.parent.iterdir()) == []


def test_write_that_cannot_get_the_lock_says_so_and_changes_nothing(db_path: Path) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done = run_installed(
            "--db", str(db_path), "claim", "add", "blocked", env={"FACTCHECK_BUSY_TIMEOUT": "0.5"}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ") and "busy" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert _claims(db_path) == 0


def test_reader_never_fails_during_a_long_import(db_path: Path, big_csv: Path) -> None:
    proc = _start(db_path, "import", str(big_csv))
    failures = []
    reads = 0
    while proc.poll() is None:
        done = run_installed("--db", str(db_path), "review", "--limit", "3", "--sort", "id")
        reads += 1
        if done.returncode != 0:
            failures.append(done.stderr)
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert reads >= 1 and not failures, failures
    assert _claims(db_path) == ROWS


def test_two_writers_for_a_while(db_path: Path) -> None:
    """Two processes adding claims and verdicts in a loop: every reported success is stored."""
    seconds = float(os.environ.get("FACTCHECK_SOAK_SECONDS", "30"))
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from factcheck.db import open_database\n"
        "from factcheck.claims import add_claim\n"
        "from factcheck.verdicts import record_verdict\n"
        "db = open_database(Path(sys.argv[1]), write=True, user=sys.argv[2])\n"
        "end = time.time() + float(sys.argv[3])\n"
        "n = 0\n"
        "last = None\n"
        "while time.time() < end:\n"
        "    with db.session() as s:\n"
        "        if last is not None:  # read first, then write: the pattern that deadlocks\n"
        "            record_verdict(s, last, 'false', user=sys.argv[2])\n"
        "        c = add_claim(s, f'{sys.argv[2]} claim {n}', user=sys.argv[2])\n"
        "        record_verdict(s, c.id, 'true', user=sys.argv[2])\n"
        "        uuid, last = c.uuid, c.id\n"
        "    print(uuid, flush=True)\n"
        "    n += 1\n"
    )
    import sys

    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(db_path), name, str(seconds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("w1", "w2")
    ]
    outputs = [p.communicate(timeout=seconds + 120) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err
    reported = {line for out, _err in outputs for line in out.split()}
    conn = sqlite3.connect(db_path)
    stored = {r[0] for r in conn.execute("SELECT uuid FROM claim")}
    verdicts = conn.execute("SELECT count(*) FROM verdict").fetchone()[0]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert reported and reported <= stored
    assert verdicts == 2 * len(stored) - 2  # each claim two verdicts, but each writer's last
