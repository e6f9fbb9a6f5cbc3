"""Publishing: what goes out under our name is ours, current, undisputed and traceable.

Each test is a repro from a week of desk work: publishing and the ClaimReview export run through
the installed `factcheck` command, the desk work before them in-process (tests.conftest).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import dump, factcheck_exe, run_factcheck, run_installed

POLITIFACT = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "claimReviewed": "Vaccines contain microchips",
    "url": "https://www.politifact.com/factchecks/2021/microchips/",
    "datePublished": "2021-05-02",
    "author": {"@type": "Organization", "name": "PolitiFact"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "A. Blogger"},
        "datePublished": "2021-04-30",
    },
    "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"},
}


def fc(*args: str, db: Path | None = None, ok: bool = True) -> subprocess.CompletedProcess[str]:
    prefix = ("--db", str(db)) if db else ()
    # What goes out under our name (`claim publish`, `export claimreview`) runs through the
    # installed command, end to end; the desk work before it runs in-process, which is faster.
    installed = args[:2] in (("claim", "publish"), ("export", "claimreview"))
    result = run_factcheck(*prefix, *args, installed=installed)
    if ok:
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
    return result


def one_error(result: subprocess.CompletedProcess[str], fragment: str, code: int = 1) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert fragment.lower() in lines[0].lower(), lines[0]
    return lines[0]


def set_org() -> None:
    fc("settings", "set", "org_name", "Example Fact Check")
    fc("settings", "set", "org_url", "https://factcheck.example.org")


def complete_claim(text: str = "WannaCry affected around 300,000 computer users") -> str:
    claim_id = fc(
        "claim",
        "add",
        text,
        "--speaker",
        "Brad Smith",
        "--speaker-type",
        "person",
        "--date",
        "2017-05-14",
        "--summary",
        "WannaCry hit 300,000 computer users",
    ).stdout.strip()
    fc("verdict", "add", claim_id, "mostly-true", "--rationale", "Microsoft's estimate")
    return claim_id


def test_other_outlets_reviews_are_context_never_exported_as_ours(tmp_path: Path) -> None:
    reviews = tmp_path / "reviews.jsonld"
    reviews.write_text(json.dumps(POLITIFACT))
    fc("import", str(reviews))
    set_org()
    exported = fc("export", "claimreview", "--unpublished")
    assert json.loads(exported.stdout) == []
    assert "Vaccines" not in exported.stdout and "PolitiFact" not in exported.stdout
    # Shown as their check, not ours, in review and claim show.
    row = json.loads(fc("review", "--format", "json").stdout)[0]
    assert row["verdict"] is None and row["checked_by"] == "PolitiFact: Pants on Fire"
    table = fc("review").stdout
    assert "(PolitiFact: Pants on Fire)" in table
    shown = fc("claim", "show", "1").stdout
    assert "checked by PolitiFact: Pants on Fire" in shown
    # It cannot be published as ours either.
    one_error(fc("claim", "publish", "1", ok=False), "no verdict of this desk's own")


def test_claimreview_takes_published_claims_only_unless_asked(tmp_path: Path) -> None:
    set_org()
    reviewed = complete_claim()
    published = complete_claim("North Korea was behind the WannaCry attack")
    fc("claim", "edit", published, "--summary", "North Korea was behind WannaCry")
    fc("claim", "publish", published, "--url", "https://factcheck.example.org/wannacry-nk")
    result = fc("export", "claimreview")
    reviews = json.loads(result.stdout)
    assert [r["url"] for r in reviews] == ["https://factcheck.example.org/wannacry-nk"]
    assert f"1 published claim(s) exported ({published})" in result.stderr
    assert "1 rated claim(s) not published were left out" in result.stderr
    both = json.loads(fc("export", "claimreview", "--unpublished").stdout)
    assert len(both) == 2
    only = json.loads(fc("export", "claimreview", "--claim", reviewed, "--unpublished").stdout)
    assert [r["claimReviewed"] for r in only] == ["WannaCry hit 300,000 computer users"]


def conflicted_desk(tmp_path: Path) -> Path:
    """A desk whose claim 1 has two rival verdicts, made on two copies and merged."""
    desk = tmp_path / "desk.db"
    complete_claim()
    fc("db", "backup", str(tmp_path / "sam.db"))
    fc("--as", "Sam", "verdict", "add", "1", "false", db=tmp_path / "sam.db")
    fc("verdict", "add", "1", "true")
    merged = fc("merge", str(tmp_path / "sam.db"))
    assert "conflict: claim 1 (WannaCry affected around 300,000 computer users)" in merged.stderr
    return desk


def test_a_disputed_claim_cannot_be_published_or_exported(tmp_path: Path) -> None:
    desk = conflicted_desk(tmp_path)
    set_org()
    before = dump(desk)
    message = one_error(fc("claim", "status", "1", "published", ok=False), "conflict")
    assert "factcheck verdict add 1" in message and "false" in message and "true" in message
    one_error(fc("claim", "publish", "1", "--url", "https://x.example/a", ok=False), "conflict")
    assert dump(desk) == before
    # A desk that was published before the conflict came in: export refuses it too.
    strict = fc("export", "claimreview", "--unpublished", "--strict", ok=False)
    one_error(strict, "problem")
    assert "claim 1 left out" in strict.stderr and "conflict" in strict.stderr
    lenient = fc("export", "claimreview", "--unpublished")
    assert json.loads(lenient.stdout) == []
    assert "warning: claim 1 left out" in lenient.stderr
    # Resolving it with a new verdict makes it publishable.
    fc("verdict", "add", "1", "half-true", "--rationale", "decided")
    fc("claim", "publish", "1", "--url", "https://factcheck.example.org/a")


def test_a_new_verdict_after_publishing_needs_an_update(tmp_path: Path) -> None:
    set_org()
    claim_id = complete_claim()
    fc(
        "claim",
        "publish",
        claim_id,
        "--url",
        "https://factcheck.example.org/a",
        "--date",
        "2017-12",
    )
    added = fc("verdict", "add", claim_id, "false")
    assert "now needs an update" in added.stderr
    assert "needs update" in fc("review").stdout
    assert json.loads(fc("review", "--format", "json").stdout)[0]["needs_update"] is True
    result = fc("export", "claimreview")
    review = json.loads(result.stdout)[0]
    # What was published is what the markup states until the article is updated.
    assert review["reviewRating"]["alternateName"] == "Mostly True"
    assert review["datePublished"] == "2017-12"
    assert "newer verdict than the one published" in result.stderr
    fc("claim", "publish", claim_id, "--date", "2017-12-24")  # updated at the same address
    updated = json.loads(fc("export", "claimreview").stdout)[0]
    assert updated["reviewRating"]["alternateName"] == "False"
    assert updated["url"] == "https://factcheck.example.org/a"
    assert updated["datePublished"] == "2017-12-24"
    fc("claim", "status", claim_id, "published")  # again: nothing to record, nothing lost
    fc("claim", "publish", claim_id, "--url", "https://factcheck.example.org/a-updated")
    shown = json.loads(fc("claim", "show", claim_id, "--format", "json").stdout)
    assert shown["publication"]["url"] == "https://factcheck.example.org/a-updated"
    assert fc("review", "--format", "json").stdout.count('"needs_update": false') == 1


def test_strict_passes_when_everything_is_recorded_and_every_warning_names_its_command(
    tmp_path: Path,
) -> None:
    claim_id = fc("claim", "add", "Unemployment fell by half", "--speaker", "The ministry").stdout
    claim_id = claim_id.strip()
    fc("verdict", "add", claim_id, "mostly-false")
    fc("claim", "status", claim_id, "published")
    result = fc("export", "claimreview", "--strict", ok=False)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 5
    for warning in warnings:
        assert "factcheck " in warning, warning  # each names the command that fixes it
    set_org()
    fc("claim", "edit", claim_id, "--speaker-type", "organization", "--date", "2024-03")
    fc("claim", "publish", claim_id, "--url", "https://factcheck.example.org/unemployment")
    result = fc("export", "claimreview", "--strict")
    assert "warning" not in result.stderr
    review = json.loads(result.stdout)[0]
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "The ministry"}
    assert review["itemReviewed"]["datePublished"] == "2024-03"
    assert review["url"] == "https://factcheck.example.org/unemployment"
    assert review["author"]["name"] == "Example Fact Check"
    # Google's required fields are all there.
    assert {"claimReviewed", "reviewRating", "url", "author"} <= set(review)
    assert review["reviewRating"]["alternateName"] == "Mostly False"


def test_desk_json_with_an_untitled_source_merges_into_a_new_desk(tmp_path: Path) -> None:
    claim_id = complete_claim()
    fc(
        "evidence",
        "add",
        claim_id,
        "--url",
        "https://www.europol.europa.eu/newsroom",
        "--stance",
        "context",
    )
    fc("export", "json", "-o", str(tmp_path / "desk.json"))
    other = tmp_path / "other.db"
    fc("merge", str(tmp_path / "desk.json"), db=other)
    shown = json.loads(fc("claim", "show", "1", "--format", "json", db=other).stdout)
    assert shown["evidence"][0]["source_url"] == "https://www.europol.europa.eu/newsroom"
    assert shown["evidence"][0]["source_title"] is None


def test_csv_round_trip_with_imported_reviews_and_publisher_labels(tmp_path: Path) -> None:
    reviews = tmp_path / "reviews.jsonld"
    reviews.write_text(json.dumps(POLITIFACT))
    fc("import", str(reviews))
    complete_claim()
    fc("export", "csv", "-o", str(tmp_path / "claims.csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "claims.csv").read_text())))
    assert [r["id"] for r in rows] == ["1", "2"] and all(len(r["uuid"]) == 36 for r in rows)
    assert (rows[0]["checked_by"], rows[0]["checked_by_rating"]) == ("PolitiFact", "Pants on Fire")
    other = tmp_path / "other.db"
    fc("import", str(tmp_path / "claims.csv"), db=other)
    again = json.loads(fc("review", "--format", "json", "--sort", "id", db=other).stdout)
    assert [r["checked_by"] for r in again] == ["PolitiFact: Pants on Fire", None]
    assert again[1]["verdict"] == "mostly-true"
    # A publisher's own label ("Miscaptioned") comes in from a hand-made sheet too.
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "text,checked_by,checked_by_rating\nThe photo shows Kyiv,Snopes,Miscaptioned\n"
    )
    fc("import", str(sheet), db=other)
    assert "Snopes: Miscaptioned" in fc("review", "--format", "csv", db=other).stdout


def test_a_failed_import_leaves_no_new_file_and_names_the_line(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("text,verdict,verdict_scale\nfine,false,politifact\nbad,false,nosuchscale\n")
    fresh = tmp_path / "fresh.db"
    message = one_error(fc("import", str(sheet), db=fresh, ok=False), "unknown rating scale")
    assert f"{sheet} line 3" in message
    assert not fresh.exists() and not list(tmp_path.glob("fresh.db*"))


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2017", "2017"),
        ("2017-05", "2017-05"),
        ("14 May 2017", "2017-05-14"),
        ("May 2017", "2017-05"),
    ],
)
def test_dates_are_kept_at_the_precision_given(given: str, stored: str) -> None:
    fc("claim", "add", "x", "--date", given)
    assert json.loads(fc("claim", "show", "1", "--format", "json").stdout)["claim_date"] == stored


@pytest.mark.parametrize("given", ["03/04/2017", "4.3.2017", "yesterday", "2017-02-30"])
def test_ambiguous_or_impossible_dates_are_refused(given: str) -> None:
    fc("claim", "add", "x")
    message = one_error(fc("claim", "edit", "1", "--date", given, ok=False), "date")
    assert "2017-05-14" in message or "not a real date" in message


@pytest.mark.parametrize("command", [("claim", "show", "1"), ("stats",), ("review",)])
def test_commands_are_silent_when_the_reader_leaves(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    for number in range(3):
        fc("claim", "add", f"Claim number {number} about the budget")
    shell = f"{factcheck_exe()} {' '.join(command)} | head -c 1 >/dev/null"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True)
    assert result.stderr == ""


def test_claim_show_gives_notes_and_whole_excerpts(tmp_path: Path) -> None:
    claim_id = complete_claim()
    excerpt = "around 300,000 computer users in more than 150 countries were affected"
    long_url = "https://example.org/" + "a" * 150
    fc(
        "evidence",
        "add",
        claim_id,
        "--url",
        long_url,
        "--stance",
        "supports",
        "--excerpt",
        excerpt,
        "--note",
        "Microsoft's own blog; ask Europol for theirs",
    )
    shown = fc("claim", "show", claim_id).stdout
    assert excerpt in shown
    assert "our note: Microsoft's own blog; ask Europol for theirs" in shown
    assert long_url not in shown and "…" in shown
    assert long_url in fc("claim", "show", claim_id, "--full").stdout


def test_review_gives_the_text_the_room(tmp_path: Path) -> None:
    text = "The ransomware spread to hospitals across the United Kingdom within hours"
    fc(
        "claim",
        "add",
        text,
        "--speaker",
        "A spokesperson for the National Health Service England " * 2,
    )
    table = run_installed("review", env={"COLUMNS": "100"}).stdout.splitlines()
    assert max(len(line) for line in table) <= 100
    widths = [len(cell) for cell in table[1].split("  ") if cell]  # the ---- under each header
    assert widths[1] == max(widths) >= 30  # the text column gets the most room
    assert "A spokesperson for…" in table[2]
    assert text in run_installed("review", "--full", env={"COLUMNS": "100"}).stdout


def test_speaker_filter_matches_part_of_a_name_and_says_when_nothing_matches() -> None:
    fc("claim", "add", "North Korea is directly responsible", "--speaker", "Tom Bossert")
    rows = json.loads(fc("review", "--speaker", "bossert", "--format", "json").stdout)
    assert [r["speaker"] for r in rows] == ["Tom Bossert"]
    nothing = fc("review", "--speaker", "nobody")
    assert nothing.stderr.strip() == "No claims match these filters."


def test_search_stems_words() -> None:
    fc("claim", "add", "WannaCry affected around 300,000 computer users")
    found = json.loads(fc("search", "computers", "--format", "json").stdout)
    assert [r["id"] for r in found] == [1]


def test_merge_names_claims_by_id_and_words_and_ignores_the_same_change(tmp_path: Path) -> None:
    fc("claim", "add", "WannaCry affected around 300,000 computer users")
    fc("claim", "add", "North Korea was behind the attack")
    copy = tmp_path / "sam.db"
    fc("db", "backup", str(copy))
    fc("claim", "edit", "1", "--speaker", "Brad Smith")
    fc("--as", "Sam", "claim", "edit", "1", "--speaker", "Brad Smith", db=copy)
    fc("claim", "edit", "2", "--speaker", "Tom Bossert")
    fc("--as", "Sam", "claim", "edit", "2", "--speaker", "Thomas Bossert", db=copy)
    merged = fc("merge", str(copy))
    lines = [line for line in merged.stderr.splitlines() if "edited on both sides" in line]
    assert len(lines) == 1, merged.stderr
    assert "speaker of claim 2 (North Korea was behind the attack)" in lines[0]


def test_a_rating_on_exactly_one_scale_needs_no_scale() -> None:
    fc("claim", "add", "x")
    fc("verdict", "add", "1", "mixture", "--scale", "snopes")
    fc("verdict", "add", "1", "half-true")  # only PolitiFact has it
    assert json.loads(fc("claim", "show", "1", "--format", "json").stdout)["verdict"] == "half-true"


def test_import_says_what_it_did_and_scripts_get_ids_as_json(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[1] / "seeds" / "wannacry-attribution.txt"
    result = fc("import", str(seed))
    assert result.stdout == ""
    assert "factcheck review --source 1" in result.stderr
    again = json.loads(fc("import", str(seed), "--format", "json").stdout)
    assert again["source_id"] == 1 and again["duplicate"] is True and again["claims"]
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Hello</p></body></html>")
    message = one_error(fc("merge", str(page), ok=False), "not a desk")
    assert f"factcheck import {page}" in message and "--db" not in message


def test_extraction_guesses_the_speaker_type_and_the_export_uses_it() -> None:
    seed = Path(__file__).resolve().parents[1] / "seeds" / "wannacry-attribution.txt"
    fc("import", str(seed))
    rows = json.loads(fc("review", "--format", "json", "--sort", "id").stdout)
    by_speaker = {r["speaker"]: r["id"] for r in rows if r["speaker"]}
    korea = str(by_speaker["North Korea"])
    shown = json.loads(fc("claim", "show", korea, "--format", "json").stdout)
    assert shown["speaker_type"] == "organization"
    bossert = json.loads(
        fc("claim", "show", str(by_speaker["Tom Bossert"]), "--format", "json").stdout
    )
    assert bossert["speaker_type"] == "person"
    fc("verdict", "add", korea, "true")
    review = json.loads(fc("export", "claimreview", "--unpublished", "--claim", korea).stdout)[0]
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "North Korea"}
