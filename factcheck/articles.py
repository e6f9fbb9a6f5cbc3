"""Importing an article: store its text as a source and its claims, whole or not at all."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session

from factcheck.claims import add_claim
from factcheck.sources import add_source, find_source_by_hash, find_source_by_url
from factcheck.validate import parse_url

if TYPE_CHECKING:
    from factcheck.extract import Extraction

MAX_CLAIM_CHARS = 5_000  # longer "sentences" are unsplittable runs of text, not claims


def content_hash(text: str) -> str:
    normal = " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass
class ImportResult:
    source_id: int
    title: str | None
    sentences: int
    claims: int
    duplicate: bool


def import_article(
    session: Session,
    text: str,
    extraction: Extraction,
    *,
    user: str,
    url: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
    published_on: str | None = None,
    title: str | None = None,
    take_all: bool = False,
    min_score: float | None = None,
    score_model: str | None = None,
) -> ImportResult:
    """Store the article as a source and its chosen sentences as claims, in the caller's
    transaction. Policy: check-worthy sentences by default; --min-score or --all widen it."""
    clean_url = parse_url(url) if url else None
    digest = content_hash(text)
    existing = find_source_by_hash(session, digest)
    if existing is None and clean_url:
        existing = find_source_by_url(session, clean_url)
    if existing is not None:
        assert existing.id is not None
        return ImportResult(existing.id, existing.title, len(extraction.sentences), 0, True)
    source = add_source(
        session,
        user=user,
        url=clean_url,
        title=title or extraction.title,
        publisher=publisher,
        author=author,
        published_on=published_on,
        kind="article",
        full_text=text,
        content_hash=digest,
    )
    assert source.id is not None
    added = 0
    for sentence in extraction.sentences:
        if take_all:
            keep = True
        elif min_score is not None:
            keep = sentence.score >= min_score
        else:
            keep = sentence.checkworthy
        if not keep or len(sentence.text) > MAX_CLAIM_CHARS:
            continue
        add_claim(
            session,
            sentence.text,
            user=user,
            speaker=sentence.speaker,
            source_id=source.id,
            char_start=sentence.start,
            char_end=sentence.end,
            score=round(sentence.score, 4),
            score_model=score_model,
            speaker_kind=sentence.kind,
            speaker_type=sentence.speaker_type,
            cites=sentence.cites,
            claim_date=published_on,
        )
        added += 1
    return ImportResult(source.id, source.title, len(extraction.sentences), added, False)
