"""Writing exports: whole-desk JSON, and the atomic file writing every export shares."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from sqlmodel import Session

from factcheck import __version__
from factcheck.errors import InvalidInput
from factcheck.merge import SNAPSHOT_FORMAT, SNAPSHOT_VERSION, snapshot_of_session


def desk_json(session: Session) -> dict[str, Any]:
    """Every table, UUID-linked, in a stable order: what `merge desk.json` reads back."""
    from factcheck.db import HEAD_REVISION

    data: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "schema_revision": HEAD_REVISION,
        "factcheck_version": __version__,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    data.update(snapshot_of_session(session))
    return data


def check_output_path(target: Path, database: Path) -> None:
    if target.exists() and target.resolve() == database.resolve():
        raise InvalidInput(f"{target} is the database itself: write the export somewhere else")
    if not target.parent.is_dir():
        raise InvalidInput(f"the folder {target.parent} does not exist: create it first")
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder: give a file name")


@contextmanager
def atomic_output(target: Path) -> Iterator[IO[str]]:
    """Write to a temporary file beside target and rename it into place only when complete,
    so a failed or interrupted export leaves no partial file behind."""
    tmp = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_output(target: Path | None, database: Path, write: Callable[[IO[str]], Any]) -> Any:
    """Run write() on stdout (target None) or on an atomically written file."""
    import sys

    if target is None:
        return write(sys.stdout)
    check_output_path(target, database)
    with atomic_output(target) as handle:
        return write(handle)
