"""ClaimReview JSON-LD: what we publish (with rule warnings) and what we read from others."""

from __future__ import annotations

import json
from typing import Any

from factcheck.exchange.claimreview import (
    build_claimreview,
    build_claimreview_document,
    parse_claimreviews,
    parse_date,
)
from factcheck.exchange.jsonsafe import load_json_strict

ORG = {"name": "Example Fact Check", "url": "https://factcheck.example.org"}


def item(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "uuid": "0b6f3c2e-1111-4a4a-9c9c-123456789abc",
        "text": "The city spent $4 million on the new bridge last year, the mayor said.",
        "summary": "City spent $4m on the bridge",
        "speaker": "Mayor Jane Roe",
        "speaker_type": "person",
        "claim_date": "2024-03-01",
        "source_url": "https://news.example.com/bridge",
        "source_title": "Bridge costs soar",
        "source_publisher": "Example News",
        "source_date": "2024-03-02",
        "rating_label": "Half True",
        "rating_value": 4,
        "best": 6,
        "worst": 1,
        "scale": "politifact",
        "rationale": "The figure includes design work.",
        "reviewer": "ann",
        "reviewed_at": "2024-03-05T14:30:00.123456",
        "review_url": "https://factcheck.example.org/bridge-spending",
    }
    base.update(changes)
    return base


def test_a_complete_claim_builds_exact_markup_without_warnings() -> None:
    review, warnings = build_claimreview(item(), ORG)
    assert warnings == []
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "City spent $4m on the bridge",
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Half True",
            "ratingValue": 4,
            "bestRating": 6,
            "worstRating": 1,
        },
        "url": "https://factcheck.example.org/bridge-spending",
        "author": {
            "@type": "Organization",
            "name": "Example Fact Check",
            "url": "https://factcheck.example.org",
        },
        "datePublished": "2024-03-05",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Mayor Jane Roe"},
            "datePublished": "2024-03-01",
            "appearance": {
                "@type": "CreativeWork",
                "url": "https://news.example.com/bridge",
                "headline": "Bridge costs soar",
                "datePublished": "2024-03-02",
                "publisher": {"@type": "Organization", "name": "Example News"},
            },
        },
    }
    json.dumps(review)  # plain JSON types only


def test_label_without_a_value_gives_alternate_name_only() -> None:
    review, _ = build_claimreview(item(rating_label="Needs context", rating_value=None), ORG)
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Needs context"}


def test_long_claim_is_warned_about_not_cut() -> None:
    text = "x" * 112
    review, warnings = build_claimreview(item(summary=None, text=text), ORG)
    assert review["claimReviewed"] == text
    assert warnings == [
        "claimReviewed is 112 characters; give the claim a summary under 75: "
        'factcheck claim edit ID --summary "..."'
    ]
    _, warnings = build_claimreview(item(summary="y" * 74), ORG)
    assert warnings == []
    _, warnings = build_claimreview(item(summary="y" * 75), ORG)
    assert warnings == [
        "claimReviewed is 75 characters; give the claim a summary under 75: "
        'factcheck claim edit ID --summary "..."'
    ]


def test_rating_words_in_the_claim_are_warned_about_as_whole_words() -> None:
    _, warnings = build_claimreview(item(summary="False: the bridge is FAKE news"), ORG)
    assert len(warnings) == 1
    assert "rating word(s) 'false', 'fake'" in warnings[0]
    _, warnings = build_claimreview(item(summary="Pants-on-fire claim about taxes"), ORG)
    assert "'pants on fire'" in warnings[0]
    # Words that merely contain a rating word are fine.
    _, warnings = build_claimreview(item(summary="Trueman and Fakenham get a lifeline"), ORG)
    assert warnings == []


def test_the_rating_label_itself_counts_as_a_rating_word() -> None:
    _, warnings = build_claimreview(
        item(summary="Four Pinocchios for the bridge", rating_label="Four Pinocchios"), ORG
    )
    assert "'four pinocchios'" in warnings[0]


