"""Find an article's title, its body paragraphs, and the web-page furniture to ignore.

Skipping is deliberately conservative: a paragraph is furniture only when it is short and
matches a known shape as a whole, because a false skip silently loses a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from factcheck.extract.sentences import Span, split_paragraphs

__all__ = ["ArticleLayout", "parse_article"]

_TITLE_MAX_CHARS = 200
_TITLE_MAX_WORDS = 25
# Headlines carry no full stop; a trailing ? or ! is allowed (question headlines).
_TITLE_BAD_ENDINGS = (".", "…", ",", ";", ":")

# A teaser block after a marker longer than this is probably article text after all.
_MAX_TEASER_PARAGRAPHS = 12
# Furniture lines are short; a long paragraph that merely starts like one is kept.
_FURNITURE_MAX_WORDS = 30

# Paragraphs that, on their own, announce that the rest of the page is other stories.
_TAIL_MARKER = re.compile(
    r"(?:check|see|read) also|also read|related(?: (?:articles?|stories|posts|news|content|"
    r"coverage|reading|links?))?|read (?:more|next)|more (?:stories|news|on this story|"
    r"from [\w .&'’-]{1,40})|you (?:may|might) (?:also )?(?:like|be interested in|have missed)|"
    r"recommended(?: for you| stories| reading)?|most (?:read|popular|viewed|shared)|"
    r"trending(?: now| stories)?|further reading|don[’']t miss|what to read next|"
    r"top stories|latest (?:news|stories)|in other news",
    re.IGNORECASE,
)

_NEWSLETTER = re.compile(
    r"(?:sign up|subscribe)\b.{0,60}\b(?:newsletters?\b|our\b.{0,30}\b(?:briefing|bulletin|"
    r"updates|alerts|digest|emails?)\b)|get (?:our|the) .{0,30}newsletter",
    re.IGNORECASE,
)

_DATE_WORD = (
    r"(?:\d[\d:/.,-]*(?:am|pm|st|nd|rd|th|h)?|[ap]\.m\.|jan\w*|feb\w*|mar\w*|apr\w*|may|"
    r"jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|mon\w*|tue\w*|wed\w*|thu\w*|"
    r"fri\w*|sat\w*|sun\w*|am|pm|gmt|bst|utc|cet|cest|[ecmp][sd]?t|ago|at|on|today|yesterday|"
    r"hours?|hrs?|minutes?|mins?|days?|weeks?|[,|•·–-])"
)

# (reason, pattern matched against the whole paragraph).
_FURNITURE: list[tuple[str, re.Pattern[str]]] = [
    (
        "advertisement",
        re.compile(
            r"(?:advertisement|advert|ad|sponsored(?: content)?|paid content|"
            r"(?:story|article) continues (?:below|after)(?: (?:this|the) )?(?: ?advertisement| ad)?|"
            r"continue reading(?: (?:below|the main story))?|scroll (?:down )?to continue(?: reading)?)"
            r"[.:]?",
            re.IGNORECASE,
        ),
    ),
    (
        "share buttons",
        re.compile(
            r"(?:(?:share|tweet|email|print|copy link|pin|whatsapp|facebook|twitter|linkedin|"
            r"reddit|comments?)(?: (?:this|the) (?:article|story|page|post))?"
            r"(?: (?:on|via|to) (?:facebook|twitter|x|linkedin|whatsapp|reddit|email))?[\s|:•·,]*)+",
            re.IGNORECASE,
        ),
    ),
    (
        "social prompt",
        re.compile(
            r"(?:follow|like|find|join|connect with) us on (?:facebook|twitter|x|instagram|"
            r"linkedin|youtube|tiktok|telegram|whatsapp|threads|bluesky|mastodon|social media)"
            r"\b.*|follow us(?: @.*|:.*)?",
            re.IGNORECASE,
        ),
    ),
    (
        "photo caption or credit",
        re.compile(
            r"(?:photo|picture|image|video|graphic|illustration|file photo|photograph)s?"
            r"(?: credit)?\s*[:|/].*|(?:credit|source|image copyright|photo by|"
            r"picture by|image by|photograph by)\s*[:|].*|\(?(?:photo|picture|image) by\b.*",
            re.IGNORECASE,
        ),
    ),
    (
        "copyright",
        re.compile(
            r"(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*\d{4}).*|.*\ball rights reserved\.?",
            re.IGNORECASE,
        ),
    ),
    ("bare URL", re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)),
    (
        "related link",
        re.compile(
            r"(?:related|read more|more|see also|also read|read also|recommended|watch|listen|"
            r"click here|read the full story)(?:\s*(?::|»|>>|→)|\s+[-–—])\s*.*",
            re.IGNORECASE,
        ),
    ),
    (
        "byline or timestamp",
        re.compile(
            r"[Bb]y (?:[A-Z][\w.’'-]*\s?){1,4}(?:(?:and|&|,)\s(?:[A-Z][\w.’'-]*\s?){1,4})*"
            r"|(?i:published|updated|posted|last (?:updated|modified))\s*:?"
            rf"(?:\s*(?i:{_DATE_WORD}))+",
        ),
    ),
]


@dataclass(frozen=True)
class ArticleLayout:
    """Where the title, the article text and the skipped furniture are in the input."""

    title: str | None
    title_span: Span | None
    body: list[Span] = field(default_factory=list)
    skipped: list[tuple[Span, str]] = field(default_factory=list)


def _furniture_reason(paragraph: Span) -> str | None:
    text = paragraph.text
    if len(text.split()) > _FURNITURE_MAX_WORDS:
        return None
    if _NEWSLETTER.search(text) and len(text.split()) <= 20:
        return "newsletter prompt"
    for reason, pattern in _FURNITURE:
        if pattern.fullmatch(text):
            return reason
    return None


def _is_tail_marker(paragraph: Span) -> bool:
    text = paragraph.text.rstrip(":»>→ ").strip()
    return bool(_TAIL_MARKER.fullmatch(text))


def _looks_like_title(paragraph: Span) -> bool:
    text = paragraph.text
    if "\n" in text or "\r" in text or len(text) > _TITLE_MAX_CHARS:
        return False
    if len(text.split()) > _TITLE_MAX_WORDS or not any(c.isalpha() for c in text):
        return False
    return not text.rstrip("\"”’'»)]").endswith(_TITLE_BAD_ENDINGS)


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
            if len(paragraphs) - index - 1 <= _MAX_TEASER_PARAGRAPHS:
                marker = paragraph.text.strip()
                skipped.append((paragraph, "related-stories marker"))
                skipped.extend((p, f"teaser after '{marker}'") for p in paragraphs[index + 1 :])
                paragraphs = paragraphs[:index]
            break

    title_span: Span | None = None
    body: list[Span] = []
    tail_skips = skipped
    skipped = []
    for index, paragraph in enumerate(paragraphs):
        reason = _furniture_reason(paragraph)
        if reason is not None:
            skipped.append((paragraph, reason))
            continue
        # The title is the first real paragraph, and only if article text follows it.
        if title_span is None and not body and index < len(paragraphs) - 1:
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
