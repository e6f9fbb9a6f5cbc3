"""Designs tried to raise the default model's CLEF MAP, compared by blocked CV (a probe; nothing ships).

MAP is a ranking figure over whole debates, so every design below is compared on ClaimBuster
training data only (bench/train_checkworthy.py's sentences, no disjoint_2000 text or id) by:
- grouped 6-fold CV (the training script's era blocks of 2,000 sentence ids): mean average
  precision over the 21 era blocks ("block AP", the CLEF figure's analogue: rank each block,
  average its precision, average the blocks), mean F1 over blocks at the best common threshold
  ("block F1", the threshold rule the shipped model uses) and pooled F1;
- forward chaining: train on every block before block b, score block b, for the last six
  blocks (the deployment case: weights from past debates, text from a later one).
Designs: v3's own two parts and mix (the reference); class-balanced weights; naive-Bayes
log-count-ratio scaled features (NBSVM); per-era-block fixed effects (a one-hot block
intercept at training time, dropped at scoring: era base rates 0.17-0.39 stop leaking into
the word weights); era-balanced sample weights (each block's classes weigh the same); a third
part on the previous sentence (context, where sentence id - 1 is in the training data);
recency-weighted training (half-life 6,000 / 12,000 ids) and a word-only lexical part
(forward chaining). With ``--report`` the context design (the only one CV put ahead on both
block figures) is fitted on all the training data and scored once on disjoint_2000 and the
CLEF-2019 debates (previous line of each file as context), next to v3: a report, not a choice.
Needs the train extra; ~15-20 min on the shared 2 cores.

Example:
    .venv/bin/python bench/probe_checkworthy_designs.py [--report]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import eval_checkworthy as ev  # noqa: E402
import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
import train_checkworthy as tr  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from factcheck.extract import checkworthy  # noqa: E402

C = 4.0  # v3's C for both parts
CONTEXT_C = 1.0
MIX = 0.3  # v3's skeleton weight


def ap(y: Any, z: Any) -> float:
    """Average precision of ranking ``z`` (descending, ties in order) against 0/1 ``y``."""
    order = np.argsort(-z, kind="stable")
    hits = y[order]
    if not hits.sum():
        return 0.0
    return float((np.cumsum(hits) / np.arange(1, len(hits) + 1) * hits).sum() / hits.sum())


def figures(y: Any, z: Any, ids: Any) -> str:
    blocks = ids // tr.GROUP_SPAN
    block_ap = np.mean([ap(y[blocks == b], z[blocks == b]) for b in np.unique(blocks)])
    _, block_f1 = tr.block_f1_threshold(list(y), list(z), list(ids))
    _, pooled_f1 = tr.best_f1_threshold(list(y), list(z))
    return f"block AP {block_ap:.4f}  block F1 {block_f1:.4f}  pooled F1 {pooled_f1:.4f}"


def nb_ratio(x: Any, y: Any) -> Any:
    """Naive-Bayes log-count ratio of each feature (present / absent in positives vs rest)."""
    present = (x > 0).astype(float)
    p = np.asarray(present[y == 1].sum(0)).ravel() + 1.0
    q = np.asarray(present[y == 0].sum(0)).ravel() + 1.0
    return sp.diags(np.log((p / p.sum()) / (q / q.sum())))


def era_balanced(y: Any, groups: Any) -> Any:
    w = np.ones(len(y))
    for g in np.unique(groups):
        m = groups == g
        rate = y[m].mean()
        w[m] = np.where(y[m] == 1, 0.5 / rate, 0.5 / (1.0 - rate)) / m.sum()
    return w * len(w) / w.sum()


def grouped(docs: list[list[str]], y: Any, groups: Any) -> dict[str, Any]:
    """Out-of-fold logits of every design of one part, on the training script's folds."""
    names = ("plain", "balanced", "nb", "fixed effects", "era-balanced")
    oof = {k: np.zeros(len(y)) for k in names}
    n_blocks = int(groups.max()) + 1
    for a, b in GroupKFold(tr.FOLDS).split(docs, y, groups):
        vec = tr.ScaledTfidf()
        xa, xb = vec.fit_transform([docs[i] for i in a]), vec.transform([docs[i] for i in b])

        def fit(x: Any, ya: Any = y[a]) -> Any:
            return LogisticRegression(C=C, max_iter=10000, tol=1e-6).fit(x, ya)

        oof["plain"][b] = fit(xa).decision_function(xb)
        oof["balanced"][b] = (
            LogisticRegression(C=C, max_iter=10000, tol=1e-6, class_weight="balanced")
            .fit(xa, y[a])
            .decision_function(xb)
        )
        r = nb_ratio(xa, y[a])
        oof["nb"][b] = fit(xa @ r).decision_function(xb @ r)
        onehot = sp.csr_matrix(
            (np.ones(len(a)), (np.arange(len(a)), groups[a])), shape=(len(a), n_blocks)
        )
        fe = fit(sp.hstack([xa, onehot]).tocsr())
        width = xa.shape[1]
        # An unseen era has no offset of its own: use the training blocks' mean offset.
        offset = fe.coef_[0][width:][np.unique(groups[a])].mean()
        oof["fixed effects"][b] = xb @ fe.coef_[0][:width] + fe.intercept_[0] + offset
        oof["era-balanced"][b] = (
            LogisticRegression(C=C, max_iter=10000, tol=1e-6)
            .fit(xa, y[a], sample_weight=era_balanced(y[a], groups[a]))
            .decision_function(xb)
        )
        print("  fold done", file=sys.stderr, flush=True)
    return oof


