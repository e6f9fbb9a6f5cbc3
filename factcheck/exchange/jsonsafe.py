"""Parse untrusted JSON strictly: bounded size and depth, no duplicate keys, no NaN, one-line errors."""

from __future__ import annotations

import json
import math
import re
from array import array
from itertools import accumulate
from typing import Any

from factcheck.errors import InvalidInput

_BOM = b"\xef\xbb\xbf"
MAX_INT_DIGITS = 30
# A whole string literal, closed or running to the end; the unrolled loop avoids backtracking.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.S)
# Outside strings, openers become +1 and closers -1 (as signed bytes), newlines 0; the rest goes.
_STEPS = bytes.maketrans(b"[{]}\n", b"\x01\x01\xff\xff\x00")
_NOT_STEPS = bytes(set(range(256)) - set(b"[{]}\n"))
_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(text: str, limit: int = 40) -> str:
    shown = repr(text[:limit])
    return shown + ("..." if len(text) > limit else "")


def _check_depth(text: str, name: str, max_depth: int) -> None:
    # Done before json.loads so a hostile [[[[... fails here, not as a RecursionError inside it;
    # accumulate() keeps the running depth in C, so 20 MB of brackets takes well under a second.
    skeleton = _STRING.sub("", text).encode("utf-8").translate(_STEPS, _NOT_STEPS)
    steps = array("b", skeleton)
    if max(accumulate(steps), default=0) <= max_depth:
        return
    at = next(i for i, depth in enumerate(accumulate(steps)) if depth > max_depth)
    line = skeleton.count(0, 0, at) + 1
    raise InvalidInput(
        f"{name} nests deeper than {max_depth} levels (line {line}): "
        "flatten the data or check the file is what you meant to import"
    )


def _no_duplicates(name: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise InvalidInput(
                    f"{name} has the key {_shown(key)} twice in one object: "
                    "keep one of them so it is clear which value counts"
                )
            result[key] = value
        return result

    return hook


def _strict_int(name: str) -> Any:
    def hook(literal: str) -> int:
        if len(literal.lstrip("-")) > MAX_INT_DIGITS:
            raise InvalidInput(
                f"{name} has an integer with {len(literal.lstrip('-'))} digits "
                f"(more than {MAX_INT_DIGITS}): write it as a string if it is an identifier"
            )
        return int(literal)

    return hook


def _strict_float(name: str) -> Any:
    def hook(literal: str) -> float:
        value = float(literal)
        if math.isinf(value):
            raise InvalidInput(
                f"{name} has the number {_shown(literal, 30)}, too large for a float: "
                "use a smaller number or a string"
            )
        return value

    return hook


def _no_constants(name: str) -> Any:
    def hook(literal: str) -> Any:
        raise InvalidInput(
            f"{name} contains {literal}, which is not valid JSON: use null or a number"
        )

    return hook


def _check_strings(value: Any, name: str) -> None:
    # Lone surrogates (from "\ud800" escapes) decode fine but cannot be stored as UTF-8 later.
    # Depth is already bounded by max_depth, so recursion here is safe.
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise InvalidInput(
                f"{name} has a string with an unpaired \\u surrogate escape "
                f"near {value[:30]!a}: fix that escape or export the file again"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, name)
            _check_strings(item, name)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item, name)


def load_json_strict(
    data: bytes, name: str, *, max_bytes: int = 20 * 1024 * 1024, max_depth: int = 64
) -> Any:
    """Parse JSON from untrusted bytes or raise InvalidInput with one line saying what to fix."""
    if len(data) > max_bytes:
        raise InvalidInput(
            f"{name} is {len(data):,} bytes, more than the {max_bytes:,} allowed: "
            "split it into smaller files"
        )
    offset = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as error:
        at = error.start + offset
        line = data.count(b"\n", 0, at) + 1
        raise InvalidInput(
            f"{name} is not valid UTF-8 at byte {at} (line {line}): save it as UTF-8"
        ) from None
    if not text.strip():
        raise InvalidInput(f"{name} is empty: it should hold a JSON object or list")
    _check_depth(text, name, max_depth)
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates(name),
            parse_int=_strict_int(name),
            parse_float=_strict_float(name),
            parse_constant=_no_constants(name),
        )
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            raise InvalidInput(
                f"{name} has extra text after the JSON value at line {error.lineno}, "
                f"column {error.colno}: remove it, or wrap several values in a list"
            ) from None
        raise InvalidInput(
            f"{name} is not valid JSON at line {error.lineno}, column {error.colno} "
            f"({error.msg}): fix the file or export it again"
        ) from None
    except RecursionError:
        # Unreachable while max_depth is small; kept so no traceback can reach a user.
        raise InvalidInput(f"{name} nests too deeply: flatten the data") from None
    _check_strings(value, name)
    return value
