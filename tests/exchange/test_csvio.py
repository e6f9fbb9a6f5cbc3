"""Claims CSV: exact round trips, formula neutralising, and strict one-line refusals."""

from __future__ import annotations

import io
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.errors import InvalidInput
from factcheck.exchange.csvio import (
    CSV_COLUMNS,
    iter_claims_csv,
    neutralise,
    read_claims_csv,
    unneutralise,
    write_claims_csv,
)


def written(rows: list[dict[str, object]]) -> bytes:
    out = io.StringIO(newline="")
    write_claims_csv(rows, out)
    return out.getvalue().encode("utf-8")


Reader = Callable[..., list[dict[str, str | None]]]


def from_bytes(data: bytes, name: str = "sheet.csv", **limits: int) -> list[dict[str, str | None]]:
    return read_claims_csv(data, name, **limits)


def from_file(data: bytes, name: str = "sheet.csv", **limits: int) -> list[dict[str, str | None]]:
    # A temporary directory rather than tmp_path, so hypothesis tests can use it too.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.csv"
        path.write_bytes(data)
        return list(iter_claims_csv(path, name, **limits))


# Every reading test runs against both entry points: they share one row checker.
both_readers = pytest.mark.parametrize("read", [from_bytes, from_file], ids=["bytes", "file"])


def refused(data: bytes, read: Reader = from_bytes, **limits: int) -> str:
    with pytest.raises(InvalidInput) as caught:
        read(data, "sheet.csv", **limits)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("sheet.csv")
    return message


HOSTILE_TEXTS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rcarriage",
    "'=already quoted",
    "''=two apostrophes",
    "'plain apostrophe",
    "'",
    'Commas, "quotes" and\nnewlines\r\nand CRLF',
    "Ünïcödé — 東京 🙂 \u200f",
    "  spaces kept  ",
    "trailing CR\r",
]


