"""Chatter ('"#blessed," she tweeted') stays a sentence of the article but is no claim."""

from __future__ import annotations

import pytest

from factcheck.extract import extract_article
from factcheck.extract.chatter import is_chatter


class AlwaysWorthy:
    """Scores every sentence above the threshold, so only is_chatter can say no."""

    name = "always"
    version = "1"
    threshold = 0.5

    def score_many(self, texts: list[str]) -> list[float]:
        return [0.9 for _ in texts]


@pytest.mark.parametrize(
    "sentence",
    [
        '"#blessed," she tweeted alongside a photo of the ring.',
        'She posted "wow 😍" on Instagram.',
        'He shared a photo captioned "home".',
        '"@ManUtd 🔴⚽️" the striker wrote under the video.',
    ],
)
def test_a_post_with_nothing_to_check_is_chatter(sentence: str) -> None:
    assert is_chatter(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        '"The bill cuts taxes for 3 million families," she tweeted.',
        '"Rigged election #StopTheSteal," he posted.',
        '"We will appeal," the company posted in a statement on its website.',
        '"Never," he said.',
        '"#blessed" is her favourite word, the singer said.',
        "She tweeted that the vaccine was unsafe.",
    ],
)
def test_a_post_that_asserts_something_is_not_chatter(sentence: str) -> None:
    assert not is_chatter(sentence)


def test_chatter_keeps_its_place_and_score_but_is_no_claim() -> None:
    text = (
        "Singer engaged\n\n"
        "The singer announced her engagement on Tuesday, her publicist said. "
        '"#blessed," she tweeted alongside a photo of the ring.'
    )
    extraction = extract_article(text, AlwaysWorthy())
    by_text = {s.text: s for s in extraction.sentences}
    chatter = by_text['"#blessed," she tweeted alongside a photo of the ring.']
    assert chatter.score == 0.9 and not chatter.checkworthy
    assert not any(text == chatter.text for text, _ in extraction.skipped)
    claim = by_text["The singer announced her engagement on Tuesday, her publicist said."]
    assert claim.checkworthy
