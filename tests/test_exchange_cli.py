"""Export and import through the command line: CSV round trip, ClaimReview, Markdown."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from factcheck.exchange.csvio import CSV_COLUMNS
from tests.conftest import assert_error, dump


@pytest.fixture
def desk(db_path: Path, run) -> Path:  # type: ignore[no-untyped-def]
    run("settings", "set", "org_name", "Example Fact Check")
    run("settings", "set", "org_url", "https://factcheck.example.org")
    run(
        "source",
        "add",
        "https://example.org/speech",
        "--title",
        "The speech",
        "--date",
        "2017-12-18",
    )
    run(
        "claim",
        "add",
        "North Korea is directly responsible for WannaCry",
        "--speaker",
        "Tom Bossert",
        "--source",
        "1",
        "--date",
        "2017-12-18",
        "--summary",
        "North Korea behind WannaCry",
    )
    run("claim", "add", '=HYPERLINK("http://evil","click")', "--speaker", "@attacker")
    run("claim", "add", 'Plain, "quoted" text\nwith a newline and ünïcode')
    run(
        "verdict",
        "add",
        "1",
        "mostly-true",
        "--rationale",
        "US and UK attribution",
        "--reviewer",
        "A. Checker",
    )
    run("verdict", "add", "3", "false")
    run(
        "evidence",
        "add",
        "1",
        "--url",
        "https://example.org/ncsc",
        "--stance",
        "supports",
        "--excerpt",
        "NCSC assessment",
    )
    return db_path


def test_csv_export_header_and_formula_neutralising(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    out = run("export", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_text = {r[2]: dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil","click")' in by_text
    evil = by_text['\'=HYPERLINK("http://evil","click")']
    assert evil["speaker"] == "'@attacker"
    first = by_text["North Korea is directly responsible for WannaCry"]
    assert (first["verdict"], first["verdict_scale"], first["reviewer"], first["source_url"]) == (
        "mostly-true",
        "politifact",
        "A. Checker",
        "https://example.org/speech",
    )
    # The stored text stays exact.
    assert json.loads(run("claim", "show", "2", "--format", "json").stdout)["text"].startswith(
        "=HYPERLINK"
    )


def test_csv_round_trip(desk: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exported = tmp_path / "claims.csv"
    assert run("export", "csv", "-o", str(exported)).exit_code == 0
    other = tmp_path / "other.db"
    result = run("--db", str(other), "import", str(exported))
    assert result.exit_code == 0, result.stderr
    assert "3 claims, 2 verdicts" in result.stderr
    again = run("--db", str(other), "export", "csv").stdout
    assert again == exported.read_text()
    before = dump(other)
    twice = run("--db", str(other), "import", str(exported))
    assert "3 rows already here" in twice.stderr
    assert dump(other) == before


def test_csv_with_only_a_text_column_imports(db_path: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(
        "\ufefftext,speaker\nThe bridge cost $4m,Mayor Ortiz\nUnemployment is 4%,\n".encode()
    )
    assert run("import", str(sheet)).exit_code == 0
    rows = json.loads(run("review", "--format", "json", "--sort", "id").stdout)
    assert [(r["text"], r["speaker"]) for r in rows] == [
        ("The bridge cost $4m", "Mayor Ortiz"),
        ("Unemployment is 4%", None),
    ]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"text,speaker\nok,a\nragged,b,c\n", "line 3"),
        (b"text,text\nx,y\n", "twice"),
        (b"speaker\nx\n", "text"),
        (b'text\n"never closed\n', "line 2"),
        (b"\xff\xfet\x00e\x00x\x00t\x00", "UTF-8"),
        (b"text\nfine\nbad\x00nul\n", "line 3"),
        (b"text,status\nx,finished\n", "bad.csv line 2: unknown status"),
        (b"text,source_url\nx,javascript:alert(1)\n", "not an http(s)"),
    ],
)
def test_hostile_csv_imports_nothing(
    db_path: Path, run, tmp_path: Path, content: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "bad.csv"
    sheet.write_bytes(content)
    before = dump(db_path)
    assert_error(run("import", str(sheet)), message)
    assert dump(db_path) == before


def test_claimreview_export_field_by_field(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("export", "claimreview")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []  # nothing is published yet
    assert "2 rated claim(s) not published were left out" in result.stderr
    published = "https://factcheck.example.org/2017/wannacry"
    assert run("claim", "publish", "1", "--url", published, "--date", "2017-12-20").exit_code == 0
    assert run("claim", "publish", "3").exit_code == 0
    result = run("export", "claimreview")
    assert result.exit_code == 0, result.stderr
    reviews = json.loads(result.stdout)
    assert len(reviews) == 2  # the published claims
    review = next(r for r in reviews if r["itemReviewed"]["author"]["name"] == "Tom Bossert")
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "North Korea behind WannaCry"
    rating = review["reviewRating"]
    assert (
        rating["alternateName"],
        rating["ratingValue"],
        rating["bestRating"],
        rating["worstRating"],
    ) == ("Mostly True", 5, 6, 1)
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Fact Check",
        "url": "https://factcheck.example.org",
    }
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["datePublished"] == "2017-12-18"
    assert review["itemReviewed"]["appearance"]["url"] == "https://example.org/speech"
    assert review["datePublished"] == "2017-12-20"
    assert review["url"] == published
    # The other claim breaks rules: warned per claim, not silently fixed.
    assert "warning: claim 3:" in result.stderr
    assert "factcheck claim publish 3 --url" in result.stderr


def test_claimreview_strict_writes_nothing(desk: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("claim", "publish", "1", "3").exit_code == 0
    target = tmp_path / "reviews.jsonld"
    result = run("export", "claimreview", "--strict", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert not target.exists() and not list(tmp_path.glob(".reviews.jsonld*"))


def test_claimreview_import_keeps_the_publishers_label(db_path: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    published = tmp_path / "reviews.jsonld"
    published.write_text(
        json.dumps(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {
                        "@type": "ClaimReview",
                        "claimReviewed": "The moon landing was staged",
                        "url": "https://checker.example/moon",
                        "datePublished": "2020-07-20",
                        "author": {"@type": "Organization", "name": "Checker Weekly"},
                        "itemReviewed": {
                            "@type": "CreativeWork",
                            "author": {"@type": "Person", "name": "A. Blogger"},
                            "datePublished": "2020-07-01",
                        },
                        "reviewRating": {
                            "@type": "Rating",
                            "ratingValue": "1",
                            "bestRating": "5",
                            "worstRating": "1",
                            "alternateName": "Totally made up",
                        },
                    },
                    {
                        "@type": "ClaimReview",
                        "claimReviewed": "Water is wet",
                        "author": "Checker Weekly",
                        "reviewRating": {"alternateName": "Correct"},
                    },
                ],
            }
        )
    )
    result = run("import", str(published))
    assert result.exit_code == 0, result.stderr
    rows = {r["text"]: r for r in json.loads(run("review", "--format", "json").stdout)}
    # Another fact-checker's rating is context, never our verdict.
    assert rows["The moon landing was staged"]["verdict"] is None
    assert rows["The moon landing was staged"]["checked_by"] == "Checker Weekly: Totally made up"
    assert rows["The moon landing was staged"]["speaker"] == "A. Blogger"
    scales = [
        r
        for r in json.loads(run("scale", "list", "--format", "json").stdout)
        if r["scale"] == "claimreview-checker-weekly"
    ]
    assert {(r["label"], r["value"]) for r in scales} == {("Totally made up", 1), ("Correct", None)}
    before = dump(db_path)
    again = run("import", str(published))
    assert "2 imported before" in again.stderr
    assert dump(db_path) == before


def test_markdown_report(desk: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "report.md"
    assert run("export", "markdown", "-o", str(target)).exit_code == 0
    text = target.read_text()
    assert "Mostly True" in text and "US and UK attribution" in text
    assert "(<https://example.org/ncsc>)" in text or "https://example.org/ncsc" in text
    assert "[click]" not in text  # a claim cannot inject a link


def test_exports_refuse_to_overwrite_the_database(desk: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = dump(desk)
    for kind in ("csv", "json", "claimreview", "markdown"):
        assert_error(run("export", kind, "-o", str(desk)), "the database itself")
        assert_error(run("export", kind, "-o", str(tmp_path / "no" / "x")), "does not exist")
    assert dump(desk) == before
