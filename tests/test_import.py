"""Importing articles: the seed comes out right, imports are whole, bad files are refused."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED, assert_error, dump, run_installed

KEY_FACTS = {
    "directly responsible": "Tom Bossert",
    "Lazarus Group": "Tom Bossert",
    "300,000 computer users": "Brad Smith",
    "Sony Pictures": None,
    "repeatedly denied responsibility": "North Korea",
}


@pytest.fixture(scope="module")
def seed_desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    done = run_installed(
        "--db",
        str(path),
        "import",
        str(SEED),
        "--date",
        "2017-12-19",
        "--url",
        "https://example.org/wannacry",
    )
    assert done.returncode == 0, done.stderr
    assert (
        "Imported" in done.stderr and "US government blames North Korea for WannaCry" in done.stderr
    )
    return path


def _rows(path: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    done = run_installed("--db", str(path), "review", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_seed_import_gives_the_factual_claims_with_speakers(seed_desk: Path) -> None:
    rows = _rows(seed_desk)
    texts = [r["text"] for r in rows]
    for fragment, speaker in KEY_FACTS.items():
        matches = [r for r in rows if fragment in r["text"]]
        assert matches, f"no claim contains {fragment!r}: {texts}"
        assert matches[0]["speaker"] == speaker, (fragment, matches[0])
    top = " ".join(texts[:8])
    for fragment in ("directly responsible", "Lazarus Group", "300,000", "Sony Pictures"):
        assert fragment in top, (fragment, texts[:8])
    assert not any("QBS" in t or "Check Also" in t or "Maxtec" in t for t in texts)
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_seed_claims_point_at_their_exact_place(seed_desk: Path) -> None:
    conn = sqlite3.connect(seed_desk)
    ((title, kind, full_text, url, published),) = conn.execute(
        "SELECT title, kind, full_text, url, published_on FROM source"
    ).fetchall()
    assert (title, kind, url, published) == (
        "US government blames North Korea for WannaCry",
        "article",
        "https://example.org/wannacry",
        "2017-12-19",
    )
    assert full_text == SEED.read_text()
    claims = conn.execute(
        "SELECT text, char_start, char_end, score_model, speaker_kind, cites FROM claim"
    ).fetchall()
    assert claims
    for text, start, end, model, kind, _cites in claims:
        assert full_text[start:end] == text
        assert model and "@" in model
        assert kind in ("direct_quote", "reported", "narration")
    cites = {c[0][:30]: c[5] for c in claims}
    assert any(c == "Wall Street Journal" for c in cites.values())
    conn.close()


def test_importing_twice_adds_nothing_and_says_so(seed_desk: Path) -> None:
    before = dump(seed_desk)
    done = run_installed("--db", str(seed_desk), "import", str(SEED))
    assert done.returncode == 0
    assert "imported before as source 1; nothing added" in done.stderr
    assert dump(seed_desk) == before


def test_import_points_at_claims_checked_before(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("claim", "add", "The Lazarus Group was behind the 2014 hack of Sony Pictures")
    run("verdict", "add", "1", "true")
    result = run("import", str(SEED))
    assert result.exit_code == 0, result.stderr
    assert "is similar to claim 1 (true" in result.stderr


def test_import_from_stdin(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Budget row deepens\n\nThe council spent $4.2 million on the bridge in 2023, "
        "twice the original estimate, according to the city auditor. Residents were angry.\n"
    )
    result = run("import", "-", "--all", input=text)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(run("review", "--format", "json", "--sort", "id").stdout)
    assert rows[0]["text"].startswith("The council spent $4.2 million")
    assert rows[0]["speaker"] == "the city auditor" or rows[0]["speaker"]


def test_min_score_and_all_change_the_policy(db_path: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("import", str(SEED), "--all")
    every = json.loads(run("review", "--format", "json").stdout)
    other = tmp_path / "other.db"
    run("--db", str(other), "import", str(SEED), "--min-score", "0.99")
    few = json.loads(run("--db", str(other), "review", "--format", "json").stdout)
    assert len(every) == 14
    assert len(few) < len(every)
    assert all(r["score"] >= 0.99 for r in few)


def test_import_is_all_or_nothing(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(db_path)
    # A planted trigger is refused before anything runs, so the 3rd insert fails on a unique
    # index instead: claims 2 and 3 both have (id >= 2) true.
    conn.execute("CREATE UNIQUE INDEX fail_third ON claim ((id >= 2)) WHERE id >= 2")
    conn.commit()
    conn.close()
    before = dump(db_path)
    result = run("import", str(SEED), "--all")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert dump(db_path) == before


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL byte at byte 8"),
        (b"Caf\xe9 society is booming, the mayor said.", "not valid UTF-8 (byte 3"),
    ],
)
def test_bad_article_files_are_refused(
    db_path: Path, run, tmp_path: Path, content: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    before = dump(db_path)
    assert_error(run("import", str(bad)), message)
    assert dump(db_path) == before


def test_oversized_article_is_refused_before_parsing(db_path: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (50 * 1024 * 1024))
    before = dump(db_path)
    assert_error(run("import", str(big)), "limited to")
    assert_error(run("extract", str(big)), "limited to")
    assert dump(db_path) == before


def test_missing_article_file(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert_error(run("import", "nowhere.txt"), "no file at nowhere.txt")


def test_terminal_escapes_in_an_article_are_stored_exactly_and_shown_safely(
    db_path: Path, run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "evil.txt"
    article.write_text(
        "Title here\n\nThe fund lost \x1b[31m$3 billion\x1b[0m in 2022, the minister said.\n"
    )
    assert run("import", str(article), "--all").exit_code == 0
    assert "\x1b" not in run("review").stdout
    assert "\x1b[31m" in json.loads(run("review", "--format", "json").stdout)[0]["text"]


HTML = """<!doctype html><html><head><title>Bridge costs double</title>
<style>body { color: red }</style><script>var secret = "tracking code";</script></head>
<body><nav><a href="/">Home</a> <a href="javascript:alert(1)">Subscribe</a></nav>
<article><h1>Bridge costs double</h1>
<p>The council spent $4.2 million on the new bridge in 2023, twice the original estimate, according to the city auditor's annual report published on Monday.</p>
<p>Mayor Jane Ortiz said the overrun was caused by a 40 percent rise in steel prices since 2021, and that the bridge would open in March.</p>
<p>The opposition leader, Tom Reyes, said the council had ignored three warnings from engineers about the budget.</p>
<div style="display:none">hidden promo text</div>
</article><footer>Copyright 2024 Example News</footer></body></html>"""


def test_html_page_is_imported_without_scripts_or_styles(
    db_path: Path, run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "page.html"
    page.write_text(HTML)
    result = run("import", str(page), "--all")
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(db_path)
    title, text = conn.execute("SELECT title, full_text FROM source").fetchone()
    conn.close()
    assert title == "Bridge costs double"
    assert "$4.2 million" in text and "steel prices" in text
    for junk in ("tracking code", "color: red", "javascript", "Subscribe"):
        assert junk not in text
    speakers = {r["speaker"] for r in json.loads(run("review", "--format", "json").stdout)}
    assert "Jane Ortiz" in speakers


def test_html_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML)
    code = (
        "import sys; sys.modules['trafilatura'] = None\n"
        "from factcheck.cli import main\n"
        f"sys.argv = ['factcheck', '--db', {str(tmp_path / 'x.db')!r}, 'import', {str(page)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: reading HTML needs the html extra: pip install 'factcheck[html]' "
        "(or save the page as plain text)"
    )
    assert not (tmp_path / "x.db").exists()


def test_extract_json_contract(run) -> None:  # type: ignore[no-untyped-def]
    result = run("extract", str(SEED), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"title", "sentences", "skipped"}
    assert data["title"] == "US government blames North Korea for WannaCry"
    assert len(data["sentences"]) == 14
    for sentence in data["sentences"]:
        assert set(sentence) == {
            "text",
            "start",
            "end",
            "speaker",
            "kind",
            "cites",
            "score",
            "checkworthy",
            "speaker_type",
        }
        assert SEED.read_text()[sentence["start"] : sentence["end"]] == sentence["text"]
    assert any(s["text"] == "Check Also" for s in data["skipped"])
    assert not Path("factcheck.db").exists() and not Path("desk.db").exists()


def test_extract_sentences_jsonl(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = tmp_path / "lines.txt"
    lines.write_text(
        "Unemployment fell to 4.1 percent in 2017.\nThank you all for coming tonight.\n"
    )
    result = run("extract", "--sentences", str(lines), "--format", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(r) for r in rows] == [{"text", "score", "checkworthy"}] * 2
    assert rows[0]["score"] > rows[1]["score"]


def test_extract_table_is_readable(run) -> None:  # type: ignore[no-untyped-def]
    result = run("extract", str(SEED))
    assert result.exit_code == 0
    assert "Tom Bossert" in result.stdout and "direct_quote" in result.stdout
    assert "Title: US government blames North Korea for WannaCry" in result.stderr


def test_extract_needs_exactly_one_input(run) -> None:  # type: ignore[no-untyped-def]
    assert run("extract").exit_code == 2


def test_html_import_keeps_the_pages_own_url_author_date_and_title(
    db_path: Path, tmp_path: Path
) -> None:
    from tests.conftest import run_installed

    body = " ".join(
        f"The council said the bridge cost {n} million pounds, the mayor told reporters."
        for n in range(6)
    )
    page = tmp_path / "bridge.html"
    page.write_text(
        "<html><head><title>Bridge costs soar</title>"
        '<link rel="canonical" href="https://news.example.org/2024/bridge-costs">'
        '<meta name="author" content="Jane Reporter">'
        '<meta property="article:published_time" content="2024-03-02T09:00:00Z">'
        f"</head><body><article><h1>Bridge costs soar</h1><p>{body}</p></article></body></html>"
    )
    done = run_installed("--db", str(db_path), "import", str(page), "--all")
    assert done.returncode == 0, done.stderr
    source = json.loads(
        run_installed("--db", str(db_path), "source", "list", "--format", "json").stdout
    )[0]
    assert source["url"] == "https://news.example.org/2024/bridge-costs"
    assert source["author"] == "Jane Reporter"
    assert source["published_on"] == "2024-03-02"
    assert source["title"] == "Bridge costs soar"
    # A plain text file with no title line is named after the file, never "(untitled)".
    notes = tmp_path / "2024-03-02_council-vote-notes.txt"
    notes.write_text("the council voted 7 to 2 to approve the budget, the clerk said.\n")
    assert run_installed("--db", str(db_path), "import", str(notes), "--all").returncode == 0
    titles = [
        s["title"]
        for s in json.loads(
            run_installed("--db", str(db_path), "source", "list", "--format", "json").stdout
        )
    ]
    assert titles[1] == "Council vote notes"
