"""Stored text never reaches the terminal raw in tables; JSON keeps it exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.render import render_rows, safe_text, to_json

NASTY = "Red \x1b[31malert\x1b[0m \u202eevil\u202c back\x08space\rreturn \x9bcsi \u2066iso\u2069"


def test_safe_text_escapes_controls_and_bidi() -> None:
    shown = safe_text(NASTY)
    for raw in ("\x1b", "\u202e", "\u202c", "\x08", "\r", "\x9b", "\u2066", "\u2069"):
        assert raw not in shown
    assert "\\x1b[31malert" in shown and "\\u202eevil" in shown


@pytest.mark.parametrize("fmt", ["simple", "github", "grid", "plain", "psql"])
def test_tables_are_terminal_safe(fmt: str) -> None:
    out = render_rows([{"text": NASTY, "speaker": "Eve\x1b]0;pwned\x07"}], ["text", "speaker"], fmt)
    assert not any(ch in out for ch in "\x1b\x07\x08\r\x9b\u202e\u2066")


def test_json_is_exact_and_escaped() -> None:
    out = to_json([{"text": NASTY}])
    assert not any(ch in out for ch in "\x1b\x08\r\x9b\u202e\u2066")
    assert json.loads(out)[0]["text"] == NASTY


def test_review_and_show_never_print_raw_escapes(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert run("claim", "add", NASTY, "--speaker", "Eve\x1b[2J").exit_code == 0
    for args in (("review",), ("claim", "show", "1"), ("review", "--format", "github")):
        out = run(*args).stdout
        assert "\x1b" not in out and "\u202e" not in out, args
    data = json.loads(run("review", "--format", "json").stdout)
    assert data[0]["text"] == NASTY.strip() and data[0]["speaker"] == "Eve\x1b[2J"


def test_sql_looking_text_is_just_text(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    text = "Robert'); DROP TABLE claim; --"
    assert run("claim", "add", text, "--speaker", "' OR 1=1 --").exit_code == 0
    rows = json.loads(run("review", "--format", "json", "--contains", "'); DROP").stdout)
    assert [r["text"] for r in rows] == [text]


def test_table_formats_are_known_to_tabulate() -> None:
    import tabulate

    from factcheck.formats import TABLE_FORMATS

    assert set(TABLE_FORMATS) <= set(tabulate.tabulate_formats)


def test_long_text_is_shortened_to_terminal_width_unless_full(
    db_path: Path, run, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "80")
    run("claim", "add", "word " * 60)
    table = run("review").stdout
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "…" in table
    assert "…" not in run("review", "--full").stdout


def test_piped_output_without_columns_is_not_shortened(db_path: Path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("COLUMNS", raising=False)
    run("claim", "add", "word " * 60)
    table = run("review").stdout
    assert "…" not in table and ("word " * 59).strip() in table
