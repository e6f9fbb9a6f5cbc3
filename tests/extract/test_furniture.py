"""Each furniture rule on its own, then in parse_article: skipped with a reason, never a claim."""

from __future__ import annotations

import pytest

from factcheck.extract import furniture
from factcheck.extract.article import parse_article
from factcheck.extract.furniture import Context, furniture_reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("1 of 18", "gallery counter"),
        ("Image 3 of 12.", "gallery counter"),
        ("Share Pin It More Galleries", "share buttons"),
        ("Click to share on WhatsApp", "share buttons"),
        ("Cite This Page:", "share buttons"),
        ("Bookmark", "share buttons"),
        ("(Reporting by Sam Okoro; Editing by Jan Harvey)", "reporting credit"),
        ("(Additional reporting by Yuka Obayashi in Tokyo)", "reporting credit"),
        ("-- With assistance from Ellen Moss", "reporting credit"),
        ("Burgess Everett contributed to this report.", "reporting credit"),
        ("bur-fo/jj", "reporting credit"),
        ("Correction: This posting has been updated to fix a date.", "correction"),
        ("This article has been updated.", "correction"),
        ("(Updates with shares in third paragraph.)", "editor's note"),
        ("This interview has been edited for length and clarity.", "editor's note"),
        ("Photograph: Stefan Rousseau/PA", "photo caption or credit"),
        (
            "Image caption, Darren Wells was jailed at Bristol Crown Court",
            "photo caption or credit",
        ),
        ("Snow in Buxton last winter (Image: Getty Images)", "photo caption or credit"),
        ("Getty Images for The Met Museum/Vogue", "photo caption or credit"),
        ("I said yes!!! Forever starts now pic.twitter.com/9fQk2LmN", "embedded post"),
        ("— Kelsey Dane (@kelseydane) November 1, 2026", "embedded post"),
        ("View this post on Instagram", "embedded post"),
        ("A post shared by Theo Marsh (@theomarsh)", "embedded post"),
        ("Wed 14 Nov 2026 18.02 GMT", "byline or timestamp"),
        ("PUBLISHED: November 18, 2026 at 7:45 p.m.", "byline or timestamp"),
        ("Posted at 03:12", "byline or timestamp"),
        ("11/19/2026 05:12 PM EST", "byline or timestamp"),
        ("Saturday December 05 2026, 12.01am, The Times", "byline or timestamp"),
        ("BY LENA MORRIS", "byline or timestamp"),
        ("By Kate Lyle For Mailonline", "byline or timestamp"),
        ("By David Wildstein, November 16 2026 4:11 pm", "byline or timestamp"),
        ("Larisa Brown, Defence Editor", "byline or timestamp"),
        ("Gill Plimmer in London", "byline or timestamp"),
        ("Our health reporter", "byline or timestamp"),
        ("Martin Blackburn", "byline or timestamp"),
        ("Want more analysis from POLITICO? POLITICO Pro is our premium service.", "promotion"),
        ("Send your story ideas to: bristol@bbc.co.uk", "contact line"),
        ("Follow BBC West on Facebook, X and Instagram.", "social prompt"),
        ("Filed under: Senate, Shutdown, Border", "editor's note"),
        (
            "Instituto Gonzaga, a school in Milan. Image: Friedrichstrasse.",
            "photo caption or credit",
        ),
        ("\"So far, it's the Internet: 1. But it's a long game.\" - Matthew Ingram", "pull quote"),
        ("I was hauled in and told to disconnect from my mother. Valerie Paris", "pull quote"),
    ],
)
def test_furniture_rules_know_what_a_line_is(line: str, reason: str) -> None:
    assert furniture_reason(line, Context()) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Reform UK have taken control of Thurrock Council, winning 31 of the 49 seats.",
        "Labour holds Sunderland",
        "The news spread on Twitter.",
        "Shares of the bank were little changed in afternoon trading.",
        "The pound has dropped by half a cent against the dollar to $1.262.",
        "Updated figures show inflation at 4.1 percent",
        "Kelsey Dane is engaged!",
        "Maria Delgado won the vote by 5,000.",
        "Others urge caution.",
        "Police said 3 of 12 suspects were released.",
        '"#blessed," she tweeted alongside a photo of the ring.',
        "The Department of Buildings slapped the property with a vacate order.",
        "On November 18, 2026 at 7:45 p.m. the council voted to delay the plan.",
        '"We will appeal," said Matthew Ingram.',
        "The minister left at noon. Others stayed",
    ],
)
def test_article_sentences_are_not_furniture(line: str) -> None:
    assert furniture_reason(line, Context()) is None


