"""Merging copies of a desk: union by UUID, conflicts visible, nothing lost, order-free."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from factcheck.merge import snapshot_from_connection
from tests.conftest import assert_error, dump, file_digest


def content(path: Path) -> dict[str, list]:  # type: ignore[type-arg]
    """What a desk holds, independent of integer ids and row order."""
    conn = sqlite3.connect(path)
    try:
        snap = snapshot_from_connection(conn)
    finally:
        conn.close()
    return {t: sorted(json.dumps(r, sort_keys=True) for r in rows) for t, rows in snap.items()}


@pytest.fixture
def copies(db_path: Path, run, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A desk with two claims, handed over to two colleagues with `db backup`."""
    run("claim", "add", "The attack cost billions", "--speaker", "Tom Bossert")
    run("claim", "add", "WannaCry hit 300,000 computers", "--speaker", "Brad Smith")
    run("source", "add", "https://example.org/base", "--title", "Base source")
    a, b = tmp_path / "ann.db", tmp_path / "bob.db"
    run("db", "backup", str(a))
    run("db", "backup", str(b))
    return a, b


def fc(run, path: Path, *args: str):  # type: ignore[no-untyped-def]
    result = run("--db", str(path), *args)
    assert result.exit_code == 0, result.stderr
    return result


def test_disjoint_work_is_united_and_ids_are_remapped(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, a, "--as", "ann", "claim", "add", "Ann's claim")
    fc(run, b, "--as", "bob", "claim", "add", "Bob's claim")
    fc(run, b, "--as", "bob", "source", "add", "https://example.org/bob")
    fc(run, b, "--as", "bob", "evidence", "add", "3", "--source", "2", "--stance", "refutes")
    result = fc(run, a, "merge", str(b))
    assert "claim" in result.stdout and "evidence" in result.stdout
    rows = json.loads(fc(run, a, "review", "--format", "json", "--sort", "id").stdout)
    assert [r["text"] for r in rows][-2:] == ["Ann's claim", "Bob's claim"]
    bob = json.loads(fc(run, a, "claim", "show", "4", "--format", "json").stdout)
    assert bob["text"] == "Bob's claim" and bob["created_by"] == "bob"
    assert bob["evidence"][0]["source_url"] == "https://example.org/bob"


def test_rival_verdicts_are_a_conflict_until_a_new_verdict_resolves_it(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, a, "--as", "ann", "verdict", "add", "1", "true", "--rationale", "ann says")
    fc(run, b, "--as", "bob", "verdict", "add", "1", "false", "--rationale", "bob says")
    merged = fc(run, a, "merge", str(b))
    assert "conflict: claim 1" in merged.stderr
    row = json.loads(fc(run, a, "review", "--format", "json", "--sort", "id").stdout)[0]
    assert row["conflict"] is True
    assert "CONFLICT" in fc(run, a, "review", "--sort", "id").stdout
    shown = json.loads(fc(run, a, "claim", "show", "1", "--format", "json").stdout)
    assert shown["conflict"] is True
    assert sorted((v["rating"], v["reviewer"], v["current"]) for v in shown["verdicts"]) == [
        ("false", "bob", True),
        ("true", "ann", True),
    ]
    assert "Conflict" in fc(run, a, "claim", "show", "1").stdout
    fc(run, a, "verdict", "add", "1", "mostly-true", "--rationale", "both partly right")
    shown = json.loads(fc(run, a, "claim", "show", "1", "--format", "json").stdout)
    assert shown["conflict"] is False and shown["verdict"] == "mostly-true"
    assert len(shown["verdicts"][0]["supersedes"]) == 2


def test_evidence_added_on_both_sides_is_kept(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, a, "evidence", "add", "1", "--source", "1", "--stance", "supports", "--excerpt", "ann")
    fc(run, b, "evidence", "add", "1", "--source", "1", "--stance", "refutes", "--excerpt", "bob")
    fc(run, a, "merge", str(b))
    shown = json.loads(fc(run, a, "claim", "show", "1", "--format", "json").stdout)
    assert sorted(e["excerpt"] for e in shown["evidence"]) == ["ann", "bob"]


def test_claim_edited_on_both_sides_keeps_newest_and_names_the_loser(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, a, "--as", "ann", "claim", "edit", "1", "--speaker", "Thomas Bossert")
    fc(run, b, "--as", "bob", "claim", "edit", "1", "--speaker", "T. Bossert")  # later: wins
    merged = fc(run, a, "merge", str(b))
    assert "edited on both sides: speaker" in merged.stderr and "Thomas Bossert" in merged.stderr
    shown = json.loads(fc(run, a, "claim", "show", "1", "--format", "json").stdout)
    assert shown["speaker"] == "T. Bossert"
    assert sorted(h["new"] for h in shown["history"]) == ["T. Bossert", "Thomas Bossert"]
    fc(run, b, "merge", str(a))
    assert content(a) == content(b)


