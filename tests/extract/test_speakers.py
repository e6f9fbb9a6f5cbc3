"""Speaker attribution on small hand-written texts: quotes, reported speech, references."""

from __future__ import annotations

from factcheck.extract.sentences import split_sentences
from factcheck.extract.speakers import (
    DIRECT_QUOTE,
    NARRATION,
    REPORTED,
    Attribution,
    attribute_speakers,
    find_people,
    find_quotes,
)


def attribute(text: str) -> list[tuple[str, str | None, str, str | None]]:
    sentences = split_sentences(text)
    return [
        (s.text, a.speaker, a.kind, a.cites)
        for s, a in zip(sentences, attribute_speakers(text, sentences), strict=True)
    ]


def speakers(text: str) -> list[tuple[str | None, str]]:
    return [(speaker, kind) for _, speaker, kind, _ in attribute(text)]


def test_quote_then_attribution_resolves_surname_to_full_name() -> None:
    text = 'Tom Bossert spoke on Monday. "The attack was reckless," Bossert wrote in a column.'
    assert speakers(text)[1] == ("Tom Bossert", DIRECT_QUOTE)


def test_curly_and_straight_quotes_and_attribution_before_the_quote() -> None:
    assert speakers("Jane Roe runs the clinic. Roe said: “We will stay open all winter.”")[1] == (
        "Jane Roe",
        DIRECT_QUOTE,
    )
    assert speakers('Jane Roe runs the clinic. Roe said: "We will stay open all winter."')[1] == (
        "Jane Roe",
        DIRECT_QUOTE,
    )


def test_attribution_in_the_middle_of_a_quote() -> None:
    text = "Ann Lee leads the union. “We tried everything,” she said, “but nothing worked.”"
    assert speakers(text)[1] == ("Ann Lee", DIRECT_QUOTE)


def test_inverted_attribution_with_title() -> None:
    text = '"That is optimistic," said Dr. Ann Lee, an economist at Acme Inc.'
    assert speakers(text) == [("Ann Lee", DIRECT_QUOTE)]
    assert [p.roles for p in find_people(text, split_sentences(text))] == [["economist"]]


def test_every_sentence_of_a_multi_sentence_quote_gets_the_speaker() -> None:
    text = 'Mayor John Park spoke. "Fix the roads. Fix the schools. Then the rest," Park wrote.'
    assert speakers(text) == [
        (None, NARRATION),
        ("John Park", DIRECT_QUOTE),
        ("John Park", DIRECT_QUOTE),
        ("John Park", DIRECT_QUOTE),
    ]


def test_quote_that_opens_in_one_sentence_and_closes_in_a_later_one() -> None:
    text = (
        "“The vaccine is safe,” Dr. Maria Garcia told The New York Times. “We have the data. "
        "It is clear.”\n\nThe trial ended in May."
    )
    assert attribute(text) == [
        (
            "“The vaccine is safe,” Dr. Maria Garcia told The New York Times.",
            "Maria Garcia",
            DIRECT_QUOTE,
            "New York Times",
        ),
        ("“We have the data.", "Maria Garcia", DIRECT_QUOTE, "New York Times"),
        ("It is clear.”", "Maria Garcia", DIRECT_QUOTE, "New York Times"),
        ("The trial ended in May.", None, NARRATION, None),
    ]


def test_quote_paragraph_continues_previous_speaker_and_quote_across_paragraphs() -> None:
    text = (
        "Health minister Sara Diaz said the plan would work.\n\n"
        "“It has been tested in three regions.\n\n"
        "“We are confident,” Diaz added."
    )
    assert speakers(text) == [
        ("Sara Diaz", REPORTED),
        ("Sara Diaz", DIRECT_QUOTE),
        ("Sara Diaz", DIRECT_QUOTE),
    ]


def test_reported_speech_verbs_and_outlets() -> None:
    text = (
        "Senator Elizabeth Warren criticised the bank. "
        "She told CNN that the fine was too small. "
        "Warren warned that more banks would fail. "
        "Warren argued on her Facebook page that regulators were asleep."
    )
    assert [(s, k, c) for _, s, k, c in attribute(text)] == [
        ("Elizabeth Warren", REPORTED, None),
        ("Elizabeth Warren", REPORTED, "CNN"),
        ("Elizabeth Warren", REPORTED, None),
        ("Elizabeth Warren", REPORTED, "her Facebook page"),
    ]


