"""Evaluate the shipped check-worthiness model, a TF-IDF baseline, and scoring speed.

Prints F1/precision/recall of the CFS class on ClaimBuster's disjoint_2000 test file at the
model's own (cross-validated) threshold, mean average precision over the CLEF-2019 debates
(all 19, and the 16 whose sentences ClaimBuster does not hold),
the same figures for a TF-IDF + logistic-regression baseline (needs scikit-learn), and the
shipped scorer's sentences per second on one core. Exits cleanly if the data is missing.

With ``--model transformer`` (or an ``.onnx`` file) it also scores the models extra's
fine-tuned transformer, next to the shipped pure-Python model, and times it one sentence per
run (as import runs it) and in batches of 32.

Example:
    .venv/bin/python bench/eval_checkworthy.py
    taskset -c 0 .venv/bin/python bench/eval_checkworthy.py --model transformer
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from train_checkworthy import (  # noqa: E402
    DEFAULT_CT24,
    DEFAULT_DATA,
    FOLDS,
    GROUP_SPAN,
    Split,
    best_f1_threshold,
    load_claimbuster,
)

from factcheck.extract import checkworthy, checkworthy_transformer  # noqa: E402

Scorer = Callable[[list[str]], list[float]]


def prf(labels: list[int], scores: list[float], threshold: float) -> tuple[float, float, float]:
    """Return (F1, precision, recall) of the positive class at ``threshold``."""
    pred = [s >= threshold for s in scores]
    tp = sum(1 for p, y in zip(pred, labels, strict=True) if p and y)
    fp = sum(1 for p, y in zip(pred, labels, strict=True) if p and not y)
    fn = sum(1 for p, y in zip(pred, labels, strict=True) if not p and y)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def average_precision(labels: list[int], scores: list[float]) -> float:
    """Return average precision of the ranking by descending score (ties keep file order)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits = 0
    total = 0.0
    for rank, i in enumerate(order, start=1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def load_clef(data_dir: Path) -> list[tuple[str, list[str], list[int]]]:
    """Return (file name, sentences, labels) for each CLEF-2019 debate."""
    debates = []
    for path in sorted((data_dir / "clef2019_train").glob("*.tsv")):
        texts: list[str] = []
        labels: list[int] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 4:
                texts.append(cols[2])
                labels.append(int(cols[3]))
        debates.append((path.name, texts, labels))
    return debates


def clef_map(debates: list[tuple[str, list[str], list[int]]], scorer: Scorer) -> float:
    """Return the mean over debates of the average precision of ``scorer``'s ranking."""
    aps = [average_precision(labels, scorer(texts)) for _, texts, labels in debates]
    return sum(aps) / len(aps)


def in_claimbuster(debates: list, data_dir: Path, ct24: Path | None) -> set[str]:
    """Return the CLEF debates that ClaimBuster's release also holds (over 10% of sentences).

    The 2016 presidential debates are in both: a model trained on ClaimBuster with them in
    was measured partly in-sample there; the training script now keeps them out."""
    import json

    from train_checkworthy import overlap_key, read_ct24

    keys = set()
    for name in ("data_small_3class_train", "kfold_25ncs_2.5xNCS_binary"):
        rows = json.loads((data_dir / "claimbuster" / f"{name}.json").read_text(encoding="utf-8"))
        keys |= {overlap_key(r["text"]) for r in rows}
    if ct24 is not None:
        keys |= {overlap_key(text) for _, text, _ in read_ct24(ct24)}
    return {
        name
        for name, texts, _ in debates
        if sum(overlap_key(t) in keys for t in texts) > 0.1 * len(texts)
    }


def report(
    name: str, threshold: float, test: Split, clef: list, scorer: Scorer, shared: set[str]
) -> None:
    """Print one row of figures for ``scorer``."""
    scores = scorer(test.texts)
    f1, p, r = prf(test.labels, scores, threshold)
    ap = average_precision(test.labels, scores)
    unshared = [d for d in clef if d[0] not in shared]
    print(
        f"{name:<34} threshold {threshold:.3f}  test F1 {f1:.3f}  P {p:.3f}  R {r:.3f}  "
        f"test AP {ap:.3f}  CLEF MAP {clef_map(clef, scorer):.3f} "
        f"({len(unshared)} not in ClaimBuster: {clef_map(unshared, scorer):.3f})"
    )


def baseline(train: Split) -> tuple[float, Scorer]:
    """Fit TF-IDF (sklearn defaults) + logistic regression; threshold by the same grouped CV."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    y = np.array(train.labels)
    groups = np.array(train.ids) // GROUP_SPAN
    oof = np.zeros(len(y))
    for a, b in GroupKFold(FOLDS).split(train.texts, y, groups):
        vec = TfidfVectorizer()
        xa = vec.fit_transform([train.texts[i] for i in a])
        clf = LogisticRegression(max_iter=2000).fit(xa, y[a])
        oof[b] = clf.predict_proba(vec.transform([train.texts[i] for i in b]))[:, 1]
    threshold, _ = best_f1_threshold(train.labels, [float(v) for v in oof])
    vec = TfidfVectorizer()
    clf = LogisticRegression(max_iter=2000).fit(vec.fit_transform(train.texts), y)

    def scorer(texts: list[str]) -> list[float]:
        return [float(v) for v in clf.predict_proba(vec.transform(texts))[:, 1]]

    return threshold, scorer


def speed(model: Any, texts: list[str], rounds: int = 5, cold: bool = True) -> float:
    """Return the best sentences/second over ``rounds`` passes of ``score_many``."""
    best = float("inf")
    for _ in range(rounds):
        if cold and hasattr(model, "clear_cache"):  # without the word caches of a pass before
            model.clear_cache()
        start = time.perf_counter()
        model.score_many(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def batched_speed(model: Any, texts: list[str], size: int = 32, rounds: int = 3) -> float:
    """Sentences/second of the transformer in batches of ``size`` texts of like length
    (tokenising included), best of ``rounds``: what a batch scorer could reach."""
    import numpy as np

    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        tokens = sorted((model.token_ids(t) for t in texts), key=len)
        for at in range(0, len(tokens), size):
            rows = tokens[at : at + size]
            ids = np.zeros((len(rows), max(map(len, rows))), dtype=np.int64)
            mask = np.zeros(ids.shape, dtype=np.float32)
            for n, row in enumerate(rows):
                ids[n, : len(row)], mask[n, : len(row)] = row, 1.0
            model._session.run(None, {"input_ids": ids, "attention_mask": mask})
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main(argv: list[str] | None = None) -> int:
    """Print the figures for bench/checkworthy.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--model",
        default=None,
        help="a .json.gz (default: shipped); 'transformer' or an .onnx file: the models "
        "extra's transformer as well",
    )
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--ct24", type=Path, default=DEFAULT_CT24, help="baseline training data, as the model's"
    )
    parser.add_argument(
        "--no-ct24", action="store_true", help="train the baseline on the ClaimBuster files only"
    )
    parser.add_argument(
        "--exclude-clef",
        action="store_true",
        help="fit the baseline without the CLEF debates' sentences, as train --exclude-clef",
    )
    parser.add_argument(
        "--speed-against",
        type=Path,
        metavar="PATH.json.gz",
        help="also time this linear model (e.g. the previous version, from git) interleaved "
        "with the shipped one, by CPU time, and print the ratio",
    )
    parser.add_argument(
        "--clef-only",
        action="store_true",
        help="print only the CLEF MAP of --model (to choose between finished designs without "
        "looking at disjoint_2000)",
    )
    args = parser.parse_args(argv)
    if (
        not (args.data_dir / "claimbuster").is_dir()
        or not (args.data_dir / "clef2019_train").is_dir()
    ):
        print(f"shared data not found under {args.data_dir}; nothing to evaluate", file=sys.stderr)
        return 0

    transformer = None
    if args.model == "transformer" or str(args.model).endswith(".onnx"):
        start = time.perf_counter()
        transformer = (
            checkworthy_transformer.load_model()
            if args.model == "transformer"
            else checkworthy_transformer.read_model(args.model)
        )
        transformer_load_s = time.perf_counter() - start
        args.model = None
    start = time.perf_counter()
    model = checkworthy.read_model(str(args.model)) if args.model else checkworthy.load_model()
    load_s = time.perf_counter() - start
    if args.clef_only:
        clef = load_clef(args.data_dir)
        shared = in_claimbuster(clef, args.data_dir, args.ct24)
        unshared = [d for d in clef if d[0] not in shared]
        print(
            f"{args.model or 'shipped'}: CLEF MAP {clef_map(clef, model.score_many):.4f} "
            f"({len(unshared)} not in ClaimBuster: {clef_map(unshared, model.score_many):.4f})"
        )
        return 0
    train, test = load_claimbuster(
        args.data_dir, None if args.no_ct24 else args.ct24, args.exclude_clef
    )
    print(f"baseline training data: {len(train.texts)} sentences, {sum(train.labels)} CFS")
    clef = load_clef(args.data_dir)
    print(f"test: {len(test.texts)} sentences, {sum(test.labels)} CFS; CLEF: {len(clef)} debates")
    shared = in_claimbuster(clef, args.data_dir, None if args.no_ct24 else args.ct24)
    print(f"CLEF debates also in ClaimBuster: {', '.join(sorted(shared)) or 'none'}")
    report(f"{model.name} v{model.version}", model.threshold, test, clef, model.score_many, shared)
    if transformer is not None:
        report(
            f"{transformer.name} v{transformer.version}",
            transformer.threshold,
            test,
            clef,
            transformer.score_many,
            shared,
        )

    if not args.no_baseline:
        try:
            threshold, scorer = baseline(train)
        except ImportError:
            print("baseline skipped: scikit-learn is not installed", file=sys.stderr)
        else:
            report("baseline tfidf+LR", threshold, test, clef, scorer, shared)

    if transformer is not None:
        # CPU time as well: on a shared machine wall time mostly measures the other jobs.
        cpu = time.process_time()
        alone = speed(transformer, test.texts, rounds=3)
        alone_cpu = 3 * len(test.texts) / (time.process_time() - cpu)
        cpu = time.process_time()
        batch = batched_speed(transformer, test.texts)
        batch_cpu = 3 * len(test.texts) / (time.process_time() - cpu)
        print(
            f"transformer speed (test file, one thread): one sentence per run (as import "
            f"scores) {alone:,.0f}/s wall (best of 3), {alone_cpu:,.0f}/s CPU time (mean); in "
            f"batches of 32 {batch:,.0f}/s wall, {batch_cpu:,.0f}/s CPU; "
            f"model load {transformer_load_s:.2f}s"
        )
    cold = speed(model, test.texts)
    warm = speed(model, test.texts, cold=False)
    print(
        f"speed: {cold:,.0f} sentences/s from a cold word cache, {warm:,.0f} warm "
        f"(score_many over the test file, best of 5, one core); model load {load_s:.2f}s"
    )
    if args.speed_against:
        interleaved(model, checkworthy.read_model(str(args.speed_against)), test.texts)
    return 0


def interleaved(model: Any, other: Any, texts: list[str], rounds: int = 4) -> None:
    """Time two linear models in turns, cold and warm, by CPU time (steadier than wall time
    on a shared machine), and print each round's sentences/s and the ratio of the medians."""
    import statistics

    rates: dict[str, dict[str, list[float]]] = {"cold": {}, "warm": {}}
    for _ in range(rounds):
        for label, scorer in ((f"v{model.version}", model), (f"v{other.version}", other)):
            for mode in ("cold", "warm"):
                if mode == "cold":
                    scorer.clear_cache()
                start = time.process_time()
                scorer.score_many(texts)
                rate = len(texts) / (time.process_time() - start)
                rates[mode].setdefault(label, []).append(rate)
    for mode, by_model in rates.items():
        (a, ra), (b, rb) = by_model.items()
        print(
            f"interleaved {mode} (CPU time, {rounds} rounds): {a} "
            f"{' '.join(f'{r:,.0f}' for r in ra)}/s; {b} {' '.join(f'{r:,.0f}' for r in rb)}/s; "
            f"median ratio {a}/{b} {statistics.median(ra) / statistics.median(rb):.2f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
