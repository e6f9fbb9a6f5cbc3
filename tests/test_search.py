"""Search (FTS5, bm25), claim matching, confirmed links, stats."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from factcheck.search import similarity
from tests.conftest import assert_error

CLAIMS = [
    ("North Korea is directly responsible for the WannaCry attack", "Tom Bossert"),
    ("The Lazarus Group works on behalf of the North Korean government", "Tom Bossert"),
    ("WannaCry affected around 300,000 computer users", "Brad Smith"),
    ("Unemployment fell to 4.1 percent in 2017", "Jane Doe"),
    ("The bridge cost twice the original estimate", None),
]


@pytest.fixture
def desk(db_path: Path, run) -> Path:  # type: ignore[no-untyped-def]
    for text, speaker in CLAIMS:
        args = ["claim", "add", text] + (["--speaker", speaker] if speaker else [])
        assert run(*args).exit_code == 0
    run("verdict", "add", "2", "false")
    return db_path


def ids(run, *args: str) -> list[int]:  # type: ignore[no-untyped-def]
    result = run("search", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)]


def test_ranking_on_a_fixed_set(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert ids(run, "north korea wannacry") == [1]
    assert ids(run, "north korea*") == [1, 2]
    assert ids(run, "wannacry") == [3, 1]  # the shorter claim about WannaCry ranks first
    assert ids(run, "bossert") == [1, 2]  # speakers are searched too
    assert ids(run, "lazarus", "--verdict", "false") == [2]
    assert ids(run, "lazarus", "--verdict", "true") == []


def test_table_highlights_matches(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    out = run("search", "lazarus").stdout
    assert "The [Lazarus] Group" in out
    data = json.loads(run("search", "lazarus", "--format", "json").stdout)
    assert data[0]["snippet"].startswith("The [Lazarus] Group")
    assert data[0]["text"] == CLAIMS[1][0]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "NEAR",
        "NEAR(a b)",
        "-",
        "north -korea",
        '"unbalanced',
        "a AND OR NOT",
        "text:korea",
        "^korea",
        "korea'",
        "(",
        ")",
        "{}",
        "ö",
        "🙂",
        "x" * 5000,
    ],
)
def test_search_syntax_in_queries_never_crashes(desk: Path, run, query: str) -> None:  # type: ignore[no-untyped-def]
    result = run("search", query)
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 1:
        assert_error(result, "give at least one word")


def test_index_follows_edits_and_merges(desk: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("claim", "edit", "5", "--text", "The tunnel cost three times the estimate")
    assert ids(run, "tunnel") == [5]
    assert ids(run, "bridge") == []
    other = tmp_path / "other.db"
    run("db", "backup", str(other))
    run("--db", str(other), "claim", "add", "Zebra crossings reduce accidents")
    run("merge", str(other))
    assert len(ids(run, "zebra")) == 1


def test_old_file_is_indexed_when_upgraded(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    from tests.test_migrations import make_old_file

    path = tmp_path / "old.db"
    make_old_file(path, "0003")
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO claim (uuid, text, status, created_at, created_by) VALUES "
        "('o-1', 'Pandas are bears', 'new', '2020-01-01 00:00:00.000000', 'x')"
    )
    conn.commit()
    conn.close()
    result = run("--db", str(path), "search", "pandas", "--format", "json")
    assert [r["text"] for r in json.loads(result.stdout)] == ["Pandas are bears"]


@pytest.mark.parametrize(
    "a,b",
    [
        (
            "WannaCry affected around 300,000 computer users",
            "About 300,000 computers were affected by WannaCry",
        ),
        (
            "North Korea is directly responsible for the WannaCry attack",
            "The WannaCry attack was carried out by North Korea",
        ),
        ("Unemployment fell to 4.1 percent in 2017", "In 2017 unemployment dropped to 4.1%"),
        (
            "The bridge cost twice the original estimate",
            "The bridge's cost was double the original estimate",
        ),
    ],
)
def test_paraphrases_are_found(a: str, b: str) -> None:
    assert similarity(a, b) >= 0.65


@pytest.mark.parametrize(
    "a,b",
    [
        (
            "WannaCry affected around 300,000 computer users",
            "The Lazarus Group hacked Sony Pictures in 2014",
        ),
        ("Unemployment fell to 4.1 percent in 2017", "The bridge cost twice the original estimate"),
        (
            "North Korea is directly responsible for the WannaCry attack",
            "Unemployment fell to 4.1 percent in 2017",
        ),
    ],
)
def test_unrelated_claims_are_not_matched(a: str, b: str) -> None:
    assert similarity(a, b) < 0.3


def test_different_numbers_lower_the_score() -> None:
    same = similarity(
        "Unemployment fell to 4.1 percent in 2017", "Unemployment fell to 4.1 percent in 2017"
    )
    other = similarity(
        "Unemployment fell to 4.1 percent in 2017", "Unemployment fell to 6.3 percent in 2019"
    )
    assert same == 1.0 and other < same - 0.2


def test_claim_add_points_at_an_earlier_claim_and_its_verdict(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("verdict", "add", "3", "mostly-true")
    result = run("claim", "add", "About 300,000 computers were affected by WannaCry")
    assert result.exit_code == 0
    assert "similar to claim 3 (mostly-true" in result.stderr
    assert result.stdout.strip() == "6"
    unrelated = run("claim", "add", "Penguins live in the southern hemisphere")
    assert "similar" not in unrelated.stderr


def test_similar_and_link(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("claim", "add", "About 300,000 computers were affected by WannaCry")
    rows = json.loads(run("claim", "similar", "6", "--format", "json").stdout)
    assert rows[0]["id"] == 3 and rows[0]["score"] >= 0.65
    assert 4 not in [r["id"] for r in rows]
    assert run("claim", "link", "6", "3", "--note", "same figure").exit_code == 0
    shown = json.loads(run("claim", "show", "3", "--format", "json").stdout)
    assert [(l["id"], l["note"]) for l in shown["linked"]] == [(6, "same figure")]  # noqa: E741
    assert "Same claim as" in run("claim", "show", "6").stdout
    assert_error(run("claim", "link", "6", "6"), "itself")
    assert_error(run("claim", "link", "6", "99"), "no claim with id 99")


def test_stats_counts(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("stats", "--format", "json").stdout)
    assert data["claims"] == 5
    assert {r["status"]: r["claims"] for r in data["by_status"]} == {"new": 4, "reviewed": 1}
    assert {r["verdict"]: r["claims"] for r in data["by_verdict"]} == {"(none)": 4, "false": 1}
    assert data["by_speaker"][0] == {"speaker": "Tom Bossert", "claims": 2}
    assert data["verdicts_by_speaker"] == [
        {"speaker": "Tom Bossert", "verdict": "false", "claims": 1}
    ]
    table = run("stats").stdout
    assert "█" in table and "By current verdict" in table
