"""Counts for a desk's audit: claims by status, current verdict, and speaker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlmodel import Session

from factcheck.models import Claim
from factcheck.verdicts import current_rating

claim_t = Claim.__table__  # type: ignore[attr-defined]


def desk_stats(session: Session, *, top_speakers: int = 10) -> dict[str, Any]:
    conn = session.connection()
    speaker = func.coalesce(claim_t.c.speaker, "(no speaker)").label("speaker")
    verdict = current_rating(claim_t.c.id)
    claims = func.count().label("claims")
    first = text("1")  # GROUP BY the first column: its subquery is computed once per row

    def rows(query: Any) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in conn.execute(query)]

    by_status = rows(
        select(claim_t.c.status, claims)
        .group_by(claim_t.c.status)
        .order_by(claims.desc(), claim_t.c.status)
    )
    by_verdict = rows(
        select(func.coalesce(verdict, "(none)").label("verdict"), claims)
        .select_from(claim_t)
        .group_by(first)
        .order_by(claims.desc(), text("verdict"))
    )
    speakers = rows(
        select(speaker, claims)
        .group_by(first)
        .order_by(claims.desc(), text("speaker"))
        .limit(top_speakers)
        .correlate(None)  # the top speakers of the whole desk, not of the row at hand
    )
    top = (
        select(speaker)
        .group_by(first)
        .order_by(func.count().desc(), text("speaker"))
        .limit(top_speakers)
        .correlate(None)  # the top speakers of the whole desk, not of the row at hand
    )
    per_speaker = rows(
        select(speaker, verdict.label("verdict"), claims)
        .where(speaker.element.in_(top), verdict.is_not(None))
        .group_by(first, text("2"))
        .order_by(text("speaker"), claims.desc())
    )
    total = sum(r["claims"] for r in by_status)
    return {
        "claims": total,
        "by_status": by_status,
        "by_verdict": by_verdict,
        "by_speaker": speakers,
        "verdicts_by_speaker": per_speaker,
    }


def bar(count: int, largest: int, width: int = 30) -> str:
    """A horizontal bar in eighth-blocks, so small counts still show."""
    if largest <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / largest * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[rest]
