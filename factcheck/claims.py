"""Claims and the evidence linked to them."""

from __future__ import annotations

from datetime import timezone
from typing import Any

from sqlmodel import Session, col, select

from factcheck import schema
from factcheck.errors import InvalidInput, NotFound
from factcheck.fields import check_field
from factcheck.history import edit_fields, field_history
from factcheck.models import (
    Claim,
    ClaimLink,
    ClaimStatus,
    EvidenceLink,
    Source,
    SpeakerKind,
    Stance,
    new_uuid,
    utcnow,
)
from factcheck.publishing import publication_state, publish_claim
from factcheck.sources import get_source, source_summary
from factcheck.speakers import ensure_speaker
from factcheck.validate import choice
from factcheck.verdicts import (
    current_verdict,
    outside_reviews,
    resolve_label_of,
    verdict_history,
)

CLAIM_STATUSES = tuple(s.value for s in ClaimStatus)
STANCES = tuple(s.value for s in Stance)
SPEAKER_KINDS = tuple(k.value for k in SpeakerKind)


def add_claim(
    session: Session,
    text: str,
    *,
    user: str,
    speaker: str | None = None,
    source_id: int | None = None,
    char_start: int | None = None,
    char_end: int | None = None,
    score: float | None = None,
    score_model: str | None = None,
    speaker_kind: str | None = None,
    cites: str | None = None,
    claim_date: str | None = None,
    summary: str | None = None,
    speaker_type: str | None = None,
) -> Claim:
    claim_text = check_field("claim", "text", text)
    if source_id is not None:
        source = get_source(session, source_id)
        if (char_start is None) != (char_end is None):
            raise InvalidInput("give both --start and --end offsets, or neither")
        if char_start is not None and char_end is not None:
            body = source.full_text or ""
            if not (0 <= char_start < char_end <= len(body)):
                raise InvalidInput(
                    f"offsets {char_start}:{char_end} are outside source {source_id}'s text "
                    f"(0:{len(body)}): check --start and --end"
                )
    elif char_start is not None or char_end is not None:
        raise InvalidInput("offsets need a source: add --source ID")
    if score is not None and not (0.0 <= score <= 1.0):
        raise InvalidInput(f"score {score} is outside [0, 1]")
    claim = Claim(
        text=claim_text,
        speaker=check_field("claim", "speaker", speaker),
        source_id=source_id,
        char_start=char_start,
        char_end=char_end,
        score=score,
        score_model=score_model,
        speaker_kind=check_field("claim", "speaker_kind", speaker_kind),
        speaker_type=check_field("claim", "speaker_type", speaker_type),
        cites=check_field("claim", "cites", cites),
        claim_date=claim_date,
        summary=check_field("claim", "summary", summary),
        created_by=user,
    )
    session.add(claim)
    session.flush()
    ensure_speaker(session, claim.speaker, claim.speaker_type, user=user)
    return claim


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"no claim with id {claim_id}: list them with `factcheck review`")
    return claim


def set_status(session: Session, claim_id: int, status: str, *, user: str) -> Claim:
    """Move a claim along new -> researching -> reviewed -> published (or dismissed)."""
    wanted = choice(status, CLAIM_STATUSES, "status")
    if wanted == ClaimStatus.published:
        publish_claim(session, claim_id, user=user, keep_current=True)
        return get_claim(session, claim_id)
    claim = get_claim(session, claim_id)
    if wanted == ClaimStatus.reviewed:
        if current_verdict(session, claim_id) is None:
            raise InvalidInput(
                f"claim {claim_id} has no verdict, so it cannot be {wanted}: "
                f"record one with `factcheck verdict add {claim_id} RATING`"
            )
    edit_fields(session, claim, {"status": wanted}, user=user)
    return claim


