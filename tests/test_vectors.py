"""Claim vectors stored in the desk: `factcheck index`, their use by `claim similar`, staleness
after an edit, export json -> merge, and resuming after an interruption."""

from __future__ import annotations

import base64
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck import embedding
from tests.conftest import assert_error, dump, factcheck_exe, run_installed
from tests.test_matching import CLAIMS, needs_extra


def vector_rows(path: Path) -> list[tuple[int, str, int, int]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT claim_id, model, dim, length(vector) FROM claim_vector ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


@pytest.fixture
def desk(db_path: Path, run) -> Path:  # type: ignore[no-untyped-def]
    for text in CLAIMS:
        assert run("claim", "add", text).exit_code == 0
    return db_path


@needs_extra
def test_index_embeds_each_claim_once(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("index", "--batch", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == (
        "Embedded 4 claims; 4 have a current vector (factcheck-minilm-static@1)"
    )
    dim = embedding.load_encoder().dim
    assert vector_rows(desk) == [
        (n, "factcheck-minilm-static@1", dim, 2 * dim) for n in range(1, 5)
    ]
    again = run("index")
    assert again.stderr.strip() == (
        "Embedded 0 claims; 4 have a current vector (factcheck-minilm-static@1)"
    )
    assert len(vector_rows(desk)) == 4


@needs_extra
def test_an_edited_claim_is_embedded_again(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert run("index").exit_code == 0
    assert run("claim", "edit", "2", "--text", "Joblessness dropped to 4.1% in 2017").exit_code == 0
    result = run("index")
    assert result.stderr.strip().startswith("Embedded 1 claims; 4 have a current vector")
    assert [r[0] for r in vector_rows(desk)] == [1, 2, 3, 4, 2]  # the old row is kept


@needs_extra
def test_stored_vectors_match_fresh_ones(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    assert run("index").exit_code == 0
    conn = sqlite3.connect(desk)
    stored = [
        np.frombuffer(v, dtype="<f2")
        for (v,) in conn.execute("SELECT vector FROM claim_vector ORDER BY claim_id")
    ]
    conn.close()
    fresh = embedding.load_encoder().encode(CLAIMS)
    for got, want in zip(stored, fresh, strict=True):
        assert float(got.astype(np.float32) @ want) > 0.999  # float16 keeps the cosine


def forged_export(desk: Path, tmp_path: Path, run, claim_id: int, text: str) -> Path:  # type: ignore[no-untyped-def]
    """An export in which claim_id's vector is the vector of an unrelated text."""
    out = tmp_path / "desk.json"
    assert run("export", "json", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text())
    claim_uuid = next(c["uuid"] for c in data["claim"] if c["text"] == CLAIMS[claim_id - 1])
    forged = embedding.load_encoder().encode([text])[0].astype("<f2").tobytes()
    for row in data["claim_vector"]:
        if row["claim_uuid"] == claim_uuid:
            row["vector"] = base64.b64encode(forged).decode("ascii")
    out.write_text(json.dumps(data))
    return out


@needs_extra
def test_similar_reads_stored_vectors_and_they_travel_by_json(  # type: ignore[no-untyped-def]
    desk: Path, run, tmp_path: Path, template_db: Path
) -> None:
    assert run("index").exit_code == 0
    tip = "Parliament approved the fishing quota"
    # The bridge claim's stored vector says what the tip says: only a stored vector can put it
    # first with a likeness of 1, as the claim's own words have nothing to do with the tip.
    export = forged_export(desk, tmp_path, run, 3, tip)
    other = tmp_path / "other.db"
    other.write_bytes(template_db.read_bytes())
    assert run("--db", str(other), "merge", str(export)).exit_code == 0
    rows = json.loads(
        run("--db", str(other), "claim", "similar", "--text", tip, "--format", "json").stdout
    )
    # The re-ranker (when installed) reads the claim's text, not the stored static vector: the
    # static model's cosine is then in static_meaning.
    key = "static_meaning" if embedding.reranker_available() else "meaning"
    bridge = next(r for r in rows if r["text"] == CLAIMS[2])
    assert bridge[key] == pytest.approx(1.0, abs=1e-3)
    # Editing the claim makes that vector stale: it is no longer used.
    assert (
        run("--db", str(other), "claim", "edit", "3", "--text", CLAIMS[2] + " again").exit_code == 0
    )
    rows = json.loads(
        run("--db", str(other), "claim", "similar", "--text", tip, "--format", "json").stdout
    )
    assert all(r[key] < 0.9 for r in rows)


@needs_extra
def test_a_bad_vector_in_an_export_is_refused(
    desk: Path, run, tmp_path: Path, template_db: Path
) -> None:  # type: ignore[no-untyped-def]
    assert run("index").exit_code == 0
    out = tmp_path / "desk.json"
    assert run("export", "json", "-o", str(out)).exit_code == 0
    other = tmp_path / "other.db"
    other.write_bytes(template_db.read_bytes())
    before = dump(other)
    for bad, message in [
        ("not base64!", "claim_vector row 1: vector must be bytes"),
        (base64.b64encode(b"abc").decode(), "even number of bytes"),
        (12, "claim_vector row 1: vector must be bytes"),
    ]:
        data = json.loads(out.read_text())
        data["claim_vector"][0]["vector"] = bad
        broken = tmp_path / "broken.json"
        broken.write_text(json.dumps(data))
        assert_error(run("--db", str(other), "merge", str(broken)), message)
        assert dump(other) == before


def test_index_without_the_extra_says_how_to_install_it(desk: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['numpy'] = None\n"
        "from factcheck.cli import main\n"
        "sys.argv = ['factcheck', 'index']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: indexing claims by meaning needs the models extra: pip install 'factcheck[models]'"
    )
    assert vector_rows(desk) == []


@needs_extra
@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_index_keeps_its_batches_and_goes_on(
    db_path: Path, tmp_path: Path, stop: int, code: int
) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "claims.csv"
    sheet.write_text(
        "text\n"
        + "".join(f"Claim number {n} says the budget grew by {n} percent\n" for n in range(30_000))
    )
    assert run_installed("import", str(sheet)).returncode == 0
    process = subprocess.Popen(
        [factcheck_exe(), "index", "--batch", "200"], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        if vector_rows(db_path):
            break
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    saved = len(vector_rows(db_path))
    assert 0 < saved < 30_000 and saved % 200 == 0
    assert stderr.strip() == (
        f"Error: stopped after {saved} of 30000 claims (those are saved); "
        "run `factcheck index` again to go on"
    )
    done = run_installed("index")
    assert done.returncode == 0
    assert done.stderr.strip() == (
        f"Embedded {30_000 - saved} claims; 30000 have a current vector (factcheck-minilm-static@1)"
    )


def nearest(path: Path, text: str) -> dict[int, float] | None:
    """Claims nearest in meaning to text (id: cosine) through the index file beside path
    (None: not used)."""
    from factcheck import vectors
    from factcheck.db import open_database

    db = open_database(path, write=False)
    try:
        with db.session() as session:
            query = embedding.load_encoder().encode([text])[0]
            found = vectors.indexed_nearest(session, vectors.model_id(), query, 3)
    finally:
        db.close()
    return None if found is None else dict(zip(found[0], map(float, found[1]), strict=True))


@needs_extra
def test_the_index_file_serves_look_ups_and_never_a_stale_vector(  # type: ignore[no-untyped-def]
    desk: Path, run, tmp_path: Path, template_db: Path
) -> None:
    assert run("index").exit_code == 0
    assert not (tmp_path / "desk.db.vectors.npz").exists()  # a small desk needs none
    tip = "Parliament approved the fishing quota"
    export = forged_export(desk, tmp_path, run, 3, tip)
    other = tmp_path / "other.db"
    other.write_bytes(template_db.read_bytes())
    assert run("--db", str(other), "merge", str(export)).exit_code == 0
    result = run("--db", str(other), "index", "--vector-index")
    assert result.stderr.strip().splitlines()[-1] == (
        f"Wrote the look-up index {other}.vectors.npz (4 claims)"
    )
    found = nearest(other, tip)
    assert found and list(found)[0] == 3 and found[3] == pytest.approx(1.0, abs=1e-3)
    rows = json.loads(
        run("--db", str(other), "claim", "similar", "--text", tip, "--format", "json").stdout
    )
    key = "static_meaning" if embedding.reranker_available() else "meaning"
    bridge = next(r for r in rows if r["text"] == CLAIMS[2])
    assert bridge[key] == pytest.approx(1.0, abs=1e-3)
    # Beside another desk the file is not used, or (when that desk holds the same rows) only
    # proposes claims, each scored by the vector that desk holds: the forged one never counts.
    (tmp_path / "desk.db.vectors.npz").write_bytes((tmp_path / "other.db.vectors.npz").read_bytes())
    assert all(cos < 0.9 for cos in (nearest(desk, tip) or {}).values())
    fresh = tmp_path / "fresh.db"
    fresh.write_bytes(template_db.read_bytes())
    for text in reversed(CLAIMS):
        assert run("--db", str(fresh), "claim", "add", text).exit_code == 0
    assert run("--db", str(fresh), "index").exit_code == 0
    (tmp_path / "fresh.db.vectors.npz").write_bytes(
        (tmp_path / "other.db.vectors.npz").read_bytes()
    )
    assert nearest(fresh, tip) is None  # its own rows: a different UUID at the file's mark
    # An edit makes the claim's vector stale: the file no longer offers it.
    assert (
        run("--db", str(other), "claim", "edit", "3", "--text", "The bridge cost more").exit_code
        == 0
    )
    assert all(cos < 0.9 for cos in (nearest(other, tip) or {}).values())
    # Its new vector (newer than the file) is found without rebuilding the file.
    assert run("--db", str(other), "index", "--no-vector-index").exit_code == 0
    assert list(nearest(other, "The bridge cost more") or {})[0] == 3


@needs_extra
def test_a_new_model_means_index_embeds_again(desk: Path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Each vector is stored with its model's name@version and dim: vectors of another model
    # (here: the same file under another version) are neither used nor counted as current.
    assert run("index").exit_code == 0
    monkeypatch.setattr(embedding, "MODEL_VERSION", "2")
    tip = "Pyongyang was behind the ransomware"
    assert similar_meaning(run, tip) > 0.25  # embedded on the fly: nothing stored for @2 yet
    result = run("index")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == (
        "Embedded 4 claims; 4 have a current vector (factcheck-minilm-static@2)"
    )
    dim = embedding.load_encoder().dim
    assert vector_rows(desk)[4:] == [
        (n, "factcheck-minilm-static@2", dim, 2 * dim) for n in range(1, 5)
    ]
    monkeypatch.setattr(embedding, "MODEL_VERSION", "1")
    again = run("index")  # the first model's vectors are still current for it
    assert again.stderr.strip() == (
        "Embedded 0 claims; 4 have a current vector (factcheck-minilm-static@1)"
    )


def similar_meaning(run, tip: str) -> float:  # type: ignore[no-untyped-def]
    rows = json.loads(run("claim", "similar", "--text", tip, "--format", "json").stdout)
    row = next(r for r in rows if r["text"] == CLAIMS[0])
    return float(row.get("static_meaning", row["meaning"]))
