"""A claims sheet (CSV) imported into a PostgreSQL server: the same claims, output and refusals
as on a desk file, through the server's own bulk path (COPY), all or nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_factcheck

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# More rows than one batch of the importer (5,000), so that a refusal after a batch went in
# must take that batch back too.
ROWS = 5_200


def _fc(*args: str, db: str) -> Any:
    # `import` itself runs through the installed command, end to end; the set-up and the reads
    # that compare the two sides run in-process (tests.conftest.run_in_process), which is faster.
    return run_factcheck("--db", db, *args, installed=args[0] == "import")


def _ok(*args: str, db: str) -> str:
    done = _fc(*args, db=db)
    assert done.returncode == 0, (args, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stdout


def _sheet(path: Path, *, bad_line: int | None = None) -> Path:
    """A sheet with every kind of row the importer handles: plain claims, one with its own
    uuid, a source, our verdict, another fact-checker's rating, scores and times."""
    lines = [
        "text,speaker,uuid,source_url,source_title,score,created_at,status,verdict,"
        "verdict_rationale,checked_by,checked_by_rating",
        "The bridge cost $4m,Mayor Ortiz,,https://news.example.org/bridge,Bridge,0.9,"
        "2024-03-01T10:00:00Z,researching,,,,",
        "Unemployment is 4%,,6f1c2b1e-8a1d-4c55-9f0e-2b3a4c5d6e7f,,,0.25,,,false,"
        "It was 5.1% in the survey,,",
        "The photo shows Kyiv,Anon Poster,,https://news.example.org/bridge,,,,,,,"
        "Snopes,Miscaptioned",
    ]
    for n in range(len(lines) + 1, ROWS + 2):
        score = "abc" if n == bad_line else f"{(n % 97) / 100:.2f}"
        lines.append(
            f"Imported claim {n} says crime rose {n % 13} percent,Speaker {n % 31},,,,{score},,,,,,"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


_KNOWN_UUID = "6f1c2b1e-8a1d-4c55-9f0e-2b3a4c5d6e7f"
_FRESH_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# a time the import made (now), not one the sheet gave (2024-03-01)
_NOW = re.compile(r"20(?!24-03-01)\d\d-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)?")


def _content(text: str) -> str:
    """Output less what each import makes afresh: new uuids and the time of the import."""
    text = _FRESH_UUID.sub(lambda m: m[0] if m[0] == _KNOWN_UUID else "UUID", text)
    return _NOW.sub("NOW", text)


def _desk(db: str) -> dict[str, str]:
    """What a person sees of the desk: listings whose bytes depend on the content alone."""
    return {
        " ".join(args): _content(_ok(*args, db=db))
        for args in (
            ("review", "--all", "--sort", "id", "--format", "csv"),
            ("review", "--all", "--format", "csv"),
            ("speaker", "list"),
            ("source", "show", "1"),
            ("claim", "show", "1", "--format", "json"),
            ("claim", "show", "2"),
            ("claim", "show", "3"),
            ("stats", "--format", "json"),
        )
    }


def test_a_claims_sheet_imports_on_a_server_as_on_a_file(
    db_path: Path, pg_url: str, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path / "claims.csv")
    seen: dict[str, Any] = {}
    for db in (str(db_path), pg_url):
        done = _fc("import", str(sheet), db=db)
        assert done.returncode == 0, done.stderr
        again = _fc("import", str(sheet), db=db)
        assert again.returncode == 0, again.stderr
        hits = json.loads(_ok("search", "Kyiv photo", "--format", "json", db=db))
        seen[db] = (done.stderr, again.stderr, _desk(db), [h["id"] for h in hits])
    on_file, on_server = seen[str(db_path)], seen[pg_url]
    assert on_file[0].endswith(f"{ROWS} claims, 2 verdicts, 1 new sources\n"), on_file[0]
    # (only a row with its own uuid is known again; the others get new uuids each time)
    assert on_file[1].endswith(
        f"{ROWS - 1} claims, 1 verdicts, 0 new sources; 1 rows already here\n"
    )
    assert on_server[:2] == on_file[:2]
    assert _KNOWN_UUID in on_file[2]["review --all --sort id --format csv"]
    assert "2024-03-01" in on_file[2]["claim show 1 --format json"]
    for key, text in on_file[2].items():
        assert on_server[2][key] == text, key
    # the server's own full-text index (kept by PostgreSQL) holds the imported rows
    assert on_server[3] == on_file[3] == [3, ROWS + 2]


@pytest.mark.parametrize("bad_line", [4 + 100, ROWS + 1])
def test_a_bad_row_imports_nothing_on_a_server_as_on_a_file(
    db_path: Path, pg_url: str, tmp_path: Path, bad_line: int
) -> None:
    """One `Error:` line naming the line and the column, and nothing stored, even when the
    bad row comes after a batch of 5,000 went in."""
    import psycopg

    sheet = _sheet(tmp_path / "bad.csv", bad_line=bad_line)
    _ok("claim", "add", "Already on the desk", db=pg_url)
    _ok("claim", "add", "Already on the desk", db=str(db_path))
    lines = {}
    for db in (str(db_path), pg_url):
        done = _fc("import", str(sheet), db=db)
        assert done.returncode == 1 and done.stdout == "", done.stderr
        assert "Traceback" not in done.stderr
        lines[db] = done.stderr.strip().splitlines()
    assert lines[pg_url] == lines[str(db_path)]
    assert lines[pg_url] == [
        f"Error: {sheet} line {bad_line}: score 'abc' is not a number between 0 and 1"
    ]
    with psycopg.connect(pg_url) as conn:
        counts = [
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()  # type: ignore[arg-type]
            for t in ("claim", "source", "speaker", "verdict", "rating_scale")
        ]
    assert counts == [(1,), (0,), (0,), (0,), (3,)]
    listing = ("review", "--all", "--format", "csv")
    assert _content(_ok(*listing, db=pg_url)) == _content(_ok(*listing, db=str(db_path)))


def _importing(url: str, sheet: Path) -> tuple[Any, int]:
    """`factcheck import sheet` started, and the server pid of its transaction once it holds
    the write lock."""
    import subprocess
    import time

    import psycopg

    from tests.conftest import factcheck_exe
    from tests.test_postgres_faults import _write_lock_holder

    proc = subprocess.Popen(
        [factcheck_exe(), "--db", url, "import", str(sheet)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with psycopg.connect(url, autocommit=True) as watcher:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            backend = _write_lock_holder(watcher)
            if backend is not None:
                return proc, backend
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("the import never began writing")


def test_a_server_that_ends_an_import_midway_is_one_error_and_nothing_stored(
    pg_url: str, tmp_path: Path
) -> None:
    import time

    import psycopg

    sheet = tmp_path / "big.csv"
    sheet.write_text(
        "text,speaker\n" + "".join(f"Claim {i} of many,Speaker {i % 50}\n" for i in range(60_000))
    )
    proc, backend = _importing(pg_url, sheet)
    time.sleep(1.0)  # inside its transaction: rows are going in
    assert proc.poll() is None, "the import finished before the server could end it"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and out == "", err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: lost the connection to postgresql://")
    assert "before the command finished; nothing was written" in lines[0]
    assert "Traceback" not in err and _password(pg_url) not in err
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM claim").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM speaker").fetchone() == (0,)
    assert _fc("import", str(tmp_path / "none.csv"), db=pg_url).returncode == 1  # no such file
    one = tmp_path / "one.csv"
    one.write_text("text\nAfter the server ended the import\n")
    assert "1 claims" in _fc("import", str(one), db=pg_url).stderr


def test_a_role_that_may_only_read_gets_the_read_only_error_for_an_import(
    pg_server: Any, pg_url: str, tmp_path: Path
) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    database = make_url(pg_url).database
    role = f"{database}_reader"
    pg_server.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'reads-only'")  # safe: ours
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")  # type: ignore[arg-type]  # safe: ours
    reader = make_url(pg_url).set(username=role, password="reads-only")
    sheet = tmp_path / "claims.csv"
    sheet.write_text("text\nA claim a reader may not add\n")
    done = _fc("import", str(sheet), db=reader.render_as_string(hide_password=False))
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Error: {reader.set(drivername='postgresql').render_as_string(hide_password=True)} "
        "refused this: your database role may not do it (it is read-only for you); nothing "
        "was written. Ask the server's administrator for a role that may write (README: Roles)"
    ]
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM claim").fetchone() == (0,)


def _password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).password or "")


