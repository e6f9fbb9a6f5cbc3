"""Furniture by kind, round 5 (issue 14): each detector of this round on the furniture it
names (kinds seen on house-heldout5's misses), and real sentences that look like it and stay
article text."""

from __future__ import annotations

import pytest

from factcheck.extract import furniture
from factcheck.extract.article import parse_article
from factcheck.extract.furniture import Context, furniture_reason

CAPTION = "photo caption or credit"


@pytest.mark.parametrize(
    ("detector", "line", "reason"),
    [
        (
            furniture.credit_mark,
            "[1/2]Containers are stacked at the port of Aarhus, Denmark, May 4, 2025. "
            "REUTERS/Tom Little/File Photo",
            CAPTION,
        ),
        (furniture.credit_mark, "Ashby's has 410 stores across the UK © Bloomberg", CAPTION),
        (
            furniture.credit_mark,
            "Sen. Dean Moritz speaks during a news conference on Capitol Hill, Dec. 1, 2026. "
            "| Mark Tolliver/POLITICO",
            CAPTION,
        ),
        (
            furniture.credit_mark,
            'Glaciologist Katrin Brandt at the Rhône Glacier: "Every summer is now a record" '
            "Foto: Lukas Meier / DER SPIEGEL",
            CAPTION,
        ),
        (
            furniture.credit_line,
            "Translated from the German by Christopher Sands",
            "reporting credit",
        ),
        (furniture.credit_line, "With files from Nadia Kostiuk", "reporting credit"),
        (furniture.credit_line, "Interview Conducted by Jonas Weber", "reporting credit"),
        (furniture.rate_note, "($1 = 7.0412 Danish crowns)", "editor's note"),
        (
            furniture.labelled_teaser,
            "Also Read | Delhi schools shift to hybrid classes as AQI turns 'severe'",
            "related link",
        ),
        (
            furniture.labelled_teaser,
            "WATCH | Residents pack meeting over tiny home village:",
            "related link",
        ),
        (furniture.labelled_teaser, "Duration 2:14", "related link"),
        (
            furniture.byline_strip,
            "Lena Fraser · CBC News · Posted: Dec 01, 2026 7:30 PM AST | Last Updated: 2 hours ago",
            "byline or timestamp",
        ),
        (
            furniture.byline_strip,
            "TOI City Desk / TNN / Updated: Dec 1, 2026, 21:40 IST",
            "byline or timestamp",
        ),
        (
            furniture.newsletter_box,
            "Our editor selects her favourite stories in this weekly newsletter.",
            "newsletter prompt",
        ),
        (
            furniture.newsletter_box,
            "Find out what's happening in Brookfield Hills with free, real-time updates from Patch.",
            "newsletter prompt",
        ),
        (
            furniture.newsletter_box,
            "By signing up, you acknowledge and agree to our Privacy Policy and Terms of Service.",
            "newsletter prompt",
        ),
        (furniture.page_control, "Save Article", "share buttons"),
        (furniture.page_control, "Purchase Licensing Rights, opens new tab", "share buttons"),
        (furniture.page_control, "Representative image", "share buttons"),
    ],
)
def test_detector_finds_its_kind(detector: furniture.Rule, line: str, reason: str) -> None:
    assert detector(line, Context()) == reason
    assert furniture_reason(line, Context()) is not None


@pytest.mark.parametrize(
    "line",
    [
        # a sentence that ends in its own words, with a slash or a credit-like phrase inside
        "Trucks queued for six hours at the US/Mexico border on Tuesday.",
        "The figures were compiled by the Office for National Statistics, which warned of delays.",
        "Produced by the Senate Finance Committee, the report runs to 400 pages.",
        "Translated from the German by Christopher Sands, the book sold 20,000 copies.",
        # a newsletter reported on is article text
        "The senator said in this weekly newsletter that taxes would rise.",
        "Residents get free updates from the council when roads close, officials said.",
        # a currency in a sentence, a bar in a quotation
        "The fine of $1 = 7 crowns was never paid, the court said.",
        '"Watch | listen | learn," the campaign urged voters.',
        # a real line with a "Posted:" stamp inside a sentence
        "The notice, posted: in the lobby on Dec 1, 2026, told tenants to leave.",
    ],
)
def test_real_sentences_stay(line: str) -> None:
    assert furniture_reason(line, Context()) is None


