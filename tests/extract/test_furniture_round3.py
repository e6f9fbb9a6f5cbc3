"""Furniture rules of round 3 (issue 14): each on its own, each with a real sentence that
looks like it and stays article text."""

from __future__ import annotations

import pytest

from factcheck.extract.article import parse_article
from factcheck.extract.furniture import Context, furniture_reason


def reasons(lines: list[str]) -> list[str | None]:
    context = Context()
    found = []
    for line in lines:
        context.following = None
        found.append(furniture_reason(line, context))
    return found


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Political Reporter", "byline or timestamp"),
        ("Senior health correspondent", "byline or timestamp"),
        ("The Associated Press", "byline or timestamp"),
        ("Staff and agencies", "byline or timestamp"),
        ("@janedoe", "byline or timestamp"),
        ("@janedoe @desk_news", "byline or timestamp"),
        ("Adobe Stock", "photo caption or credit"),
        ("iStock", "photo caption or credit"),
        (
            "Crowds on the pier at dusk on Friday. (Maria Lopez / The Coast Herald)",
            "photo caption or credit",
        ),
        ("Update, June 3rd, 9:10AM ET: This story has been updated with a comment.", "correction"),
        ("Updated: The earlier version misnamed the school.", "correction"),
        ("This is a developing story.", "editor's note"),
        ("This story will be updated.", "editor's note"),
        ("Media Contacts", "editor's note"),
        ("Investor Relations Contact:", "editor's note"),
        ("Safe Harbor Statement", "editor's note"),
        (
            "This news release contains forward-looking statements that involve risks.",
            "editor's note",
        ),
        (
            "John Arthur Penrose, engineer, born 4 May 1931; died 9 January 2026",
            "editor's note",
        ),
        ("Unlock this story with a subscription and read all our reporting.", "promotion"),
        ("Get breaking news alerts on your phone. Sign up here.", "newsletter prompt"),
        ("Reprints", "share buttons"),
        ("Most Popular", "related link"),
        ("Explore more on these topics", "related link"),
        ("About the Authors", "author's note"),
    ],
)
def test_round3_furniture(line: str, reason: str) -> None:
    assert furniture_reason(line, Context()) == reason


@pytest.mark.parametrize(
    "line",
    [
        "The political reporter was released on Tuesday.",
        "Reuters reported that the talks had stalled.",
        "She signed up for the course last year.",
        "Crowds gathered at the pier (about 2/3 of the town) on Friday.",
        "Updated figures showed the deficit had narrowed.",
        "The company said it would sign up 40 new suppliers.",
        "He was born 4 May 1931 in Leeds.",
        "Email @ address questions went unanswered.",
    ],
)
def test_real_sentences_like_them_stay_text(line: str) -> None:
    assert furniture_reason(line, Context()) is None


def test_headlines_under_a_teaser_heading_are_teasers_until_a_sentence() -> None:
    found = reasons(
        [
            "Most Read",
            "Council to close two libraries in budget cuts",
            "What the new bus timetable means for you",
            "The council said the cuts were unavoidable.",
            "Is there anything the town can do",
        ]
    )
    assert found == ["related link", "related link", "related link", None, None]


def test_an_inline_related_link_does_not_open_a_teaser_list() -> None:
    found = reasons(["Related: The town that turned off its lights", "What can a town do?"])
    assert found == ["related link", None]


def test_an_authors_biography_under_about_the_author_is_skipped() -> None:
    text = (
        "Heat pumps sell slowly in cold towns\n\n"
        "Sales of heat pumps fell by 12% last year, the trade body said.\n\n"
        "About the Author\n\nMarta Kowalczyk\n\nEnergy Reporter\n\n"
        "Marta covers energy and housing.\n\n@martak"
    )
    body = " ".join(span.text for span in parse_article(text).body)
    assert "Sales of heat pumps" in body
    for furniture in ("About the Author", "Energy Reporter", "Marta covers", "@martak"):
        assert furniture not in body, furniture