def test_according_to() -> None:
    text = "Brad Smith runs the company. According to Smith, sales doubled last year."
    assert speakers(text)[1] == ("Brad Smith", REPORTED)
    text = "According to the Financial Times, the deal is worth $2 billion."
    assert attribute(text)[0][1:] == ("the Financial Times", REPORTED, "Financial Times")


def test_role_description_resolves_to_the_person_introduced_with_that_role() -> None:
    text = (
        "Acme chief executive Tim Cook announced the deal. "
        "The chief executive said sales would rise."
    )
    assert speakers(text) == [("Tim Cook", REPORTED), ("Tim Cook", REPORTED)]


def test_appositive_role_before_the_name() -> None:
    text = (
        "Homeland security advisor to the president, Tom Bossert, told reporters that it was over."
    )
    people = find_people(text, split_sentences(text))
    assert [(p.name, p.roles) for p in people] == [("Tom Bossert", ["Homeland security advisor"])]
    assert speakers(text) == [("Tom Bossert", REPORTED)]


def test_appositive_role_after_the_name() -> None:
    text = "Tom Jones, a spokesman for the ministry, said the law was clear."
    assert speakers(text) == [("Tom Jones", REPORTED)]
    text = '"It is over," Johnson, the former prime minister, told the BBC.'
    assert attribute(text)[0][1:] == ("Johnson", DIRECT_QUOTE, "BBC")


def test_pronoun_takes_the_most_recent_person_speaker() -> None:
    text = (
        "Jacinda Ardern met Joe Biden on Monday. Ardern said trade would grow. "
        "She added that talks would resume."
    )
    assert speakers(text)[1:] == [("Jacinda Ardern", REPORTED), ("Jacinda Ardern", REPORTED)]


def test_organisations_and_countries_speak_but_are_not_people() -> None:
    text = (
        "The Kremlin denied the report. North Korea has repeatedly denied any involvement. "
        "The company said in a statement that profits rose. It added that sales fell. "
        "Police said a man was arrested."
    )
    assert speakers(text) == [
        ("The Kremlin", REPORTED),
        ("North Korea", REPORTED),
        ("The company", REPORTED),
        ("The company", REPORTED),
        ("Police", REPORTED),
    ]
    assert find_people(text, split_sentences(text)) == []


def test_narration_passives_and_scare_quotes() -> None:
    text = (
        "He was accused of fraud in 2019. The charges were dropped. "
        "The group thought to be behind the hack is called ‘Lazarus’. "
        "Residents were told to leave."
    )
    assert {kind for _, kind in speakers(text)} == {NARRATION}
    assert {speaker for speaker, _ in speakers(text)} == {None}


def test_scare_quote_inside_reported_speech_stays_reported() -> None:
    text = "Brad Smith spoke. Smith said it was a much-awaited ‘wake-up call’ for governments."
    assert speakers(text)[1] == ("Brad Smith", REPORTED)


def test_unattributed_quote_without_context_has_no_speaker() -> None:
    text = '"We will not give up on this town," a sign read.'
    assert attribute(text)[0][2] == DIRECT_QUOTE
    assert attribute(text)[0][1] is None


def test_find_quotes_curly_straight_single_and_unclosed() -> None:
    text = '“A,” he said. "B." She said ‘C D’ and Smith’s cat.\n\n“Open to the end'
    quotes = [(text[q.start : q.end], q.closed) for q in find_quotes(text)]
    assert quotes == [("“A,”", True), ('"B."', True), ("‘C D’", True), ("“Open to the end", False)]


def test_empty_and_odd_input() -> None:
    assert attribute_speakers("", []) == []
    text = "\ufeff“Ça va,” dit-il 🙂.\r\n\r\nNext\u2028line."
    result = attribute_speakers(text, split_sentences(text))
    assert all(isinstance(a, Attribution) for a in result)


def test_a_company_name_with_a_possessive_is_not_a_person() -> None:
    text = (
        "Regulators fined Alphabet Inc's Google on Tuesday. "
        "EU Competition Commissioner Margrethe Vestager said the fine was fair. "
        "Google said it would appeal. The commissioner added that the case was closed."
    )
    people = find_people(text, split_sentences(text))
    assert [(p.name, p.roles) for p in people] == [
        ("Margrethe Vestager", ["EU Competition Commissioner"])
    ]
    assert speakers(text)[1:] == [
        ("Margrethe Vestager", REPORTED),
        ("Google", REPORTED),
        ("Margrethe Vestager", REPORTED),
    ]


