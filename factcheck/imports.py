"""Importing other people's data: claim sheets (CSV) and published ClaimReview markup."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlmodel import Session, select

from factcheck import sqlite
from factcheck.claims import (
    add_claim,
    add_claims_bulk,
    add_evidence,
)
from factcheck.errors import FactcheckError, InvalidInput
from factcheck.exchange.csvio import LINE_KEY
from factcheck.fields import check_field
from factcheck.models import MUTABLE_FIELDS, Claim, RatingLabel, RatingScale, Verdict, new_uuid
from factcheck.sources import add_source, find_source_by_url
from factcheck.validate import (
    clean_text,
    parse_date,
    parse_url,
    parse_uuid,
)
from factcheck.verdicts import record_verdict, slugify


@dataclass
class SheetResult:
    claims: int = 0
    skipped: int = 0  # rows whose uuid the desk has already
    verdicts: int = 0
    sources: int = 0


def import_claim_rows(
    session: Session, rows: Iterable[dict[str, Any]], *, user: str, name: str = "the sheet"
) -> SheetResult:
    """Claims from a sheet, streamed (all or nothing, in the caller's transaction). Rows
    carrying a uuid the desk has already are skipped, so importing an export twice adds
    nothing. The search index is filled once at the end rather than row by row."""
    result = SheetResult()
    sources: dict[str, int] = {}
    batch: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []

    def flush() -> None:
        fresh = _new_rows(session, batch)
        for creator in sorted({claim["created_by"] for claim, _ in fresh}):
            add_claims_bulk(
                session, [c for c, _ in fresh if c["created_by"] == creator], user=creator
            )
        result.claims += len(fresh)
        result.skipped += len(batch) - len(fresh)
        for claim, verdicts in fresh:
            if not verdicts:
                continue
            found = session.exec(select(Claim.id).where(Claim.uuid == claim["uuid"])).one()
            assert found is not None  # just inserted
            claim_id: int = found
            try:
                for verdict in verdicts:
                    if verdict.get("outside"):
                        _record_outside(session, claim_id, verdict, user)
                    else:
                        record_verdict(session, claim_id, user=user, **verdict)
                    result.verdicts += 1
            except FactcheckError as exc:
                raise InvalidInput(f"{name} line {claim['line']}: {exc}") from None
        batch.clear()

    with _bulk_loading(session):
        for number, row in enumerate(rows, start=2):
            line = row.get(LINE_KEY) or number
            try:
                claim, verdicts = _claim_from_row(session, row, user, sources, result)
            except FactcheckError as exc:
                raise InvalidInput(f"{name} line {line}: {exc}") from None
            claim["line"] = line
            batch.append((claim, verdicts))
            if verdicts or len(batch) >= 5000:
                flush()
        flush()
    return result


@contextmanager
def _bulk_loading(session: Session) -> Iterator[None]:
    """Each backend's way to take many claims into its search index at once: a file's FTS5
    index is filled once at the end; a server keeps its tsvector column and GIN index itself
    (rows go in through COPY, see claims.add_claims_bulk)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        yield
        return
    with sqlite.fts_deferred(conn):
        yield


def _new_rows(
    session: Session, batch: list[tuple[dict[str, Any], list[dict[str, Any]]]]
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The batch less rows whose uuid the desk (or an earlier row of the batch) has.
    Only uuids the sheet gave need a look-up; fresh ones are new by construction."""
    uuids = [claim["uuid"] for claim, _ in batch if claim.get("from_sheet")]
    existing: set[str] = set()
    for start in range(0, len(uuids), 500):
        chunk = uuids[start : start + 500]
        query = select(Claim.uuid).where(Claim.uuid.in_(chunk))  # type: ignore[attr-defined]
        existing.update(session.exec(query).all())
    fresh = []
    for claim, verdict in batch:
        if claim["uuid"] not in existing:
            existing.add(claim["uuid"])
            fresh.append((claim, verdict))
    return fresh


def _claim_from_row(
    session: Session,
    row: dict[str, Any],
    user: str,
    sources: dict[str, int],
    result: SheetResult,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    source_id = None
    if row.get("source_url"):
        clean = parse_url(row["source_url"], "source_url")
        if clean not in sources:
            found = find_source_by_url(session, clean)
            if found is None:
                found = add_source(session, user=user, url=clean, title=row.get("source_title"))
                result.sources += 1
            sources[clean] = found.id  # type: ignore[assignment]
        source_id = sources[clean]
    claim: dict[str, Any] = {
        name: check_field("claim", name, row.get(name) or None) for name in MUTABLE_FIELDS["claim"]
    }
    claim.update(
        uuid=parse_uuid(row["uuid"]) if row.get("uuid") else new_uuid(),
        from_sheet=bool(row.get("uuid")),
        source_id=source_id,
        score=_score(row.get("score")),
        created_at=_timestamp(row.get("created_at")),
        created_by=row.get("created_by") or user,
    )
    verdicts: list[dict[str, Any]] = []
    if row.get("checked_by") or row.get("checked_by_rating"):
        if not (row.get("checked_by") and row.get("checked_by_rating")):
            raise InvalidInput(
                "give both checked_by (the fact-checker, e.g. PolitiFact) and checked_by_rating "
                "(their rating, e.g. Misleading), or neither"
            )
        verdicts.append(
            {
                "outside": True,
                "publisher": clean_text(row["checked_by"], "checked_by", max_length=200),
                "rating": clean_text(row["checked_by_rating"], "checked_by_rating", max_length=200),
            }
        )
    if row.get("verdict"):
        verdicts.append(
            {
                "rating": row["verdict"],
                "scale": row.get("verdict_scale"),
                "rationale": row.get("verdict_rationale"),
                "reviewer": row.get("reviewer"),
            }
        )
    return claim, verdicts


def _record_outside(session: Session, claim_id: int, verdict: dict[str, Any], user: str) -> None:
    publisher = verdict["publisher"]
    scale = _publisher_scale(session, publisher, user)
    label = _publisher_label(session, scale, verdict["rating"], None, user)
    record_verdict(
        session,
        claim_id,
        label.slug,
        user=user,
        scale=scale.name,
        rationale=f"Published by {publisher}",
        reviewer=publisher,
        outside=True,
    )


def _score(value: str | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        score = float(value)
    except ValueError:
        raise InvalidInput(f"score {value!r} is not a number between 0 and 1") from None
    if not 0 <= score <= 1:
        raise InvalidInput(f"score {value!r} is not between 0 and 1")
    return score


def _timestamp(value: str | None) -> Any:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"created_at {value!r} is not an ISO date and time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


@dataclass
class ReviewImportResult:
    claims: int = 0
    duplicates: int = 0


def import_claimreviews(
    session: Session, reviews: list[dict[str, Any]], *, user: str
) -> ReviewImportResult:
    """Other fact-checkers' published reviews: each becomes a claim, its appearance a source,
    the published review a source linked as context evidence, and the rating a verdict on a
    per-publisher scale that keeps the publisher's label (valued 1-5 when it can be normalised)."""
    result = ReviewImportResult()
    for review in reviews:
        org = review.get("reviewer_org") or "unknown publisher"
        review_url = review.get("review_url")
        if review_url and find_source_by_url(session, review_url) is not None:
            result.duplicates += 1
            continue
        if not review_url and _reviewed_by(session, review["claim_text"], org):
            result.duplicates += 1  # no URL to know it by: same claim, same publisher
            continue
        appearance = None
        if review.get("appearance_url"):
            appearance = find_source_by_url(session, review["appearance_url"]) or add_source(
                session, user=user, url=review["appearance_url"], kind="other"
            )
        claim = add_claim(
            session,
            review["claim_text"],
            user=user,
            speaker=review.get("speaker"),
            source_id=appearance.id if appearance else None,
            claim_date=parse_date(review.get("claim_date")),
        )
        assert claim.id is not None
        if review_url:
            published = add_source(
                session,
                user=user,
                url=review_url,
                kind="report",
                publisher=org,
                title=f"ClaimReview by {org}",
                published_on=parse_date(review.get("review_date")),
            )
            add_evidence(session, claim.id, published.id, "context", user=user)  # type: ignore[arg-type]
        label_text = review.get("rating_label") or (
            str(review["rating_value"]) if review.get("rating_value") is not None else None
        )
        if label_text:
            scale = _publisher_scale(session, org, user)
            label = _publisher_label(session, scale, label_text, review.get("normalised"), user)
            record_verdict(
                session,
                claim.id,
                label.slug,
                user=user,
                scale=scale.name,
                rationale=f"Published by {org}" + (f": {review_url}" if review_url else ""),
                reviewer=org,
                outside=True,
            )
        result.claims += 1
    return result


def _reviewed_by(session: Session, text: str, org: str) -> bool:
    query = (
        select(Verdict.id)
        .join(Claim, Claim.id == Verdict.claim_id)  # type: ignore[arg-type]
        .where(Claim.text == text.strip(), Verdict.reviewer == org[:200])
    )
    return session.exec(query).first() is not None


def _publisher_scale(session: Session, org: str, user: str) -> RatingScale:
    name = slugify(f"claimreview {org}")[:60]
    scale = session.exec(select(RatingScale).where(RatingScale.name == name)).first()
    if scale is None:
        scale = RatingScale(
            name=name,
            title=f"Ratings published by {org}",
            best=5,
            worst=1,
            publisher=org[:200],
            created_by=user,
        )
        session.add(scale)
        session.flush()
    return scale


def _publisher_label(
    session: Session, scale: RatingScale, text: str, normalised: float | None, user: str
) -> RatingLabel:
    slug = slugify(text)[:60] or "unrated"
    label = session.exec(
        select(RatingLabel).where(RatingLabel.scale_id == scale.id, RatingLabel.slug == slug)
    ).first()
    if label is None:
        assert scale.id is not None
        value = round(1 + 4 * normalised) if normalised is not None else None
        label = RatingLabel(
            scale_id=scale.id,
            slug=slug,
            label=text[:200],
            value=value,  # type: ignore[arg-type]
            created_by=user,
        )
        session.add(label)
        session.flush()
    return label
