"""Files and text written by strangers: clear errors, nothing imported, nothing shown raw."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import assert_error, dump, factcheck_exe


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "https://",
        "http:///path-only",
        "//example.org/x",
        "https://exa mple.org",
        "https://example.org/\x1b[2J",
        "vbscript:msgbox",
        "https\u200b://example.org",
        "mailto:a@example.org",
    ],
)
def test_only_http_urls_with_a_host_are_accepted(db_path: Path, run, url: str) -> None:  # type: ignore[no-untyped-def]
    run("claim", "add", "x")
    before = dump(db_path)
    assert_error(run("source", "add", url), "")
    assert_error(run("evidence", "add", "1", "--url", url, "--stance", "context"), "")
    assert dump(db_path) == before


def test_invalid_utf8_stored_by_another_tool_still_lists_and_exports(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("claim", "add", "good claim")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE claim SET text = CAST(X'4361666520E920736F6369657479' AS TEXT), "
        "speaker = CAST(X'FF' AS TEXT)"
    )
    conn.commit()
    conn.close()
    table = run("review")
    assert table.exit_code == 0, table.stderr
    assert "Cafe \ufffd society" in table.stdout
    data = json.loads(run("review", "--format", "json").stdout)
    assert data[0]["text"] == "Cafe \ufffd society" and data[0]["speaker"] == "\ufffd"
    assert run("export", "csv").exit_code == 0
    assert run("claim", "show", "1").exit_code == 0


HOSTILE_JSON = {
    "malformed": (b'{"@type": "ClaimReview", ', "line 1"),
    "trailing garbage": (b'{"@type": "ClaimReview"} extra', "after"),
    "nan": (b'{"@type": "ClaimReview", "reviewRating": {"ratingValue": NaN}}', "NaN"),
    "duplicate keys": (b'{"claimReviewed": "a", "claimReviewed": "b"}', "claimReviewed"),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "deep"),
    "huge integer": (b'{"ratingValue": 1' + b"0" * 5000 + b"}", "digits"),
}


@pytest.mark.parametrize("case", list(HOSTILE_JSON))
def test_hostile_json_ld_is_refused_quickly(db_path: Path, run, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    payload, message = HOSTILE_JSON[case]
    path = tmp_path / "reviews.jsonld"
    path.write_bytes(payload)
    before = dump(db_path)
    start = time.perf_counter()
    assert_error(run("import", str(path)), message)
    assert time.perf_counter() - start < 10
    assert dump(db_path) == before


def test_fifty_megabyte_single_line_is_refused_before_parsing(
    db_path: Path, run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huge.jsonld"
    with path.open("wb") as out:
        out.write(b'{"claimReviewed": "')
        out.write(b"a" * (50 * 1024 * 1024))
        out.write(b'"}')
    before = dump(db_path)
    start = time.perf_counter()
    assert_error(run("import", str(path)), "allowed")
    assert time.perf_counter() - start < 10
    assert dump(db_path) == before


HOSTILE_HTML = """<html><head><title>Budget story</title>
<script>document.write("INJECTED SCRIPT TEXT")</script>
<style>.x { content: "STYLE TEXT" }</style>
<link rel="stylesheet" href="https://tracker.example/css">
</head><body>
<article><h1>Budget story</h1>
<p>The city spent $4.2 million on the bridge in 2023, twice the estimate, the auditor said on Monday in a report to the council.</p>
<p>Officials said a <a href="javascript:alert(document.cookie)">40 percent rise</a> in steel prices since 2021 explained most of the overrun on the project.</p>
<p hidden>HIDDEN PARAGRAPH TEXT</p>
<noscript>NOSCRIPT TEXT</noscript>
<img src="https://tracker.example/pixel.gif" onerror="alert(1)">
<iframe src="https://evil.example/frame">IFRAME TEXT</iframe>
</article></body></html>"""


def test_hostile_html_never_reaches_stored_text_and_nothing_is_fetched(
    db_path: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_text(HOSTILE_HTML)
    # Any attempt to open a network connection fails the import loudly.
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k):\n"
        "    raise SystemExit('NETWORK ATTEMPT')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from factcheck.cli import main\n"
        f"sys.argv = ['factcheck', '--db', {str(db_path)!r}, 'import', {str(page)!r}, '--all']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db_path)
    text = conn.execute("SELECT full_text FROM source").fetchone()[0]
    urls = [r[0] for r in conn.execute("SELECT url FROM source")]
    conn.close()
    assert "$4.2 million" in text
    for junk in (
        "INJECTED",
        "STYLE TEXT",
        "HIDDEN PARAGRAPH",
        "NOSCRIPT",
        "IFRAME",
        "javascript",
        "tracker.example",
        "onerror",
    ):
        assert junk not in text, junk
    assert urls == [None]


def _chattr(flag: str, *paths: Path) -> bool:
    done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True)
    return done.returncode == 0


def test_read_only_file_reads_work_and_writes_fail_clearly(
    template_db: Path, tmp_path: Path
) -> None:
    """An immutable file in an immutable folder: even root cannot write (chattr +i)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "desk.db"
    path.write_bytes(template_db.read_bytes())
    before = path.read_bytes()
    if not _chattr("+i", path, folder):
        pytest.skip("chattr +i is not available on this file system")
    try:
        read = subprocess.run(
            [factcheck_exe(), "--db", str(path), "review", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout) == []
        write = subprocess.run(
            [factcheck_exe(), "--db", str(path), "claim", "add", "x"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert write.returncode == 1
        assert write.stderr.startswith("Error: ") and "read-only" in write.stderr, write.stderr
        assert "Traceback" not in write.stderr
        assert path.read_bytes() == before
    finally:
        _chattr("-i", path, folder)
