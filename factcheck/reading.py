"""Reading an article: its stored text cut into paragraphs and runs, each claim's span marked,
for the terminal (plain text, colour on a TTY) and for an HTML page (a Jinja2 template).

Offsets come from the data, so they are not trusted: a claim with no offsets, offsets outside
the text or an empty span is listed apart with the reason; where two claims overlap, the one
that starts first (the longer at the same start, then the lower id) is marked and the other is
listed apart as overlapping it. Paragraphs are cut at blank lines (at line ends when the text
has no blank line), never inside a marked claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from factcheck.models import RatingLabel, RatingScale
from factcheck.render import render_record, safe_text
from factcheck.review import ReviewFilter, review_rows
from factcheck.sources import get_source, source_summary
from factcheck.verdicts import current_verdicts

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_END = re.compile(r"\n\s*")
_EDGE = re.compile(r"^\s+|\s+$")

# A verdict's tone, from its rating value on its scale (0 worst .. 1 best).
TONES: dict[str, str] = {
    "true": "rated in the top third of its scale (true, mostly true)",
    "mixed": "rated in the middle third (half true, mixture; PolitiFact's mostly false)",
    "false": "rated in the bottom third (false, pants on fire)",
    "unrated": "a verdict without a place on its scale (unproven, misattributed ...)",
    "conflict": "rival current verdicts from two copies of the desk: record one that decides",
    "none": "no verdict yet",
}


@dataclass(frozen=True)
class Span:
    """Where a claim sits in the text (from the database, possibly nonsense)."""

    claim_id: int
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Run:
    start: int
    end: int
    claim_id: int | None = None  # None: plain text


@dataclass(frozen=True)
class Block:
    """A paragraph: [start, end) of the text, cut into runs that cover it exactly."""

    start: int
    end: int
    runs: tuple[Run, ...]


def layout(text: str, spans: Sequence[Span]) -> tuple[list[Block], dict[int, str]]:
    """Paragraphs of text with the claims that can be marked; the others with the reason."""
    problems: dict[int, str] = {}
    valid: list[Run] = []
    for span in spans:
        if span.start is None or span.end is None:
            problems[span.claim_id] = "no position in the text (added by hand)"
        elif not 0 <= span.start < span.end <= len(text):
            problems[span.claim_id] = (
                f"its offsets {span.start}-{span.end} are outside the text (0-{len(text)})"
                if span.start < span.end
                else f"its offsets {span.start}-{span.end} mark nothing"
            )
        else:
            valid.append(Run(span.start, span.end, span.claim_id))
    placed: list[Run] = []
    for run in sorted(valid, key=lambda r: (r.start, -r.end, r.claim_id)):
        if placed and run.start < placed[-1].end:
            problems[run.claim_id or 0] = f"overlaps claim #{placed[-1].claim_id}, which is marked"
        else:
            placed.append(run)
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE_END
    cuts = sorted(
        (
            (m.start(), m.end())
            for pattern in (separator, _EDGE)
            for m in pattern.finditer(text)
            if not any(m.start() < r.end and r.start < m.end() for r in placed)
        ),
    )
    blocks: list[Block] = []
    position = 0
    for cut_start, cut_end in [*cuts, (len(text), len(text))]:
        if cut_start > position:
            blocks.append(_block(position, cut_start, placed))
        position = max(position, cut_end)
    return blocks, problems


def _block(start: int, end: int, placed: Sequence[Run]) -> Block:
    runs: list[Run] = []
    position = start
    for claim in placed:
        if claim.end <= start or claim.start >= end:
            continue
        if claim.start > position:
            runs.append(Run(position, claim.start))
        runs.append(claim)
        position = claim.end
    if position < end:
        runs.append(Run(position, end))
    return Block(start, end, tuple(runs))


@dataclass(frozen=True)
class MarkedClaim:
    id: int
    start: int | None
    end: int | None
    text: str
    speaker: str | None
    status: str
    score: float | None
    verdict: str | None  # the current verdict's rating slug
    verdict_label: str | None
    verdict_value: float | None  # 0 (worst) .. 1 (best) on its scale; None if unrated
    tone: str  # a key of TONES
    evidence_count: int
    supports: int
    refutes: int
    problem: str | None  # why it is not marked in the text

    @property
    def verdict_text(self) -> str:
        if self.tone == "conflict":
            return "conflict"
        return self.verdict or "no verdict"

    @property
    def label(self) -> str:
        """The compact note shown after a claim in the terminal."""
        parts = [self.status, self.verdict_text]
        if self.speaker:
            parts.append(self.speaker)
        return f"(#{self.id} " + " · ".join(parts) + ")"


@dataclass
class Reading:
    source: dict[str, Any]
    text: str
    blocks: list[Block]
    claims: dict[int, MarkedClaim]
    unmarked: list[MarkedClaim] = field(default_factory=list)

    def run_text(self, run: Run | Block) -> str:
        return self.text[run.start : run.end]


def read_source(session: Session, source_id: int) -> Reading:
    """A source's stored text with its claims, their current verdicts and evidence counts."""
    source = get_source(session, source_id)
    text = source.full_text or ""
    rows = review_rows(session, ReviewFilter(source_id=source_id, sort="id"))
    spans = [Span(row["id"], row["char_start"], row["char_end"]) for row in rows]
    if text:
        blocks, problems = layout(text, spans)
    else:
        blocks, problems = [], {s.claim_id: "the source has no stored text" for s in spans}
    claims = {row["id"]: _marked(session, row, problems.get(row["id"])) for row in rows}
    return Reading(
        source=source_summary(source),
        text=text,
        blocks=blocks,
        claims=claims,
        unmarked=[c for c in claims.values() if c.problem],
    )


