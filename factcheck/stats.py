"""Counts for a desk's audit: claims by status, current verdict, and speaker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal, select, text
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


WEEKLY_BY = ("checker", "tag")


def within_dates(day: Any, since: Any, until: Any) -> list[Any]:
    """SQL conditions: the (possibly partial) ISO date `day` overlaps [since, until] (SQL
    values, or None for no bound). A claim said in "2017-11" is within --since 2017-11-20:
    its month reaches it."""
    conditions = []
    if since is not None:
        conditions.append(func.substr(since, 1, func.length(day)) <= day)
    if until is not None:
        conditions.append(func.substr(until, 1, func.length(day)) >= day)
    return conditions


def _week(column: Any) -> Any:
    # The Monday of the week: forward to Sunday (the same day if it is one), back six days.
    return func.date(column, "weekday 0", "-6 days")


def weekly_stats(
    session: Session, *, by: str, since: str | None = None, until: str | None = None
) -> list[dict[str, Any]]:
    """Per week (its Monday), claims in (added) and verdicts out (our verdicts recorded,
    corrections included), by checker or by tag. A claim's checker is whoever it is assigned
    to; a verdict's is its reviewer. Outside fact-checkers' ratings are not ours: not counted."""
    from factcheck.desk import current_tags_query
    from factcheck.models import Verdict
    from factcheck.validate import choice
    from factcheck.verdicts import our_labels

    by = choice(by, WEEKLY_BY, "--by")
    verdict_t = Verdict.__table__  # type: ignore[attr-defined]
    claim_week = _week(claim_t.c.created_at)
    verdict_week = _week(verdict_t.c.created_at)
    claim_day = func.date(claim_t.c.created_at)
    verdict_day = func.date(verdict_t.c.created_at)
    start = literal(since) if since else None
    end = literal(until) if until else None
    ours = verdict_t.c.label_id.in_(our_labels())
    claim_who: Any
    verdict_who: Any
    claim_from: Any = claim_t
    verdict_from: Any = verdict_t
    if by == "checker":
        claim_who = func.coalesce(claim_t.c.assignee, "(unassigned)")
        verdict_who = verdict_t.c.reviewer
    else:
        tags = current_tags_query().subquery()
        claim_who = verdict_who = func.coalesce(tags.c.tag, "(no tag)")
        claim_from = claim_t.outerjoin(tags, tags.c.claim_id == claim_t.c.id)
        verdict_from = verdict_t.outerjoin(tags, tags.c.claim_id == verdict_t.c.claim_id)
    claims_in = (
        select(claim_week, claim_who, func.count())
        .select_from(claim_from)
        .where(*within_dates(claim_day, start, end))
        .group_by(claim_week, claim_who)
    )
    verdicts_out = (
        select(verdict_week, verdict_who, func.count())
        .select_from(verdict_from)
        .where(ours, *within_dates(verdict_day, start, end))
        .group_by(verdict_week, verdict_who)
    )
    found: dict[tuple[str, str], dict[str, Any]] = {}
    conn = session.connection()
    for key, query in (("claims_in", claims_in), ("verdicts_out", verdicts_out)):
        for week, who, count in conn.execute(query):
            row = found.setdefault(
                (week, who), {"week": week, by: who, "claims_in": 0, "verdicts_out": 0}
            )
            row[key] = count
    return [found[key] for key in sorted(found)]