def context_oof(prev_docs: list[list[str]], y: Any, groups: Any) -> Any:
    oof = np.zeros(len(y))
    for a, b in GroupKFold(tr.FOLDS).split(prev_docs, y, groups):
        vec = tr.ScaledTfidf()
        clf = LogisticRegression(C=CONTEXT_C, max_iter=10000, tol=1e-6)
        clf.fit(vec.fit_transform([prev_docs[i] for i in a]), y[a])
        oof[b] = clf.decision_function(vec.transform([prev_docs[i] for i in b]))
    return oof


def forward(docs: dict[str, list[list[str]]], y: Any, ids: Any) -> None:
    """Train on earlier blocks, score a later one; the last six blocks."""
    blocks = ids // tr.GROUP_SPAN
    targets = sorted(set(blocks.tolist()))[-6:]

    def fit(space: str, a: Any, b: Any, half_life: float | None) -> Any:
        w = None
        if half_life is not None:
            w = np.power(0.5, (ids[b].min() - ids[a]) / half_life)
            w = w * len(w) / w.sum()
        vec = tr.ScaledTfidf()
        xa = vec.fit_transform([docs[space][i] for i in a])
        clf = LogisticRegression(C=C, max_iter=10000, tol=1e-6).fit(xa, y[a], sample_weight=w)
        return clf.decision_function(vec.transform([docs[space][i] for i in b]))

    rows: dict[str, list[float]] = {}
    for t in targets:
        a, b = np.where(blocks < t)[0], np.where(blocks == t)[0]
        for name, lex_space, half_life in (
            ("v3 design", "lex", None),
            ("recency half-life 6,000 ids", "lex", 6000.0),
            ("recency half-life 12,000 ids", "lex", 12000.0),
            ("word-only lexical part", "words", None),
        ):
            z = (1 - MIX) * fit(lex_space, a, b, half_life) + MIX * fit("skel", a, b, half_life)
            rows.setdefault(name, []).append(ap(y[b], z))
        print(f"  forward block {t} done", file=sys.stderr, flush=True)
    print(f"forward chaining, blocks {targets}: mean AP (per block)")
    for name, aps in rows.items():
        print(f"  {name:<30} {np.mean(aps):.4f}  ({' '.join(f'{v:.3f}' for v in aps)})")


def report(split: tr.Split, test: tr.Split, y: Any, oof_base: Any, oof_ctx: Any, w: float) -> None:
    """Fit the context part on all training data; score disjoint_2000 and CLEF once."""
    byid = dict(zip(split.ids, split.texts, strict=True))
    vec = tr.ScaledTfidf()
    prev = [byid.get(i - 1, "") for i in split.ids]
    clf = LogisticRegression(C=CONTEXT_C, max_iter=10000, tol=1e-6)
    clf.fit(vec.fit_transform([checkworthy.features(t) for t in prev]), y)
    model = checkworthy.load_model()
    threshold, _ = tr.block_f1_threshold(list(y), list(oof_base + w * oof_ctx), split.ids)

    def score(texts: list[str], prevs: list[str]) -> list[float]:
        ctx = clf.decision_function(vec.transform([checkworthy.features(t) for t in prevs]))
        return [model.decision(t) + w * float(c) for t, c in zip(texts, ctx, strict=True)]

    # Context at scoring time is input, not training: a test sentence's previous sentence
    # comes from the test file, else from the training data.
    test_byid = dict(zip(test.ids, test.texts, strict=True))
    tprev = [test_byid.get(i - 1, byid.get(i - 1, "")) for i in test.ids]
    for name, scorer, thr in (
        ("v3", lambda texts, prevs: [model.decision(t) for t in texts], None),
        (f"v3 + {w} x context", score, threshold),
    ):
        z = scorer(test.texts, tprev)
        cut = thr if thr is not None else -np.log(1 / model.threshold - 1)
        f1, p, r = ev.prf(test.labels, z, cut)
        aps = [
            ev.average_precision(labels, scorer(texts, ["", *texts[:-1]]))
            for _, texts, labels in ev.load_clef(tr.DEFAULT_DATA)
        ]
        print(
            f"{name:<20} disjoint_2000 F1 {f1:.3f} P {p:.3f} R {r:.3f} "
            f"AP {ev.average_precision(test.labels, z):.3f}  CLEF MAP {np.mean(aps):.4f}"
        )


