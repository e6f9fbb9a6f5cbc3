"""Round 4 of issue 14: a description stands for the organisation the article named
('the company' for National Grid, 'the UK chip designer' for Arm Holdings); a Q&A's
interviewee named only in its caption. Real people collection; nothing is mocked."""

from __future__ import annotations

from factcheck.extract.article import parse_article
from factcheck.extract.sentences import split_sentences
from factcheck.extract.speakers import ORGANIZATION, attribute_speakers


def speakers(text: str) -> list[tuple[str | None, str]]:
    return [(a.speaker, a.rule) for a in attribute_speakers(text, split_sentences(text))]


def test_the_company_is_an_organisation_named_without_a_company_ending() -> None:
    text = (
        "More than 30,000 homes are without power, according to National Grid. "
        "The company said engineers were working to restore supplies."
    )
    found = attribute_speakers(text, split_sentences(text))
    assert found[1].speaker == "National Grid"
    assert found[1].speaker_type == ORGANIZATION


def test_the_company_is_never_a_country() -> None:
    text = (
        "North Korea has repeatedly denied any involvement. "
        "The company said in a statement that profits rose."
    )
    assert speakers(text)[1][0] == "The company"


def test_a_description_stands_for_the_organisation_its_paragraph_named() -> None:
    text = (
        "Shares in Arm Holdings rose 12 per cent on Monday after the UK chip designer said "
        "it had signed a licensing deal."
    )
    assert speakers(text) == [("Arm Holdings", "speech verb: described organisation")]


def test_a_public_body_noun_does_not_take_a_company() -> None:
    text = (
        "Canada's transport regulator has opened an investigation into Northgate Rail Inc "
        "after a derailment, the agency said."
    )
    assert speakers(text)[0][0] != "Northgate Rail"


def test_a_description_is_never_a_fragment_when_nothing_was_named() -> None:
    text = "Shares rose after the UK chip designer said it had signed a deal."
    assert speakers(text) == [("the UK chip designer", "speech verb: organisation or group")]


def test_a_qa_interviewee_named_only_in_the_caption() -> None:
    text = "\n\n".join(
        [
            "'Nobody trains to be a lighthouse keeper any more'",
            "Interview by Tom Jarvis",
            "Morag Finlay at the north light on Fair Isle. Photograph: Murdo MacLeod/The Observer",
            "The last keeper of the north light on storms and solitude.",
            "Q: How long did you keep the light?",
            "A: Eleven years, until they automated it in 1998.",
            "Q: Were you ever frightened?",
            "A: Once, in the January storm of 1993.",
        ]
    )
    layout = parse_article(text)
    spans = [s for p in layout.body for s in split_sentences(text, p.start, p.end)]
    found = {
        text[s.start : s.end]: a.speaker
        for s, a in zip(spans, attribute_speakers(text, spans), strict=True)
    }
    assert found["A: Eleven years, until they automated it in 1998."] == "Morag Finlay"
    assert found["Q: How long did you keep the light?"] == "Tom Jarvis"


def test_a_document_by_a_named_organisation_is_that_organisation() -> None:
    for text, who in [
        (
            "A 2024 survey by the Urban Libraries Council found that libraries were open longer.",
            "Urban Libraries Council",
        ),
        (
            "Crows learn truck schedules, according to a new study from the University of "
            "Washington.",
            "University of Washington",
        ),
    ]:
        assert speakers(text)[0][0] == who


def test_a_study_of_a_topic_is_the_study_and_our_office_is_the_office() -> None:
    assert speakers("A 20-year study of Pacific reefs found that reefs recovered.")[0][0] == (
        "A 20-year study"
    )
    text = "Our public health office estimates that the centers prevented 30 visits."
    assert speakers(text)[0][0] == "public health office"
    text = "The National Assessment of Educational Progress found that scores fell."
    assert speakers(text)[0][0] != "The National Assessment"


def test_the_bank_is_the_bank_of_england_in_any_later_paragraph() -> None:
    text = "The Bank of England raised rates to 5% on Thursday. The bank said inflation was high."
    assert speakers(text)[1][0] == "Bank of England"
    text = (
        "The Department for Transport has delayed the plan.\n\n"
        "Markets fell sharply after the move.\n\n"
        "The department said costs had risen."
    )
    assert speakers(text)[2][0] == "Department for Transport"
