"""Benchmark the core tracker against raw sqlite3, as ratios measured in the same run.

Run: .venv/bin/python bench/bench_core.py [--claims 100000] [--repeat 5]
Prints a Markdown report: bulk insert, the first review page, CLI wall time, import costs.
bench/core.md is its output for several sizes plus a reading. Never part of the test run.

Absolute times drift between runs and machines; the ratios (factcheck / raw, measured
back to back on the same files) are what carries over.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.executable).parent
FACTCHECK_EXE = VENV_BIN / "factcheck"
USER = "bench"
START = datetime(2025, 1, 1, tzinfo=timezone.utc)
WORDS = (
    "the minister said unemployment fell by percent last year while wages rose faster than "
    "prices in every region according to official figures published on tuesday by the office "
    "for national statistics which also reported that exports grew"
).split()
SPEAKERS = ("Brad Smith", "Jane Doe", "the ministry", "a spokesperson", None)
STATUSES = ("new", "new", "new", "researching", "reviewed", "published", "dismissed")

CLAIM_COLUMNS = (
    "uuid",
    "text",
    "summary",
    "speaker",
    "speaker_kind",
    "cites",
    "source_id",
    "char_start",
    "char_end",
    "score",
    "score_model",
    "status",
    "claim_date",
    "created_at",
    "created_by",
)
RAW_INSERT_SQL = (
    f"INSERT INTO claim ({', '.join(CLAIM_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in CLAIM_COLUMNS)})"
)

# The SQL review_rows(ReviewFilter(...)) sends, written by hand (see factcheck/review.py).
# Schema 0003 made "current" mean "superseded by no other verdict" (table verdict_supersedes)
# and added a conflict column; review_sql() writes whichever the file's schema has.
SCORE_ORDER = "ORDER BY {t}score IS NULL, {t}score DESC, {t}id DESC"
ID_ORDER = "ORDER BY {t}id"
NOT_SUPERSEDED = (
    " AND NOT EXISTS (SELECT verdict_supersedes.superseded_id FROM verdict_supersedes"
    " WHERE verdict_supersedes.superseded_id = verdict.id)"
)
CLAIM_FIELDS = (
    "{t}id, {t}uuid, {t}text, {t}speaker, {t}status, {t}score, {t}source_id, "
    "{t}char_start, {t}char_end"
)


def review_sql(*, links: bool, order: str = SCORE_ORDER, page_first: bool = False) -> str:
    """The review page; page_first (for the reading only) runs the subqueries after LIMIT."""
    t = "page." if page_first else "claim."
    current = NOT_SUPERSEDED if links else ""
    conflict = (
        f"(SELECT count(*) FROM verdict WHERE verdict.claim_id = {t}id{current}) > 1 AS conflict,"
        if links
        else ""
    )
    per_row = f"""
  (SELECT rating_label.slug FROM verdict JOIN rating_label ON rating_label.id = verdict.label_id
    WHERE verdict.claim_id = {t}id{current}
    ORDER BY verdict.created_at DESC, verdict.id DESC LIMIT 1) AS verdict,
  {conflict}
  (SELECT count(*) FROM evidence WHERE evidence.claim_id = {t}id) AS evidence_count,
  (SELECT count(*) FROM evidence
    WHERE evidence.claim_id = {t}id AND evidence.stance = 'supports') AS supports,
  (SELECT count(*) FROM evidence
    WHERE evidence.claim_id = {t}id AND evidence.stance = 'refutes') AS refutes"""
    if not page_first:
        return (
            f"SELECT {CLAIM_FIELDS.format(t=t)},{per_row}\nFROM claim {order.format(t=t)} LIMIT ?"
        )
    inner = f"SELECT {CLAIM_FIELDS.format(t='')} FROM claim {order.format(t='')} LIMIT ?"
    return f"WITH page AS ({inner})\nSELECT page.*,{per_row}\nFROM page {order.format(t=t)}"


RAW_PAGE_ONLY_SQL = """
SELECT id, uuid, text, speaker, status, score, source_id, char_start, char_end FROM claim
ORDER BY score IS NULL, score DESC, id DESC LIMIT ?
"""


def sqlite_datetime(value: datetime) -> str:
    # How SQLAlchemy's SQLite DateTime stores a value: no offset, microseconds always.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def make_claim_rows(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """n claims of about 200 characters, uuids and times fixed so both files get the same."""
    rows = []
    for i in range(n):
        words = rng.choices(WORDS, k=34)
        text = " ".join(words).capitalize()[:200] + "."
        rows.append(
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "text": text,
                "speaker": rng.choice(SPEAKERS),
                "speaker_kind": rng.choice(("direct_quote", "reported", "narration")),
                "score": None if i % 10 == 0 else round(rng.random(), 6),
                "score_model": "bench",
                "status": rng.choice(STATUSES),
                "claim_date": date(2024, 1, 1) + timedelta(days=i % 365),
                "created_at": START + timedelta(seconds=i),
            }
        )
    return rows


def raw_params(rows: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    """The same rows as sqlite3 parameters (this conversion is part of the raw timing)."""
    for row in rows:
        claim_date = row.get("claim_date")
        yield (
            row["uuid"],
            row["text"],
            row.get("summary"),
            row.get("speaker"),
            row.get("speaker_kind"),
            row.get("cites"),
            row.get("source_id"),
            row.get("char_start"),
            row.get("char_end"),
            row.get("score"),
            row.get("score_model"),
            row.get("status") or "new",
            claim_date.isoformat() if claim_date else None,
            sqlite_datetime(row["created_at"]),
            USER,
        )


def create_file(path: Path) -> None:
    """A new file through factcheck's own migrations, so both sides get the same schema."""
    from factcheck.db import open_database

    open_database(path, write=True, user=USER).close()