DISTIL_C = (2.0, 4.0)  # v4's C for the lexical and skeleton parts
DISTIL_FOLD = 0  # the teacher's held-out fold: its scores there are out-of-sample


def soft_fit(x: Any, target: Any, c: float) -> Any:
    """Logistic regression on soft targets in [0, 1]: each row once as a positive with weight
    ``target`` and once as a negative with weight ``1 - target`` (the cross-entropy against a
    soft label is exactly that sum)."""
    n = x.shape[0]
    both = sp.vstack([x, x]).tocsr()
    labels = np.r_[np.ones(n), np.zeros(n)]
    weights = np.r_[target, 1.0 - target]
    keep = weights > 0
    return LogisticRegression(C=c, max_iter=10000, tol=1e-6).fit(
        both[keep], labels[keep], sample_weight=weights[keep]
    )


def distil(split: tr.Split, teacher_file: Path) -> None:
    """Compare hard-label training (v4's design) with training on the transformer's scores.

    Every design keeps v4's features, Cs and mix; only the targets (and, for one design, the
    unlabelled extra text) change. Figures over all six folds are optimistic for the soft
    designs (on folds 1-5 the teacher trained on the held-out blocks' labels); fold 0's, where
    the teacher never saw the held-out blocks, are the clean comparison."""
    import json

    teacher = json.loads(teacher_file.read_text(encoding="utf-8"))["scores"]
    y, ids = np.array(split.labels), np.array(split.ids)
    groups = ids // tr.GROUP_SPAN
    p = np.array([teacher[t] for t in split.texts])
    extra = tr.extra_texts()
    p_extra = np.array([teacher[t] for t in extra])
    # name: (weight of the hard label, with the extra text, lexical C, skeleton weight)
    designs: dict[str, tuple[float, bool, float, float]] = {
        "hard labels (v4 design)": (1.0, False, DISTIL_C[0], 0.3),
        "0.75 hard + 0.25 teacher": (0.75, False, DISTIL_C[0], 0.3),
        "0.5 hard + 0.5 teacher": (0.5, False, DISTIL_C[0], 0.3),
        "teacher only": (0.0, False, DISTIL_C[0], 0.3),
        "0.5 hard + 0.5 teacher, + extra text": (0.5, True, DISTIL_C[0], 0.3),
        # What train_checkworthy.py --distil then chose by its grid (C 4, skeleton weight 0):
        "v5: the above, lexical C 4, no skeleton": (0.5, True, 4.0, 0.0),
    }
    spaces = {
        "lex": (checkworthy.features, DISTIL_C[0]),
        "skel": (checkworthy.skeleton_features, DISTIL_C[1]),
    }
    oof = {name: {s: np.zeros(len(y)) for s in spaces} for name in designs}
    folds = list(GroupKFold(tr.FOLDS).split(split.texts, y, groups))
    for space, (featurise, c_space) in spaces.items():
        docs = [featurise(t) for t in split.texts]
        extra_docs = [featurise(t) for t in extra]
        for a, b in folds:
            vec = tr.ScaledTfidf()
            xa = vec.fit_transform([docs[i] for i in a])
            xb = vec.transform([docs[i] for i in b])
            x_extra = vec.transform(extra_docs)
            for name, (alpha, with_extra, c_lex, mix) in designs.items():
                if space == "skel" and mix == 0.0:
                    continue
                c = c_lex if space == "lex" else c_space
                target = alpha * y[a] + (1.0 - alpha) * p[a]
                x = xa
                if with_extra:
                    x, target = sp.vstack([xa, x_extra]).tocsr(), np.r_[target, p_extra]
                oof[name][space][b] = soft_fit(x, target, c).decision_function(xb)
            print(f"  {space} fold done", file=sys.stderr, flush=True)
    held = np.isin(np.arange(len(y)), folds[DISTIL_FOLD][1])
    print(
        f"distillation, C {DISTIL_C[0]}/{DISTIL_C[1]}, skeleton weight 0.3; fold "
        f"{DISTIL_FOLD} = blocks {sorted(set(groups[held].tolist()))}, {int(held.sum())} sentences"
    )
    print(f"  {'teacher (transformer), fold 0 only':<40} fold 0: {fold_figures(y, p, ids, held)}")
    for name, (_, _, _, mix) in designs.items():
        z = (1.0 - mix) * oof[name]["lex"] + mix * oof[name]["skel"]
        print(f"  {name:<40} all folds: {figures(y, z, ids)}")
        print(f"  {'':<40} fold 0: {fold_figures(y, z, ids, held)}")


