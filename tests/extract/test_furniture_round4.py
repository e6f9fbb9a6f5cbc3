"""Furniture by kind, round 4 (issue 14): each detector on the furniture it names, and a real
sentence that looks like it and stays article text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.extract import furniture
from factcheck.extract.article import parse_article
from factcheck.extract.furniture import Context, furniture_reason
from tests.conftest import run_installed


@pytest.mark.parametrize(
    ("detector", "line", "reason"),
    [
        (furniture.page_control, "Report a typo", "share buttons"),
        (furniture.page_control, "Share full article", "share buttons"),
        (furniture.page_control, "Listen to this article", "share buttons"),
        (furniture.page_control, "Copy link", "share buttons"),
        (furniture.page_control, "Image caption", "share buttons"),
        (furniture.page_control, "Accept all cookies", "share buttons"),
        (furniture.page_control, "Submit a letter to the editor", "share buttons"),
        (
            furniture.cookie_notice,
            "We use cookies to improve your experience. By continuing you agree to our policy.",
            "cookie notice",
        ),
        (
            furniture.promotion_line,
            "Get all the latest Man Utd news, transfers and more",
            "promotion",
        ),
        (furniture.promotion_line, "For more information, visit www.example.com.", "promotion"),
        (
            furniture.promotion_line,
            "Disclaimer: The aggregator is not responsible for the accuracy of news releases.",
            "promotion",
        ),
        (furniture.editor_aside, "(SOUNDBITE OF MUSIC)", "editor's note"),
        (furniture.editor_aside, "[Note: The interview took place in May]", "editor's note"),
        (furniture.editor_aside, "Ed.: See the catalog for a full index.", "editor's note"),
        (furniture.gallery_number, "2", "gallery counter"),
        (furniture.reporting_from, "Reporting from Fairmont, Iowa", "byline or timestamp"),
        (
            furniture.caption_with_credit,
            "Floodwater surrounds a homestead on Sunday. (Supplied: Bronwyn McAllister)",
            "photo caption or credit",
        ),
        (
            furniture.caption_with_credit,
            "A teenager checks her phone in bed. (Getty Images)",
            "photo caption or credit",
        ),
        (
            furniture.caption_with_credit,
            "Fans outside the stadium. (AP Photo/Jae C. Hong)",
            "photo caption or credit",
        ),
        (
            furniture.caption_with_credit,
            "Kevin at work in the Golden Fry Credit: Jon Ashford",
            "photo caption or credit",
        ),
        (
            furniture.caption_with_credit,
            "A resident outside her unit last month. Jenna Schoenefeld for The New York Times",
            "photo caption or credit",
        ),
        (
            furniture.caption_with_credit,
            "Herrick at a wiki meeting in 2008 Image: ShakataGaNai.",
            "photo caption or credit",
        ),
        (furniture.name_caption, "Michael Tien of NPP", "photo caption or credit"),
        (
            furniture.name_caption,
            "Political activist and philosopher Noam Chomsky",
            "photo caption or credit",
        ),
        (furniture.name_caption, "Charles Bolden of NASA", "photo caption or credit"),
        (
            furniture.byline,
            "ABC Western Qld / By Jessica Tran and Liam O'Rourke",
            "byline or timestamp",
        ),
        (
            furniture.byline,
            "By Lisa Nguyen – Reporter, Cincinnati Business Courier",
            "byline or timestamp",
        ),
        (furniture.byline, "Fiona Hamilton, Crime and Security Editor", "byline or timestamp"),
        (furniture.byline, "Special to the Tribune", "byline or timestamp"),
        (furniture.byline, "Contributing: Erin Halloway and Marcus Webb", "byline or timestamp"),
        (
            furniture.timestamp,
            "Posted at 6:12 PM, Mar 03, 2026 and last updated 8:40 PM, Mar 03, 2026",
            "byline or timestamp",
        ),
        (
            furniture.timestamp,
            "March 10, 2026 08:00 AM Eastern Daylight Time",
            "byline or timestamp",
        ),
        (furniture.timestamp, "News Release 3-Mar-2026", "byline or timestamp"),
        (furniture.timestamp, "Updated 3 hours ago", "byline or timestamp"),
        (furniture.timestamp, "14:32 GMT", "byline or timestamp"),
        (
            furniture.newsletter_prompt,
            "Sign up for the Capital Region Breaking News email",
            "newsletter prompt",
        ),
        (furniture.caption_with_credit, "(AP Photo/Jae C. Hong)", "photo caption or credit"),
        (furniture.dateline_alone, "WASHINGTON (Reuters) -", "byline or timestamp"),
        (furniture.dateline_alone, "LONDON, March 4 (Reuters) —", "byline or timestamp"),
        (furniture.dateline_alone, "CAPE CANAVERAL, Fla. (AP) —", "byline or timestamp"),
        (furniture.promotion_line, "This article is for subscribers only", "promotion"),
        (furniture.promotion_line, "Already a subscriber? Log in", "promotion"),
        (furniture.page_control, "Gallery: 18 photos", "share buttons"),
        (furniture.page_control, "Listen 4 min", "share buttons"),
        (furniture.box_label, "In short:", "editor's note"),
        (furniture.box_label, "At a glance:", "editor's note"),
    ],
)
def test_each_detector_names_its_kind(detector: furniture.Rule, line: str, reason: str) -> None:
    assert detector(line, Context()) == reason
    assert furniture_reason(line, Context()) == reason


@pytest.mark.parametrize(
    "line",
    [
        "The photo was taken in 1998, Getty said.",
        "The company released a new image: a logo.",
        "Police said the photos (taken in 2019) were genuine.",
        "Credit card debt rose to a record, the bank said.",
        "The site uses cookies to track readers, regulators said.",
        "Get the latest figures from the ONS, she urged ministers.",
        "Reporting from the front line is dangerous, the charity said.",
        "Labour holds Sunderland",
        "Maria Delgado won the vote by 5,000.",
        "Austen, Jane. Pride and Prejudice",
        "Updated figures show inflation at 4.1 percent",
        "The minister said she would learn more about the plan next week.",
        "2 people were hurt.",
        "By 2030 the city wants 500 new homes.",
        "Sign up rates for the scheme fell by half, the council said.",
        "NATO",
        "UP NEXT",
        "THE PRESIDENT:",
        "Achieving four goals:",
        "In short, the plan failed.",
        "We discuss tonight domestic issues, but not our struggle with Mr. Khrushchev for survival.",
        "WASHINGTON (Reuters) - The Senate passed the bill on Tuesday.",
        "This article is based on interviews with 40 nurses, the union said.",
    ],
)
def test_near_miss_sentences_stay(line: str) -> None:
    assert furniture_reason(line, Context()) is None


def _layout(paragraphs: list[str]) -> list[tuple[str, str | None]]:
    text = "\n\n".join(paragraphs)
    layout = parse_article(text)
    skipped = {span.text: reason for span, reason in layout.skipped}
    return [(p, skipped.get(p)) for p in paragraphs]


PROSE = [
    "Crows in Seattle learn the schedules of individual garbage trucks, a study found.",
    "The study, published March 3 in a journal, tracked 96 tagged crows over two years.",
]


def test_mastheads_between_the_headline_and_the_prose_are_furniture() -> None:
    found = _layout(
        [
            "Urban crows recognize garbage trucks, study finds",
            "Peer-Reviewed Publication",
            "University of Washington",
            "Special Report",
            *PROSE,
        ]
    )
    assert [reason for _, reason in found[1:4]] == [
        "share buttons",
        "masthead or section",
        "masthead or section",
    ]
    assert all(reason is None for _, reason in found[4:])


def test_a_standfirst_or_a_one_word_heading_under_the_headline_stays() -> None:
    found = _layout(
        [
            "Councils warn of bus cuts",
            "Councils say a £120m shortfall will leave thousands of villages without a bus",
            "Interview",
            *PROSE,
        ]
    )
    assert [reason for _, reason in found] == [None, None, None, None, None]


def test_masthead_needs_the_headline_above_it() -> None:
    context = Context(before_prose=True)
    assert furniture.masthead_line("University of Washington", context) is None
    context.title_seen = True
    assert furniture.masthead_line("University of Washington", context) == "masthead or section"


def test_tags_and_buttons_under_the_last_paragraph_are_furniture() -> None:
    found = _layout(
        ["Libraries open fewer hours", *PROSE, "Subscriber exclusive", "Opinion", "Libraries"]
    )
    assert [reason for _, reason in found[3:]] == ["tags or buttons"] * 3


def test_a_heading_over_text_at_the_foot_stays() -> None:
    found = _layout(
        ["Valley win again", *PROSE, "UP NEXT", "Granite Valley: Hosts Dover Tech on Wednesday."]
    )
    assert [reason for _, reason in found[3:]] == [None, None]


def test_an_in_article_recommended_box_does_not_end_the_article() -> None:
    found = _layout(
        [
            "Halden cuts prices",
            *PROSE,
            "Recommended",
            "Lex: Halden needs more than cost cuts",
            "Marr, who joined from Unilever in 2023, said Halden would spend more this year.",
        ]
    )
    assert found[-1] == (found[-1][0], None)
    assert found[3][1] is not None and found[4][1] is not None


def test_a_teaser_excerpt_cut_with_an_ellipsis_is_not_prose() -> None:
    assert furniture.is_prose("The acquisition of the distributor was completed today, it said.")
    assert not furniture.is_prose("QBS has completed the acquisition of Maxtec. The acquisition …")
    assert not furniture.is_prose("Short line.")


def test_an_outlet_note_counts_only_under_the_story() -> None:
    line = "The Texas Tribune is a nonprofit, nonpartisan media organization."
    assert furniture.outlet_note(line, Context()) is None
    assert furniture.outlet_note(line, Context(after_prose=True)) == "author's note"


def test_an_author_bio_counts_only_with_no_prose_below_it() -> None:
    line = "Jane Smith is a reporter at the Star Tribune covering transport."
    assert furniture.author_bio(line, Context()) is None
    assert furniture.author_bio(line, Context(prose_after=False)) == "author's note"
    past = "Tom Jones was a reporter who was arrested in Iran in 2019 and held for months."
    assert furniture.author_bio(past, Context(prose_after=False)) is None
    found = _layout(["Libraries open fewer hours", *PROSE, line])
    assert found[-1][1] == "author's note"
    found = _layout(["Reporter freed", line, *PROSE])
    assert found[1][1] is None


def test_the_installed_extract_lists_each_kind_with_its_reason(tmp_path: Path) -> None:
    page = tmp_path / "crows.txt"
    page.write_text(
        "\n\n".join(
            [
                "Urban crows recognize garbage trucks, study finds",
                "University of Washington",
                "Crows in Seattle learn the schedules of individual garbage trucks, a study found.",
                "A tagged crow waits on a fence. (Supplied: Naomi Feld)",
                "The photo was taken in 1998, Getty said.",
                "The study tracked 96 tagged crows over two years in the north of the city.",
                "Opinion",
                "Libraries",
            ]
        ),
        encoding="utf-8",
    )
    done = run_installed("extract", str(page), "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [(s["text"], s["reason"]) for s in result["skipped"]] == [
        ("University of Washington", "masthead or section"),
        ("A tagged crow waits on a fence. (Supplied: Naomi Feld)", "photo caption or credit"),
        ("Opinion", "tags or buttons"),
        ("Libraries", "tags or buttons"),
    ]
    assert [s["text"] for s in result["sentences"]] == [
        "Crows in Seattle learn the schedules of individual garbage trucks, a study found.",
        "The photo was taken in 1998, Getty said.",
        "The study tracked 96 tagged crows over two years in the north of the city.",
    ]
