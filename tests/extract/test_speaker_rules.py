"""Each speaker rule on its own (resolve.RULES, cues.CUE_RULES), then the hard cases of issue 14
end to end. Real people collection and quotation finding; nothing is mocked."""

from __future__ import annotations

import pytest

from factcheck.extract.sentences import split_paragraphs, split_sentences
from factcheck.extract.speakers import (
    DIRECT_QUOTE,
    NARRATION,
    ORGANIZATION,
    PERSON,
    REPORTED,
    attribute_speakers,
    cues,
    find_quotes,
    quotes,
    resolve,
)
from factcheck.extract.speakers.names import first_name_gender
from factcheck.extract.speakers.people import collect_people
from factcheck.extract.speakers.resolve import REJECT, Resolution, ResolverState, Subject


def state_for(text: str) -> ResolverState:
    sentences = split_sentences(text)
    people = collect_people(text, sentences, find_quotes(text))
    return ResolverState(people, [p.start for p in split_paragraphs(text)])


def subject(text: str, phrase: str, before_phrase: str = "") -> Subject:
    """The phrase as the subject of a verb standing at the end of text."""
    return Subject(phrase, len(text), before_phrase, state_for(text))


def speaker(outcome: object) -> str | None:
    assert isinstance(outcome, Resolution), outcome
    return outcome.speaker


def attribute(text: str) -> list[tuple[str | None, str]]:
    sentences = split_sentences(text)
    return [(a.speaker, a.kind) for a in attribute_speakers(text, sentences)]


def attribute_typed(text: str) -> list[tuple[str | None, str | None]]:
    sentences = split_sentences(text)
    return [(a.speaker, a.speaker_type) for a in attribute_speakers(text, sentences)]


# --- resolver rules, one by one -----------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "J.P. Morgan did not admit nor",
        "somebody could come and",
        "Footage broadcast by",
        "was not involved in the study",
        "Can you",
        "Sunday",
        "Britain's economy shrank by 0.1% in September",
    ],
)
def test_not_a_subject_rejects_clause_fragments(phrase: str) -> None:
    assert resolve.not_a_subject(subject("Nothing here.", phrase)) is REJECT


def test_not_a_subject_passes_names_and_groups() -> None:
    for phrase in ("Mohit Jain", "officials", "the Institute for Fiscal Studies", "May"):
        assert resolve.not_a_subject(subject("Theresa May spoke.", phrase)) is None


def test_person_pronoun_takes_gender_from_first_name_within_the_paragraph_chain() -> None:
    text = "Stephen Price runs a shop. His neighbour, Margaret Kaur, disagrees. "
    assert speaker(resolve.person_pronoun(subject(text, "She"))) == "Margaret Kaur"
    assert speaker(resolve.person_pronoun(subject(text, "he"))) == "Stephen Price"


def test_person_pronoun_does_not_reach_past_the_previous_paragraph() -> None:
    text = "Ann Lee spoke first.\n\nThe vote was close.\n\nThe count ended late.\n\n"
    assert speaker(resolve.person_pronoun(subject(text, "she"))) is None
    near = "Ann Lee spoke first.\n\nThe count ended late. "
    assert speaker(resolve.person_pronoun(subject(near, "she"))) == "Ann Lee"


def test_group_pronoun_takes_the_last_organisation() -> None:
    text = "Foxcomp plans to hire 5,000 people. "
    assert speaker(resolve.group_pronoun(subject(text, "It"))) == "Foxcomp"
    assert resolve.group_pronoun(subject(text, "Smith")) is None


def test_spokesperson_for_resolves_the_principal() -> None:
    text = "Jack Ciattarelli backed the tax. "
    found = resolve.spokesperson_for(subject(text, "A spokesman for Ciattarelli"))
    assert speaker(found) == "spokesman for Jack Ciattarelli"


def test_joint_speakers() -> None:
    text = "Senators Ann Kowalski and Ben Harris wrote a letter. "
    found = resolve.joint_speakers(subject(text, "Ann Kowalski and Ben Harris"))
    assert speaker(found) == "Ann Kowalski and Ben Harris"


