"""Publishing our fact checks: what went out, where and when, and what ClaimReview export takes.

A claim is published with the verdict it had then (a Publication row, append-only). A later
verdict makes it *need an update*: the export keeps stating what was published until the
claim is published again. A claim whose current verdicts conflict cannot be published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlmodel import Session, col, select

from factcheck.errors import InvalidInput, NotFound
from factcheck.history import edit_fields
from factcheck.models import Claim, ClaimStatus, Publication, RatingLabel, RatingScale, Verdict
from factcheck.validate import parse_url
from factcheck.verdicts import conflict_message, current_verdicts


def latest_publication(session: Session, claim_id: int) -> Publication | None:
    query = (
        select(Publication)
        .where(Publication.claim_id == claim_id)
        .order_by(col(Publication.created_at).desc(), col(Publication.id).desc())
    )
    return session.exec(query).first()


def publish_claim(
    session: Session,
    claim_id: int,
    *,
    user: str,
    url: str | None = None,
    published_on: str | None = None,
    keep_current: bool = False,
) -> Publication:
    """Record that our fact check of the claim went out (at url, on published_on: default
    today, UTC) stating its current verdict, and mark the claim published. Refused when the
    claim has no verdict of ours or its verdicts conflict. Without a url, an update keeps the
    address it was published at before; with keep_current, a claim already published with
    its current verdict is left as it is (`claim status ID published` run twice)."""
    clean_url = parse_url(url, "published URL") if url else None
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"no claim with id {claim_id}: list them with `factcheck review`")
    heads = current_verdicts(session, claim_id)
    if not heads:
        raise InvalidInput(
            f"claim {claim_id} has no verdict of this desk's own, so it cannot be published "
            "(another fact-checker's rating is context, not ours): record one with "
            f"`factcheck verdict add {claim_id} RATING`"
        )
    if len(heads) > 1:
        raise InvalidInput(conflict_message(session, claim_id, heads, "published"))
    assert heads[0].id is not None
    previous = latest_publication(session, claim_id)
    if (
        keep_current
        and previous is not None
        and claim.status == ClaimStatus.published
        and previous.verdict_id == heads[0].id
        and clean_url is None
        and published_on is None
    ):
        return previous
    publication = Publication(
        claim_id=claim_id,
        verdict_id=heads[0].id,
        url=clean_url or (previous.url if previous is not None else None),
        published_on=published_on or datetime.now(timezone.utc).date().isoformat(),
        created_by=user,
    )
    session.add(publication)
    if claim.status != ClaimStatus.published:
        edit_fields(session, claim, {"status": ClaimStatus.published.value}, user=user)
    session.flush()
    return publication


def publication_state(session: Session, claim_id: int) -> dict[str, Any] | None:
    """Where and when the claim was last published, and whether a newer verdict means the
    published fact check needs an update; None if it was never published."""
    publication = latest_publication(session, claim_id)
    if publication is None:
        return None
    heads = current_verdicts(session, claim_id)
    return {
        "url": publication.url,
        "published_on": publication.published_on,
        "verdict_id": publication.verdict_id,
        "published_by": publication.created_by,
        "needs_update": [v.id for v in heads] != [publication.verdict_id],
    }


@dataclass
class ClaimReviewSelection:
    """What `export claimreview` takes: the items, and each claim it left out with why."""

    items: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def _verdict_item(session: Session, verdict: Verdict) -> dict[str, Any]:
    label = session.get(RatingLabel, verdict.label_id)
    assert label is not None
    scale = session.get(RatingScale, label.scale_id)
    assert scale is not None
    return {
        "verdict": label.slug,
        "rating_label": label.label,
        "rating_value": label.value,
        "verdict_scale": scale.name,
        "best": scale.best,
        "worst": scale.worst,
        "rationale": verdict.rationale,
        "reviewer": verdict.reviewer,
        "reviewed_at": verdict.created_at.isoformat(),
    }


def select_for_claimreview(
    session: Session,
    rows: list[dict[str, Any]],
    *,
    include_unpublished: bool = False,
) -> ClaimReviewSelection:
    """From claim rows (exports.claim_rows), the ClaimReviews this desk may publish: our own
    verdicts only, published claims only unless include_unpublished, never a conflict; a
    published claim states the verdict it was published with."""
    chosen = ClaimReviewSelection()
    for row in rows:
        claim_id = int(row["id"])
        published = row["status"] == ClaimStatus.published.value
        if not published and not include_unpublished:
            chosen.skipped.append(
                (
                    claim_id,
                    f"not published (status {row['status']}); publish it with "
                    f"`factcheck claim publish {claim_id} --url URL`, or add --unpublished",
                )
            )
            continue
        heads = current_verdicts(session, claim_id)
        if not heads:
            chosen.skipped.append(
                (
                    claim_id,
                    "no verdict of this desk's own (other publishers' ratings are "
                    f"never exported as ours): `factcheck verdict add {claim_id} RATING`",
                )
            )
            continue
        if len(heads) > 1:
            chosen.skipped.append(
                (claim_id, conflict_message(session, claim_id, heads, "exported"))
            )
            continue
        item = dict(row)
        publication = latest_publication(session, claim_id) if published else None
        stated = heads[0]
        if publication is not None and publication.verdict_id != heads[0].id:
            published_verdict = session.get(Verdict, publication.verdict_id)
            assert published_verdict is not None
            stated = published_verdict
            chosen.warnings.append(
                (
                    claim_id,
                    "has a newer verdict than the one published, so the published one "
                    "is exported; update the article, then `factcheck claim publish "
                    f"{claim_id} --url URL`",
                )
            )
        item.update(_verdict_item(session, stated))
        item["review_url"] = publication.url if publication else None
        item["review_date"] = publication.published_on if publication else None
        item["claim_id"] = claim_id
        chosen.items.append(item)
    return chosen
