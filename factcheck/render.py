"""Rows -> text: tables (tabulate), CSV, JSON, JSON lines. Terminal-safe in tables."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

# C0/C1 controls, DEL, bidirectional overrides/isolates, zero-width and line/paragraph separators:
# none of them may reach a terminal raw (they can recolour, hide or reorder what is shown).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)
# In JSON the same characters are written as \\uXXXX escapes; the decoded text stays exact.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def safe_text(value: str) -> str:
    """Show control and direction-changing characters as visible escapes (e.g. \\x1b)."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    text = value.replace("\r\n", "\n").replace("\t", " ")
    text = text.replace("\n", " ")
    return _UNSAFE.sub(escape, text)


# Everything written to a terminal passes through this: data may carry escape sequences (OSC 52
# clipboard writes, title changes, cursor reports, resets) in any output format. Kept raw: new
# lines, tabs, and the two sequences factcheck itself writes (bold on/off, search highlights).
_TERMINAL = re.compile(
    "(\x1b\\[1m|\x1b\\[0m)|"
    "([\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff])"
)


def terminal_safe(text: str) -> str:
    """Text as a terminal may show it: control and direction characters as visible escapes."""

    def escape(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1)
        char = match.group(2)
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _TERMINAL.sub(escape, text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return safe_text(str(value))


def truncate(text: str, width: int) -> str:
    if width < 2 or len(text) <= width:
        return text
    return text[: width - 1].rstrip() + "…"


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: Any, *, indent: int | None = 2) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=_json_default)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    headers: dict[str, str] | None = None,
    widths: dict[str, int] | None = None,
    marks: tuple[str, str] | None = None,
) -> str:
    """Render rows in a tabulate format or csv/json/jsonl. JSON keeps every key of every row.

    marks: what to show for the search highlight markers (U+E000, U+E001) in tables."""
    if fmt == "json":
        return to_json(list(rows))
    if fmt == "jsonl":
        return "\n".join(to_json(row, indent=None) for row in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
        return buffer.getvalue().rstrip("\n")
    from tabulate import tabulate

    widths = widths or {}
    table = [
        [
            truncate(_cell(row.get(c)), widths[c]) if c in widths else _cell(row.get(c))
            for c in columns
        ]
        for row in rows
    ]
    names = [(headers or {}).get(c, c) for c in columns]
    output = tabulate(table, headers=names, tablefmt=fmt, disable_numparse=True)
    if marks:
        # Added after escaping: these are the only escape codes a table may carry.
        output = output.replace("\ue000", marks[0]).replace("\ue001", marks[1])
    return output


def render_record(record: dict[str, Any], fields: Iterable[str]) -> str:
    """A 'field: value' block for one object (claim show)."""
    lines = []
    for field in fields:
        lines.append(f"{field + ':':<13} {_cell(record.get(field))}")
    return "\n".join(lines)


__all__ = ["render_rows", "render_record", "safe_text", "terminal_safe", "to_json", "truncate"]
