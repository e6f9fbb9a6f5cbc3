"""Property: random work on two or three copies merges to the same desk in any order, and
merging again adds nothing."""

from __future__ import annotations

import io
import itertools
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factcheck import embedding, vectors
from factcheck.claims import add_claim, add_evidence, edit_claim, set_status
from factcheck.db import Database, open_database
from factcheck.desk import add_note, assign_claim, tag_claim, withdraw_evidence
from factcheck.errors import InvalidInput, NotFound
from factcheck.merge import (
    SNAPSHOT_FORMAT,
    SNAPSHOT_VERSION,
    merge_snapshot,
    read_desk_export,
    read_other_file,
    snapshot_from_connection,
)
from factcheck.render import to_json
from factcheck.sources import add_source
from factcheck.speakers import add_alias, merge_speakers, speaker_rows, unmerge_speaker
from factcheck.verdicts import record_verdict
from tests.test_merge import content

RATINGS = ["true", "mostly-true", "half-true", "false"]
SPEAKERS = ["Tom Bossert", "Bossert", "tom  bossért", "Brad Smith"]
ALIASES = ["T. Bossert", "Smith", "Bossert"]
operation = st.one_of(
    st.tuples(st.just("claim"), st.sampled_from(["alpha", "beta", "gamma"])),
    st.tuples(st.just("verdict"), st.integers(0, 5), st.sampled_from(RATINGS)),
    st.tuples(
        st.just("edit"),
        st.integers(0, 5),
        st.sampled_from(["speaker", "summary", "text"]),
        st.sampled_from(["x", "y", "z"]),
    ),
    st.tuples(st.just("status"), st.integers(0, 5), st.sampled_from(["researching", "dismissed"])),
    st.tuples(st.just("evidence"), st.integers(0, 5), st.sampled_from(["supports", "refutes"])),
    st.tuples(st.just("index")),  # vectors for the claims without a current one
    st.tuples(st.just("said"), st.sampled_from(SPEAKERS)),
    st.tuples(st.just("speaker merge"), st.sampled_from(SPEAKERS), st.sampled_from(SPEAKERS)),
    st.tuples(st.just("speaker unmerge"), st.sampled_from(SPEAKERS)),
    st.tuples(st.just("speaker alias"), st.sampled_from(SPEAKERS), st.sampled_from(ALIASES)),
    st.tuples(
        st.just("assign"),
        st.integers(0, 5),
        st.sampled_from(["assignee", "priority", "due_date"]),
        st.integers(0, 2),
    ),
    st.tuples(st.just("note"), st.integers(0, 5)),
    st.tuples(st.just("tag"), st.integers(0, 5), st.sampled_from(["a", "b"]), st.booleans()),
    st.tuples(st.just("withdraw"), st.integers(0, 5)),
)
ASSIGNED = {
    "assignee": ["Ann", "Bob", "Cy"],
    "priority": ["low", "high", "urgent"],
    "due_date": ["2026-12", "2026-12-04", "2027"],
}


def apply(path: Path, user: str, ops: list[tuple]) -> None:  # type: ignore[type-arg]
    db = open_database(path, write=True, user=user)
    try:
        for op in ops:
            if op[0].startswith("speaker"):
                speaker_op(db, user, op)
                continue
            with db.session() as s:
                claim_ids = [c for (c,) in s.connection().exec_driver_sql("SELECT id FROM claim")]
                pick = lambda n, ids=claim_ids: ids[n % len(ids)]  # noqa: E731
                if op[0] == "claim":
                    add_claim(s, f"{op[1]} by {user}", user=user)
                elif op[0] == "verdict":
                    record_verdict(s, pick(op[1]), op[2], user=user, scale="politifact")
                elif op[0] == "edit":
                    edit_claim(s, pick(op[1]), {op[2]: f"{op[3]} {user}"}, user=user)
                elif op[0] == "index":
                    encoder, model = embedding.load_encoder(), vectors.model_id()
                    vectors.embed_claims(s, vectors.pending_ids(s, model), encoder, model, user)
                elif op[0] == "said":
                    add_claim(s, f"said by {user}", user=user, speaker=op[1])
                elif op[0] == "status":
                    set_status(s, pick(op[1]), op[2], user=user)
                elif op[0] == "assign":
                    value = {op[2]: ASSIGNED[op[2]][op[3]]}
                    assign_claim(s, pick(op[1]), user=user, **value)
                elif op[0] == "note":
                    add_note(s, pick(op[1]), f"note by {user}", user=user)
                elif op[0] == "tag":
                    tag_claim(s, pick(op[1]), [op[2]], user=user, remove=op[3])
                elif op[0] == "withdraw":
                    evidence = [
                        e
                        for (e,) in s.connection().exec_driver_sql(
                            "SELECT id FROM evidence WHERE id NOT IN "
                            "(SELECT evidence_id FROM evidence_withdrawal)"
                        )
                    ]
                    if evidence:
                        withdraw_evidence(s, evidence[op[1] % len(evidence)], "why", user=user)
                else:
                    source = add_source(s, user=user, url=f"https://example.org/{user}")
                    add_evidence(s, pick(op[1]), source.id, op[2], user=user)  # type: ignore[arg-type]
    finally:
        db.close()