def test_review_of_every_claim_streams_the_same_bytes_on_both_backends(
    db_path: Path, pg_url: str, tmp_path: Path
) -> None:
    """`review` without --limit, as CSV or JSON lines, is printed a chunk (2,000 rows) at a
    time as it is read: the same bytes as the list a --limit prints whole, tags and all."""
    sheet = tmp_path / "claims.csv"
    sheet.write_text(
        "text,speaker,score\n"
        + "".join(f"Claim {i} of the desk,Speaker {i % 7},{(i % 89) / 100}\n" for i in range(4_500))
        + "Unscored claim,,\n"
    )
    seen = {}
    for db in (str(db_path), pg_url):
        _ok("import", str(sheet), db=db)
        for claim in ("1", "2500", "4400"):
            _ok("claim", "tag", claim, "health", "crime", db=db)
        outputs = {}
        for fmt in ("csv", "jsonl"):
            for sort in ("score", "id"):
                args = ("review", "--all", "--sort", sort, "--format", fmt)
                streamed = _ok(*args, db=db)
                whole = _ok(*args, "--limit", "100000", db=db)
                assert streamed == whole, (db, fmt, sort)
                outputs[fmt, sort] = _content(streamed)
        assert outputs["csv", "id"].count("\n") == 4_502  # the header and every claim
        assert '"crime, health"' in outputs["csv", "score"]
        seen[db] = outputs
    assert seen[pg_url] == seen[str(db_path)]