def test_missing_org_review_url_speaker_and_date_each_warn() -> None:
    review, warnings = build_claimreview(
        item(review_url=None, speaker=None, claim_date=None), {"name": None, "url": None}
    )
    assert warnings == [
        'no organisation name; set it: factcheck settings set org_name "Your Desk"',
        "no organisation url; set it: factcheck settings set org_url https://...",
        "no URL of the published fact check; record it: factcheck claim publish ID --url https://...",
        'no speaker; say who made the claim: factcheck claim edit ID --speaker "..."',
        "no claim date; say when it was made: factcheck claim edit ID --date YYYY-MM-DD",
    ]
    assert "url" not in review
    assert review["author"] == {"@type": "Organization"}
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "appearance": review["itemReviewed"]["appearance"],
    }


def test_missing_review_url_falls_back_to_the_org_url() -> None:
    org = {"name": "Desk", "url": "https://desk.example/#home"}
    review, warnings = build_claimreview(item(review_url=""), org)
    expected = "https://desk.example/#claim-0b6f3c2e-1111-4a4a-9c9c-123456789abc"
    assert review["url"] == expected
    assert warnings == [
        f"no URL of the published fact check, so {expected} was used; record where it was "
        "published: factcheck claim publish ID --url https://..."
    ]


def test_org_and_review_urls_must_be_http() -> None:
    _, warnings = build_claimreview(item(), {"name": "Desk", "url": "ftp://desk"})
    assert warnings == [
        "the organisation url 'ftp://desk' is not an http(s) URL; set it: "
        "factcheck settings set org_url https://..."
    ]
    _, warnings = build_claimreview(item(review_url="bridge.html", id=7), ORG)
    assert warnings == [
        "the published URL 'bridge.html' is not an http(s) URL; fix it: "
        "factcheck claim publish 7 --url https://..."
    ]


def test_organisation_speaker_and_non_web_sources() -> None:
    review, _ = build_claimreview(
        item(speaker="Ministry of Roads", speaker_type="organization", source_url="/tmp/a.txt"),
        ORG,
    )
    claim = review["itemReviewed"]
    assert claim["author"] == {"@type": "Organization", "name": "Ministry of Roads"}
    assert "appearance" not in claim  # a local path is never published


def test_document_collects_warnings_by_uuid() -> None:
    reviews, warnings = build_claimreview_document(
        [item(uuid="a"), item(uuid="b", speaker=None)], ORG
    )
    assert [r["claimReviewed"] for r in reviews] == ["City spent $4m on the bridge"] * 2
    assert warnings == {
        "b": ['no speaker; say who made the claim: factcheck claim edit ID --speaker "..."']
    }


def test_what_we_publish_reads_back() -> None:
    reviews, _ = build_claimreview_document([item()], ORG)
    parsed, skipped = parse_claimreviews(reviews)
    assert skipped == []
    assert parsed == [
        {
            "claim_text": "City spent $4m on the bridge",
            "speaker": "Mayor Jane Roe",
            "claim_date": "2024-03-01",
            "appearance_url": "https://news.example.com/bridge",
            "review_url": "https://factcheck.example.org/bridge-spending",
            "reviewer_org": "Example Fact Check",
            "review_date": "2024-03-05",
            "rating_label": "Half True",
            "rating_value": 4,
            "best": 6,
            "worst": 1,
            "normalised": 0.6,
        }
    ]


# ---- import of real publisher shapes --------------------------------------------------------

# A national fact-checker: numbers as strings, a Person with a job title, appearance as object.
NUMERIC = """{
  "@context": "https://schema.org",
  "@type": "ClaimReview",
  "datePublished": "2024-02-29T09:15:00-05:00",
  "url": "https://www.checker.example/factchecks/2024/feb/29/jane-doe/taxes/",
  "author": {"@type": "Organization", "name": "Checker", "url": "https://www.checker.example"},
  "claimReviewed": "Says taxes doubled under the governor.",
  "reviewRating": {
    "@type": "Rating", "ratingValue": "2", "bestRating": "6", "worstRating": "1",
    "alternateName": "Mostly False", "image": "https://static.checker.example/mostly-false.png"
  },
  "itemReviewed": {
    "@type": "Claim",
    "author": {"@type": "Person", "name": "Jane Doe", "jobTitle": "State senator"},
    "datePublished": "2024-02-26",
    "name": "in a campaign ad",
    "appearance": {"@type": "CreativeWork", "url": "https://video.example/ad-123"}
  }
}"""

