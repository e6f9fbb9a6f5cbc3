"""Across languages: does a Spanish or French claim find its English counterpart?

``bench/crosslingual/pairs.tsv`` holds 24 English claims with a Spanish and a French version,
written for this bench (no third-party text). The English claims go into a fresh desk
(``--data DIR`` adds CheckThat! 2020's 10,375 verified claims as distractors, measuring only);
each Spanish and French claim is then looked up with ``factcheck.search.similar_claims`` (the
function behind `claim similar --text`), by words alone, with the models extra's English
models, and across languages with the multilingual model (when bench/build_multilingual.py has
built it; the desk is then indexed first by the installed `factcheck index`, timed). Reported:
how often the counterpart comes first, and MAP@5 (one relevant claim each).

Example:
    .venv/bin/python bench/bench_crosslingual.py
    .venv/bin/python bench/bench_crosslingual.py --data ../data-cache/clef2020
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTCHECK = str(Path(sys.executable).parent / "factcheck")
PAIRS = ROOT / "bench" / "crosslingual" / "pairs.tsv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="CheckThat! 2020 Task 2 data as distractors")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from factcheck import search
    from factcheck.db import open_database

    with PAIRS.open(encoding="utf-8", newline="") as handle:
        pairs = list(csv.DictReader(handle, delimiter="\t"))
    english = [row["en"] for row in pairs]
    distractors: list[str] = []
    if args.data:
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_retrieval import load

        distractors = [text for _id, text, _title in load(args.data)[0]]
    reranker = search.reranker_available()
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "claims.csv"
        with sheet.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text"])
            writer.writerows([text] for text in english + distractors)
        desk = Path(tmp) / "desk.db"
        env = dict(os.environ, FACTCHECK_USER="bench")
        subprocess.run(
            [FACTCHECK, "--db", str(desk), "import", str(sheet)],
            check=True,
            capture_output=True,
            env=env,
        )
        multilingual = search.multilingual_ready()
        if multilingual:
            start = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                [FACTCHECK, "--db", str(desk), "index"], check=True, capture_output=True, env=env
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            print(
                f"factcheck index of {len(english) + len(distractors)} claims (static model and "
                f"multilingual): {time.perf_counter() - start:.1f}s wall, {cpu:.1f}s CPU"
            )
        db = open_database(desk, write=False, user="bench")
        print(
            f"{len(pairs)} claims in English, {len(distractors)} distractors; "
            f"re-ranker {'on' if reranker else 'not installed'}; multilingual model "
            f"{'built' if multilingual else 'not built'}"
        )
        modes: list[tuple[str, dict[str, bool]]] = [
            ("words only", {"semantic": False, "across_languages": False}),
            (
                "static model, no re-ranker",
                {"semantic": True, "rerank": False, "across_languages": False},
            ),
            (
                "models extra, English",
                {"semantic": True, "rerank": True, "across_languages": False},
            ),
        ]
        if multilingual:
            modes.append(("multilingual, forced", {"semantic": True, "across_languages": True}))
            # as a user gets it: the language told by search.looks_english
            modes.append(
                (
                    "multilingual, as detected",
                    {"semantic": True, "rerank": True, "across_languages": None},
                )
            )
        try:
            with db.session() as session:
                for mode, options in modes:
                    search_rerank = options.pop("rerank", False)
                    search.reranker_available = (  # type: ignore[assignment]
                        (lambda: True) if search_rerank and reranker else (lambda: False)
                    )
                    for lang in ("es", "fr", "en"):
                        started = time.perf_counter()
                        first, total = 0, 0.0
                        for n, row in enumerate(pairs, start=1):
                            found = [
                                r["id"]
                                for r in search.similar_claims(
                                    session, row[lang], limit=5, **options
                                )
                            ]
                            first += bool(found) and found[0] == n
                            total += next(
                                (1 / rank for rank, i in enumerate(found, 1) if i == n), 0.0
                            )
                        took = (time.perf_counter() - started) / len(pairs)
                        print(
                            f"  {mode:28} {lang}: first {first}/{len(pairs)}, "
                            f"MAP@5 {total / len(pairs):.3f}, {1000 * took:.0f} ms a look-up"
                        )
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