def remove_file(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)


def raw_connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    mode = "ro" if readonly else "rw"
    conn = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode={mode}", uri=True)
    conn.isolation_level = None
    conn.execute("PRAGMA foreign_keys = ON")  # factcheck turns it on; same work on both sides
    return conn


def insert_factcheck(path: Path, rows: list[dict[str, Any]]) -> float:
    from factcheck.claims import add_claims_bulk
    from factcheck.db import open_database

    db = open_database(path, write=True, user=USER)
    try:
        start = time.perf_counter()
        with db.session() as session:
            add_claims_bulk(session, rows, user=USER)
        return time.perf_counter() - start
    finally:
        db.close()


def insert_raw(path: Path, rows: list[dict[str, Any]]) -> float:
    conn = raw_connect(path)
    try:
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(RAW_INSERT_SQL, raw_params(rows))
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()


def same_claims(a: Path, b: Path) -> bool:
    ca, cb = raw_connect(a, readonly=True), raw_connect(b, readonly=True)
    try:
        query = "SELECT * FROM claim ORDER BY id"
        qa, qb = ca.execute(query), cb.execute(query)
        while True:
            ra, rb = qa.fetchmany(10_000), qb.fetchmany(10_000)
            if ra != rb:
                return False
            if not ra:
                return True
    finally:
        ca.close()
        cb.close()


def has_supersedes_links(path: Path) -> bool:
    """True from schema 0003 on, where corrections live in verdict_supersedes."""
    conn = raw_connect(path, readonly=True)
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'verdict_supersedes'"
        ).fetchone()
        return found is not None
    finally:
        conn.close()


