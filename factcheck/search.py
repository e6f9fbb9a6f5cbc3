"""Full-text search (SQLite FTS5, ranked by bm25) and claim matching ("checked before?")."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from factcheck import sqlite
from factcheck.errors import InvalidInput
from factcheck.verdicts import CURRENT_RATING_SQL

NOTICE_SCORE = 0.65  # a new claim this close to an earlier one is pointed out

# Marks around matched words in snippets; the CLI turns them into bold or [brackets].
MARK_START, MARK_END = "\ue000", "\ue001"

_VERDICT = CURRENT_RATING_SQL
_SEARCH_SQL = (
    "SELECT c.id, c.uuid, c.text, c.speaker, c.status, "
    f"snippet(claim_fts, 0, '{MARK_START}', '{MARK_END}', '…', 24) AS snippet, "
    f"bm25(claim_fts, 1.0, 0.6, 0.8) AS rank, {_VERDICT} AS verdict "
    "FROM claim_fts JOIN claim c ON c.id = claim_fts.rowid "
    "WHERE claim_fts MATCH :query AND (:verdict IS NULL OR {verdict} = :verdict) "
    "ORDER BY rank LIMIT :limit"
).replace("{verdict}", _VERDICT)


def search_claims(
    session: Session, query: str, *, verdict: str | None = None, limit: int = 20
) -> list[dict[str, Any]]:
    """Claims matching every word of query (a trailing * searches a prefix), best first."""
    match = sqlite.fts_query(query)
    if match is None:
        raise InvalidInput("give at least one word to search for")
    if limit < 1:
        raise InvalidInput(f"--limit must be 1 or more, not {limit}")
    if verdict is not None:
        from factcheck.verdicts import slugify

        verdict = slugify(verdict)
    # The DB-API cursor directly: for a rare word SQLAlchemy's per-call work would cost more
    # than SQLite's (FTS5 is SQLite-only SQL anyway).
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    cursor = raw.execute(_SEARCH_SQL, {"query": match, "verdict": verdict, "limit": limit})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_CANDIDATES_SQL = (
    f"SELECT c.id, c.uuid, c.text, c.speaker, c.status, {_VERDICT} AS verdict "
    "FROM claim_fts JOIN claim c ON c.id = claim_fts.rowid "
    "WHERE claim_fts MATCH :query AND (:source IS NULL OR c.source_id IS NOT :source) "
    "ORDER BY bm25(claim_fts, 1.0, 0.6, 0.8) LIMIT :limit"
)

_CANDIDATES = text(_CANDIDATES_SQL)


# --- claim matching -------------------------------------------------------------------------

_STOP = frozenset(
    "a about above after again against all also am an and any are around as at be because been "
    "before being below between both but by can could did do does doing down during each few for "
    "from further had has have having he her here hers him his how i if in into is it its itself "
    "just me more most my no nor not now of off on once only or other our ours out over own same "
    "she should so some such than that the their theirs them then there these they this those "
    "through to too under until up very was we were what when where which while who whom why "
    "will with would you your said says say told according nearly almost some roughly".split()
)
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_SCALE_WORDS = {
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "trillion": 1e12,
    "percent": 0.01,
    "%": 0.01,
}


def _words(value: str) -> list[str]:
    words = []
    for word in re.findall(r"[\w%]+", value.lower()):
        if word in _STOP or (len(word) < 3 and not word.isdigit()):
            continue
        # A light stemmer: enough for plurals and -ed/-ing forms in claims.
        for suffix in ("ing", "ed", "es", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        words.append(word)
    return words


def _numbers(value: str) -> set[float]:
    found = set()
    for match in _NUMBER.finditer(value):
        raw = match.group().replace(",", "")
        try:
            number = float(raw)
        except ValueError:
            continue
        after = value[match.end() : match.end() + 12].lower().split()
        if after and after[0] in _SCALE_WORDS and after[0] not in ("percent", "%"):
            number *= _SCALE_WORDS[after[0]]
        found.add(number)
    return found


@lru_cache(maxsize=8192)
def _profile(value: str) -> tuple[frozenset[str], str, frozenset[float]]:
    words = frozenset(_words(value))
    return words, " ".join(sorted(words)), frozenset(_numbers(value))


def similarity(a: str, b: str) -> float:
    """How likely two claims say the same thing, in [0, 1]: shared content words (lightly
    stemmed, stop words out) and fuzzy token overlap (rapidfuzz), adjusted when both carry
    numbers that agree or differ."""
    from rapidfuzz import fuzz

    set_a, joined_a, nums_a = _profile(a)
    set_b, joined_b, nums_b = _profile(b)
    if not set_a or not set_b:
        return 0.0
    containment = len(set_a & set_b) / min(len(set_a), len(set_b))
    fuzzy = fuzz.token_set_ratio(joined_a, joined_b) / 100
    score = 0.55 * containment + 0.45 * fuzzy
    if nums_a and nums_b:
        score += 0.1 if nums_a & nums_b else -0.25
    return round(max(0.0, min(1.0, score)), 3)


def similar_claims(
    session: Session,
    claim_text: str,
    *,
    exclude_id: int | None = None,
    exclude_source: int | None = None,
    limit: int = 10,
    min_score: float = 0.5,
) -> list[dict[str, Any]]:
    """Claims in the desk that may say the same as claim_text, best first, with verdicts.

    Candidates come from the full-text index (any shared word, bm25), then are re-scored."""
    words = sorted(set(_words(claim_text)), key=len, reverse=True)[:12]
    match = sqlite.fts_query(" ".join(w + "*" for w in words), any_word=True) if words else None
    if match is None:
        return []
    rows = session.connection().execute(
        _CANDIDATES, {"query": match, "source": exclude_source, "limit": 100}
    )
    found = []
    for row in rows:
        if row.id == exclude_id:
            continue
        score = similarity(claim_text, row.text)
        if score >= min_score:
            found.append(
                {
                    "id": row.id,
                    "uuid": row.uuid,
                    "score": score,
                    "text": row.text,
                    "speaker": row.speaker,
                    "status": row.status,
                    "verdict": row.verdict,
                }
            )
    found.sort(key=lambda r: (-r["score"], r["id"]))
    return found[:limit]


def claims_of_source(session: Session, source_id: int) -> list[tuple[int, str]]:
    rows = session.connection().execute(
        text("SELECT id, text FROM claim WHERE source_id = :s ORDER BY id"), {"s": source_id}
    )
    return [(r.id, r.text) for r in rows]
