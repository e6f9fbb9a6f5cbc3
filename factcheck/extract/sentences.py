"""Split text into paragraphs and sentences with exact offsets into the original string.

Sentence boundaries come from syntok (see bench/sentences.md for why); this module adds
paragraph splitting, offset bookkeeping and a few repairs for abbreviations syntok misses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import syntok.segmenter as _segmenter  # type: ignore[import-untyped]

__all__ = ["Span", "split_paragraphs", "split_sentences", "trim"]

# Characters trimmed from span ends: whitespace plus invisible marks that str.strip() keeps
# (zero-width space/joiners and the BOM that Windows editors prepend).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# A line break followed by one or more whitespace-only lines.
_BLANK_LINES = re.compile(r"\r?\n(?:[^\S\n]*\r?\n)+|\r(?:[^\S\r\n]*\r)+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Lines of hard-wrapped text (email, plain-text exports) are all of a similar, long length;
# anything else is one paragraph per line, as pasted from a web page.
_WRAP_MIN, _WRAP_MAX = 50, 100

# Titles written before a name that never end a sentence in news copy, but that syntok does
# not know (it already handles Mr., Dr., Sen., Gen. and friends).
_TITLE_ABBREVIATIONS = frozenset(
    "Gov Rep Lt Sgt Rev Supt Insp Det Cmdr Maj Pres Amb Hon Atty Cpl Pvt Msgr Gen Sen Col "
    "Capt Adm Prof Dr Mr Mrs Ms Mx Fr".split()
)
_CLOSERS = "\"'”’»)]}*"
_TERMINALS = (".", "!", "?", "…", ":", ";")
_ENDS_WITH_TITLE = re.compile(r"(?:^|[\s(\"“‘'])([A-Z][a-z]{1,4})\.$")


@dataclass(frozen=True)
class Span:
    """A slice of the original text: ``text == original[start:end]``."""

    start: int
    end: int
    text: str


def _is_trimmable(char: str) -> bool:
    return char.isspace() or char in _INVISIBLE


def trim(text: str, start: int, end: int) -> Span | None:
    """Return text[start:end] without surrounding whitespace, or None if nothing is left."""
    while start < end and _is_trimmable(text[start]):
        start += 1
    while end > start and _is_trimmable(text[end - 1]):
        end -= 1
    if start >= end:
        return None
    return Span(start, end, text[start:end])


def _bounds(text: str, start: int, end: int | None) -> tuple[int, int]:
    end = len(text) if end is None else end
    start = max(0, min(start, len(text)))
    return start, max(start, min(end, len(text)))


def _is_hard_wrapped(lines: list[Span]) -> bool:
    return all(_WRAP_MIN <= len(line.text) <= _WRAP_MAX for line in lines[:-1])


def split_paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split text[start:end] into paragraphs: blocks between blank lines.

    A block of several lines is one paragraph only when it looks hard-wrapped; otherwise
    every line is a paragraph (web pages pasted as text put one paragraph on each line).
    """
    start, end = _bounds(text, start, end)
    blocks: list[tuple[int, int]] = []
    cursor = start
    for match in _BLANK_LINES.finditer(text, start, end):
        blocks.append((cursor, match.start()))
        cursor = match.end()
    blocks.append((cursor, end))

    paragraphs: list[Span] = []
    for block_start, block_end in blocks:
        lines: list[Span] = []
        line_start = block_start
        for match in _LINE_BREAK.finditer(text, block_start, block_end):
            line = trim(text, line_start, match.start())
            if line:
                lines.append(line)
            line_start = match.end()
        last = trim(text, line_start, block_end)
        if last:
            lines.append(last)
        if not lines:
            continue
        if len(lines) > 1 and _is_hard_wrapped(lines):
            paragraphs.append(
                Span(lines[0].start, lines[-1].end, text[lines[0].start : lines[-1].end])
            )
        else:
            paragraphs.extend(lines)
    return paragraphs


def _segment_paragraph(text: str, paragraph: Span) -> list[int]:
    """Sentence start offsets inside one paragraph, according to syntok."""
    # Same-length substitution keeps offsets exact; it also stops syntok from joining
    # "hyphen-\nated" words, which shifts its token offsets.
    flat = "".join(" " if _is_trimmable(c) else c for c in paragraph.text)
    starts = [
        sentence[0].offset for para in _segmenter.process(flat) for sentence in para if sentence
    ]
    # The first sentence starts at the paragraph start even if syntok skipped a character.
    offsets = sorted({0, *(s for s in starts if 0 < s < len(flat))})
    return [paragraph.start + offset for offset in offsets]


def _should_merge(previous: Span, current: Span) -> bool:
    """True when syntok split after a title abbreviation or left a punctuation-only piece."""
    if not any(c.isalnum() for c in current.text):
        return True
    # syntok sometimes splits where there is no sentence punctuation at all, as after a
    # dateline: "BRUSSELS (Reuters) - The Commission ...".
    if not previous.text.rstrip(_CLOSERS).endswith(_TERMINALS):
        return True
    match = _ENDS_WITH_TITLE.search(previous.text)
    return bool(match and match.group(1) in _TITLE_ABBREVIATIONS and current.text[0].isupper())


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split text[start:end] into sentences; paragraph breaks always end a sentence."""
    sentences: list[Span] = []
    for paragraph in split_paragraphs(text, start, end):
        starts = _segment_paragraph(text, paragraph)
        pieces: list[Span] = []
        for piece_start, piece_end in zip(starts, [*starts[1:], paragraph.end], strict=True):
            piece = trim(text, piece_start, piece_end)
            if piece is None:
                continue
            if pieces and _should_merge(pieces[-1], piece):
                merged_start = pieces[-1].start
                pieces[-1] = Span(merged_start, piece.end, text[merged_start : piece.end])
            else:
                pieces.append(piece)
        sentences.extend(pieces)
    return sentences
