"""Sources: articles, reports and statements that claims come from or evidence points to."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from factcheck.errors import InvalidInput, NotFound
from factcheck.fields import check_field
from factcheck.history import edit_fields
from factcheck.models import Source, SourceKind
from factcheck.validate import parse_url

SOURCE_KINDS = tuple(k.value for k in SourceKind)


def add_source(
    session: Session,
    *,
    user: str,
    url: str | None = None,
    title: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
    published_on: str | None = None,
    kind: str = "other",
    full_text: str | None = None,
    content_hash: str | None = None,
) -> Source:
    source = Source(
        url=parse_url(url) if url else None,
        title=check_field("source", "title", title),
        publisher=check_field("source", "publisher", publisher),
        author=check_field("source", "author", author),
        published_on=published_on,
        kind=check_field("source", "kind", kind),
        full_text=full_text,
        content_hash=content_hash,
        created_by=user,
    )
    session.add(source)
    session.flush()
    return source


def edit_source(session: Session, source_id: int, values: dict[str, Any], *, user: str) -> Source:
    """Change a source's metadata; every change is kept in its history."""
    source = get_source(session, source_id)
    clean: dict[str, Any] = {}
    for field, value in values.items():
        clean[field] = check_field("source", field, value)
    if not clean:
        raise InvalidInput(
            "nothing to change: give --url, --title, --publisher, --author, --date or --kind"
        )
    edit_fields(session, source, clean, user=user)
    return source


def get_source(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"no source with id {source_id}: list them with `factcheck source list`")
    return source


def find_source_by_url(session: Session, url: str) -> Source | None:
    return session.exec(select(Source).where(Source.url == url).order_by(col(Source.id))).first()


def find_source_by_hash(session: Session, content_hash: str) -> Source | None:
    return session.exec(select(Source).where(Source.content_hash == content_hash)).first()


def source_summary(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "uuid": source.uuid,
        "kind": source.kind,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "author": source.author,
        "published_on": source.published_on,
        "created_at": source.created_at.isoformat() if source.created_at else None,
        "created_by": source.created_by,
    }


def list_sources(session: Session, *, limit: int | None = None) -> list[dict[str, Any]]:
    query = select(Source).order_by(col(Source.id))
    if limit:
        query = query.limit(limit)
    return [source_summary(s) for s in session.exec(query)]
