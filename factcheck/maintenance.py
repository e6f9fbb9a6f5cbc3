"""Looking after the file: info, integrity check, backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factcheck import sqlite
from factcheck.db import HEAD_REVISION, Database
from factcheck.errors import DatabaseFileError, InvalidInput

COUNTED_TABLES = ("claim", "source", "evidence", "verdict", "rating_scale")


def database_info(db: Database) -> dict[str, Any]:
    with db.engine.connect() as conn:
        info: dict[str, Any] = {"path": str(db.path), "size_bytes": db.path.stat().st_size}
        info["schema_revision"] = conn.exec_driver_sql(
            "SELECT version_num FROM alembic_version"
        ).scalar()
        info["code_schema_revision"] = HEAD_REVISION
        info.update(sqlite.header_values(conn))
        for table in COUNTED_TABLES:
            count = conn.exec_driver_sql(f"SELECT count(*) FROM {table}")  # safe: fixed names
            info[f"{table}_rows"] = count.scalar()
    return info


def check_database(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return sqlite.integrity_problems(conn) + sqlite.foreign_key_problems(conn)


def backup_database(db: Database, target: Path, *, force: bool = False) -> None:
    target = Path(target).expanduser()
    if target.resolve() == db.path.resolve():
        raise InvalidInput(f"{target} is the database itself: choose another file name")
    if target.exists() and not force:
        raise InvalidInput(f"{target} exists already: choose another name, or add --force")
    if not target.parent.is_dir():
        raise DatabaseFileError(f"the folder {target.parent} does not exist: create it first")
    sqlite.backup_file(db.path, target)
