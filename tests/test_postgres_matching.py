"""Claim matching on a PostgreSQL server: full-text (ts_rank) and pg_trgm candidates, against
what a desk file finds; and a server whose role may not add pg_trgm."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import run_factcheck
from tests.pg import PgServer, _free_port  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# A small desk of near-duplicates: rewordings of three claims, and claims that only look alike.
DESK = (
    "Crime rose 40 percent in 2023",
    "Crime went up 40 percent last year",
    "The crime rate rose by 40% in 2023",
    "Unemployment fell to 3.9 percent in May",
    "Unemployment dropped to 3.9% in May",
    "The minister said unemployment fell to 4.1 percent",
    "North Korea was behind the WannaCry attack",
    "The WannaCry ransomware attack came from North Korea",
    "Hackers working for Pyongyang launched WannaCry",
    "Bridge repairs cost $4 million",
)
LOOKUPS = (
    ("claim", "similar", "1"),
    ("claim", "similar", "4"),
    ("claim", "similar", "7"),
    ("claim", "similar", "--text", "Crimes rose forty percent in 2023"),
    ("claim", "similar", "--text", "Unemployment is down to 3.9 percent"),
)


def _fc(*args: str, db: str) -> Any:
    # `claim similar` and `db upgrade` run through the installed command, end to end; the claims
    # they look at are added in-process (tests.conftest.run_in_process), which is faster.
    installed = args[:2] == ("claim", "similar") or args[:2] == ("db", "upgrade")
    return run_factcheck("--db", db, *args, installed=installed)


def _ok(*args: str, db: str) -> str:
    done = _fc(*args, db=db)
    assert done.returncode == 0, (args, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stdout


def _sql(url: str, statement: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def _found(db: str) -> dict[tuple[str, ...], list[tuple[int, str]]]:
    return {
        args: [
            (r["id"], r["text"])
            for r in json.loads(_ok(*args, "--format", "json", "--lexical", db=db))
        ]
        for args in LOOKUPS
    }


def _fill(db: str) -> None:
    for text in DESK:
        _ok("claim", "add", text, db=db)


def test_db_upgrade_adds_pg_trgm_and_the_review_index(pg_url: str) -> None:
    assert _sql(pg_url, "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'") == [
        ("pg_trgm",)
    ]
    indexes = {r[0]: r[1] for r in _sql(pg_url, "SELECT indexname, indexdef FROM pg_indexes")}
    assert "gin_trgm_ops" in indexes["ix_claim_text_trgm"]
    assert "score DESC NULLS LAST, id DESC" in indexes["ix_claim_score_review"]


def test_claim_similar_on_a_server_finds_what_a_file_finds(db_path: Any, pg_url: str) -> None:
    """The same ids and texts, in the same order, on both for every look-up but one. For
    "Unemployment is down to 3.9 percent" both find the same claims, best first the same, but
    the server puts "... fell to 4.1 percent" before "... dropped to 3.9% in May": ts_rank and
    trigram similarity both prefer its shared words (unemployment, percent) and the third
    ranking, the word-and-number measure that knows 4.1 is not 3.9, is outvoted; a file's
    bm25 ranks the shorter claim higher by its length. A file weighs rare words up (bm25's
    IDF), a server does not, so on a large desk the order of near-equal matches can differ."""
    for db in (str(db_path), pg_url):
        _fill(db)
    on_file, on_server = _found(str(db_path)), _found(pg_url)
    *same_order, unemployment = LOOKUPS
    for args in LOOKUPS:
        assert on_file[args], args
        assert sorted(on_server[args]) == sorted(on_file[args]), args
        assert on_server[args][0] == on_file[args][0], args
    for args in same_order:
        assert on_server[args] == on_file[args], args
    assert [i for i, _ in on_file[unemployment]][1:3] == [5, 6]
    assert [i for i, _ in on_server[unemployment]][1:3] == [6, 5]


def test_pg_trgm_finds_a_misspelt_rewording_full_text_search_misses(
    db_path: Any, pg_url: str
) -> None:
    _fill(pg_url)
    """No word of the tip shares a stem with a claim: a file finds nothing, a server's
    trigrams find the claim it misspells."""
    tip = ("claim", "similar", "--text", "Wanacry atack by NKorea", "--format", "json")
    found = [r["id"] for r in json.loads(_ok(*tip, "--lexical", db=pg_url))]
    assert found == [7]
    _sql(pg_url, "DROP INDEX ix_claim_text_trgm")  # full-text candidates alone
    assert json.loads(_ok(*tip, "--lexical", db=pg_url)) == []
    _fill(str(db_path))
    assert json.loads(_ok(*tip, "--lexical", db=str(db_path))) == []


def test_a_role_that_may_not_add_pg_trgm_still_upgrades_and_matches(
    pg_server: PgServer, pg_empty_url: str
) -> None:
    """CREATE EXTENSION needs CREATE on the database: a role with only CREATE on the schema
    upgrades all the same, without the trigram index, and matching uses full-text search."""
    from sqlalchemy.engine import make_url

    database = make_url(pg_empty_url).database
    role = f"{database}_owner"
    pg_server.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'schema-only'")  # safe: ours
    _sql(pg_empty_url, f"GRANT CREATE, USAGE ON SCHEMA public TO {role}")  # safe: ours
    _sql(pg_empty_url, f"REVOKE CREATE ON DATABASE {database} FROM PUBLIC")  # safe: ours
    url = make_url(pg_empty_url).set(username=role, password="schema-only")
    as_role = url.render_as_string(hide_password=False)
    refused = _sql(
        pg_empty_url,
        f"SELECT has_database_privilege('{role}', '{database}', 'CREATE')",  # safe: ours
    )
    assert refused == [(False,)]
    done = _fc("db", "upgrade", db=as_role)
    assert done.returncode == 0, done.stderr
    assert _sql(pg_empty_url, "SELECT to_regclass('ix_claim_text_trgm')") == [(None,)]
    assert _sql(pg_empty_url, "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'") == []
    assert _sql(pg_empty_url, "SELECT to_regclass('ix_claim_score_review') IS NOT NULL") == [
        (True,)
    ]
    _fill(as_role)
    found = _found(as_role)
    # full-text candidates alone, as before pg_trgm: the two rewordings of claim 1 first
    assert {i for i, _ in found[LOOKUPS[0]][:2]} == {2, 3}
    assert all(found[args] for args in LOOKUPS)
