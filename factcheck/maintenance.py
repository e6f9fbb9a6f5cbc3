"""Looking after the file: info, integrity check, backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factcheck import postgres, sqlite
from factcheck.db import HEAD_REVISION, Database
from factcheck.errors import InvalidInput

COUNTED_TABLES = ("claim", "source", "evidence", "verdict", "rating_scale")


def database_info(db: Database) -> dict[str, Any]:
    with db.engine.connect() as conn:
        info: dict[str, Any] = {"backend": db.backend}
        if db.path is None:
            info["url"] = db.location  # without its password
            info.update(postgres.server_values(conn))
        else:
            info.update({"path": str(db.path), "size_bytes": db.path.stat().st_size})
        info["schema_revision"] = conn.exec_driver_sql(
            "SELECT version_num FROM alembic_version"
        ).scalar()
        info["code_schema_revision"] = HEAD_REVISION
        if db.path is not None:
            info.update(sqlite.header_values(conn))
        for table in COUNTED_TABLES:
            count = conn.exec_driver_sql(f"SELECT count(*) FROM {table}")  # safe: fixed names
            info[f"{table}_rows"] = count.scalar()
    return info


def check_file(path: Path) -> list[str]:
    """Everything `db check` reports, reading only (an older schema is checked as it is):
    schema objects that differ from what the file's revision holds (a planted trigger or view,
    a removed guard trigger), then integrity and broken references."""
    from factcheck.db import inspect_file, missing_file_error

    path = Path(path).expanduser()
    if not path.exists():
        raise missing_file_error(path)
    _revision, findings = inspect_file(path)
    problems = [f"it contains {f.message}" if f.refuse else f"it has {f.message}" for f in findings]
    return problems + sqlite.file_problems(path)


def check_server(db: Database) -> list[str]:
    """Everything `db check` reports on a server (it opened at the current schema)."""
    with db.engine.connect() as conn:
        return postgres.schema_problems(conn)


def backup_database(db: Database, target: Path, *, force: bool = False) -> None:
    """A consistent copy of the desk in a desk file at target: a file's copy, or a server's
    field copy (see field_copy)."""
    from factcheck.outputs import check_output_path

    target = Path(target).expanduser()
    real = check_output_path(target, db.path, stream_ok=False)
    assert real is not None  # stream_ok=False: special files are refused
    if real.exists() and not force:
        raise InvalidInput(f"{target} exists already: choose another name, or add --force")
    if sqlite.has_journal(real) or sqlite.has_wal(real):
        raise InvalidInput(
            f"{target} has a -wal or -journal file beside it (it may be open in factcheck): "
            "close what uses it, or choose another name"
        )
    if db.path is None:
        field_copy(db, real)
    else:
        sqlite.backup_file(db.path, real)


def field_copy(db: Database, target: Path) -> None:
    """Write a server's rows to a new desk file at target, whole or not at all.

    Nothing here knows a column: the rows leave the server as `export json` writes them (one
    consistent snapshot), come back through merge's checks, and are merged by UUID into a new
    file, which is renamed into place only when complete."""
    import os
    import tempfile

    from factcheck.db import open_database
    from factcheck.exports import write_desk_json
    from factcheck.merge import merge_snapshot, read_desk_export

    work = tempfile.TemporaryDirectory(prefix=f".{target.name}.partial-", dir=target.parent)
    try:
        snapshot = Path(work.name) / "desk.json"
        with db.session(dry_run=True) as session, snapshot.open("w", encoding="utf-8") as out:
            write_desk_json(session, out)
        with snapshot.open("rb") as stream:
            other = read_desk_export(stream, db.location)
        snapshot.unlink()
        copy = Path(work.name) / "copy.db"
        desk = open_database(copy, write=True, user=db.user)
        try:
            with desk.session() as session:
                merge_snapshot(session, other, db.location)
        finally:
            desk.close()
        os.replace(copy, target)
    finally:
        work.cleanup()