def test_full_name_and_surname_and_first_name() -> None:
    text = "Board member Keith Dunn voted against it. "
    assert speaker(resolve.full_name(subject(text, "Board member Keith Dunn"))) == "Keith Dunn"
    assert speaker(resolve.surname_or_first_name(subject(text, "Mr Dunn"))) == "Keith Dunn"
    assert speaker(resolve.surname_or_first_name(subject(text, "Keith"))) == "Keith Dunn"
    assert resolve.surname_or_first_name(subject(text, "Whip")) is None


def test_appositive_role_names_the_person_before_it() -> None:
    text = "Tom Bossert, the homeland security adviser, said. "
    found = resolve.appositive_role(
        subject(text, "the homeland security adviser", before_phrase="Tom Bossert,")
    )
    assert speaker(found) == "Tom Bossert"


def test_acronym_of_an_organisation_named_before() -> None:
    text = "Britain's economy shrank, the Office for National Statistics said. "
    assert speaker(resolve.acronym(subject(text, "The ONS"))) == "Office for National Statistics"
    assert resolve.acronym(subject(text, "The BBC")) is None


def test_the_company_resolves_to_a_company_without_a_company_ending() -> None:
    text = "JPMorgan Chase will pay $210 million to settle charges. "
    found = resolve.company_reference(subject(text, "The company"))
    assert speaker(found) == "JPMorgan Chase"
    assert isinstance(found, Resolution) and found.speaker_type == ORGANIZATION
    suffixed = "Novalis Pharma Inc. raised prices. "
    assert speaker(resolve.company_reference(subject(suffixed, "the firm"))) == "Novalis Pharma"
    person = "Ann Lee will pay for it. "
    assert resolve.company_reference(subject(person, "The company")) is None


def test_same_noun_reference_and_its_synonyms() -> None:
    state = state_for("The Civic Federation criticized it. ")
    found = resolve.same_noun_reference(Subject("the federation", 100, "", state))
    assert speaker(found) == "Civic Federation"
    state.groups.append((10, "A source", "source"))
    found = resolve.same_noun_reference(Subject("the insider", 100, "", state))
    assert speaker(found) == "source"


def test_demonym_reference_is_the_person_just_mentioned() -> None:
    text = "Mario Pellegrini tore into the officials. "
    assert speaker(resolve.demonym_reference(subject(text, "The Italian"))) == "Mario Pellegrini"
    assert resolve.demonym_reference(subject(text, "The US")) is None


def test_role_reference() -> None:
    text = "Microsoft president Brad Smith wrote a post. "
    assert speaker(resolve.role_reference(subject(text, "The Microsoft president"))) == "Brad Smith"


def test_anonymous_source_keeps_the_phrase_without_a_count() -> None:
    found = resolve.anonymous_source(subject("x", "two sources familiar with the talks"))
    assert speaker(found) == "sources familiar with the talks"
    assert isinstance(found, Resolution) and found.speaker_type == ORGANIZATION
    found = resolve.anonymous_source(subject("x", "a person with knowledge of the plans"))
    assert isinstance(found, Resolution) and found.speaker_type == PERSON


def test_name_after_descriptor() -> None:
    assert (
        speaker(resolve.name_after_descriptor(subject("x", "the disaster agency AFAD"))) == "AFAD"
    )
    assert resolve.name_after_descriptor(subject("x", "the Financial Times")) is None


def test_named_or_group_keeps_groups_and_rejects_the_rest() -> None:
    assert speaker(resolve.named_or_group(subject("x", "The US administration"))) == (
        "The US administration"
    )
    assert speaker(resolve.named_or_group(subject("x", "officials"))) == "officials"
    assert resolve.named_or_group(subject("x", "the weather")) is REJECT


def test_rules_run_in_order_and_every_rule_has_a_docstring() -> None:
    assert resolve.RULES[0] is resolve.not_a_subject
    assert resolve.RULES[-1] is resolve.named_or_group
    assert all(rule.__doc__ for rule in resolve.RULES + cues.CUE_RULES)


# --- cue rules, one by one ----------------------------------------------------------


def cue(text: str, rule: cues.CueRule) -> cues.Cue | None:
    sentences = split_sentences(text)
    state = state_for(text)
    span = sentences[-1]
    framed, _ = quotes.frame(span, quotes.quote_mask(text, find_quotes(text)))
    return rule(cues.Sentence(framed, span, state))