def test_a_caption_follows_a_gallery_counter() -> None:
    context = Context()
    assert furniture_reason("1 of 12", context) == "gallery counter"
    caption = "Watkins goes down under a challenge from Tarkowski"
    assert furniture_reason(caption, context) == "photo caption or credit"
    assert furniture.gallery_caption(caption, Context()) is None


def test_a_short_line_above_an_image_credit_is_its_caption() -> None:
    caption = "An example of severe eczema."
    assert furniture_reason(caption, Context(following="Image: Jambula.")) == (
        "photo caption or credit"
    )
    assert furniture_reason(caption, Context()) is None
    # A sentence that reports speech stays text, and a Guardian "Photograph:" line says
    # nothing about the paragraph above it.
    said = "The minister, Ann Bell, said rents would fall."
    assert furniture_reason(said, Context(following="Image: Jambula.")) is None
    assert furniture_reason(caption, Context(following="Photograph: Jill Mead/PA")) is None


def test_sources_then_categories_under_a_wikinews_story_are_skipped() -> None:
    text = (
        "Document found on street\n\nA document was found on Tuesday.\n\nSources\n\n"
        + "\n\n".join(f'"Story {n}" — Outlet, August 15, 2008' for n in range(6))
        + "\n\nCategories:\n\n"
        + "\n\n".join(["August 15, 2008", "Canada", "Published", "North America", "Politics"])
        + "\n\n"
        + "\n\n".join(["Environment", "Archived", "Ottawa"])
    )
    layout = parse_article(text)
    assert [p.text for p in layout.body] == ["A document was found on Tuesday."]
    assert len(layout.skipped) == 2 + 6 + 8


def test_an_author_note_needs_the_byline_name() -> None:
    context = Context()
    assert furniture_reason("By Nicole Gelinas", context) == "byline or timestamp"
    note = "Nicole Gelinas is a contributing editor of City Journal."
    assert furniture_reason(note, context) == "author's note"
    assert furniture_reason(note, Context()) is None


def test_a_lone_name_needs_a_known_first_name() -> None:
    assert furniture.lone_name("Hugh Son", Context()) == "byline or timestamp"
    assert furniture.lone_name("Key Events", Context()) is None
    assert furniture.lone_name("Reform Gain Thurrock", Context()) is None


def test_wire_furniture_is_skipped_around_the_story() -> None:
    text = (
        "Oil falls as OPEC+ signals output rise\n\nBy Sam Okoro\n\n"
        "LONDON (Reuters) - Oil prices fell 2% on Monday, two sources said.\n\n"
        "1 of 18\n\nTraders at the exchange in London on Monday\n\n"
        "Brent crude was down $1.70 at $71.20 a barrel.\n\n"
        "(Reporting by Sam Okoro; Editing by Jan Harvey)\n\n"
        "Correction: An earlier version misstated the price."
    )
    layout = parse_article(text)
    assert layout.title == "Oil falls as OPEC+ signals output rise"
    assert [p.text[:14] for p in layout.body] == ["LONDON (Reuter", "Brent crude wa"]
    assert [reason for _, reason in layout.skipped] == [
        "byline or timestamp",
        "gallery counter",
        "photo caption or credit",
        "reporting credit",
        "correction",
    ]


def test_everything_after_sources_or_topics_is_skipped() -> None:
    text = (
        "Transit agency freezes fares\n\nThe board voted on Wednesday.\n\nSources\n\n"
        '"CTA Board Approves 2027 Budget" — Chicago Transit Authority, November 11, 2026'
    )
    layout = parse_article(text)
    assert [p.text for p in layout.body] == ["The board voted on Wednesday."]


