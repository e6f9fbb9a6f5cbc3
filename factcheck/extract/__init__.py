"""Article text -> sentences with exact offsets, speakers and check-worthiness scores.

Pure: plain strings in, plain dataclasses out; no database, no click. The scoring model is
imported only when a caller needs it and passes no scorer of its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from factcheck.extract.article import ArticleLayout, parse_article
from factcheck.extract.chatter import is_chatter
from factcheck.extract.sentences import Span, split_sentences
from factcheck.extract.speakers import Attribution, attribute_speakers

__all__ = [
    "ArticleLayout",
    "Attribution",
    "ExtractedSentence",
    "Extraction",
    "Scorer",
    "Span",
    "attribute_speakers",
    "extract_article",
    "parse_article",
    "score_lines",
    "split_sentences",
]


class Scorer(Protocol):
    """Anything that scores sentences for check-worthiness (higher = more worth checking)."""

    name: str
    version: str
    threshold: float

    def score_many(self, texts: list[str]) -> list[float]: ...


@dataclass(frozen=True)
class ExtractedSentence:
    """One article sentence; ``start``/``end`` index the original text."""

    text: str
    start: int
    end: int
    speaker: str | None
    kind: str
    cites: str | None
    score: float
    checkworthy: bool
    # "person" or "organization" when there is a speaker (schema.org's Person/Organization).
    speaker_type: str | None = None


@dataclass(frozen=True)
class Extraction:
    """The result of extract_article: title, scored sentences, and what was skipped."""

    title: str | None
    sentences: list[ExtractedSentence]
    skipped: list[tuple[str, str]]  # (text, reason)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "sentences": [asdict(sentence) for sentence in self.sentences],
            "skipped": [{"text": text, "reason": reason} for text, reason in self.skipped],
        }


def _default_scorer() -> Scorer:
    # Imported here so that importing factcheck.extract (and `factcheck --help`) stays cheap.
    from factcheck.extract.checkworthy import load_scorer

    model: Scorer = load_scorer()
    return model


def is_checkworthy(sentence: str, score: float, threshold: float) -> bool:
    """Import's decision for one sentence: its score reaches the threshold, and it is no
    chatter (a one-word social post: it keeps its score but is no claim; chatter.py says why).
    `extract --sentences` prints the same decision, so a script measures what import does."""
    return score >= threshold and not is_chatter(sentence)


def score_lines(lines: list[str], scorer: Scorer | None = None) -> list[float]:
    """Score each line for check-worthiness with scorer (default: the bundled model)."""
    if not lines:
        return []
    scorer = scorer if scorer is not None else _default_scorer()
    scores = [float(score) for score in scorer.score_many(list(lines))]
    if len(scores) != len(lines):
        raise ValueError(
            f"scorer {scorer.name} returned {len(scores)} scores for {len(lines)} lines"
        )
    return scores


def extract_article(
    text: str, scorer: Scorer | None = None, *, fallback_title: str | None = None
) -> Extraction:
    """Split an article into attributed, scored sentences, skipping page furniture.

    fallback_title is the title when the text has no title line (the HTML page's title, or
    one made from the file name by factcheck.textfiles.title_from_filename).
    """
    layout = parse_article(text)
    spans = [
        s
        for paragraph in layout.body
        for s in split_sentences(text, paragraph.start, paragraph.end)
    ]
    attributions = attribute_speakers(text, spans)
    if spans:
        scorer = scorer if scorer is not None else _default_scorer()
        scores = score_lines([span.text for span in spans], scorer)
        threshold = scorer.threshold
    else:
        scores, threshold = [], 0.0
    sentences = [
        ExtractedSentence(
            text=span.text,
            start=span.start,
            end=span.end,
            speaker=attribution.speaker,
            kind=attribution.kind,
            cites=attribution.cites,
            score=score,
            checkworthy=is_checkworthy(span.text, score, threshold),
            speaker_type=attribution.speaker_type,
        )
        for span, attribution, score in zip(spans, attributions, scores, strict=True)
    ]
    return Extraction(
        title=layout.title or fallback_title,
        sentences=sentences,
        skipped=[(span.text, reason) for span, reason in layout.skipped],
    )