def test_according_to_keeps_the_institution_of_researchers() -> None:
    found = cue(
        "Staff reported less burnout, according to researchers at the University of Cambridge.",
        cues.according_to,
    )
    assert found is not None and found.speaker == "researchers at the University of Cambridge"
    found = cue(
        "Taxes will rise, according to the Institute for Fiscal Studies.", cues.according_to
    )
    assert found is not None and found.speaker == "the Institute for Fiscal Studies"


def test_speech_verb_inverted_after_a_clause() -> None:
    text = "Mohit Jain is an analyst. The cost is larger than the fine, says Mohit Jain."
    found = cue(text, cues.speech_verb)
    assert found is not None and (found.speaker, found.speaker_type) == ("Mohit Jain", PERSON)


def test_speech_verb_skips_passive_infinitive_negated_and_pronoun_objects() -> None:
    for text in (
        "He was accused by rivals.",
        "The firm declined to comment.",
        "The ministry did not respond.",
        "The MTA has promised that before.",
    ):
        assert cue(text, cues.speech_verb) is None, text


def test_finding_needs_a_study_or_researchers_finding_that() -> None:
    found = cue("Researchers at IBM found that the chips overheat.", cues.finding)
    assert found is not None and found.speaker == "Researchers at IBM"
    assert cue("The team found the samples in 2019.", cues.finding) is None
    assert cue("Previously unseen papers show Mrs Thatcher pressed on.", cues.finding) is None


def test_quoted_label() -> None:
    text = 'Brian Klosterboer, an attorney, called the ruling "a victory for free expression".'
    found = cue(text, cues.quoted_label)
    assert found is not None and found.speaker == "Brian Klosterboer"
    assert cue("They called the meeting for Monday.", cues.quoted_label) is None


# --- the cases issue 14 reported, end to end ----------------------------------------


def test_he_stays_in_the_quote_paragraph_chain() -> None:
    text = (
        "Stephen Price has run a shop since 1988.\n\n"
        '"Everyone said it would bring people in. Instead the roads were dead," he said. '
        '"You could have fired a cannon down here."\n\n'
        "His neighbour, florist Margaret Kaur, disagrees. She said parking was the problem."
    )
    assert [s for s, _ in attribute(text)] == [
        None,
        "Stephen Price",
        "Stephen Price",
        "Stephen Price",
        "Margaret Kaur",
        "Margaret Kaur",
    ]


def test_lone_first_name_and_role_are_resolved_to_the_full_name() -> None:
    text = (
        "Sir Keith Joseph wrote to the prime minister. Keith argued that the savings were small. "
        "The Chief Whip at the time, Francis Pym, disagreed. Whip Pym said it would not survive."
    )
    assert [s for s, _ in attribute(text)][1:] == ["Keith Joseph", "Francis Pym", "Francis Pym"]


def test_fragments_are_never_speakers() -> None:
    text = (
        "JPMorgan Chase did not admit nor deny the findings. Most New Jersey Republicans have "
        "been loath to criticize the leadership. Previously unseen papers show Mrs Thatcher "
        "pressed officials."
    )
    assert attribute(text) == [(None, NARRATION)] * 3


def test_company_announced_and_speaker_types() -> None:
    text = (
        "JPMorgan Chase will pay $210 million to settle charges. The company said it had replaced "
        'the apps. "We take this seriously," said Mohit Jain, a banking analyst.'
    )
    assert attribute_typed(text)[1:] == [
        ("JPMorgan Chase", ORGANIZATION),
        ("Mohit Jain", PERSON),
    ]


def test_accusation_and_denial_verbs_report_their_subject() -> None:
    text = (
        "The White House accused Republicans of manufacturing a crisis. Democrats blamed the "
        "impasse on conservatives. The utility denied that its equipment started the fire."
    )
    assert attribute(text) == [
        ("The White House", REPORTED),
        ("Democrats", REPORTED),
        ("The utility", REPORTED),
    ]


def test_a_quote_after_an_introduction_takes_its_speaker() -> None:
    text = (
        "Here's Kallum Pickering, chief economist at Peel Hunt:\n\n"
        '"Momentum is clearly fading. The Bank has room to cut."'
    )
    assert attribute(text)[1:] == [
        ("Kallum Pickering", DIRECT_QUOTE),
        ("Kallum Pickering", DIRECT_QUOTE),
    ]


