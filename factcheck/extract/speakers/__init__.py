"""Decide who asserts each sentence of a news article: a quoted or reported source, or the
article itself (narration).

Pure Python and regular expressions; no NLP library is loaded at run time. The rules are
written for English news copy, as small named functions in order:

- quotes.py:   quotations per paragraph (curly, straight, guillemets; single quotes for
  British style), masked out of the sentence "frame" so words inside a quotation never
  attribute it.
- people.py:   people (full names, titles, roles such as "Microsoft president Brad Smith")
  and organisations (company endings, organisation words, acronyms, "Morgan Stanley plans")
  collected from the whole article first.
- cues.py:     CUE_RULES find how a sentence is attributed: "according to X", a speech verb
  with its subject ("Smith said", "said Smith", ", says Mohit Jain", "the ministry has
  denied"), a finding ("researchers at IBM found"), a quoted label ('called it "a scandal"').
- resolve.py:  RULES turn the subject into a speaker: pronouns (gender from a title or the
  first name, only within the paragraph and the one before), proxies ("a spokesman for X"),
  joint speakers, full names, surnames, appositive roles, acronyms, "the company", a
  description of the organisation the paragraph named ("the UK chip designer"), "the
  ministry", roles, anonymous sources, organisations and groups. Clause fragments are
  rejected, never returned.
- attribute.py: quotations without a cue of their own take the previous attribution in their
  paragraph, or the previous paragraph's when they open a paragraph; interview labels
  ("Q:", "A:", "Kim:") name the speaker of a Q&A.

Verbs of accusation and denial ("accused", "denied", "blamed", "claimed") are reported
speech: their subject is the claimant ("North Korea has repeatedly denied responsibility" is
North Korea's claim).
"""

from __future__ import annotations

from factcheck.extract.speakers.attribute import (
    DIRECT_QUOTE,
    NARRATION,
    REPORTED,
    Attribution,
    attribute_speakers,
)
from factcheck.extract.speakers.people import Person, find_people
from factcheck.extract.speakers.quotes import Quote, find_quotes
from factcheck.extract.speakers.resolve import ORGANIZATION, PERSON

__all__ = [
    "DIRECT_QUOTE",
    "NARRATION",
    "ORGANIZATION",
    "PERSON",
    "REPORTED",
    "Attribution",
    "Person",
    "Quote",
    "attribute_speakers",
    "find_people",
    "find_quotes",
]