def _marked(session: Session, row: dict[str, Any], problem: str | None) -> MarkedClaim:
    heads = current_verdicts(session, row["id"])
    verdict = label_text = value = None
    tone = "none"
    if heads:
        label = session.get(RatingLabel, heads[0].label_id)
        scale = session.get(RatingScale, label.scale_id) if label else None
        if label is not None:
            verdict, label_text = label.slug, label.label
        if label is not None and scale is not None and label.value is not None:
            span = scale.best - scale.worst
            value = (label.value - scale.worst) / span if span else 1.0
        if len(heads) > 1:
            tone = "conflict"
        elif value is None:
            tone = "unrated"
        else:
            tone = "true" if value > 2 / 3 else "mixed" if value >= 1 / 3 else "false"
    return MarkedClaim(
        id=row["id"],
        start=row["char_start"],
        end=row["char_end"],
        text=row["text"],
        speaker=row["speaker"],
        status=row["status"],
        score=row["score"],
        verdict=verdict,
        verdict_label=label_text,
        verdict_value=value,
        tone=tone,
        evidence_count=row["evidence_count"] or 0,
        supports=row["supports"] or 0,
        refutes=row["refutes"] or 0,
        problem=problem,
    )


# --- the terminal -------------------------------------------------------------------------

# SGR colours by tone; written only on a terminal, after every piece of data is escaped.
TERMINAL_COLOURS: dict[str, str] = {
    "true": "\x1b[32m",
    "mixed": "\x1b[33m",
    "false": "\x1b[31m",
    "unrated": "\x1b[35m",
    "conflict": "\x1b[35;1m",
    "none": "\x1b[36m",
}
_RESET = "\x1b[0m"
SOURCE_FIELDS = ("id", "title", "kind", "publisher", "author", "published_on", "url")


