"""Strict JSON loading: every refusal is one line that says where and how to fix it."""

from __future__ import annotations

import time

import pytest

from factcheck.errors import InvalidInput
from factcheck.exchange.jsonsafe import load_json_strict


def refused(data: bytes, **limits: int) -> str:
    with pytest.raises(InvalidInput) as caught:
        load_json_strict(data, "in.json", **limits)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("in.json")
    return message


def test_valid_documents_load_exactly() -> None:
    data = '{"a": [1, -2, 3.5, true, false, null], "b": {"c": "é \\u00e9 [{"}}'.encode()
    assert load_json_strict(data, "in.json") == {
        "a": [1, -2, 3.5, True, False, None],
        "b": {"c": "é é [{"},
    }
    assert load_json_strict(b"  [ ]\n", "in.json") == []
    assert load_json_strict(b'"just a string"', "in.json") == "just a string"


def test_a_utf8_bom_is_accepted() -> None:
    assert load_json_strict(b'\xef\xbb\xbf{"x": 1}', "in.json") == {"x": 1}


def test_size_is_checked_before_parsing() -> None:
    message = refused(b"[" + b"1," * 100 + b"1]", max_bytes=50)
    assert "203 bytes" in message and "more than the 50 allowed" in message
    assert "split" in message


def test_invalid_utf8_names_the_byte_offset_and_line() -> None:
    message = refused(b'[\n"ok",\n"bad \xff"]')
    assert "not valid UTF-8 at byte 13 (line 3)" in message and "UTF-8" in message


def test_invalid_utf8_offset_counts_the_bom() -> None:
    assert "at byte 4 " in refused(b'\xef\xbb\xbf"\xc3"')


def test_malformed_json_names_line_and_column() -> None:
    message = refused(b'{\n  "a": 1\n  "b": 2\n}')
    assert "not valid JSON at line 3, column 3" in message
    assert "Expecting ',' delimiter" in message


def test_trailing_garbage_is_refused() -> None:
    message = refused(b'{"a": 1}\n{"b": 2}')
    assert "extra text after the JSON value at line 2, column 1" in message


def test_empty_input_is_refused() -> None:
    assert "is empty" in refused(b" \n ")
    assert "is empty" in refused(b"")


def test_duplicate_keys_name_the_key() -> None:
    message = refused(b'{"claims": [{"text": "a", "speaker": "x", "text": "b"}]}')
    assert "key 'text' twice" in message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(constant: str) -> None:
    message = refused(f'{{"score": {constant}}}'.encode())
    assert f"contains {constant}" in message and "not valid JSON" in message


def test_huge_integers_are_refused_but_30_digits_pass() -> None:
    assert load_json_strict(b"[" + b"9" * 30 + b"]", "in.json") == [int("9" * 30)]
    assert load_json_strict(b"[-" + b"9" * 30 + b"]", "in.json") == [-int("9" * 30)]
    message = refused(b"[" + b"9" * 31 + b"]")
    assert "integer with 31 digits" in message and "string" in message
    # Far past Python's own 4300-digit limit: still our error, not a ValueError.
    assert "integer with 100000 digits" in refused(b"[" + b"1" * 100_000 + b"]")


def test_floats_that_overflow_are_refused() -> None:
    assert "'1e999', too large" in refused(b'{"score": 1e999}')
    assert "too large" in refused(b"[-1.5e400]")
    assert load_json_strict(b"[1e308, 1e-400]", "in.json") == [1e308, 0.0]


def test_depth_limit_counts_only_brackets_outside_strings() -> None:
    assert load_json_strict(b"[[[1]]]", "in.json", max_depth=3) == [[[1]]]
    assert "deeper than 3 levels" in refused(b'[[{"a": [1]}]]', max_depth=3)
    # Brackets inside strings (even after escaped quotes) do not count.
    data = b'[["\\"[[[[[[[[", "{{{{"]]'
    assert load_json_strict(data, "in.json", max_depth=2) == [['"[[[[[[[[', "{{{{"]]


def test_depth_error_names_the_line() -> None:
    message = refused(b'{"a":\n [\n  [\n   [1]]]}', max_depth=3)
    assert "deeper than 3 levels (line 4)" in message


def test_100k_deep_nesting_fails_fast_without_recursion_error() -> None:
    started = time.perf_counter()
    message = refused(b"[" * 100_000 + b"]" * 100_000)
    assert "deeper than 64 levels (line 1)" in message
    assert time.perf_counter() - started < 2
    # Unclosed, and with objects: the same clear error.
    assert "deeper than 64" in refused(b'{"a":' * 100_000)


def test_deep_nesting_past_a_raised_limit_is_still_a_clean_error() -> None:
    message = refused(b"[" * 100_000 + b"]" * 100_000, max_depth=1_000_000)
    assert "nests too deeply" in message


def test_a_50mb_single_line_is_refused_in_bounded_time() -> None:
    data = b'["' + b"a" * (50 * 1024 * 1024) + b'"]'
    started = time.perf_counter()
    message = refused(data)
    assert "52,428,804 bytes, more than the 20,971,520 allowed" in message
    assert time.perf_counter() - started < 1


def test_lone_surrogate_escapes_are_refused() -> None:
    assert "unpaired \\u surrogate" in refused(b'{"text": "a \\ud800 b"}')
    assert "unpaired" in refused(b'{"\\udc00": 1}')
    # A proper pair is one character.
    assert load_json_strict(b'["\\ud83d\\ude00"]', "in.json") == ["\U0001f600"]


def test_hostile_key_is_shown_escaped_and_short() -> None:
    key = "x\\n" * 100  # JSON for a key of 100 lines
    message = refused(f'{{"{key}": 1, "{key}": 2}}'.encode())
    assert "\n" not in message and "'x\\nx\\n" in message and "..." in message
    assert len(message) < 200