def test_interview_labels_name_the_speakers() -> None:
    text = (
        "By Jeremy Kahn\n\nDara Kim co-founded Lumen Robotics in 2019.\n\n"
        "Fortune: Why aren't you building a humanoid?\n\n"
        "Kim: Because the warehouse wasn't designed for legs. It has carts.\n\n"
        "Fortune: Your biggest customer cut its order.\n\nKim: They paused one site."
    )
    sentences = split_sentences(text)
    attributions = attribute_speakers(text, sentences)
    found = [(s.text[:8], a.speaker) for s, a in zip(sentences, attributions, strict=True)]
    assert found[2:] == [
        ("Fortune:", "Jeremy Kahn"),
        ("Kim: Bec", "Dara Kim"),
        ("It has c", "Dara Kim"),
        ("Fortune:", "Jeremy Kahn"),
        ("Kim: The", "Dara Kim"),
    ]


def test_interview_without_labels_alternates_questions_and_answers() -> None:
    text = (
        "The Herald spoke with Ruth Okafor, head of the city's food bank, about the winter.\n\n"
        "How many families do you feed each week?\n\n"
        "About 900. That is twice last year.\n\n"
        "Why has demand grown?\n\n"
        "Rents went up. Wages did not."
    )
    sentences = split_sentences(text)
    attributions = attribute_speakers(text, sentences)
    found = [(s.text[:8], a.speaker, a.kind) for s, a in zip(sentences, attributions, strict=True)]
    assert found[1:] == [
        ("How many", "The Herald", DIRECT_QUOTE),
        ("About 90", "Ruth Okafor", DIRECT_QUOTE),
        ("That is ", "Ruth Okafor", DIRECT_QUOTE),
        ("Why has ", "The Herald", DIRECT_QUOTE),
        ("Rents we", "Ruth Okafor", DIRECT_QUOTE),
        ("Wages di", "Ruth Okafor", DIRECT_QUOTE),
    ]


def test_questions_without_an_interview_introduction_stay_narration() -> None:
    text = (
        "Ruth Okafor runs the city's food bank.\n\n"
        "How many families does it feed?\n\nAbout 900 a week.\n\n"
        "Why has demand grown?\n\nRents went up."
    )
    assert [speaker for speaker, _ in attribute(text)[1:]] == [None] * 4


def test_labels_that_are_not_an_interview_are_ignored() -> None:
    text = "Date: November 4, 2026\n\nSource: University of Vermont\n\nA study found that fish eat plastic."
    assert attribute(text)[-1] == ("A study", REPORTED)


def test_first_name_list_gives_gender() -> None:
    assert first_name_gender("Margaret") == "f"
    assert first_name_gender("Stephen") == "m"
    assert first_name_gender("Morgan") == "-"
    assert first_name_gender("Goldman") is None
    assert first_name_gender("the") is None


def test_transcript_labels_in_capitals_and_the_host_line() -> None:
    text = (
        "A MARTÍNEZ, HOST:\n\nMayor Jane Dufour joins us now. Good morning.\n\n"
        "JANE DUFOUR: Good morning.\n\nMARTÍNEZ: Why heat pumps?\n\n"
        "DUFOUR: Because oil was expensive. The pumps halved the bills."
    )
    sentences = split_sentences(text)
    found = [a.speaker for a in attribute_speakers(text, sentences)]
    assert found[1:] == [
        "A Martínez",
        "A Martínez",
        "Jane Dufour",
        "A Martínez",
        "Jane Dufour",
        "Jane Dufour",
    ]


def test_a_longer_generic_reference_matches_the_organisation_it_ends() -> None:
    text = (
        "A man was charged, according to a news release from the Ulster County Sheriff's "
        "Office. Deputies tried to stop the car, the sheriff's office said. The think tank "
        "said nothing. The Resolution Foundation, a think tank, said the figures were bad. "
        "The think tank said taxes would rise."
    )
    assert attribute_typed(text) == [
        ("Ulster County Sheriff's Office", ORGANIZATION),
        ("Ulster County Sheriff's Office", ORGANIZATION),
        ("The think tank", ORGANIZATION),
        ("The Resolution Foundation", ORGANIZATION),  # as written
        ("Resolution Foundation", ORGANIZATION),  # the organisation's name
    ]


