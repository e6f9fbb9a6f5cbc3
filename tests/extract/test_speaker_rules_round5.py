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


def _speakers(text: str) -> list[tuple[str | None, str]]:
    return [(a.speaker, a.rule) for a in attribute_speakers(text, split_sentences(text))]


def test_joint_organisations_speak_together_and_are_they() -> None:
    text = (
        "Carers Together and the Older People's Trust said in a joint statement that families "
        "would pay more. "
        '"This is a broken promise," they said.'
    )
    found = _speakers(text)
    assert found[0][0] == "Carers Together and the Older People's Trust"
    assert found[1][0] == "Carers Together and the Older People's Trust"


def test_a_titled_person_with_and_in_the_title_is_one_speaker() -> None:
    """The near miss: 'Work and Pensions Secretary Liz Kendall' is Liz Kendall, and 'Matthew
    Ingram of The Globe and Mail' is Matthew Ingram."""
    text = (
        "Liz Kendall spoke on Monday. "
        'Work and Pensions Secretary Liz Kendall insisted the reforms were "fair and necessary".'
    )
    assert _speakers(text)[1][0] == "Liz Kendall"
    text = (
        "Matthew Ingram wrote about it. "
        "Matthew Ingram of The Globe and Mail said the conflict was a war."
    )
    assert _speakers(text)[1][0] == "Matthew Ingram"


def test_a_relative_pronoun_stands_for_the_name_before_it() -> None:
    text = (
        "This year it was the schools minister, Tom Ridley, who said the latest results showed "
        "progress."
    )
    assert _speakers(text)[0][0] == "Tom Ridley"
    text = (
        "The shelters will be run by Harbour Outreach, a non-profit that says it will have "
        "staff on site."
    )
    assert _speakers(text)[0][0] == "Harbour Outreach"


def test_a_relative_after_a_common_noun_or_telling_someone_names_no_one() -> None:
    assert (
        _speakers("The rule stems from the law, which says landlords must register.")[0][0] is None
    )
    text = (
        "Tom Devocht runs a shop. "
        "He traveled to Florida to meet with Devocht, who had told Montalvo he would help."
    )
    assert _speakers(text)[1][0] is None


def test_a_place_after_an_institution_is_an_aside() -> None:
    text = "Marcus Hale at the University of Reading, UK, says the bees were fed a single dose."
    assert _speakers(text)[0][0] == "Marcus Hale"
    # the near miss: a name set off by commas after a role is the speaker, not an aside
    text = "An adviser to President Trump, Tom Bossert, said the attack was serious."
    assert _speakers(text)[0][0] == "Tom Bossert"


def test_a_described_company_cuts_its_forecast_saying() -> None:
    text = (
        "COPENHAGEN, Dec 1 (Reuters) - Danish container shipper Nordvik Line cut its full-year "
        "profit forecast on Monday, saying detours would raise costs. "
        "The company now expects profit of 1.9 billion crowns, it said."
    )
    found = _speakers(text)
    assert found[0][0] == "Nordvik Line"


def test_the_object_of_a_verb_phrase_is_not_the_subject() -> None:
    """The near miss: in 'Exxon Mobil agreed to buy Pioneer Natural Resources, saying',
    Pioneer is what was bought; Exxon Mobil says it."""
    text = (
        "HOUSTON, Dec 1 (Reuters) - Exxon Mobil agreed to buy Pioneer Natural Resources for "
        "$60 billion, saying the deal would double its output."
    )
    assert _speakers(text)[0][0] == "Exxon Mobil"


def test_a_possessive_after_a_verb_makes_the_phrase_a_clause() -> None:
    """'Analysts at Hargate Stockbrokers cut their profit forecasts': "forecasts" is a noun,
    and the words before it are a clause, never a speaker."""
    text = "Analysts at Hargate Stockbrokers cut their profit forecasts for next year by a fifth."
    assert _speakers(text)[0][0] is None


def test_a_possessive_after_and_or_of_stays_in_the_subject() -> None:
    text = "Friends of the victim and her family said the sentence was too light."
    assert _speakers(text)[0][0] == "Friends of the victim and her family"
    text = "Supporters of the bill and their lawyers said it would pass."
    assert _speakers(text)[0][0] == "Supporters of the bill and their lawyers"


def test_a_survey_of_a_number_by_an_organisation_is_the_organisation() -> None:
    text = (
        "But a survey of 60,000 pupils by the Reading Futures Trust found that only 33 per "
        "cent of them read for pleasure."
    )
    assert _speakers(text)[0] == ("Reading Futures Trust", "finding: document's author")


def test_figures_in_a_subject_still_make_it_a_clause() -> None:
    """The near miss: 'the economy shrank by 0.1% in September' is no speaker, and a comma
    after a number that is no thousands separator still ends a clause."""
    text = "The economy shrank by 0.1% in September, official figures show."
    assert _speakers(text)[0][0] != "The economy shrank by 0.1% in September"
    text = "In 2024, 300 residents signed the petition, and Mayor Ana Ruiz said it would pass."
    assert _speakers(text)[0][0] == "Ana Ruiz"