def test_relative_clause_or_age_between_subject_and_verb() -> None:
    text = (
        "Councilman Rick Alvarez, who voted against it, said the estimate was too low. "
        "He argued that similar projects ran 60 percent over budget. "
        "Maria Chen runs the alliance. Chen, 45, added that her group would ask regulators "
        "to investigate. A former Novalis executive, who asked not to be named, said prices "
        "rose. The report, which was published on Friday, said costs doubled."
    )
    assert speakers(text) == [
        ("Rick Alvarez", REPORTED),
        ("Rick Alvarez", REPORTED),
        (None, NARRATION),
        ("Maria Chen", REPORTED),
        ("A former Novalis executive", REPORTED),
        ("The report", REPORTED),
    ]


def test_an_infinitive_is_not_an_attribution() -> None:
    text = "Patient advocates were quick to respond. The minister declined to confirm the figure."
    assert speakers(text) == [(None, NARRATION), (None, NARRATION)]


def test_attribution_after_the_claim_by_an_institution() -> None:
    text = (
        "Construction is expected to take three years, the city said. "
        "Flooding costs local firms $5 million a year, the county estimated."
    )
    assert speakers(text) == [("the city", REPORTED), ("the county", REPORTED)]


def test_joint_speakers_and_a_plural_title() -> None:
    text = (
        "Senators Ann Kowalski and Ben Harris said in a joint letter that the rise was unfair. "
        "In an interview, Kowalski said the company spent more on buybacks than on research. "
        "They added that they would hold hearings."
    )
    people = find_people(text, split_sentences(text))
    assert [(p.name, p.roles) for p in people] == [
        ("Ann Kowalski", ["Senators"]),
        ("Ben Harris", []),
    ]
    assert speakers(text) == [
        ("Ann Kowalski and Ben Harris", REPORTED),
        ("Ann Kowalski", REPORTED),
        ("Ann Kowalski and Ben Harris", REPORTED),
    ]


def test_negated_verbs_and_spokespeople() -> None:
    text = (
        "Governor Dana Whitfield visited the site. "
        "The state's budget office did not respond to a request for comment. "
        "A spokesperson for Governor Dana Whitfield said the pledge remains on the table. "
        "The mayor has never publicly confirmed the figure."
    )
    assert speakers(text)[1:] == [
        (None, NARRATION),
        ("spokesperson for Dana Whitfield", REPORTED),
        (None, NARRATION),
    ]


def test_a_study_that_found_something_is_the_source() -> None:
    text = (
        "A 2023 study by the University of Lagos found that two doses are 97 percent "
        "effective. The team found the samples in 2019. The survey showed support falling."
    )
    # The organisation that made the study, as the corpus labels it (round 4: "A 2024 survey
    # by the Urban Libraries Council" is the council's finding).
    assert speakers(text) == [
        ("University of Lagos", REPORTED),
        (None, NARRATION),
        ("The survey", REPORTED),
    ]


def test_organisation_names_with_for_or_of_are_not_people() -> None:
    text = (
        "Paul Johnson, director of the Institute for Fiscal Studies, told the Guardian that "
        "both parties were avoiding hard choices. "
        '"Neither of them is being straight with voters," he said. '
        "The Office for Budget Responsibility (OBR) said debt would peak at 103% of GDP."
    )
    people = find_people(text, split_sentences(text))
    assert [p.name for p in people] == ["Paul Johnson"]
    assert attribute(text) == [
        (split_sentences(text)[0].text, "Paul Johnson", REPORTED, "Guardian"),
        (split_sentences(text)[1].text, "Paul Johnson", DIRECT_QUOTE, None),
        (split_sentences(text)[2].text, "The Office for Budget Responsibility", REPORTED, None),
    ]


def test_a_title_with_a_complement_is_not_part_of_the_name() -> None:
    text = (
        "Secretary of State Antony Blinken said the talks failed. "
        "Minister for Health Jane Doe said 300 beds were added. "
        "Blinken added that sanctions would follow. Doe later told the BBC the figure was 250."
    )
    people = find_people(text, split_sentences(text))
    assert [p.name for p in people] == ["Antony Blinken", "Jane Doe"]
    assert speakers(text) == [
        ("Antony Blinken", REPORTED),
        ("Jane Doe", REPORTED),
        ("Antony Blinken", REPORTED),
        ("Jane Doe", REPORTED),
    ]


