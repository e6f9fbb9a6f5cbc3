"""Speakers: the people and organisations claims are attributed to, with their other names.

A claim keeps `speaker` as the page wrote it; it belongs to the speaker one of whose names is
that name by fields.speaker_key (case, accents and spacing aside). Rows are one speaker when
they are joined by a merge (`merged_into`, an edit in the change log, so it merges and can be
undone) or by a name: two rows named "Tom Bossert" made on two desks, or a row named "Bossert"
and an alias "Bossert" of "Tom Bossert", are the same speaker, because the same name on a claim
could not tell them apart anyway. Every copy computes the same groups from the same rows, so
merging desks in any order gives the same speakers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from factcheck.errors import InvalidInput, NotFound
from factcheck.fields import check_field, speaker_key
from factcheck.history import edit_fields, field_history
from factcheck.models import Claim, Speaker, SpeakerAlias
from factcheck.verdicts import current_rating

_KNOWN_KEYS = "speaker_keys"  # session.info: the name keys this transaction knows of


@dataclass
class SpeakerGroup:
    """One speaker as people see it: rows joined by merges and by shared names."""

    row: Speaker  # the row that stands for the group (not merged into another; the oldest)
    rows: list[Speaker]
    names: list[str]  # every name, the standing row's first; one spelling per key
    keys: set[str] = field(default_factory=set)

    @property
    def speaker_type(self) -> str | None:
        if self.row.speaker_type:
            return self.row.speaker_type
        return next((r.speaker_type for r in self.rows if r.speaker_type), None)


def _order(row: Speaker) -> tuple[Any, str]:
    return (row.created_at, row.uuid)


def speaker_groups(session: Session) -> list[SpeakerGroup]:
    """Every speaker of the desk, oldest first."""
    rows = list(session.exec(select(Speaker)))
    by_id = {r.id: r for r in rows}
    by_uuid = {r.uuid: r for r in rows}
    aliases = list(session.exec(select(SpeakerAlias)))
    parent = {r.uuid: r.uuid for r in rows}

    def find(uuid: str) -> str:
        while parent[uuid] != uuid:
            parent[uuid] = parent[parent[uuid]]
            uuid = parent[uuid]
        return uuid

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    named: dict[str, str] = {}  # key -> a row with that name
    spellings: list[tuple[str, Any, str, str]] = []  # (row uuid, when, uuid, name)
    for row in rows:
        if row.merged_into in by_uuid:
            union(row.uuid, row.merged_into)
        spellings.append((row.uuid, row.created_at, row.uuid, row.name))
    for alias in aliases:
        owner = by_id.get(alias.speaker_id)
        if owner is not None:
            spellings.append((owner.uuid, alias.created_at, alias.uuid, alias.alias))
    for owner_uuid, _when, _uuid, name in spellings:
        key = speaker_key(name)
        if key in named:
            union(owner_uuid, named[key])
        else:
            named[key] = owner_uuid
    members: dict[str, list[Speaker]] = {}
    for row in rows:
        members.setdefault(find(row.uuid), []).append(row)
    spelled: dict[str, list[tuple[Any, str, str]]] = {}
    for owner_uuid, when, uuid, name in spellings:
        spelled.setdefault(find(owner_uuid), []).append((when, uuid, name))
    groups = []
    for root, group_rows in members.items():
        group_rows.sort(key=_order)
        standing = [r for r in group_rows if r.merged_into not in by_uuid]
        head = (standing or group_rows)[0]
        names, keys = [head.name], {speaker_key(head.name)}
        for _when, _uuid, name in sorted(spelled[root]):
            if speaker_key(name) not in keys:
                keys.add(speaker_key(name))
                names.append(name)
        groups.append(SpeakerGroup(head, group_rows, names, keys))
    groups.sort(key=lambda g: _order(g.row))
    return groups


def find_speaker(session: Session, given: str, *, user: str | None = None) -> SpeakerGroup:
    """The speaker a person means: a speaker id (as `speaker list` shows), or any of its names.
    With `user`, a name only claims carry (merged in from an older desk's export) gets its
    speaker row now."""
    groups = speaker_groups(session)
    text = given.strip()
    if text.isdigit():
        for group in groups:
            if any(r.id == int(text) for r in group.rows):
                return group
    key = speaker_key(text)
    for group in groups:
        if key and key in group.keys:
            return group
    if user is not None and key:
        written = session.connection().exec_driver_sql(
            "SELECT speaker, speaker_type FROM claim WHERE speaker IS NOT NULL "
            "ORDER BY created_at, id"
        )
        for name, kind in written:
            if speaker_key(name) == key:
                ensure_speaker(session, name, kind, user=user)
                return find_speaker(session, name)
    raise NotFound(
        f"no speaker named or numbered {given!r}: list them with `factcheck speaker list`"
    )


def _known_keys(session: Session) -> set[str]:
    known: set[str] | None = session.info.get(_KNOWN_KEYS)
    if known is None:
        names = session.connection().exec_driver_sql(
            "SELECT name FROM speaker UNION SELECT alias FROM speaker_alias"
        )
        known = {speaker_key(name) for (name,) in names}
        session.info[_KNOWN_KEYS] = known
    return known


def ensure_speaker(
    session: Session, name: str | None, speaker_type: str | None, *, user: str
) -> Speaker | None:
    """Give a claim's speaker name a speaker row unless a speaker has that name already (an
    import links to the existing speaker): None when nothing was added."""
    if name is None or not name.strip():
        return None
    known = _known_keys(session)
    key = speaker_key(name)
    if key in known:
        return None
    row = Speaker(
        name=check_field("speaker", "name", name),
        speaker_type=check_field("speaker", "speaker_type", speaker_type),
        created_by=user,
    )
    session.add(row)
    session.flush()
    known.add(key)
    return row


def add_alias(session: Session, given: str, alias: str, *, user: str) -> SpeakerAlias:
    """Another name for a speaker; a speaker already going by that name becomes one with it."""
    group = find_speaker(session, given, user=user)
    clean = check_field("speaker_alias", "alias", alias)
    if speaker_key(clean) in group.keys:
        raise InvalidInput(f"{group.row.name!r} already goes by {clean!r}: nothing to add")
    row = SpeakerAlias(speaker_id=group.row.id, alias=clean, created_by=user)
    session.add(row)
    session.flush()
    _known_keys(session).add(speaker_key(clean))
    return row


def merge_speakers(session: Session, keep: str, other: str, *, user: str) -> SpeakerGroup:
    """Make one speaker of two: `other` is merged into `keep`, which it is known by from now
    on. One edit in the change log, so a colleague's desk merges it and `unmerge` undoes it."""
    kept = find_speaker(session, keep, user=user)
    gone = find_speaker(session, other, user=user)
    if kept.row.uuid == gone.row.uuid:
        raise InvalidInput(f"{keep!r} and {other!r} are already one speaker ({kept.row.name!r})")
    edit_fields(session, gone.row, {"merged_into": kept.row.uuid}, user=user)
    return find_speaker(session, kept.row.name)