def test_a_headline_in_title_case_may_end_with_a_full_stop() -> None:
    layout = parse_article(
        "A Blood Test for Alzheimer's Is Coming. Doctors Aren't Sure What to Do With It.\n\n"
        "A simple blood test can detect the disease."
    )
    assert layout.title is not None and layout.title.startswith("A Blood Test")
    sentence = parse_article("The test is coming soon to clinics.\n\nDoctors are not sure.")
    assert sentence.title is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("AP tennis: https://apnews.com/hub/tennis", "bare URL"),
        ("By Clare Foran, Morgan Rimmer and Kristin Wilson, CNN", "byline or timestamp"),
        ("Link Copied!", "share buttons"),
        (
            "We use your sign-up to provide content in ways you've consented to.",
            "newsletter prompt",
        ),
        ("About the Author: Julia Hsu is a staff writer at The Atlantic.", "author's note"),
        ("Heard on Morning Edition", "editor's note"),
        ("A MARTÍNEZ, HOST:", "editor's note"),
        ("Contact Information", "editor's note"),
    ],
)
def test_more_furniture(line: str, reason: str) -> None:
    assert furniture_reason(line, Context()) == reason


def test_an_agency_name_opening_a_headline_is_not_a_credit() -> None:
    assert furniture_reason("EPA Finalizes Rule to Cut Methane From Wells", Context()) is None
    assert furniture_reason("EPA/Andy Rain", Context()) == "photo caption or credit"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            "By Emma Roth, a news writer who covers consumer tech and much more.",
            "byline or timestamp",
        ),
        ("Sarah Ellison / November 10, 2026", "byline or timestamp"),
        ("21 November 2026 Humanitarian Aid", "byline or timestamp"),
        ("Download the UN News app for your iOS or Android devices.", "promotion"),
    ],
)
def test_bylines_with_a_description_or_a_date_and_dated_sections(line: str, reason: str) -> None:
    assert furniture_reason(line, Context()) == reason


def test_a_sentence_with_a_date_and_words_is_not_a_timestamp() -> None:
    assert furniture_reason("Sales rose 4% in November 2026 Across Europe", Context()) is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("2 min read", "byline or timestamp"),
        ("Post at 17:31", "byline or timestamp"),
        ("Provided by University of Hawaii at Manoa", "reporting credit"),
        (
            "More information: Keoni Kealoha et al, Nature Ecology & Evolution (2026).",
            "reporting credit",
        ),
        ("Join our commenting forum", "promotion"),
    ],
)
def test_science_and_opinion_page_furniture(line: str, reason: str) -> None:
    assert furniture_reason(line, Context()) == reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("10:42", "byline or timestamp"),
        ("Pic: PA", "photo caption or credit"),
        ("News Release", "editor's note"),
        ("Go deeper: Tariffs push up toy prices", "related link"),
        ("By: Anna Lopez", "byline or timestamp"),
        ("Interview by Sean Ingle", "byline or timestamp"),
        ("This article was produced by a Local Democracy Reporter.", "reporting credit"),
        (
            "About the National Institutes of Health (NIH): NIH includes 27 institutes.",
            "editor's note",
        ),
    ],
)
def test_live_blog_times_release_boilerplate_and_short_credits(line: str, reason: str) -> None:
    assert furniture_reason(line, Context()) == reason


def test_an_author_note_by_honorific_and_surname() -> None:
    context = Context()
    furniture_reason("By Jessica Grose", context)
    note = "Ms. Grose is an Opinion writer who covers family and education."
    assert furniture_reason(note, context) == "author's note"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Joan E Greve in Washington", "byline or timestamp"),
        ("Originally Published -- 10:05 AM PT", "byline or timestamp"),
        ("Story Saved", "editor's note"),
        ("Unlock the Editor's Digest for free", "promotion"),
        ("Get the latest Mirror Money news by signing up to our newsletter", "newsletter prompt"),
    ],
)
def test_reach_and_ft_furniture(line: str, reason: str) -> None:
    assert furniture_reason(line, Context()) == reason


