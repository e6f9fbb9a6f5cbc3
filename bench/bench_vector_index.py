"""Nearest claims by meaning among 1,000,000 vectors: warm look-up time and recall@10 of each
index, against a brute-force numpy scan (float32 matrix product) in the same run.

The vectors are the shipped static model's (256 dimensions). A million distinct claims are
made from the 10,375 CheckThat! 2020 verified claims: each vector is the normalised mix of two
real claim vectors with random weights (so they cluster like real claims do, which random
vectors do not). The queries are 2020 training tweets (real look-ups). "Warm" is a look-up in
a process that already holds the index (the first few look-ups are dropped). Recall@10 is the
share of brute force's ten nearest that an index also returns in its ten.

Indexes:
- numpy-f32: brute force, float32 matrix @ query, top 10 by argpartition (the baseline)
- numpy-f16: brute force over the float16 vectors as the desk stores them
- binary+rescore: sign bits (32 bytes a claim) scanned by popcount (numpy), the best 1,000
  rescored with the float16 vectors
- ivf: factcheck.vector_index (numpy only): k-means lists, the nearest lists scanned
- usearch-exact-f16: usearch's SIMD brute force
- usearch-hnsw-f16: usearch's HNSW graph (connectivity 16, expansion_add 128, expansion_search 64)
  (--no-hnsw skips it: building it on 2 shared cores took 142 s for 100,000 vectors)

Data (research use only, not in the repository): as bench_retrieval.py, DIR/v3.0/.

Example:
    .venv/bin/python bench/bench_vector_index.py --data ../data-cache/clef2020 --n 1000000
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core for every index, as factcheck
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "data-cache" / "clef2020"
K = 10


def _column(path: Path, index: int) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[index] for row in list(csv.reader(handle, delimiter="\t"))[1:]]


def make_vectors(claims: Any, n: int, seed: int = 0) -> Any:
    rng = np.random.default_rng(seed)
    out = np.empty((n, claims.shape[1]), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        size = min(step, n - start)
        a = claims[rng.integers(0, len(claims), size)]
        b = claims[rng.integers(0, len(claims), size)]
        w = rng.uniform(0.5, 1.0, (size, 1)).astype(np.float32)
        mixed = w * a + (1 - w) * b
        out[start : start + size] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    return out


def timed(search: Callable[[Any], Any], queries: Any, warm: int = 3) -> tuple[float, list[Any]]:
    for q in queries[:warm]:
        search(q)
    times, found = [], []
    for q in queries:
        start = time.perf_counter()
        found.append(search(q))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, found


def top(scores: Any) -> Any:
    best = np.argpartition(-scores, K)[:K]
    return best[np.argsort(-scores[best])]


def recall(found: list[Any], truth: list[Any]) -> float:
    return statistics.mean(
        len(set(map(int, f)) & set(map(int, t))) / K for f, t in zip(found, truth, strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-hnsw", action="store_true", help="skip building the HNSW graph")
    args = parser.parse_args()
    from factcheck import embedding

    encoder = embedding.load_encoder()
    root = args.data / "v3.0"
    claims = encoder.encode(_column(root / "verified_claims.docs.tsv", 1))
    tweets = _column(root / "train" / "tweets.queries.tsv", 1)[: args.queries]
    queries = encoder.encode(tweets)
    start = time.perf_counter()
    f32 = make_vectors(claims, args.n)
    print(f"{args.n:,} vectors of {f32.shape[1]} made in {time.perf_counter() - start:.1f} s")
    f16 = f32.astype(np.float16)
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores")

    results: list[tuple[str, float, float, str]] = []
    base_ms, truth = timed(lambda q: top(f32 @ q), queries)
    results.append(("numpy-f32 (baseline)", base_ms, 1.0, f"{f32.nbytes / 1e6:.0f} MB"))

    ms, found = timed(lambda q: top(f16 @ q.astype(np.float16)), queries[:5], warm=1)
    results.append(("numpy-f16", ms, recall(found, truth[:5]), f"{f16.nbytes / 1e6:.0f} MB"))

    bits = np.packbits(f32 > 0, axis=1).view(np.uint64)
    rescore = 1000

    def binary(q: Any) -> Any:
        code = np.packbits(q > 0).view(np.uint64)
        distance = np.bitwise_count(bits ^ code).sum(axis=1, dtype=np.uint16)
        near = np.argpartition(distance, rescore)[:rescore]
        scores = f16[near].astype(np.float32) @ q
        return near[top(scores)]

    ms, found = timed(binary, queries)
    results.append(
        ("binary+rescore 1000", ms, recall(found, truth), f"{bits.nbytes / 1e6:.0f} MB + f16")
    )

    from factcheck.vector_index import IvfIndex

    start = time.perf_counter()
    ivf = IvfIndex.build(np.arange(args.n), f16)
    built = time.perf_counter() - start
    for probes in (16, 32, 64, 128):
        ms, found = timed(lambda q, p=probes: ivf.search(q, K, probes=p)[0], queries)
        results.append(
            (
                f"ivf {ivf.lists} lists, {probes} probed",
                ms,
                recall(found, truth),
                f"{ivf.nbytes / 1e6:.0f} MB, built in {built:.0f} s",
            )
        )

    try:
        from usearch.index import Index, MetricKind, ScalarKind, search
    except ImportError:
        print("usearch is not installed (pip install usearch): its rows are left out")
        args.no_hnsw = True
        search = None
    if search is not None:
        ms, found = timed(
            lambda q: search(f16, q.astype(np.float16), K, MetricKind.IP, exact=True).keys,
            queries,
        )
        results.append(
            ("usearch-exact-f16", ms, recall(found, truth), f"{f16.nbytes / 1e6:.0f} MB")
        )

    if not args.no_hnsw:
        index = Index(
            ndim=f32.shape[1],
            metric=MetricKind.IP,
            dtype=ScalarKind.F16,
            connectivity=16,
            expansion_add=128,
            expansion_search=64,
        )
        start = time.perf_counter()
        index.add(np.arange(args.n), f32, log=False)
        built = time.perf_counter() - start
        ms, found = timed(lambda q: index.search(q, K).keys, queries)
        size = index.memory_usage / 1e6
        results.append(
            ("usearch-hnsw-f16", ms, recall(found, truth), f"{size:.0f} MB, built in {built:.0f} s")
        )

    print(f"\n{'index':<24} {'warm ms':>8} {'x baseline':>10} {'recall@10':>9}  memory")
    for name, ms, rec, memory in results:
        print(f"{name:<24} {ms:8.1f} {ms / base_ms:10.2f} {rec:9.3f}  {memory}")


if __name__ == "__main__":
    main()
