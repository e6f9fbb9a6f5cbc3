"""Counts for a desk's audit: claims by status, current verdict, and speaker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from factcheck.verdicts import CURRENT_RATING_SQL

_CURRENT_LABEL = CURRENT_RATING_SQL


def desk_stats(session: Session, *, top_speakers: int = 10) -> dict[str, Any]:
    conn = session.connection()
    by_status = [
        dict(r._mapping)
        for r in conn.execute(
            text(
                "SELECT status, count(*) AS claims FROM claim GROUP BY status ORDER BY claims DESC, status"
            )
        )
    ]
    by_verdict = [
        dict(r._mapping)
        for r in conn.execute(
            text(
                f"SELECT coalesce({_CURRENT_LABEL}, '(none)') AS verdict, count(*) AS claims "
                "FROM claim c GROUP BY 1 ORDER BY claims DESC, verdict"
            )
        )
    ]
    speakers = [
        dict(r._mapping)
        for r in conn.execute(
            text(
                "SELECT coalesce(speaker, '(no speaker)') AS speaker, count(*) AS claims FROM claim "
                "GROUP BY 1 ORDER BY claims DESC, speaker LIMIT :n"
            ),
            {"n": top_speakers},
        )
    ]
    per_speaker = [
        dict(r._mapping)
        for r in conn.execute(
            text(
                f"SELECT coalesce(c.speaker, '(no speaker)') AS speaker, {_CURRENT_LABEL} AS verdict, "
                "count(*) AS claims FROM claim c WHERE coalesce(c.speaker, '(no speaker)') IN "
                "(SELECT coalesce(speaker, '(no speaker)') FROM claim GROUP BY 1 "
                "ORDER BY count(*) DESC, 1 LIMIT :n) AND " + _CURRENT_LABEL + " IS NOT NULL "
                "GROUP BY 1, 2 ORDER BY 1, claims DESC"
            ),
            {"n": top_speakers},
        )
    ]
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