def test_an_inbox_prompt_is_a_newsletter_prompt() -> None:
    line = "Get the latest news from the M.E.N. straight to your inbox"
    assert furniture_reason(line, Context()) == "newsletter prompt"


def test_a_short_paragraph_in_lower_case_is_the_tail_of_a_caption() -> None:
    remnant = "pilgrims at Mecca's Grand Mosque in 2008."
    assert furniture_reason(remnant, Context()) == "photo caption or credit"
    # Edited copy does not start in lower case; but a long line, a quotation or a speech verb
    # does not make a caption.
    assert furniture.caption_remnant("iPhone sales rose by a tenth.", Context()) is None
    assert furniture.caption_remnant("pilgrims said the crane fell at noon.", Context()) is None
    assert furniture.caption_remnant('pilgrims at the mosque: "It fell."', Context()) is None
    assert furniture.caption_remnant("Pilgrims at Mecca's Grand Mosque in 2008.", Context()) is None


def test_a_pull_quote_signed_with_an_unlisted_name_is_one_when_the_article_repeats_it() -> None:
    quote = (
        "I was basically hauled in and told that my mum had attacked the church and that "
        "I needed to disconnect from her."
    )
    pulled = f"{quote} Valeska Paris"
    page = f"Paris left the ship in 2007.\n\n{pulled}\n\n{quote} She left in 2007."
    assert furniture_reason(pulled, Context(text=page)) == "pull quote"
    # Said once only, the same line is a sentence that ends in a name.
    assert furniture_reason(pulled, Context(text=f"Paris left.\n\n{pulled}")) is None
    layout = parse_article(f"Scientology ship\n\n{page}")
    assert [p.text for p, _ in layout.skipped] == [pulled]


def test_a_line_of_places_near_the_top_is_a_dateline() -> None:
    assert furniture_reason("Preston, Victoria, Australia", Context(index=2)) == (
        "byline or timestamp"
    )
    assert furniture.dateline("Evansville, Indiana -", Context(index=1)) is not None
    # Far down the page, a single place, or a sentence, is no dateline.
    assert furniture.dateline("Preston, Victoria, Australia", Context(index=12)) is None
    assert furniture.dateline("Preston", Context(index=1)) is None
    assert furniture.dateline("Preston, he said, is quiet.", Context(index=1)) is None


def test_a_credit_line_in_lower_case_still_marks_the_caption_above() -> None:
    caption = "This map shows the Ross Ice Shelf and the two known sites of the anemone"
    assert furniture_reason(caption, Context(following="image: Daly et al.")) == (
        "photo caption or credit"
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Our Standards: The Thomson Reuters Trust Principles.", "editor's note"),
        ("Dana Whitfield @DanaWhitfieldTV", "byline or timestamp"),
        ("Helen Ashworth North of England correspondent", "byline or timestamp"),
        ("VIDEO 2:31 02:31 Why Wall Street banks are betting on AI", "related link"),
        ("Don't miss these insights from CNBC PRO", "promotion"),
        (
            "Astronomer Lydia Ferrante at the observatory. Photo courtesy of the University of Arizona",
            "photo caption or credit",
        ),
    ],
)
def test_wire_business_and_magazine_furniture(line: str, reason: str) -> None:
    assert furniture_reason(line, Context()) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Don't miss the chance to see the comet, the society said.",
        "Helen Ashworth told the correspondent she would resign.",
        "The video lasted 2:31 and showed the crash.",
    ],
)
def test_sentences_like_the_new_furniture_are_kept(line: str) -> None:
    assert furniture_reason(line, Context()) is None


def test_the_text_above_an_embedded_posts_signature_is_the_post() -> None:
    post = "Headroom down from £9.9bn to £6.1bn. Smallest cushion since the rules came in."
    signature = "— Tom Hadley (@tomhadleyecon) March 4, 2026"
    assert furniture_reason(post, Context(following=signature)) == "embedded post"
    # Without the signature under it, or with a quotation in it, the line is article text.
    assert furniture_reason(post, Context(following="The chancellor spoke.")) is None
    quoted = 'Grant said: "Headroom is down to £6.1bn."'
    assert furniture.embedded_post_text(quoted, Context(following=signature)) is None