def speaker_op(db: Database, user: str, op: tuple) -> None:  # type: ignore[type-arg]
    """Merge, unmerge or alias speakers; refused ones (unknown, already one) change nothing."""
    try:
        with db.session() as s:
            if op[0] == "speaker merge":
                merge_speakers(s, op[1], op[2], user=user)
            elif op[0] == "speaker unmerge":
                unmerge_speaker(s, op[1], user=user)
            else:
                add_alias(s, op[1], op[2], user=user)
    except (InvalidInput, NotFound):
        pass


def speaker_record(path: Path) -> list[tuple]:  # type: ignore[type-arg]
    """The speakers as `speaker list` shows them, without this file's integer ids."""
    db = open_database(path, write=False, user="reader")
    try:
        with db.session() as s:
            return [
                (r["uuid"], r["name"], tuple(r["aliases"]), r["claims"]) for r in speaker_rows(s)
            ]
    finally:
        db.close()


def merge_into(target: Path, other: Path) -> None:
    db = open_database(target, write=True, user="merger")
    try:
        with db.session() as s:
            merge_snapshot(s, read_other_file(other), str(other))
    finally:
        db.close()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(work=st.lists(st.lists(operation, max_size=5), min_size=2, max_size=3))
# Always tried: one name added on two copies, merged into another speaker on one, unmerged on
# the other (the rows exist only after the merge, so each order meets them differently).
@example(
    work=[
        [("said", "Bossert"), ("speaker alias", "Brad Smith", "Smith")],
        [("said", "Bossert"), ("speaker merge", "Brad Smith", "Bossert")],
        [("speaker merge", "Tom Bossert", "Brad Smith"), ("speaker unmerge", "Brad Smith")],
    ]
)
def test_merge_order_does_not_matter(work, template_db: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("prop")
    base = folder / "base.db"
    shutil.copyfile(template_db, base)
    # Evidence in the base, so that two copies may both withdraw the same piece.
    apply(
        base,
        "origin",
        [
            ("claim", "alpha"),
            ("claim", "beta"),
            ("said", "Tom Bossert"),
            ("evidence", 0, "supports"),
        ],
    )
    copies = []
    for n, ops in enumerate(work):
        path = folder / f"copy{n}.db"
        shutil.copyfile(base, path)
        apply(path, f"user{n}", ops)
        copies.append(path)
    results = []
    for order in itertools.permutations(range(len(copies))):
        merged = folder / ("merged-" + "".join(map(str, order)) + ".db")
        shutil.copyfile(copies[order[0]], merged)
        for n in order[1:]:
            merge_into(merged, copies[n])
        results.append((content(merged), speaker_record(merged)))
        again = content(merged)
        for n in order[1:]:
            merge_into(merged, copies[n])
        assert content(merged) == again  # idempotent
    assert all(r == results[0] for r in results[1:])


def test_a_desk_export_is_checked_and_numbered_row_by_row(db_path: Path, tmp_path: Path) -> None:
    """read_desk_export checks each row as it streams it in, and names the row."""
    apply(db_path, "origin", [("claim", "alpha"), ("claim", "beta")])
    conn = sqlite3.connect(db_path)
    snapshot = snapshot_from_connection(conn)
    conn.close()
    target = tmp_path / "target.db"
    shutil.copyfile(db_path, target)
    twice = dict(snapshot, claim=snapshot["claim"] + snapshot["claim"][:1])
    snapshot = dict(
        snapshot, claim=[snapshot["claim"][0], {**snapshot["claim"][1], "status": "bogus"}]
    )
    db = open_database(target, write=True, user="merger")
    try:
        for data, message in (
            (snapshot, "claim row 2: status is refused"),
            (twice, "two claim rows have the same uuid"),
        ):
            export = dict(format=SNAPSHOT_FORMAT, version=SNAPSHOT_VERSION, **data)
            with pytest.raises(InvalidInput, match=message):
                with db.session() as s:
                    merge_snapshot(
                        s, read_desk_export(io.BytesIO(to_json(export).encode()), "given"), "given"
                    )
    finally:
        db.close()
