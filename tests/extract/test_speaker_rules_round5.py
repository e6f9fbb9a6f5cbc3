"""Speaker rules, round 5 (issue 14): interview labels that name an outlet, and a page's
button that is no writer's name."""

from __future__ import annotations

from factcheck.extract.sentences import split_sentences
from factcheck.extract.speakers import attribute_speakers

QA = (
    "Glaciers are melting faster than ever\n\n"
    "Save Article\n\n"
    "Glaciologist Katrin Brandt has measured Swiss glaciers for twenty years.\n\n"
    "DER SPIEGEL: Ms. Brandt, this summer the glaciers lost 3 percent of their ice. "
    "Does that still surprise you?\n\n"
    "Brandt: No. We have seen it coming for a decade.\n\n"
    "DER SPIEGEL: What would actually help?\n\n"
    "Brandt: Cutting emissions, nothing else.\n"
)


def _speaker_of(text: str, start: str) -> str | None:
    sentences = split_sentences(text)
    found = attribute_speakers(text, sentences)
    return next(
        a.speaker for s, a in zip(sentences, found, strict=True) if s.text.startswith(start)
    )


def test_an_outlet_label_asks_the_questions() -> None:
    assert _speaker_of(QA, "DER SPIEGEL: Ms. Brandt") == "Der Spiegel"
    assert _speaker_of(QA, "Does that still surprise") == "Der Spiegel"
    assert _speaker_of(QA, "DER SPIEGEL: What would") == "Der Spiegel"
    assert _speaker_of(QA, "Brandt: No.") == "Katrin Brandt"


def test_a_writer_named_on_a_line_of_its_own_still_asks() -> None:
    """The near miss: a lone line that starts with a first name is the byline, and a label
    that is the writer's surname is the writer."""
    text = QA.replace("Save Article", "Jonas Weber").replace("DER SPIEGEL:", "Weber:")
    assert _speaker_of(text, "Weber: What would") == "Jonas Weber"
    assert _speaker_of(text, "Brandt: Cutting") == "Katrin Brandt"
