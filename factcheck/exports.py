"""Writing exports: whole-desk JSON and claim rows (file writing is in factcheck/outputs.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from functools import lru_cache
from typing import IO, Any

from sqlalchemy import bindparam, func, select, text
from sqlmodel import Session

from factcheck import __version__
from factcheck.claims import CLAIM_STATUSES, get_claim
from factcheck.db import HEAD_REVISION
from factcheck.merge import SNAPSHOT_FORMAT, SNAPSHOT_VERSION, iter_snapshot
from factcheck.models import MUTABLE_FIELDS, Claim, RatingLabel, RatingScale, Source, Verdict
from factcheck.outputs import atomic_output, check_output_path, write_output  # noqa: F401
from factcheck.publishing import select_for_claimreview
from factcheck.render import to_json
from factcheck.validate import choice
from factcheck.verdicts import current_verdict_id, get_setting, outside_review


def write_desk_json(session: Session, out: IO[str]) -> None:
    """Every table, UUID-linked, in a stable order: what `merge desk.json` reads back.
    Written as it is read, a chunk of rows at a time, in the layout to_json gives the whole
    document (two-space indent), so the file is the same as if it had been built in memory.
    The first statement of the caller's transaction: on a server it reads one moment of every
    table (SQLite's read transaction does that on its own)."""
    if session.connection().dialect.name == "postgresql":
        from factcheck import postgres

        postgres.read_one_snapshot(session)
    header = {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "schema_revision": HEAD_REVISION,
        "factcheck_version": __version__,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    parts = [f"  {to_json(key)}: {to_json(value)}" for key, value in header.items()]
    out.write("{\n" + ",\n".join(parts))
    for name, rows in iter_snapshot(session):
        out.write(f",\n  {to_json(name)}: [")
        separator = "\n"
        for row in rows:
            out.write(separator + "    " + to_json(row).replace("\n", "\n    "))
            separator = ",\n"
        out.write("]" if separator == "\n" else "\n  ]")
    out.write("\n}\n")


claim_t = Claim.__table__  # type: ignore[attr-defined]
source_t = Source.__table__  # type: ignore[attr-defined]
verdict_t = Verdict.__table__  # type: ignore[attr-defined]
label_t = RatingLabel.__table__  # type: ignore[attr-defined]
scale_t = RatingScale.__table__  # type: ignore[attr-defined]


@lru_cache(maxsize=8)
def _export_query(status: bool, speaker: bool, rated_only: bool) -> Any:
    c, s, v, lb, sc = claim_t, source_t, verdict_t, label_t, scale_t
    query = (
        select(
            c.c.id,
            c.c.uuid,
            *(c.c[name] for name in MUTABLE_FIELDS["claim"]),  # every field a person edits
            s.c.url.label("source_url"),
            s.c.title.label("source_title"),
            s.c.publisher.label("source_publisher"),
            s.c.published_on.label("source_date"),
            c.c.score,
            lb.c.slug.label("verdict"),
            lb.c.label.label("rating_label"),
            lb.c.value.label("rating_value"),
            sc.c.name.label("verdict_scale"),
            sc.c.best,
            sc.c.worst,
            v.c.rationale.label("verdict_rationale"),
            v.c.reviewer,
            v.c.created_at.label("reviewed_at"),
            outside_review(c.c.id, "publisher").label("checked_by"),
            outside_review(c.c.id, "label").label("checked_by_rating"),
            c.c.created_at,
            c.c.created_by,
        )
        .select_from(
            c.outerjoin(s, s.c.id == c.c.source_id)
            .outerjoin(v, v.c.id == current_verdict_id(c.c.id))
            .outerjoin(lb, lb.c.id == v.c.label_id)
            .outerjoin(sc, sc.c.id == lb.c.scale_id)
        )
        .order_by(c.c.id)
    )
    if status:
        query = query.where(c.c.status == bindparam("status"))
    if speaker:
        query = query.where(
            func.instr(func.lower(c.c.speaker), func.lower(bindparam("speaker"))) > 0
        )
    if rated_only:
        query = query.where(v.c.id.is_not(None))
    return query


def claim_rows(
    session: Session,
    *,
    status: str | None = None,
    speaker: str | None = None,
    rated_only: bool = False,
) -> Iterator[dict[str, Any]]:
    """Claims with their source and current verdict, streamed in id order."""
    params: dict[str, Any] = {}
    if status:
        params["status"] = choice(status, CLAIM_STATUSES, "status")
    if speaker:
        params["speaker"] = speaker
    query = _export_query(bool(status), bool(speaker), rated_only)
    result = session.connection().execution_options(yield_per=2000).execute(query, params)
    for row in result.mappings():
        yield {key: _timestamp_text(value) for key, value in row.items()}


def _timestamp_text(value: Any) -> Any:
    # Times as the desk has always written them (UTC, "2017-05-14 09:30:00.000000"), whatever
    # the database hands back, so an export's bytes depend on the content alone.
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


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
