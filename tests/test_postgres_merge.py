"""`factcheck merge` into a PostgreSQL server: a field copy (`db backup`) or a desk export worked
on offline comes back by UUID, with the report, refusals and content a merge into a desk file
gives. Each test runs the same merge into the server and into a SQLite copy of the server made
just before (`db backup`), through the installed `factcheck` command, and compares them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_factcheck

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _fc(*args: str, db: str | Path) -> Any:
    # `merge` itself runs through the installed command, end to end; the set-up and the reads
    # that compare the two sides run in-process (tests.conftest.run_in_process), which is faster.
    return run_factcheck("--db", str(db), *args, installed=args[0] == "merge")


def _ok(*args: str, db: str | Path) -> str:
    done = _fc(*args, db=db)
    assert done.returncode == 0, (args, done.stderr)
    assert "Traceback" not in done.stderr
    return str(done.stdout)


def _sql(url: str, statement: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def _export(db: str | Path) -> str:
    """The whole desk as `export json` writes it: UUIDs, no integer ids, a stable order."""
    return _ok("export", "json", db=db)


def _by_uuid(export: str) -> dict[str, set[str]]:
    """Every row of an export as its content, per table, order and ids aside."""
    data = json.loads(export)
    return {
        table: {json.dumps(row, sort_keys=True) for row in rows}
        for table, rows in data.items()
        if isinstance(rows, list)
    }


def _merge_both(pg_url: str, tmp_path: Path, other: Path, *options: str) -> Any:
    """Merge `other` into the server and into a SQLite copy of the server made just before;
    the same exit code, stdout and stderr, and afterwards the same content."""
    twin = tmp_path / f"twin-{len(list(tmp_path.glob('twin-*')))}.db"
    _ok("db", "backup", str(twin), db=pg_url)
    on_file = _fc("merge", str(other), *options, db=twin)
    on_server = _fc("merge", str(other), *options, db=pg_url)
    assert "Traceback" not in on_server.stderr, on_server.stderr
    assert (on_server.returncode, on_server.stdout, on_server.stderr) == (
        on_file.returncode,
        on_file.stdout,
        on_file.stderr,
    )
    assert _by_uuid(_export(pg_url)) == _by_uuid(_export(twin))
    return on_server


def _desk_with_work(pg_url: str) -> None:
    _ok("claim", "add", "The attack cost billions", "--speaker", "Tom Bossert", db=pg_url)
    _ok("claim", "add", "WannaCry hit 300,000 computers", "--speaker", "Brad Smith", db=pg_url)
    _ok("source", "add", "https://example.org/base", "--title", "Base source", db=pg_url)
    _ok("verdict", "add", "1", "mostly-true", "--rationale", "first look", db=pg_url)


def test_a_field_copy_worked_on_offline_merges_back_with_nothing_lost(
    pg_url: str, tmp_path: Path
) -> None:
    _desk_with_work(pg_url)
    field = tmp_path / "field-copy.db"
    _ok("db", "backup", str(field), db=pg_url)
    # on the road
    _ok("--as", "sam", "verdict", "add", "1", "false", "--rationale", "sam's call", db=field)
    _ok("--as", "sam", "verdict", "add", "2", "true", "--rationale", "confirmed", db=field)
    _ok(
        "--as",
        "sam",
        "evidence",
        "add",
        "2",
        "--url",
        "https://example.org/sam",
        "--stance",
        "supports",
        db=field,
    )
    _ok("--as", "sam", "claim", "add", "Said at the airport", "--speaker", "Someone", db=field)
    _ok("--as", "sam", "claim", "edit", "1", "--summary", "sam's summary", db=field)
    _ok("--as", "sam", "claim", "status", "2", "researching", db=field)
    # meanwhile, at the desk
    _ok("--as", "ann", "verdict", "add", "1", "true", "--rationale", "ann's call", db=pg_url)
    _ok("--as", "ann", "claim", "edit", "1", "--summary", "ann's summary", db=pg_url)
    _ok("--as", "ann", "claim", "add", "Said in parliament", db=pg_url)
    _ok(
        "--as",
        "ann",
        "evidence",
        "add",
        "1",
        "--source",
        "1",
        "--stance",
        "context",
        "--excerpt",
        "ann",
        db=pg_url,
    )
    server_before, field_before = _by_uuid(_export(pg_url)), _by_uuid(_export(field))

    done = _merge_both(pg_url, tmp_path, field)
    assert done.returncode == 0
    assert "conflict: claim 1 (The attack cost billions) has verdicts that disagree" in (
        done.stderr
    )
    assert "edited on both sides: summary of claim 1" in done.stderr
    added = dict(line.split() for line in done.stdout.splitlines()[1:])
    assert added["claim"] == "1" and added["verdict"] == "2" and added["evidence"] == "1"
    merged = _by_uuid(_export(pg_url))
    for before in (server_before, field_before):
        for table, rows in before.items():
            if table in ("claim", "setting"):  # the edited summary is the newest of the two
                uuids = {json.loads(r)["uuid"] for r in rows if "uuid" in json.loads(r)}
                assert uuids <= {json.loads(r)["uuid"] for r in merged[table]}, table
            else:
                assert rows <= merged[table], table
    # merged twice: nothing new the second time, on the server as on the file
    again = _merge_both(pg_url, tmp_path, field)
    assert "nothing new; this desk already has all of it" in again.stderr
    assert _by_uuid(_export(pg_url)) == merged


def test_a_desk_export_merges_into_a_server_as_into_a_file(pg_url: str, tmp_path: Path) -> None:
    _desk_with_work(pg_url)
    field = tmp_path / "field.db"
    _ok("db", "backup", str(field), db=pg_url)
    _ok("--as", "sam", "claim", "add", "From the road", db=field)
    _ok("--as", "sam", "verdict", "add", "3", "half-true", "--rationale", "r", db=field)
    _ok("--as", "sam", "claim", "tag", "3", "road", db=field)
    _ok("--as", "sam", "scale", "add", "desk", "--label", "yes", "--label", "no", db=field)
    _ok("--as", "ann", "scale", "add", "desk", "--label", "right", "--label", "wrong", db=pg_url)
    export = tmp_path / "desk.json"
    _ok("export", "json", "-o", str(export), db=field)
    dry = _merge_both(pg_url, tmp_path, export, "--dry-run", "--format", "json")
    assert json.loads(dry.stdout)["added"]["claim"] == 1
    done = _merge_both(pg_url, tmp_path, export, "--format", "json")
    report = json.loads(done.stdout)
    assert report["added"]["claim"] == 1 and report["added"]["claim_tag"] == 1
    assert report["renamed_scales"] == [f"desk -> desk-{_scale_uuid(export)[:8]}"]
    assert _by_uuid(_export(field)).keys() == _by_uuid(_export(pg_url)).keys()


def _scale_uuid(export: Path) -> str:
    scales = json.loads(export.read_text())["rating_scale"]
    return str(next(s["uuid"] for s in scales if s["name"] == "desk"))


def _tamper(path: Path, *statements: str) -> None:
    """Change a field copy behind factcheck's back, its append-only guards put back."""
    from factcheck.sqlite import append_only_guard_sql

    conn = sqlite3.connect(path)
    for table in ("verdict", "evidence"):
        conn.execute(f"DROP TRIGGER {table}_append_only_update")  # safe: constants
    for statement in statements:
        conn.execute(statement)
    for table in ("verdict", "evidence"):
        conn.execute(append_only_guard_sql(table)[0])
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (
            ("UPDATE claim SET speaker = 'x' || char(0) || 'y' WHERE text = 'From the road'",),
            "claim row 3: speaker contains a NUL byte; nothing was merged",
        ),
        (("UPDATE claim SET status = 'sort-of' WHERE text = 'From the road'",), "status"),
        (
            ("UPDATE claim SET created_at = '2026-11-26T13:01:04' WHERE text = 'From the road'",),
            "created_at must look like 2026-11-26 13:01:04.101207; nothing was merged",
        ),
        (
            (
                "UPDATE claim SET speaker = CAST(x'4361666520e9' AS TEXT) WHERE text = 'From the road'",
            ),
            "a claim row holds text that is not valid UTF-8; nothing was merged",
        ),
        (("UPDATE verdict SET rationale = 'rewritten history'",), "different rationale"),
        (
            (
                "PRAGMA foreign_keys = OFF",
                "UPDATE evidence SET claim_id = 999",
            ),
            "is damaged",
        ),
    ],
    ids=["nul", "status", "time", "utf8", "immutable", "dangling-id"],
)
def test_a_tampered_field_copy_is_refused_as_on_a_file_and_the_server_is_unchanged(
    pg_url: str, tmp_path: Path, statements: tuple[str, ...], message: str
) -> None:
    _desk_with_work(pg_url)
    _ok("evidence", "add", "1", "--source", "1", "--stance", "refutes", db=pg_url)
    field = tmp_path / "field.db"
    _ok("db", "backup", str(field), db=pg_url)
    _ok("claim", "add", "From the road", db=field)
    _tamper(field, *statements)
    before = _by_uuid(_export(pg_url))
    done = _merge_both(pg_url, tmp_path, field)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    assert _by_uuid(_export(pg_url)) == before


