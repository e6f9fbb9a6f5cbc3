"""Reading an article from a file or stdin: size, encoding and HTML handled before any parsing.

No database here, so `factcheck extract` need not load SQLAlchemy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.errors import InvalidInput

MAX_ARTICLE_BYTES = 5 * 1024 * 1024  # checked before anything is parsed
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def decode_article(data: bytes, name: str) -> str:
    """UTF-8 text with clear refusals for empty, binary, NUL-bearing or oversized input."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise InvalidInput(
            f"{name} is {len(data):,} bytes; articles are limited to {MAX_ARTICLE_BYTES:,} bytes: "
            "split it or import the article text only"
        )
    if not data.strip():
        raise InvalidInput(f"{name} is empty: give a file with the article's text")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise InvalidInput(
            f"{name} contains a NUL byte at byte {offset}: it looks binary, not an article's text"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{name} is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}): "
            "convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8) and import it again"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_article(path: str, stdin_data: bytes | None = None) -> tuple[str, str, bool]:
    """(name, text, is_html) for a path, or '-' with stdin_data. Nothing is fetched."""
    if path == "-":
        data = stdin_data or b""
        name = "standard input"
        is_html = False
    else:
        file = Path(path)
        if not file.is_file():
            raise InvalidInput(f"no file at {path}: check the path")
        if file.stat().st_size > MAX_ARTICLE_BYTES:
            raise InvalidInput(
                f"{path} is {file.stat().st_size:,} bytes; articles are limited to "
                f"{MAX_ARTICLE_BYTES:,} bytes"
            )
        data = file.read_bytes()
        name = path
        is_html = file.suffix.lower() in HTML_SUFFIXES
    text = decode_article(data, name)
    if not is_html and text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        is_html = True
    return name, text, is_html


@dataclass(frozen=True)
class PageMetadata:
    """What a saved web page says about its article, from its <head> (None when absent).

    url is the canonical URL (<link rel="canonical"> or og:url); published is an ISO date
    (YYYY-MM-DD) from article:published_time, JSON-LD datePublished or similar.
    """

    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    publisher: str | None = None


def title_from_filename(name: str) -> str | None:
    """A readable title from a file name, for an article with no title line and no HTML title:
    'reports/2026-11-02_council-vote.txt' -> 'Council vote'. None for standard input."""
    if name in ("-", "standard input"):
        return None
    stem = Path(name).stem
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]*", "", stem)  # a leading date is not the title
    words = re.sub(r"[-_.+]+", " ", stem).split()
    if not words:
        return None
    title = " ".join(words)
    return title[0].upper() + title[1:]


def read_html(html: str) -> tuple[str | None, str, PageMetadata]:
    """(title, main text, metadata) of a saved web page, via trafilatura (the `html` extra).

    The title, when the page has one, is also the text's first paragraph, so extraction
    takes it as the article's title.
    """
    try:
        import trafilatura
    except ImportError as exc:
        if exc.name != "trafilatura":
            raise InvalidInput(
                f"the html extra is installed but cannot load ({exc}): reinstall it with "
                "pip install --force-reinstall 'factcheck[html]'"
            ) from None
        raise InvalidInput(
            "reading HTML needs the html extra: pip install 'factcheck[html]' "
            "(or save the page as plain text)"
        ) from None
    text = trafilatura.extract(
        _without_hidden(html),
        include_comments=False,
        include_tables=False,
        include_links=False,
        favor_precision=True,
        with_metadata=False,
    )
    if not text or not text.strip():
        raise InvalidInput("found no article text in that HTML page: save it as plain text")
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None and meta.title else None
    if title:
        text = f"{title}\n\n{text}"
    return title, text, _page_metadata(meta, title)


def _page_metadata(meta: object, title: str | None) -> PageMetadata:
    def field(name: str) -> str | None:
        value = getattr(meta, name, None) if meta is not None else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    url = field("url")
    published = field("date")
    return PageMetadata(
        title=title,
        url=url if url and url.startswith(("http://", "https://")) else None,
        author=field("author"),
        published=published
        if published and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published)
        else None,
        # trafilatura falls back to the host name when the page names no site.
        publisher=field("sitename") if field("sitename") != field("hostname") else None,
    )


_HIDDEN = (
    "//script | //style | //noscript | //template | //iframe | //object | //embed | //svg"
    " | //*[@hidden] | //*[@aria-hidden='true']"
    " | //*[contains(translate(@style, ' ', ''), 'display:none')]"
    " | //*[contains(translate(@style, ' ', ''), 'visibility:hidden')]"
)


# Class names that hide an element in the common CSS frameworks (Bootstrap, Tailwind,
# WordPress, Foundation): a page hides text with them without any style of its own.
HIDING_CLASSES = frozenset(
    {
        "hidden",
        "hide",
        "is-hidden",
        "d-none",
        "invisible",
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "show-for-sr",
        "element-invisible",
    }
)
# `.name { ... display: none ... }` (or visibility: hidden) in the page's own <style> blocks.
_HIDING_RULE = re.compile(
    r"((?:\.[\w-]+\s*,\s*)*\.[\w-]+)\s*\{[^}]*?(?:display\s*:\s*none|visibility\s*:\s*hidden)",
    re.I,
)


def _classes_hidden_by_styles(tree: Any) -> set[str]:
    found: set[str] = set()
    for style in tree.xpath("//style"):
        for match in _HIDING_RULE.finditer(style.text_content() or ""):
            found.update(part.strip().lstrip(".") for part in match.group(1).split(","))
    return found


def _without_hidden(html: str) -> str:
    """The page less what a reader never sees (scripts, styles, elements hidden by an
    attribute, an inline style, a hiding class of the common CSS frameworks, or a class the
    page's own <style> blocks hide), which an extractor might otherwise keep as article text."""
    import lxml.html  # comes with trafilatura

    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):  # type: ignore[attr-defined]
        return html
    hiding = HIDING_CLASSES | _classes_hidden_by_styles(tree)
    doomed = list(tree.xpath(_HIDDEN))
    for element in tree.xpath("//*[@class]"):
        if hiding.intersection(str(element.get("class", "")).split()):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return lxml.html.tostring(tree, encoding="unicode")
