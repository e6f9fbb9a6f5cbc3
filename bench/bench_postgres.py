"""factcheck on a PostgreSQL server: every figure a ratio to raw psycopg doing the same work in
the same run.

Usage: .venv/bin/python bench/bench_postgres.py --claims N [--repeat 3] [--writers 16]
                                                [--seconds 30] [--url ADMIN_URL]
Never part of the tests. Starts a throwaway cluster (tests/pg.py: initdb into a temporary
folder, fsync off) unless --url names an admin URL of a server of yours, makes a database,
`factcheck db upgrade`s it, fills it with N claims and N verdicts (2% corrected), and prints
Markdown tables (bench/postgres.md has the reading):

1. the first review page and search (a rare, a medium and a common word): factcheck's
   review_rows / search_claims in a process, against raw psycopg running the very SQL and
   parameters factcheck sent (captured from the engine), with dict rows; and the CLI's wall.
2. `claim similar`: tried on the server; reported as not measured if it fails there.
3. W writers at once for S seconds: W processes each adding claims in a loop through
   factcheck's library (open the server, Database.transaction with add_claim and the similar
   check `claim add` makes, close; as the CLI does, without Python's start-up), against W
   processes each doing connect + INSERT ... RETURNING + commit in a raw psycopg loop; and
   W processes running the `factcheck claim add` command itself in a loop.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
FACTCHECK = str(BIN / "factcheck")
USER = "bench"

RARE, MEDIUM, COMMON = "quokka", "tariffs", "inflation"
RARE_EVERY, MEDIUM_EVERY, COMMON_EVERY = 20_000, 200, 10
WORDS = """
the a of to in and that for is on said was with by as from at about more than percent million
billion thousand people year years state states government country jobs taxes budget spending
health care schools teachers police crime rate rates border immigrants wages workers economy
growth deficit debt energy oil gas prices housing rent families children women men voters
election votes city county council mayor governor senator president minister party opposition
report study data figures record highest lowest since last first every week month decade
increased decreased doubled tripled fell rose cut raised spent paid lost created new old
""".split()
SPEAKERS = "Maria Smith|John Chen|Aisha Okafor|Wei Novak|Carlos Haddad|Fatima Silva".split("|")


def claim_text(i: int, rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    for every, word in ((RARE_EVERY, RARE), (MEDIUM_EVERY, MEDIUM), (COMMON_EVERY, COMMON)):
        if i % every == 0:
            words.insert(rng.randint(0, len(words)), word)
    return " ".join(words).capitalize() + f" (claim {i})"


def ms(s: float) -> str:
    return f"{s * 1000:,.2f} ms" if s < 0.01 else f"{s * 1000:,.0f} ms" if s < 10 else f"{s:,.1f} s"


def median_of(fn: Callable[[], Any], repeat: int, warm: int = 1) -> tuple[float, Any]:
    result = None
    for _ in range(warm):
        result = fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def run_fc(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([FACTCHECK, "--db", url, *args], capture_output=True, text=True)


def wall(url: str, args: list[str], repeat: int) -> float:
    times = []
    for i in range(repeat + 1):
        t = time.perf_counter()
        done = run_fc(url, *args)
        if done.returncode:
            raise SystemExit(f"{args} failed: {done.stderr[-500:]}")
        if i:
            times.append(time.perf_counter() - t)
    return statistics.median(times)


# --- the desk ------------------------------------------------------------------------------


def fill(url: str, n: int) -> float:
    """N claims, one verdict each, 2% corrected by a second: COPY, as fast as the server goes."""
    import psycopg

    rng = random.Random(7)
    start = time.perf_counter()
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with psycopg.connect(url) as conn:
        labels = [r[0] for r in conn.execute("SELECT id FROM rating_label ORDER BY id")]
        with conn.cursor().copy(
            "COPY claim (uuid, text, speaker, status, score, created_at, created_by) FROM STDIN"
        ) as copy:
            for i in range(1, n + 1):
                copy.write_row(
                    (
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        claim_text(i, rng),
                        rng.choice(SPEAKERS),
                        "reviewed",
                        round(rng.random(), 4),
                        base + timedelta(seconds=i),
                        USER,
                    )
                )
        with conn.cursor().copy(
            "COPY verdict (id, uuid, claim_id, label_id, reviewer, created_at, created_by) "
            "FROM STDIN"
        ) as copy:
            vid = 0
            for i in range(1, n + 1):
                for k in range(2 if i % 50 == 1 else 1):
                    vid += 1
                    copy.write_row(
                        (
                            vid,
                            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                            i,
                            rng.choice(labels),
                            USER,
                            base + timedelta(seconds=i, minutes=k + 1),
                            USER,
                        )
                    )
        conn.execute(
            "INSERT INTO verdict_supersedes (verdict_id, superseded_id) "
            "SELECT max(id), min(id) FROM verdict GROUP BY claim_id HAVING count(*) = 2"
        )
        conn.execute("SELECT setval(pg_get_serial_sequence('verdict', 'id'), %s)", (vid,))
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


# --- 1. review and search ------------------------------------------------------------------


def capture(engine: Any) -> list[tuple[str, Any]]:
    """Every statement and parameters the engine sends, to run the same through psycopg."""
    from sqlalchemy import event

    sent: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    return sent


def raw_rows(conn: Any, statement: str, parameters: Any) -> list[dict[str, Any]]:
    cursor = conn.execute(statement, parameters)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def bench_queries(url: str, repeat: int) -> list[dict[str, Any]]:
    import psycopg

    from factcheck.db import open_database
    from factcheck.review import ReviewFilter, review_rows
    from factcheck.search import search_claims

    db = open_database(url, write=False, user=USER)
    sent = capture(db.engine)
    raw = psycopg.connect(url, autocommit=True, options="-c timezone=UTC")
    out = []
    cases: list[tuple[str, Callable[[Any], Any], list[str]]] = [
        (
            "review, first page (score)",
            lambda s: review_rows(s, ReviewFilter(limit=50)),
            ["review", "--limit", "50"],
        ),
        (
            "review, first page (newest)",
            lambda s: review_rows(s, ReviewFilter(limit=50, sort="newest")),
            ["review", "--sort", "newest", "--limit", "50"],
        ),
    ] + [
        (f"search {w!r}", lambda s, w=w: search_claims(s, w, limit=20), ["search", w])
        for w in (RARE, MEDIUM, COMMON)
    ]
    with db.session() as session:
        for name, work, argv in cases:
            calls = max(repeat, 1) * 7
            sent.clear()
            rows = work(session)
            queries = [(st, p) for st, p in sent if st.lstrip().upper().startswith("SELECT")]
            t_fc, _ = median_of(lambda work=work: work(session), calls)

            def raw_all(queries: list[tuple[str, Any]] = queries) -> list[list[dict[str, Any]]]:
                return [raw_rows(raw, st, p) for st, p in queries]

            t_raw, raw_result = median_of(raw_all, calls)
            out.append(
                {
                    "case": name,
                    "rows": len(rows),
                    "queries": len(queries),
                    "fc": t_fc,
                    "raw": t_raw,
                    "raw_rows": len(raw_result[-1]) if raw_result else 0,
                    "cli": wall(url, argv, max(1, repeat)),
                }
            )
    raw.close()
    db.close()
    return out


def try_similar(url: str) -> str:
    done = run_fc(url, "claim", "similar", "1")
    if done.returncode:
        return f"fails on the server in this build: `{done.stderr.strip()[:160]}`"
    return "works (not timed here)"


# --- 3. writers ----------------------------------------------------------------------------


def _fc_writer(url: str, seconds: float, number: int, queue: Any, ready: Any, start: Any) -> None:
    from factcheck.claims import add_claim
    from factcheck.db import open_database
    from factcheck.search import NOTICE_SCORE, similar_claims

    ready.put(number)
    start.wait()
    began = time.monotonic()
    done, end, i = 0, began + seconds, 0
    while time.monotonic() < end:
        i += 1
        text = f"Writer {number} claim {i}: the {random.choice(WORDS)} rose {i} percent"
        db = open_database(url, write=True, user=USER)

        def work(session: Any, text: str = text) -> int | None:
            return add_claim(session, text, user=USER).id

        claim_id = db.transaction(work)
        with db.read_session() as session:  # as `claim add` does: after the commit
            similar_claims(session, text, exclude_id=claim_id, limit=3, min_score=NOTICE_SCORE)
        db.close()
        done += 1
    queue.put((done, time.monotonic() - began))


def _raw_writer(url: str, seconds: float, number: int, queue: Any, ready: Any, start: Any) -> None:
    import psycopg

    ready.put(number)
    start.wait()
    began = time.monotonic()
    done, end, i = 0, began + seconds, 0
    while time.monotonic() < end:
        i += 1
        with psycopg.connect(url, options="-c timezone=UTC") as conn:
            conn.execute(
                "INSERT INTO claim (uuid, text, status, created_at, created_by) "
                "VALUES (%s, %s, 'new', now(), %s) RETURNING id",
                (str(uuid.uuid4()), f"Raw writer {number} claim {i}", USER),
            ).fetchone()
        done += 1
    queue.put((done, time.monotonic() - began))


def _cli_writer(url: str, seconds: float, number: int, queue: Any, ready: Any, start: Any) -> None:
    ready.put(number)
    start.wait()
    began = time.monotonic()
    done, failed, end, i = 0, 0, began + seconds, 0
    while time.monotonic() < end:
        i += 1
        result = run_fc(url, "claim", "add", f"CLI writer {number} claim {i} rose")
        if result.returncode:
            failed += 1
        else:
            done += 1
    queue.put((done if not failed else -failed, time.monotonic() - began))


def writers(url: str, target: Callable[..., None], count: int, seconds: float) -> tuple[int, float]:
    """Claims stored, and claims per second summed over the writers (each over its own loop,
    which starts when every writer has its imports done)."""
    ctx = multiprocessing.get_context("spawn")
    queue, ready, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=target, args=(url, seconds, n, queue, ready, start))
        for n in range(count)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=600)
    start.set()
    results = [queue.get(timeout=seconds + 600) for _ in procs]
    for p in procs:
        p.join()
    if any(done < 0 for done, _ in results):
        failed = -sum(done for done, _ in results if done < 0)
        raise SystemExit(f"{target.__name__}: {failed} commands failed")
    return sum(done for done, _ in results), sum(done / took for done, took in results)


# --- main ----------------------------------------------------------------------------------


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--url", help="admin URL of a server of yours (default: a throwaway one)")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--skip-writers", action="store_true")
    args = parser.parse_args()

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
    try:
        import psycopg

        with psycopg.connect(server.admin_url, autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
        print(
            f"# factcheck on PostgreSQL {version}, {args.claims:,} claims; python "
            f"{platform.python_version()}, {os.cpu_count()} CPUs, load average at start {load()}"
        )
        print(f"\n{'throwaway cluster, fsync off' if cluster else 'server: ' + args.url}\n")
        name = f"factcheck_bench_{os.getpid()}"
        server.execute(f"CREATE DATABASE {name} TEMPLATE template0")  # safe: ours
        url = server.url(name)
        _upgrade(url)
        took = fill(url, args.claims)
        print(f"filled {args.claims:,} claims + verdicts by COPY in {took:,.1f} s\n")
        if not args.skip_queries:
            rows = bench_queries(url, args.repeat)
            print(
                "| query | rows | statements | raw psycopg, same SQL | factcheck | ratio "
                "| CLI (wall, whole process) |"
            )
            print("|---|---|---|---|---|---|---|")
            for r in rows:
                print(
                    f"| {r['case']} | {r['rows']} | {r['queries']} | {ms(r['raw'])} | "
                    f"{ms(r['fc'])} | **{r['fc'] / r['raw']:.2f}** | {ms(r['cli'])} |"
                )
            print(f"\n`claim similar`: {try_similar(url)}\n")
        if args.skip_writers:
            return
        print(f"load average before the writers: {load()}\n")
        results = {}
        for label, target in (
            ("raw psycopg loop (connect, INSERT ... RETURNING, commit)", _raw_writer),
            ("factcheck library (open, transaction: add_claim; similar check; close)", _fc_writer),
            ("`factcheck claim add` command (whole process)", _cli_writer),
        ):
            done, rate = writers(url, target, args.writers, args.seconds)
            results[label] = rate
            print(f"- {label}: {done:,} claims, load average after {load()}")
        raw_rate = next(iter(results.values()))
        print(f"\n| {args.writers} writers x {args.seconds:.0f} s | claims/s | ratio to raw |")
        print("|---|---|---|")
        for label, rate in results.items():
            print(f"| {label} | {rate:,.1f} | **{rate / raw_rate:.3f}** |")
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