def test_credit_under_a_caption_only() -> None:
    """A name or an agency in capitals under a caption is its credit; the same name after
    prose, or one word in lower case under a caption (a gallery heading), stays."""
    after_caption = Context(previous=CAPTION)
    assert furniture.credit_under_caption("Kevin C. Dunne", after_caption) == CAPTION
    assert furniture.credit_under_caption("NYPD", Context(previous=CAPTION)) == CAPTION
    assert furniture.credit_under_caption("Superheroes", Context(previous=CAPTION)) is None
    assert furniture.credit_under_caption("NYPD", Context(previous=None)) is None


def test_caption_over_a_slash_credit() -> None:
    above = Context(following="Nigel Catton/Alamy")
    assert furniture.caption_over_slash_credit("Honeybees on a hive frame", above) == CAPTION
    # said something: article text an image follows
    said = "Beekeepers said losses doubled this year."
    assert furniture.caption_over_slash_credit(said, above) is None
    assert furniture.caption_over_slash_credit("Honeybees on a hive frame", Context()) is None


def test_labelled_tags_and_link_rows_only_under_the_prose() -> None:
    under = Context(after_prose=True, following=None)
    tags = "Related Topics: Climate Change, Switzerland, Glaciers"
    assert furniture.labelled_tags(tags, under) == "tags or buttons"
    assert furniture.labelled_tags("Filed Under crime nypd queens scams seniors", under)
    assert furniture.labelled_tags(tags, Context(after_prose=False)) is None
    links = "CBC's Journalistic Standards and Practices|About CBC News"
    assert furniture.link_row(links, Context(after_prose=True)) == "tags or buttons"
    assert furniture.link_row(links, Context(after_prose=False)) is None


def test_a_newsletter_box_in_an_article() -> None:
    """The box's prompt, its button beside it, all skipped; the prose around it stays."""
    text = (
        "School board weighs later start\n\n"
        "The board voted 5-2 on Monday to study a later start for high schools next year.\n\n"
        "Find out what's happening in Brookfield Hills with free, real-time updates from Patch.\n\n"
        "Let's go!\n\n"
        "Students in the pilot slept about 30 minutes more on school nights, a survey found.\n"
    )
    layout = parse_article(text)
    body = [span.text for span in layout.body]
    skipped = {span.text: reason for span, reason in layout.skipped}
    assert skipped["Let's go!"] == "newsletter prompt"
    assert any("updates from Patch" in line for line in skipped)
    assert any("board voted" in line for line in body)
    assert any("slept about" in line for line in body)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Firefighters battle the blaze on Tuesday. AP Photo/Jane Smith", CAPTION),
        ("Firefighters battle the blaze on Tuesday. Photo/Jane Smith", CAPTION),
        ("Firefighters battle the blaze on Tuesday. Copyright: Jane Smith", CAPTION),
        ("This article originally appeared on The Conversation.", "editor's note"),
        ("This story was originally published by ProPublica.", "editor's note"),
        ("(CNN) —", "byline or timestamp"),
        ("Enter your email address", "share buttons"),
        ("Leave a comment", "share buttons"),
        ("Republish this article", "share buttons"),
        ("Download our app", "share buttons"),
    ],
)
def test_common_page_furniture_of_other_sites(line: str, reason: str) -> None:
    """Furniture of the same kinds in the forms other sites write them."""
    assert furniture_reason(line, Context()) == reason


@pytest.mark.parametrize(
    "line",
    [
        "This article originally appeared to show a decline, but the figures were revised.",
        "This article appeared in the journal Nature last year and was cited 400 times.",
        "(CNN) — The storm hit the coast on Monday, killing three people.",
        "He posted a photo/video of the flood on Monday.",
        "File photos show the damage, the council said.",
    ],
)
def test_sentences_like_those_stay(line: str) -> None:
    assert furniture_reason(line, Context(previous=CAPTION)) is None


def test_a_lone_credit_word_only_under_a_caption() -> None:
    assert furniture.credit_under_caption("Supplied", Context(previous=CAPTION)) == CAPTION
    assert furniture.credit_under_caption("Supplied", Context()) is None