def test_neutralise_follows_owasp() -> None:
    for cell in ("=1", "+1", "-1", "@x", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    for cell in ("", "plain", "1-2", "a=b", " =x", "'plain"):
        assert neutralise(cell) == cell
    # An apostrophe already in front is kept, so import can tell the two apart.
    assert neutralise("'=x") == "''=x"


def test_unneutralise_drops_only_the_added_apostrophe() -> None:
    assert unneutralise("'=1") == "=1"
    assert unneutralise("'\tx") == "\tx"
    assert unneutralise("''=x") == "'=x"
    for cell in ("'plain", "'", "''", "' =x", "=1", "plain"):
        assert unneutralise(cell) == cell


@given(st.text())
def test_neutralise_round_trips_any_text(cell: str) -> None:
    assert unneutralise(neutralise(cell)) == cell


def test_written_sheet_has_the_header_and_neutralised_cells() -> None:
    out = io.StringIO(newline="")
    count = write_claims_csv(
        iter([{"text": "=1+1", "speaker": None, "score": 0.5, "unknown_key": "ignored"}]), out
    )
    assert count == 1
    header, row = out.getvalue().split("\r\n")[:2]
    assert header == ",".join(CSV_COLUMNS)
    cells = row.split(",")
    assert len(cells) == len(CSV_COLUMNS)
    assert cells[CSV_COLUMNS.index("text")] == "'=1+1"
    assert cells[CSV_COLUMNS.index("speaker")] == ""
    assert cells[CSV_COLUMNS.index("score")] == "0.5"
    assert "ignored" not in out.getvalue()


def test_writer_streams_from_a_generator() -> None:
    seen: list[int] = []

    def rows():  # type: ignore[no-untyped-def]
        for number in range(3):
            seen.append(number)
            yield {"text": f"claim {number}"}

    assert write_claims_csv(rows(), io.StringIO(newline="")) == 3
    assert seen == [0, 1, 2]


@both_readers
def test_round_trip_is_exact_for_hostile_text(read: Reader) -> None:
    rows = [
        {
            "uuid": f"uuid-{number}",
            "text": text,
            "summary": text,
            "speaker": "-Dash Speaker",
            "score": 0.25,
            "created_at": "2024-01-02T03:04:05",
        }
        for number, text in enumerate(HOSTILE_TEXTS)
    ]
    back = read(written(rows), "sheet.csv")
    assert len(back) == len(rows)
    for row, got in zip(rows, back, strict=True):
        assert set(got) == set(CSV_COLUMNS)
        assert got["text"] == row["text"]
        assert got["summary"] == row["text"]
        assert got["speaker"] == "-Dash Speaker"
        assert got["uuid"] == row["uuid"]
        assert got["score"] == "0.25"
        assert got["created_at"] == "2024-01-02T03:04:05"
        assert got["verdict"] is None  # empty cell -> None


@both_readers
@given(st.lists(st.text().filter(lambda t: t.strip() and "\x00" not in t), min_size=1, max_size=5))
def test_round_trip_property(read: Reader, texts: list[str]) -> None:
    back = read(written([{"text": t, "speaker": t} for t in texts]), "sheet.csv")
    assert [r["text"] for r in back] == texts
    assert [r["speaker"] for r in back] == texts


@both_readers
def test_a_sheet_with_only_text_is_enough(read: Reader) -> None:
    rows = read(b"text\nThe sky is green.\nTaxes rose 40%.\n", "sheet.csv")
    assert [r["text"] for r in rows] == ["The sky is green.", "Taxes rose 40%."]
    assert all(r[c] is None for r in rows for c in CSV_COLUMNS if c != "text")


@both_readers
def test_any_subset_of_columns_in_any_order_with_bom_and_crlf(read: Reader) -> None:
    data = b'\xef\xbb\xbfSpeaker, text ,claim_date\r\nAnn,"Said, with comma",2024-05-01\r\n,x,\r\n'
    rows = read(data, "sheet.csv")
    assert rows[0]["speaker"] == "Ann" and rows[0]["text"] == "Said, with comma"
    assert rows[0]["claim_date"] == "2024-05-01"
    assert rows[1] == {**dict.fromkeys(CSV_COLUMNS), "text": "x"}


@both_readers
def test_cells_are_not_stripped_and_user_apostrophes_stay(read: Reader) -> None:
    rows = read(b"text,speaker\n  padded  ,'Quoted\n'plain,'\n", "sheet.csv")
    assert rows[0]["text"] == "  padded  " and rows[0]["speaker"] == "'Quoted"
    assert rows[1]["text"] == "'plain" and rows[1]["speaker"] == "'"


@both_readers
def test_blank_lines_and_empty_trailing_rows_are_skipped(read: Reader) -> None:
    rows = read(b"text,speaker\n\nA,b\n,\n\n", "sheet.csv")
    assert [r["text"] for r in rows] == ["A"]
    assert read(b"text\n", "sheet.csv") == []


@both_readers
def test_utf16_is_refused_with_a_fix(read: Reader) -> None:
    for data in (
        "text\nA claim\n".encode("utf-16"),
        "text\nA claim\n".encode("utf-16-le"),
        "text\nA claim\n".encode("utf-16-be"),
    ):
        message = refused(data, read)
        assert "UTF-16" in message and "save it as UTF-8" in message


@both_readers
def test_nul_byte_names_the_line(read: Reader) -> None:
    message = refused(b"text\nok\r\nbad\x00here\n", read)
    assert "NUL byte on line 3" in message


@both_readers
def test_invalid_utf8_names_the_line(read: Reader) -> None:
    message = refused(b'text\nok\n"multi\nline"\ncaf\xe9\n', read)
    assert "not valid UTF-8 on line 5" in message and "save it as UTF-8" in message
    # A byte sequence split by the decoder's read-ahead, and a truncated one at the very end.
    assert "UTF-8 on line 2" in refused(b"text\n" + b"\xc3\xa9" * 5000 + b"\xc3\n", read)
    assert "UTF-8 on line 3" in refused(b"text\nok\r\nend\xe2\x82", read)


@both_readers
def test_the_first_problem_in_the_file_is_the_one_reported(read: Reader) -> None:
    # Rows are checked in file order, so a ragged row above bad bytes is what gets named.
    message = refused(b'text\nok\n"multi\nline",\ncaf\xe9\n\x00\n', read)
    assert "line 3 has 2 cells but the header has 1" in message
    assert "not valid UTF-8 on line 2" in refused(b"text\ncaf\xe9,\n\x00\n", read)
    # Within one line, a NUL byte is reported before bad UTF-8, as when the whole file was checked.
    assert "NUL byte on line 2" in refused(b"text\ncaf\xe9\x00\n", read)


@both_readers
def test_ragged_rows_name_line_and_counts(read: Reader) -> None:
    message = refused(b"text,speaker\nA,b\nC,d,e\n", read)
    assert "line 3 has 3 cells but the header has 2" in message
    assert "line 2 has 1 cell but" in refused(b"text,speaker\nA\n", read)


@both_readers
def test_line_numbers_count_physical_lines_inside_quoted_cells(read: Reader) -> None:
    message = refused(b'text,speaker\n"one\ntwo\nthree",x\nonly-one\n', read)
    assert "line 5 has 1 cell" in message


@both_readers
def test_unterminated_quote_names_the_line_it_started_on(read: Reader) -> None:
    message = refused(b'text\nfine\n"never closed\nmore\nlines\n', read)
    assert "starts on line 3 is never closed" in message


@both_readers
def test_text_after_a_closing_quote_is_refused(read: Reader) -> None:
    message = refused(b'text,speaker\n"quoted"tail,x\n', read)
    assert "line 2 is not valid CSV" in message


@both_readers
def test_oversized_cell_is_refused(read: Reader) -> None:
    message = refused(b'text\n"' + b"a" * 200_000 + b'"\n', read)
    assert "line 2 has a cell longer than 131,072 characters" in message


@both_readers
def test_header_problems(read: Reader) -> None:
    assert "column 'text' twice" in refused(b"text,Text\nA,B\n", read)
    assert "no 'text' column" in refused(b"speaker,summary\nA,B\n", read)
    message = refused(b"text,foo,Bar\nA,B,C\n", read)
    assert "unknown column(s) 'foo', 'bar'" in message
    assert "use only id, uuid, text, summary" in message and "created_by" in message
    assert "column 2 of the header has no name" in refused(b"text,\nA,B\n", read)
    assert "separate cells with semicolons" in refused(b"text;speaker\nA;B\n", read)
    assert "is empty" in refused(b"", read)
    assert "is empty" in refused(b"\r\n\r\n", read)


@both_readers
def test_empty_text_cell_names_the_line(read: Reader) -> None:
    assert "line 3 has an empty text cell" in refused(b"text,speaker\nA,x\n,Bob\n", read)
    assert "line 2 has an empty text cell" in refused(b"text,speaker\n   ,Bob\n", read)


@both_readers
def test_one_bad_row_means_no_rows(read: Reader) -> None:
    data = b"text\n" + b"good\n" * 1000 + b'"bad\n'
    refused(data, read)


@both_readers
def test_size_limit_is_checked_first(read: Reader) -> None:
    message = refused(b"text\n" + b"a\n" * 100, read, max_bytes=10)
    assert "205 bytes, more than the 10 allowed" in message


@both_readers
def test_readers_agree_on_a_mixed_sheet(read: Reader) -> None:
    data = (
        b"\xef\xbb\xbftext,Speaker,verdict\r\n"
        b"'=1+1,'@ann,\r\n"
        b'"multi\r\nline\rcell","a, b",true\n'
        b",,\r"
        b"\xe6\x9d\xb1\xe4\xba\xac,''-x,\r\n"
    )
    assert read(data) == read_claims_csv(data, "sheet.csv")
    assert [row["text"] for row in read(data)] == ["=1+1", "multi\r\nline\rcell", "東京"]
    assert [row["speaker"] for row in read(data)] == ["@ann", "a, b", "'-x"]


def read_until_refused(path: Path) -> tuple[list[str | None], str]:
    """The texts iter_claims_csv yields before it raises, and its message."""
    texts: list[str | None] = []
    with pytest.raises(InvalidInput) as caught:
        for row in iter_claims_csv(path, "sheet.csv"):
            texts.append(row["text"])
    return texts, str(caught.value)


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (b"C,d,e\n", "line 4 has 3 cells but the header has 2"),
        (b",Bob\n", "line 4 has an empty text cell"),
        (b'"never closed\nmore\n', "a quoted cell that starts on line 4 is never closed"),
        (b'"quoted"tail,x\n', "line 4 is not valid CSV"),
        (b"bad\x00here,x\n", "NUL byte on line 4"),
        (b"caf\xe9,x\n", "not valid UTF-8 on line 4"),
        (b'"a\n' + b"a" * 200_000 + b'",x\n', "line 4 has a cell longer than 131,072"),
    ],
)
def test_iter_yields_the_rows_before_a_bad_line_then_refuses(
    tmp_path: Path, bad: bytes, expected: str
) -> None:
    # Two good rows, both far inside the first read-ahead chunk, so an eager check would fail first.
    path = tmp_path / "sheet.csv"
    path.write_bytes(b"text,speaker\nA,x\nB,y\n" + bad + b"C,z\n")
    texts, message = read_until_refused(path)
    assert texts == ["A", "B"]
    assert message.startswith("sheet.csv") and expected in message


