"""Speaker rules written from the house-style dev split (bench/speakers/house-dev): each
rule on its own, then end to end. Real people collection; nothing is mocked."""

from __future__ import annotations

import pytest

from factcheck.extract.sentences import split_sentences
from factcheck.extract.speakers import attribute_speakers, resolve
from factcheck.extract.speakers.people import name_from_run
from factcheck.extract.speakers.resolve import Resolution

from .test_speaker_rules import subject


def speakers(text: str) -> list[str | None]:
    return [a.speaker for a in attribute_speakers(text, split_sentences(text))]


def test_joint_surnames_are_both_people_as_introduced() -> None:
    text = (
        "The chancellor, Priya Mandal, spoke first. The shadow chancellor, Oliver Grant, "
        "replied. Mandal and Grant both"
    )
    found = resolve.joint_surnames(subject(text, "Mandal and Grant both"))
    assert isinstance(found, Resolution)
    assert found.speaker == "Priya Mandal and Oliver Grant"
    # One part that names no one known: no joint speaker.
    assert resolve.joint_surnames(subject(text, "Mandal and the unions")) is None


def test_the_author_of_a_document_speaks_through_it() -> None:
    text = "Grain shippers have complained."
    for phrase, author in [
        (
            "a filing by the Western Grain Shippers Association",
            "Western Grain Shippers Association",
        ),
        ("Analysis by the Campaign for Better Transport", "Campaign for Better Transport"),
    ]:
        found = resolve.document_by_author(subject(text, phrase))
        assert isinstance(found, Resolution) and found.speaker == author
    # A document funded or seen by someone, and an outlet's own analysis, are not theirs.
    assert resolve.document_by_author(subject(text, "a study funded by the NIH")) is None
    assert resolve.document_by_author(subject(text, "analysis by The Times")) is None


def test_the_company_is_an_organisation_that_spoke_under_a_name_without_a_company_ending() -> None:
    text = (
        "OTTAWA (Reuters) - Canada's transport regulator has opened an investigation into "
        "delays on Northgate Rail's western network, the agency said.\n\n"
        "Northgate Rail denied that it had cut crews. The company said snow had closed passes."
    )
    assert speakers(text)[-2:] == ["Northgate Rail", "Northgate Rail"]
    # A regulator that spoke in between is no company.
    text = (
        "Northgate Rail denied that it had cut crews. The Canadian Transportation Commission "
        "said it would investigate. The company said snow had closed two passes."
    )
    assert speakers(text)[-1] == "Northgate Rail"


def test_a_senator_of_a_state_is_the_senator() -> None:
    assert name_from_run("Margaret Lyle of Maine") == ("", "Margaret Lyle")
    text = (
        "Sens. Margaret Lyle of Maine and Tom Haskins of Alaska told reporters they would "
        'oppose the bill. "No," Lyle said.'
    )
    assert speakers(text)[-2:] == ["Margaret Lyle and Tom Haskins", "Margaret Lyle"]


def test_an_acronym_then_an_aside_before_the_verb() -> None:
    text = (
        "The County Councils Network (CCN), which represents 37 English counties, said the "
        "cut would force it to withdraw routes."
    )
    assert speakers(text) == ["The County Councils Network"]


def test_trailing_attribution_with_an_auxiliary_or_a_journal() -> None:
    assert speakers("Villages could lose their bus, council leaders have warned.") == [
        "council leaders"
    ]
    text = "Most bees stopped visiting the flowers, the researchers report in the journal Ecology Letters."
    assert speakers(text) == ["the researchers"]
    # A journal that is no name does not end a trailing attribution (the rules alone; the
    # parser, when installed, finds "the team" as the subject of "report").
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACTCHECK_SPEAKERS_PARSER", "off")
        text = "Bees learn fast, the team report in the journal of record today."
        assert speakers(text) == [None]


def test_a_finding_with_a_place_before_that() -> None:
    text = "Researchers at IBM found in a survey last year that 42% of companies froze hiring."
    assert speakers(text) == ["Researchers at IBM"]
    assert speakers("Researchers at IBM found the samples in a freezer.") == [None]


_SKY_QA = (
    "How bad has it gotten?\n\nThe sky is brighter every year.\n\n"
    "Where is the light coming from?\n\nStreetlights, mostly.\n\n"
    "Is there anything a town can do?\n\nShield the lamps."
)
_CAPTION = (
    "Astronomer Lydia Ferrante at the observatory. Photo courtesy of the University of Arizona"
)


def _body_speakers(text: str) -> list[str | None]:
    sentences = split_sentences(text, text.index("\n\n"))
    body = [a.speaker for a in attribute_speakers(text, sentences)]
    return body[-6:]


def test_a_q_and_a_whose_interviewee_only_a_caption_names_and_the_outlet_asks() -> None:
    text = (
        f"'We are losing the night sky'\n\n{_CAPTION}\n\n"
        "Desert Sky Monthly spoke with the observatory's director about it.\n\n" + _SKY_QA
    )
    assert _body_speakers(text) == ["Desert Sky Monthly", "Lydia Ferrante"] * 3
    # Without an introduction that says who asked, the interviewer stays unnamed.
    text = f"'We are losing the night sky'\n\n{_CAPTION}\n\n{_SKY_QA}"
    assert _body_speakers(text) == [None, "Lydia Ferrante"] * 3


def test_a_caption_without_a_credit_or_long_questions_make_no_q_and_a() -> None:
    uncredited = _CAPTION.split(". Photo")[0] + "."
    text = f"'We are losing the night sky'\n\n{uncredited}\n\n{_SKY_QA}"
    assert _body_speakers(text) == [None] * 6
    long_question = "Is there anything at all " + "that a small town " * 6 + "can do?"
    text = f"'We are losing the night sky'\n\n{_CAPTION}\n\n" + _SKY_QA.replace(
        "Is there anything a town can do?", long_question
    )
    assert _body_speakers(text) == [None] * 6
