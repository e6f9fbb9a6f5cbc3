"""Quotations, and sentence "frames": the sentence with quoted text masked out."""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.extract.sentences import Span, split_paragraphs

MASK = "\ue000"  # private-use character standing in for quoted text in a frame


@dataclass(frozen=True)
class Quote:
    """A quotation: start at its opening mark, end after its closing mark.

    closed is False when the paragraph ends first (news style continues the quotation in
    the next paragraph).
    """

    start: int
    end: int
    closed: bool


def find_quotes(text: str) -> list[Quote]:
    """Find quotations paragraph by paragraph; single quotes only outside double ones."""
    quotes: list[Quote] = []
    for paragraph in split_paragraphs(text):
        double: int | None = None
        single: int | None = None
        for i in range(paragraph.start, paragraph.end):
            char = text[i]
            before = text[i - 1] if i > paragraph.start else " "
            after = text[i + 1] if i + 1 < paragraph.end else " "
            if char in "“«" or (char == '"' and double is None):
                if double is None:
                    double, single = i, None
            elif char in "”»" or char == '"':
                if double is not None:
                    quotes.append(Quote(double, i + 1, True))
                    double = None
            elif double is not None:
                continue
            elif single is None and (
                char == "‘" or (char == "'" and not before.isalnum() and after.isalnum())
            ):
                single = i
            elif (
                single is not None and char in "’'" and not after.isalnum() and not before.isspace()
            ):
                quotes.append(Quote(single, i + 1, True))
                single = None
        if double is not None:
            quotes.append(Quote(double, paragraph.end, False))
    return quotes


def quote_mask(text: str, quotes: list[Quote]) -> bytearray:
    """1 for every character of text inside a quotation, marks included."""
    mask = bytearray(len(text))
    for quote in quotes:
        mask[quote.start : quote.end] = b"\x01" * (quote.end - quote.start)
    return mask


def frame(span: Span, mask: bytearray) -> tuple[str, float]:
    """The sentence with quoted characters masked, and the share of letters quoted."""
    if not any(mask[span.start : span.end]):
        return span.text, 0.0  # most sentences quote nothing
    chars = list(span.text)
    quoted = total = 0
    for offset, char in enumerate(span.text):
        inside = mask[span.start + offset]
        if char.isalnum():
            total += 1
            quoted += inside
        if inside:
            chars[offset] = MASK
    return "".join(chars), (quoted / total if total else 0.0)


def is_speech(text: str, quote: Quote) -> bool:
    """Long enough to be speech rather than a scare quote ('wake-up call')."""
    return len(text[quote.start : quote.end].split()) >= 4