def add_verdicts_and_evidence(paths: list[Path], n: int, rng: random.Random) -> dict[str, int]:
    """Identical review data on every file: a verdict on 95% of claims, a correction on 2%,
    evidence on 10%. Raw SQL, because this is setup, not what is measured."""
    conn = raw_connect(paths[0], readonly=True)
    try:
        labels = [r[0] for r in conn.execute("SELECT id FROM rating_label WHERE scale_id = 1")]
    finally:
        conn.close()
    verdicts: list[tuple[Any, ...]] = []
    supersedes: dict[int, int] = {}  # correction id -> the verdict it replaces
    evidence: list[tuple[Any, ...]] = []
    vid = 0
    for claim_id in range(1, n + 1):
        created = START + timedelta(seconds=claim_id - 1)
        if claim_id % 20:
            vid += 1
            first = vid
            verdicts.append(
                (
                    vid,
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    claim_id,
                    rng.choice(labels),
                    "checked",
                    USER,
                    sqlite_datetime(created + timedelta(days=1)),
                    USER,
                )
            )
            if claim_id % 50 == 1:  # a correction: the newest verdict must win
                vid += 1
                supersedes[vid] = first
                verdicts.append(
                    (
                        vid,
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        claim_id,
                        rng.choice(labels),
                        "corrected",
                        USER,
                        sqlite_datetime(created + timedelta(days=2)),
                        USER,
                    )
                )
        if claim_id % 10 == 0:
            for k in range(1 if claim_id % 30 else 2):
                evidence.append(
                    (
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        claim_id,
                        1,
                        ("supports", "refutes", "context")[(claim_id // 10 + k) % 3],
                        sqlite_datetime(created + timedelta(hours=1 + k)),
                        USER,
                    )
                )
    for path in paths:
        conn = raw_connect(path)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO source (uuid, kind, title, created_at, created_by) "
                "VALUES ('00000000-0000-4000-8000-000000000001', 'report', 'bench source', ?, ?)",
                (sqlite_datetime(START), USER),
            )
            if has_supersedes_links(path):
                conn.executemany(
                    "INSERT INTO verdict (id, uuid, claim_id, label_id, rationale, reviewer, "
                    "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    verdicts,
                )
                conn.executemany(
                    "INSERT INTO verdict_supersedes (verdict_id, superseded_id) VALUES (?, ?)",
                    supersedes.items(),
                )
            else:
                conn.executemany(
                    "INSERT INTO verdict (id, uuid, claim_id, label_id, rationale, reviewer, "
                    "supersedes_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ((*v[:6], supersedes.get(v[0]), *v[6:]) for v in verdicts),
                )
            conn.executemany(
                "INSERT INTO evidence (uuid, claim_id, source_id, stance, created_at, created_by)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                evidence,
            )
            conn.execute("COMMIT")
        finally:
            conn.close()
    return {"verdicts": len(verdicts), "evidence": len(evidence)}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def raw_review(conn: sqlite3.Connection, sql: str, limit: int = 50) -> list[dict[str, Any]]:
    cur = conn.execute(sql, (limit,))
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for row in rows:
        if "conflict" in row:  # review_rows hands it back as a bool
            row["conflict"] = bool(row["conflict"])
    return rows


def bench_review(path: Path, repeat: int) -> dict[str, Any]:
    from factcheck.db import open_database
    from factcheck.review import ReviewFilter, review_rows

    flt = ReviewFilter(limit=50)
    flt_by_id = ReviewFilter(sort="id", limit=50)
    out: dict[str, Any] = {}
    links = out["links"] = has_supersedes_links(path)
    review_page = review_sql(links=links)
    page_first = review_sql(links=links, page_first=True)
    by_id = review_sql(links=links, order=ID_ORDER)

    # First query on a freshly opened file (SQL compiled, schema read), in a warm process.
    db = open_database(path, write=False, user=USER)

    def fc_in_new_session() -> list[dict[str, Any]]:
        with db.session() as session:
            return review_rows(session, flt)

    out["fc_first"], fc_rows = timed(fc_in_new_session)

    def raw_in_new_connection() -> list[dict[str, Any]]:
        # The raw counterpart of a session: connect, pragma, BEGIN, query, close.
        fresh = raw_connect(path, readonly=True)
        try:
            fresh.execute("BEGIN")
            rows = raw_review(fresh, review_page)
            fresh.execute("COMMIT")
            return rows
        finally:
            fresh.close()

    conn = raw_connect(path, readonly=True)
    out["raw_first"], raw_rows = timed(lambda: raw_review(conn, review_page))
    out["same_rows"] = fc_rows == raw_rows
    out["same_rows_page_first"] = raw_review(conn, page_first) == raw_rows

    fc_warm, fc_in_session, raw_warm, raw_new_conn = [], [], [], []
    raw_page_first, raw_page_only, fc_by_id, raw_by_id = [], [], [], []
    with db.session() as session:  # one open session: no connect/BEGIN per call
        review_rows(session, flt)
        for _ in range(repeat):
            # Interleaved so drift in the machine hits every variant alike.
            fc_warm.append(timed(fc_in_new_session)[0])
            fc_in_session.append(timed(lambda: review_rows(session, flt))[0])
            raw_warm.append(timed(lambda: raw_review(conn, review_page))[0])
            raw_new_conn.append(timed(raw_in_new_connection)[0])
            raw_page_first.append(timed(lambda: raw_review(conn, page_first))[0])
            raw_page_only.append(timed(lambda: raw_review(conn, RAW_PAGE_ONLY_SQL))[0])
            fc_by_id.append(timed(lambda: review_rows(session, flt_by_id))[0])
            raw_by_id.append(timed(lambda: raw_review(conn, by_id))[0])
        out["same_rows_by_id"] = review_rows(session, flt_by_id) == raw_review(conn, by_id)
    conn.close()
    db.close()
    out["fc_warm"] = statistics.median(fc_warm)
    out["fc_in_session"] = statistics.median(fc_in_session)
    out["raw_warm"] = statistics.median(raw_warm)
    out["raw_page_first"] = statistics.median(raw_page_first)
    out["raw_page_only"] = statistics.median(raw_page_only)
    out["raw_new_conn"] = statistics.median(raw_new_conn)
    out["fc_by_id"] = statistics.median(fc_by_id)
    out["raw_by_id"] = statistics.median(raw_by_id)
    out["spread"] = {
        "fc_warm": (min(fc_warm), max(fc_warm)),
        "raw_warm": (min(raw_warm), max(raw_warm)),
    }
    return out


def wall(argv: list[str], repeat: int) -> float:
    """Median wall time of a whole process, after one warm-up run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    env["COLUMNS"] = "100"
    times = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        proc = subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False
        )
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{argv} failed: {proc.stderr.decode()[-500:]}")
        if i:
            times.append(elapsed)
    return statistics.median(times)


def import_costs(
    argv: list[str], top: int
) -> tuple[float, list[tuple[str, float, float]], dict[str, float]]:
    """Total import ms, the costliest imports made by the program itself (name, cumulative
    ms, self ms), and self ms summed per top-level package."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        check=False,
    )
    total_self = 0.0
    top_level: list[tuple[str, float, float]] = []
    packages: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
        total_self += int(self_us)
        package = name.strip().split(".")[0]
        packages[package] = packages.get(package, 0.0) + int(self_us) / 1000
        if not name[1:].startswith(" "):  # depth 1: imported directly by the program
            top_level.append((name.strip(), int(cumulative_us) / 1000, int(self_us) / 1000))
    top_level.sort(key=lambda item: -item[1])
    return total_self / 1000, top_level[:top], packages


