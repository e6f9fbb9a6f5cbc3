"""Train the check-worthiness model shipped in factcheck/extract/data/.

Trains on ClaimBuster only: data_small_3class_train.json, the sentences of
kfold_25ncs_2.5xNCS_binary.json, and the CheckThat! 2024 English training file (ClaimBuster's
full release relabelled as binary, same sentence ids), keeping each normalised text once and
dropping every sentence of the development test file (disjoint_2000) by text and by id, from
every file (v3 kept 16 test texts that data_small_3class_train.json repeats; v4 does not). Two
logistic regressions are fitted, one on the lexical features and one on the syntax-skeleton
features; each one's C, the weight of the skeleton model in the averaged logit and the
decision threshold are all chosen by grouped (era-blocked) cross-validation on that training
data, never on the test file or CLEF. The threshold maximises the mean F1 over the era blocks
(each block scored by a model that never saw it): the expected F1 on a debate of an unseen
era, rather than the F1 of all folds pooled. Output is byte-for-byte reproducible.

v5 is distilled (``--distil TEACHER_JSON``): each training sentence's target is 0.5 x its label
+ 0.5 x the models extra's fine-tuned transformer's score, and 1,211 unlabelled sentences (the
seed article and the speaker corpus's development splits, never its held-out ones) join with
the transformer's score as their target. ``--write-teacher-scores JSON`` writes those scores
first (the transformer one sentence per run, as import scores; ~5-10 min on one core).

The CheckThat! 2024 file is not in ../shared/data; get it once (see bench/checkworthy.md):
    git -C /work/.mirror/jjasardi+BA-CheckThat2024/repo show \
      862c072:data_s/CT24_checkworthy_english/CT24_checkworthy_english_train.tsv \
      > ../data-cache/ct24/CT24_checkworthy_english_train.tsv

Example:
    T=../data-cache/scratch/cw-distil/teacher-minilm-v1.json
    git show 4253202:factcheck/extract/data/checkworthy-minilm-v1-int8.onnx > ../v1.onnx
    .venv/bin/python bench/train_checkworthy.py --write-teacher-scores $T --teacher-onnx ../v1.onnx
    .venv/bin/python bench/train_checkworthy.py --distil $T            # writes the v5 weights
    .venv/bin/python bench/train_checkworthy.py --distil $T --verify   # retrains, compares
"""

from __future__ import annotations

import os

# One BLAS thread: the fit is then bit-for-bit repeatable on a given machine.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.extract import checkworthy  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "checkworthiness"
DEFAULT_CT24 = REPO.parent / "data-cache" / "ct24" / "CT24_checkworthy_english_train.tsv"
# sha256 of the CheckThat! 2024 English training file (22,501 sentences) the weights came from.
CT24_SHA256 = "c4114cd88684d7f3b9b82a63b249bc785d3cc9819bb0a8ef9bb3b1386f11ab0b"
DEFAULT_OUT = REPO / "factcheck" / "extract" / "data" / checkworthy.MODEL_FILE
C_GRID: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)
SKELETON_C_GRID: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
# Weight of the skeleton model in the averaged logit (0 = lexical model alone).
MIX_GRID: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
FOLDS = 6
# ClaimBuster sentence ids run in debate order, so id blocks stand in for debates/eras:
# grouped folds then measure transfer to unseen debates rather than to unseen sentences.
GROUP_SPAN = 2000
MIN_DF = 2
# Weight of the hard label in a distilled target (the rest is the transformer's score).
DISTIL_ALPHA = 0.5


@dataclass
class Split:
    """Texts with binary labels (1 = CFS) and their ClaimBuster sentence ids."""

    texts: list[str]
    labels: list[int]
    ids: list[int]


