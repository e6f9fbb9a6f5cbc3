"""Claims CSV: exact round trips, formula neutralising, and strict one-line refusals."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.errors import InvalidInput
from factcheck.exchange.csvio import (
    CSV_COLUMNS,
    neutralise,
    read_claims_csv,
    unneutralise,
    write_claims_csv,
)


def written(rows: list[dict[str, object]]) -> bytes:
    out = io.StringIO(newline="")
    write_claims_csv(rows, out)
    return out.getvalue().encode("utf-8")


def refused(data: bytes, **limits: int) -> str:
    with pytest.raises(InvalidInput) as caught:
        read_claims_csv(data, "sheet.csv", **limits)
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


def test_round_trip_is_exact_for_hostile_text() -> None:
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
    back = read_claims_csv(written(rows), "sheet.csv")
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


@given(st.lists(st.text().filter(lambda t: t.strip() and "\x00" not in t), min_size=1, max_size=5))
def test_round_trip_property(texts: list[str]) -> None:
    back = read_claims_csv(written([{"text": t, "speaker": t} for t in texts]), "sheet.csv")
    assert [r["text"] for r in back] == texts
    assert [r["speaker"] for r in back] == texts


def test_a_sheet_with_only_text_is_enough() -> None:
    rows = read_claims_csv(b"text\nThe sky is green.\nTaxes rose 40%.\n", "sheet.csv")
    assert [r["text"] for r in rows] == ["The sky is green.", "Taxes rose 40%."]
    assert all(r[c] is None for r in rows for c in CSV_COLUMNS if c != "text")


def test_any_subset_of_columns_in_any_order_with_bom_and_crlf() -> None:
    data = b'\xef\xbb\xbfSpeaker, text ,claim_date\r\nAnn,"Said, with comma",2024-05-01\r\n,x,\r\n'
    rows = read_claims_csv(data, "sheet.csv")
    assert rows[0]["speaker"] == "Ann" and rows[0]["text"] == "Said, with comma"
    assert rows[0]["claim_date"] == "2024-05-01"
    assert rows[1] == {**dict.fromkeys(CSV_COLUMNS), "text": "x"}


def test_cells_are_not_stripped_and_user_apostrophes_stay() -> None:
    rows = read_claims_csv(b"text,speaker\n  padded  ,'Quoted\n'plain,'\n", "sheet.csv")
    assert rows[0]["text"] == "  padded  " and rows[0]["speaker"] == "'Quoted"
    assert rows[1]["text"] == "'plain" and rows[1]["speaker"] == "'"


def test_blank_lines_and_empty_trailing_rows_are_skipped() -> None:
    rows = read_claims_csv(b"text,speaker\n\nA,b\n,\n\n", "sheet.csv")
    assert [r["text"] for r in rows] == ["A"]
    assert read_claims_csv(b"text\n", "sheet.csv") == []


def test_utf16_is_refused_with_a_fix() -> None:
    for data in (
        "text\nA claim\n".encode("utf-16"),
        "text\nA claim\n".encode("utf-16-le"),
        "text\nA claim\n".encode("utf-16-be"),
    ):
        message = refused(data)
        assert "UTF-16" in message and "save it as UTF-8" in message


def test_nul_byte_names_the_line() -> None:
    message = refused(b"text\nok\r\nbad\x00here\n")
    assert "NUL byte on line 3" in message


def test_invalid_utf8_names_the_line() -> None:
    message = refused(b'text\nok\n"multi\nline",\ncaf\xe9\n')
    assert "not valid UTF-8 on line 5" in message and "save it as UTF-8" in message


def test_ragged_rows_name_line_and_counts() -> None:
    message = refused(b"text,speaker\nA,b\nC,d,e\n")
    assert "line 3 has 3 cells but the header has 2" in message
    assert "line 2 has 1 cell but" in refused(b"text,speaker\nA\n")


def test_line_numbers_count_physical_lines_inside_quoted_cells() -> None:
    message = refused(b'text,speaker\n"one\ntwo\nthree",x\nonly-one\n')
    assert "line 5 has 1 cell" in message


def test_unterminated_quote_names_the_line_it_started_on() -> None:
    message = refused(b'text\nfine\n"never closed\nmore\nlines\n')
    assert "starts on line 3 is never closed" in message


def test_text_after_a_closing_quote_is_refused() -> None:
    message = refused(b'text,speaker\n"quoted"tail,x\n')
    assert "line 2 is not valid CSV" in message


def test_oversized_cell_is_refused() -> None:
    message = refused(b'text\n"' + b"a" * 200_000 + b'"\n')
    assert "line 2 has a cell longer than 131,072 characters" in message


def test_header_problems() -> None:
    assert "column 'text' twice" in refused(b"text,Text\nA,B\n")
    assert "no 'text' column" in refused(b"speaker,summary\nA,B\n")
    message = refused(b"text,foo,Bar\nA,B,C\n")
    assert "unknown column(s) 'foo', 'bar'" in message
    assert "use only uuid, text, summary" in message and "created_by" in message
    assert "column 2 of the header has no name" in refused(b"text,\nA,B\n")
    assert "separate cells with semicolons" in refused(b"text;speaker\nA;B\n")
    assert "is empty" in refused(b"")
    assert "is empty" in refused(b"\r\n\r\n")


def test_empty_text_cell_names_the_line() -> None:
    assert "line 3 has an empty text cell" in refused(b"text,speaker\nA,x\n,Bob\n")
    assert "line 2 has an empty text cell" in refused(b"text,speaker\n   ,Bob\n")


def test_one_bad_row_means_no_rows() -> None:
    data = b"text\n" + b"good\n" * 1000 + b'"bad\n'
    refused(data)


def test_size_limit_is_checked_first() -> None:
    message = refused(b"text\n" + b"a\n" * 100, max_bytes=10)
    assert "205 bytes, more than the 10 allowed" in message
