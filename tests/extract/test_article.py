"""Article layout: title detection and conservative skipping of page furniture."""

from __future__ import annotations

import pytest

from factcheck.extract.article import parse_article


def test_title_is_a_short_unpunctuated_first_line_followed_by_text() -> None:
    layout = parse_article("Markets fall as rates rise\n\nShares fell 3% on Monday.")
    assert layout.title == "Markets fall as rates rise"
    assert layout.title_span is not None and layout.title_span.start == 0
    assert [p.text for p in layout.body] == ["Shares fell 3% on Monday."]


@pytest.mark.parametrize(
    "text",
    [
        "Shares fell 3% on Monday.\n\nThey rose on Tuesday.",  # a sentence, not a headline
        "Only one line without a stop",  # nothing follows: keep it as text
        "",
    ],
)
def test_no_title(text: str) -> None:
    layout = parse_article(text)
    assert layout.title is None
    assert [p.text for p in layout.body] == [p for p in text.split("\n\n") if p]


def test_question_headline_and_crlf() -> None:
    layout = parse_article("Is the hack over?\r\n\r\nExperts disagree.\r\n")
    assert layout.title == "Is the hack over?"
    assert [p.text for p in layout.body] == ["Experts disagree."]


def test_title_after_leading_furniture() -> None:
    layout = parse_article("Advertisement\n\nBanks cut jobs\n\nHSBC said it would cut 300 jobs.")
    assert layout.title == "Banks cut jobs"
    assert [(s.text, r) for s, r in layout.skipped] == [("Advertisement", "advertisement")]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Share this article", "share buttons"),
        ("Share on Facebook Share on Twitter Email", "share buttons"),
        ("Sign up for our newsletter", "newsletter prompt"),
        ("Subscribe to our daily newsletter for the latest news", "newsletter prompt"),
        ("Follow us on Twitter and Facebook", "social prompt"),
        ("Photo: Reuters/John Doe", "photo caption or credit"),
        ("Image copyright: Getty Images", "photo caption or credit"),
        ("© 2024 Acme Media. All rights reserved.", "copyright"),
        ("Copyright 2017 The Example Times", "copyright"),
        ("https://example.com/news/2017/hack?id=4", "bare URL"),
        ("www.example.com", "bare URL"),
        ("Related: Why the NHS was hit so hard", "related link"),
        ("READ MORE: The hackers behind WannaCry", "related link"),
        ("By Jane Smith and John Doe", "byline or timestamp"),
        ("Published 12 May 2017, 10:32 BST", "byline or timestamp"),
        ("Updated 3 hours ago", "byline or timestamp"),
    ],
)
def test_furniture_is_skipped(line: str, reason: str) -> None:
    text = f"Headline here\n\nThe article says something.\n\n{line}\n\nIt goes on here."
    layout = parse_article(text)
    assert [(s.text, r) for s, r in layout.skipped] == [(line, reason)]
    assert [p.text for p in layout.body] == ["The article says something.", "It goes on here."]


@pytest.mark.parametrize(
    "line",
    [
        "Copyright law changed in 2019, and publishers complained.",
        "More-than-expected growth was reported in May.",
        "Updated figures show inflation at 4.1 percent",
        "Officials urged residents to sign up for emergency alerts.",
        "By Tuesday the outbreak had spread to 150 countries.",
        "Join us at the rally on Sunday, organisers said.",
        "Related companies were also affected, Microsoft said.",
        "Photographers were kept away from the site.",
    ],
)
def test_article_text_that_looks_a_bit_like_furniture_is_kept(line: str) -> None:
    layout = parse_article(f"Headline here\n\nFirst paragraph.\n\n{line}\n\nLast paragraph.")
    assert layout.skipped == []
    assert line in [p.text for p in layout.body]


@pytest.mark.parametrize("marker", ["Check Also", "Related", "Read more:", "You may also like"])
def test_everything_after_a_trailing_teaser_marker_is_skipped(marker: str) -> None:
    text = (
        f"Headline\n\nBody one.\n\nBody two.\n\n{marker}\n\nOther story headline\n\n"
        "Other story teaser that ends in …"
    )
    layout = parse_article(text)
    assert [p.text for p in layout.body] == ["Body one.", "Body two."]
    assert [r for _, r in layout.skipped] == [
        "related-stories marker",
        f"teaser after '{marker}'",
        f"teaser after '{marker}'",
    ]


def test_a_marker_followed_by_a_long_text_is_not_a_teaser_block() -> None:
    rest = "\n\n".join(f"Paragraph {i} of the article." for i in range(20))
    layout = parse_article(f"Headline\n\nIntro.\n\nRelated\n\n{rest}")
    # The text after it stays; the heading alone is furniture (a teaser heading whose list
    # ends at the first sentence).
    assert len(layout.body) == 21
    assert [(p.text, why) for p, why in layout.skipped] == [("Related", "related link")]


def test_a_headline_repeated_under_the_title_is_skipped_once() -> None:
    layout = parse_article(
        "Drug maker raises price\n\ndrug maker  raises price\n\nShares rose.\n\n"
        "Drug maker raises price"
    )
    assert layout.title == "Drug maker raises price"
    assert [p.text for p in layout.body] == ["Shares rose.", "Drug maker raises price"]
    assert [(p.text, why) for p, why in layout.skipped] == [
        ("drug maker  raises price", "title repeated")
    ]


@pytest.mark.parametrize(
    ("labels", "headline"),
    [
        (["Ideas"], "The Phone Ban Worked. Now Comes the Hard Part."),
        (["Gadgets", "Tech"], "A new colour e-reader can finally run other apps"),
        (["Dairy / Milk prices"], "Milk buyer cuts January price as global markets slide"),
    ],
)
def test_section_labels_above_the_headline_are_not_the_title(
    labels: list[str], headline: str
) -> None:
    body = "Schools that took away smartphones got quieter hallways, teachers said."
    layout = parse_article("\n\n".join([*labels, headline, body]))
    assert layout.title == headline
    assert [(s.text, r) for s, r in layout.skipped] == [
        (label, "section label above the headline") for label in labels
    ]
    assert [p.text for p in layout.body] == [body]


@pytest.mark.parametrize(
    ("headline", "standfirst"),
    [
        # Three plain words are a headline: its standfirst is no headline under a label.
        ("Margaret Hollis obituary", "Campaigner who fought for disabled children's schooling"),
        # A short headline over a sentence: nothing to skip.
        ("Banks cut jobs", "HSBC said on Monday it would cut 300 jobs in its branches."),
    ],
)
def test_a_short_headline_over_its_standfirst_stays_the_title(
    headline: str, standfirst: str
) -> None:
    layout = parse_article(f"{headline}\n\n{standfirst}\n\nThe rest of the story.")
    assert layout.title == headline
    assert layout.skipped == []
