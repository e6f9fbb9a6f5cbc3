"""HTML page metadata (canonical URL, author, date, publisher) and titles from file names."""

from __future__ import annotations

import pytest

from factcheck.extract import extract_article
from factcheck.textfiles import PageMetadata, read_html, title_from_filename

PAGE = """<!doctype html><html><head><title>Council delays vote - Valley Herald</title>
<link rel="canonical" href="https://valleyherald.example/news/council-delays-vote">
<meta name="author" content="Carla Jimenez">
<meta property="og:site_name" content="Valley Herald">
<meta property="article:published_time" content="2026-11-18T19:45:00-08:00">
</head><body><article><h1>Council delays vote on Maple Street rezoning</h1>
<p>The Fairview City Council postponed a vote on Tuesday after more than 60 residents packed
the chamber to oppose the plan for 220 apartments on the site of a former lumber yard.</p>
<p>Councilwoman Denise Park said she wanted more time to study traffic counts before any
decision, and the mayor said the council would take up the issue again in December.</p>
</article></body></html>"""


def test_read_html_keeps_the_canonical_url_author_date_and_publisher() -> None:
    title, text, metadata = read_html(PAGE)
    assert metadata == PageMetadata(
        title=title,
        url="https://valleyherald.example/news/council-delays-vote",
        author="Carla Jimenez",
        published="2026-11-18",
        publisher="Valley Herald",
    )
    assert title is not None and text.startswith(title)
    assert "Fairview City Council" in text


def test_a_page_without_metadata_gives_none() -> None:
    page = (
        "<html><body><article><p>"
        + "The council voted to delay the plan after residents objected. " * 4
        + "</p></article></body></html>"
    )
    _title, _text, metadata = read_html(page)
    assert (metadata.url, metadata.author, metadata.published) == (None, None, None)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("seeds/wannacry-attribution.txt", "Wannacry attribution"),
        ("reports/2026-11-02_council_vote.txt", "Council vote"),
        ("Budget speech.md", "Budget speech"),
        ("standard input", None),
        ("-", None),
    ],
)
def test_title_from_filename(name: str, title: str | None) -> None:
    assert title_from_filename(name) == title


def test_extract_article_uses_the_fallback_title_only_without_a_title_line() -> None:
    class Zero:
        name, version, threshold = "zero", "1", 0.5

        def score_many(self, texts: list[str]) -> list[float]:
            return [0.0] * len(texts)

    body = "Shares fell 3% on Monday.\n\nThey rose on Tuesday."
    assert extract_article(body, Zero(), fallback_title="Market report").title == "Market report"
    titled = "Markets fall\n\n" + body
    assert extract_article(titled, Zero(), fallback_title="Market report").title == "Markets fall"
