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


def _sql_hash(value: Any) -> str | None:
    return text_hash(value) if isinstance(value, str) else None


_CURRENT = (
    "EXISTS (SELECT 1 FROM claim_vector v WHERE v.claim_id = c.id AND v.model = :model "
    f"AND v.text_hash = {_HASH_FUNCTION}(c.text))"
)


def pending_ids(session: Session, model: str) -> list[int]:
    """Ids of the claims with no current vector from model, in id order."""
    raw = _raw(session)
    # safe: _CURRENT is a constant
    rows = raw.execute(
        f"SELECT c.id FROM claim c WHERE NOT {_CURRENT} ORDER BY c.id", {"model": model}
    )
    return [r[0] for r in rows]


def count_current(session: Session, model: str) -> int:
    raw = _raw(session)
    # safe: _CURRENT is a constant
    row = raw.execute(f"SELECT count(*) FROM claim c WHERE {_CURRENT}", {"model": model}).fetchone()
    return int(row[0])


def batches(ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def embed_claims(session: Session, ids: list[int], encoder: Any, model: str, user: str) -> int:
    """Store a vector for each claim in ids (their texts as they are now); returns how many."""
    import numpy as np

    raw = _raw(session)
    marks = ", ".join("?" for _ in ids)
    # safe: only placeholders are formatted in
    rows = raw.execute(f"SELECT id, text FROM claim WHERE id IN ({marks})", ids).fetchall()
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


def current_vectors(
    session: Session, model: str, dim: int, *, exclude_source: int | None = None
) -> tuple[list[int], Any]:
    """(claim ids, float32 matrix of unit vectors) of the claims with a current vector."""
    import numpy as np

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
