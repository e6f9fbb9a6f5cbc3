"""SQLModel tables and enums: the shape of a desk's file. No sessions, no I/O here."""

from __future__ import annotations

import uuid as uuid_mod
from datetime import datetime, timezone
from enum import Enum

from sqlalchemy import Column, Index, LargeBinary, MetaData, UniqueConstraint
from sqlalchemy import Text as SAText
from sqlmodel import Field, SQLModel

# Named constraints so a later migration can drop or alter them (batch mode on SQLite).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    # Aware UTC; SQLModel's UTCDateTime stores it without offset and reads it back as UTC.
    return datetime.now(timezone.utc)


def new_uuid() -> str:
    return str(uuid_mod.uuid4())


class ClaimStatus(str, Enum):
    new = "new"
    researching = "researching"
    reviewed = "reviewed"
    published = "published"
    dismissed = "dismissed"


class Priority(str, Enum):
    """How urgent a claim is; the order here is `review --sort priority`'s, most urgent last."""

    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


class SourceKind(str, Enum):
    article = "article"
    report = "report"
    statement = "statement"
    dataset = "dataset"
    other = "other"


class Stance(str, Enum):
    supports = "supports"
    refutes = "refutes"
    context = "context"


class SpeakerKind(str, Enum):
    direct_quote = "direct_quote"
    reported = "reported"
    narration = "narration"


class SpeakerType(str, Enum):
    """Who a speaker is: schema.org's Person or Organization."""

    person = "person"
    organization = "organization"


# Dates are stored as ISO text at the precision known: "2017", "2017-05" or "2017-05-14".
# A partial date is never filled in with an invented month or day.
PARTIAL_DATE_LENGTH = 10