def test_verbs_that_are_not_always_speech() -> None:
    text = (
        "Kestrel Auto recalled 50,000 sedans last month. Ann Lee recalled that the plant closed. "
        "Here's what the White House said about the bill. "
        "The academy has called for a permanent standard time."
    )
    assert attribute(text) == [
        (None, NARRATION),
        ("Ann Lee", REPORTED),
        (None, NARRATION),
        ("The academy", REPORTED),
    ]


def test_a_participle_ends_the_source_phrase_and_dotted_acronyms_stay_whole() -> None:
    text = (
        "Bees learn faster, according to a study published in Science. "
        "The U.S. Environmental Protection Agency (EPA) finalized a rule. "
        "EPA estimates that the rule will prevent 58 million tons of emissions."
    )
    assert attribute(text) == [
        ("a study", REPORTED),
        (None, NARRATION),
        ("U.S. Environmental Protection Agency", REPORTED),
    ]


def test_an_organisation_described_as_one_is_no_person() -> None:
    text = (
        "Healthwatch Bristol, the patient watchdog, said it had complaints. "
        "The watchdog said patients waited four weeks. "
        "Lakeview Builders, which was not charged, said it had cooperated."
    )
    assert attribute_typed(text) == [
        ("Healthwatch Bristol", ORGANIZATION),
        ("Healthwatch Bristol", ORGANIZATION),
        ("Lakeview Builders", ORGANIZATION),
    ]


def test_added_before_a_number_is_not_speech() -> None:
    text = "Karl-Anthony Towns added 27 points. Towns added that the win mattered."
    assert attribute(text) == [(None, NARRATION), ("Karl-Anthony Towns", REPORTED)]


def test_first_names_that_are_also_org_words_or_places() -> None:
    text = "Lincoln coach Bill Harris said his players were proud. Georgia Lane said she agreed."
    assert attribute_typed(text) == [("Bill Harris", PERSON), ("Georgia Lane", PERSON)]


def test_data_compiled_by_an_outlet_is_the_source() -> None:
    text = "Traders see a 45% chance of a cut, data compiled by Bloomberg show."
    assert attribute(text) == [("data compiled by Bloomberg", REPORTED)]


def test_a_person_named_once_by_first_name_is_a_person() -> None:
    text = 'Her son, Tom, said she "never stopped asking why".'
    assert attribute_typed(text)[0][1] == PERSON
    assert attribute_typed("According to the King's Fund, waits grew.") == [
        ("the King's Fund", ORGANIZATION)
    ]


def test_saying_with_saying_and_speaking_to() -> None:
    text = (
        "Novara Foods Inc. cut its sales forecast, saying shoppers are trading down. "
        "Climate talks stalled on Friday, with negotiators warning a deal could slip. "
        'Arsenal manager Mikel Arteta speaking to BBC Match of the Day: "We showed character."'
    )
    assert attribute(text) == [
        ("Novara Foods", REPORTED),
        ("negotiators", REPORTED),
        ("Mikel Arteta", DIRECT_QUOTE),
    ]


def test_an_occupation_and_a_participle_phrase() -> None:
    text = (
        "Danny Cole plays a market trader.\n\n"
        'The actor, 38, told The Sun: "There were days I could not get up. I stared at walls."'
        "\n\nAstronomers using the James Webb Space Telescope have reported water vapour."
    )
    assert attribute(text)[1:] == [
        ("Danny Cole", DIRECT_QUOTE),
        ("Danny Cole", DIRECT_QUOTE),
        ("Astronomers", REPORTED),
    ]


def test_he_prefers_who_spoke_to_who_was_named_in_an_aside() -> None:
    text = (
        "Danny Cole, who plays market trader Kev Jones, said his wife had urged him to get help. "
        '"She saved my life," he added.'
    )
    assert [s for s, _ in attribute(text)] == ["Danny Cole", "Danny Cole"]


def test_prepositional_aside_named_organisation_finding_and_ampersand_names() -> None:
    text = (
        "Democrats, for their part, blamed the impasse on conservatives. "
        "The National League of Cities found that most cities have a heat plan. "
        "Pacific Gas & Electric said it had shut off power."
    )
    assert attribute(text) == [
        ("Democrats", REPORTED),
        ("The National League of Cities", REPORTED),
        ("Pacific Gas & Electric", REPORTED),
    ]


