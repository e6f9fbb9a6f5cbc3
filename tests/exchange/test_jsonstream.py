"""The streaming reader of desk exports: the same values as json.loads, whatever the chunking."""

from __future__ import annotations

import io
import json

import pytest

from factcheck.errors import InvalidInput
from factcheck.exchange import jsonstream

DOC = {
    "format": "factcheck-desk",
    "version": 1,
    "claim": [
        {"text": 'Ünïcödé “quotes” 🦀 and \\ escapes \n\t"', "score": 0.8125, "n": 12345678901},
        {"text": "second", "score": -1.5e-7, "n": 0, "ok": True, "none": None},
    ],
    "empty": [],
    "source": [{"title": "x" * 50}],
    "exported_at": "2026-12-02T00:00:00+00:00",
}


def read(data: bytes, streamed: frozenset[str] = frozenset({"claim", "source", "empty"})):  # type: ignore[no-untyped-def]
    return list(jsonstream.iter_object(io.BytesIO(data), "in.json", streamed))


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_every_chunking_gives_what_json_loads_gives(
    monkeypatch: pytest.MonkeyPatch, chunk: int, indent: int | None
) -> None:
    """Chunk edges fall inside numbers, escapes and multi-byte characters."""
    monkeypatch.setattr(jsonstream, "_CHUNK", chunk)
    data = b"\xef\xbb\xbf" + json.dumps(DOC, ensure_ascii=False, indent=indent).encode()
    got = read(data)
    assert [(k, v) for k, v, row in got if row and k == "claim"] == [
        ("claim", row) for row in DOC["claim"]
    ]
    assert [v for k, v, row in got if not row] == ["factcheck-desk", 1, DOC["exported_at"]]
    assert not any(k == "empty" for k, _, _ in got)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"[1]", "expected a JSON object"),
        (b'{"claim": [{"a": 1}, {"a": 1, "a": 2}]}', "twice"),
        (b'{"a": 1, "a": 1}', "twice"),
        (b'{"claim": [{"a": NaN}]}', "NaN"),
        (b'{"claim": [{"a": 1' + b"0" * 40 + b"}]}", "digits"),
        (b'{"claim": [{"a": "\\ud800"}]}', "surrogate"),
        (b'{"claim": [{"a": 1}] "x": 2}', "expected ',' or '}'"),
        (b'{"claim": [{"a": 1}}', "expected ',' or ']'"),
        (b'{"claim": [{"a": 1}]', "expected ',' or '}'"),
        (b'{"claim": [{"a": "open', "Unterminated string"),
        (b'{"a": 1} {"b": 2}', "extra text"),
        (b'{"a": "\xff"}', "not valid UTF-8 at byte 7"),
        (b'{"claim": ' + b"[" * 100000, "deep"),
        (b'{"a":\n 1,\n "b": tru}', "line 3, column 7"),
    ],
)
def test_bad_documents_are_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        read(data)
    assert "\n" not in str(caught.value)


def test_a_row_that_never_ends_is_refused_without_reading_it_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jsonstream, "_MAX_VALUE", 1000)
    monkeypatch.setattr(jsonstream, "_CHUNK", 100)
    with pytest.raises(InvalidInput, match="longer than 1,000 characters"):
        read(b'{"claim": [{"text": "' + b"x" * 5000 + b'"}]}')
