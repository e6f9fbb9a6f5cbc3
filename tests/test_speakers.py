"""Speakers as rows: names and aliases, records, merging speakers, and merging desks."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from factcheck.db import SCHEMA_VERSION
from factcheck.fields import speaker_key
from tests.conftest import SEED, assert_error, dump, run_installed
from tests.test_migrations import make_old_file


def fc(run, path: Path, *args: str):  # type: ignore[no-untyped-def]
    result = run("--db", str(path), *args)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def speakers(run, path: Path) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    return json.loads(fc(run, path, "speaker", "list", "--format", "json").stdout)


def record(run, path: Path) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    """What `speaker list` says, without this file's integer ids."""
    return [
        (s["name"], tuple(s["aliases"]), s["claims"], tuple(s["verdicts"].items()))
        for s in speakers(run, path)
    ]


def rows(path: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_one_rule_says_when_two_names_are_the_same() -> None:
    assert speaker_key("José  Ramos") == speaker_key("jose ramos") == "jose ramos"
    assert speaker_key("TOM BOSSERT") == speaker_key("Tom Bossert")
    assert speaker_key("Bossert") != speaker_key("Tom Bossert")


def test_import_links_claims_to_an_existing_speaker(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    fc(run, db_path, "claim", "add", "The attack was reckless", "--speaker", "tom  BOSSERT")
    [(first_uuid,)] = rows(db_path, "SELECT uuid FROM speaker")
    fc(run, db_path, "import", str(SEED))
    found = rows(db_path, "SELECT uuid, name FROM speaker")
    bosserts = [u for u, name in found if speaker_key(name) == "tom bossert"]
    assert bosserts == [first_uuid]  # linked, not a second row
    claimed = {name for (name,) in rows(db_path, "SELECT DISTINCT speaker FROM claim")} - {None}
    assert {speaker_key(n) for n in claimed} == {speaker_key(n) for _, n in found}
    listed = {s["name"]: s["claims"] for s in speakers(run, db_path)}
    in_claims = rows(db_path, "SELECT count(*) FROM claim WHERE lower(speaker) LIKE '%bossert%'")
    assert listed["tom  BOSSERT"] == in_claims[0][0]


def test_list_shows_each_speakers_record_of_our_verdicts(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    fc(run, db_path, "claim", "add", "One", "--speaker", "Jane Doe", "--speaker-type", "person")
    fc(run, db_path, "claim", "add", "Two", "--speaker", "jane doe")
    fc(run, db_path, "claim", "add", "Three", "--speaker", "Acme", "--speaker-type", "organization")
    fc(run, db_path, "claim", "add", "Four", "--speaker", "Jane Doe")
    fc(run, db_path, "verdict", "add", "1", "false", "--scale", "politifact")
    fc(run, db_path, "verdict", "add", "2", "false", "--scale", "politifact")
    fc(run, db_path, "verdict", "add", "4", "true", "--scale", "politifact")
    fc(run, db_path, "verdict", "add", "4", "half-true")  # a correction: only the newest counts
    assert [(s["name"], s["type"], s["claims"], s["verdicts"]) for s in speakers(run, db_path)] == [
        ("Jane Doe", "person", 3, {"false": 2, "half-true": 1}),
        ("Acme", "organization", 1, {}),
    ]
    table = fc(run, db_path, "speaker", "list").stdout.splitlines()
    assert table[0].split() == ["id", "name", "type", "aliases", "claims", "verdicts"]
    assert table[2].split() == ["1", "Jane", "Doe", "person", "3", "false", "2,", "half-true", "1"]
    lines = fc(run, db_path, "speaker", "list", "--format", "csv").stdout.splitlines()
    assert lines[0] == "id,uuid,name,type,aliases,claims,verdicts"
    assert lines[1].endswith(',Jane Doe,person,,3,"false 2, half-true 1"')


def test_merge_makes_one_speaker_that_review_finds_by_any_name(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    fc(run, db_path, "claim", "add", "Said in full", "--speaker", "Robert Colligan")
    fc(run, db_path, "claim", "add", "Said short", "--speaker", "Colligan")
    fc(run, db_path, "claim", "add", "Someone else", "--speaker", "Jane Doe")

    def review(name: str) -> list[str]:
        out = fc(run, db_path, "review", "--speaker", name, "--format", "json").stdout
        return sorted(r["text"] for r in json.loads(out))

    assert review("Robert Colligan") == ["Said in full"]
    result = fc(run, db_path, "speaker", "merge", "Robert Colligan", "2")  # by name and by id
    assert result.stderr == "Merged: Robert Colligan (also: Colligan)\n"
    assert record(run, db_path) == [
        ("Robert Colligan", ("Colligan",), 2, ()),
        ("Jane Doe", (), 1, ()),
    ]
    assert review("Robert Colligan") == review("colligan") == ["Said in full", "Said short"]
    fc(run, db_path, "speaker", "alias", "colligan", "Bob Colligan")
    assert review("bob colligan") == ["Said in full", "Said short"]
    assert review("Jane") == ["Someone else"]  # part of a name still finds it
    # The merge is an edit in the change log: undone, it stays in the history.
    fc(run, db_path, "speaker", "unmerge", "Colligan")
    assert review("Robert Colligan") == ["Said in full"]
    shown = json.loads(fc(run, db_path, "speaker", "show", "Colligan", "--format", "json").stdout)
    assert [(c["new"] is None, c["created_by"]) for c in shown[0]["history"]] == [
        (True, "tester"),
        (False, "tester"),
    ]
    sheet = fc(run, db_path, "speaker", "show", "Colligan", "--format", "csv").stdout
    [row] = list(csv.DictReader(io.StringIO(sheet)))
    assert json.loads(row["history"]) == shown[0]["history"]


def test_bad_speaker_commands_change_nothing(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    fc(run, db_path, "claim", "add", "One", "--speaker", "Jane Doe")
    fc(run, db_path, "claim", "add", "Two", "--speaker", "J. Doe")
    fc(run, db_path, "speaker", "alias", "Jane Doe", "Janie")
    before = dump(db_path)
    cases = [
        (("speaker", "merge", "Jane Doe", "Nobody"), "no speaker named or numbered 'Nobody'"),
        (("speaker", "merge", "Jane Doe", "janie"), "are already one speaker"),
        (("speaker", "alias", "Jane Doe", "  "), "the alias is empty"),
        (("speaker", "alias", "Jane Doe", "JANIE"), "already goes by"),
        (("speaker", "unmerge", "J. Doe"), "was not merged into another speaker"),
        (("speaker", "show", "99"), "no speaker named or numbered '99'"),
    ]
    for args, message in cases:
        assert_error(run("--db", str(db_path), *args), message)
    usage = run("--db", str(db_path), "speaker", "merge", "Jane Doe")
    assert usage.exit_code == 2 and "Missing argument 'OTHER'" in usage.stderr
    assert dump(db_path) == before


def test_speaker_rows_are_append_only_but_for_merges(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    fc(run, db_path, "claim", "add", "One", "--speaker", "Jane Doe")
    fc(run, db_path, "speaker", "alias", "Jane Doe", "Janie")
    conn = sqlite3.connect(db_path)
    try:
        for statement in (
            "UPDATE speaker SET name = 'Someone else'",
            "DELETE FROM speaker",
            "UPDATE speaker_alias SET alias = 'x'",
            "DELETE FROM speaker_alias",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
        conn.execute("UPDATE speaker SET merged_into = NULL")  # what the change log replays
    finally:
        conn.close()


def test_upgrade_makes_a_speaker_of_each_claim_speaker(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.db"
    make_old_file(path, "0005")
    conn = sqlite3.connect(path)
    claims = [
        ("c-1", "Tom Bossert", None, "2020-01-02 00:00:00", "ann"),
        ("c-2", "Tom Bossert", "person", "2020-01-01 00:00:00", "bob"),
        ("c-3", "Acme", "organization", "2020-01-03 00:00:00", "ann"),
        ("c-4", None, None, "2020-01-04 00:00:00", "ann"),
    ]
    conn.executemany(
        "INSERT INTO claim (uuid, text, speaker, speaker_type, status, created_at, created_by) "
        "VALUES (?, 'A claim', ?, ?, 'new', ?, ?)",
        claims,
    )
    conn.commit()
    conn.close()
    fc(run, path, "db", "upgrade")
    found = rows(path, "SELECT name, speaker_type, created_at, created_by, uuid FROM speaker")
    assert sorted(r[:4] for r in found) == [
        ("Acme", "organization", "2020-01-03 00:00:00", "ann"),
        ("Tom Bossert", "person", "2020-01-01 00:00:00", "bob"),
    ]
    for *_, uuid in found:  # canonical UUIDs, as every other row has
        assert len(uuid) == 36 and uuid[14] == "4" and uuid[19] in "89ab"
    assert rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    fc(run, path, "db", "check")
    assert [(s["name"], s["claims"]) for s in speakers(run, path)] == [
        ("Tom Bossert", 2),
        ("Acme", 1),
    ]


@pytest.fixture
def two_desks(db_path: Path, run, tmp_path: Path):  # type: ignore[no-untyped-def]
    fc(run, db_path, "claim", "add", "The attack cost billions", "--speaker", "Tom Bossert")
    fc(run, db_path, "claim", "add", "It was reckless", "--speaker", "Bossert")
    a, b = tmp_path / "ann.db", tmp_path / "bob.db"
    fc(run, db_path, "db", "backup", str(a))
    fc(run, db_path, "db", "backup", str(b))
    return a, b


def merged_both_ways(run, a: Path, b: Path, tmp_path: Path) -> tuple[list, list]:  # type: ignore[no-untyped-def,type-arg]
    ab, ba = tmp_path / "ab.db", tmp_path / "ba.db"
    shutil.copyfile(a, ab)
    shutil.copyfile(b, ba)
    fc(run, ab, "merge", str(b))
    other = tmp_path / "ann.json"
    fc(run, a, "export", "json", "-o", str(other))
    fc(run, ba, "merge", str(other))  # the JSON route the other way
    return record(run, ab), record(run, ba)


def test_a_merge_and_a_new_claim_under_the_old_name_meet(two_desks, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = two_desks
    fc(run, a, "speaker", "merge", "Tom Bossert", "Bossert")
    fc(run, b, "claim", "add", "North Korea did it", "--speaker", "bossert")
    fc(run, b, "verdict", "add", "3", "true", "--scale", "politifact")
    ab, ba = merged_both_ways(run, a, b, tmp_path)
    assert ab == ba == [("Tom Bossert", ("Bossert",), 3, (("true", 1),))]


def test_rival_merges_on_two_desks_end_up_one_speaker(two_desks, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = two_desks
    fc(run, a, "speaker", "merge", "Tom Bossert", "Bossert")
    fc(run, b, "speaker", "merge", "Bossert", "Tom Bossert")
    ab, ba = merged_both_ways(run, a, b, tmp_path)
    assert ab == ba
    assert [(name, claims) for name, _, claims, _ in ab] == [("Tom Bossert", 2)]


def test_the_same_name_added_on_two_desks_is_one_speaker(
    db_path: Path, run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    a, b = tmp_path / "ann.db", tmp_path / "bob.db"
    fc(run, db_path, "db", "backup", str(a))
    fc(run, db_path, "db", "backup", str(b))
    fc(run, a, "claim", "add", "One", "--speaker", "Tom Bossert", "--speaker-type", "person")
    fc(run, b, "claim", "add", "Two", "--speaker", "TOM BOSSERT")
    fc(run, b, "speaker", "alias", "tom bossert", "Thomas Bossert")
    ab, ba = merged_both_ways(run, a, b, tmp_path)
    assert len(rows(tmp_path / "ab.db", "SELECT uuid FROM speaker")) == 2  # both rows kept
    assert ab == ba
    [(name, aliases, claims, _)] = ab
    assert claims == 2 and {speaker_key(n) for n in (name, *aliases)} == {
        "tom bossert",
        "thomas bossert",
    }


def test_speaker_list_through_the_installed_command(tmp_path: Path) -> None:
    env = {"FACTCHECK_DB": str(tmp_path / "cli.db")}
    done = run_installed("import", str(SEED), env=env)
    assert done.returncode == 0, done.stderr
    done = run_installed("speaker", "merge", "Tom Bossert", "North Korea", env=env)
    assert done.returncode == 0 and done.stderr.startswith("Merged: Tom Bossert"), done.stderr
    done = run_installed("speaker", "list", "--format", "jsonl", env=env)
    assert done.returncode == 0, done.stderr
    listed = [json.loads(line) for line in done.stdout.splitlines()]
    bossert = next(s for s in listed if s["name"] == "Tom Bossert")
    assert bossert["aliases"] == ["North Korea"]
    done = run_installed("speaker", "merge", "Nobody", "Tom Bossert", env=env)
    assert done.returncode == 1 and done.stderr.startswith("Error: no speaker named")
    assert "Traceback" not in done.stderr


def test_a_claims_sheet_links_and_adds_speakers(db_path: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fc(run, db_path, "claim", "add", "Already here", "--speaker", "Jane Doe")
    sheet = tmp_path / "claims.csv"
    sheet.write_text(
        "text,speaker,speaker_type\n"
        "One,JANE DOE,person\n"
        "Two,Acme,organization\n"
        "Three,Acme,organization\n"
        "Four,,\n"
    )
    fc(run, db_path, "import", str(sheet))
    assert rows(db_path, "SELECT name, speaker_type FROM speaker ORDER BY id") == [
        ("Jane Doe", None),
        ("Acme", "organization"),
    ]
    assert [(s["name"], s["claims"]) for s in speakers(run, db_path)] == [
        ("Jane Doe", 2),
        ("Acme", 2),
    ]