def edit_claim(session: Session, claim_id: int, values: dict[str, Any], *, user: str) -> Claim:
    """Change text, summary, speaker or date; every change is kept in the claim's history."""
    claim = get_claim(session, claim_id)
    clean: dict[str, Any] = {}
    for field, value in values.items():
        clean[field] = check_field("claim", field, value)
    if not clean:
        raise InvalidInput("nothing to change: give --text, --summary, --speaker or --date")
    edit_fields(session, claim, clean, user=user)
    if "speaker" in clean:
        ensure_speaker(session, claim.speaker, claim.speaker_type, user=user)
    return claim


def add_evidence(
    session: Session,
    claim_id: int,
    source_id: int,
    stance: str,
    *,
    user: str,
    excerpt: str | None = None,
    note: str | None = None,
) -> EvidenceLink:
    get_claim(session, claim_id)
    get_source(session, source_id)
    link = EvidenceLink(
        claim_id=claim_id,
        source_id=source_id,
        stance=check_field("evidence", "stance", stance),
        excerpt=check_field("evidence", "excerpt", excerpt),
        note=check_field("evidence", "note", note),
        created_by=user,
    )
    session.add(link)
    session.flush()
    return link


def evidence_for(session: Session, claim_id: int) -> list[dict[str, Any]]:
    """A claim's evidence, withdrawn pieces included (with who withdrew them, when, why)."""
    from factcheck.desk import withdrawal_of  # desk.py builds on this module

    query = (
        select(EvidenceLink, Source)
        .join(Source, col(Source.id) == EvidenceLink.source_id)
        .where(EvidenceLink.claim_id == claim_id)
        .order_by(col(EvidenceLink.id))
    )
    return [
        {
            "id": link.id,
            "uuid": link.uuid,
            "stance": link.stance,
            "excerpt": link.excerpt,
            "note": link.note,
            "source_id": source.id,
            "source_title": source.title,
            "source_url": source.url,
            "created_at": link.created_at.isoformat(),
            "created_by": link.created_by,
            "withdrawn": withdrawal_of(session, link.id),  # type: ignore[arg-type]
        }
        for link, source in session.exec(query)
    ]


def claim_summary(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "uuid": claim.uuid,
        "text": claim.text,
        "summary": claim.summary,
        "speaker": claim.speaker,
        "speaker_kind": claim.speaker_kind,
        "speaker_type": claim.speaker_type,
        "cites": claim.cites,
        "status": claim.status,
        "score": claim.score,
        "score_model": claim.score_model,
        "source_id": claim.source_id,
        "char_start": claim.char_start,
        "char_end": claim.char_end,
        "claim_date": claim.claim_date,
        "assignee": claim.assignee,
        "due_date": claim.due_date,
        "priority": claim.priority,
        "created_at": claim.created_at.isoformat(),
        "created_by": claim.created_by,
    }


def claim_detail(session: Session, claim_id: int) -> dict[str, Any]:
    """A claim with its source, evidence and full verdict history (newest first)."""
    from factcheck.desk import notes_for, tags_for  # desk.py builds on this module

    claim = get_claim(session, claim_id)
    detail = claim_summary(claim)
    detail["source"] = (
        source_summary(get_source(session, claim.source_id)) if claim.source_id else None
    )
    detail["verdicts"] = verdict_history(session, claim_id)
    current = [v for v in detail["verdicts"] if v["current"]]
    detail["verdict"] = current[0]["rating"] if current else None
    detail["evidence"] = evidence_for(session, claim_id)
    detail["conflict"] = sum(1 for v in detail["verdicts"] if v["current"]) > 1
    detail["outside_reviews"] = outside_reviews(session, claim_id)
    detail["publication"] = publication_state(session, claim_id)
    detail["history"] = field_history(session, claim.uuid)
    detail["linked"] = linked_claims(session, claim_id)
    detail["notes"] = notes_for(session, claim_id)
    detail["tags"] = tags_for(session, claim_id)
    return detail


