"""Claims as CSV: the sheet `export csv` writes and `import csv` reads back, strictly."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from factcheck.errors import InvalidInput
from factcheck.models import MUTABLE_FIELDS

# The sheet: a claim's identity, every field a person edits (the models' MUTABLE_FIELDS, so a
# field added there reaches the sheet), then what the sheet joins in for a reader: the source,
# the score, our current verdict and another fact-checker's rating; then who added it and when.
JOINED_COLUMNS = (
    "source_url",
    "source_title",
    "score",
    "verdict",
    "verdict_scale",
    "verdict_rationale",
    "reviewer",
    "checked_by",
    "checked_by_rating",
)
CSV_COLUMNS = ("id", "uuid", *MUTABLE_FIELDS["claim"], *JOINED_COLUMNS, "created_at", "created_by")
# Read from a sheet for information only: a claim's id is this desk's, never imported.
IGNORED_ON_IMPORT = ("id",)
# Where a row came from, for error messages: the key is not a column.
LINE_KEY = "_line"

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"),
# including the full-width forms some spreadsheets also accept (＝ ＋ － ＠).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A cell export prefixed: one apostrophe more than the original, then a formula character.
# Apostrophes already at the front are counted too, so "'=x" exports as "''=x" and comes back.
_NEUTRALISED = re.compile("'+[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]")
# What the surrogateescape error handler decodes an invalid UTF-8 byte to.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def neutralise(cell: str) -> str:
    """Prefix an apostrophe so a spreadsheet shows the cell as text, not a formula."""
    if cell.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """Undo neutralise(): drop the one apostrophe export added, and nothing else."""
    if _NEUTRALISED.match(cell):
        return cell[1:]
    return cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def write_claims_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Write the header and one neutralised row per dict; `out` should be opened with newline=''."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:  # extra keys (a claim row's other fields) are not written
        writer.writerow([neutralise(_cell(row.get(column))) for column in CSV_COLUMNS])
        count += 1
    return count


def _open_text(stream: BinaryIO, name: str, max_bytes: int) -> TextIO:
    """Refuse an oversized or UTF-16 file up front, then decode the rest as it is read."""
    size = stream.seek(0, io.SEEK_END)
    if size > max_bytes:
        raise InvalidInput(
            f"{name} is {size:,} bytes, more than the {max_bytes:,} allowed: "
            "split it into smaller files"
        )
    stream.seek(0)
    sample = stream.read(1000)
    stream.seek(0)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or sample.count(0) > len(sample) // 4:
        raise InvalidInput(
            f"{name} looks like UTF-16 text: save it as UTF-8 (in Excel: CSV UTF-8) and import again"
        )
    # surrogateescape turns each invalid byte into U+DC80..U+DCFF instead of failing a whole
    # read-ahead chunk, so _checked_lines can name the line and the rows before it still arrive.
    # newline="" splits on \r\n, \n and a lone \r, as the csv reader counts, and keeps quoted
    # newlines exact.
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _checked_lines(text: TextIO, name: str) -> Iterator[str]:
    for number, line in enumerate(text, 1):
        if "\x00" in line:
            raise InvalidInput(
                f"{name} has a NUL byte on line {number}: "
                "this is not a text CSV file; save it as CSV UTF-8"
            )
        if not line.isascii() and _ESCAPED_BYTE.search(line):
            raise InvalidInput(
                f"{name} is not valid UTF-8 on line {number}: save it as UTF-8 (in Excel: CSV UTF-8)"
            )
        yield line


def _header(cells: list[str], name: str) -> list[str]:
    columns = [cell.strip().lower() for cell in cells]
    if len(columns) == 1:
        for separator, word in ((";", "semicolons"), ("\t", "tabs")):
            if separator in columns[0]:
                raise InvalidInput(
                    f"{name} seems to separate cells with {word}: save it as comma-separated CSV"
                )
    seen: set[str] = set()
    for position, column in enumerate(columns, 1):
        if not column:
            raise InvalidInput(
                f"{name}: column {position} of the header has no name: name it or delete the column"
            )
        if column in seen:
            raise InvalidInput(
                f"{name}: the header has the column {column!r} twice: keep one of them"
            )
        seen.add(column)
    unknown = [column for column in columns if column not in CSV_COLUMNS]
    if unknown:
        raise InvalidInput(
            f"{name}: unknown column(s) {', '.join(repr(c[:40]) for c in unknown[:5])}: "
            f"use only {', '.join(CSV_COLUMNS)}"
        )
    if "text" not in columns:
        raise InvalidInput(
            f"{name} has no 'text' column: the first line must be a header such as "
            "text,speaker,claim_date"
        )
    return columns


def _more_ragged(reader: Any, width: int, limit: int = 1000) -> list[int]:
    """After a first ragged line: the next ones (up to limit), so that one error names them
    all. Reading stops at a line that is not valid CSV."""
    found: list[int] = []
    while len(found) < limit:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except (StopIteration, csv.Error, InvalidInput):
            break
        if any(cells) and len(cells) != width:
            found.append(start)
    return found


def iter_claims_csv(
    path: Path, name: str | None = None, *, max_bytes: int = 2 * 1024**3, lines: bool = False
) -> Iterator[dict[str, str | None]]:
    """Yield a claims sheet's rows one at a time; InvalidInput (one line) when a bad one is reached.

    Rows before the bad one have been yielded by then, so a caller that needs all or nothing
    imports inside one transaction and rolls back on the error. With lines, each row also
    carries its line number under LINE_KEY.
    """
    with open(path, "rb") as stream:
        yield from _rows(stream, str(path) if name is None else name, max_bytes, lines)


def read_claims_csv(
    data: bytes, name: str, *, max_bytes: int = 200 * 1024 * 1024
) -> list[dict[str, str | None]]:
    """Read a claims sheet: all rows, or InvalidInput (one line) and none at all."""
    return list(_rows(io.BytesIO(data), name, max_bytes, False))


def _rows(
    stream: BinaryIO, name: str, max_bytes: int, lines: bool
) -> Iterator[dict[str, str | None]]:
    reader = csv.reader(_checked_lines(_open_text(stream, name, max_bytes), name), strict=True)
    columns: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            message = str(error)
            if "unexpected end of data" in message or "EOF" in message:
                raise InvalidInput(
                    f"{name}: a quoted cell that starts on line {start} is never closed: "
                    'add the closing " (write a quote inside a quoted cell as "")'
                ) from None
            if "field limit" in message:
                raise InvalidInput(
                    f"{name}: line {start} has a cell longer than {csv.field_size_limit():,} "
                    "characters: shorten it, or check its quotes are balanced"
                ) from None
            raise InvalidInput(
                f"{name}: line {reader.line_num} is not valid CSV ({message}): "
                'quote cells that contain commas or quotes, and double quotes inside them ("")'
            ) from None
        if not any(cells):
            continue  # blank lines, and the empty rows spreadsheets leave at the end
        if columns is None:
            columns = _header(cells, name)
            continue
        if len(cells) != len(columns):
            more = _more_ragged(reader, len(columns))
            also = ""
            if more:
                shown = ", ".join(str(n) for n in more[:10]) + (" ..." if len(more) > 10 else "")
                also = f"; so do {len(more)} more line(s): {shown}"
            raise InvalidInput(
                f"{name}: line {start} has {len(cells)} cell{'s' * (len(cells) != 1)} but the "
                f"header has {len(columns)}{also}: quote cells that contain commas"
            )
        row: dict[str, str | None] = dict.fromkeys(CSV_COLUMNS)
        if lines:
            row[LINE_KEY] = str(start)
        for column, cell in zip(columns, cells, strict=True):
            # Only a cell that starts with an apostrophe can be one export neutralised.
            row[column] = (unneutralise(cell) if cell[:1] == "'" else cell) or None
        if not (row["text"] or "").strip():
            raise InvalidInput(
                f"{name}: line {start} has an empty text cell: every claim needs text"
            )
        yield row
    if columns is None:
        raise InvalidInput(
            f"{name} is empty: the first line must be a header such as text,speaker,claim_date"
        )
