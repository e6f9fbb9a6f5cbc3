"""Where output may go: never onto the database or a file SQLite uses for it, whole or not at
all into a regular file, streamed into anything else (a FIFO, a terminal, /dev/stdout)."""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from factcheck.errors import InvalidInput

_ROLES = {
    "": "the database itself",
    "-wal": "the database's write-ahead log (committed work not yet in the file)",
    "-shm": "the database's shared-memory index",
    "-journal": "the database's rollback journal",
}
_SUPER_JOURNAL = re.compile(r"-mj[0-9A-Fa-f]{8,}$")


def database_files(database: Path) -> list[tuple[Path, str]]:
    """Every path SQLite may use for the database, under the name given and the name that
    symlinks lead to (SQLite keeps its -wal and -journal beside the real file)."""
    names = {Path(os.path.abspath(database)), Path(os.path.realpath(database))}
    return [(Path(f"{name}{suffix}"), role) for name in names for suffix, role in _ROLES.items()]


def _protected_role(target: Path, database: Path | None) -> str | None:
    """What target is to the database, if SQLite may use it: by name and by device+inode."""
    if database is None:  # a server: no local file to protect
        return None
    real = Path(os.path.realpath(target))
    names = {Path(os.path.abspath(target)), real}
    try:
        target_id: tuple[int, int] | None = _file_id(os.stat(target))
    except OSError:
        target_id = None
    for path, role in database_files(database):
        if path in names:
            return role
        if target_id is not None:
            try:
                if _file_id(os.stat(path)) == target_id:  # a hard link or another route to it
                    return role
            except OSError:
                pass
    for name in names:
        for base, _role in database_files(database):
            if str(name).startswith(str(base)) and _SUPER_JOURNAL.fullmatch(
                str(name)[len(str(base)) :]
            ):
                return "a journal SQLite uses for the database"
    return None


def _file_id(info: os.stat_result) -> tuple[int, int]:
    return (info.st_dev, info.st_ino)


def check_output_path(
    target: Path, database: Path | None, *, stream_ok: bool = True
) -> Path | None:
    """Refuse an output path that would destroy the database or a file SQLite keeps for it.

    Returns the regular file to replace (symlinks followed, so a link stays a link), or None
    when target is a FIFO, terminal, device or /dev/stdout to stream into (only if stream_ok).
    """
    role = _protected_role(target, database)
    if role is not None:
        raise InvalidInput(
            f"{target} is {role}: writing there would lose committed work; write to another file"
        )
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InvalidInput(f"cannot write {target}: {exc.strerror}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"{target} is a folder: give a file name")
    special = info is not None and not stat.S_ISREG(info.st_mode)
    if special or (info is not None and _through_dev_or_proc(target)):
        if not stream_ok or (info is not None and stat.S_ISSOCK(info.st_mode)):
            raise InvalidInput(
                f"{target} is not a regular file (a device, FIFO or socket): give a file name"
            )
        return None
    real = Path(os.path.realpath(target))
    if not real.parent.is_dir():
        raise InvalidInput(f"the folder {target.parent} does not exist: create it first")
    return real


def _through_dev_or_proc(target: Path) -> bool:
    """Does target, or a symlink on the way, name something under /dev or /proc? Those name
    an open stream (/dev/stdout, /proc/self/fd/1), even when it is a regular file behind a
    shell's `>>`: it is appended to, never replaced."""
    path = os.path.abspath(target)
    for _hop in range(40):
        if path.startswith(("/dev/", "/proc/")):
            return True
        if not os.path.islink(path):
            return False
        path = os.path.join(os.path.dirname(path), os.readlink(path))
    return False


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


@contextmanager
def streamed_output(target: Path) -> Iterator[IO[str]]:
    """Write into an existing special file as it is: never created, truncated or replaced."""
    fd = os.open(target, os.O_WRONLY | os.O_NOCTTY | os.O_APPEND)
    with open(fd, "w", encoding="utf-8", newline="") as handle:
        yield handle


def write_output(
    target: Path | None, database: Path | None, write: Callable[[IO[str]], Any]
) -> Any:
    """Run write() on stdout (target None), into a special file, or on a file written whole."""
    if target is None:
        return write(sys.stdout)
    real = check_output_path(target, database)
    with streamed_output(target) if real is None else atomic_output(real) as handle:
        return write(handle)