def test_iter_refuses_a_late_bad_row_after_yielding_every_row_before_it(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(b"text\n" + b"good\n" * 50_000 + b"caf\xe9\n" + b"good\n" * 10)
    texts, message = read_until_refused(path)
    assert len(texts) == 50_000
    assert message == (
        "sheet.csv is not valid UTF-8 on line 50002: save it as UTF-8 (in Excel: CSV UTF-8)"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("text\nA claim\n".encode("utf-16"), "looks like UTF-16"),
        ("text\nA claim\n".encode("utf-16-be"), "looks like UTF-16"),
        (b"text\n" + b"a\n" * 100, "205 bytes, more than the 10 allowed"),
    ],
)
def test_iter_refuses_size_and_utf16_before_yielding_anything(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(data)
    rows = iter_claims_csv(path, "sheet.csv", max_bytes=10 if b"a\n" in data else 2**31)
    with pytest.raises(InvalidInput, match=expected):
        next(rows)


def test_iter_names_the_file_by_its_path_by_default(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(b"text\n,\n\n\x20\n")
    with pytest.raises(InvalidInput) as caught:
        list(iter_claims_csv(path))
    assert str(caught.value) == f"{path}: line 4 has an empty text cell: every claim needs text"


def test_iter_reads_300k_rows_in_bounded_memory(tmp_path: Path) -> None:
    count = 300_000
    path = tmp_path / "big.csv"
    # About 200 bytes a row, as in the 1,000,000-row sheets this is for.
    with path.open("w", encoding="utf-8", newline="") as out:
        header = "uuid,text,summary,speaker,status,claim_date,source_url,source_title,score"
        out.write(header + "\r\n")
        for number in range(count):
            out.write(
                f"{number:032x},Claim {number}: unemployment fell by {number % 97} percent,"
                f"'=summary,Minister,open,2024-05-01,https://news.example/{number},"
                f'"Evening news, 1 May 2024: the economy segment",0.5\r\n'
            )
    assert path.stat().st_size > 50 * 1024 * 1024  # reading it whole would break the limit
    seen, row = 0, None
    tracemalloc.start()
    try:
        for seen, row in enumerate(iter_claims_csv(path), 1):  # noqa: B007
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seen == count and row is not None
    assert row["text"] == f"Claim {count - 1}: unemployment fell by {(count - 1) % 97} percent"
    assert (
        row["summary"] == "=summary"
        and row["source_title"] == "Evening news, 1 May 2024: the economy segment"
    )
    assert peak < 50 * 1024 * 1024, f"peak {peak:,} bytes"
