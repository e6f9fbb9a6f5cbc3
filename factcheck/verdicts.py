"""Rating scales and verdicts. A verdict is never changed: a correction is a new verdict that
supersedes the previous one, and the current verdict of a claim is the newest."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, func
from sqlalchemy import select as sa_select
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

# The one definition of "current verdict", in SQLAlchemy Core so every query (review, search,
# stats, exports, merge) and every backend uses the same rule: a claim's current verdicts are
# its verdicts on the desk's own scales (not an outside publisher's imported ratings) that no
# other verdict supersedes; the newest of them is *the* current verdict, and more than one is
# a conflict (rival verdicts made on two copies of the file) that only a new verdict resolves.
verdict_t = Verdict.__table__  # type: ignore[attr-defined]
label_t = RatingLabel.__table__  # type: ignore[attr-defined]
scale_t = RatingScale.__table__  # type: ignore[attr-defined]
supersedes_t = VerdictSupersedes.__table__  # type: ignore[attr-defined]


def our_labels() -> Select[Any]:
    """The rating labels of the desk's own scales (no outside publisher): a verdict on one
    of them is ours."""
    return (
        sa_select(label_t.c.id)
        .join(scale_t, scale_t.c.id == label_t.c.scale_id)
        .where(scale_t.c.publisher.is_(None))
    )


def is_current(verdict: Any = verdict_t) -> ColumnElement[bool]:
    """True for a verdict (a verdict table or alias) that is one of a claim's current ones."""
    superseded = sa_select(supersedes_t.c.superseded_id).where(
        supersedes_t.c.superseded_id == verdict.c.id
    )
    return and_(verdict.c.label_id.in_(our_labels()), ~superseded.exists())


def _newest_current(claim_id: ColumnElement[Any], pick: Any) -> ScalarSelect[Any]:
    # Correlated on (claim_id, created_at): cheap per row, unlike a window function.
    v, cl = verdict_t.alias("cv"), label_t.alias("cl")
    return (
        sa_select(pick(v, cl))
        .select_from(v.join(cl, cl.c.id == v.c.label_id))
        .where(v.c.claim_id == claim_id, is_current(v))
        .order_by(v.c.created_at.desc(), v.c.id.desc())
        .limit(1)
        .correlate_except(v, cl)  # the claim comes from the enclosing query, never from here
        .scalar_subquery()
    )


def current_verdict_id(claim_id: ColumnElement[Any]) -> ScalarSelect[Any]:
    """The id of the claim's current verdict (the newest if they conflict), or NULL."""
    return _newest_current(claim_id, lambda verdict, label: verdict.c.id)


def current_rating(claim_id: ColumnElement[Any]) -> ScalarSelect[Any]:
    """The rating slug of the claim's current verdict, or NULL."""
    return _newest_current(claim_id, lambda verdict, label: label.c.slug)


def current_count(claim_id: ColumnElement[Any]) -> ScalarSelect[Any]:
    """How many current verdicts the claim has: more than one is a conflict."""
    v = verdict_t.alias("cn")
    return (
        sa_select(func.count())
        .select_from(v)
        .where(v.c.claim_id == claim_id, is_current(v))
        .correlate_except(v)
        .scalar_subquery()
    )


def outside_review(claim_id: ColumnElement[Any], what: str) -> ScalarSelect[Any]:
    """The claim's newest rating by another fact-checker (imported ClaimReview): its
    "publisher", its "label", or "both" as "PolitiFact: Pants on Fire"; never our verdict."""
    v, ol, os_ = verdict_t.alias("ov"), label_t.alias("ol"), scale_t.alias("os")
    column = {
        "publisher": os_.c.publisher,
        "label": ol.c.label,
        "both": os_.c.publisher + ": " + ol.c.label,
    }[what]
    return (
        sa_select(column)
        .select_from(v.join(ol, ol.c.id == v.c.label_id).join(os_, os_.c.id == ol.c.scale_id))
        .where(v.c.claim_id == claim_id, os_.c.publisher.is_not(None))
        .order_by(v.c.created_at.desc(), v.c.id.desc())
        .limit(1)
        .correlate_except(v, ol, os_)
        .scalar_subquery()
    )


def sql_text(expression: Any, dialect: Any) -> str:
    """An expression above as SQL text, for the few statements written as text (FTS5)."""
    compiled = expression.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return str(compiled)


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


def current_verdicts(session: Session, claim_id: int) -> list[Verdict]:
    """Our verdicts nothing supersedes, newest first: one normally, several in a conflict."""
    query = (
        select(Verdict)
        .where(Verdict.claim_id == claim_id, is_current())
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