def test_an_outlet_named_in_the_opening_phrase_is_cited() -> None:
    text = (
        "Jeremy Hunt spoke on Friday. Speaking to the BBC's Today programme, Mr Hunt said the "
        "rise was responsible. In an interview with CNN, Hunt said taxes would fall. "
        "Speaking to reporters, Hunt said nothing new."
    )
    assert [(s, c) for _, s, _, c in attribute(text)][1:] == [
        ("Jeremy Hunt", "BBC's Today programme"),
        ("Jeremy Hunt", "CNN"),
        ("Jeremy Hunt", None),
    ]


def test_questions_requests_and_contracted_pronouns_are_not_speakers() -> None:
    text = (
        "Donald Trump spoke first. Let me just say this. Can you tell us what you said? "
        "They'll say things and then wink at me. I'll tell you, it was 20 percent. "
        "Because Donald believes it, he said it. Donald criticized Mitt Romney. "
        "Somebody could come and say it. The US administration has accused Iran."
    )
    assert [p.name for p in find_people(text, split_sentences(text))] == [
        "Donald Trump",
        "Mitt Romney",
    ]
    assert speakers(text)[1:] == [
        (None, NARRATION),
        (None, NARRATION),
        (None, REPORTED),  # "they" with no group named before: reported, speaker unknown
        (None, NARRATION),
        ("Donald Trump", REPORTED),
        ("Donald Trump", REPORTED),
        (None, NARRATION),
        ("The US administration", REPORTED),
    ]


def test_names_that_are_also_modal_verbs_still_speak() -> None:
    text = (
        "Theresa May met Will Hurd on Monday. May said the deal was dead. "
        "Will Hurd said 40 percent of voters agreed. Did they say so? Let me ask."
    )
    assert [p.name for p in find_people(text, split_sentences(text))] == [
        "Theresa May",
        "Will Hurd",
    ]
    assert speakers(text)[1:] == [
        ("Theresa May", REPORTED),
        ("Will Hurd", REPORTED),
        (None, NARRATION),
        (None, NARRATION),
    ]


def test_the_company_refers_back_to_the_company_named_before() -> None:
    text = (
        "Novalis Pharma raised the price of its insulin pen by 12 percent. "
        "The company said in a statement that costs had risen. "
        "Acme Inc. cut 300 jobs. The firm said demand fell. "
        "A rival company said nothing."
    )
    assert speakers(text) == [
        (None, NARRATION),
        ("Novalis Pharma", REPORTED),
        (None, NARRATION),
        ("Acme", REPORTED),  # the legal form is no part of the name used
        ("A rival company", REPORTED),
    ]
    lone = "The company said profits rose."
    assert speakers(lone) == [("The company", REPORTED)]


def test_she_and_he_skip_a_person_whose_title_gives_the_other_gender() -> None:
    text = (
        "Rachel Reeves and Jeremy Hunt clashed on Sunday. Ms Reeves said taxes were too high. "
        "Mr Hunt replied that they were falling. She added that growth was weak. "
        "He said growth was 2 percent."
    )
    people = {p.name: p.gender for p in find_people(text, split_sentences(text))}
    assert people == {"Rachel Reeves": "f", "Jeremy Hunt": "m"}
    assert speakers(text)[1:] == [
        ("Rachel Reeves", REPORTED),
        ("Jeremy Hunt", REPORTED),
        ("Rachel Reeves", REPORTED),
        ("Jeremy Hunt", REPORTED),
    ]
    # With no title, the first name gives the gender (from the bundled name list)...
    plain = "Ann Lee met Bob Kay. Kay said rates rose. She added that they would fall."
    assert speakers(plain)[2] == ("Ann Lee", REPORTED)
    # ... and a first name used by both ("Kim", "Robin") gives none: the latest person.
    either = "Kim Lee met Robin Kay. Kay said rates rose. She added that they would fall."
    assert speakers(either)[2] == ("Robin Kay", REPORTED)


def test_our_correspondent_can_still_speak() -> None:
    assert speakers("Our correspondent said the border was closed.") == [
        ("Our correspondent", REPORTED)
    ]