def test_a_company_after_a_dateline_is_what_the_company_refers_to() -> None:
    text = (
        "NEW YORK (Reuters) - JPMorgan Chase will pay $210 million to settle charges. "
        "The company said it had replaced the apps."
    )
    assert attribute(text)[1] == ("JPMorgan Chase", REPORTED)


def test_a_trailing_attribution_beats_the_clause_subject() -> None:
    text = "Maricopa County has confirmed its first measles case, health officials said Sunday."
    assert attribute(text) == [("health officials", REPORTED)]


def test_a_person_of_an_organisation_and_a_place_after_in() -> None:
    text = (
        "Patricia Ellis, 64, was walking her spaniel in Victoria Park, Leicester. "
        "'It came out of nowhere,' she told MailOnline. "
        "Cars will behave like phones, says Tu Le of Sino Auto Insights, a consultancy. "
        "Prof Mark Thomas of University College London said the results fitted."
    )
    assert [s for s, _ in attribute(text)][1:] == ["Patricia Ellis", "Tu Le", "Mark Thomas"]


def test_she_in_an_opening_paragraph_points_at_the_person_named_next() -> None:
    text = (
        "A grandmother needed 30 stitches after a dog attack, she said.\n\n"
        "Patricia Ellis, 64, was walking her spaniel."
    )
    assert attribute(text)[0] == ("Patricia Ellis", REPORTED)


def test_counts_are_dropped_from_group_speakers_but_one_stays() -> None:
    text = (
        "The White House is weighing exemptions, two administration officials said. "
        "One EU diplomat said the deal was close."
    )
    assert [s for s, _ in attribute(text)] == ["administration officials", "One EU diplomat"]


def test_the_companies_and_a_described_lender_and_a_dateline_before_saying() -> None:
    text = (
        "HOUSTON, Dec 1 (Reuters) - Exxon Mobil agreed to buy Permian Ridge Resources, saying "
        "the deal would cut costs. Holders will get 0.31 shares each, the companies said. "
        "First Horizon said charge-offs doubled. The Memphis-based lender expects losses to peak."
    )
    assert [s for s, _ in attribute(text)] == [
        "Exxon Mobil",
        "Exxon Mobil and Permian Ridge Resources",
        "First Horizon",
        "First Horizon",
    ]


def test_a_relative_clause_subject_and_a_first_name_with_a_place_surname() -> None:
    text = (
        "The probe flies to Europa, which scientists believe hides an ocean. "
        '"We are working through it," Chief Executive Bryan Jordan said.'
    )
    assert [s for s, _ in attribute(text)] == ["scientists", "Bryan Jordan"]


def test_court_heard_blaming_initials_and_title_surnames() -> None:
    text = (
        "Jordan Kemp hit the driver three times, Bristol Crown Court heard. "
        "Rivian Automotive Inc. lowered its forecast, blaming a parts shortage. "
        "Chief Executive Officer RJ Scaringe said demand remained strong. "
        "Aaron Judge won the award. "
        '"It means a lot," Judge said.'
    )
    assert [s for s, _ in attribute(text)] == [
        "Bristol Crown Court",
        "Rivian Automotive",
        "RJ Scaringe",
        None,
        "Aaron Judge",
    ]


def test_a_role_after_a_name_wins_over_a_name_inside_the_role() -> None:
    text = (
        "Sarah Whitehead, head of Oakwood High in Salford, said pupils had nowhere to go. "
        "The Bank of England's own survey shows households expect prices to rise."
    )
    assert [s for s, _ in attribute(text)] == [
        "Sarah Whitehead",
        "The Bank of England's own survey",
    ]


def test_q_and_a_interviewer_from_an_interview_by_line() -> None:
    text = (
        "Interview by Tom Wilson\n\nJohn Pettigrew has run National Grid since 2016.\n\n"
        "Q: Will bills go up?\n\nA: In the short term, yes."
    )
    assert [s for s, _ in attribute(text)][-2:] == ["Tom Wilson", "John Pettigrew"]


def test_a_participle_aside_is_skipped_not_taken_as_the_speaker() -> None:
    text = "The researchers, based at Pennsylvania State University, said hives lost queens."
    assert attribute(text) == [("The researchers", REPORTED)]