def terminal_text(reading: Reading, *, width: int | None, colour: bool) -> str:
    """Metadata, then the text with each claim as [[#id text]] (#id status · verdict ·
    speaker); data is escaped (safe_text), colour codes are added only when colour."""
    claims = reading.claims
    marked = len(claims) - len(reading.unmarked)
    with_verdict = sum(1 for c in claims.values() if c.tone != "none")
    record = dict(reading.source)
    record["claims"] = f"{len(claims)} ({marked} marked in the text, {with_verdict} with a verdict)"
    shown = [name for name in SOURCE_FIELDS if name in ("id", "title") or record.get(name)]
    parts = [render_record(record, (*shown, "claims"))]
    if not reading.text:
        parts.append("This source has no stored text: only imported articles keep theirs.")
    for block in reading.blocks:
        pieces: list[tuple[str, str | None]] = []
        for run in block.runs:
            chunk = safe_text(reading.run_text(run))
            if run.claim_id is None:
                pieces.append((chunk, None))
                continue
            claim = claims[run.claim_id]
            style = TERMINAL_COLOURS[claim.tone] if colour else None
            pieces.append((f"[[#{claim.id} {chunk}]] {safe_text(claim.label)}", style))
        parts.append("\n".join(_wrap(pieces, width)))
    if reading.unmarked:
        lines = ["Not marked in the text:"]
        for claim in reading.unmarked:
            style = TERMINAL_COLOURS[claim.tone] if colour else None
            why = f" “{safe_text(claim.text)}”: {safe_text(claim.problem or '')}"
            pieces = [(safe_text(claim.label), style), (why, None)]
            inner = None if width is None else max(20, width - 4)
            wrapped = _wrap(pieces, inner)
            lines.extend(["  " + wrapped[0], *("    " + more for more in wrapped[1:])])
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _wrap(pieces: Sequence[tuple[str, str | None]], width: int | None) -> list[str]:
    """Word-wrap styled pieces to width (visible characters); whitespace runs become one
    space. A style is closed at each line end, so no colour leaks into the next line."""
    chars: list[str | None] = []
    visible = ""
    for text, style in pieces:
        visible += text
        chars.extend([style] * len(text))
    # "[[#12 " stays on the line of the claim's first word.
    words = [(m.start(), m.end()) for m in re.finditer(r"(?:\[\[#\d+ +)?\S+", visible)]
    lines: list[list[tuple[int, int]]] = []
    length = 0
    for word in words:
        size = word[1] - word[0]
        if lines and (width is None or length + 1 + size <= width):
            lines[-1].append(word)
            length += 1 + size
        else:
            lines.append([word])
            length = size
    out = []
    for line in lines:
        text = ""
        current: str | None = None
        previous_end: int | None = None
        for start, end in line:
            cells: list[tuple[str, str | None]] = []
            if previous_end is not None:
                # The space between two words of one claim keeps the claim's colour.
                same = chars[previous_end - 1] == chars[start]
                cells.append((" ", chars[start] if same else None))
            cells.extend((visible[i], chars[i]) for i in range(start, end))
            for char, style in cells:
                if style != current:
                    text += (_RESET if current else "") + (style or "")
                    current = style
                text += char
            previous_end = end
        out.append(text + (_RESET if current else ""))
    return out


# --- the HTML page ------------------------------------------------------------------------


_TONE_HUES = {"none": (205, 8), "unrated": (275, 45), "conflict": (300, 45)}


def _hue(claim: MarkedClaim) -> tuple[int, int]:
    """Hue and saturation: red (0) for the worst rating through amber to green (130) for the
    best; grey-blue, violet and purple for no verdict, unrated and conflicting verdicts."""
    if claim.verdict_value is None or claim.tone in _TONE_HUES:
        return _TONE_HUES.get(claim.tone, _TONE_HUES["unrated"])
    return round(130 * claim.verdict_value), 85


def html_page(reading: Reading) -> str:
    """A self-contained page: no scripts, nothing fetched, every piece of text escaped."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("factcheck", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    paragraphs = []
    for block in reading.blocks:
        runs = []
        ids = []
        for run in block.runs:
            claim = reading.claims[run.claim_id] if run.claim_id is not None else None
            runs.append({"text": reading.run_text(run), "claim": claim, "run": run})
            if claim is not None:
                ids.append(claim)
        paragraphs.append({"block": block, "runs": runs, "claims": ids})
    url = reading.source.get("url") or ""
    return env.get_template("source.html.j2").render(
        source=reading.source,
        link=url if url.startswith(("http://", "https://")) else None,
        paragraphs=paragraphs,
        unmarked=reading.unmarked,
        claims=reading.claims,
        tones=TONES,
        hue=_hue,
        marked=len(reading.claims) - len(reading.unmarked),
    )


__all__ = [
    "Block",
    "MarkedClaim",
    "Reading",
    "Run",
    "Span",
    "html_page",
    "layout",
    "read_source",
    "terminal_text",
]
