"""Checks and normalisation of values a user types: text, URLs, dates, enum choices."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit, urlunsplit

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


URL_MAX_LENGTH = 2048
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _shown(value: str) -> str:
    return value.encode("unicode_escape").decode("ascii")[:200]


def _hidden_characters(text: str) -> bool:
    """Controls, format characters (bidi overrides, zero-width) and spaces: never in a URL."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in text)


def parse_url(value: str, field: str = "URL") -> str:
    """The one URL rule, for every way in: http(s), a host, a valid port, no credentials, no
    control, format or space characters, at most 2,048 characters. A non-ASCII host is stored
    as punycode, so a look-alike host shows as what it is."""
    raw = value.strip()
    shown = _shown(raw)
    if not raw or _hidden_characters(raw):
        raise InvalidInput(
            f"the {field} {shown!r} contains spaces, control or invisible characters: "
            "give a plain http:// or https:// address"
        )
    if len(raw) > URL_MAX_LENGTH:
        raise InvalidInput(
            f"the {field} is {len(raw):,} characters long; the limit is {URL_MAX_LENGTH:,}: "
            "give the page's short address"
        )
    try:
        parts = urlsplit(raw)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise InvalidInput(
            f"the {field} {shown!r} has an invalid host or port: give one such as "
            "https://example.org/page"
        ) from None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        raise InvalidInput(
            f"the {field} {shown!r} is not an http(s) address with a host: "
            "give one such as https://example.org/page"
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidInput(
            f"the {field} {shown!r} contains a user name or password: "
            "remove the part before @ (never share credentials in a link)"
        )
    netloc = parts.netloc
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidInput(
                f"the {field} {shown!r} has a host name that is not valid: check it"
            ) from None
        netloc = ascii_host + (f":{parts.port}" if parts.port is not None else "")
        raw = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return raw


def parse_uuid(value: str, field: str = "uuid") -> str:
    """A canonical lower-case UUID, as factcheck writes them."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if not _UUID.fullmatch(text):
        raise InvalidInput(
            f"the {field} {_shown(str(value))!r} is not a UUID: leave it empty for a new row, "
            "or give one such as 0f8fad5b-d9cb-469f-a165-70867728950e"
        )
    return text


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,? (\d{4})")
DATE_FORMS = "2017-05-14, 2017-05, 2017, 14 May 2017 or May 14, 2017"


def _partial(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        if not 1 <= month <= 12:
            raise ValueError("month")
        return f"{year:04d}-{month:02d}"
    return date(year, month, day).isoformat()


def parse_date(value: str | None, field: str = "date") -> str | None:
    """A date at the precision given, as ISO text: "2017-05-14", "2017-05" or "2017".

    Never guessed: no day or month is filled in, and all-number forms other than ISO
    (03/04/2017: March or April?) are refused with the forms that are accepted."""
    if value is None or not value.strip():
        return None
    text = " ".join(value.strip().split())
    lowered = text.lower()
    try:
        iso = _ISO_PARTIAL.fullmatch(text)
        if iso:
            year, month, day = iso.groups()
            return _partial(int(year), int(month) if month else None, int(day) if day else None)
        for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
            found = pattern.fullmatch(lowered)
            if found and found.group(order.index("m") + 1) in _MONTHS:
                parts = dict(zip(order, found.groups(), strict=True))
                return _partial(int(parts["y"]), _MONTHS[parts["m"]], int(parts["d"]))
        found = _MONTH_YEAR.fullmatch(lowered)
        if found and found.group(1) in _MONTHS:
            return _partial(int(found.group(2)), _MONTHS[found.group(1)], None)
    except ValueError:
        raise InvalidInput(
            f"the {field} {_shown(text)!r} is not a real date: check the month and day"
        ) from None
    raise InvalidInput(
        f"could not read the {field} {_shown(text)!r} without guessing: write it as {DATE_FORMS}"
    )


def choice(value: str, allowed: list[str] | tuple[str, ...], field: str) -> str:
    normal = value.strip().lower().replace("_", "-").replace(" ", "-")
    for option in allowed:
        if normal == option.replace("_", "-"):
            return option
    raise InvalidInput(f"unknown {field} {value!r}: use one of {', '.join(allowed)}")
