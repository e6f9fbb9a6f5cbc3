"""Bad input: one `Error:` line with the fix, exit 1 (usage errors 2), database unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_error, dump


@pytest.fixture
def desk(db_path: Path, run) -> Path:  # type: ignore[no-untyped-def]
    run("claim", "add", "A claim to check", "--speaker", "Someone")
    run("source", "add", "https://example.org/a", "--title", "A source")
    return db_path


BAD = [
    (("claim", "show", "99"), "no claim with id 99"),
    (("verdict", "add", "99", "true"), "no claim with id 99"),
    (("evidence", "add", "99", "--source", "1", "--stance", "supports"), "no claim with id 99"),
    (("evidence", "add", "1", "--source", "42", "--stance", "supports"), "no source with id 42"),
    (("evidence", "add", "1", "--source", "1", "--stance", "agrees"), "unknown stance"),
    (("verdict", "add", "1", "mostly-fake"), "unknown rating"),
    (("claim", "add", "   "), "claim text is empty"),
    (("claim", "add", "x", "--date", "next tuesday-ish"), "could not read the claim date"),
    (("source", "add", "javascript:alert(1)"), "not an http(s) address"),
    (("source", "add", "java\tscript:alert(1)"), "spaces, control or invisible characters"),
    (("source", "add", "ftp://example.org/file"), "not an http(s) address"),
    (("source", "add", "https://"), "not an http(s) address"),
    (("source", "add", " HTTPS:// example.org"), "spaces, control"),
    (("source", "add", "https://example.org", "--date", "2017-13-45"), "is not a real date"),
    (("source", "add"), "needs a URL or a --title"),
    (
        ("evidence", "add", "1", "--url", "file:///etc/passwd", "--stance", "supports"),
        "not an http(s)",
    ),
    (("claim", "add", "x", "--source", "1", "--start", "5"), "both --start and --end"),
    (("claim", "add", "x", "--source", "1", "--start", "0", "--end", "9999"), "outside source 1"),
    (("review", "--status", "finished"), "unknown status"),
    (("review", "--sort", "random"), "unknown sort"),
    (("settings", "set", "colour", "blue"), "unknown setting"),
    (("db", "backup", "desk.db"), "is the database itself"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_error_line_and_changes_nothing(desk: Path, run, args, message) -> None:  # type: ignore[no-untyped-def]
    before = dump(desk)
    assert_error(run(*args), message)
    assert dump(desk) == before


@pytest.mark.parametrize(
    "args",
    [
        ("claim", "add"),
        ("claim", "show", "one"),
        ("review", "--limit", "x"),
        ("review", "--format", "yaml"),
        ("nonsense",),
        ("evidence", "add", "1", "--stance", "supports"),
    ],
)
def test_usage_errors_exit_2(desk: Path, run, args) -> None:  # type: ignore[no-untyped-def]
    before = dump(desk)
    result = run(*args)
    assert result.exit_code == 2, result.stderr
    assert "Error:" in result.stderr and "Traceback" not in result.stderr
    assert dump(desk) == before


def test_nul_byte_in_text_is_refused(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    before = dump(desk)
    assert_error(run("claim", "add", "bad\x00text"), "NUL byte")
    assert dump(desk) == before


def test_a_failing_write_leaves_nothing_behind(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    """evidence add --url creates a source first; if the link then fails, the source goes too."""
    before = dump(desk)
    assert_error(
        run("evidence", "add", "1", "--url", "https://new.example.org/x", "--stance", "nonsense"),
        "unknown stance",
    )
    assert dump(desk) == before
