"""The manual workflow of issue 2, end to end through the installed command and in-process."""

from __future__ import annotations

import json
from pathlib import Path

from factcheck.db import HEAD_REVISION
from tests.conftest import assert_error, run_installed


def test_manual_workflow_through_installed_command(tmp_path: Path) -> None:
    db = str(tmp_path / "work.db")

    def fc(*args: str) -> str:
        done = run_installed("--db", db, *args)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout

    assert (
        fc(
            "claim",
            "add",
            "WannaCry affected around 300,000 computer users",
            "--speaker",
            "Brad Smith",
        ).strip()
        == "1"
    )
    assert not (tmp_path / "work.db").with_name("work.db-journal").exists()
    assert (
        fc(
            "source",
            "add",
            "https://blogs.microsoft.com/on-the-issues/2017/05/14/x/",
            "--title",
            "The need for urgent collective action",
            "--publisher",
            "Microsoft",
            "--date",
            "2017-05-14",
        ).strip()
        == "1"
    )
    assert (
        fc(
            "evidence",
            "add",
            "1",
            "--source",
            "1",
            "--stance",
            "supports",
            "--excerpt",
            "around 300,000 computer users",
        ).strip()
        == "1"
    )
    assert (
        fc(
            "evidence", "add", "1", "--url", "https://example.org/report", "--stance", "refutes"
        ).strip()
        == "2"
    )
    assert (
        fc(
            "verdict",
            "add",
            "1",
            "mostly-true",
            "--scale",
            "politifact",
            "--rationale",
            "Microsoft's own figure",
            "--reviewer",
            "A. Checker",
        ).strip()
        == "1"
    )
    assert (
        fc("verdict", "add", "1", "half-true", "--rationale", "correction: estimate").strip() == "2"
    )

    shown = json.loads(fc("claim", "show", "1", "--format", "json"))
    assert shown["status"] == "reviewed"
    assert shown["verdict"] == "half-true"
    assert [v["rating"] for v in shown["verdicts"]] == ["half-true", "mostly-true"]
    assert shown["verdicts"][0]["scale"] == "politifact"  # taken from the claim's last verdict
    assert shown["verdicts"][0]["supersedes"] == [shown["verdicts"][1]["id"]]
    assert [v["current"] for v in shown["verdicts"]] == [True, False]
    assert shown["conflict"] is False
    assert shown["verdicts"][1]["reviewer"] == "A. Checker"
    assert [(e["stance"], e["source_id"]) for e in shown["evidence"]] == [
        ("supports", 1),
        ("refutes", 2),
    ]

    rows = json.loads(fc("review", "--format", "json"))
    assert len(rows) == 1
    row = rows[0]
    for key in (
        "id",
        "uuid",
        "text",
        "speaker",
        "status",
        "score",
        "source_id",
        "char_start",
        "char_end",
        "verdict",
        "evidence_count",
    ):
        assert key in row
    assert (row["verdict"], row["evidence_count"], row["supports"], row["refutes"]) == (
        "half-true",
        2,
        1,
        1,
    )

    table = fc("review", "--status", "reviewed", "--speaker", "brad smith", "--format", "github")
    assert table.splitlines()[0].startswith("| id")
    assert "Brad Smith" in table and "half-true" in table
    assert "WannaCry affected" in fc("claim", "show", "1")
    assert "pants-on-fire" in fc("scale", "list")
    info = fc("db", "info")
    assert "claim_rows" in info and f"schema_revision       {HEAD_REVISION}" in info
    assert fc("db", "check").strip().endswith(": ok")


def test_review_filters_and_formats(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    for text, speaker in [("Alpha rose 5%", "Ann"), ("Beta fell", "Bob"), ("Gamma is flat", "Ann")]:
        assert run("claim", "add", text, "--speaker", speaker).exit_code == 0
    assert run("verdict", "add", "2", "false").exit_code == 0
    ids = lambda *a: [r["id"] for r in json.loads(run("review", "--format", "json", *a).stdout)]  # noqa: E731
    assert ids("--speaker", "ann", "--sort", "id") == [1, 3]
    assert ids("--verdict", "false") == [2]
    assert ids("--verdict", "none", "--sort", "id") == [1, 3]
    assert ids("--status", "new", "--sort", "oldest") == [1, 3]
    assert ids("--contains", "ETA") == [2]
    assert ids("--contains", "5%") == [1]
    assert ids("--sort", "id", "--limit", "2") == [1, 2]
    lines = run("review", "--format", "jsonl").stdout.strip().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["uuid"] for line in lines)
    csv_out = run("review", "--format", "csv", "--sort", "id").stdout.splitlines()
    assert csv_out[0].startswith("id,uuid,text,speaker,status,verdict")
    assert csv_out[1].startswith("1,")


def test_empty_review_says_how_to_start(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("review")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "factcheck claim add" in result.stderr


def test_status_workflow(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("claim", "add", "Something checkable")
    assert run("claim", "status", "1", "researching").exit_code == 0
    assert_error(run("claim", "status", "1", "published"), "has no verdict")
    run("verdict", "add", "1", "true")
    assert run("claim", "status", "1", "published").exit_code == 0
    assert_error(run("claim", "status", "1", "finished"), "unknown status")


def test_user_is_recorded_from_as_option(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("--as", "Jane Doe", "claim", "add", "A claim")
    shown = json.loads(run("claim", "show", "1", "--format", "json").stdout)
    assert shown["created_by"] == "Jane Doe"
    run("claim", "add", "Another")
    assert (
        json.loads(run("claim", "show", "2", "--format", "json").stdout)["created_by"] == "tester"
    )


def test_custom_scale_and_settings(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert (
        run(
            "scale",
            "add",
            "desk",
            "--label",
            "Correct",
            "--label",
            "Misleading",
            "--label",
            "Wrong",
        ).exit_code
        == 0
    )
    assert run("settings", "set", "default_scale", "desk").exit_code == 0
    run("claim", "add", "A claim")
    assert run("verdict", "add", "1", "MISLEADING").exit_code == 0
    shown = json.loads(run("claim", "show", "1", "--format", "json").stdout)
    assert (shown["verdicts"][0]["scale"], shown["verdicts"][0]["value"]) == ("desk", 2)
    assert_error(run("scale", "add", "desk", "--label", "A", "--label", "B"), "exists already")