def fold_figures(y: Any, z: Any, ids: Any, held: Any) -> str:
    """Block AP and block F1 on the held-out fold only; the F1 at the threshold the block rule
    picks on the other five folds (as a model would ship), and at fold 0's own best."""
    blocks = ids // tr.GROUP_SPAN
    hb = np.unique(blocks[held])
    block_ap = np.mean([ap(y[blocks == b], z[blocks == b]) for b in hb])
    rest = ~held
    if np.ptp(z[rest]) > 0 and len(np.unique(blocks[rest])) > 1:
        thr, _ = tr.block_f1_threshold(list(y[rest]), list(z[rest]), list(ids[rest]))
    else:
        thr = float("nan")

    def mean_f1(cut: float) -> float:
        f1s = []
        for b in hb:
            m = blocks == b
            pred = z[m] >= cut
            tp = int((pred & (y[m] == 1)).sum())
            denom = int(pred.sum()) + int(y[m].sum())
            f1s.append(2 * tp / denom if denom else 0.0)
        return float(np.mean(f1s))

    _, own = tr.block_f1_threshold(list(y[held]), list(z[held]), list(ids[held]))
    return f"block AP {block_ap:.4f}  block F1 {mean_f1(thr):.4f} (own best {own:.4f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--report", action="store_true", help="score the context design once")
    parser.add_argument(
        "--distil",
        type=Path,
        metavar="TEACHER_JSON",
        help="only compare distillation designs, with these teacher scores "
        "(train_checkworthy.py --teacher-scores writes them)",
    )
    args = parser.parse_args(argv)
    split, test = tr.load_claimbuster(tr.DEFAULT_DATA, tr.DEFAULT_CT24)
    if args.distil:
        distil(split, args.distil)
        return 0
    y, ids = np.array(split.labels), np.array(split.ids)
    groups = ids // tr.GROUP_SPAN
    lex = [checkworthy.features(t) for t in split.texts]
    docs = {
        "lex": lex,
        "skel": [checkworthy.skeleton_features(t) for t in split.texts],
        "words": [[f for f in d if not f.startswith(("c:", "s:"))] for d in lex],
    }
    byid = dict(zip(split.ids, split.texts, strict=True))
    prev_docs = [checkworthy.features(byid[i - 1]) if i - 1 in byid else [] for i in split.ids]
    print(f"{len(y)} sentences, {int(y.sum())} CFS, {len(np.unique(groups))} era blocks")
    lex_oof, skel_oof = grouped(docs["lex"], y, groups), grouped(docs["skel"], y, groups)
    print(f"grouped 6-fold CV, C={C}, skeleton weight {MIX} unless said")
    for name in lex_oof:
        z = (1 - MIX) * lex_oof[name] + MIX * skel_oof[name]
        print(f"  {name:<30} {figures(y, z, ids)}")
    base = (1 - MIX) * lex_oof["plain"] + MIX * skel_oof["plain"]
    for mix in (0.2, 0.4):
        z = (1 - mix) * lex_oof["plain"] + mix * skel_oof["plain"]
        print(f"  {'plain, skeleton weight ' + str(mix):<30} {figures(y, z, ids)}")
    ctx = context_oof(prev_docs, y, groups)
    print(f"  {'context part alone':<30} {figures(y, ctx, ids)}")
    for w in (0.1, 0.2, 0.3, 0.5):
        print(f"  {'v3 design + ' + str(w) + ' x context':<30} {figures(y, base + w * ctx, ids)}")
    forward(docs, y, ids)
    if args.report:
        report(split, test, y, base, ctx, 0.3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
