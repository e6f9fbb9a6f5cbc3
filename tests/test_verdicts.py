"""Verdicts are append-only, in Python and in the database itself."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import assert_error, dump


@pytest.fixture
def rated(db_path: Path, run) -> Path:  # type: ignore[no-untyped-def]
    run("claim", "add", "The attack cost billions")
    run("source", "add", "https://example.org/a")
    run("evidence", "add", "1", "--source", "1", "--stance", "supports")
    run("verdict", "add", "1", "mostly-true", "--rationale", "first")
    run("verdict", "add", "1", "false", "--rationale", "correction")
    return db_path


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE verdict_supersedes SET superseded_id = 2",
        "DELETE FROM verdict_supersedes",
        "UPDATE evidence SET stance = 'refutes'",
        "DELETE FROM change",
        "UPDATE change SET new_value = '\"x\"'",
        "UPDATE verdict SET rationale = 'rewritten' WHERE id = 1",
        "UPDATE verdict SET label_id = 1",
        "DELETE FROM verdict WHERE id = 1",
        "DELETE FROM verdict",
    ],
)
def test_sql_cannot_change_or_delete_a_verdict(rated: Path, statement: str) -> None:
    before = dump(rated)
    conn = sqlite3.connect(rated)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)
    conn.rollback()
    conn.close()
    assert dump(rated) == before


def test_supersede_must_stay_on_the_same_claim(rated: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("claim", "add", "Another claim")
    conn = sqlite3.connect(rated)
    conn.execute(
        "INSERT INTO verdict (uuid, claim_id, label_id, reviewer, created_at, created_by) "
        "VALUES ('u-1', 2, 1, 'x', '2026-01-01 00:00:00', 'x')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="same claim"):
        conn.execute("INSERT INTO verdict_supersedes (verdict_id, superseded_id) VALUES (3, 1)")
    conn.close()


def test_history_keeps_every_verdict_newest_first(rated: Path, run) -> None:  # type: ignore[no-untyped-def]
    shown = json.loads(run("claim", "show", "1", "--format", "json").stdout)
    assert [(v["rating"], v["rationale"]) for v in shown["verdicts"]] == [
        ("false", "correction"),
        ("mostly-true", "first"),
    ]
    assert shown["verdict"] == "false"
    newest, oldest = shown["verdicts"]
    assert newest["supersedes"] == [oldest["id"]] and oldest["supersedes"] == []
    assert newest["uuid"] != oldest["uuid"]
    rows = json.loads(run("review", "--format", "json").stdout)
    assert rows[0]["verdict"] == "false"


@pytest.mark.parametrize(
    "spelling", ["pants-on-fire", "Pants on Fire", "PANTS_ON_FIRE", "pantsonfire"]
)
def test_rating_input_is_forgiving(db_path: Path, run, spelling: str) -> None:  # type: ignore[no-untyped-def]
    run("claim", "add", "x")
    assert run("verdict", "add", "1", spelling, "--scale", "PolitiFact").exit_code == 0
    assert (
        json.loads(run("claim", "show", "1", "--format", "json").stdout)["verdict"]
        == "pants-on-fire"
    )


def test_unknown_rating_lists_valid_ones_and_changes_nothing(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("claim", "add", "x")
    before = dump(db_path)
    result = run("verdict", "add", "1", "sorta-true", "--scale", "politifact")
    assert_error(result, "unknown rating 'sorta-true'")
    assert "pants-on-fire" in result.stderr and "half-true" in result.stderr
    assert dump(db_path) == before


def test_unknown_scale_lists_scales(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("claim", "add", "x")
    result = run("verdict", "add", "1", "true", "--scale", "nope")
    assert_error(result, "unknown rating scale")
    assert "politifact, snopes, plain" in result.stderr


def test_builtin_scales_have_order_values(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("scale", "list", "--format", "json").stdout)
    politifact = [(r["rating"], r["value"]) for r in rows if r["scale"] == "politifact"]
    assert politifact == [
        ("true", 6),
        ("mostly-true", 5),
        ("half-true", 4),
        ("mostly-false", 3),
        ("false", 2),
        ("pants-on-fire", 1),
    ]
    plain = [r["rating"] for r in rows if r["scale"] == "plain"]
    assert plain == ["true", "mostly-true", "mixed", "mostly-false", "false", "unproven"]
    assert {r["scale"] for r in rows} == {"politifact", "snopes", "plain"}
