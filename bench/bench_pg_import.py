"""`factcheck import claims.csv` into a PostgreSQL server against raw psycopg loading the same
rows in the same run.

Usage: .venv/bin/python bench/bench_pg_import.py --claims N [--repeat 1] [--url ADMIN_URL]
Never part of the tests. Starts a throwaway cluster (tests/pg.py: initdb into a temporary
folder, fsync off) unless --url names an admin URL of a server of yours. Writes a claims sheet
of N rows (text, speaker, score; 300 speakers), then for each repeat, each into a new database
`db upgrade`d the same way (a copy of one template):

1. the `factcheck import` command (whole process: start-up, CSV parsing, the per-field checks,
   COPY, the speakers, commit);
2. the same through factcheck's library in this process (import_claim_rows in one
   Database.session, as the command runs it, without Python's start-up);
3. raw psycopg: csv.DictReader, a uuid and a time per row, COPY into claim with the same
   columns, the distinct speakers inserted, one commit;
4. raw psycopg executemany of the same rows (INSERT per row, one transaction, one commit).

Prints a Markdown table of medians and ratios to (3).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FACTCHECK = str(Path(sys.executable).parent / "factcheck")
USER = "bench"
COLUMNS = ("uuid", "text", "speaker", "score", "status", "created_at", "created_by")
WORDS = """
the a of to in and that for is on said was with by as from at about more than percent million
billion people year state government country jobs taxes budget spending health schools police
crime rate border wages workers economy growth deficit debt energy prices housing rent families
""".split()


def write_sheet(path: Path, n: int) -> None:
    rng = random.Random(16)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["text", "speaker", "score"])
        for i in range(n):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
            out.writerow(
                [f"{words.capitalize()} (claim {i})", f"Speaker {i % 300}", f"{rng.random():.3f}"]
            )


def raw_rows(sheet: Path) -> tuple[list[tuple[Any, ...]], set[str]]:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    rows, speakers = [], set()
    with sheet.open(newline="") as handle:
        for row in csv.DictReader(handle):
            speakers.add(row["speaker"])
            rows.append(
                (
                    str(uuid.uuid4()),
                    row["text"],
                    row["speaker"],
                    float(row["score"]),
                    "new",
                    now,
                    USER,
                )
            )
    return rows, speakers


def _speakers(conn: Any, speakers: set[str], now: str) -> None:
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO speaker (uuid, name, created_at, created_by) VALUES (%s, %s, %s, %s)",
            [(str(uuid.uuid4()), s, now, USER) for s in sorted(speakers)],
        )


def raw_copy(url: str, sheet: Path) -> int:
    import psycopg

    rows, speakers = raw_rows(sheet)
    with psycopg.connect(url) as conn:
        conn.execute("SET timezone = 'UTC'")
        with (
            conn.cursor() as cursor,
            cursor.copy(
                f"COPY claim ({', '.join(COLUMNS)}) FROM STDIN"  # safe: constants
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        _speakers(conn, speakers, rows[0][5])
    return len(rows)


def raw_executemany(url: str, sheet: Path) -> int:
    import psycopg

    rows, speakers = raw_rows(sheet)
    marks = ", ".join("%s" for _ in COLUMNS)
    with psycopg.connect(url) as conn:
        conn.execute("SET timezone = 'UTC'")
        with conn.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO claim ({', '.join(COLUMNS)}) VALUES ({marks})",  # safe: constants
                rows,
            )
        _speakers(conn, speakers, rows[0][5])
    return len(rows)


def library(url: str, sheet: Path) -> int:
    from factcheck.db import open_database
    from factcheck.exchange.csvio import iter_claims_csv
    from factcheck.imports import import_claim_rows

    db = open_database(url, write=True, user=USER)
    try:
        with db.session() as session:
            result = import_claim_rows(
                session, iter_claims_csv(sheet, str(sheet), lines=True), user=USER, name="sheet"
            )
    finally:
        db.close()
    return result.claims


def command(url: str, sheet: Path) -> int:
    done = subprocess.run(
        [FACTCHECK, "--db", url, "--as", USER, "import", str(sheet)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"factcheck import failed: {done.stderr}")
    return int(done.stderr.split(": ", 1)[1].split(" claims", 1)[0].replace(",", ""))


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--url", help="admin URL of a server of yours (default: a throwaway one)")
    args = parser.parse_args()

    import psycopg

    from tests.pg import PgServer, _Cluster, _upgrade, find_pg_bin

    cluster = None
    if args.url:
        server = PgServer(args.url)
    else:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise SystemExit("no PostgreSQL binaries (initdb): install postgresql or pass --url")
        cluster = _Cluster(bin_dir)
        server = PgServer(cluster.start())
    made: list[str] = []
    try:
        with psycopg.connect(server.admin_url, autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        print(
            f"# `factcheck import` of a {args.claims:,}-row claims sheet on PostgreSQL {version}; "
            f"python {platform.python_version()}, {os.cpu_count()} CPUs, load average at start "
            f"{load()}\n"
        )
        template = f"factcheck_import_tpl_{os.getpid()}"
        server.execute(f"CREATE DATABASE {template} TEMPLATE template0")  # safe: ours
        made.append(template)
        _upgrade(server.url(template))
        cases: list[tuple[str, Callable[[str, Path], int]]] = [
            ("raw psycopg COPY (+ speakers), one commit", raw_copy),
            ("raw psycopg executemany INSERT (+ speakers), one commit", raw_executemany),
            ("factcheck library: import_claim_rows in one session", library),
            ("`factcheck import claims.csv` (whole process)", command),
        ]
        times: dict[str, list[float]] = {label: [] for label, _ in cases}
        with tempfile.TemporaryDirectory() as folder:
            sheet = Path(folder) / "claims.csv"
            write_sheet(sheet, args.claims)
            for _ in range(args.repeat):
                for label, run in cases:
                    name = f"factcheck_import_{os.getpid()}_{len(made)}"
                    server.execute(f"CREATE DATABASE {name} TEMPLATE {template}")  # safe: ours
                    made.append(name)
                    start = time.perf_counter()
                    stored = run(server.url(name), sheet)
                    times[label].append(time.perf_counter() - start)
                    with psycopg.connect(server.url(name)) as conn:
                        count = conn.execute("SELECT count(*) FROM claim").fetchone()[0]  # type: ignore[index]
                    assert stored == count == args.claims, (label, stored, count)
                    server.execute(f"DROP DATABASE {name}")  # safe: ours
                    made.pop()
        raw = statistics.median(times[cases[0][0]])
        print(
            f"| {args.claims:,} claims, median of {args.repeat} | time | claims/s | ratio to COPY |"
        )
        print("|---|---|---|---|")
        for label, _ in cases:
            took = statistics.median(times[label])
            print(f"| {label} | {took:,.2f} s | {args.claims / took:,.0f} | **{took / raw:.2f}** |")
        print(f"\nload average at the end {load()}")
    finally:
        for name in reversed(made):
            server.execute(f"DROP DATABASE IF EXISTS {name}")  # safe: ours
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
