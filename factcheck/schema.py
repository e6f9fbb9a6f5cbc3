"""The desk's tables as data, read off the SQLModel models (SQLModel.metadata).

Merge, the JSON export and its validation, and the UUID mapping of foreign keys all ask this
module which tables and columns there are, which are required, of what kind, which point at
which table, and which are mutable; none keeps a list of its own. A column added to a model
(and its migration) reaches every one of them.

A *snapshot* is a desk written out with foreign keys as UUIDs: `claim.source_id` becomes
`source_uuid`. Integer ids are local to a file; UUIDs are what copies share.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa

from factcheck.models import MUTABLE_FIELDS, metadata


@dataclass(frozen=True)
class ColumnSpec:
    name: str  # the column in the table
    key: str  # its key in a snapshot row (a foreign key's is "<name>_uuid")
    references: str | None  # the table a foreign key points into
    nullable: bool
    kind: str  # int, bool, float, text, datetime, bytes (base64 in a JSON snapshot)
    mutable: bool  # edited through the change log; other columns never change


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    identity: tuple[str, ...]  # snapshot keys that identify a row in every copy

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def immutable(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if not c.mutable and c.key not in self.identity)

    @property
    def foreign(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.references)

    def column(self, key: str) -> ColumnSpec:
        return next(c for c in self.columns if c.key == key)


def _kind(column: sa.Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):  # SQLModel's UTCDateTime wraps DateTime
        kind = kind.impl_instance
    if isinstance(kind, sa.Boolean):
        return "bool"
    if isinstance(kind, sa.Integer):
        return "int"
    if isinstance(kind, sa.Float):
        return "float"
    if isinstance(kind, sa.DateTime):
        return "datetime"
    if isinstance(kind, sa.LargeBinary):
        return "bytes"
    return "text"


def _uuid_key(name: str) -> str:
    return (name[:-3] if name.endswith("_id") else name) + "_uuid"


def _table_spec(table: sa.Table) -> TableSpec:
    mutable = set(MUTABLE_FIELDS.get(table.name, ()))
    columns: list[ColumnSpec] = []
    for column in table.columns:
        foreign = next(iter(column.foreign_keys), None)
        if column.name == "id" and foreign is None:
            continue  # a file's own row number: never shared
        references = foreign.column.table.name if foreign is not None else None
        columns.append(
            ColumnSpec(
                name=column.name,
                key=_uuid_key(column.name) if references else column.name,
                references=references,
                nullable=bool(column.nullable),
                kind="text" if references else _kind(column),
                # updated_at/by follow the newest change, like the mutable fields themselves
                mutable=column.name in mutable or column.name in ("updated_at", "updated_by"),
            )
        )
    names = {c.name for c in columns}
    if "key" in names and table.primary_key.columns.keys() == ["key"]:
        identity: tuple[str, ...] = ("key",)
    elif "uuid" in names:
        identity = ("uuid",)
    else:  # a link table: both ends together
        identity = tuple(c.key for c in columns if c.references)
    return TableSpec(table.name, tuple(columns), identity)


@cache
def tables() -> tuple[TableSpec, ...]:
    """Every table, parents before children (the order rows can be inserted in)."""
    return tuple(_table_spec(t) for t in metadata.sorted_tables)


def table(name: str) -> TableSpec:
    return next(t for t in tables() if t.name == name)


def snapshot_order(spec: TableSpec, alias: str = "t") -> str:
    """The stable order of a table's snapshot rows: creation time, then identity."""
    names = {c.name for c in spec.columns}
    order = [f"{alias}.created_at"] if "created_at" in names else []
    order += [f"{alias}.{k}" if k in names else k for k in spec.identity]
    return ", ".join(order)


@cache
def snapshot_select(name: str, database: str = "main") -> str:
    """SELECT of one table's snapshot rows in `database` (main or an attached file), foreign
    keys as UUIDs, unordered."""
    spec = table(name)
    parts, joins = [], []
    for position, column in enumerate(spec.columns):
        if column.references:
            alias = f"j{position}"
            parts.append(f"{alias}.uuid AS {column.key}")
            joins.append(
                f"LEFT JOIN {database}.{column.references} {alias} ON {alias}.id = t.{column.name}"
            )
        else:
            parts.append(f"t.{column.name}")
    # safe: every name comes from the models' metadata (or merge's own alias), no value
    return f"SELECT {', '.join(parts)} FROM {database}.{name} t {' '.join(joins)}"


@cache
def snapshot_sql(name: str) -> str:
    """SELECT of one table's snapshot rows: foreign keys as UUIDs, in a stable order."""
    spec = table(name)
    return f"{snapshot_select(name)} ORDER BY {snapshot_order(spec)}"  # safe: model names
