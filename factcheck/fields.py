"""One check per field, used by every way a value comes in: the CLI's commands, a CSV sheet,
ClaimReview markup, and a colleague's .db or JSON desk through merge.

Each rule takes a value and returns it as factcheck stores it, or raises InvalidInput saying
what is wrong. Columns without a rule only have their kind checked (schema.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from factcheck.errors import InvalidInput
from factcheck.models import (
    MUTABLE_FIELDS,
    ClaimStatus,
    Priority,
    SourceKind,
    SpeakerKind,
    SpeakerType,
    Stance,
)
from factcheck.validate import (
    choice,
    clean_text,
    optional_text,
    parse_date,
    parse_url,
    parse_uuid,
)

Rule = Callable[[Any], Any]

# Longest values a person may give; the same limits hold for every way in.
CLAIM_TEXT_LIMIT = 20_000
SHORT_TEXT_LIMIT = 1_000
LONG_TEXT_LIMIT = 100_000
ARTICLE_TEXT_LIMIT = 5 * 1024 * 1024  # as textfiles.MAX_ARTICLE_BYTES
NAME_LIMIT = 200
SPEAKER_LIMIT = 300  # a claim's speaker, a speaker's name and its aliases alike


def _required(label: str, limit: int) -> Rule:
    return lambda value: clean_text(value, label, max_length=limit)


def _optional(label: str, limit: int) -> Rule:
    return lambda value: optional_text(value, label, max_length=limit)


def _one_of(values: tuple[str, ...], label: str) -> Rule:
    return lambda value: choice(value, values, label) if value else None


def _url(label: str) -> Rule:
    return lambda value: parse_url(value, label) if value else None


def _date(label: str) -> Rule:
    return lambda value: parse_date(value, label)


def _score(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InvalidInput(f"score {value!r} is not a number between 0 and 1")
    return value


def _exact_text(label: str, limit: int) -> Rule:
    """Kept exactly as given (an article's text): only NUL bytes and the size are refused."""

    def check(value: Any) -> Any:
        if value is None:
            return None
        if "\x00" in value:
            raise InvalidInput(f"the {label} contains a NUL byte")
        if len(value) > limit:
            raise InvalidInput(f"the {label} is {len(value):,} characters; the limit is {limit:,}")
        return value

    return check


def _hash(value: Any) -> Any:
    if value is not None and not re.fullmatch(r"[0-9a-f]{64}", value):
        raise InvalidInput(f"{str(value)[:80]!r} is not a SHA-256 hex digest")
    return value


VECTOR_BYTES_LIMIT = 16_384  # 8,192 float16 values: more than any sentence model has


def _vector(value: Any) -> Any:
    if not isinstance(value, bytes) or not 0 < len(value) <= VECTOR_BYTES_LIMIT:
        raise InvalidInput(f"a vector must be 1 to {VECTOR_BYTES_LIMIT:,} bytes")
    if len(value) % 2:
        raise InvalidInput("a vector must be float16 values (an even number of bytes)")
    return value


def _dimension(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 8192:
        raise InvalidInput(f"vector dimension {value!r} is not a whole number from 1 to 8192")
    return value


TAG_LIMIT = 60


def _tag(value: Any) -> Any:
    """Tags are compared as written here: trimmed, lower case, inner spaces as one hyphen, so
    "Health", " health" and "health " are one tag on every copy."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"tag {value!r} is not text")
    tag = "-".join(value.strip().lower().split())
    if not tag:
        raise InvalidInput("a tag is empty: give a word such as health")
    if len(tag) > TAG_LIMIT:
        raise InvalidInput(f"tag {tag[:80]!r} is {len(tag)} characters; the limit is {TAG_LIMIT}")
    if not all(ch.isalnum() or ch in "-_./" for ch in tag):
        raise InvalidInput(
            f"tag {tag[:80]!r} may hold only letters, digits and - _ . /: write it as one word"
        )
    return tag


_values = lambda enum: tuple(member.value for member in enum)  # noqa: E731

RULES: dict[str, Rule] = {
    "claim.text": _required("claim text", CLAIM_TEXT_LIMIT),
    "claim.summary": _optional("summary", SHORT_TEXT_LIMIT),
    "claim.speaker": _optional("speaker", SPEAKER_LIMIT),
    "claim.speaker_kind": _one_of(_values(SpeakerKind), "speaker kind"),
    "claim.speaker_type": _one_of(_values(SpeakerType), "speaker type"),
    "claim.cites": _optional("cited outlet", 300),
    "claim.score": _score,
    "claim.score_model": _optional("score model", NAME_LIMIT),
    "claim.status": _one_of(_values(ClaimStatus), "status"),
    "claim.claim_date": _date("claim date"),
    "claim.assignee": _optional("assignee", NAME_LIMIT),
    "claim.due_date": _date("due date"),
    "claim.priority": _one_of(_values(Priority), "priority"),
    "note.text": _required("note", 10_000),
    "claim_tag.tag": _tag,
    "evidence_withdrawal.reason": _required("reason", SHORT_TEXT_LIMIT),
    "source.kind": _one_of(_values(SourceKind), "source kind"),
    "source.url": _url("URL"),
    "source.title": _optional("title", SHORT_TEXT_LIMIT),
    "source.publisher": _optional("publisher", 500),
    "source.author": _optional("author", 500),
    "source.published_on": _date("publication date"),
    "source.full_text": _exact_text("article text", ARTICLE_TEXT_LIMIT),
    "source.content_hash": _hash,
    "evidence.stance": _one_of(_values(Stance), "stance"),
    "evidence.excerpt": _optional("excerpt", LONG_TEXT_LIMIT),
    "evidence.note": _optional("note", 10_000),
    "verdict.rationale": _optional("rationale", LONG_TEXT_LIMIT),
    "verdict.reviewer": _required("reviewer", NAME_LIMIT),
    "publication.url": _url("published URL"),
    "publication.published_on": _date("publication date"),
    "rating_scale.name": _required("scale name", 60),
    "rating_scale.title": _required("scale title", SHORT_TEXT_LIMIT),
    "rating_scale.publisher": _optional("publisher", NAME_LIMIT),
    "rating_label.slug": _required("rating", 60),
    "rating_label.label": _required("rating label", NAME_LIMIT),
    "rating_label.description": _optional("rating description", 10_000),
    "claim_link.note": _optional("note", 10_000),
    "claim_vector.model": _required("embedding model", NAME_LIMIT),
    "claim_vector.dim": _dimension,
    "claim_vector.text_hash": _hash,
    "claim_vector.vector": _vector,
    "speaker.name": _required("speaker name", SPEAKER_LIMIT),
    "speaker.speaker_type": _one_of(_values(SpeakerType), "speaker type"),
    "speaker.merged_into": lambda value: parse_uuid(value, "merged_into") if value else None,
    "speaker_alias.alias": _required("alias", SPEAKER_LIMIT),
    "change.entity": _one_of(tuple(MUTABLE_FIELDS), "changed entity"),
    "change.field": _one_of(
        tuple(sorted({f for fields in MUTABLE_FIELDS.values() for f in fields})), "changed field"
    ),
    "setting.key": _required("setting", 60),
    "setting.value": _exact_text("setting value", SHORT_TEXT_LIMIT),
}
# Columns of every table that follow one rule wherever they are.
COMMON_RULES: dict[str, Rule] = {
    "uuid": lambda value: parse_uuid(value) if value is not None else None,
    "created_by": _required("author name", NAME_LIMIT),
    "updated_by": _required("author name", NAME_LIMIT),
}


def speaker_key(name: str) -> str:
    """The one rule for when two speaker names are the same name: case, accents and spacing
    do not count ("José  Ramos" is "jose ramos"). A claim belongs to the speaker one of whose
    names has its speaker's key."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def rule_for(table: str, column: str) -> Rule | None:
    return RULES.get(f"{table}.{column}") or COMMON_RULES.get(column)


def check_field(table: str, column: str, value: Any) -> Any:
    """The value as stored, or InvalidInput; a column with no rule passes unchanged."""
    rule = rule_for(table, column)
    return rule(value) if rule is not None else value