def profile_insert(path: Path, rows: list[dict[str, Any]], top: int) -> str:
    from factcheck.claims import add_claims_bulk
    from factcheck.db import open_database

    db = open_database(path, write=True, user=USER)
    profiler = cProfile.Profile()
    try:
        with db.session() as session:
            profiler.enable()
            add_claims_bulk(session, rows, user=USER)
            profiler.disable()
    finally:
        db.close()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    entries = []
    for (filename, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.split("site-packages/")[-1].split("/work/main/")[-1]
        entries.append((tt, ct, f"{where}:{line}({func})"))
    entries.sort(reverse=True)
    lines = [
        f"cProfile of add_claims_bulk, {len(rows):,} rows, {total:.2f} s under the profiler",
        "",
        "| self s | cumulative s | function |",
        "|---|---|---|",
    ]
    lines += [f"| {tt:.3f} | {ct:.3f} | `{name}` |" for tt, ct, name in entries[:top]]
    return "\n".join(lines)


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.2f} ms" if value < 100 else f"{value:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="claims per file")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query/CLI median")
    parser.add_argument(
        "--insert-repeat", type=int, default=3, help="fresh-file insert runs per side (median)"
    )
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--workdir", type=Path, help="where the files go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the files afterwards")
    parser.add_argument("--profile", action="store_true", help="also cProfile the bulk insert")
    args = parser.parse_args()

    import factcheck
    from factcheck.db import HEAD_REVISION

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    n, repeat = args.claims, args.repeat
    rng = random.Random(args.seed)
    wall_start = time.perf_counter()

    print(f"# factcheck core benchmark, {n:,} claims\n")
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"factcheck {factcheck.__version__} (schema {HEAD_REVISION})\n"
    )
    print(
        f"Command: `.venv/bin/python bench/bench_core.py --claims {n} --repeat {repeat} "
        f"--insert-repeat {args.insert_repeat}{' --profile' if args.profile else ''}`\n",
        flush=True,
    )

    rows = make_claim_rows(n, rng)
    fc_times, raw_times = [], []
    fc_path = raw_path = workdir / "unused.db"
    for i in range(args.insert_repeat):
        for p in (fc_path, raw_path):
            if p.name != "unused.db":
                remove_file(p)
        fc_path, raw_path = workdir / f"factcheck-{i}.db", workdir / f"raw-{i}.db"
        create_file(fc_path)
        create_file(raw_path)
        # Alternate which side goes first so neither always gets the cooler page cache.
        if i % 2:
            raw_times.append(insert_raw(raw_path, rows))
            fc_times.append(insert_factcheck(fc_path, rows))
        else:
            fc_times.append(insert_factcheck(fc_path, rows))
            raw_times.append(insert_raw(raw_path, rows))
    identical = same_claims(fc_path, raw_path)
    fc_insert, raw_insert = statistics.median(fc_times), statistics.median(raw_times)

    print(f"## 1. Bulk insert of {n:,} claims (one transaction, median of {args.insert_repeat})\n")
    print("| method | time | rows/s | ratio factcheck/raw (rows/s) |")
    print("|---|---|---|---|")
    print(f"| raw `sqlite3.executemany` | {ms(raw_insert)} | {n / raw_insert:,.0f} | 1.00 |")
    print(
        f"| `factcheck.claims.add_claims_bulk` | {ms(fc_insert)} | {n / fc_insert:,.0f} | "
        f"{raw_insert / fc_insert:.2f} |"
    )
    print(f"\nBoth files hold identical claim rows: {'yes' if identical else 'NO'}.")
    print(
        "Each side: all runs "
        + ", ".join(f"{ms(t)}" for t in fc_times)
        + " (factcheck); "
        + ", ".join(f"{ms(t)}" for t in raw_times)
        + " (raw).\n",
        flush=True,
    )

    counts = add_verdicts_and_evidence([fc_path, raw_path], n, rng)
    print(
        f"Setup for the queries (raw SQL, both files, not timed): {counts['verdicts']:,} "
        f"verdicts (95% of claims, 2% corrected), {counts['evidence']:,} evidence links.\n"
    )

    review = bench_review(fc_path, repeat)
    print(f"## 2. Review query, first page of 50 (median of {repeat} warm runs)\n")
    print(
        "Current verdict as review.py defines it for this schema: "
        + (
            "the newest verdict that no verdict_supersedes row replaces, plus a conflict column"
            if review["links"]
            else "the newest verdict (created_at DESC, id DESC)"
        )
        + ". Both sides run the same SQL text on the same file.\n"
    )
    print("| variant | time | ratio to raw (same connection handling) |")
    print("|---|---|---|")
    r = review
    open_ratio = r["fc_in_session"] / r["raw_warm"]
    call_ratio = r["fc_warm"] / r["raw_new_conn"]
    first_ratio = r["fc_first"] / r["raw_first"]
    by_id_ratio = r["fc_by_id"] / r["raw_by_id"]
    for label, value, ratio in (
        ("A. raw sqlite3, the same SQL by hand, open connection", r["raw_warm"], 1.0),
        ("A. factcheck `review_rows`, open session", r["fc_in_session"], open_ratio),
        ("B. raw: connect, BEGIN, query, close", r["raw_new_conn"], 1.0),
        ("B. factcheck: `with db.session()` + `review_rows`", r["fc_warm"], call_ratio),
        ("C. raw, first query on a freshly opened file", r["raw_first"], 1.0),
        ("C. factcheck, first query on a freshly opened Database", r["fc_first"], first_ratio),
        ("D. raw, `--sort id` page (cheap SQL), open connection", r["raw_by_id"], 1.0),
        ("D. factcheck, `--sort id` page, open session", r["fc_by_id"], by_id_ratio),
    ):
        print(f"| {label} | {ms(value)} | {ratio:.2f} |")
    print(f"| raw, page first, subqueries after the LIMIT | {ms(r['raw_page_first'])} | |")
    print(f"| raw, the page alone, no subqueries | {ms(r['raw_page_only'])} | |")
    print(
        f"\nfactcheck/raw, warm: **{open_ratio:.2f}x** with an open connection (A), "
        f"**{call_ratio:.2f}x** with a connection per call (B); target within 2x: "
        f"A {'met' if open_ratio <= 2 else 'NOT met'}, B {'met' if call_ratio <= 2 else 'NOT met'}."
        f" Same 50 rows from both: {'yes' if r['same_rows'] else 'NO'}; the page-first SQL "
        f"gives the same rows: {'yes' if r['same_rows_page_first'] else 'NO'}; D same rows: "
        f"{'yes' if r['same_rows_by_id'] else 'NO'}. Spread (min-max)"
        f" of B: factcheck {ms(r['spread']['fc_warm'][0])}-{ms(r['spread']['fc_warm'][1])}; of "
        f"A raw: {ms(r['spread']['raw_warm'][0])}-{ms(r['spread']['raw_warm'][1])}.\n",
        flush=True,
    )

    py, fc = str(sys.executable), str(FACTCHECK_EXE)
    cli = {
        "pass": wall([py, "-c", "pass"], repeat),
        "click": wall([py, "-c", "import click"], repeat),
        "help": wall([fc, "--help"], repeat),
        "sqlmodel": wall([py, "-c", "import sqlmodel"], repeat),
        "review": wall([fc, "--db", str(fc_path), "review", "--limit", "50"], repeat),
    }
    print(f"## 3. Command-line wall time (median of {repeat}, after one warm-up)\n")
    print("| command | wall time | ratio | target |")
    print("|---|---|---|---|")
    print(f"| `python -c pass` | {ms(cli['pass'])} | | |")
    print(f'| `python -c "import click"` | {ms(cli["click"])} | 1.00 | |')
    help_ratio = cli["help"] / cli["click"]
    print(
        f"| `factcheck --help` | {ms(cli['help'])} | {help_ratio:.2f} vs click | <= 1.5: "
        f"{'met' if help_ratio <= 1.5 else 'NOT met'} |"
    )
    print(f'| `python -c "import sqlmodel"` | {ms(cli["sqlmodel"])} | 1.00 | |')
    review_ratio = cli["review"] / cli["sqlmodel"]
    print(
        f"| `factcheck --db FILE review --limit 50` ({n:,} claims) | {ms(cli['review'])} | "
        f"{review_ratio:.2f} vs sqlmodel | aim < 1.5: "
        f"{'met' if review_ratio < 1.5 else 'NOT met'} |"
    )
    print(flush=True)

    help_total, _, help_packages = import_costs([fc, "--help"], 0)
    total, top, by_package = import_costs([fc, "--db", str(fc_path), "review", "--limit", "50"], 8)
    print("## 4. Where start-up goes (`python -X importtime`, one run)\n")
    heavy = sorted(set(help_packages) & {"sqlalchemy", "sqlmodel", "alembic", "tabulate", "pysbd"})
    print(
        f"`factcheck --help`: {help_total:.0f} ms of imports in total; heavy packages imported: "
        f"{', '.join(heavy) if heavy else 'none'}.\n"
    )
    print(
        f"`factcheck --db FILE review --limit 50`: {total:.0f} ms of imports in total "
        "(sum of self times). Top-level imports by cumulative time:\n"
    )
    print("| import | cumulative | self |")
    print("|---|---|---|")
    for name, cumulative, self_ms in top:
        print(f"| `{name}` | {cumulative:.1f} ms | {self_ms:.1f} ms |")
    print("\nThe same imports, self time summed per top-level package:\n")
    print("| package | self time | share |")
    print("|---|---|---|")
    for package, self_ms in sorted(by_package.items(), key=lambda item: -item[1])[:12]:
        print(f"| `{package}` | {self_ms:.1f} ms | {self_ms / total:.0%} |")
    print()

    if args.profile:
        profile_path = workdir / "profile.db"
        create_file(profile_path)
        print("## 5. Where the bulk insert goes\n")
        print(profile_insert(profile_path, rows, 15))
        print()
        remove_file(profile_path)

    print(f"Whole run: {time.perf_counter() - wall_start:.0f} s.")
    if args.keep:
        print(f"Files kept in {workdir}.")
    elif args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        for p in (fc_path, raw_path):
            remove_file(p)


if __name__ == "__main__":
    main()
