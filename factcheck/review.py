"""The review table: one row per claim with its current verdict and evidence counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select
from sqlmodel import Session

from factcheck.claims import CLAIM_STATUSES
from factcheck.desk import (
    PRIORITY_RANK,
    current_tags_query,
    is_withdrawn,
    tags_by_claim,
)
from factcheck.errors import InvalidInput
from factcheck.fields import check_field
from factcheck.models import (
    Claim,
    EvidenceLink,
    Publication,
    Source,
)
from factcheck.speakers import names_of
from factcheck.stats import within_dates
from factcheck.validate import choice, parse_date
from factcheck.verdicts import (
    current_count,
    current_rating,
    current_verdict_id,
    outside_review,
    slugify,
)

SORTS = ("score", "newest", "oldest", "id", "priority", "due")

claim_t = Claim.__table__  # type: ignore[attr-defined]
evidence_t = EvidenceLink.__table__  # type: ignore[attr-defined]
publication_t = Publication.__table__  # type: ignore[attr-defined]
source_t = Source.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ReviewFilter:
    status: str | None = None
    verdict: str | None = None  # a rating slug, or "none" for claims without a verdict
    speaker: str | None = None
    source_id: int | None = None
    contains: str | None = None
    sort: str = "score"
    limit: int | None = None
    assignee: str | None = None  # a name, any case
    unassigned: bool = False
    due_before: str | None = None  # an ISO date, maybe partial
    tags: tuple[str, ...] = ()  # claims carrying every one
    since: str | None = None  # on the claim's date, or the day it was added if it has none
    until: str | None = None
    include_dismissed: bool = False  # dismissed claims are hidden unless asked for


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
    query = (
        select(func.count())
        .where(evidence_t.c.claim_id == claim_t.c.id, ~is_withdrawn(evidence_t.c.id))
        .correlate(claim_t)
    )
    if stance:
        query = query.where(evidence_t.c.stance == stance)
    return query.scalar_subquery()


def _source_title_column() -> Any:
    return (
        select(source_t.c.title)
        .where(source_t.c.id == claim_t.c.source_id)
        .correlate(claim_t)
        .scalar_subquery()
    )


def _priority_rank() -> Any:
    # Most urgent first; a claim whose priority was never set ranks as normal.
    return case(PRIORITY_RANK, value=claim_t.c.priority, else_=PRIORITY_RANK["normal"])


def _desk_conditions(shape: DeskShape) -> list[Any]:
    """Conditions of the desk's own filters (assignee, due date, tags, dates, dismissed)."""
    conditions: list[Any] = []
    if shape.assignee:
        conditions.append(func.lower(claim_t.c.assignee) == bindparam("assignee"))
    if shape.unassigned:
        conditions.append(claim_t.c.assignee.is_(None))
    if shape.due_before:
        conditions.append(claim_t.c.due_date < bindparam("due_before"))
    tags = current_tags_query().subquery()
    for number in range(shape.tags):
        carried = select(tags.c.tag).where(
            tags.c.claim_id == claim_t.c.id, tags.c.tag == bindparam(f"tag{number}")
        )
        conditions.append(carried.exists())
    day = func.coalesce(claim_t.c.claim_date, func.date(claim_t.c.created_at))
    conditions += within_dates(
        day,
        bindparam("since") if shape.since else None,
        bindparam("until") if shape.until else None,
    )
    if shape.hide_dismissed:
        conditions.append(claim_t.c.status != "dismissed")
    return conditions


@dataclass(frozen=True)
class DeskShape:
    assignee: bool = False
    unassigned: bool = False
    due_before: bool = False
    tags: int = 0
    since: bool = False
    until: bool = False
    hide_dismissed: bool = True


@lru_cache(maxsize=64)
def _review_query(
    sort: str,
    status: bool,
    speaker: bool,
    source: bool,
    contains: bool,
    verdict: str | None,
    limit: bool,
    desk: DeskShape = DeskShape(),
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
        claim_t.c.assignee,
        claim_t.c.due_date,
        claim_t.c.priority,
        _source_title_column().label("source_title"),
    )
    conditions = _desk_conditions(desk)
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
        # Unscored claims last on both backends (PostgreSQL sorts NULL highest); SQLite
        # still reads the page from ix_claim_score_id.
        query = query.order_by(claim_t.c.score.desc().nulls_last(), claim_t.c.id.desc())
    elif sort == "newest":
        query = query.order_by(claim_t.c.created_at.desc(), claim_t.c.id.desc())
    elif sort == "oldest":
        query = query.order_by(claim_t.c.created_at, claim_t.c.id)
    elif sort == "priority":
        query = query.order_by(
            _priority_rank().desc(), claim_t.c.due_date.is_(None), claim_t.c.due_date, claim_t.c.id
        )
    elif sort == "due":
        query = query.order_by(
            claim_t.c.due_date.is_(None), claim_t.c.due_date, _priority_rank().desc(), claim_t.c.id
        )
    else:
        query = query.order_by(claim_t.c.id)
    if limit:
        query = query.limit(bindparam("limit", literal_execute=False))
    return query


# Rows a streamed review reads (and tags, and prints) at a time.
STREAM_ROWS = 2000


def review_rows(session: Session, flt: ReviewFilter) -> list[dict[str, Any]]:
    return [row for chunk in review_chunks(session, flt) for row in chunk]


def review_chunks(
    session: Session, flt: ReviewFilter, size: int = STREAM_ROWS
) -> Iterator[list[dict[str, Any]]]:
    """The review's rows a chunk at a time, read as they are needed (a server-side cursor on
    a server): a review of every claim need not hold them all. Bad filters raise before the
    first chunk."""
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
    if flt.assignee is not None and flt.unassigned:
        raise InvalidInput("give --assignee NAME or --unassigned, not both")
    if flt.assignee is not None:
        params["assignee"] = flt.assignee.strip().lower()
    if flt.due_before is not None:
        params["due_before"] = parse_date(flt.due_before, "--due-before date")
    tags = list(dict.fromkeys(check_field("claim_tag", "tag", tag) for tag in flt.tags))
    for number, tag in enumerate(tags):
        params[f"tag{number}"] = tag
    for bound in ("since", "until"):
        value = getattr(flt, bound)
        if value is not None:
            params[bound] = parse_date(value, f"--{bound} date")
    desk = DeskShape(
        assignee=flt.assignee is not None,
        unassigned=flt.unassigned,
        due_before=params.get("due_before") is not None,
        tags=len(tags),
        since=params.get("since") is not None,
        until=params.get("until") is not None,
        hide_dismissed=not (flt.include_dismissed or flt.status),
    )
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
        desk,
    )
    conn = session.connection()
    if flt.limit is None:  # a page is read at once; every claim as it is needed
        conn = conn.execution_options(stream_results=True, yield_per=size)
    result = conn.execute(query, params)
    keys = list(result.keys())
    for values in result.partitions(size):
        rows = [dict(zip(keys, value, strict=True)) for value in values]
        tagged = tags_by_claim(session, [row["id"] for row in rows])
        for row in rows:
            row["tags"] = tagged.get(row["id"], [])
            row["conflict"] = bool(row["conflict"])
            published = row.pop("published_verdict_id")
            row["needs_update"] = (
                row["status"] == "published"
                and published is not None
                and published != row["verdict_id"]
            )
            del row["verdict_id"]
        yield rows


__all__ = ["ReviewFilter", "review_chunks", "review_rows", "SORTS"]