def unmerge_speaker(session: Session, given: str, *, user: str) -> list[Speaker]:
    """Undo the merges of the speaker rows named `given` (found in the change history)."""
    group = find_speaker(session, given)
    key = speaker_key(given)
    merged = [r for r in group.rows if r.merged_into and speaker_key(r.name) == key]
    if not merged:
        raise InvalidInput(
            f"{given!r} was not merged into another speaker: it is one with "
            f"{group.row.name!r} by name or alias, which a merge cannot undo"
        )
    for row in merged:
        edit_fields(session, row, {"merged_into": None}, user=user)
    return merged


def names_of(session: Session, given: str) -> list[str]:
    """Every claim speaker (as written on claims) that belongs to the speaker `given` names;
    empty when no speaker goes by that name."""
    key = speaker_key(given)
    groups = [g for g in speaker_groups(session) if key in g.keys]
    if not groups:
        return []
    keys = groups[0].keys
    written = session.connection().exec_driver_sql(
        "SELECT DISTINCT speaker FROM claim WHERE speaker IS NOT NULL"
    )
    return sorted(name for (name,) in written if speaker_key(name) in keys)


def speaker_rows(session: Session) -> list[dict[str, Any]]:
    """Each speaker with its names and its record: claims, and our current verdicts by rating
    (as fact-checkers publish a speaker's record). A claim speaker no speaker row names (from
    an older desk's export) is listed on its own, without an id."""
    groups = speaker_groups(session)
    by_key: dict[str, SpeakerGroup] = {k: g for g in groups for k in g.keys}
    records: dict[int, dict[str, Any]] = {}
    loose: dict[str, dict[str, Any]] = {}
    claim_t = Claim.__table__  # type: ignore[attr-defined]
    counts = session.connection().execute(
        sa_select(claim_t.c.speaker, current_rating(claim_t.c.id), func.count())
        .where(claim_t.c.speaker.is_not(None))
        .group_by(text("1"), text("2"))
    )
    for name, rating, number in counts:
        group = by_key.get(speaker_key(name))
        if group is not None:
            record = records.setdefault(id(group), _record())
        else:
            record = loose.setdefault(speaker_key(name), _record(name))
        record["claims"] += number
        if rating is not None:
            record["verdicts"][rating] = record["verdicts"].get(rating, 0) + number
    rows = []
    for group in groups:
        record = records.get(id(group), _record())
        rows.append(
            {
                "id": group.row.id,
                "uuid": group.row.uuid,
                "name": group.row.name,
                "type": group.speaker_type,
                "aliases": group.names[1:],
                "claims": record["claims"],
                "verdicts": _ordered(record["verdicts"]),
            }
        )
    for record in sorted(loose.values(), key=lambda r: r["name"]):
        rows.append(
            {
                "id": None,
                "uuid": None,
                "name": record["name"],
                "type": None,
                "aliases": [],
                "claims": record["claims"],
                "verdicts": _ordered(record["verdicts"]),
            }
        )
    return rows