def _bulk_shape() -> tuple[tuple[str, ...], dict[str, Any], str]:
    """The claim table's columns (from the model), their constant defaults, and the INSERT."""
    columns = tuple(c.name for c in schema.table("claim").columns)
    table = Claim.__table__  # type: ignore[attr-defined]
    defaults = {
        name: table.c[name].default.arg
        for name in columns
        if table.c[name].default is not None and table.c[name].default.is_scalar
    }
    marks = ", ".join("?" for _ in columns)
    # safe: column names come from the model; every value is a bound parameter
    return columns, defaults, f"INSERT INTO claim ({', '.join(columns)}) VALUES ({marks})"


_BULK_COLUMNS, _BULK_DEFAULTS, _BULK_INSERT = _bulk_shape()
# Checked here as add_claim checks them; the other values come from an importer that checked
# them already (offsets it computed, a sheet's parsed dates and scores).
_BULK_CHECKED = ("text", "summary", "speaker")


def add_claims_bulk(session: Session, rows: list[dict[str, Any]], *, user: str) -> int:
    """Insert many claims with one executemany (no ORM object, no per-row SQLAlchemy work).

    Each row needs `text`; other keys are Claim columns (others are ignored). Times are
    written in the same UTC text form SQLModel's UTCDateTime uses.
    """
    if not rows:
        return 0
    now = _db_timestamp(utcnow())
    statuses = set(CLAIM_STATUSES)
    prepared = []
    for row in rows:
        values = dict(_BULK_DEFAULTS)
        values.update((k, v) for k, v in row.items() if v is not None)
        for name in _BULK_CHECKED:
            values[name] = check_field("claim", name, row.get(name))
        if values["status"] not in statuses:
            values["status"] = choice(values["status"], CLAIM_STATUSES, "status")
        created = row.get("created_at")
        values["uuid"] = row.get("uuid") or new_uuid()
        values["created_at"] = _db_timestamp(created) if created is not None else now
        values["created_by"] = user
        prepared.append(tuple(values.get(name) for name in _BULK_COLUMNS))
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        from factcheck.postgres import copy_rows

        copy_rows(conn, "claim", _BULK_COLUMNS, prepared)
    else:
        conn.exec_driver_sql(_BULK_INSERT, prepared)
    speaker, speaker_type = _BULK_COLUMNS.index("speaker"), _BULK_COLUMNS.index("speaker_type")
    named = {row[speaker]: row[speaker_type] for row in prepared if row[speaker]}
    for said_by, kind in named.items():
        ensure_speaker(session, said_by, kind, user=user)
    return len(prepared)


def _db_timestamp(value: Any) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


# ---- confirmed links: a person said two claims are the same claim ----------------------


def link_claims(
    session: Session, claim_id: int, other_id: int, *, user: str, note: str | None = None
) -> ClaimLink:
    """Record that a person confirmed two claims say the same thing."""
    if claim_id == other_id:
        raise InvalidInput("a claim cannot be linked to itself: give two different ids")
    get_claim(session, claim_id)
    get_claim(session, other_id)
    link = ClaimLink(
        claim_id=claim_id,
        other_claim_id=other_id,
        note=check_field("claim_link", "note", note),
        created_by=user,
    )
    session.add(link)
    session.flush()
    return link


def linked_claims(session: Session, claim_id: int) -> list[dict[str, Any]]:
    query = (
        select(ClaimLink)
        .where((col(ClaimLink.claim_id) == claim_id) | (col(ClaimLink.other_claim_id) == claim_id))
        .order_by(col(ClaimLink.created_at))
    )
    seen: dict[int, dict[str, Any]] = {}
    for link in session.exec(query):
        other = link.other_claim_id if link.claim_id == claim_id else link.claim_id
        if other in seen:
            continue
        claim = get_claim(session, other)
        verdict = current_verdict(session, other)
        seen[other] = {
            "id": other,
            "text": claim.text,
            "speaker": claim.speaker,
            "verdict": resolve_label_of(session, verdict) if verdict else None,
            "linked_by": link.created_by,
            "linked_at": link.created_at.isoformat(),
            "note": link.note,
        }
    return list(seen.values())
