"""Wall time of `factcheck import` of a ~2,000-word article, against `python -c "import sqlmodel"`.

Usage: .venv/bin/python bench/bench_import.py [--repeat 5]
The article is the seed's body repeated (with its furniture) to about 2,000 words.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FACTCHECK = str(BIN / "factcheck")


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    seed = (ROOT / "seeds" / "wannacry-attribution.txt").read_text()
    title, _, body = seed.partition("\n\n")
    article = title + "\n\n" + "\n\n".join([body.split("Check Also")[0].strip()] * 6)
    words = len(article.split())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "article.txt").write_text(article)
        template = work / "template.db"
        subprocess.run(
            [FACTCHECK, "--db", str(template), "settings", "set", "org_name", "x"],
            check=True,
            capture_output=True,
        )
        imports, extracts, baseline = [], [], []
        for i in range(args.repeat + 1):
            db = work / f"run{i}.db"
            shutil.copyfile(template, db)
            t_import = timed([FACTCHECK, "--db", str(db), "import", "article.txt"], work)
            t_extract = timed([FACTCHECK, "extract", "article.txt", "--format", "json"], work)
            t_base = timed([sys.executable, "-c", "import sqlmodel"], work)
            if i:  # the first round warms the page cache
                imports.append(t_import)
                extracts.append(t_extract)
                baseline.append(t_base)
        conn = sqlite3.connect(work / "run1.db")
        claims = conn.execute("SELECT count(*) FROM claim").fetchone()[0]
        conn.close()
    med = statistics.median
    print(
        f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}"
    )
    print(f"article: {words} words; claims imported: {claims}; runs: {args.repeat} (median)\n")
    print('| command | median wall time | ratio to `python -c "import sqlmodel"` |')
    print("|---|---|---|")
    print(
        f"| `factcheck import article.txt` | {med(imports):.3f} s | {med(imports) / med(baseline):.2f} |"
    )
    print(
        f"| `factcheck extract article.txt --format json` | {med(extracts):.3f} s | {med(extracts) / med(baseline):.2f} |"
    )
    print(f'| `python -c "import sqlmodel"` | {med(baseline):.3f} s | 1.00 |')


if __name__ == "__main__":
    main()