def _record(name: str | None = None) -> dict[str, Any]:
    return {"name": name, "claims": 0, "verdicts": {}}


def _ordered(verdicts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(verdicts.items(), key=lambda item: (-item[1], item[0])))


def speaker_detail(session: Session, given: str) -> dict[str, Any]:
    """A speaker with its rows, names, record and the history of its merges."""
    group = find_speaker(session, given)
    record = next(r for r in speaker_rows(session) if r["uuid"] == group.row.uuid)
    aliases = session.exec(
        select(SpeakerAlias)
        .where(col(SpeakerAlias.speaker_id).in_([r.id for r in group.rows]))
        .order_by(col(SpeakerAlias.created_at), col(SpeakerAlias.uuid))
    )
    by_uuid = {r.uuid: r for r in session.exec(select(Speaker))}
    history = []
    for row in group.rows:
        for change in field_history(session, row.uuid):
            change["speaker"] = row.name
            target = by_uuid.get(change["new"] or "")
            change["new_name"] = target.name if target else None
            history.append(change)
    history.sort(key=lambda c: (c["created_at"], c["uuid"]), reverse=True)
    return {
        **record,
        "rows": [
            {
                "id": r.id,
                "uuid": r.uuid,
                "name": r.name,
                "speaker_type": r.speaker_type,
                "merged_into": r.merged_into,
                "created_at": r.created_at.isoformat(),
                "created_by": r.created_by,
            }
            for r in group.rows
        ],
        "alias_rows": [
            {
                "uuid": a.uuid,
                "alias": a.alias,
                "created_at": a.created_at.isoformat(),
                "created_by": a.created_by,
            }
            for a in aliases
        ],
        "history": history,
    }
