"""Rating scales and verdicts. A verdict is never changed: a correction is a new verdict that
supersedes the previous one, and the current verdict of a claim is the newest."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from factcheck.errors import InvalidInput, NotFound
from factcheck.fields import check_field
from factcheck.history import edit_fields
from factcheck.models import (
    SETTING_KEYS,
    Claim,
    ClaimStatus,
    RatingLabel,
    RatingScale,
    Setting,
    Verdict,
    VerdictSupersedes,
)
from factcheck.validate import clean_text, optional_text

# A verdict is the desk's own unless its scale holds an outside publisher's ratings (imported
# ClaimReview): those are context for our work, never our verdict, never published as ours.
OURS_SQL = (
    "v.label_id IN (SELECT ol.id FROM rating_label ol JOIN rating_scale os "
    "ON os.id = ol.scale_id WHERE os.publisher IS NULL)"
)
# The current verdict of claim `c`, for hand-written SQL (exports, search, stats, merge;
# review.py builds the same with SQLAlchemy): the newest of our verdicts that no other
# verdict supersedes.
_CURRENT = (
    f"WHERE v.claim_id = c.id AND {OURS_SQL} AND NOT EXISTS (SELECT 1 FROM verdict_supersedes x "
    "WHERE x.superseded_id = v.id) ORDER BY v.created_at DESC, v.id DESC LIMIT 1"
)
# A column of claim `c`'s newest outside rating (format with "os.publisher" or "ol.label").
OUTSIDE_SQL = (
    "(SELECT {} FROM verdict ov JOIN rating_label ol ON ol.id = ov.label_id "
    "JOIN rating_scale os ON os.id = ol.scale_id WHERE ov.claim_id = c.id "
    "AND os.publisher IS NOT NULL ORDER BY ov.created_at DESC, ov.id DESC LIMIT 1)"
)
# How many current verdicts claim `c` has: more than one is a conflict (rival verdicts made on
# two copies of the file) that only a new verdict resolves.
CURRENT_COUNT_SQL = (
    f"(SELECT count(*) FROM verdict v WHERE v.claim_id = c.id AND {OURS_SQL} AND NOT EXISTS "
    "(SELECT 1 FROM verdict_supersedes x WHERE x.superseded_id = v.id))"
)
CURRENT_VERDICT_ID_SQL = f"(SELECT v.id FROM verdict v {_CURRENT})"
CURRENT_RATING_SQL = (
    f"(SELECT l.slug FROM verdict v JOIN rating_label l ON l.id = v.label_id {_CURRENT})"
)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return row.value if row else None


def list_settings(session: Session) -> list[dict[str, Any]]:
    return [
        {"key": s.key, "value": s.value, "updated_at": s.updated_at, "updated_by": s.updated_by}
        for s in session.exec(select(Setting).order_by(col(Setting.key)))
    ]


def set_setting(session: Session, key: str, value: str, user: str) -> Setting:
    if key not in SETTING_KEYS:
        raise InvalidInput(f"unknown setting {key!r}: use one of {', '.join(SETTING_KEYS)}")
    if key == "default_scale":
        value = get_scale(session, value).name
    row = session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value="", updated_by=user)
        session.add(row)
        session.flush()
    changes = edit_fields(session, row, {"value": value}, user=user)
    if changes:  # the change's own time, so a merged copy (which replays it) agrees
        row.updated_by, row.updated_at = user, changes[0].created_at
    session.add(row)
    session.flush()
    return row


def get_scale(session: Session, name: str) -> RatingScale:
    scale = session.exec(select(RatingScale).where(RatingScale.name == slugify(name))).first()
    if scale is None:
        names = session.exec(select(RatingScale.name).order_by(col(RatingScale.id))).all()
        raise NotFound(f"unknown rating scale {name!r}: use one of {', '.join(names)}")
    return scale


def scale_labels(session: Session, scale: RatingScale) -> list[RatingLabel]:
    query = select(RatingLabel).where(RatingLabel.scale_id == scale.id)
    labels = list(session.exec(query.order_by(col(RatingLabel.id))))
    return labels


def resolve_label(session: Session, scale: RatingScale, rating: str) -> RatingLabel:
    """Forgiving: 'pants-on-fire', 'Pants on Fire' and 'PANTS_ON_FIRE' are the same label."""
    wanted = slugify(rating)
    labels = scale_labels(session, scale)
    for label in labels:
        if wanted and wanted in (label.slug, slugify(label.label)):
            return label
    squashed = wanted.replace("-", "")
    for label in labels:
        if squashed and squashed == label.slug.replace("-", ""):
            return label
    valid = ", ".join(label.slug for label in labels)
    raise NotFound(f"unknown rating {rating!r} on the {scale.name} scale: use one of {valid}")


def list_scales(session: Session) -> list[dict[str, Any]]:
    default = get_setting(session, "default_scale")
    rows: list[dict[str, Any]] = []
    for scale in session.exec(select(RatingScale).order_by(col(RatingScale.id))):
        for label in scale_labels(session, scale):
            rows.append(
                {
                    "scale": scale.name,
                    "default": scale.name == default,
                    "rating": label.slug,
                    "label": label.label,
                    "value": label.value,
                    "best": scale.best,
                    "worst": scale.worst,
                    "description": label.description,
                }
            )
    return rows


def add_scale(
    session: Session, name: str, title: str | None, labels: list[str], user: str
) -> RatingScale:
    """A user-defined scale; labels are given best first and valued n..1."""
    slug = slugify(name)
    if not slug:
        raise InvalidInput("the scale name is empty: give a name such as 'desk-scale'")
    if session.exec(select(RatingScale).where(RatingScale.name == slug)).first():
        raise InvalidInput(f"a scale named {slug!r} exists already: choose another name")
    cleaned = [clean_text(text, "rating label", max_length=100) for text in labels]
    if len(cleaned) < 2:
        raise InvalidInput("a scale needs at least two labels, best first: --label True ...")
    slugs = [slugify(text) for text in cleaned]
    if len(set(slugs)) != len(slugs) or not all(slugs):
        raise InvalidInput("the labels of a scale must be distinct and contain letters or digits")
    scale = RatingScale(
        name=slug,
        title=optional_text(title, "title") or slug,
        best=len(cleaned),
        worst=1,
        created_by=user,
    )
    session.add(scale)
    session.flush()
    for position, (text, label_slug) in enumerate(zip(cleaned, slugs, strict=True)):
        session.add(
            RatingLabel(
                scale_id=scale.id,  # type: ignore[arg-type]
                slug=label_slug,
                label=text,
                value=len(cleaned) - position,
                created_by=user,
            )
        )
    session.flush()
    return scale


def our_labels() -> Any:
    """The rating labels of the desk's own scales (no outside publisher): a verdict on one
    of them is ours."""
    return (
        select(RatingLabel.id)
        .join(RatingScale, col(RatingScale.id) == RatingLabel.scale_id)
        .where(col(RatingScale.publisher).is_(None))
    )


def current_verdicts(session: Session, claim_id: int) -> list[Verdict]:
    """Our verdicts nothing supersedes, newest first: one normally, several in a conflict."""
    superseded = select(VerdictSupersedes.superseded_id).where(
        VerdictSupersedes.superseded_id == Verdict.id
    )
    query = (
        select(Verdict)
        .where(
            Verdict.claim_id == claim_id,
            col(Verdict.label_id).in_(our_labels()),
            ~superseded.exists(),
        )
        .order_by(col(Verdict.created_at).desc(), col(Verdict.id).desc())
    )
    return list(session.exec(query))


def outside_reviews(session: Session, claim_id: int) -> list[dict[str, Any]]:
    """Other fact-checkers' published ratings of a claim (imported ClaimReview), newest first."""
    query = (
        select(Verdict, RatingLabel, RatingScale)
        .join(RatingLabel, col(RatingLabel.id) == Verdict.label_id)
        .join(RatingScale, col(RatingScale.id) == RatingLabel.scale_id)
        .where(Verdict.claim_id == claim_id, col(RatingScale.publisher).is_not(None))
        .order_by(col(Verdict.created_at).desc(), col(Verdict.id).desc())
    )
    return [
        {
            "publisher": scale.publisher,
            "rating": label.label,
            "checked_by": f"checked by {scale.publisher}: {label.label}",
            "rationale": verdict.rationale,
            "created_at": verdict.created_at.isoformat(),
        }
        for verdict, label, scale in session.exec(query)
    ]


