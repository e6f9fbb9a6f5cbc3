"""Would the models extra's static embeddings help check-worthiness? (a probe; nothing ships)

Logistic regression on the static sentence vectors (factcheck.embedding), trained on the same
ClaimBuster data as the shipped model (bench/train_checkworthy.py), C chosen by the same
grouped 6-fold CV; then averaged with the shipped model's logit at weights 0-0.5, each scored
by pooled and by era-block-mean out-of-fold F1. Finally the embedding model alone and the 0.2
mix are fitted on all the training data, their threshold chosen by era-block-mean F1 on the
out-of-fold logits, and scored once on disjoint_2000 and the CLEF-2019 debates.
Needs the train extra and numpy; ~5 min on the shared 2 cores.

Example:
    .venv/bin/python bench/probe_embedding_checkworthy.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import eval_checkworthy as ev  # noqa: E402
import numpy as np  # noqa: E402
import train_checkworthy as tr  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from factcheck import embedding  # noqa: E402
from factcheck.extract import checkworthy  # noqa: E402


def main() -> int:
    split, test = tr.load_claimbuster(tr.DEFAULT_DATA, tr.DEFAULT_CT24)
    enc = embedding.load_encoder()
    x = enc.encode(split.texts)
    y = np.array(split.labels)
    groups = np.array(split.ids) // tr.GROUP_SPAN
    lex = [checkworthy.features(t) for t in split.texts]
    skel = [checkworthy.skeleton_features(t) for t in split.texts]
    base = 0.7 * np.array(tr.cross_validate(lex, split, (4.0,))[4.0]) + 0.3 * np.array(
        tr.cross_validate(skel, split, (4.0,))[4.0]
    )
    oof = {}
    for c in (0.5, 2.0, 8.0):
        oof[c] = np.zeros(len(y))
        for a, b in GroupKFold(tr.FOLDS).split(x, y, groups):
            fitted = LogisticRegression(C=c, max_iter=5000).fit(x[a], y[a])
            oof[c][b] = fitted.decision_function(x[b])
        print(f"embeddings alone C={c}: CV F1 {tr.best_f1_threshold(list(y), list(oof[c]))[1]:.4f}")
    best_c = max(oof, key=lambda c: tr.best_f1_threshold(list(y), list(oof[c]))[1])
    for w in (0.0, 0.2, 0.3, 0.4, 0.5):
        z = list((1 - w) * base + w * oof[best_c])
        print(
            f"mix {w}: CV F1 {tr.best_f1_threshold(list(y), z)[1]:.4f}, era-block mean "
            f"{tr.block_f1_threshold(list(y), z, split.ids)[1]:.4f}"
        )
    clf = LogisticRegression(C=best_c, max_iter=5000).fit(x, y)
    model = checkworthy.load_model()
    clef = ev.load_clef(tr.DEFAULT_DATA)
    for w in (1.0, 0.2):
        threshold, _ = tr.block_f1_threshold(
            list(y), list((1 - w) * base + w * oof[best_c]), split.ids
        )

        def scorer(texts: list[str], w: float = w) -> list[float]:
            emb = clf.decision_function(enc.encode(texts))
            default = np.array([model.decision(t) for t in texts])
            return [float(v) for v in (1 - w) * default + w * emb]

        scores = scorer(test.texts)
        f1, p, r = ev.prf(test.labels, scores, threshold)
        print(
            f"embedding weight {w}: test F1 {f1:.3f} P {p:.3f} R {r:.3f} "
            f"AP {ev.average_precision(test.labels, scores):.3f} "
            f"CLEF MAP {ev.clef_map(clef, scorer):.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
