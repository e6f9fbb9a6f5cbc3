"""Sentence and paragraph splitting: exact offsets, news abbreviations, quotes."""

from __future__ import annotations

import pytest

from factcheck.extract.sentences import Span, split_paragraphs, split_sentences, trim


def texts(text: str) -> list[str]:
    spans = split_sentences(text)
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text == span.text.strip()
    return [span.text for span in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. Treasury said on Monday it would act. Officials declined to comment.",
            ["The U.S. Treasury said on Monday it would act.", "Officials declined to comment."],
        ),
        (
            "Mr. Powell met Dr. Jane Smith and Sen. Elizabeth Warren. They talked.",
            ["Mr. Powell met Dr. Jane Smith and Sen. Elizabeth Warren.", "They talked."],
        ),
        (
            "Acme Inc. reported $1.5 billion in Sept. last year. Shares rose 4.1 percent.",
            ["Acme Inc. reported $1.5 billion in Sept. last year.", "Shares rose 4.1 percent."],
        ),
        (
            "J. K. Rowling published a book. It sold 2.3 million copies, said George W. Bush.",
            ["J. K. Rowling published a book.", "It sold 2.3 million copies, said George W. Bush."],
        ),
        (
            "Then Gov. Gavin Newsom spoke. Rep. Nancy Pelosi and Lt. Dan Cole did not.",
            ["Then Gov. Gavin Newsom spoke.", "Rep. Nancy Pelosi and Lt. Dan Cole did not."],
        ),
    ],
)
def test_abbreviations_initials_and_decimals_do_not_split(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_quote_spanning_sentences_is_split_and_closing_quote_stays_with_its_sentence() -> None:
    text = '"First we fix the roads. Then we fix the schools," he said. It costs $2 billion.'
    assert texts(text) == [
        '"First we fix the roads.',
        'Then we fix the schools," he said.',
        "It costs $2 billion.",
    ]
    assert texts('He called the plan "a disaster." Officials disagreed.') == [
        'He called the plan "a disaster."',
        "Officials disagreed.",
    ]
    assert texts("“We were not warned. Nobody called us.” The mayor spoke.") == [
        "“We were not warned.",
        "Nobody called us.”",
        "The mayor spoke.",
    ]


def test_blank_lines_always_end_a_sentence() -> None:
    text = "The first paragraph has no full stop\n\nThe second one does."
    assert texts(text) == ["The first paragraph has no full stop", "The second one does."]


def test_offsets_are_into_the_original_text_with_start_and_end() -> None:
    text = "Intro.\n\n  Alpha one. Beta two.  \n\nGamma."
    start = text.index("Alpha")
    spans = split_sentences(text, start, text.index("Gamma"))
    assert spans == [
        Span(start, start + 10, "Alpha one."),
        Span(start + 11, start + 20, "Beta two."),
    ]


def test_crlf_bom_zero_width_and_empty_input() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n\n \r\n") == []
    text = "\ufeffHello there.\r\n\r\nSecond para.\u200b Third one."
    assert texts(text) == ["Hello there.", "Second para.", "Third one."]


def test_odd_unicode_does_not_raise() -> None:
    text = "Émile Zola wrote 🙂. Ça va?\u2028Next\u0000line \udcff."
    for span in split_sentences(text):
        assert text[span.start : span.end] == span.text


def test_one_paragraph_per_line_versus_hard_wrapped_text() -> None:
    pasted = "A headline without a stop\nThe body starts here. It goes on."
    assert [p.text for p in split_paragraphs(pasted)] == [
        "A headline without a stop",
        "The body starts here. It goes on.",
    ]
    line = "word " * 14  # ~70 characters per line, like an email
    wrapped = f"{line}\n{line}\n{line}end."
    assert len(split_paragraphs(wrapped)) == 1
    assert texts("He wrote in a hyphen-\nated word that is long enough to wrap around here.")


def test_trim() -> None:
    assert trim("  ab  ", 0, 6) == Span(2, 4, "ab")
    assert trim("   ", 0, 3) is None


def test_a_dateline_is_not_a_sentence_of_its_own() -> None:
    text = "BRUSSELS (Reuters) - The Commission fined Google on Tuesday. It will appeal."
    assert texts(text) == [
        "BRUSSELS (Reuters) - The Commission fined Google on Tuesday.",
        "It will appeal.",
    ]
