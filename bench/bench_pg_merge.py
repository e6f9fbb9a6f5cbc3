"""Merge of a field copy of N claims back into a PostgreSQL server: time and peak memory.

Usage: .venv/bin/python bench/bench_pg_merge.py --claims N [--repeat 1] [--url ADMIN_URL]
Never part of the tests. Starts a throwaway cluster (tests/pg.py: initdb into a temporary
folder, fsync off) unless --url names an admin URL of a server of yours, and prints Markdown
(bench/postgres.md has the reading):

1. bench_merge.build_desks: desk A and field copy B of N claims each, N/2 of them shared, with
   rival verdicts and fields edited on both sides (see bench/bench_merge.py).
2. A is merged into a new, upgraded server database (`factcheck merge a.db`: the server's first
   load, timed too); that database is the template of each run.
3. Each run: a fresh copy of it (CREATE DATABASE ... TEMPLATE), then `factcheck --db URL merge
   b.db` in a fresh wrapper process: wall time and the factcheck process's peak RSS.
4. In the same run, the same merge into a copy of desk file A (`factcheck --db a.db merge
   b.db`) and bench_merge's raw sqlite3 merge of the same rows: the ratios server / file and
   server / raw. The reports (stdout, stderr) and the merged claim counts of server and file
   must be equal (1.5 N claims).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_merge import (  # noqa: E402
    FACTCHECK_EXE,
    build_desks,
    fresh_copy,
    measure,
    table_counts,
)


def _server_claims(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(*) FROM claim").fetchone()[0])  # type: ignore[index]


def _raw_measure(a: Path, b: Path) -> dict[str, Any]:
    bench_merge = str(ROOT / "bench" / "bench_merge.py")
    return measure([sys.executable, bench_merge, "--_raw", str(a), str(b)])


def run(server: Any, work: Path, n: int, repeat: int) -> str:
    from tests.pg import _upgrade

    a, b, info = build_desks(work, n)
    base = server.new_database(template=None)
    _upgrade(base)
    first = measure([FACTCHECK_EXE, "--db", base, "merge", str(a)])
    if first["rc"] != 0:
        raise SystemExit(f"merge of A into the server failed: {first['stderr']}")
    template = base.rsplit("/", 1)[1]
    results: dict[str, list[dict[str, Any]]] = {"server": [], "file": [], "raw": []}
    reports: dict[str, tuple[str, str]] = {}
    claims: dict[str, int] = {}
    for _ in range(repeat):
        url = server.new_database(template=template)
        done = measure([FACTCHECK_EXE, "--db", url, "merge", str(b)])
        if done["rc"] != 0:
            raise SystemExit(f"merge into the server failed: {done['stderr']}")
        results["server"].append(done)
        reports["server"] = (done["stdout"], done["stderr"])
        claims["server"] = _server_claims(url)
        target = fresh_copy(a, work / "file-target.db")
        done = measure([FACTCHECK_EXE, "--db", str(target), "merge", str(b)])
        if done["rc"] != 0:
            raise SystemExit(f"merge into the file failed: {done['stderr']}")
        results["file"].append(done)
        reports["file"] = (done["stdout"], done["stderr"])
        claims["file"] = table_counts(target)["claim"]
        target = fresh_copy(a, work / "raw-target.db")
        results["raw"].append(_raw_measure(target, b))
    wall = {k: statistics.median(r["wall"] for r in v) for k, v in results.items()}
    rss = {k: max(r["maxrss_mib"] for r in v) for k, v in results.items()}
    lines = [
        f"## Merge of a field copy into a PostgreSQL server, {n:,} claims per desk\n",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()}; {repeat} run(s), median wall, max peak RSS.\n",
        f"Field copy B: {info['size_b_mib']:.0f} MiB; desk A: {info['size_a_mib']:.0f} MiB.\n",
        "| run | wall | peak RSS of the process | server / this |",
        "|---|---|---|---|",
        f"| A into an empty server (first load, {n:,} claims) | {first['wall']:.1f} s "
        f"| {first['maxrss_mib']:.0f} MiB | |",
    ]
    names = {
        "server": "`factcheck merge b.db` into the server holding A",
        "file": "`factcheck merge b.db` into desk file A",
        "raw": "raw sqlite3 merge of the same rows into desk file A",
    }
    for key, label in names.items():
        ratio = wall["server"] / wall[key]
        lines.append(f"| {label} | {wall[key]:.1f} s | {rss[key]:.0f} MiB | {ratio:.2f}x |")
    same = reports["server"] == reports["file"]
    lines += [
        "",
        f"Claims after the merge: server {claims['server']:,}, file {claims['file']:,} "
        f"(expected {n + n // 2:,}). Reports (stdout and stderr) equal: {same}.",
        f"Report lines on stderr: {len(reports['server'][1].splitlines())}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="claims per desk (N)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--url", help="admin URL of a server of yours (default: a throwaway one)")
    args = parser.parse_args()
    if args.claims < 2000:
        parser.error("--claims must be at least 2000 (the base desk holds 600 edited claims)")
    from tests.pg import PgServer, _Cluster, find_pg_bin

    cluster = None
    if args.url:
        server = PgServer(args.url)
    else:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise SystemExit("no PostgreSQL binaries (initdb): install postgresql or give --url")
        cluster = _Cluster(bin_dir)
        server = PgServer(cluster.start())
    try:
        with tempfile.TemporaryDirectory(prefix="bench-pg-merge-") as work:
            print(run(server, Path(work), args.claims, args.repeat))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
