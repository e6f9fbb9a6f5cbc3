"""Edits to mutable fields, kept as an append-only change log so that copies merge by union.

A row's current value of a field is the newest change to it (by time, then change UUID, so
every copy of the file agrees); the values that lost stay in the log.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from factcheck.errors import InvalidInput
from factcheck.models import MUTABLE_FIELDS, Change, Claim, Setting, Source, Speaker, utcnow

ENTITY_MODELS: dict[str, Any] = {
    "claim": Claim,
    "source": Source,
    "setting": Setting,
    "speaker": Speaker,
}


def entity_name(row: Any) -> str:
    for name, model in ENTITY_MODELS.items():
        if isinstance(row, model):
            return name
    raise TypeError(f"{type(row).__name__} has no change history")


def encode(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def decode(field: str, raw: str | None) -> Any:
    if raw is None:
        return None
    value = json.loads(raw)
    return value


def edit_fields(session: Session, row: Any, values: dict[str, Any], *, user: str) -> list[Change]:
    """Set fields on a claim, source, setting or speaker, logging one Change per field that differs."""
    entity = entity_name(row)
    allowed = MUTABLE_FIELDS[entity]
    changes = []
    now = utcnow()
    for field, new in values.items():
        if field not in allowed:
            raise InvalidInput(
                f"{entity} {field} cannot be edited: editable are {', '.join(allowed)}"
            )
        old = getattr(row, field)
        if encode(old) == encode(new):
            continue
        change = Change(
            entity=entity,
            entity_uuid=row.uuid,
            field=field,
            old_value=encode(old),
            new_value=encode(new),
            created_at=now,
            created_by=user,
        )
        session.add(change)
        setattr(row, field, new)
        changes.append(change)
    if changes:
        session.add(row)
        session.flush()
    return changes


def field_history(session: Session, entity_uuid: str) -> list[dict[str, Any]]:
    query = (
        select(Change)
        .where(Change.entity_uuid == entity_uuid)
        .order_by(col(Change.created_at).desc(), col(Change.uuid).desc())
    )
    return [
        {
            "field": c.field,
            "old": decode(c.field, c.old_value),
            "new": decode(c.field, c.new_value),
            "created_at": c.created_at.isoformat(),
            "created_by": c.created_by,
            "uuid": c.uuid,
        }
        for c in session.exec(query)
    ]
