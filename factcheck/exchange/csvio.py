"""Claims as CSV: the sheet `export csv` writes and `import csv` reads back, strictly."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TextIO

from factcheck.errors import InvalidInput

CSV_COLUMNS = (
    "uuid",
    "text",
    "summary",
    "speaker",
    "status",
    "claim_date",
    "source_url",
    "source_title",
    "score",
    "verdict",
    "verdict_scale",
    "verdict_rationale",
    "reviewer",
    "created_at",
    "created_by",
)

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell export prefixed: one apostrophe more than the original, then a formula character.
# Apostrophes already at the front are counted too, so "'=x" exports as "''=x" and comes back.
_NEUTRALISED = re.compile("'+[=+\\-@\t\r]")
_BOM = b"\xef\xbb\xbf"


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


def write_claims_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write the header and one neutralised row per dict; `out` should be opened with newline=''."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([neutralise(_cell(row.get(column))) for column in CSV_COLUMNS])
        count += 1
    return count


def _line_at(data: bytes, offset: int) -> int:
    # Counted the way the csv reader counts: \r\n, \n and a lone \r each end a line.
    prefix = data[:offset]
    return prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n") + 1


def _decode(data: bytes, name: str) -> str:
    sample = data[:1000]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or sample.count(0) > len(sample) // 4:
        raise InvalidInput(
            f"{name} looks like UTF-16 text: save it as UTF-8 (in Excel: CSV UTF-8) and import again"
        )
    nul = data.find(0)
    if nul >= 0:
        raise InvalidInput(
            f"{name} has a NUL byte on line {_line_at(data, nul)}: "
            "this is not a text CSV file; save it as CSV UTF-8"
        )
    offset = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[offset:].decode("utf-8")
    except UnicodeDecodeError as error:
        line = _line_at(data, error.start + offset)
        raise InvalidInput(
            f"{name} is not valid UTF-8 on line {line}: save it as UTF-8 (in Excel: CSV UTF-8)"
        ) from None


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


def read_claims_csv(
    data: bytes, name: str, *, max_bytes: int = 200 * 1024 * 1024
) -> list[dict[str, str | None]]:
    """Read a claims sheet: all rows, or InvalidInput (one line) and none at all."""
    if len(data) > max_bytes:
        raise InvalidInput(
            f"{name} is {len(data):,} bytes, more than the {max_bytes:,} allowed: "
            "split it into smaller files"
        )
    text = _decode(data, name)
    # newline="" hands the reader raw lines, so newlines inside quoted cells stay exact.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: list[str] | None = None
    rows: list[dict[str, str | None]] = []
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
        if not cells or all(cell == "" for cell in cells):
            continue  # blank lines, and the empty rows spreadsheets leave at the end
        if columns is None:
            columns = _header(cells, name)
            continue
        if len(cells) != len(columns):
            raise InvalidInput(
                f"{name}: line {start} has {len(cells)} cell{'s' * (len(cells) != 1)} but the header has "
                f"{len(columns)}: quote cells that contain commas"
            )
        row: dict[str, str | None] = dict.fromkeys(CSV_COLUMNS)
        for column, cell in zip(columns, cells, strict=True):
            row[column] = unneutralise(cell) or None
        if not (row["text"] or "").strip():
            raise InvalidInput(
                f"{name}: line {start} has an empty text cell: every claim needs text"
            )
        rows.append(row)
    if columns is None:
        raise InvalidInput(
            f"{name} is empty: the first line must be a header such as text,speaker,claim_date"
        )
    return rows