# A text-only rating, several appearances, a list of speakers, a multi-type node.
TEXT_RATING = """[
  {
    "@context": {"@vocab": "http://schema.org/"},
    "@type": ["ClaimReview", "Review"],
    "claimReviewed": "Drinking hot water cures the flu",
    "author": [{"@type": "Organization", "name": "Fact Desk"}, "Fact Desk"],
    "datePublished": "12 March 2023",
    "reviewRating": {"@type": "Rating",
      "alternateName": "Incorrect. Hot water does not cure influenza."},
    "itemReviewed": {
      "@type": "Claim",
      "author": [{"@type": "Person", "name": "A. Blogger"}, {"@type": "Person", "name": "B. Poster"}],
      "firstAppearance": "not a url",
      "appearance": [
        {"@type": "CreativeWork", "url": "ftp://mirror.example/post"},
        {"@type": "SocialMediaPosting", "url": "https://social.example/p/1"}
      ]
    }
  },
  {"@type": "ClaimReview", "url": "https://desk.example/empty", "reviewRating": {"alternateName": "False"}},
  {"@type": "WebSite", "name": "Fact Desk"}
]"""

# A WordPress/Yoast page: an @graph with references by @id, "schema:" type prefix.
GRAPH = """{
  "@context": "https://schema.org",
  "@graph": [
    {"@type": "WebPage", "@id": "https://blog.example/post/#webpage", "url": "https://blog.example/post/"},
    {"@type": "Organization", "@id": "https://blog.example/#org", "name": "Blog Checks",
     "url": "https://blog.example/"},
    {"@type": "schema:ClaimReview", "@id": "https://blog.example/post/#claimreview",
     "author": {"@id": "https://blog.example/#org"},
     "mainEntityOfPage": {"@id": "https://blog.example/post/#webpage"},
     "claimReviewed": "  The moon landing was filmed in 1971  ",
     "datePublished": "2021-07-20",
     "itemReviewed": {"@type": "Claim", "author": "Anonymous forum user",
       "datePublished": "2021", "appearance": {"@id": "https://forum.example/t/42"}},
     "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
       "alternateName": "False"}}
  ]
}"""

# Early (2017) markup: itemReviewed is a CreativeWork with its own url, author is a string,
# an inverted scale (1 is best), and an out-of-range "-1" meaning "not rated".
LEGACY = """{
  "@context": "http://schema.org",
  "@type": "ClaimReview",
  "datePublished": "2017-03-05",
  "url": "https://old.example/fact/ghost-ship",
  "author": "Old Checks",
  "claimReviewed": "A ghost ship was spotted off the coast",
  "itemReviewed": {"@type": "CreativeWork",
    "author": {"@type": "Organization", "name": "Viral Site", "sameAs": "https://viral.example"},
    "datePublished": "March 3, 2017", "url": "https://viral.example/ghost-ship"},
  "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 1, "worstRating": 5,
    "alternateName": "Mostly true"}
}"""


