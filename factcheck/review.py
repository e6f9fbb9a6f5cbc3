"""The review table: one row per claim with its current verdict and evidence counts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlmodel import Session

from factcheck.claims import CLAIM_STATUSES
from factcheck.errors import InvalidInput
from factcheck.models import (
    Claim,
    EvidenceLink,
    Publication,
)
from factcheck.speakers import names_of
from factcheck.validate import choice
from factcheck.verdicts import (
    current_count,
    current_rating,
    current_verdict_id,
    outside_review,
    slugify,
)

SORTS = ("score", "newest", "oldest", "id")

claim_t = Claim.__table__  # type: ignore[attr-defined]
evidence_t = EvidenceLink.__table__  # type: ignore[attr-defined]
publication_t = Publication.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ReviewFilter:
    status: str | None = None
    verdict: str | None = None  # a rating slug, or "none" for claims without a verdict
    speaker: str | None = None
    source_id: int | None = None
    contains: str | None = None
    sort: str = "score"
    limit: int | None = None


def _published_verdict_column() -> Any:
    return (
        select(publication_t.c.verdict_id)
        .where(publication_t.c.claim_id == claim_t.c.id)
        .order_by(publication_t.c.created_at.desc(), publication_t.c.id.desc())
        .limit(1)
        .correlate(claim_t)
        .scalar_subquery()
    )


def _evidence_count(stance: str | None) -> Any:
    query = select(func.count()).where(evidence_t.c.claim_id == claim_t.c.id).correlate(claim_t)
    if stance:
        query = query.where(evidence_t.c.stance == stance)
    return query.scalar_subquery()


@lru_cache(maxsize=64)
def _review_query(
    sort: str,
    status: bool,
    speaker: bool,
    source: bool,
    contains: bool,
    verdict: str | None,
    limit: bool,
) -> Any:
    """The statement for one shape of filter, built once; values are bound at execution."""
    verdict_slug = current_rating(claim_t.c.id)
    query = select(
        claim_t.c.id,
        claim_t.c.uuid,
        claim_t.c.text,
        claim_t.c.speaker,
        claim_t.c.status,
        claim_t.c.score,
        claim_t.c.source_id,
        claim_t.c.char_start,
        claim_t.c.char_end,
        verdict_slug.label("verdict"),
        (current_count(claim_t.c.id) > 1).label("conflict"),
        outside_review(claim_t.c.id, "both").label("checked_by"),
        current_verdict_id(claim_t.c.id).label("verdict_id"),
        _published_verdict_column().label("published_verdict_id"),
        _evidence_count(None).label("evidence_count"),
        _evidence_count("supports").label("supports"),
        _evidence_count("refutes").label("refutes"),
    )
    conditions = []
    if status:
        conditions.append(claim_t.c.status == bindparam("status"))
    if speaker:
        # any name of the speaker it names (aliases, merged speakers), or part of a name
        conditions.append(
            (func.instr(func.lower(claim_t.c.speaker), bindparam("speaker")) > 0)
            | claim_t.c.speaker.in_(bindparam("speaker_names", expanding=True))
        )
    if source:
        conditions.append(claim_t.c.source_id == bindparam("source_id"))
    if contains:
        conditions.append(claim_t.c.text.ilike(bindparam("pattern"), escape="\\"))
    if verdict == "none":
        conditions.append(verdict_slug.is_(None))
    elif verdict:
        conditions.append(verdict_slug == bindparam("verdict"))
    if conditions:
        query = query.where(and_(*conditions))
    if sort == "score":
        # SQLite sorts NULL lowest, so unscored claims come last and ix_claim_score_id
        # serves the page (PostgreSQL would need NULLS LAST here).
        query = query.order_by(claim_t.c.score.desc(), claim_t.c.id.desc())
    elif sort == "newest":
        query = query.order_by(claim_t.c.created_at.desc(), claim_t.c.id.desc())
    elif sort == "oldest":
        query = query.order_by(claim_t.c.created_at, claim_t.c.id)
    else:
        query = query.order_by(claim_t.c.id)
    if limit:
        query = query.limit(bindparam("limit", literal_execute=False))
    return query


def review_rows(session: Session, flt: ReviewFilter) -> list[dict[str, Any]]:
    params: dict[str, Any] = {}
    if flt.status:
        params["status"] = choice(flt.status, CLAIM_STATUSES, "status")
    if flt.speaker:
        params["speaker"] = flt.speaker.strip().lower()
        params["speaker_names"] = names_of(session, flt.speaker)
    if flt.source_id is not None:
        params["source_id"] = flt.source_id
    if flt.contains:
        escaped = flt.contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["pattern"] = f"%{escaped}%"
    verdict = None
    if flt.verdict:
        verdict = slugify(flt.verdict)
        if verdict != "none":
            params["verdict"] = verdict
            verdict = "rating"
    if flt.limit is not None:
        if flt.limit < 1:
            raise InvalidInput(f"--limit must be 1 or more, not {flt.limit}")
        params["limit"] = flt.limit
    query = _review_query(
        choice(flt.sort, SORTS, "sort"),
        bool(flt.status),
        bool(flt.speaker),
        flt.source_id is not None,
        bool(flt.contains),
        verdict,
        flt.limit is not None,
    )
    result = session.connection().execute(query, params)
    keys = list(result.keys())
    rows = [dict(zip(keys, values, strict=True)) for values in result.fetchall()]
    for row in rows:
        row["conflict"] = bool(row["conflict"])
        published = row.pop("published_verdict_id")
        row["needs_update"] = (
            row["status"] == "published"
            and published is not None
            and published != row["verdict_id"]
        )
        del row["verdict_id"]
    return rows


__all__ = ["ReviewFilter", "review_rows", "SORTS"]
