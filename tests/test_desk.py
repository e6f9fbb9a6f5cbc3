"""The desk's week: assignment, notes, tags, several claims at once, withdrawn evidence; each
through the CLI on a real file, and each surviving a merge of two copies."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_installed
from tests.test_merge import content


def ok(run, *args: str):  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def show(run, claim_id: int, *db: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return json.loads(ok(run, *db, "claim", "show", str(claim_id), "--format", "json").stdout)


def refused(run, *args: str, message: str, code: int = 1) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def desk(db_path: Path, run):  # type: ignore[no-untyped-def]
    for text in ("Vaccines cause autism", "Taxes doubled", "Crime fell by half"):
        ok(run, "claim", "add", text)
    return db_path


def test_assign_sets_who_when_and_how_urgent_with_history(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    ok(run, "claim", "assign", "1", "A. Checker", "--due", "4 December 2026", "--priority", "high")
    ok(run, "--as", "Sam", "claim", "assign", "1", "me")
    detail = show(run, 1)
    assert (detail["assignee"], detail["due_date"], detail["priority"]) == (
        "Sam",
        "2026-12-04",
        "high",
    )
    edits = [(h["field"], h["old"], h["new"], h["created_by"]) for h in detail["history"]]
    assert ("assignee", "A. Checker", "Sam", "Sam") in edits
    assert ("assignee", None, "A. Checker", "tester") in edits
    assert ("due_date", None, "2026-12-04", "tester") in edits
    ok(run, "claim", "assign", "1", "--unassign", "--no-due")
    detail = show(run, 1)
    assert (detail["assignee"], detail["due_date"], detail["priority"]) == (None, None, "high")


def test_assign_refuses_bad_values_and_changes_nothing(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    before = content(desk)
    refused(run, "claim", "assign", "1", "X", "--due", "03/04/2026", message="without guessing")
    refused(run, "claim", "assign", "1", "X", "--priority", "asap", message="asap", code=2)
    refused(run, "claim", "assign", "9", "X", message="no claim with id 9")
    refused(run, "claim", "assign", "1", message="nothing to change")
    refused(run, "claim", "assign", "1", "X" * 201, message="assignee")
    assert content(desk) == before


def test_notes_are_a_thread_shown_with_the_claim(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    ok(run, "claim", "note", "1", "Called the ministry; waiting for the dataset")
    ok(run, "--as", "Sam", "claim", "note", "1", "Dataset arrived\x1b[31m")
    notes = show(run, 1)["notes"]
    assert [(n["created_by"], n["text"]) for n in notes] == [
        ("tester", "Called the ministry; waiting for the dataset"),
        ("Sam", "Dataset arrived\x1b[31m"),
    ]
    plain = ok(run, "claim", "show", "1").stdout
    assert "Notes (ours, oldest first):" in plain
    assert "tester at " in plain and ": Called the ministry; waiting for the dataset" in plain
    assert "\x1b" not in plain  # a note reaching the terminal is escaped
    refused(run, "claim", "note", "1", "   ", message="the note is empty")
    refused(run, "claim", "note", "7", "x", message="no claim with id 7")
    conn = sqlite3.connect(desk)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE note SET text = 'rewritten'")
    conn.close()


def test_tags_are_normalised_added_and_removed(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    ok(run, "claim", "tag", "1", "Health", " vaccines ", "Public  Health")
    assert show(run, 1)["tags"] == ["health", "public-health", "vaccines"]
    ok(run, "claim", "tag", "1", "VACCINES", "--remove")
    assert show(run, 1)["tags"] == ["health", "public-health"]
    result = ok(run, "claim", "tag", "1", "health")
    assert "already has these tags" in result.stderr
    ok(run, "claim", "tag", "1", "vaccines")  # put back after a removal
    assert show(run, 1)["tags"] == ["health", "public-health", "vaccines"]
    assert show(run, 2)["tags"] == []
    refused(run, "claim", "tag", "1", "a<b", message="letters, digits")
    refused(run, "claim", "tag", "1", "  ", message="tag is empty")
    conn = sqlite3.connect(desk)
    events = conn.execute("SELECT tag, removed FROM claim_tag ORDER BY id").fetchall()
    conn.close()
    assert events == [
        ("health", 0),
        ("vaccines", 0),
        ("public-health", 0),
        ("vaccines", 1),
        ("vaccines", 0),
    ]


def test_status_of_several_claims_is_all_or_nothing(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    ok(run, "claim", "status", "1", "2", "dismissed")
    assert [show(run, i)["status"] for i in (1, 2, 3)] == ["dismissed", "dismissed", "new"]
    before = content(desk)
    refused(run, "claim", "status", "2", "3", "99", "researching", message="no claim with id 99")
    # claim 3 has no verdict, so it cannot be reviewed: claim 2 does not move either
    ok(run, "verdict", "add", "2", "false", "--scale", "politifact")
    before = content(desk)
    refused(run, "claim", "status", "2", "3", "reviewed", message="claim 3 has no verdict")
    assert content(desk) == before
    refused(run, "claim", "status", "1", "x", "new", message="'x' is not a claim id", code=2)
    refused(run, "claim", "status", "new", message="give claim ids or --source", code=2)
    refused(run, "claim", "status", "1", "bogus", message="bogus")
    assert content(desk) == before


def test_status_of_a_whole_source(db_path: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "article.txt"
    article.write_text(
        "Headline\n\nThe minister said taxes doubled in 2020. Officials say crime fell by half "
        "last year, according to the police.\n"
    )
    ok(run, "claim", "add", "Unrelated claim")
    ok(run, "import", str(article), "--all")
    ok(run, "claim", "status", "--source", "1", "dismissed")
    rows = json.loads(ok(run, "review", "--all", "--format", "json").stdout)
    from_source = [r["status"] for r in rows if r["source_id"] == 1]
    assert from_source and set(from_source) == {"dismissed"}
    assert [r["status"] for r in rows if r["source_id"] is None] == ["new"]
    refused(run, "claim", "status", "--source", "5", "dismissed", message="no source with id 5")
    refused(run, "claim", "status", "1", "--source", "1", "new", message="not both", code=2)


def test_withdrawn_evidence_stays_marked_and_no_longer_counts(desk: Path, run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ok(run, "source", "add", "https://example.org/study", "--title", "A study")
    ok(run, "evidence", "add", "1", "--source", "1", "--stance", "refutes", "--note", "Kept")
    ok(run, "evidence", "add", "1", "--source", "1", "--stance", "supports", "--note", "Gone")
    ok(run, "--as", "Sam", "evidence", "withdraw", "2", "--reason", "wrong study")
    evidence = show(run, 1)["evidence"]
    assert [e["withdrawn"] is None for e in evidence] == [True, False]
    assert evidence[1]["withdrawn"]["reason"] == "wrong study"
    assert evidence[1]["withdrawn"]["withdrawn_by"] == "Sam"
    plain = ok(run, "claim", "show", "1").stdout
    assert "[2] WITHDRAWN supports" in plain and "withdrawn by Sam at " in plain
    refused(run, "evidence", "withdraw", "2", "--reason", "again", message="already withdrawn")
    refused(run, "evidence", "withdraw", "1", "--reason", " ", message="reason is empty")
    refused(run, "evidence", "withdraw", "8", "--reason", "x", message="no evidence with id 8")
    refused(run, "evidence", "withdraw", "1", message="--reason", code=2)
    rows = json.loads(ok(run, "review", "--format", "json").stdout)
    counted = next(r for r in rows if r["id"] == 1)
    assert (counted["evidence_count"], counted["supports"], counted["refutes"]) == (1, 0, 1)
    report = tmp_path / "report.md"
    ok(run, "export", "markdown", "-o", str(report))
    text = report.read_text()
    assert "Kept" in text and "Gone" not in text


def test_markdown_report_carries_notes_as_ours_and_tags(desk: Path, run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ok(run, "claim", "note", "1", "> not a quote *really*")
    ok(run, "claim", "tag", "1", "health")
    report = tmp_path / "report.md"
    ok(run, "export", "markdown", "-o", str(report))
    text = report.read_text()
    assert "### Our notes" in text
    line = next(x for x in text.splitlines() if "not a quote" in x)
    assert line.startswith("- *tester, ") and line.endswith(r"\> not a quote \*really\*")
    assert "- **Tags:** health" in text


@pytest.fixture
def two_desks(desk: Path, run, tmp_path: Path):  # type: ignore[no-untyped-def]
    ok(run, "source", "add", "https://example.org/study")
    ok(run, "evidence", "add", "1", "--source", "1", "--stance", "supports")
    ok(run, "claim", "tag", "1", "health", "old")
    a, b = tmp_path / "ann.db", tmp_path / "bob.db"
    ok(run, "db", "backup", str(a))
    ok(run, "db", "backup", str(b))
    return a, b


@pytest.mark.parametrize("route", ["db", "json"])
def test_two_desks_merge_without_losing_either_sides_work(  # type: ignore[no-untyped-def]
    two_desks, run, tmp_path: Path, route: str
) -> None:
    a, b = two_desks
    ok(run, "--db", str(a), "--as", "Ann", "claim", "assign", "1", "Ann", "--priority", "low")
    ok(run, "--db", str(a), "--as", "Ann", "claim", "tag", "1", "vaccines")
    ok(run, "--db", str(a), "--as", "Ann", "claim", "tag", "1", "old", "--remove")
    ok(run, "--db", str(a), "--as", "Ann", "claim", "note", "1", "Ann's note")
    ok(run, "--db", str(b), "--as", "Bob", "claim", "assign", "1", "Bob", "--due", "2026-12-04")
    ok(run, "--db", str(b), "--as", "Bob", "claim", "tag", "1", "politics")
    ok(run, "--db", str(b), "--as", "Bob", "claim", "note", "1", "Bob's note")
    ok(run, "--db", str(b), "--as", "Bob", "evidence", "withdraw", "1", "--reason", "retracted")
    other = b
    if route == "json":
        other = tmp_path / "bob.json"
        ok(run, "--db", str(b), "export", "json", "-o", str(other))
    merged = ok(run, "--db", str(a), "merge", str(other))
    detail = show(run, 1, "--db", str(a))
    assert detail["tags"] == ["health", "politics", "vaccines"]
    assert [n["text"] for n in detail["notes"]] == ["Ann's note", "Bob's note"]
    assert detail["assignee"] == "Bob"  # the newest edit wins ...
    assert "assignee of claim 1" in merged.stderr and "Ann" in merged.stderr  # ... the loser named
    assert (detail["priority"], detail["due_date"]) == ("low", "2026-12-04")  # one side each
    assert detail["evidence"][0]["withdrawn"]["reason"] == "retracted"
    # The other order gives the same desk, and merging again adds nothing.
    ok(run, "--db", str(b), "merge", str(tmp_path / "ann.db"))
    assert content(a) == content(b)
    again = content(a)
    ok(run, "--db", str(a), "merge", str(b))
    assert content(a) == again


def test_the_installed_command_runs_the_desk_commands(tmp_path: Path) -> None:
    env = {"FACTCHECK_DB": str(tmp_path / "d.db"), "FACTCHECK_USER": "Ann"}
    for argv in (
        ("claim", "add", "Taxes doubled"),
        ("claim", "assign", "1", "me", "--due", "2026-12-04", "--priority", "urgent"),
        ("claim", "note", "1", "Asked the treasury"),
        ("claim", "tag", "1", "economy"),
        ("claim", "status", "1", "researching"),
    ):
        done = run_installed(*argv, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
    done = run_installed("claim", "show", "1", "--format", "json", cwd=tmp_path, env=env)
    detail = json.loads(done.stdout)
    assert (detail["assignee"], detail["priority"], detail["tags"], detail["status"]) == (
        "Ann",
        "urgent",
        ["economy"],
        "researching",
    )
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)


def ids(run, *args: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [r["id"] for r in json.loads(ok(run, "review", *args, "--format", "json").stdout)]


def test_review_is_a_queue_by_assignee_due_date_and_priority(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    ok(run, "claim", "add", "Wages rose")
    ok(run, "claim", "add", "Rents fell")
    ok(run, "claim", "assign", "1", "tester", "--due", "2026-12-04")
    ok(run, "claim", "assign", "2", "Sam", "--due", "2026-12-10", "--priority", "high")
    ok(run, "claim", "assign", "3", "--priority", "urgent")
    ok(run, "claim", "assign", "4", "--priority", "low")
    ok(run, "claim", "status", "5", "dismissed")
    assert ids(run, "--assignee", "me", "--due-before", "2026-12-05") == [1]
    as_sam = ok(run, "--as", "Sam", "review", "--assignee", "me", "--format", "json").stdout
    assert [r["id"] for r in json.loads(as_sam)] == [2]
    assert ids(run, "--assignee", "SAM") == [2]
    assert ids(run, "--due-before", "2026-12-11", "--sort", "id") == [1, 2]
    assert ids(run, "--unassigned", "--sort", "priority") == [3, 4]
    assert ids(run, "--sort", "priority") == [3, 2, 1, 4]
    assert ids(run, "--sort", "due") == [1, 2, 3, 4]
    assert ids(run, "--status", "dismissed") == [5]
    assert sorted(ids(run, "--all")) == [1, 2, 3, 4, 5]
    row = json.loads(ok(run, "review", "--assignee", "sam", "--format", "json").stdout)[0]
    assert {k: row[k] for k in ("assignee", "due_date", "priority", "tags")} == {
        "assignee": "Sam",
        "due_date": "2026-12-10",
        "priority": "high",
        "tags": [],
    }
    header = ok(run, "review", "--format", "csv").stdout.splitlines()[0].split(",")
    assert {"assignee", "due_date", "priority", "tags", "source_title"} <= set(header)
    refused(run, "review", "--assignee", "Sam", "--unassigned", message="not both", code=2)
    refused(run, "review", "--due-before", "next week", message="without guessing")
    refused(run, "review", "--sort", "urgency", message="urgency")


def test_review_by_tag_and_date(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timezone

    ok(run, "claim", "edit", "1", "--date", "2025-10-15")
    ok(run, "claim", "edit", "2", "--date", "2025-11")
    for claim_id in ("1", "2", "3"):
        ok(run, "claim", "tag", claim_id, "health")
    ok(run, "claim", "tag", "1", "vaccines")
    assert ids(run, "--tag", "Health", "--sort", "id") == [1, 2, 3]
    assert ids(run, "--tag", "health", "--tag", "vaccines") == [1]
    # claim 2 was said in November 2025; claim 3 has no date, so the day it was added counts
    assert ids(run, "--tag", "health", "--since", "2025-11-20", "--sort", "id") == [2, 3]
    assert ids(run, "--until", "2025-11-01", "--sort", "id") == [1, 2]
    today = datetime.now(timezone.utc).date().isoformat()  # times are stored in UTC
    assert ids(run, "--since", today, "--until", today) == [3]
    rows = json.loads(ok(run, "review", "--tag", "vaccines", "--format", "json").stdout)
    assert rows[0]["tags"] == ["health", "vaccines"]
    refused(run, "review", "--tag", "a<b", message="letters, digits")


def test_review_shows_the_article_shortened(db_path: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "article.txt"
    title = "A very long headline about taxes that goes on and on well past any column width"
    article.write_text(f"{title}\n\nThe minister said taxes doubled in 2020, officials say.\n")
    ok(run, "import", str(article), "--all")
    table = ok(run, "review").stdout
    assert "A very long headline" in table and title not in table
    rows = json.loads(ok(run, "review", "--format", "json").stdout)
    assert rows[0]["source_title"] == title
    assert ids(run, "--source", "1") == [r["id"] for r in rows]


def test_weekly_stats_by_checker_and_tag(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta, timezone

    ok(run, "claim", "assign", "1", "Ann")
    ok(run, "claim", "tag", "2", "economy")
    ok(run, "verdict", "add", "1", "false", "--scale", "politifact", "--reviewer", "Ann")
    ok(run, "verdict", "add", "2", "true", "--scale", "politifact", "--reviewer", "Bob")
    today = datetime.now(timezone.utc).date()  # times are stored in UTC
    monday = (today - timedelta(days=today.weekday())).isoformat()
    rows = json.loads(ok(run, "stats", "--by", "checker", "--format", "json").stdout)
    assert rows == [
        {"week": monday, "checker": "(unassigned)", "claims_in": 2, "verdicts_out": 0},
        {"week": monday, "checker": "Ann", "claims_in": 1, "verdicts_out": 1},
        {"week": monday, "checker": "Bob", "claims_in": 0, "verdicts_out": 1},
    ]
    rows = json.loads(ok(run, "stats", "--by", "tag", "--format", "json").stdout)
    assert rows == [
        {"week": monday, "tag": "(no tag)", "claims_in": 2, "verdicts_out": 1},
        {"week": monday, "tag": "economy", "claims_in": 1, "verdicts_out": 1},
    ]
    later = (today + timedelta(days=1)).isoformat()
    assert (
        json.loads(ok(run, "stats", "--by", "tag", "--since", later, "--format", "json").stdout)
        == []
    )
    table = ok(run, "stats", "--by", "checker").stdout
    assert "█" in table and "Ann" in table
    refused(run, "stats", "--since", "2026-01-01", message="add --by", code=2)
    refused(run, "stats", "--by", "checker", "--since", "soon", message="without guessing")


def test_the_claims_sheet_carries_assignment_both_ways(desk: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok(run, "claim", "assign", "2", "Ann", "--due", "2026-12", "--priority", "urgent")
    sheet = tmp_path / "claims.csv"
    ok(run, "export", "csv", "-o", str(sheet))
    other = tmp_path / "other.db"
    ok(run, "--db", str(other), "import", str(sheet))
    rows = json.loads(ok(run, "--db", str(other), "review", "--format", "json").stdout)
    assert [
        (r["text"], r["assignee"], r["due_date"], r["priority"]) for r in rows if r["assignee"]
    ] == [("Taxes doubled", "Ann", "2026-12", "urgent")]
