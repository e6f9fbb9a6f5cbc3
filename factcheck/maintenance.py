"""Looking after the file: info, integrity check, backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factcheck import postgres, sqlite
from factcheck.db import HEAD_REVISION, Database
from factcheck.errors import FactcheckError, InvalidInput

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


def backup_database(db: Database, target: Path, *, force: bool = False) -> None:
    from factcheck.outputs import check_output_path

    if db.path is None:
        raise FactcheckError(
            "`db backup` copies a desk file; it does not copy a PostgreSQL server yet: "
            "use pg_dump for now"
        )
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
    sqlite.backup_file(db.path, real)
