"""The desk's week: who is on a claim and by when, our notes, tags, withdrawn evidence, and
moving many claims at once. Every write is an append-only row or a logged field edit, so two
copies of a desk merge without losing either side's work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from factcheck.claims import get_claim, set_status
from factcheck.errors import InvalidInput, NotFound
from factcheck.fields import check_field
from factcheck.history import edit_fields
from factcheck.models import (
    Claim,
    ClaimTag,
    EvidenceLink,
    EvidenceWithdrawal,
    Note,
    Priority,
    utcnow,
)
from factcheck.sources import get_source

PRIORITIES = tuple(p.value for p in Priority)
# None (never set) ranks as normal.
PRIORITY_RANK = {value: rank for rank, value in enumerate(PRIORITIES)}

tag_t = ClaimTag.__table__  # type: ignore[attr-defined]
withdrawal_t = EvidenceWithdrawal.__table__  # type: ignore[attr-defined]


def assign_claim(
    session: Session,
    claim_id: int,
    *,
    user: str,
    assignee: str | None = None,
    due_date: str | None = None,
    priority: str | None = None,
    clear: tuple[str, ...] = (),
) -> Claim:
    """Set who is on a claim, by when and how urgent; each change goes in its history.
    Fields named in `clear` are emptied."""
    claim = get_claim(session, claim_id)
    values: dict[str, Any] = {field: None for field in clear}
    for field, value in (("assignee", assignee), ("due_date", due_date), ("priority", priority)):
        if value is not None:
            values[field] = check_field("claim", field, value)
    if not values:
        raise InvalidInput("nothing to change: give a NAME, --due DATE or --priority LEVEL")
    edit_fields(session, claim, values, user=user)
    return claim


def claims_of_source(session: Session, source_id: int) -> list[int]:
    get_source(session, source_id)
    query = orm_select(Claim.id).where(Claim.source_id == source_id).order_by(col(Claim.id))
    ids = [claim_id for claim_id in session.exec(query) if claim_id is not None]
    if not ids:
        raise InvalidInput(f"source {source_id} has no claims: nothing to change")
    return ids


def set_status_many(
    session: Session, claim_ids: list[int], status: str, *, user: str
) -> list[Claim]:
    """Move several claims; one that cannot move stops them all (the caller rolls back)."""
    missing = [claim_id for claim_id in claim_ids if session.get(Claim, claim_id) is None]
    if missing:
        shown = ", ".join(str(i) for i in missing)
        raise NotFound(
            f"no claim with id {shown}: nothing was changed; list them with `factcheck review`"
        )
    return [set_status(session, claim_id, status, user=user) for claim_id in claim_ids]


def add_note(session: Session, claim_id: int, text: str, *, user: str) -> Note:
    get_claim(session, claim_id)
    note = Note(claim_id=claim_id, text=check_field("note", "text", text), created_by=user)
    session.add(note)
    session.flush()
    return note


def notes_for(session: Session, claim_id: int) -> list[dict[str, Any]]:
    """The claim's notes, oldest first (a thread)."""
    query = (
        orm_select(Note)
        .where(Note.claim_id == claim_id)
        .order_by(col(Note.created_at), col(Note.uuid))
    )
    return [
        {
            "uuid": note.uuid,
            "text": note.text,
            "created_at": note.created_at.isoformat(),
            "created_by": note.created_by,
        }
        for note in session.exec(query)
    ]


def current_tags_query() -> Any:
    """(claim_id, tag) of every tag a claim carries: its newest event (by time, then UUID, as
    every copy agrees) is not a removal."""
    newer = tag_t.alias("newer")
    later = (
        select(newer.c.id)
        .where(
            newer.c.claim_id == tag_t.c.claim_id,
            newer.c.tag == tag_t.c.tag,
            or_(
                newer.c.created_at > tag_t.c.created_at,
                and_(newer.c.created_at == tag_t.c.created_at, newer.c.uuid > tag_t.c.uuid),
            ),
        )
        .exists()
    )
    return select(tag_t.c.claim_id, tag_t.c.tag).where(tag_t.c.removed.is_(False), ~later)


def tags_for(session: Session, claim_id: int) -> list[str]:
    query = current_tags_query().subquery()
    rows = session.connection().execute(
        select(query.c.tag).where(query.c.claim_id == claim_id).order_by(query.c.tag)
    )
    return [row[0] for row in rows]


def tags_by_claim(session: Session, claim_ids: list[int]) -> dict[int, list[str]]:
    query = current_tags_query().subquery()
    found: dict[int, list[str]] = {}
    for start in range(0, len(claim_ids), 500):  # SQLite's bound-parameter limit
        chunk = claim_ids[start : start + 500]
        rows = session.connection().execute(
            select(query.c.claim_id, query.c.tag)
            .where(query.c.claim_id.in_(chunk))
            .order_by(query.c.tag)
        )
        for claim_id, tag in rows:
            found.setdefault(claim_id, []).append(tag)
    return found


def tag_claim(
    session: Session, claim_id: int, tags: list[str], *, user: str, remove: bool = False
) -> list[str]:
    """Put tags on a claim (or take them off); returns the tags that changed. Putting on a tag
    the claim has, or taking off one it lacks, records nothing."""
    get_claim(session, claim_id)
    wanted = list(dict.fromkeys(check_field("claim_tag", "tag", tag) for tag in tags))
    if not wanted:
        raise InvalidInput("give at least one tag, such as health")
    present = set(tags_for(session, claim_id))
    changed = [tag for tag in wanted if (tag in present) == remove]
    now = utcnow()
    for tag in changed:
        session.add(
            ClaimTag(claim_id=claim_id, tag=tag, removed=remove, created_at=now, created_by=user)
        )
    session.flush()
    return changed


def withdraw_evidence(
    session: Session, evidence_id: int, reason: str, *, user: str
) -> EvidenceWithdrawal:
    link = session.get(EvidenceLink, evidence_id)
    if link is None:
        raise NotFound(
            f"no evidence with id {evidence_id}: `factcheck claim show CLAIM` lists a claim's"
        )
    earlier = withdrawal_of(session, evidence_id)
    if earlier is not None:
        raise InvalidInput(
            f"evidence {evidence_id} was already withdrawn by {earlier['withdrawn_by']} at "
            f"{earlier['withdrawn_at'][:19]}: nothing to do"
        )
    row = EvidenceWithdrawal(
        evidence_id=evidence_id,
        reason=check_field("evidence_withdrawal", "reason", reason),
        created_by=user,
    )
    session.add(row)
    session.flush()
    return row


def withdrawal_of(session: Session, evidence_id: int) -> dict[str, Any] | None:
    """The first withdrawal of a piece of evidence (two copies may each have withdrawn it)."""
    row = (
        session.connection()
        .execute(
            select(withdrawal_t.c.reason, withdrawal_t.c.created_at, withdrawal_t.c.created_by)
            .where(withdrawal_t.c.evidence_id == evidence_id)
            .order_by(withdrawal_t.c.created_at, withdrawal_t.c.uuid)
            .limit(1)
        )
        .first()
    )
    if row is None:
        return None
    return {
        "reason": row[0],
        "withdrawn_at": row[1].isoformat(),
        "withdrawn_by": row[2],
    }


def is_withdrawn(evidence_id_column: Any) -> Any:
    """SQL: the evidence row with this id has been withdrawn."""
    return (
        select(withdrawal_t.c.id).where(withdrawal_t.c.evidence_id == evidence_id_column).exists()
    )
