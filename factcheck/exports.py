"""Writing exports: whole-desk JSON and claim rows (file writing is in factcheck/outputs.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from factcheck import __version__
from factcheck.claims import CLAIM_STATUSES, get_claim
from factcheck.db import HEAD_REVISION
from factcheck.merge import SNAPSHOT_FORMAT, SNAPSHOT_VERSION, snapshot_of_session
from factcheck.outputs import atomic_output, check_output_path, write_output  # noqa: F401
from factcheck.publishing import select_for_claimreview
from factcheck.validate import choice
from factcheck.verdicts import CURRENT_VERDICT_ID_SQL, OUTSIDE_SQL, get_setting


def desk_json(session: Session) -> dict[str, Any]:
    """Every table, UUID-linked, in a stable order: what `merge desk.json` reads back."""
    data: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "schema_revision": HEAD_REVISION,
        "factcheck_version": __version__,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    data.update(snapshot_of_session(session))
    return data


_EXPORT_SQL = (
    "SELECT c.id, c.uuid, c.text, c.summary, c.speaker, c.speaker_type, c.status, c.claim_date, "
    "s.url AS source_url, s.title AS source_title, s.publisher AS source_publisher, "
    "s.published_on AS source_date, c.score, l.slug AS verdict, l.label AS rating_label, "
    "l.value AS rating_value, sc.name AS verdict_scale, sc.best, sc.worst, "
    "v.rationale AS verdict_rationale, v.reviewer, v.created_at AS reviewed_at, "
    f"{OUTSIDE_SQL.format('os.publisher')} AS checked_by, "
    f"{OUTSIDE_SQL.format('ol.label')} AS checked_by_rating, "
    "c.created_at, c.created_by "
    "FROM claim c LEFT JOIN source s ON s.id = c.source_id "
    f"LEFT JOIN verdict v ON v.id = {CURRENT_VERDICT_ID_SQL} "
    "LEFT JOIN rating_label l ON l.id = v.label_id "
    "LEFT JOIN rating_scale sc ON sc.id = l.scale_id "
    "WHERE (:status IS NULL OR c.status = :status) "
    "AND (:speaker IS NULL OR instr(lower(c.speaker), lower(:speaker)) > 0) "
    "AND (:rated = 0 OR v.id IS NOT NULL) "
    "ORDER BY c.id"
)


def claim_rows(
    session: Session,
    *,
    status: str | None = None,
    speaker: str | None = None,
    rated_only: bool = False,
) -> Iterator[dict[str, Any]]:
    """Claims with their source and current verdict, streamed in id order."""
    if status:
        status = choice(status, CLAIM_STATUSES, "status")
    params = {"status": status, "speaker": speaker, "rated": 1 if rated_only else 0}
    result = (
        session.connection().execution_options(yield_per=2000).execute(text(_EXPORT_SQL), params)
    )
    for row in result.mappings():
        yield dict(row)


def count_claims(session: Session) -> int:
    return int(session.connection().execute(text("SELECT count(*) FROM claim")).scalar() or 0)


def claimreview_selection(
    session: Session,
    *,
    claim_ids: tuple[int, ...] = (),
    include_unpublished: bool = False,
    **filters: Any,
) -> Any:
    """What `export claimreview` takes (see publishing.select_for_claimreview)."""
    for claim_id in claim_ids:
        get_claim(session, claim_id)  # an unknown id is an error, not an empty export
    wanted = set(claim_ids)
    rows = [
        row
        for row in claim_rows(session, rated_only=True, **filters)
        if not wanted or row["id"] in wanted
    ]
    rated = {row["id"] for row in rows}
    selection = select_for_claimreview(session, rows, include_unpublished=include_unpublished)
    for claim_id in sorted(wanted - rated):
        selection.skipped.append(
            (claim_id, f"no verdict of this desk's own: `factcheck verdict add {claim_id} RATING`")
        )
    return selection


def organisation(session: Session) -> dict[str, str | None]:
    return {
        "name": get_setting(session, "org_name") or None,
        "url": get_setting(session, "org_url") or None,
    }