def test_a_reference_to_a_row_in_neither_file_is_refused_on_a_server(
    pg_url: str, tmp_path: Path
) -> None:
    _desk_with_work(pg_url)
    _ok("evidence", "add", "1", "--source", "1", "--stance", "refutes", db=pg_url)
    export = tmp_path / "desk.json"
    _ok("export", "json", "-o", str(export), db=pg_url)
    data = json.loads(export.read_text())
    data["evidence"][0]["claim_uuid"] = "0dd0c1a1-0000-4000-8000-00000000dead"
    data["evidence"][0]["uuid"] = "0dd0c1a1-0000-4000-8000-00000000beef"
    export.write_text(json.dumps(data))
    before = _by_uuid(_export(pg_url))
    done = _merge_both(pg_url, tmp_path, export)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: a evidence row points at claim 0dd0c1a1-0000-4000-8000-00000000dead, which is "
        "in neither file"
    )
    assert _by_uuid(_export(pg_url)) == before


def test_the_append_only_guards_stay_on_through_a_merge(pg_url: str, tmp_path: Path) -> None:
    _desk_with_work(pg_url)
    field = tmp_path / "field.db"
    _ok("db", "backup", str(field), db=pg_url)
    _ok("--as", "sam", "verdict", "add", "2", "false", "--rationale", "merged in", db=field)
    guards = "SELECT tgname, tgenabled FROM pg_trigger WHERE tgname LIKE '%append_only%' ORDER BY 1"
    enabled = _sql(pg_url, guards)
    assert enabled and {state for _name, state in enabled} == {"O"}
    _ok("merge", str(field), db=pg_url)
    assert _sql(pg_url, guards) == enabled
    assert _ok("db", "check", db=pg_url).endswith(": ok\n")
    import psycopg

    for statement in (
        "UPDATE verdict SET rationale = 'rewritten' WHERE rationale = 'merged in'",
        "DELETE FROM verdict WHERE rationale = 'merged in'",
    ):
        with pytest.raises(psycopg.Error, match="append-only"):
            _sql(pg_url, statement)
    assert _sql(pg_url, "SELECT count(*) FROM verdict WHERE rationale = 'merged in'") == [(1,)]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("UPDATE alembic_version SET version_num = '9999'", "newer factcheck"),
        ("CREATE VIEW planted AS SELECT 1", "planted"),
    ],
    ids=["newer", "planted-view"],
)
def test_a_copy_from_a_newer_factcheck_or_altered_is_refused_on_a_server(
    pg_url: str, tmp_path: Path, statement: str, message: str
) -> None:
    _desk_with_work(pg_url)
    field = tmp_path / "field.db"
    _ok("db", "backup", str(field), db=pg_url)
    _ok("claim", "add", "From the road", db=field)
    conn = sqlite3.connect(field)
    conn.execute(statement)
    conn.commit()
    conn.close()
    before = _by_uuid(_export(pg_url))
    done = _merge_both(pg_url, tmp_path, field)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    assert _by_uuid(_export(pg_url)) == before