class Source(SQLModel, table=True):
    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    kind: str = Field(default=SourceKind.other.value, max_length=20)
    url: str | None = Field(default=None, index=True)
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published_on: str | None = Field(default=None, max_length=PARTIAL_DATE_LENGTH)
    full_text: str | None = Field(default=None, sa_column=Column(SAText, nullable=True))
    content_hash: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class Claim(SQLModel, table=True):
    __tablename__ = "claim"
    __table_args__ = (
        Index("ix_claim_status_created", "status", "created_at"),
        Index("ix_claim_source_start", "source_id", "char_start"),
        Index("ix_claim_score_id", "score", "id"),
        Index("ix_claim_created_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    text: str = Field(sa_column=Column(SAText, nullable=False))
    summary: str | None = None
    speaker: str | None = Field(default=None, index=True)
    speaker_kind: str | None = Field(default=None, max_length=20)
    speaker_type: str | None = Field(default=None, max_length=20)  # SpeakerType, if known
    cites: str | None = None
    source_id: int | None = Field(default=None, foreign_key="source.id")
    char_start: int | None = None
    char_end: int | None = None
    score: float | None = None
    score_model: str | None = None
    status: str = Field(default=ClaimStatus.new.value, max_length=20)
    claim_date: str | None = Field(default=None, max_length=PARTIAL_DATE_LENGTH)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)
    assignee: str | None = Field(default=None, max_length=200, index=True)
    due_date: str | None = Field(default=None, max_length=PARTIAL_DATE_LENGTH)
    priority: str | None = Field(default=None, max_length=20)  # Priority; None reads as normal


class Speaker(SQLModel, table=True):
    """A person or organisation claims are attributed to. A claim belongs to the speaker one
    of whose names (its name, an alias, the name of a speaker merged into it) is the claim's
    `speaker` under fields.speaker_key, so no claim row holds an id that differs between desks.
    Only merged_into changes, through the change log."""

    __tablename__ = "speaker"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    name: str = Field(max_length=300)
    speaker_type: str | None = Field(default=None, max_length=20)  # SpeakerType, if known
    # The UUID of the speaker this one was merged into (a UUID, so it means the same row in
    # every copy); None when it stands on its own.
    merged_into: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class SpeakerAlias(SQLModel, table=True):
    """Another name a speaker goes by (append-only)."""

    __tablename__ = "speaker_alias"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    speaker_id: int = Field(foreign_key="speaker.id", index=True)
    alias: str = Field(max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class EvidenceLink(SQLModel, table=True):
    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    stance: str = Field(max_length=20)
    excerpt: str | None = Field(default=None, sa_column=Column(SAText, nullable=True))
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class RatingScale(SQLModel, table=True):
    __tablename__ = "rating_scale"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    name: str = Field(max_length=60, unique=True)
    title: str
    best: int
    worst: int
    builtin: bool = False
    # The outside fact-checker whose published ratings this scale holds (imported ClaimReview);
    # None for the desk's own scales. Only verdicts on the desk's own scales are ours to publish.
    publisher: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class RatingLabel(SQLModel, table=True):
    __tablename__ = "rating_label"
    __table_args__ = (UniqueConstraint("scale_id", "slug", name="uq_rating_label_scale_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    scale_id: int = Field(foreign_key="rating_scale.id")
    slug: str = Field(max_length=60)
    label: str
    value: int | None = None  # order on the scale; None for labels off the truth axis (satire)
    description: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class Verdict(SQLModel, table=True):
    """A rating of a claim. Append-only: a correction is a new row that supersedes the current
    one(s) through VerdictSupersedes; a claim's current verdicts are those nothing supersedes."""

    __tablename__ = "verdict"
    __table_args__ = (Index("ix_verdict_claim_created", "claim_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    claim_id: int = Field(foreign_key="claim.id")
    label_id: int = Field(foreign_key="rating_label.id")
    rationale: str | None = Field(default=None, sa_column=Column(SAText, nullable=True))
    reviewer: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class VerdictSupersedes(SQLModel, table=True):
    """verdict_id replaced superseded_id. Part of the verdict's immutable content."""

    __tablename__ = "verdict_supersedes"

    verdict_id: int = Field(foreign_key="verdict.id", primary_key=True)
    superseded_id: int = Field(foreign_key="verdict.id", primary_key=True, index=True)


class Publication(SQLModel, table=True):
    """Our fact check of a claim went out: where, when, and which verdict it stated.
    Append-only: republishing after a new verdict is a new row."""

    __tablename__ = "publication"
    __table_args__ = (Index("ix_publication_claim_created", "claim_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    claim_id: int = Field(foreign_key="claim.id")
    verdict_id: int = Field(foreign_key="verdict.id")
    url: str | None = None
    published_on: str | None = Field(default=None, max_length=PARTIAL_DATE_LENGTH)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class ClaimLink(SQLModel, table=True):
    """A person confirmed that two claims say the same thing (append-only)."""

    __tablename__ = "claim_link"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    other_claim_id: int = Field(foreign_key="claim.id", index=True)
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class Note(SQLModel, table=True):
    """Our own note on a claim (a thread: who said what, when). Append-only."""

    __tablename__ = "note"
    __table_args__ = (Index("ix_note_claim_created", "claim_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    claim_id: int = Field(foreign_key="claim.id")
    text: str = Field(sa_column=Column(SAText, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class ClaimTag(SQLModel, table=True):
    """A tag put on (or, with removed, taken off) a claim. Append-only events rather than one
    mutable list, so tags added on two copies both survive a merge: a claim's tags are those
    whose newest event (by time, then UUID) is not a removal."""

    __tablename__ = "claim_tag"
    __table_args__ = (Index("ix_claim_tag_claim_tag", "claim_id", "tag", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    claim_id: int = Field(foreign_key="claim.id")
    tag: str = Field(max_length=60, index=True)
    removed: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class EvidenceWithdrawal(SQLModel, table=True):
    """A piece of evidence was withdrawn (why, who, when). The evidence row stays: it is
    shown marked withdrawn and no longer counts. Append-only."""

    __tablename__ = "evidence_withdrawal"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    reason: str
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class ClaimVector(SQLModel, table=True):
    """A claim's sentence vector from an embedding model (append-only). It is current while
    text_hash is the SHA-256 of the claim's text; an edited claim is embedded again."""

    __tablename__ = "claim_vector"
    __table_args__ = (Index("ix_claim_vector_model_claim", "model", "claim_id"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    claim_id: int = Field(foreign_key="claim.id")
    model: str = Field(max_length=200)  # name@version of the embedding model
    dim: int
    text_hash: str = Field(max_length=64)
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # little-endian float16
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class Change(SQLModel, table=True):
    """One edit of a mutable field (append-only); the row's current value is the latest edit."""

    __tablename__ = "change"
    __table_args__ = (Index("ix_change_entity_field", "entity_uuid", "field", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    entity: str = Field(max_length=20)  # claim, source, setting or speaker
    entity_uuid: str = Field(max_length=36)
    field: str = Field(max_length=40)
    old_value: str | None = Field(default=None, sa_column=Column(SAText, nullable=True))  # JSON
    new_value: str | None = Field(default=None, sa_column=Column(SAText, nullable=True))  # JSON
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)


class Setting(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=60)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    value: str
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str = Field(max_length=200)


SETTING_KEYS = ("default_scale", "org_name", "org_url")

# Fields a person may edit; every edit is a Change row. All other fields are immutable.
MUTABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "claim": (
        "text",
        "summary",
        "speaker",
        "speaker_type",
        "status",
        "claim_date",
        "assignee",
        "due_date",
        "priority",
    ),
    "source": ("kind", "url", "title", "publisher", "author", "published_on"),
    "setting": ("value",),
    "speaker": ("merged_into",),
}