# --- misses on real Wikinews copy (bench/speakers/real-dev) ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # letters after a name are an aside, not the speaker
        ("Tom Molomby, SC, said the parents should be acquitted.", "Tom Molomby"),
        # no comma after the source of "according to"
        (
            "Mark Rathbun left in 2004. According to Rathbun the property was returned by mail.",
            "Mark Rathbun",
        ),
        # "As Heald told": "as" opens the clause
        (
            "Colette Heald led the study. As Heald told reporters, ozone has dropped since 1980.",
            "Colette Heald",
        ),
        # a role after the name, with a complement
        (
            "Claudio De Vincenti, undersecretary to the prime minister, said talks would open.",
            "Claudio De Vincenti",
        ),
        # a participle or "such as" ends the source's noun phrase
        (
            "A leaked internal letter seen by Sky News says claims may be withdrawn.",
            "A leaked internal letter",
        ),
        (
            "Other sites such as Gawker.com have stated that they will keep the video.",
            "Other sites",
        ),
        # a speech verb in -s before a verb is a plural noun
        ("Recent reports have revealed that the defector was arrested.", "Recent reports"),
        # "with X stating:" names the speaker of what follows
        (
            "Caitlin Boswell campaigns for migrants. The paper quoted critics, with Boswell "
            'stating: "This move is clumsy."',
            "Caitlin Boswell",
        ),
        # an organisation's name, then the person's, after the role
        (
            "CEO of the Refugee Council Maria Lopez told reporters the form was unfair.",
            "Maria Lopez",
        ),
        # speech verbs missing from the lists
        ("Matthew Ingram of The Globe and Mail dubbed the conflict a war.", "Matthew Ingram"),
        ("The secularist magazine MicroMega describes the judgement as historic.", "MicroMega"),
        # a past tense inside the phrase makes it a clause: "claims" is a noun here
        (
            "Figures to be published today show a record 45,756 migrants crossing the Channel "
            "last year drove outstanding asylum claims over 150,000, also a record.",
            None,
        ),
    ],
)
def test_real_copy_subjects(
    text: str, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rules without the parser (the speakers extra): the parser takes "Figures ... show"
    # as a finding, which real-dev's label calls narration (a known miss of the extra).
    monkeypatch.setenv("FACTCHECK_SPEAKERS_PARSER", "off")
    assert attribute(text)[-1][0] == expected


def test_continued_is_speech_only_before_what_was_said() -> None:
    text = (
        'Yvette Cooper said the plan was late.\n\nShe continued: "Labour has a plan."\n\n'
        "Prices continued to fall in March."
    )
    assert attribute(text) == [
        ("Yvette Cooper", REPORTED),
        ("Yvette Cooper", DIRECT_QUOTE),
        (None, NARRATION),
    ]


def test_a_speaker_the_people_pass_missed_is_remembered_for_he() -> None:
    text = (
        "Writing in a blog post, Peter Lane of The Daily Ledger dubbed the dispute a war about "
        "the Tom Cruise video. He characterized it as a long game."
    )
    assert [speaker for speaker, _ in attribute(text)] == ["Peter Lane", "Peter Lane"]


def test_a_name_the_lists_reject_is_a_person_when_an_apposition_calls_them_a_woman() -> None:
    # "Valeska" is in no first-name list and "Paris" is a place: the apposition decides.
    text = (
        "Valeska Paris, an Australian woman and former member, has claimed she was held "
        "on a ship. Paris claims she was first sent to the ship aged eighteen. "
        "She also claims that her passport was taken away."
    )
    assert [s for s, _ in attribute(text)] == ["Valeska Paris"] * 3
    person = state_for(text).people.find("Valeska Paris")
    assert person is not None and person.gender == "f"
    # Without the apposition, "Paris" stays what it was: no person is made up.
    bare = "Valeska Paris has claimed she was held. Paris claims she was first sent there."
    assert state_for(bare).people.find("Valeska Paris") is None


def _qa_speakers(text: str) -> list[tuple[str, str | None]]:
    """Speakers of the body: the title is no sentence (as in `extract`), only the frame."""
    sentences = split_sentences(text, text.index("\n\n"))
    attributions = attribute_speakers(text, sentences)
    return [(s.text[:8], a.speaker) for s, a in zip(sentences, attributions, strict=True)]


_QA = "How deep was the ice?\n\nAbout 800 metres.\n\nWhat did you find?\n\nAnemones."


def test_interview_parties_from_a_title_that_names_an_unlisted_interviewee() -> None:
    # "Marymegan" is in no first-name list: as the object of "interviews" the name counts.
    text = f"Cold as ice: Wikinews interviews Marymegan Daly on a new anemone\n\n{_QA}"
    assert [s for _, s in _qa_speakers(text)] == ["Wikinews", "Marymegan Daly"] * 2
    # The rest of an organisation's name is no one: nothing is attributed.
    text = f"Wikinews interviews President of the Brotherhood of Magicians\n\n{_QA}"
    assert [s for _, s in _qa_speakers(text)] == [None] * 4


def test_interview_parties_when_the_interviewee_tells_the_outlet() -> None:
    text = f"Biologist Nick Bos tells Wikinews about self-medicating ants\n\n{_QA}"
    assert [s for _, s in _qa_speakers(text)] == ["Wikinews", "Nick Bos"] * 2


def test_interview_with_then_sat_down_with_names_the_interviewer() -> None:
    # "X sat down with Y" alone would make X the interviewer; the title says X is interviewed.
    text = (
        "Interview with philosopher Noam Chomsky\n\n"
        "On March 13, Professor Chomsky sat down with Michael Dranove for an interview.\n\n" + _QA
    )
    assert [s for _, s in _qa_speakers(text)[1:]] == ["Michael Dranove", "Noam Chomsky"] * 2


def test_a_question_without_its_mark_and_a_long_answer_ending_in_one() -> None:
    answer = " ".join(["We drilled for a week and found nothing at all."] * 9)
    text = (
        "Wikinews interviewed Ruth Okafor about the drilling.\n\n"
        "How did you come to be involved with this\n\nA colleague asked me.\n\n"
        f"What did you find?\n\n{answer} Why would we?\n\nWhy keep going?\n\nHope."
    )
    speakers = [s for _, s in _qa_speakers(text)]
    assert speakers[:3] == ["Wikinews", "Ruth Okafor", "Wikinews"]
    # The long answer is Okafor's to its last (rhetorical) question.
    assert set(speakers[3:-2]) == {"Ruth Okafor"}
    assert speakers[-2:] == ["Wikinews", "Ruth Okafor"]


def test_lead_and_team_is_the_named_lead() -> None:
    text = (
        "Nick Bos, of the University of Helsinki, studies ants. "
        "In a recently-accepted paper Bos and colleagues describe ants that self-medicate."
    )
    assert attribute(text)[1] == ("Nick Bos", REPORTED)
    assert speaker(resolve.lead_and_team(subject(text, "Bos and his team"))) == "Nick Bos"
    assert resolve.lead_and_team(subject(text, "Bos and Smith")) is None


def test_a_nickname_in_quotation_marks_is_no_interviewee() -> None:
    text = f"Frank Messina: An Interview with the 'Mets Poet'\n\n{_QA}"
    assert [s for _, s in _qa_speakers(text)] == [None] * 4


_ADDRESSED_QA = (
    "What got you started?\n\nA poetry reading in 1990.\n\n"
    "How do you write?\n\nLate at night.\n\n"
    "Where do you perform?\n\nAt the stadium."
)


def test_a_q_and_a_without_an_introduction_by_its_shape_under_a_named_title() -> None:
    text = f"Frank Messina: an evening with the poet\n\n{_ADDRESSED_QA}"
    assert [s for _, s in _qa_speakers(text)] == [None, "Frank Messina"] * 3
    # Two questions are not enough to tell a Q&A from a story that asks and answers.
    two = _ADDRESSED_QA.rsplit("\n\nWhere", 1)[0]
    assert [s for _, s in _qa_speakers(f"Frank Messina: an evening\n\n{two}")] == [None] * 4


def test_rhetorical_questions_or_a_title_without_a_name_make_no_q_and_a() -> None:
    rhetorical = _ADDRESSED_QA.replace("you", "they")
    text = f"Frank Messina: an evening with the poet\n\n{rhetorical}"
    assert [s for _, s in _qa_speakers(text)] == [None] * 6
    assert [s for _, s in _qa_speakers(f"An evening at the stadium\n\n{_ADDRESSED_QA}")] == (
        [None] * 6
    )
