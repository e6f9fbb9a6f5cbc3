"""Claim matching ("checked before?") measured on CLEF CheckThat! 2020 Task 2 (MAP@5).

Task 2 gives tweets, each paired with the Snopes-verified claim(s) it repeats, and 10,375
verified claims. This script loads the verified claims into a fresh desk through
`factcheck import` (CSV), looks each tweet up with ``factcheck.search.similar_claims`` (the
function behind `claim similar`) and reports MAP@5 as the task does: per tweet, the sum over
relevant claims in the top 5 of precision at their rank, divided by the number of relevant
claims; a tweet with nothing returned scores 0. Only the 2020 **train and dev** tweets are
used (997 tweets; later editions reuse 2020's test tweets, which are never read here).

Data (research use only; not in the repository): sshaar/clef2020-factchecking-task2, data/v3.zip,
unzipped so that DIR/v3.0/{verified_claims.docs.tsv,train,dev} exist.

Example:
    .venv/bin/python bench/bench_retrieval.py --data ../data-cache/clef2020
    .venv/bin/python bench/bench_retrieval.py --data ../data-cache/clef2020 --titles
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FACTCHECK = str(Path(sys.executable).parent / "factcheck")
DEFAULT_DATA = ROOT.parent / "data-cache" / "clef2020"


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def load(data: Path) -> tuple[list[list[str]], dict[str, str], dict[str, set[str]]]:
    """(verified claims [id, text, title], tweets by query id, relevant claim ids by query id)."""
    base = data / "v3.0"
    claims = [row for row in _tsv(base / "verified_claims.docs.tsv")[1:] if len(row) >= 3]
    tweets: dict[str, str] = {}
    relevant: dict[str, set[str]] = {}
    for split in ("train", "dev"):  # never test: later editions train on 2020's test tweets
        for row in _tsv(base / split / "tweets.queries.tsv")[1:]:
            tweets[f"{split}:{row[0]}"] = row[1]
        for row in _tsv(base / split / "tweet-vclaim-pairs.qrels"):
            relevant.setdefault(f"{split}:{row[0]}", set()).add(row[2])
    return claims, tweets, relevant


def average_precision_at(ranked: list[str], relevant: set[str], depth: int = 5) -> float:
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked[:depth], start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


def build_desk(work: Path, claims: list[list[str]], titles: bool) -> Path:
    """A desk holding every verified claim (its title as the summary with ``titles``)."""
    sheet = work / "claims.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "summary"])
        for _id, text, title in claims:
            writer.writerow([text, title if titles else ""])
    db = work / "desk.db"
    env = dict(os.environ, FACTCHECK_USER="bench")
    subprocess.run(
        [FACTCHECK, "--db", str(db), "import", str(sheet)], check=True, capture_output=True, env=env
    )
    return db


def embedding_path() -> Path:
    from factcheck import embedding

    return ROOT / "factcheck" / "extract" / "data" / embedding.MODEL_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--titles", action="store_true", help="store each claim's title too")
    parser.add_argument(
        "--min-score", type=float, action="append", help="also measure with this cut-off"
    )
    parser.add_argument("--semantic", action="store_true", help="use the models extra")
    parser.add_argument(
        "--semantic-only", action="store_true", help="rank by the embedding cosine alone"
    )
    parser.add_argument(
        "--no-rerank", action="store_true", help="fused, without the transformer re-ranker"
    )
    parser.add_argument(
        "--recall",
        type=int,
        default=0,
        help="add the multilingual model's N nearest claims to the re-ranker's candidates "
        "(runs `factcheck index` first; needs the built model)",
    )
    args = parser.parse_args(argv)
    if not (args.data / "v3.0" / "verified_claims.docs.tsv").is_file():
        print(f"Error: no CheckThat! 2020 Task 2 data under {args.data}", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))
    from factcheck import search
    from factcheck.db import open_database
    from factcheck.search import _semantic_candidates, similar_claims

    reranking = args.semantic and not args.no_rerank and search.reranker_available()
    if not reranking:
        search.reranker_available = lambda: False  # type: ignore[assignment]

    claims, tweets, relevant = load(args.data)
    cutoffs = [0.0, *(args.min_score or [])]
    with tempfile.TemporaryDirectory() as tmp:
        db_path = build_desk(Path(tmp), claims, args.titles)
        if args.recall:
            search.RECALL_FROM_VECTORS = args.recall
            started = time.perf_counter()
            subprocess.run(
                [FACTCHECK, "--db", str(db_path), "index"],
                check=True,
                capture_output=True,
                env=dict(os.environ, FACTCHECK_USER="bench"),
            )
            print(f"factcheck index: {time.perf_counter() - started:.0f}s wall")
        db = open_database(db_path, write=False, user="bench")
        try:
            with db.session() as session:
                rows = session.connection().exec_driver_sql("SELECT id FROM claim ORDER BY id")
                # The sheet is imported in order, so the n-th claim is the n-th verified claim.
                doc_of = {row[0]: claims[i][0] for i, row in enumerate(rows)}
                extra: dict[str, Any] = {"semantic": True} if args.semantic else {}
                results: dict[str, list[tuple[str, float]]] = {}
                times = []
                for qid, tweet in tweets.items():
                    start = time.perf_counter()
                    if args.semantic_only:
                        nearest = _semantic_candidates(
                            session, tweet, [], exclude_id=None, exclude_source=None
                        )
                        found = [{"id": i, "score": cos} for i, cos in nearest[:5]]
                    else:
                        found = similar_claims(session, tweet, limit=5, min_score=0.0, **extra)
                    times.append(time.perf_counter() - start)
                    results[qid] = [(doc_of[r["id"]], r["score"]) for r in found]
        finally:
            db.close()
    print(
        f"CheckThat! 2020 Task 2, train+dev: {len(tweets)} tweets, {len(claims)} verified claims"
        + (" (with titles)" if args.titles else " (claim text only)")
        + (", meaning only" if args.semantic_only else ", fused" if args.semantic else ", lexical")
        + (", re-ranked by the transformer" if reranking else "")
    )
    # Designs are chosen on the training tweets; the development tweets are the held-out figure.
    splits = {
        "train (choose on)": [q for q in tweets if q.startswith("train:")],
        "dev (held out)": [q for q in tweets if q.startswith("dev:")],
        "pooled": list(tweets),
    }
    for cut in cutoffs:
        figures = []
        for name, queries in splits.items():
            aps = [
                average_precision_at([d for d, s in results[q] if s >= cut], relevant[q])
                for q in queries
            ]
            figures.append(f"{name} {statistics.mean(aps):.3f}")
        print(f"  MAP@5 with --min-score {cut}: " + ", ".join(figures))
    for name, queries in splits.items():
        top1 = sum(1 for q in queries if results[q] and results[q][0][0] in relevant[q])
        print(f"  right claim first, {name}: {top1} of {len(queries)} tweets")
    if args.semantic or args.semantic_only:
        from factcheck import embedding

        encoder = embedding.read_encoder(str(embedding_path()))
        texts = [text for _id, text, _title in claims]
        start = time.process_time()
        encoder.encode(texts)
        rate = len(texts) / (time.process_time() - start)
        print(f"  encoding: {rate:,.0f} claim texts/s (CPU time, one core, cold tokenizer cache)")
    if reranking:
        from factcheck.embedding import RERANKER_FILE, TransformerEncoder

        texts = [text for _id, text, _title in claims[:1000]]
        posts = list(tweets.values())[:300]
        fresh = TransformerEncoder(
            (ROOT / "factcheck" / "extract" / "data" / RERANKER_FILE).read_bytes()
        )
        for name, batch in (("claim texts", texts), ("tweets", posts)):
            for size in (1, 16):
                start = time.process_time()
                fresh.encode(batch, batch_size=size)
                rate = len(batch) / (time.process_time() - start)
                print(f"  re-ranker: {rate:,.0f} {name}/s, batches of {size} (CPU time, one core)")
    times.sort()
    print(
        f"  look-up time: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
