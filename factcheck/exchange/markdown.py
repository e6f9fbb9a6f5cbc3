"""A Markdown report of claims, verdicts and evidence, safe to paste anywhere Markdown renders.

Every piece of user text is escaped, so a claim cannot add links, images, HTML or headings; only
http(s) URLs become links.
"""

from __future__ import annotations

import re
from typing import Any

from factcheck.render import safe_text

HEADING_WIDTH = 80
# Characters that act anywhere in a line (emphasis, code, links, HTML, entities, tables, GFM
# strikethrough, headings' closing hashes); a backslash shows each one literally.
_INLINE = re.compile(r"([\\`*_\[\]<>|&~#])")
# Characters that act only at the start of a line: quotes, lists, setext underlines, headings.
_LINE_START = re.compile(r"^(\s*)([>+=-]|\d+(?=[.)]))")
_HTTP_URL = re.compile(
    r"https?://[^\s<>\"\\\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+\Z", re.I
)


def escape(text: str) -> str:
    """User text as one line of literal Markdown."""
    return _escape_line(safe_text(text))


def _escape_line(line: str) -> str:
    line = _INLINE.sub(r"\\\1", line)
    # "1. x" becomes "1\. x"; "- x" becomes "\- x"
    return _LINE_START.sub(
        lambda m: (
            m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2))
        ),
        line,
    )


def _quote(text: str, indent: str = "") -> list[str]:
    """Multi-line user text as a block quote, line by line, each line escaped."""
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        shown = _escape_line(safe_text(raw)).strip()
        lines.append(f"{indent}> {shown}".rstrip())
    return lines


def _ours(label: str, text: str, indent: str = "") -> list[str]:
    """Our own words (a rationale, a note) as plain paragraphs under a label: never styled
    as a quotation, so a reader cannot take them for what a source said."""
    lines = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        shown = _escape_line(safe_text(raw)).strip()
        lines.append(f"{indent}{label + ' ' if number == 0 else ''}{shown}".rstrip() + "  ")
    lines[-1] = lines[-1].rstrip()
    return lines


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def link(label: str | None, url: str | None) -> str:
    """[label](url) for an http(s) URL; otherwise the label (or URL) as escaped text."""
    shown = (label or "").strip() or (url or "").strip()
    if url and _HTTP_URL.match(url.strip()):
        # The <...> form keeps parentheses in the URL from ending the link early.
        return f"[{escape(shown)}](<{url.strip()}>)"
    if label and url:
        return f"{escape(label.strip())} ({escape(url.strip())})"
    return escape(shown)


def _when(value: Any) -> str:
    return escape(str(value)[:16].replace("T", " ")) if value else ""


def _verdict_line(verdict: dict[str, Any]) -> str:
    label = escape(str(verdict.get("label") or verdict.get("rating") or ""))
    parts = [f"**{label}**"]
    if verdict.get("scale"):
        parts.append(f"({escape(str(verdict['scale']))})")
    if verdict.get("reviewer"):
        parts.append(f"by {escape(str(verdict['reviewer']))}")
    if verdict.get("created_at"):
        parts.append(f"on {_when(verdict['created_at'])}")
    return " ".join(parts)


def _claim_section(claim: dict[str, Any]) -> list[str]:
    ident = claim.get("id") if claim.get("id") is not None else claim.get("uuid")
    text = str(claim.get("text") or "")
    lines = [f"## Claim {escape(str(ident))}: {escape(_shorten(text, HEADING_WIDTH))}", ""]
    lines += _quote(text)
    lines.append("")
    facts = [
        ("Speaker", escape(str(claim["speaker"])) if claim.get("speaker") else "unknown"),
        ("Said on", escape(str(claim["claim_date"])) if claim.get("claim_date") else None),
        ("Status", escape(str(claim.get("status") or "new"))),
        ("Tags", escape(", ".join(claim.get("tags") or []))),
    ]
    source = claim.get("source")
    if source:
        facts.append(("Source", link(source.get("title"), source.get("url"))))
    if claim.get("uuid"):
        facts.append(("UUID", escape(str(claim["uuid"]))))
    lines += [f"- **{name}:** {value}" for name, value in facts if value]
    lines.append("")

    verdicts = claim.get("verdicts") or []
    lines.append("### Verdict")
    lines.append("")
    if claim.get("conflict"):
        lines.append(
            "**Disputed:** verdicts recorded on different copies of the desk disagree; "
            "no verdict stands until one resolves them."
        )
    elif verdicts:
        current = verdicts[0]
        lines.append(_verdict_line(current))
        if current.get("rationale"):
            lines.append("")
            lines += _ours("*Our rationale:*", str(current["rationale"]))
    else:
        lines.append("No verdict yet.")
    lines.append("")
    publication = claim.get("publication")
    if publication:
        where = link("our fact check", publication.get("url")) if publication.get("url") else ""
        when = escape(str(publication.get("published_on") or ""))
        lines.append(f"- **Published:** {when} {where}".rstrip())
        if publication.get("needs_update"):
            lines.append("- **Needs an update:** a newer verdict than the published one")
        lines.append("")
    outside = claim.get("outside_reviews") or []
    if outside:
        lines += ["### Checked by other fact-checkers", ""]
        lines += [f"- {escape(str(review['checked_by']))}" for review in outside]
        lines.append("")

    # Withdrawn evidence no longer counts: it stays in the desk's history, not in the report.
    evidence = [item for item in claim.get("evidence") or [] if not item.get("withdrawn")]
    if evidence:
        lines += ["### Evidence", ""]
        for item in evidence:
            stance = escape(str(item.get("stance") or "context"))
            lines.append(
                f"- **{stance}:** {link(item.get('source_title'), item.get('source_url'))}"
            )
            if item.get("excerpt"):
                lines.append("")
                lines.append("  Excerpt from the source:")
                lines.append("")
                lines += _quote(str(item["excerpt"]), indent="  ")
            if item.get("note"):
                lines.append("")
                lines += _ours("*Our note:*", str(item["note"]), indent="  ")
        lines.append("")

    notes = claim.get("notes") or []
    if notes:
        lines += ["### Our notes", ""]
        for note in notes:
            who = f"{escape(str(note.get('created_by') or ''))}, {_when(note.get('created_at'))}"
            lines += _ours(f"- *{who}:*", str(note.get("text") or ""))
        lines.append("")

    if len(verdicts) > 1:
        lines += ["### Verdict history (newest first)", ""]
        for position, verdict in enumerate(verdicts):
            marker = " (current)" if position == 0 else ""
            lines.append(f"- {_verdict_line(verdict)}{marker}")
            if verdict.get("rationale"):
                lines.append("")
                lines += _ours("*Our rationale:*", str(verdict["rationale"]), indent="  ")
        lines.append("")
    return lines


def render_markdown(claims: list[dict[str, Any]], *, title: str = "Fact-check report") -> str:
    """A report with one section per claim, as returned by claims.claim_detail()."""
    lines = [f"# {escape(title)}", ""]
    if not claims:
        lines += ["No claims.", ""]
    for claim in claims:
        lines += _claim_section(claim)
    return "\n".join(lines).rstrip("\n") + "\n"