def test_merge_is_idempotent_and_order_free(copies, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, a, "--as", "ann", "claim", "add", "Ann's claim")
    fc(run, a, "--as", "ann", "claim", "status", "1", "researching")
    fc(run, b, "--as", "bob", "verdict", "add", "2", "false")
    fc(run, b, "--as", "bob", "claim", "edit", "2", "--summary", "300k computers hit")
    a2, b2 = tmp_path / "a2.db", tmp_path / "b2.db"
    shutil.copyfile(a, a2)
    shutil.copyfile(b, b2)
    fc(run, a, "merge", str(b))
    before = dump(a)
    again = fc(run, a, "merge", str(b))
    assert "nothing new" in again.stderr
    assert dump(a) == before
    fc(run, b2, "merge", str(a2))
    assert content(a) == content(b2)


def test_dry_run_reports_and_changes_nothing(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, b, "claim", "add", "New on Bob's side")
    before = dump(a)
    result = fc(run, a, "merge", str(b), "--dry-run", "--format", "json")
    report = json.loads(result.stdout)
    assert report["dry_run"] is True and report["added"]["claim"] == 1
    assert dump(a) == before


def test_the_other_file_is_only_read(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, b, "claim", "add", "x")
    digest = file_digest(b)
    fc(run, a, "merge", str(b))
    assert file_digest(b) == digest


def rewrite_verdicts(path: Path, *more: str) -> None:
    """Rewrite every verdict's rationale behind factcheck's back (and run `more` SQL), with the
    append-only guard put back exactly as it was."""
    from factcheck.sqlite import append_only_guard_sql

    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER verdict_append_only_update")
    conn.execute("UPDATE verdict SET rationale = 'rewritten history'")
    for statement in more:
        conn.execute(statement)
    conn.execute(append_only_guard_sql("verdict")[0])
    conn.commit()
    conn.close()


def test_tampered_verdict_is_refused_and_nothing_merged(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, a, "verdict", "add", "1", "true", "--rationale", "original")
    fc(run, b, "merge", str(a))
    fc(run, b, "claim", "add", "innocent new claim")
    rewrite_verdicts(b)
    before = dump(a)
    assert_error(run("--db", str(a), "merge", str(b)), "different rationale")
    assert dump(a) == before


