"""What every command shares: the App context object, output options, rendering to stdout."""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from factcheck.formats import DATA_FORMATS, OUTPUT_FORMATS

if TYPE_CHECKING:
    from factcheck.db import Database

T = TypeVar("T")


class TerminalStream(io.TextIOBase):
    """stdout or stderr when it is a terminal: every write is made terminal-safe, whatever
    the command or format (CSV and JSON keep their exact bytes in files and pipes)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        from factcheck.render import terminal_safe

        self.raw.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return int(self.raw.fileno())

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self.raw, "encoding", "utf-8"))


def guard_terminal() -> None:
    """Make stdout and stderr terminal-safe when they are terminals."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and stream.isatty() and not isinstance(stream, TerminalStream):
            setattr(sys, name, TerminalStream(stream))


def raw_stderr() -> Any:
    """stderr itself, for the progress bar's own cursor codes."""
    stream = sys.stderr
    return stream.raw if isinstance(stream, TerminalStream) else stream


def raw_stdout() -> Any:
    """stdout itself, for text whose data is escaped already and whose colour codes are ours."""
    stream = sys.stdout
    return stream.raw if isinstance(stream, TerminalStream) else stream


SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


class DatabaseLocation(click.ParamType):
    """--db: a desk file's path, or a postgresql:// URL kept as given (a Path would fold its
    double slash)."""

    name = "file_or_url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.startswith(SERVER_SCHEMES):
            return value
        return click.Path(path_type=Path, dir_okay=False).convert(value, param, ctx)


class App:
    """What the group callback stores: where the file is and who is writing. Opens lazily."""

    def __init__(self, location: Path | str, user: str | None) -> None:
        self.location = location  # a file's path, or a server's URL
        self.user_name = user
        self._db: Database | None = None

    @property
    def is_server(self) -> bool:
        return isinstance(self.location, str)

    @property
    def shown(self) -> str:
        """The database as messages name it: a server's URL without its password."""
        if isinstance(self.location, str):
            from factcheck.postgres import shown_url

            return shown_url(self.location)
        return str(self.location)

    @property
    def db_path(self) -> Path:
        """The desk file, for the commands that work on a file only (so far)."""
        if isinstance(self.location, str):
            from factcheck.errors import FactcheckError

            command = click.get_current_context().command_path
            raise FactcheckError(
                f"`{command}` works on a desk file, not yet on a PostgreSQL server: "
                "point --db at a .db file"
            )
        return self.location

    def open(self, *, write: bool, upgrade_server: bool = False) -> Database:
        from factcheck.db import open_database

        if self._db is None:
            self._db = open_database(
                self.location, write=write, user=self.user_name, upgrade_server=upgrade_server
            )
            for notice in self._db.notices:
                click.echo(notice, err=True)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def discard_new_file(self) -> None:
        """After a failure: remove the desk file this command created, if it stayed empty."""
        if self._db is not None:
            self._db.discard_if_unused()


pass_app = click.make_pass_decorator(App)


def output_option(default: str = "simple") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(OUTPUT_FORMATS),
        default=default,
        show_default=True,
        metavar="FORMAT",
        help="simple, github, grid, psql ... (any tabulate format), csv, json or jsonl.",
    )


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    headers: dict[str, str] | None = None,
    wrap_column: str | None = None,
    full: bool = False,
    marks: tuple[str, str] | None = None,
    shorten: dict[str, int] | None = None,
) -> None:
    """Print rows to stdout; in tables, wrap_column is cut to fit the terminal unless full,
    and the columns in shorten (name: width) are cut first so that it gets the room."""
    from factcheck.render import render_rows

    widths: dict[str, int] = {}
    # Piped to a file or a log with no COLUMNS to go by: nothing to fit, so print it whole.
    fit = sys.stdout.isatty() or "COLUMNS" in os.environ
    if wrap_column and fit and not full and fmt not in DATA_FORMATS:
        terminal = shutil.get_terminal_size((100, 24)).columns
        for column, width in (shorten or {}).items():
            widths[column] = width
        # Space left for the long column once the short ones (and separators) are drawn.
        others = sum(
            min(_column_width(rows, c, headers), max(widths.get(c, 0), len(c) + 2)) + 2
            if c in widths
            else _column_width(rows, c, headers) + 2
            for c in columns
            if c != wrap_column
        )
        widths[wrap_column] = max(20, terminal - others - 2)
    output = render_rows(rows, columns, fmt, headers=headers, widths=widths, marks=marks)
    if output:
        click.echo(output)


def _column_width(
    rows: Sequence[dict[str, Any]], column: str, headers: dict[str, str] | None
) -> int:
    title = (headers or {}).get(column, column)
    longest = max((len(_plain(row.get(column))) for row in rows), default=0)
    return max(len(title) + 2, longest)  # tabulate pads headers by two (MIN_PADDING)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@contextmanager
def progress(items: Iterable[T], length: int, label: str) -> Iterator[Iterable[T]]:
    """A progress bar on stderr when stderr is a terminal; the items unchanged otherwise."""
    if not sys.stderr.isatty():
        yield items
        return
    with click.progressbar(
        items, length=length, label=label, file=raw_stderr(), show_pos=True, update_min_steps=1000
    ) as bar:
        yield bar


def parse_date_option(value: str | None, field: str = "date") -> Any:
    from factcheck.validate import parse_date

    return parse_date(value, field)


__all__ = ["App", "emit", "output_option", "parse_date_option", "pass_app", "progress"]