def parsed(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    return parse_claimreviews(load_json_strict(text.encode(), "markup.json"))


def test_numbers_given_as_strings() -> None:
    reviews, skipped = parsed(NUMERIC)
    assert skipped == []
    assert reviews == [
        {
            "claim_text": "Says taxes doubled under the governor.",
            "speaker": "Jane Doe",
            "claim_date": "2024-02-26",
            "appearance_url": "https://video.example/ad-123",
            "review_url": "https://www.checker.example/factchecks/2024/feb/29/jane-doe/taxes/",
            "reviewer_org": "Checker",
            "review_date": "2024-02-29",
            "rating_label": "Mostly False",
            "rating_value": 2,
            "best": 6,
            "worst": 1,
            "normalised": 0.2,
        }
    ]


def test_text_only_ratings_lists_and_a_skipped_entry() -> None:
    reviews, skipped = parsed(TEXT_RATING)
    assert skipped == [
        "ClaimReview 2 (https://desk.example/empty) has no claimReviewed text: skipped"
    ]
    assert len(reviews) == 1
    review = reviews[0]
    assert review["claim_text"] == "Drinking hot water cures the flu"
    assert review["speaker"] == "A. Blogger, B. Poster"
    assert review["reviewer_org"] == "Fact Desk"
    assert review["review_date"] == "2023-03-12"
    assert review["claim_date"] is None
    assert review["appearance_url"] == "https://social.example/p/1"
    assert review["review_url"] is None
    assert review["rating_label"] == "Incorrect. Hot water does not cure influenza."
    assert (review["rating_value"], review["best"], review["worst"]) == (None, None, None)
    assert review["normalised"] is None


def test_graph_with_references() -> None:
    reviews, skipped = parsed(GRAPH)
    assert skipped == []
    assert reviews == [
        {
            "claim_text": "The moon landing was filmed in 1971",
            "speaker": "Anonymous forum user",
            "claim_date": None,  # a year alone is not a date
            "appearance_url": "https://forum.example/t/42",
            "review_url": "https://blog.example/post/",
            "reviewer_org": "Blog Checks",
            "review_date": "2021-07-20",
            "rating_label": "False",
            "rating_value": 1,
            "best": 5,
            "worst": 1,
            "normalised": 0.0,
        }
    ]


def test_legacy_creativework_shape_and_inverted_scale() -> None:
    reviews, _ = parsed(LEGACY)
    review = reviews[0]
    assert review["speaker"] == "Viral Site"
    assert review["claim_date"] == "2017-03-03"
    assert review["appearance_url"] == "https://viral.example/ghost-ship"
    assert review["reviewer_org"] == "Old Checks"
    assert review["normalised"] == 0.75  # 2 on a 5 (worst) .. 1 (best) scale


def test_out_of_range_values_are_not_normalised() -> None:
    data = json.loads(LEGACY)
    data["reviewRating"].update(ratingValue="-1", bestRating="5", worstRating="1")
    review = parse_claimreviews(data)[0][0]
    assert review["rating_value"] == -1 and review["normalised"] is None
    data["reviewRating"].update(ratingValue="high", bestRating=True)
    review = parse_claimreviews(data)[0][0]
    assert review["rating_value"] is None and review["best"] is None


def test_nested_and_missing_parts_are_tolerated() -> None:
    data = {
        "@type": "WebPage",
        "mainEntity": [{"@type": "ClaimReview", "claimReviewed": "Bare minimum"}],
    }
    reviews, skipped = parse_claimreviews(data)
    assert skipped == [
        "ClaimReview 1 has no rating factcheck can read (no alternateName, name or "
        "ratingValue): imported without a verdict"
    ]
    assert reviews[0]["claim_text"] == "Bare minimum"
    assert all(value is None for key, value in reviews[0].items() if key != "claim_text")


def test_non_string_claim_and_nothing_found() -> None:
    reviews, skipped = parse_claimreviews({"@type": "ClaimReview", "claimReviewed": {"x": 1}})
    assert reviews == [] and skipped == ["ClaimReview 1 has no claimReviewed text: skipped"]
    assert parse_claimreviews({"@type": "NewsArticle"}) == (
        [],
        ['no object with "@type": "ClaimReview" found'],
    )
    assert parse_claimreviews("just text") == ([], ['no object with "@type": "ClaimReview" found'])


def test_self_referencing_nodes_do_not_loop() -> None:
    data = {
        "@graph": [
            {"@id": "a", "@type": "CreativeWork", "url": {"@id": "a"}},
            {
                "@type": "ClaimReview",
                "claimReviewed": "Loop",
                "author": {"@id": "a"},
                "itemReviewed": {"@type": "Claim", "appearance": {"@id": "a"}},
            },
        ]
    }
    reviews, _ = parse_claimreviews(data)
    assert reviews[0]["appearance_url"] is None and reviews[0]["reviewer_org"] is None


def test_parse_date_keeps_only_complete_dates() -> None:
    assert parse_date("2024-02-29T23:59:00+14:00") == "2024-02-29"
    assert parse_date("March 3, 2017") == "2017-03-03"
    assert parse_date("2023-02-30") is None
    assert parse_date("2021") is None
    assert parse_date("March 2021") is None
    assert parse_date("yesterday-ish") is None
    assert parse_date(20240101) is None
    assert parse_date("") is None
    assert parse_date("March 3, 2017 " + "x" * 100) is None
