"""extract_article end to end, on the seed article and on small texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from factcheck.extract import Extraction, extract_article, score_lines

SEED = Path(__file__).resolve().parents[2] / "seeds" / "wannacry-attribution.txt"


class DigitScorer:
    """Deterministic stand-in for the model: sentences with a number are check-worthy."""

    name = "digits"
    version = "1"
    threshold = 0.5

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def score_many(self, texts: list[str]) -> list[float]:
        self.calls.append(texts)
        return [0.9 if any(c.isdigit() for c in text) else 0.1 for text in texts]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Extraction:
    return extract_article(seed_text, DigitScorer())


def test_seed_title(seed: Extraction) -> None:
    assert seed.title == "US government blames North Korea for WannaCry"


def test_seed_sentences_have_exact_offsets(seed: Extraction, seed_text: str) -> None:
    assert len(seed.sentences) == 14
    for sentence in seed.sentences:
        assert seed_text[sentence.start : sentence.end] == sentence.text
    first, fifth, last = seed.sentences[0], seed.sentences[4], seed.sentences[-1]
    assert (first.start, first.end) == (47, 217)
    assert first.text.startswith("The US administration has openly accused North Korea")
    assert (fifth.start, fifth.end, fifth.text) == (
        695,
        735,
        "WannaCry was indiscriminately reckless.\u201d",
    )
    assert (last.start, last.end) == (2046, 2165)
    assert last.text.endswith("Tomahawk missiles stolen.\u201d")


def test_nothing_from_check_also_onwards_is_a_sentence(seed: Extraction, seed_text: str) -> None:
    cut = seed_text.index("Check Also")
    assert all(sentence.end <= cut for sentence in seed.sentences)
    assert not any("QBS" in sentence.text for sentence in seed.sentences)
    assert seed.skipped[0] == ("Check Also", "related-stories marker")
    assert [reason for _, reason in seed.skipped[1:]] == ["teaser after 'Check Also'"] * 2


def by_start(seed: Extraction, prefix: str) -> tuple[str | None, str, str | None]:
    matches = [s for s in seed.sentences if s.text.startswith(prefix)]
    assert len(matches) == 1, prefix
    return matches[0].speaker, matches[0].kind, matches[0].cites


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("\u201cThe attack was widespread", ("Tom Bossert", "direct_quote", "Wall Street Journal")),
        (
            "\u201cNorth Korea has acted especially badly",
            ("Tom Bossert", "direct_quote", "Wall Street Journal"),
        ),
        (
            "WannaCry was indiscriminately reckless.",
            ("Tom Bossert", "direct_quote", "Wall Street Journal"),
        ),
        ("Homeland security advisor", ("Tom Bossert", "reported", "Wall Street Journal")),
        ("According to Bossert", ("Tom Bossert", "reported", None)),
        ("Microsoft president Brad Smith slammed", ("Brad Smith", "reported", None)),
        ("The Microsoft president said", ("Brad Smith", "reported", None)),
        (
            "\u201cThe governments of the world",
            ("Brad Smith", "direct_quote", "the company\u2019s blog"),
        ),
        ("\u201cWe need governments", ("Brad Smith", "direct_quote", "the company\u2019s blog")),
        ("An equivalent scenario", ("Brad Smith", "direct_quote", "the company\u2019s blog")),
        ("It is the same group", (None, "narration", None)),
        ("Smith\u2019s comments came", (None, "narration", None)),
        ("North Korea has repeatedly denied", ("North Korea", "reported", None)),
        ("The US administration has openly", ("The US administration", "reported", None)),
    ],
)
def test_seed_speakers(
    seed: Extraction, prefix: str, expected: tuple[str | None, str, str | None]
) -> None:
    assert by_start(seed, prefix) == expected


def test_scores_and_checkworthy_follow_the_scorer(seed: Extraction) -> None:
    hack = [s for s in seed.sentences if s.text.startswith("It is the same group")][0]
    assert (hack.score, hack.checkworthy) == (0.9, True)
    assert (seed.sentences[0].score, seed.sentences[0].checkworthy) == (0.1, False)


def test_to_dict_is_json_friendly(seed: Extraction) -> None:
    data = json.loads(json.dumps(seed.to_dict()))
    assert set(data) == {"title", "sentences", "skipped"}
    assert set(data["sentences"][0]) == {
        "text",
        "start",
        "end",
        "speaker",
        "kind",
        "cites",
        "score",
        "checkworthy",
        "speaker_type",
    }
    assert {s["speaker_type"] for s in data["sentences"] if s["speaker"]} <= {
        "person",
        "organization",
    }
    assert data["skipped"][0] == {"text": "Check Also", "reason": "related-stories marker"}


def test_empty_and_crlf_input() -> None:
    scorer = DigitScorer()
    empty = extract_article("", scorer)
    assert (empty.title, empty.sentences, empty.skipped) == (None, [], [])
    assert scorer.calls == []
    text = "Title here\r\n\r\nSales rose 5%. \u201cGreat,\u201d said Ann Lee.\r\n"
    result = extract_article(text, scorer)
    assert result.title == "Title here"
    assert [(s.text, s.speaker) for s in result.sentences] == [
        ("Sales rose 5%.", None),
        ("\u201cGreat,\u201d said Ann Lee.", "Ann Lee"),
    ]
    for sentence in result.sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_score_lines_uses_the_scorer_once() -> None:
    scorer = DigitScorer()
    assert score_lines(["no", "42"], scorer) == [0.1, 0.9]
    assert scorer.calls == [["no", "42"]]
    assert score_lines([], scorer) == []


def test_score_lines_rejects_a_scorer_that_drops_lines() -> None:
    class Broken(DigitScorer):
        def score_many(self, texts: list[str]) -> list[float]:
            return []

    with pytest.raises(ValueError, match="0 scores for 1 lines"):
        score_lines(["x"], Broken())


def test_default_scorer_is_the_checkworthy_model(seed_text: str) -> None:
    checkworthy = pytest.importorskip("factcheck.extract.checkworthy")
    model = checkworthy.load_model()
    result = extract_article(seed_text)
    assert len(result.sentences) == 14
    assert all(s.checkworthy == (s.score >= model.threshold) for s in result.sentences)


def test_importing_extract_does_not_load_the_model() -> None:
    import subprocess
    import sys

    code = (
        "import sys, factcheck.extract; "
        "print('factcheck.extract.checkworthy' in sys.modules, 'syntok' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


_PIECES = [
    *"aB .,;:!?\"'“”‘’«»\n\r\t—-…()7é🙂\u200b\ufeff\u2028",
    " said ",
    " Smith ",
    "Check Also",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
@example(",\t\t said ")  # a speech verb after a comma and white space only
def test_any_text_gives_exact_offsets_and_never_raises(text: str) -> None:
    result = extract_article(text, DigitScorer())
    for sentence in result.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.kind in {"direct_quote", "reported", "narration"}
