"""Wall time of `factcheck import` of a ~2,000-word article, against `python -c "import sqlmodel"`.

Usage: .venv/bin/python bench/bench_import.py [--repeat 5] [--model auto|linear|transformer]
The article is the seed's body repeated (with its furniture) to about 2,000 words. ``--model``
is passed to import and extract (default: theirs, the transformer when the models extra is
installed). CPU time (user + system of the command) is printed too: on a shared machine it
moves less than wall time.
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


CPU: list[float] = []


def timed(argv: list[str], cwd: Path) -> float:
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--model", choices=["auto", "linear", "transformer"], default=None)
    args = parser.parse_args()
    model = ["--model", args.model] if args.model else []
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
        cpu: dict[str, list[float]] = {"import": [], "extract": [], "base": []}
        for i in range(args.repeat + 1):
            db = work / f"run{i}.db"
            shutil.copyfile(template, db)
            t_import = timed([FACTCHECK, "--db", str(db), "import", "article.txt", *model], work)
            t_extract = timed(
                [FACTCHECK, "extract", "article.txt", "--format", "json", *model], work
            )
            t_base = timed([sys.executable, "-c", "import sqlmodel"], work)
            if i:  # the first round warms the page cache
                imports.append(t_import)
                extracts.append(t_extract)
                baseline.append(t_base)
                for key, value in zip(cpu, CPU[-3:], strict=True):
                    cpu[key].append(value)
        conn = sqlite3.connect(work / "run1.db")
        claims = conn.execute("SELECT count(*) FROM claim").fetchone()[0]
        (scorer,) = conn.execute("SELECT DISTINCT score_model FROM claim").fetchone()
        conn.close()
    med = statistics.median
    print(
        f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}"
    )
    print(
        f"article: {words} words; claims imported: {claims} (scored by {scorer}); "
        f"runs: {args.repeat} (median)\n"
    )
    print('| command | median wall time | ratio to `python -c "import sqlmodel"` | CPU time |')
    print("|---|---|---|---|")
    flag = f" --model {args.model}" if args.model else ""
    for name, wall, key in (
        (f"factcheck import article.txt{flag}", imports, "import"),
        (f"factcheck extract article.txt --format json{flag}", extracts, "extract"),
    ):
        print(
            f"| `{name}` | {med(wall):.3f} s | {med(wall) / med(baseline):.2f} | "
            f"{med(cpu[key]):.3f} s |"
        )
    print(
        f'| `python -c "import sqlmodel"` | {med(baseline):.3f} s | 1.00 | {med(cpu["base"]):.3f} s |'
    )


if __name__ == "__main__":
    main()