def conflict_message(session: Session, claim_id: int, heads: list[Verdict], action: str) -> str:
    ratings = " and ".join(
        f"{resolve_label_of(session, v)} by {v.reviewer} (verdict {v.id})" for v in heads
    )
    return (
        f"claim {claim_id} cannot be {action}: its current verdicts conflict ({ratings}, "
        "recorded on different copies of the desk); decide, then record the verdict that "
        f"resolves it: factcheck verdict add {claim_id} RATING --rationale ..."
    )


def resolve_label_of(session: Session, verdict: Verdict) -> str:
    label = session.get(RatingLabel, verdict.label_id)
    return label.slug if label else "?"


def current_verdict(session: Session, claim_id: int) -> Verdict | None:
    heads = current_verdicts(session, claim_id)
    return heads[0] if heads else None


def record_verdict(
    session: Session,
    claim_id: int,
    rating: str,
    *,
    user: str,
    scale: str | None = None,
    rationale: str | None = None,
    reviewer: str | None = None,
    outside: bool = False,
) -> tuple[Verdict, list[int]]:
    """Append a verdict; it supersedes the claim's current one(s) (returned by id) and moves
    the claim to reviewed. With outside=True it is another publisher's rating (an import):
    it supersedes nothing and moves nothing."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"no claim with id {claim_id}: list them with `factcheck review`")
    heads = [] if outside else current_verdicts(session, claim_id)
    if scale:
        rating_scale = get_scale(session, scale)
        if rating_scale.publisher and not outside:
            raise InvalidInput(
                f"the {rating_scale.name} scale holds ratings published by "
                f"{rating_scale.publisher}, not the desk's own: record your verdict on one of "
                "your scales (factcheck scale list)"
            )
        label = resolve_label(session, rating_scale, rating)
    else:
        label = _label_without_scale(session, rating, heads[0] if heads else None)
    verdict = Verdict(
        claim_id=claim_id,
        label_id=label.id,  # type: ignore[arg-type]
        rationale=check_field("verdict", "rationale", rationale),
        reviewer=(reviewer or "").strip()[:200] or user,
        created_by=user,
    )
    if heads and verdict.created_at <= max(h.created_at for h in heads):
        # Clocks differ between machines; keep the history ordered.
        verdict.created_at = max(h.created_at for h in heads) + timedelta(microseconds=1)
    session.add(verdict)
    session.flush()
    for head in heads:  # a new verdict supersedes every current one, resolving any conflict
        session.add(VerdictSupersedes(verdict_id=verdict.id, superseded_id=head.id))  # type: ignore[arg-type]
    if outside:
        pass
    elif claim.status in (ClaimStatus.new, ClaimStatus.researching, ClaimStatus.dismissed):
        edit_fields(session, claim, {"status": ClaimStatus.reviewed.value}, user=user)
    session.flush()
    return verdict, [h.id for h in heads if h.id is not None]


def _label_without_scale(session: Session, rating: str, previous: Verdict | None) -> RatingLabel:
    """The scale of the claim's previous verdict (else the desk's default) when it has the
    rating; else the one scale of ours that has it."""
    if previous is not None:
        prev_label = session.get(RatingLabel, previous.label_id)
        assert prev_label is not None  # a foreign key guarantees it
        first = session.get(RatingScale, prev_label.scale_id)
    else:
        first = get_scale(session, get_setting(session, "default_scale") or "politifact")
    assert first is not None
    try:
        return resolve_label(session, first, rating)
    except NotFound as first_error:
        ours = session.exec(
            select(RatingScale)
            .where(col(RatingScale.publisher).is_(None), RatingScale.id != first.id)
            .order_by(col(RatingScale.id))
        ).all()
        found: list[RatingLabel] = []
        for other in ours:
            try:
                found.append(resolve_label(session, other, rating))
            except NotFound:
                continue
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = [s.name for s in ours if any(label.scale_id == s.id for label in found)]
            raise InvalidInput(
                f"the rating {rating!r} is on several scales ({', '.join(names)}): "
                "choose one with --scale"
            ) from None
        raise first_error


def verdict_history(session: Session, claim_id: int) -> list[dict[str, Any]]:
    """Our verdicts on a claim, newest first, with what each superseded and whether current
    (other publishers' ratings are in outside_reviews)."""
    query = (
        select(Verdict, RatingLabel, RatingScale)
        .join(RatingLabel, col(RatingLabel.id) == Verdict.label_id)
        .join(RatingScale, col(RatingScale.id) == RatingLabel.scale_id)
        .where(Verdict.claim_id == claim_id, col(RatingScale.publisher).is_(None))
        .order_by(col(Verdict.created_at).desc(), col(Verdict.id).desc())
    )
    links = session.exec(
        select(VerdictSupersedes)
        .join(Verdict, col(Verdict.id) == VerdictSupersedes.verdict_id)
        .where(Verdict.claim_id == claim_id)
    ).all()
    supersedes: dict[int, list[int]] = {}
    for link in links:
        supersedes.setdefault(link.verdict_id, []).append(link.superseded_id)
    superseded = {link.superseded_id for link in links}
    rows = []
    for verdict, label, scale in session.exec(query):
        rows.append(
            {
                "id": verdict.id,
                "uuid": verdict.uuid,
                "rating": label.slug,
                "label": label.label,
                "value": label.value,
                "scale": scale.name,
                "rationale": verdict.rationale,
                "reviewer": verdict.reviewer,
                "supersedes": sorted(supersedes.get(verdict.id or 0, [])),
                "current": verdict.id not in superseded,
                "created_at": verdict.created_at.isoformat(),
                "created_by": verdict.created_by,
            }
        )
    return rows
