"""Hostile values, second wave: merge is no way in, data never drives the terminal, one URL rule.

Every case runs the installed command, as a user would hit it.
"""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import dump, factcheck_exe, run_installed

OSC52 = "\x1b]52;c;SGVsbG8=\x07"
NASTY = (
    OSC52 + "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07" + "\x1b]0;title\x07"
    "\x1b[6n" + "\x1bc" + "\x1bP+q\x1b\\" + "\x07\x08" + "\x9b31m" + "\u202e"
)
RAW_SEQUENCES = ("\x1b]", "\x1b[6n", "\x1bc", "\x1bP", "\x07", "\x08", "\x9b", "\u202e")


def fc(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = run_installed(*args)
    if ok:
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


def refused(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert fragment.lower() in lines[0].lower(), lines[0]


# ---- 4. merge passes the same validation as every other way in ------------------------------


def colleague_copy(tmp_path: Path) -> Path:
    fc("claim", "add", "WannaCry affected around 300,000 computer users", "--speaker", "Brad Smith")
    fc("source", "add", "https://example.org/report", "--title", "Report")
    copy = tmp_path / "colleague.db"
    fc("db", "backup", str(copy))
    return copy


@pytest.mark.parametrize(
    ("statement", "fragment"),
    [
        ("UPDATE source SET url = 'javascript:alert(1)'", "url is refused"),
        ("UPDATE claim SET status = 'bogus-status'", "status is refused"),
        ("UPDATE claim SET uuid = 'zz' WHERE id = 2", "uuid is refused"),
        ("UPDATE claim SET text = printf('%.5000000c', 'x')", "5,000,000 characters"),
        ("UPDATE claim SET speaker = 'Brad' || char(0) || 'Smith'", "nul"),
    ],
)
def test_a_colleagues_db_cannot_bring_in_what_the_cli_refuses(
    tmp_path: Path, statement: str, fragment: str
) -> None:
    copy = colleague_copy(tmp_path)
    fc("--db", str(copy), "claim", "add", "A claim only the colleague has", "--speaker", "Sam")
    conn = sqlite3.connect(copy)
    conn.execute(statement)
    conn.commit()
    conn.close()
    desk = tmp_path / "desk.db"
    before = dump(desk)
    refused(fc("merge", str(copy), ok=False), fragment)
    assert dump(desk) == before


@pytest.mark.parametrize(
    ("table", "key", "value", "fragment"),
    [
        ("source", "url", "javascript:alert(1)", "url is refused"),
        ("claim", "status", "bogus-status", "status is refused"),
        ("claim", "uuid", "zz", "uuid is refused"),
        ("claim", "text", "x" * 5_000_000, "5,000,000 characters"),
        ("claim", "speaker_type", "robot", "speaker_type is refused"),
        ("claim", "claim_date", "03/04/2017", "claim_date is refused"),
    ],
)
def test_a_desk_json_cannot_bring_in_what_the_cli_refuses(
    tmp_path: Path, table: str, key: str, value: str, fragment: str
) -> None:
    colleague_copy(tmp_path)
    fc("export", "json", "-o", str(tmp_path / "desk.json"))
    data = json.loads((tmp_path / "desk.json").read_text())
    data[table][0][key] = value
    (tmp_path / "evil.json").write_text(json.dumps(data))
    fresh = tmp_path / "fresh.db"
    fc("--db", str(fresh), "claim", "add", "something else")
    before = dump(fresh)
    refused(fc("--db", str(fresh), "merge", str(tmp_path / "evil.json"), ok=False), fragment)
    assert dump(fresh) == before


def test_an_edit_cannot_smuggle_in_a_value_either(tmp_path: Path) -> None:
    colleague_copy(tmp_path)
    fc("claim", "edit", "1", "--speaker", "Bradford Smith")
    fc("export", "json", "-o", str(tmp_path / "desk.json"))
    data = json.loads((tmp_path / "desk.json").read_text())
    change = next(c for c in data["change"] if c["field"] == "speaker")
    change["new_value"] = json.dumps("x" * 1000)
    (tmp_path / "evil.json").write_text(json.dumps(data))
    fresh = tmp_path / "fresh.db"
    fc("--db", str(fresh), "claim", "add", "other")
    refused(fc("--db", str(fresh), "merge", str(tmp_path / "evil.json"), ok=False), "speaker")


# ---- 5. data never drives the terminal --------------------------------------------------------


def on_a_terminal(*args: str) -> bytes:
    """Run the installed command with stdout and stderr on a pseudo-terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [factcheck_exe(), *args], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks)


def assert_no_raw_sequences(output: bytes) -> None:
    text = output.decode("utf-8", errors="replace")
    for sequence in RAW_SEQUENCES:
        assert sequence not in text, (sequence, text[:400])
    assert "\\x1b" in text or "\\u001b" in text  # shown, escaped


@pytest.mark.parametrize(
    "command",
    [
        ("review", "--format", "csv"),
        ("review", "--format", "jsonl"),
        ("review",),
        ("export", "csv"),
        ("export", "markdown"),
        ("claim", "show", "1"),
        ("search", "budget"),
        ("stats",),
    ],
)
def test_no_escape_sequence_from_data_reaches_a_terminal(command: tuple[str, ...]) -> None:
    fc("claim", "add", f"The budget {NASTY} grew", "--speaker", f"Evil {NASTY}")
    assert_no_raw_sequences(on_a_terminal(*command))


def test_titles_and_names_on_stderr_are_escaped_too(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(f"Budget {OSC52} title\n\nThe minister said the budget grew by 5%.\n")
    assert_no_raw_sequences(on_a_terminal("import", str(article)))
    assert_no_raw_sequences(on_a_terminal("extract", str(article)))
    copy = tmp_path / "copy.db"
    fc("db", "backup", str(copy))
    fc("--db", str(copy), "--as", f"Sam {OSC52}", "claim", "edit", "1", "--text", "edited")
    fc("claim", "edit", "1", "--text", "edited here")
    assert_no_raw_sequences(on_a_terminal("merge", str(copy)))


def test_csv_to_a_file_or_pipe_stays_exact(tmp_path: Path) -> None:
    fc("claim", "add", f"The budget {NASTY} grew")
    piped = fc("export", "csv").stdout
    assert OSC52 in piped
    fc("export", "csv", "-o", str(tmp_path / "out.csv"))
    assert OSC52 in (tmp_path / "out.csv").read_text()


# ---- 6. one URL rule, and UUIDs on every way in ---------------------------------------------


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("https://user:pass@example.org/", "user name or password"),
        ("https://example.org/a\u202eb", "invisible"),
        ("https://exa\u200bmple.org/", "invisible"),
        ("https://example.org/" + "a" * 9000, "2,048"),
        ("http://[::1]:99999/", "port"),
        ("https://example.org:0x50/", "port"),
    ],
)
def test_urls_follow_one_rule_everywhere(tmp_path: Path, url: str, fragment: str) -> None:
    fc("claim", "add", "x")
    refused(fc("source", "add", url, ok=False), fragment)
    refused(fc("evidence", "add", "1", "--url", url, "--stance", "context", ok=False), fragment)
    refused(fc("claim", "publish", "1", "--url", url, ok=False), fragment)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"text,source_url\nx,{url}\n", encoding="utf-8")
    refused(fc("import", str(sheet), ok=False), fragment)


def test_a_lookalike_host_is_stored_and_shown_as_punycode() -> None:
    fc("source", "add", "https://\u0430pple.com/login", "--title", "Login")
    listed = fc("source", "list", "--format", "json").stdout
    assert "https://xn--pple-43d.com/login" in listed and "\u0430" not in listed


def test_a_sheet_uuid_must_be_a_uuid(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("uuid,text\nnot-a-uuid,A claim\n")
    refused(fc("import", str(sheet), ok=False), "sheet.csv line 2: the uuid")


# ---- 7. smaller ones ----------------------------------------------------------------------------


def test_fullwidth_formula_characters_are_neutralised(tmp_path: Path) -> None:
    fc("claim", "add", '\uff1dHYPERLINK("http://evil")')
    fc("export", "csv", "-o", str(tmp_path / "out.csv"))
    assert "'\uff1dHYPERLINK" in (tmp_path / "out.csv").read_text()
    other = tmp_path / "other.db"
    fc("--db", str(other), "import", str(tmp_path / "out.csv"))
    shown = json.loads(fc("--db", str(other), "claim", "show", "1", "--format", "json").stdout)
    assert shown["text"] == '\uff1dHYPERLINK("http://evil")'


def test_a_ragged_sheet_names_every_bad_line(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("text,speaker\na,b\nc,d,e\nf,g\nh,i,j\nk\n")
    refused(
        fc("import", str(sheet), ok=False),
        "line 3 has 3 cells but the header has 2; so do 2 more line(s): 5, 6",
    )


def test_string_ratings_in_claimreview_are_kept_or_warned_about(tmp_path: Path) -> None:
    reviews = tmp_path / "r.jsonld"
    reviews.write_text(
        json.dumps(
            [
                {
                    "@type": "ClaimReview",
                    "claimReviewed": "A",
                    "author": "Desk",
                    "reviewRating": {"ratingValue": "False"},
                },
                {"@type": "ClaimReview", "claimReviewed": "B", "author": "Desk"},
            ]
        )
    )
    result = fc("import", str(reviews))
    assert "no rating factcheck can read" in result.stderr
    rows = {r["text"]: r for r in json.loads(fc("review", "--format", "json").stdout)}
    assert rows["A"]["checked_by"] == "Desk: False"
    assert rows["B"]["checked_by"] is None


def test_text_hidden_by_a_css_class_is_never_stored(tmp_path: Path) -> None:
    body = " ".join(
        f"The council said the new bridge cost {n} million pounds to build last year."
        for n in range(8)
    )
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Bridge costs</title>"
        "<style>.promo-x, .tracker { color: red; display : none }</style></head><body><article>"
        f"<h1>Bridge costs</h1><p>{body}</p>"
        "<p class='sr-only'>SECRET-ONE the mayor was bribed by the builders.</p>"
        "<div class='promo-x'><p>SECRET-TWO the bridge will collapse next week.</p></div>"
        f"<p>{body}</p></article></body></html>"
    )
    fc("import", str(page), "--all")
    stored = json.loads(fc("review", "--format", "json").stdout)
    text = " ".join(r["text"] for r in stored)
    assert "council said" in text
    assert "SECRET" not in text
