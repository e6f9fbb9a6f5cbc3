"""Read a large JSON object whose members are long lists (a desk export) a row at a time.

The document is never held in memory: the top-level object is walked by hand and each row is
decoded by the standard library's C decoder with the same strict rules as jsonsafe (no
duplicate keys, no NaN, bounded integers, no lone surrogates, UTF-8 only). Memory is a read
buffer plus one row.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from factcheck.errors import InvalidInput
from factcheck.exchange.jsonsafe import (
    _check_strings,
    _no_constants,
    _no_duplicates,
    _strict_float,
    _strict_int,
)

_CHUNK = 1 << 20
_MAX_VALUE = 64 << 20  # characters one row may take: a claim's whole article is 5 MB at most
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _Reader:
    """A sliding window over decoded text with the line number of its start, for messages."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream, self.name = stream, name
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")  # drops a BOM
        self.text, self.pos, self.eof, self.read_bytes = "", 0, False, 0
        self.line, self.column = 1, 0  # where the window starts, for messages
        self.json = json.JSONDecoder(
            object_pairs_hook=_no_duplicates(name),
            parse_int=_strict_int(name),
            parse_float=_strict_float(name),
            parse_constant=_no_constants(name),
        )

    def fill(self) -> bool:
        """Read more; False at the end of the file."""
        if self.eof:
            return False
        data = self.stream.read(_CHUNK)
        try:
            more = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            at = self.read_bytes + error.start
            raise InvalidInput(
                f"{self.name} is not valid UTF-8 at byte {at}: save it as UTF-8"
            ) from None
        self.read_bytes += len(data)
        self.eof = not data
        gone = self.text[: self.pos]
        newline = gone.rfind("\n")
        self.line += gone.count("\n")
        self.column = len(gone) - newline - 1 if newline >= 0 else self.column + len(gone)
        self.text, self.pos = self.text[self.pos :] + more, 0
        return True

    def where(self, pos: int | None = None) -> str:
        at = self.pos if pos is None else pos
        line = self.line + self.text.count("\n", 0, at)
        newline = self.text.rfind("\n", 0, at)
        column = at - newline if newline >= 0 else self.column + at + 1
        return f"line {line}, column {column}"

    def skip_whitespace(self) -> None:
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or not self.fill():
                return

    def peek(self) -> str:
        self.skip_whitespace()
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str, what: str) -> None:
        if self.peek() != char:
            found = self.text[self.pos : self.pos + 1] or "the end of the file"
            raise InvalidInput(
                f"{self.name} is not valid JSON at {self.where()} (expected {what}, found "
                f"{found!r}): fix the file or export it again"
            )
        self.pos += 1

    def value(self) -> Any:
        """One JSON value, read further while it runs past the window."""
        self.skip_whitespace()
        while True:
            try:
                value, end = self.json.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if len(self.text) - self.pos > _MAX_VALUE:
                    raise InvalidInput(
                        f"{self.name} has a value at {self.where()} longer than "
                        f"{_MAX_VALUE:,} characters: it cannot be a desk row"
                    ) from None
                if self.fill():
                    continue
                raise InvalidInput(
                    f"{self.name} is not valid JSON at {self.where(error.pos)} ({error.msg}): "
                    "fix the file or export it again"
                ) from None
            except RecursionError:
                raise InvalidInput(f"{self.name} nests too deeply: flatten the data") from None
            if end == len(self.text) and self.fill():
                continue  # a number may go on in the next chunk
            self.pos = end
            _check_strings(value, self.name)
            return value


def iter_object(
    stream: BinaryIO, name: str, streamed: frozenset[str]
) -> Iterator[tuple[str, Any, bool]]:
    """(key, value, False) for each member of the top-level object, except members named in
    `streamed` whose value is a list: those give (key, item, True) for each item, in order."""
    reader = _Reader(stream, name)
    if not reader.peek():
        raise InvalidInput(f"{name} is empty: it should hold a JSON object")
    reader.expect("{", "a JSON object")
    seen: set[str] = set()
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            key = reader.value()
            if not isinstance(key, str):
                raise InvalidInput(
                    f"{name} is not valid JSON at {reader.where()} (a key must be a string)"
                )
            if key in seen:
                raise InvalidInput(
                    f"{name} has the key {key[:40]!r} twice in one object: "
                    "keep one of them so it is clear which value counts"
                )
            seen.add(key)
            reader.expect(":", "':'")
            if key in streamed and reader.peek() == "[":
                reader.pos += 1
                if reader.peek() == "]":
                    reader.pos += 1
                else:
                    while True:
                        yield key, reader.value(), True
                        if reader.peek() == "]":
                            reader.pos += 1
                            break
                        reader.expect(",", "',' or ']'")
            else:
                yield key, reader.value(), False
            if reader.peek() == "}":
                reader.pos += 1
                break
            reader.expect(",", "',' or '}'")
    if reader.peek():
        raise InvalidInput(
            f"{name} has extra text after the JSON value at {reader.where()}: remove it"
        )
