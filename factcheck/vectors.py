"""Claim vectors stored in the desk (the models extra): which claims need one, embedding them
in batches, and reading the current ones back for matching by meaning.

A vector is current while its text_hash is the SHA-256 of the claim's text: an edited claim
keeps its old row (append-only, like every row that merges) and gets a new one from
`factcheck index`. Vectors are float16, little-endian: half the size of float32, and the
cosines they give differ from float32's by less than 0.001 (tests/test_vectors.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from sqlmodel import Session

from factcheck.models import new_uuid, utcnow

BATCH = 1000
_HASH_FUNCTION = "factcheck_sha256"


def text_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def model_id() -> str:
    """The name@version stored with each vector of the shipped embedding model."""
    from factcheck import embedding

    return f"{embedding.MODEL_NAME}@{embedding.MODEL_VERSION}"


def _raw(session: Session) -> Any:
    """The DB-API connection, with the hash function SQL uses to tell a current vector."""
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    raw.create_function(_HASH_FUNCTION, 1, _sql_hash, deterministic=True)
    return raw


def _on_server(session: Session) -> bool:
    return session.connection().dialect.name == "postgresql"


def _sql_hash(value: Any) -> str | None:
    return text_hash(value) if isinstance(value, str) else None


_CURRENT = (
    "EXISTS (SELECT 1 FROM claim_vector v WHERE v.claim_id = c.id AND v.model = :model "
    f"AND v.text_hash = {_HASH_FUNCTION}(c.text))"
)


def pending_ids(session: Session, model: str) -> list[int]:
    """Ids of the claims with no current vector from model, in id order."""
    if _on_server(session):
        from factcheck import postgres

        return postgres.pending_vector_ids(session, model)
    raw = _raw(session)
    # safe: _CURRENT is a constant
    rows = raw.execute(
        f"SELECT c.id FROM claim c WHERE NOT {_CURRENT} ORDER BY c.id", {"model": model}
    )
    return [r[0] for r in rows]


def count_current(session: Session, model: str) -> int:
    if _on_server(session):
        from factcheck import postgres

        return postgres.count_current_vectors(session, model)
    raw = _raw(session)
    query = f"SELECT count(*) FROM claim c WHERE {_CURRENT}"  # safe: a constant
    row = raw.execute(query, {"model": model}).fetchone()
    return int(row[0])


def batches(ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def embed_claims(session: Session, ids: list[int], encoder: Any, model: str, user: str) -> int:
    """Store a vector for each claim in ids (their texts as they are now); returns how many."""
    import numpy as np

    if _on_server(session):
        return _embed_on_server(session, ids, encoder, model, user)
    raw = _raw(session)
    marks = ", ".join("?" for _ in ids)
    query = f"SELECT id, text FROM claim WHERE id IN ({marks})"  # safe: placeholders only
    rows = raw.execute(query, ids).fetchall()
    if not rows:
        return 0
    matrix = encoder.encode([text for _, text in rows]).astype("<f2")
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy stores a DateTime
    raw.executemany(
        "INSERT INTO claim_vector (uuid, claim_id, model, dim, text_hash, vector, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                new_uuid(),
                claim_id,
                model,
                int(matrix.shape[1]),
                text_hash(text),
                np.ascontiguousarray(vector).tobytes(),
                now,
                user,
            )
            for (claim_id, text), vector in zip(rows, matrix, strict=True)
        ],
    )
    return len(rows)


def _embed_on_server(session: Session, ids: list[int], encoder: Any, model: str, user: str) -> int:
    import numpy as np
    from sqlalchemy import insert

    from factcheck import postgres
    from factcheck.models import ClaimVector

    rows = postgres.claim_texts(session, ids)
    if not rows:
        return 0
    matrix = encoder.encode([text for _, text in rows]).astype("<f2")
    now = utcnow()
    session.connection().execute(
        insert(ClaimVector.__table__),  # type: ignore[attr-defined]
        [
            {
                "uuid": new_uuid(),
                "claim_id": claim_id,
                "model": model,
                "dim": int(matrix.shape[1]),
                "text_hash": text_hash(text),
                "vector": np.ascontiguousarray(vector).tobytes(),
                "created_at": now,
                "created_by": user,
            }
            for (claim_id, text), vector in zip(rows, matrix, strict=True)
        ],
    )
    return len(rows)


def current_vectors(
    session: Session, model: str, dim: int, *, exclude_source: int | None = None
) -> tuple[list[int], Any]:
    """(claim ids, float32 matrix of unit vectors) of the claims with a current vector."""
    import numpy as np

    if _on_server(session):
        from factcheck import postgres

        rows = postgres.current_vector_rows(session, model, 2 * dim, exclude_source)
        if not rows:
            return [], np.zeros((0, dim), dtype=np.float32)
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f2")
        return [r[0] for r in rows], matrix.reshape(len(rows), -1).astype(np.float32)
    raw = _raw(session)
    rows = raw.execute(
        "SELECT c.id, max(v.vector) FROM claim c JOIN claim_vector v ON v.claim_id = c.id "
        f"AND v.model = :model AND v.text_hash = {_HASH_FUNCTION}(c.text) "
        "AND length(v.vector) = :size WHERE (:source IS NULL OR c.source_id IS NOT :source) GROUP BY c.id ORDER BY c.id",
        {"model": model, "source": exclude_source, "size": 2 * dim},
    ).fetchall()
    if not rows:
        return [], np.zeros((0, dim), dtype=np.float32)
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f2")
    return [r[0] for r in rows], matrix.reshape(len(rows), -1).astype(np.float32)


# --- the vector index file beside the desk ----------------------------------------------------
# Above INDEX_MIN current vectors, `factcheck index` also writes an IVF index of them beside
# the desk (DESK.vectors.npz). It is a cache, derived from claim_vector and never merged or
# exported: SQLite here cannot load extensions such as sqlite-vec (bench/vector_index.md).
# A look-up trusts it only for the rows it was built from (up to its high-water mark, checked
# by that row's UUID); rows added since are scanned directly, and a claim edited since is
# left out until its new vector comes in.
INDEX_MIN = 50_000
INDEX_SUFFIX = ".vectors.npz"
INDEX_FORMAT = "factcheck-ivf-1"


def index_path(desk: Any) -> Any:
    from pathlib import Path

    path = Path(desk)
    return path.with_name(path.name + INDEX_SUFFIX)


def _mark(session: Session) -> tuple[int, str]:
    raw = _raw(session)
    row = raw.execute("SELECT id, uuid FROM claim_vector ORDER BY id DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


def write_index(
    session: Session, desk: Any, model: str, dim: int, *, least: int | None = None
) -> int | None:
    """Write the index file of the desk's current vectors when there are at least `least`
    (INDEX_MIN); returns how many it holds, or None when none is needed (an old file is
    removed)."""
    import os

    import numpy as np

    from factcheck.vector_index import IvfIndex

    if desk is None:  # a server: no file beside it
        return None
    path = index_path(desk)
    if count_current(session, model) < (INDEX_MIN if least is None else least):
        if path.exists():
            path.unlink()
        return None
    mark, mark_uuid = _mark(session)
    raw = _raw(session)
    rows = raw.execute(
        # the index holds claim_vector ids: a look-up can tell a vector gone stale
        "SELECT max(v.id), v.vector FROM claim c JOIN claim_vector v ON v.claim_id = c.id "
        f"AND v.model = :model AND v.text_hash = {_HASH_FUNCTION}(c.text) "
        "AND length(v.vector) = :size GROUP BY v.claim_id ORDER BY v.claim_id",
        {"model": model, "size": 2 * dim},
    ).fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f2").reshape(len(rows), dim)
    del rows
    index = IvfIndex.build(ids, matrix)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        np.savez(
            handle,
            format=np.array(INDEX_FORMAT),
            model=np.array(model),
            mark=np.array(mark),
            mark_uuid=np.array(mark_uuid),
            centroids=index.centroids,
            offsets=index.offsets,
            ids=index.ids,
            vectors=index.vectors.astype(np.float16),
        )
    os.replace(partial, path)
    return len(ids)


_loaded: dict[Any, tuple[float, Any, int]] = {}


def _desk_file(session: Session) -> str | None:
    if _on_server(session):
        return None
    row = _raw(session).execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row and row[2] else None


def read_index(session: Session, model: str) -> tuple[Any, int] | None:
    """(the index, its high-water mark) if the file beside the desk fits it, else None."""
    import numpy as np

    from factcheck.vector_index import IvfIndex

    desk = _desk_file(session)
    if desk is None:
        return None
    path = index_path(desk)
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    cached = _loaded.get(path)
    if cached is None or cached[0] != stamp:
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["format"]) != INDEX_FORMAT or str(data["model"]) != model:
                    return None
                mark, mark_uuid = int(data["mark"]), str(data["mark_uuid"])
                index = IvfIndex(
                    data["centroids"],
                    data["offsets"],
                    data["ids"],
                    np.ascontiguousarray(data["vectors"], dtype=np.float32),
                )
        except (OSError, ValueError, KeyError):
            return None  # a damaged or foreign file: matched without it
        _loaded.clear()
        _loaded[path] = (stamp, (index, mark_uuid), mark)
    _, (index, mark_uuid), mark = _loaded[path]
    raw = _raw(session)
    row = raw.execute("SELECT uuid FROM claim_vector WHERE id = ?", (mark,)).fetchone()
    if row is None or row[0] != mark_uuid:
        return None  # built from another desk, or another copy of this one
    return index, mark


def indexed_nearest(
    session: Session,
    model: str,
    query: Any,
    limit: int,
    *,
    exclude_source: int | None = None,
) -> tuple[list[int], Any] | None:
    """(claim ids, cosines) of the nearest claims through the index file, or None without
    one. Rows newer than the file are scanned directly; stale vectors are left out."""
    import numpy as np

    found = read_index(session, model)
    if found is None:
        return None
    index, mark = found
    ids, scores = index.search(query, 2 * limit)
    raw = _raw(session)
    newer = raw.execute(
        "SELECT v.id, v.vector FROM claim_vector v WHERE v.id > ? AND v.model = ? "
        "AND length(v.vector) = ?",
        (mark, model, 2 * len(query)),
    ).fetchall()
    if newer:
        extra = np.frombuffer(b"".join(r[1] for r in newer), dtype="<f2").reshape(len(newer), -1)
        ids = np.concatenate([ids, np.array([r[0] for r in newer], dtype=np.int64)])
        scores = np.concatenate([scores, extra.astype(np.float32) @ query])
    order = np.argsort(-scores, kind="stable")[: 4 * limit]
    if not len(order):
        return [], np.zeros(0, dtype=np.float32)
    wanted = list(dict.fromkeys(int(ids[n]) for n in order))
    marks = ", ".join("?" for _ in wanted)
    # The file only proposes: each claim is scored by its current vector in the desk, so a
    # vector gone stale, or a file that does not fit, can cost a match but never misplace one.
    rows = raw.execute(
        f"SELECT c.id, max(w.id), w.vector FROM claim_vector v JOIN claim c ON c.id = v.claim_id "
        "JOIN claim_vector w ON w.claim_id = c.id AND w.model = ? AND length(w.vector) = ? "
        f"AND w.text_hash = {_HASH_FUNCTION}(c.text) WHERE v.id IN ({marks}) "
        "AND (? IS NULL OR c.source_id IS NOT ?) GROUP BY c.id",  # safe: placeholders only
        (model, 2 * len(query), *wanted, exclude_source, exclude_source),
    ).fetchall()
    if not rows:
        return [], np.zeros(0, dtype=np.float32)
    matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype="<f2").reshape(len(rows), -1)
    cosines = matrix.astype(np.float32) @ query
    best = np.argsort(-cosines, kind="stable")[:limit]
    return [int(rows[n][0]) for n in best], cosines[best]