def overlap_key(text: str) -> str:
    """Normalise a sentence for the train/test overlap check."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def _read_json(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        rows: list[dict[str, Any]] = json.load(fh)
    return rows


def read_ct24(path: Path) -> list[tuple[int, str, int]]:
    """Return (sentence id, text, label) rows of the CheckThat! 2024 English training file."""
    import csv
    import hashlib

    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != CT24_SHA256:
        raise ValueError(f"{path} is not the expected CheckThat! 2024 file (sha256 {digest})")
    rows = list(csv.reader(raw.decode("utf-8").splitlines(), delimiter="\t"))
    if rows[0] != ["Sentence_id", "Text", "class_label"]:
        raise ValueError(f"{path}: unexpected header {rows[0]}")
    return [(int(r[0]), r[1], int(r[2] == "Yes")) for r in rows[1:]]


def clef_keys(data_dir: Path) -> set[str]:
    """Return the overlap keys of the CLEF-2019 debates' sentences (kept out of training)."""
    keys: set[str] = set()
    for path in sorted((data_dir / "clef2019_train").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 4:
                keys.add(overlap_key(cols[2]))
    keys.discard("")
    return keys


def load_claimbuster(
    data_dir: Path, ct24: Path | None = None, exclude_clef: bool = False
) -> tuple[Split, Split]:
    """Return (training split, development test split) as binary CFS-vs-rest.

    With ``ct24``, the CheckThat! 2024 English training file adds the rest of ClaimBuster's
    release; the ClaimBuster files' own labels win where a text appears in both."""
    cb = data_dir / "claimbuster"
    train = _read_json(cb / "data_small_3class_train.json")
    test = _read_json(cb / "disjoint_2000_3class_test.json")
    extra = [
        (int(r["sentence_id"]), str(r["text"]), int(r["label"]))
        for r in _read_json(cb / "kfold_25ncs_2.5xNCS_binary.json")
    ]
    if ct24 is not None:
        extra.extend(read_ct24(ct24))
    test_ids = {int(r["sentence_id"]) for r in test}
    measured = {overlap_key(r["text"]) for r in test}
    if exclude_clef:
        # ClaimBuster holds 3 of the 19 CLEF-2019 debates (the 2016 presidential ones), so
        # their MAP is partly in-sample; this keeps their sentences out (measured, not shipped).
        measured |= clef_keys(data_dir)
    seen = set(measured)
    texts: list[str] = []
    labels: list[int] = []
    ids: list[int] = []
    for r in train:
        key = overlap_key(r["text"])
        if key in measured:
            continue
        seen.add(key)
        texts.append(r["text"])
        labels.append(int(int(r["label"]) == 1))
        ids.append(int(r["sentence_id"]))
    for sentence_id, text, label in extra:
        key = overlap_key(text)
        # The other files overlap the train and the test file; a test sentence id never
        # trains, even where the released text differs slightly.
        if key in seen or sentence_id in test_ids:
            continue
        seen.add(key)
        texts.append(text)
        labels.append(label)
        ids.append(sentence_id)
    test_split = Split(
        [r["text"] for r in test],
        [int(int(r["label"]) == 1) for r in test],
        [int(r["sentence_id"]) for r in test],
    )
    return Split(texts, labels, ids), test_split


# Unlabelled, licence-clean text for distillation (the teacher labels it): the seed article
# and the speaker corpus's development splits (written in-house, MIT; Wikinews, CC BY 2.5).
# Never the corpus's held-out splits (heldout*, house-heldout*, real-heldout*, final*).
EXTRA_TEXT_DIRS: tuple[str, ...] = (
    "bench/speakers/dev",
    "bench/speakers/house-dev",
    "bench/speakers/real-dev",
)
EXTRA_TEXT_FILES: tuple[str, ...] = ("seeds/wannacry-attribution.txt",)


def extra_texts() -> list[str]:
    """Return the unlabelled distillation sentences, one per corpus line, in a fixed order."""
    paths = [REPO / f for f in EXTRA_TEXT_FILES]
    for folder in EXTRA_TEXT_DIRS:
        paths.extend(sorted((REPO / folder).glob("*.txt")))
    out: list[str] = []
    seen: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            text = line.split(" || ")[0].strip()
            key = overlap_key(text)
            if key and key not in seen:
                seen.add(key)
                out.append(text)
    return out


def write_teacher_scores(data_dir: Path, ct24: Path, onnx: Path, out: Path) -> None:
    """Score every training and extra sentence with the transformer; write them as JSON.

    The student (v5) learns from these soft labels. The teacher trained on all folds but
    fold 0 (its held-out part), so on folds 1-5 its scores are in-sample: see checkworthy.md."""
    import hashlib

    from factcheck.extract import checkworthy_transformer

    teacher = checkworthy_transformer.read_model(str(onnx))
    split, _ = load_claimbuster(data_dir, ct24)
    texts = [*split.texts, *extra_texts()]
    scores: dict[str, float] = {}
    for n, text in enumerate(texts):
        scores.setdefault(text, round(teacher.score(text), 6))
        if n % 2000 == 0:
            print(f"  teacher {n}/{len(texts)}", file=sys.stderr)
    payload = {
        "teacher": f"{teacher.name}@{teacher.version}",
        "teacher_sha256": hashlib.sha256(onnx.read_bytes()).hexdigest(),
        "scores": scores,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")


def best_f1_threshold(labels: list[int], scores: list[float]) -> tuple[float, float]:
    """Return (threshold, F1) maximising F1 when predicting positive for score >= threshold."""
    pairs = sorted(zip(scores, labels, strict=True), key=lambda p: -p[0])
    positives = sum(labels)
    tp = 0
    best = (1.0, 0.0)
    for rank, (score, label) in enumerate(pairs, start=1):
        tp += label
        # Only cut between distinct scores, so the threshold is realisable.
        if rank < len(pairs) and pairs[rank][0] == score:
            continue
        f1 = 2 * tp / (rank + positives) if positives else 0.0
        if f1 > best[1]:
            nxt = pairs[rank][0] if rank < len(pairs) else 0.0
            best = ((score + nxt) / 2, f1)
    return best


def block_f1_threshold(
    labels: list[int], scores: list[float], ids: list[int], step: float = 0.01
) -> tuple[float, float]:
    """Return (threshold, mean F1 over era blocks) maximising the mean of per-block F1.

    Each block of ``GROUP_SPAN`` sentence ids (a few debates of one era) counts once, so
    the threshold is the one that would do best on average on a debate of an unseen era,
    whatever the size of each block. Candidate thresholds are a ``step`` grid of logits."""
    import numpy as np

    y = np.array(labels, dtype=bool)
    z = np.array(scores)
    blocks = np.array(ids) // GROUP_SPAN
    grid = np.arange(np.floor(z.min()), np.ceil(z.max()) + step, step)
    total = np.zeros(len(grid))
    names = sorted(set(blocks.tolist()))
    for name in names:
        yb, zb = y[blocks == name], z[blocks == name]
        pred = zb[None, :] >= grid[:, None]
        tp = (pred & yb).sum(axis=1)
        fp = (pred & ~yb).sum(axis=1)
        fn = yb.sum() - tp
        denom = 2 * tp + fp + fn
        total += np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
    best = int(np.argmax(total))  # the first (lowest) of tied thresholds
    return round(float(grid[best]), 6), float(total[best] / len(names))


def cross_validate(
    docs: list[list[str]], split: Split, grid: tuple[float, ...], soft: Soft | None = None
) -> dict[float, list[float]]:
    """Return out-of-fold logits for each C in ``grid`` (grouped folds).

    With ``soft``, each fold trains on its soft targets (and on the unlabelled extra text);
    the out-of-fold logits are still judged against the hard labels."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    y = np.array(split.labels)
    groups = np.array(split.ids) // GROUP_SPAN
    oof = {c: np.zeros(len(docs)) for c in grid}
    for fold, (a, b) in enumerate(GroupKFold(FOLDS).split(docs, y, groups)):
        vec = _vectorizer()
        xa = vec.fit_transform([docs[i] for i in a])
        xb = vec.transform([docs[i] for i in b])
        for c in grid:
            clf = _fit_rows(vec, xa, a, y, c, soft)
            oof[c][b] = clf.decision_function(xb)
        print(f"  fold {fold + 1}/{FOLDS} done", file=sys.stderr)
    return {c: [float(v) for v in oof[c]] for c in grid}


@dataclass
class Soft:
    """Distillation targets: ``alpha`` x hard label + (1 - alpha) x the teacher's score for
    each training sentence (``teacher``, aligned with the split), plus unlabelled sentences
    (``extra_docs``, one feature list each, for the space being fitted) with the teacher's
    score as their target."""

    alpha: float
    teacher: list[float]
    extra_docs: list[list[str]]
    extra_teacher: list[float]


def _fit_rows(vec: Any, x: Any, rows: Any, y: Any, c: float, soft: Soft | None) -> Any:
    """Fit one logistic regression on ``x`` (the rows ``rows`` of the split), hard or soft."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    if soft is None:
        return LogisticRegression(C=c, max_iter=10000, tol=1e-8).fit(x, y[rows])
    target = soft.alpha * y[rows] + (1.0 - soft.alpha) * np.array(soft.teacher)[rows]
    if soft.extra_docs:
        x = sp.vstack([x, vec.transform(soft.extra_docs)]).tocsr()
        target = np.r_[target, soft.extra_teacher]
    # Cross-entropy against a soft target t is the loss of the row as a positive with
    # weight t plus the row as a negative with weight 1 - t.
    n = x.shape[0]
    both = sp.vstack([x, x]).tocsr()
    labels = np.r_[np.ones(n), np.zeros(n)]
    weights = np.r_[target, 1.0 - target]
    keep = weights > 0
    return LogisticRegression(C=c, max_iter=10000, tol=1e-8).fit(
        both[keep], labels[keep], sample_weight=weights[keep]
    )


def _identity(doc: list[str]) -> list[str]:
    return doc


class ScaledTfidf:
    """Linear-tf TF-IDF rows divided by sqrt(sum over the row's terms of count * idf**2).

    That scale is the L2 norm when no feature repeats inside a sentence, and it is additive
    over the parts of a sentence: the pure-Python scorer can then cache each word's share
    (its word and character n-grams) once instead of looking every n-gram up per sentence.
    """

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._tfidf = TfidfVectorizer(
            analyzer=_identity, min_df=MIN_DF, lowercase=False, norm=None, sublinear_tf=False
        )

    @property
    def idf_(self) -> Any:
        return self._tfidf.idf_

    def get_feature_names_out(self) -> Any:
        return self._tfidf.get_feature_names_out()

    def _scale(self, x: Any) -> Any:
        import numpy as np
        import scipy.sparse as sp

        sq = np.asarray(x @ self._tfidf.idf_).ravel()  # sum of count * idf**2 per row
        inv = np.zeros_like(sq)
        np.divide(1.0, np.sqrt(sq), out=inv, where=sq > 0)
        return sp.diags(inv) @ x

    def fit_transform(self, docs: list[list[str]]) -> Any:
        return self._scale(self._tfidf.fit_transform(docs))

    def transform(self, docs: list[list[str]]) -> Any:
        return self._scale(self._tfidf.transform(docs))


def _vectorizer() -> ScaledTfidf:
    return ScaledTfidf()


def _fit_part(
    docs: list[list[str]], labels: list[int], c: float, soft: Soft | None = None
) -> tuple[Any, Any]:
    import numpy as np

    vec = _vectorizer()
    x = vec.fit_transform(docs)
    clf = _fit_rows(vec, x, np.arange(len(docs)), np.array(labels), c, soft)
    return vec, clf


def _part_payload(space: str, weight: float, vec: Any, clf: Any) -> dict[str, Any]:
    names = [str(name) for name in vec.get_feature_names_out()]
    if any("\n" in name for name in names):
        raise ValueError("a feature name contains a newline; the weights file cannot hold it")
    # Fixed point: idf to 4 decimals, coefficients to 5 (see checkworthy.IDF_SCALE).
    idf = [round(round(float(v), 4) * checkworthy.IDF_SCALE) for v in vec.idf_]
    coef = [round(round(float(v), 5) * checkworthy.WEIGHT_SCALE) for v in clf.coef_[0]]
    return {
        "space": space,
        "weight": weight,
        "intercept": round(float(clf.intercept_[0]), 5),
        "names": "\n".join(names),
        "idf": checkworthy.pack_ints(idf),
        "coef": checkworthy.pack_ints(coef),
    }


def _choose_c(name: str, labels: list[int], oof: dict[float, list[float]]) -> float:
    cv = {c: best_f1_threshold(labels, oof[c]) for c in oof}
    for c in oof:
        print(f"  {name} C={c:<4} grouped-CV F1 {cv[c][1]:.4f}", file=sys.stderr)
    return max(oof, key=lambda c: (round(cv[c][1], 6), -c))  # ties go to the simpler model


def train(
    data_dir: Path,
    ct24: Path,
    exclude_clef: bool = False,
    teacher_file: Path | None = None,
    alpha: float = DISTIL_ALPHA,
    with_extra: bool = True,
    fixed: tuple[float, float, float] | None = None,
) -> tuple[bytes, dict[str, Any]]:
    """Choose Cs, the mix and the threshold by grouped CV, fit on all data; return file bytes.

    With ``teacher_file`` (``--teacher-scores``' output), both parts learn from soft targets
    (``alpha`` x label + (1 - alpha) x the transformer's score) and, with ``with_extra``, from
    the unlabelled extra text at the transformer's score; every choice is still judged
    against the hard labels of held-out era blocks."""
    import math

    split, _ = load_claimbuster(data_dir, ct24, exclude_clef)
    labels = split.labels
    lex_docs = [checkworthy.features(t) for t in split.texts]
    skel_docs = [checkworthy.skeleton_features(t) for t in split.texts]
    lex_soft = skel_soft = None
    teacher_info: dict[str, Any] = {}
    if teacher_file is not None:
        teacher = json.loads(teacher_file.read_text(encoding="utf-8"))
        scores = teacher["scores"]
        extra = extra_texts() if with_extra else []
        missing = [t for t in [*split.texts, *extra] if t not in scores]
        if missing:
            raise ValueError(f"{teacher_file} has no score for {len(missing)} sentences")
        own = [float(scores[t]) for t in split.texts]
        extra_p = [float(scores[t]) for t in extra]
        lex_soft = Soft(alpha, own, [checkworthy.features(t) for t in extra], extra_p)
        skel_soft = Soft(alpha, own, [checkworthy.skeleton_features(t) for t in extra], extra_p)
        teacher_info = {
            "distilled_from": teacher["teacher"],
            "teacher_sha256": teacher["teacher_sha256"],
            "distil_alpha": alpha,
            "extra_sentences": len(extra),
        }
    c_grid, skel_grid, mix_grid = C_GRID, SKELETON_C_GRID, MIX_GRID
    if fixed is not None:
        c_grid, skel_grid, mix_grid = (fixed[0],), (fixed[1],), (0.0, fixed[2])
    lex_oof = cross_validate(lex_docs, split, c_grid, lex_soft)
    skel_oof = cross_validate(skel_docs, split, skel_grid, skel_soft)
    lex_c = _choose_c("lexical", labels, lex_oof)
    skel_c = _choose_c("skeleton", labels, skel_oof)
    mixes = {}
    for mix in mix_grid:
        logits = [
            (1.0 - mix) * a + mix * b for a, b in zip(lex_oof[lex_c], skel_oof[skel_c], strict=True)
        ]
        mixes[mix] = best_f1_threshold(labels, logits)
        print(f"  mix {mix:.1f}: grouped-CV F1 {mixes[mix][1]:.4f}", file=sys.stderr)
    best_mix = max(mix_grid, key=lambda m: (round(mixes[m][1], 6), -m))
    if fixed is not None:
        best_mix = fixed[2]
    cv_f1 = mixes[best_mix][1]
    mixed = [
        (1.0 - best_mix) * a + best_mix * b
        for a, b in zip(lex_oof[lex_c], skel_oof[skel_c], strict=True)
    ]
    threshold_logit, block_f1 = block_f1_threshold(labels, mixed, split.ids)
    threshold = 1.0 / (1.0 + math.exp(-threshold_logit))
    print(
        f"  threshold {threshold:.4f}: mean F1 over era blocks {block_f1:.4f} (pooled-F1 "
        f"threshold would be {1.0 / (1.0 + math.exp(-mixes[best_mix][0])):.4f})",
        file=sys.stderr,
    )

    lex_vec, lex_clf = _fit_part(lex_docs, labels, lex_c, lex_soft)
    skel_vec, skel_clf = _fit_part(skel_docs, labels, skel_c, skel_soft)
    info = {
        "C_lexical": lex_c,
        "C_skeleton": skel_c,
        "cv_f1": round(cv_f1, 4),
        "cv_block_mean_f1": round(block_f1, 4),
        "threshold_rule": "maximise mean F1 over era blocks of out-of-fold logits",
        "cv_f1_lexical_alone": round(mixes[0.0][1], 4),
        "cv_f1_skeleton_alone": round(best_f1_threshold(labels, skel_oof[skel_c])[1], 4),
        "cv_folds": FOLDS,
        "cv_group_span": GROUP_SPAN,
        "min_df": MIN_DF,
        "char_ngrams": list(checkworthy.CHAR_NGRAMS),
        "skeleton_ngrams": list(checkworthy.SKELETON_NGRAMS),
        "train_sentences": len(split.texts),
        "train_positives": sum(labels),
        "data": "ClaimBuster (UT Arlington IDIR lab), doi:10.5281/zenodo.3609356, CC BY 4.0; "
        "its full release as relabelled in the CheckThat! 2024 English training file",
        "ct24_sha256": CT24_SHA256,
        **teacher_info,
    }
    payload = {
        "name": checkworthy.MODEL_NAME,
        "version": checkworthy.MODEL_VERSION,
        "threshold": round(threshold, 4),
        "parts": [
            _part_payload("lexical", round(1.0 - best_mix, 2), lex_vec, lex_clf),
            _part_payload("skeleton", best_mix, skel_vec, skel_clf),
        ],
        "training": info,
    }
    # The shipped scorer must agree with sklearn: same features, only rounding differs.
    shipped = checkworthy.CheckworthyModel(payload)
    sample = split.texts[:: max(1, len(split.texts) // 500)]
    ref_lex = lex_clf.decision_function(
        lex_vec.transform([checkworthy.features(t) for t in sample])
    )
    ref_skel = skel_clf.decision_function(
        skel_vec.transform([checkworthy.skeleton_features(t) for t in sample])
    )
    drift = 0.0
    for text, a, b in zip(sample, ref_lex, ref_skel, strict=True):
        ref = 1.0 / (1.0 + math.exp(-((1.0 - best_mix) * float(a) + best_mix * float(b))))
        drift = max(drift, abs(shipped.score(text) - ref))
    if drift > 1e-3:
        raise RuntimeError(f"pure-Python scorer differs from sklearn by {drift:.2g}")
    info["max_drift_vs_sklearn"] = float(f"{drift:.1g}")
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    # mtime=0 and no file name in the header: the same weights give the same bytes.
    return gzip.compress(text.encode("ascii"), compresslevel=9, mtime=0), payload


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, train, write or verify the model file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--ct24", type=Path, default=DEFAULT_CT24)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--verify", action="store_true", help="retrain and compare with --out instead of writing"
    )
    parser.add_argument(
        "--exclude-clef",
        action="store_true",
        help="also keep the CLEF-2019 debates' sentences out of training (a measured variant)",
    )
    parser.add_argument(
        "--write-teacher-scores",
        type=Path,
        metavar="JSON",
        help="score the training and extra sentences with --teacher-onnx, write them, stop",
    )
    parser.add_argument(
        "--teacher-onnx",
        type=Path,
        help="the transformer to distil from (v5: checkworthy-minilm-v1-int8.onnx, from git)",
    )
    parser.add_argument(
        "--distil",
        type=Path,
        metavar="JSON",
        help="train on soft targets from these teacher scores (v5)",
    )
    parser.add_argument("--alpha", type=float, default=DISTIL_ALPHA)
    parser.add_argument(
        "--no-extra-text", action="store_true", help="distil on the labelled sentences only"
    )
    parser.add_argument(
        "--fixed",
        type=float,
        nargs=3,
        metavar=("C_LEXICAL", "C_SKELETON", "MIX"),
        help="train this one design instead of choosing by the grids (a measured variant)",
    )
    args = parser.parse_args(argv)
    if not (args.data_dir / "claimbuster").is_dir():
        print(f"Error: no ClaimBuster data under {args.data_dir}", file=sys.stderr)
        return 1
    if not args.ct24.is_file():
        print(
            f"Error: no CheckThat! 2024 English training file at {args.ct24}: see the "
            "docstring for how to get it, or pass --ct24 FILE",
            file=sys.stderr,
        )
        return 1
    start = time.perf_counter()
    if args.write_teacher_scores:
        if args.teacher_onnx is None or not args.teacher_onnx.is_file():
            print(
                "Error: --write-teacher-scores needs --teacher-onnx FILE, the transformer to "
                "distil from (see bench/checkworthy.md, v5)",
                file=sys.stderr,
            )
            return 1
        write_teacher_scores(args.data_dir, args.ct24, args.teacher_onnx, args.write_teacher_scores)
        print(str(args.write_teacher_scores))
        return 0
    blob, payload = train(
        args.data_dir,
        args.ct24,
        args.exclude_clef,
        args.distil,
        args.alpha,
        not args.no_extra_text,
        tuple(args.fixed) if args.fixed else None,
    )
    info = payload["training"]
    n_features = sum(len(part["names"].split("\n")) for part in payload["parts"])
    print(
        f"C={info['C_lexical']}/{info['C_skeleton']} mix={payload['parts'][1]['weight']} "
        f"threshold={payload['threshold']} grouped-CV F1={info['cv_f1']} "
        f"(mean over era blocks {info['cv_block_mean_f1']}) "
        f"(lexical alone {info['cv_f1_lexical_alone']}, skeleton alone "
        f"{info['cv_f1_skeleton_alone']}) features={n_features} bytes={len(blob)} "
        f"({time.perf_counter() - start:.0f}s)",
        file=sys.stderr,
    )
    if args.verify:
        same = args.out.exists() and args.out.read_bytes() == blob
        print("identical" if same else f"DIFFERENT from {args.out}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=args.out.parent, delete=False) as tmp:
        tmp.write(blob)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, args.out)
    print(str(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
