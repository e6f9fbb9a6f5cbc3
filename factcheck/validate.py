"""Checks and normalisation of values a user types: text, URLs, dates, enum choices."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from factcheck.errors import InvalidInput

# Anything that is not printable text: C0/C1 controls (tab/newline allowed in long text only).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str | None, field: str, *, max_length: int = 100_000) -> str:
    """Stripped, non-empty text without NUL bytes."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"the {field} is empty: give some text")
    if "\x00" in text:
        raise InvalidInput(f"the {field} contains a NUL byte: remove it and try again")
    if len(text) > max_length:
        raise InvalidInput(
            f"the {field} is {len(text):,} characters long; the limit is {max_length:,}"
        )
    return text


def optional_text(value: str | None, field: str, *, max_length: int = 10_000) -> str | None:
    if value is None or not value.strip():
        return None
    return clean_text(value, field, max_length=max_length)


def parse_url(value: str, field: str = "URL") -> str:
    """An http(s) URL with a host; anything else is refused, naming what was given."""
    raw = value.strip()
    shown = raw.encode("unicode_escape").decode("ascii")[:200]
    if not raw or _CONTROL.search(raw) or re.search(r"\s", raw):
        raise InvalidInput(
            f"the {field} {shown!r} contains spaces or control characters: "
            "give a plain http:// or https:// address"
        )
    try:
        parts = urlsplit(raw)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme.lower() not in {"http", "https"} or not host:
        raise InvalidInput(
            f"the {field} {shown!r} is not an http(s) address with a host: "
            "give one such as https://example.org/page"
        )
    return raw


def parse_date(value: str | None, field: str = "date") -> date | None:
    """ISO dates, or any date python-dateutil reads unambiguously enough (14 May 2017)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    from dateutil import parser

    try:
        parsed = parser.parse(text, default=None, fuzzy=False)  # type: ignore[arg-type]
    except (ValueError, OverflowError, TypeError):
        parsed = None
    if parsed is None:
        raise InvalidInput(f"could not read the {field} {text!r}: use YYYY-MM-DD, e.g. 2017-05-14")
    return parsed.date()


def choice(value: str, allowed: list[str] | tuple[str, ...], field: str) -> str:
    normal = value.strip().lower().replace("_", "-").replace(" ", "-")
    for option in allowed:
        if normal == option.replace("_", "-"):
            return option
    raise InvalidInput(f"unknown {field} {value!r}: use one of {', '.join(allowed)}")
