"""Find an article's title, its body paragraphs, and the web-page furniture to ignore.

What counts as furniture is decided by the named rules in furniture.py. Skipping is
deliberately conservative: a paragraph is furniture only when it is short and matches a known
shape as a whole, because a false skip silently loses a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from factcheck.extract.furniture import Context, furniture_reason, is_prose
from factcheck.extract.sentences import Span, split_paragraphs

__all__ = ["ArticleLayout", "parse_article"]

_TITLE_MAX_CHARS = 200
_TITLE_MAX_WORDS = 25
_LABEL_MAX_WORDS = 4
# Headlines carry no full stop; a trailing ? or ! is allowed (question headlines).
_TITLE_BAD_ENDINGS = (".", "…", ",", ";", ":")

# A teaser block after a marker longer than this is probably article text after all.
_MAX_TEASER_PARAGRAPHS = 12

# Paragraphs that, on their own, announce that the rest of the page is other stories (or the
# article's sources and topics: Wikinews "Sources", the Guardian's "Explore more on these topics").
_TAIL_MARKER = re.compile(
    r"(?:check|see|read) also|also read|related(?: (?:articles?|stories|posts|news|content|"
    r"coverage|reading|links?|topics))?|read (?:more|next)|more (?:stories|news|on this story|"
    r"from [\w .&'’-]{1,40})|you (?:may|might) (?:also )?(?:like|be interested in|have missed)|"
    r"recommended(?: for you| stories| reading)?|most (?:read|popular|viewed|shared)|"
    r"trending(?: now| stories)?|further reading|don[’']t miss|what to read next|"
    r"top stories|latest (?:news|stories)|in other news|sources|external links|"
    r"explore more on these topics|more on these topics|story source|categories",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ArticleLayout:
    """Where the title, the article text and the skipped furniture are in the input."""

    title: str | None
    title_span: Span | None
    body: list[Span] = field(default_factory=list)
    skipped: list[tuple[Span, str]] = field(default_factory=list)


def _is_tail_marker(paragraph: Span) -> bool:
    text = paragraph.text.rstrip(":»>→ ").strip()
    return bool(_TAIL_MARKER.fullmatch(text))


def _is_prose(paragraph: Span) -> bool:
    """Prose by its shape that no rule knows as furniture on its own."""
    return is_prose(paragraph.text) and furniture_reason(paragraph.text, Context()) is None


def _looks_like_title(paragraph: Span) -> bool:
    text = paragraph.text
    if "\n" in text or "\r" in text or len(text) > _TITLE_MAX_CHARS:
        return False
    if len(text.split()) > _TITLE_MAX_WORDS or not any(c.isalpha() for c in text):
        return False
    if not text.rstrip("\"”’'»)]").endswith(_TITLE_BAD_ENDINGS):
        return True
    return text.endswith(".") and _headline_case(text)


def _words(text: str) -> int:
    return sum(any(c.isalpha() for c in word) for word in text.split())


def _is_section_label(paragraphs: list[Span], index: int) -> bool:
    """A page's section or kicker above its headline ("Ideas", "Gadgets", "Dairy / Milk
    prices"): one or two words, or a path of them, then (past any more such labels) a
    headline of at least six words. Three plain words may be the headline itself
    ("Margaret Hollis obituary", with its standfirst below)."""

    def label(text: str) -> bool:
        words = _words(text)
        return words <= 2 or (words <= _LABEL_MAX_WORDS and bool(re.search(r" [/|>»] ", text)))

    if not label(paragraphs[index].text):
        return False
    for paragraph in paragraphs[index:]:
        if not _looks_like_title(paragraph):
            return False
        if not label(paragraph.text):
            return _words(paragraph.text) >= 6
    return False


def _headline_case(text: str) -> bool:
    """'A Blood Test Is Coming. Doctors Aren't Sure.': nearly every long word capitalised, as
    headlines are and sentences never are."""
    long_words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", text) if len(w) >= 4]
    return len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) >= 0.9 * len(long_words)


def _same_words(a: str, b: str) -> bool:
    return a.casefold().split() == b.casefold().split()


def parse_article(text: str) -> ArticleLayout:
    """Split article text into a title, body paragraphs and skipped furniture."""
    paragraphs = split_paragraphs(text)
    skipped: list[tuple[Span, str]] = []

    # Everything after a related-stories marker is teasers for other stories, as long as
    # that tail is short enough to be a teaser block rather than the rest of the article.
    for index, paragraph in enumerate(paragraphs):
        if index > 0 and _is_tail_marker(paragraph):
            # Each block after a marker is counted to the next marker: Wikinews puts its
            # "Sources" list and then its "Categories:" under the article.
            markers = [j for j in range(index, len(paragraphs)) if _is_tail_marker(paragraphs[j])]
            ends = [*markers[1:], len(paragraphs)]
            # ... and holds no prose: an in-article "Recommended" box is one headline, then
            # the story goes on (the teaser rules in furniture.py take the headline).
            if all(
                end - start - 1 <= _MAX_TEASER_PARAGRAPHS
                for start, end in zip(markers, ends, strict=True)
            ) and not any(_is_prose(p) for p in paragraphs[index + 1 :]):
                marker = paragraph.text.strip()
                skipped.append((paragraph, "related-stories marker"))
                skipped.extend((p, f"teaser after '{marker}'") for p in paragraphs[index + 1 :])
                paragraphs = paragraphs[:index]
            break

    title_span: Span | None = None
    body: list[Span] = []
    tail_skips = skipped
    skipped = []
    context = Context()
    # Prose by its shape, less what a rule knows as furniture on its own (a disclaimer, an
    # author's note): what lies above the first and below the last is the page's head and foot.
    # Only the first and the last paragraph of prose matter: look from each end.
    first = next((i for i, p in enumerate(paragraphs) if _is_prose(p)), None)
    last = next((i for i in reversed(range(len(paragraphs))) if _is_prose(paragraphs[i])), None)
    prose = [] if first is None or last is None else [first, last]
    for index, paragraph in enumerate(paragraphs):
        context.following = paragraphs[index + 1].text if index + 1 < len(paragraphs) else None
        context.text = text
        context.index = index
        context.title_seen = title_span is not None
        context.before_prose = bool(prose) and index < prose[0]
        context.after_prose = bool(prose) and index > prose[-1]
        context.prose_after = bool(prose) and index < prose[-1]
        reason = furniture_reason(paragraph.text, context)
        if reason is not None:
            skipped.append((paragraph, reason))
            continue
        # The title is the first real paragraph, and only if article text follows it.
        if title_span is None and not body and index < len(paragraphs) - 1:
            if _is_section_label(paragraphs, index):
                skipped.append((paragraph, "section label above the headline"))
                continue
            if _looks_like_title(paragraph):
                title_span = paragraph
                continue
        # A saved page often repeats its headline (the page title, then the <h1>).
        if title_span is not None and not body and _same_words(paragraph.text, title_span.text):
            skipped.append((paragraph, "title repeated"))
            continue
        body.append(paragraph)

    return ArticleLayout(
        title=title_span.text if title_span else None,
        title_span=title_span,
        body=body,
        skipped=skipped + tail_skips,
    )