def test_files_with_extra_triggers_or_views_are_refused(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    conn = sqlite3.connect(b)
    conn.execute("CREATE VIEW sneaky AS SELECT * FROM claim")
    conn.commit()
    conn.close()
    before = dump(a)
    assert_error(run("--db", str(a), "merge", str(b)), "sneaky")
    assert dump(a) == before


@pytest.mark.parametrize(
    "payload,message",
    [
        (b"not json at all", "json"),
        (b'{"format": "something-else"}', "not a factcheck desk export"),
        (b"[" * 100000, "not valid JSON at line 1, column 1 (expected a JSON object"),
        (b'{"format": "factcheck-desk", "claim": ' + b"[" * 100000, "deep"),
        (b'{"format": "factcheck-desk", "version": 1, "x": 1, "x": 2}', "twice"),
        (b'{"claim": [{"text": NaN}]}', "NaN"),
    ],
)
def test_hostile_json_is_refused(copies, run, tmp_path: Path, payload: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    a, _b = copies
    bad = tmp_path / "bad.json"
    bad.write_bytes(payload)
    before = dump(a)
    assert_error(run("--db", str(a), "merge", str(bad)), message)
    assert dump(a) == before


def test_foreign_and_missing_files_are_refused(copies, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b = copies
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = dump(a)
    assert_error(run("--db", str(a), "merge", str(other)), "another application")
    assert_error(run("--db", str(a), "merge", str(tmp_path / "none.db")), "no file at")
    assert_error(run("--db", str(a), "merge", str(a)), "own file")
    assert dump(a) == before


def test_json_export_merges_like_the_file(copies, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, b, "claim", "add", "From Bob")
    fc(run, b, "verdict", "add", "3", "half-true", "--rationale", "r")
    fc(run, b, "claim", "edit", "1", "--summary", "Billions in cost")
    export = tmp_path / "bob.json"
    fc(run, b, "export", "json", "-o", str(export))
    data = json.loads(export.read_text())
    assert data["format"] == "factcheck-desk" and len(data["claim"]) == 3
    a2 = tmp_path / "a2.db"
    shutil.copyfile(a, a2)
    fc(run, a, "merge", str(export))
    fc(run, a2, "merge", str(b))
    assert content(a) == content(a2)


def test_older_schema_copy_merges_without_being_upgraded(
    db_path: Path, run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.test_migrations import make_old_file

    old = tmp_path / "old.db"
    make_old_file(old, "0002")
    conn = sqlite3.connect(old)
    conn.execute(
        "INSERT INTO claim (uuid, text, status, created_at, created_by) VALUES "
        "('0dd0c1a1-0000-4000-8000-000000000001', 'From an old copy', 'new', '2020-01-01 00:00:00.000000', 'old')"
    )
    conn.commit()
    conn.close()
    digest = file_digest(old)
    run("claim", "add", "mine")
    fc(run, db_path, "merge", str(old))
    assert file_digest(old) == digest
    texts = [r["text"] for r in json.loads(fc(run, db_path, "review", "--format", "json").stdout)]
    assert "From an old copy" in texts


def test_a_scale_whose_name_we_use_comes_in_renamed(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, a, "scale", "add", "desk", "--label", "right", "--label", "wrong")
    fc(run, b, "scale", "add", "desk", "--label", "yes", "--label", "no")
    fc(run, b, "verdict", "add", "1", "yes", "--scale", "desk")
    uuid = next(s for s in content(b)["rating_scale"] if '"name": "desk"' in s)
    new_name = "desk-" + json.loads(uuid)["uuid"][:8]
    report = json.loads(fc(run, a, "merge", str(b), "--format", "json").stdout)
    assert report["renamed_scales"] == [f"desk -> {new_name}"]
    assert report["added"]["rating_scale"] == 1 and report["added"]["rating_label"] == 2
    labels = json.loads(fc(run, a, "scale", "list", "--format", "json").stdout)
    assert sorted(r["rating"] for r in labels if r["scale"] in ("desk", new_name)) == [
        "no",
        "right",
        "wrong",
        "yes",
    ]
    shown = json.loads(fc(run, a, "claim", "show", "1", "--format", "json").stdout)
    assert shown["verdicts"][0]["rating"] == "yes"
    again = json.loads(fc(run, a, "merge", str(b), "--format", "json").stdout)
    assert again["renamed_scales"] == [] and not any(again["added"].values())


def test_a_row_pointing_at_a_row_in_neither_file_is_refused(copies, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, b, "evidence", "add", "1", "--source", "1", "--stance", "refutes")
    export = tmp_path / "bob.json"
    fc(run, b, "export", "json", "-o", str(export))
    data = json.loads(export.read_text())
    data["evidence"][0]["claim_uuid"] = "0dd0c1a1-0000-4000-8000-00000000dead"
    export.write_text(json.dumps(data))
    before = dump(a)
    assert_error(
        run("--db", str(a), "merge", str(export)),
        "points at claim 0dd0c1a1-0000-4000-8000-00000000dead, which is in neither file",
    )
    assert dump(a) == before


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_refusals_come_in_their_order_with_nothing_written_in_either_journal_mode(  # type: ignore[no-untyped-def]
    copies, run, journal: str
) -> None:
    """On a WAL desk merge checks the incoming rows on a reader of its own while the rows go
    in; in other journal modes it checks first. Either way a bad value is refused before a
    changed immutable column, as always, and nothing is written."""
    a, b = copies
    conn = sqlite3.connect(a)  # as FACTCHECK_JOURNAL_MODE=delete makes a desk on a share
    conn.execute(f"PRAGMA journal_mode = {journal}")  # safe: a test's constant
    conn.close()
    fc(run, a, "verdict", "add", "1", "true", "--rationale", "original")
    fc(run, b, "merge", str(a))
    for n in range(30):
        fc(run, b, "claim", "add", f"new claim {n}")
    rewrite_verdicts(
        b, "UPDATE claim SET speaker = 'x' || char(0) || 'y' WHERE text = 'new claim 29'"
    )
    before = dump(a)
    assert_error(run("--db", str(a), "merge", str(b)), "speaker contains a NUL byte")
    assert dump(a) == before
    conn = sqlite3.connect(b)
    conn.execute("UPDATE claim SET speaker = NULL WHERE text = 'new claim 29'")
    conn.commit()
    conn.close()
    assert_error(run("--db", str(a), "merge", str(b)), "different rationale")
    assert dump(a) == before
    conn = sqlite3.connect(a)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == journal
    conn.close()


def test_an_interrupted_merge_stops_its_checks_and_writes_nothing(  # type: ignore[no-untyped-def]
    copies, run, monkeypatch
) -> None:
    """Ctrl-C while the rows go in: the checks' reader is stopped and waited for (left
    running, it would outlive the merge and keep the desk's -wal file beside it)."""
    import threading

    from factcheck import merge

    a, b = copies
    fc(run, b, "claim", "add", "a claim of Bob's")

    def endless(self) -> None:  # type: ignore[no-untyped-def]  # a check only a stop ends
        endless_sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        self.raw.execute(endless_sql + "SELECT count(*) FROM n").fetchone()

    def interrupted(self, spec) -> None:  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(merge._SqlMerge, "check_all", endless)
    monkeypatch.setattr(merge._SqlMerge, "insert", interrupted)
    before = dump(a)
    result = run("--db", str(a), "merge", str(b))
    assert result.exit_code != 0
    assert not [t for t in threading.enumerate() if t.name == "merge-checks"]
    assert dump(a) == before


def test_a_db_whose_integer_references_dangle_is_refused(copies, run) -> None:  # type: ignore[no-untyped-def]
    """A claim of the other file pointing at source 99, which the file lacks, would otherwise
    arrive as a claim with no source (a nullable reference)."""
    a, b = copies
    conn = sqlite3.connect(b)  # foreign keys are off on a plain connection, as in a tool
    conn.execute(
        "INSERT INTO claim (uuid, text, source_id, status, created_at, created_by) "
        "VALUES ('0f8fad5b-d9cb-469f-a165-70867728950e', 'A claim', 99, 'new', "
        "'2026-11-26 13:01:04.101207', 'bob')"
    )
    conn.commit()
    conn.close()
    before = dump(a)
    assert_error(
        run("--db", str(a), "merge", str(b)),
        "is damaged (claim row 3 points at a missing source)",
    )
    assert dump(a) == before


def test_the_same_edit_on_both_sides_is_not_a_conflict(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, a, "--as", "ann", "claim", "edit", "1", "--speaker", "Thomas P. Bossert")
    fc(run, b, "--as", "bob", "claim", "edit", "1", "--speaker", "Thomas P. Bossert")
    fc(run, b, "--as", "bob", "settings", "set", "org_name", "Bob's desk")
    merged = fc(run, a, "merge", str(b))
    assert "edited on both sides" not in merged.stderr
    shown = json.loads(fc(run, a, "claim", "show", "1", "--format", "json").stdout)
    assert shown["speaker"] == "Thomas P. Bossert" and len(shown["history"]) == 2
    settings = {
        s["key"]: s for s in json.loads(fc(run, a, "settings", "show", "--format", "json").stdout)
    }
    assert settings["org_name"]["value"] == "Bob's desk"
    assert settings["org_name"]["updated_by"] == "bob"


def test_text_that_is_not_utf8_is_refused_not_replaced(copies, run) -> None:  # type: ignore[no-untyped-def]
    a, b = copies
    fc(run, b, "claim", "add", "A claim with a bad speaker")
    conn = sqlite3.connect(b)
    conn.execute("UPDATE claim SET speaker = CAST(x'4361666520e9' AS TEXT) WHERE id = 3")
    conn.commit()
    conn.close()
    before = dump(a)
    assert_error(run("--db", str(a), "merge", str(b)), "not valid UTF-8")
    assert dump(a) == before


@pytest.mark.parametrize(
    ("uuid", "created_at", "message"),
    [
        (
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            "2026-11-26 13:01:04.101207",
            "claim row 1: uuid '0F8FAD5B-D9CB-469F-A165-70867728950E' is not in the form",
        ),
        (
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "２０２６-11-26 13:01:04",  # full-width digits: a form SQLite would sort wrongly
            "claim row 3: created_at must look like 2026-11-26 13:01:04.101207",
        ),
        (
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "2026-11-26T13:01:04",
            "claim row 1: created_at must look like",
        ),
    ],
)
def test_ids_and_times_not_in_the_stored_form_are_refused(  # type: ignore[no-untyped-def]
    copies, run, uuid: str, created_at: str, message: str
) -> None:
    """UUIDs and times are checked in SQL (merge speed); the refusal still names the row."""
    a, b = copies
    conn = sqlite3.connect(b)
    conn.execute(
        "INSERT INTO claim (uuid, text, status, created_at, created_by) "
        "VALUES (?, 'A claim', 'new', ?, 'bob')",
        (uuid, created_at),
    )
    conn.commit()
    conn.close()
    before = dump(a)
    assert_error(run("--db", str(a), "merge", str(b)), message)
    assert dump(a) == before
