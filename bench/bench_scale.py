"""Archive-scale benchmarks: every figure a ratio to raw sqlite3 doing the same work, same run.

Usage: .venv/bin/python bench/bench_scale.py --claims N [--repeat 3] [--workdir DIR] [--keep]
                                              [--import-repeat K] [--profile]
Never part of the tests. Writes everything under a temporary folder (or --workdir) and prints
one Markdown table per measurement. See bench/scale.md for the reading.

1. bulk import of a CSV (text,speaker,claim_date) with the search index maintained:
   `factcheck --db NEW.db import claims.csv` (a child process, peak RSS from a wrapper) against
   raw `executemany` into a file made the same way (FTS kept by its per-row trigger), and, for
   the reading, raw with the FTS deferred as factcheck does it.
2. first review page over N claims with N verdicts (2% corrected through verdict_supersedes).
3. search for a rare, a medium and a common word.
4. export csv, whole desk.
5. start-up: --help against `import click`, review against `import sqlmodel`, -X importtime.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
FACTCHECK = str(BIN / "factcheck")
PY = sys.executable
USER = "bench"
MARK_START, MARK_END = "\ue000", "\ue001"

# Planted words (not in the vocabulary), so their hit counts are known at every size.
RARE, MEDIUM, COMMON = "quokka", "tariffs", "inflation"
RARE_EVERY, MEDIUM_EVERY, COMMON_EVERY = 20_000, 200, 10  # 0.005%, 0.5%, 10% of claims

WORDS = """
the a of to in and that for is on said was with by as from at about more than percent million
billion thousand people year years state states government country jobs taxes budget spending
health care schools teachers police crime rate rates border immigrants wages workers economy
growth deficit debt energy oil gas prices housing rent families children women men voters
election votes city county council mayor governor senator president minister party opposition
report study data figures record highest lowest since last first every week month decade
increased decreased doubled tripled fell rose cut raised spent paid lost created new old
public private federal national local million hospital patients doctors nurses vaccine
climate emissions coal wind solar power plant water roads bridges transit trains buses
farmers exports imports trade deal tax credit benefit pension retirement students tuition
university college unemployment poverty income average median household minimum wage
""".split()
FIRST = "Maria John Aisha Wei Carlos Fatima Peter Olga Samuel Priya Ahmed Laura Kenji Nia".split()
LAST = "Smith Garcia Chen Okafor Novak Haddad Kowalski Silva Tanaka Mensah Rossi Ibrahim".split()

SERIAL_NOW = "2026-01-01 00:00:00.000000"

# The same work as factcheck's review query: the current verdict and conflicts among the
# desk's own verdicts (scales without an outside publisher), the newest outside rating, and
# the verdict last published (for "needs update").
OURS = (
    "verdict.label_id IN (SELECT l.id FROM rating_label l JOIN rating_scale s "
    "ON s.id = l.scale_id WHERE s.publisher IS NULL)"
)
REVIEW_SQL = f"""
SELECT claim.id, claim.uuid, claim.text, claim.speaker, claim.status, claim.score,
  claim.source_id, claim.char_start, claim.char_end,
  (SELECT rating_label.slug FROM verdict JOIN rating_label ON rating_label.id = verdict.label_id
    WHERE verdict.claim_id = claim.id AND {OURS} AND NOT EXISTS (SELECT 1 FROM verdict_supersedes
      WHERE verdict_supersedes.superseded_id = verdict.id)
    ORDER BY verdict.created_at DESC, verdict.id DESC LIMIT 1) AS verdict,
  (SELECT count(*) FROM verdict WHERE verdict.claim_id = claim.id AND {OURS} AND NOT EXISTS
    (SELECT 1 FROM verdict_supersedes WHERE verdict_supersedes.superseded_id = verdict.id)) > 1
    AS conflict,
  (SELECT s.publisher || ': ' || l.label FROM verdict JOIN rating_label l
    ON l.id = verdict.label_id JOIN rating_scale s ON s.id = l.scale_id
    WHERE verdict.claim_id = claim.id AND s.publisher IS NOT NULL
    ORDER BY verdict.created_at DESC, verdict.id DESC LIMIT 1) AS checked_by,
  (SELECT verdict.id FROM verdict WHERE verdict.claim_id = claim.id AND {OURS} AND NOT EXISTS
    (SELECT 1 FROM verdict_supersedes WHERE verdict_supersedes.superseded_id = verdict.id)
    ORDER BY verdict.created_at DESC, verdict.id DESC LIMIT 1) AS verdict_id,
  (SELECT p.verdict_id FROM publication p WHERE p.claim_id = claim.id
    ORDER BY p.created_at DESC, p.id DESC LIMIT 1) AS published_verdict_id,
  (SELECT count(*) FROM evidence WHERE evidence.claim_id = claim.id) AS evidence_count,
  (SELECT count(*) FROM evidence WHERE evidence.claim_id = claim.id
    AND evidence.stance = 'supports') AS supports,
  (SELECT count(*) FROM evidence WHERE evidence.claim_id = claim.id
    AND evidence.stance = 'refutes') AS refutes
FROM claim ORDER BY claim.score DESC, claim.id DESC LIMIT ?
"""

VERDICT_SUB = (
    "(SELECT l.slug FROM verdict v JOIN rating_label l ON l.id = v.label_id "
    "WHERE v.claim_id = c.id AND NOT EXISTS (SELECT 1 FROM verdict_supersedes x "
    "WHERE x.superseded_id = v.id) ORDER BY v.created_at DESC, v.id DESC LIMIT 1)"
)
SEARCH_SQL = (
    "SELECT c.id, c.uuid, c.text, c.speaker, c.status, "
    f"snippet(claim_fts, 0, '{MARK_START}', '{MARK_END}', '…', 24) AS snippet, "
    f"bm25(claim_fts, 1.0, 0.6, 0.8) AS rank, {VERDICT_SUB} AS verdict "
    "FROM claim_fts JOIN claim c ON c.id = claim_fts.rowid "
    "WHERE claim_fts MATCH ? ORDER BY rank LIMIT ?"
)

EXPORT_COLUMNS = (
    "uuid text summary speaker status claim_date source_url source_title score verdict "
    "verdict_scale verdict_rationale reviewer created_at created_by"
).split()
EXPORT_SQL = (
    "SELECT c.uuid, c.text, c.summary, c.speaker, c.status, c.claim_date, s.url, s.title, "
    "c.score, l.slug, sc.name, v.rationale, v.reviewer, c.created_at, c.created_by "
    "FROM claim c LEFT JOIN source s ON s.id = c.source_id "
    "LEFT JOIN verdict v ON v.id = (SELECT v2.id FROM verdict v2 WHERE v2.claim_id = c.id "
    "AND NOT EXISTS (SELECT 1 FROM verdict_supersedes x WHERE x.superseded_id = v2.id) "
    "ORDER BY v2.created_at DESC, v2.id DESC LIMIT 1) "
    "LEFT JOIN rating_label l ON l.id = v.label_id "
    "LEFT JOIN rating_scale sc ON sc.id = l.scale_id ORDER BY c.id"
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FTS_TRIGGER = (
    "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "
    "INSERT INTO claim_fts(rowid, text, speaker, summary) "
    "VALUES (new.id, new.text, new.speaker, new.summary); END"
)
RAW_INSERT = (
    "INSERT INTO claim (uuid, text, summary, speaker, speaker_kind, cites, source_id, char_start, "
    "char_end, score, score_model, status, claim_date, created_at, created_by) "
    "VALUES (?, ?, NULL, ?, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'new', ?, ?, ?)"
)

# Runs a command, then reports its wall time and its peak RSS (KB) on stdout.
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "t = time.perf_counter() - t\n"
    "if r.returncode: sys.exit(r.stderr.decode()[-2000:])\n"
    "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    e["FACTCHECK_USER"] = USER
    e["COLUMNS"] = "100"
    return e


# --- data ------------------------------------------------------------------------------------


def claim_text(i: int, rng: random.Random) -> str:
    words: list[str] = []
    if i % RARE_EVERY == 7:
        words.append(RARE)
    if i % MEDIUM_EVERY == 11:
        words.append(MEDIUM)
    if i % COMMON_EVERY == 3:
        words.append(COMMON)
    length = rng.randint(150, 200)
    out = ""
    while True:
        pool = rng.choices(WORDS, k=8)
        if rng.random() < 0.5:
            pool[rng.randrange(8)] = str(rng.choice((rng.randint(2, 99), rng.randint(100, 99_999))))
        if rng.random() < 0.3:
            pool[rng.randrange(8)] = f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"
        words.extend(pool)
        out = " ".join(words)
        if len(out) >= length:
            break
    out = out[:length].rsplit(" ", 1)[0]
    for planted in (RARE, MEDIUM, COMMON):  # never cut a planted word off the end
        if planted in words and planted not in out.split():
            out = planted + " " + out
    return out[0].upper() + out[1:] + "."


def write_csv(path: Path, n: int) -> float:
    rng = random.Random(20260101)
    speakers = [f"{first} {last}" for first in FIRST for last in LAST]
    start = date(2015, 1, 1)
    t = time.perf_counter()
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("text", "speaker", "claim_date"))
        for i in range(1, n + 1):
            speaker = rng.choice(speakers) if rng.random() < 0.9 else ""
            when = (start + timedelta(days=rng.randrange(4000))).isoformat()
            w.writerow((claim_text(i, rng), speaker, when))
    return time.perf_counter() - t


def create_desk(path: Path) -> None:
    """A new desk, made as the brief says (this is not timed)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    subprocess.run(
        [FACTCHECK, "--db", str(path), "settings", "set", "org_name", "x"],
        check=True,
        capture_output=True,
        env=env(),
    )


def raw_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


# --- 1. import ---------------------------------------------------------------------------------


def import_factcheck(db: Path, csv_path: Path) -> tuple[float, int]:
    out = subprocess.run(
        [PY, "-c", WRAPPER, FACTCHECK, "--db", str(db), "import", str(csv_path)],
        capture_output=True,
        text=True,
        env=env(),
    )
    if out.returncode:
        raise SystemExit(f"factcheck import failed: {out.stderr[-2000:]}")
    seconds, rss_kb = out.stdout.split()
    return float(seconds), int(rss_kb)


def import_raw(db: Path, csv_path: Path, *, defer_fts: bool) -> float:
    """csv.reader -> tuples (uuid4, created_at now) -> one executemany, one transaction."""
    t = time.perf_counter()
    conn = raw_connect(db)
    conn.execute("BEGIN IMMEDIATE")
    if defer_fts:
        last = conn.execute("SELECT coalesce(max(id), 0) FROM claim").fetchone()[0]
        conn.execute("DROP TRIGGER claim_fts_insert")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        conn.executemany(
            RAW_INSERT,
            (
                (str(uuid.uuid4()), text, speaker or None, day or None, now, USER)
                for text, speaker, day in reader
            ),
        )
    if defer_fts:
        conn.execute(
            "INSERT INTO claim_fts(rowid, text, speaker, summary) "
            "SELECT id, text, speaker, summary FROM claim WHERE id > ?",
            (last,),
        )
        conn.execute(FTS_TRIGGER)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - t


def same_desks(a: Path, b: Path) -> tuple[bool, dict[str, int]]:
    conn = raw_connect(a)
    conn.execute("ATTACH ? AS b", (str(b),))
    cols = "id, text, speaker, status, claim_date, created_by"
    diff = conn.execute(
        f"SELECT count(*) FROM (SELECT {cols} FROM main.claim EXCEPT SELECT {cols} FROM b.claim)"
    ).fetchone()[0]
    n_a = conn.execute("SELECT count(*) FROM main.claim").fetchone()[0]
    n_b = conn.execute("SELECT count(*) FROM b.claim").fetchone()[0]
    hits = {}
    same = diff == 0 and n_a == n_b
    for term in (RARE, MEDIUM, COMMON):
        ha = conn.execute("SELECT count(*) FROM main.claim_fts WHERE claim_fts MATCH ?", (term,))
        hb = conn.execute("SELECT count(*) FROM b.claim_fts WHERE claim_fts MATCH ?", (term,))
        hits[term] = ha.fetchone()[0]
        same = same and hits[term] == hb.fetchone()[0]
    conn.close()
    return same, hits


# --- 2. verdicts (setup) -------------------------------------------------------------------------


def add_verdicts(path: Path, n: int) -> int:
    """Every claim one verdict; 2% a later correction linked in verdict_supersedes. Identical
    rows on every file (uuids derived from the ids)."""
    conn = raw_connect(path)
    labels = [r[0] for r in conn.execute("SELECT id FROM rating_label WHERE scale_id = 1")]
    base = datetime(2026, 2, 1)

    def rows() -> Any:
        vid = 0
        for claim_id in range(1, n + 1):
            vid += 1
            created = base + timedelta(seconds=claim_id)
            yield (
                vid,
                str(uuid.UUID(int=vid, version=4)),
                claim_id,
                labels[claim_id % 6],
                "checked",
                USER,
                created.strftime("%Y-%m-%d %H:%M:%S.%f"),
                USER,
            )
            if claim_id % 50 == 1:
                vid += 1
                yield (
                    vid,
                    str(uuid.UUID(int=vid, version=4)),
                    claim_id,
                    labels[(claim_id + 3) % 6],
                    "corrected",
                    USER,
                    (created + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                    USER,
                )

    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO verdict (id, uuid, claim_id, label_id, rationale, reviewer, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    conn.execute(
        "INSERT INTO verdict_supersedes (verdict_id, superseded_id) "
        "SELECT id, id - 1 FROM verdict WHERE rationale = 'corrected'"
    )
    count = conn.execute("SELECT count(*) FROM verdict").fetchone()[0]
    conn.execute("COMMIT")
    conn.close()
    return count


# --- helpers -------------------------------------------------------------------------------------


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


def wall(argv: list[str], repeat: int) -> float:
    """Median wall time of a whole process, after one warm-up run."""
    times = []
    for i in range(repeat + 1):
        t = time.perf_counter()
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env())
        elapsed = time.perf_counter() - t
        if proc.returncode:
            raise SystemExit(f"{argv} failed: {proc.stderr.decode()[-1000:]}")
        if i:
            times.append(elapsed)
    return statistics.median(times)


def ms(s: float) -> str:
    return f"{s * 1000:,.2f} ms" if s < 0.01 else f"{s * 1000:,.0f} ms" if s < 10 else f"{s:,.1f} s"


def dict_rows(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


# --- 2.-4. queries -------------------------------------------------------------------------------


def finish(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What review_rows does to each row after the query, done the same way for raw SQL."""
    for row in rows:
        row["conflict"] = bool(row["conflict"])
        published = row.pop("published_verdict_id")
        row["needs_update"] = (
            row["status"] == "published" and published is not None and published != row["verdict_id"]
        )
        del row["verdict_id"]
    return rows


def bench_review(db_path: Path, repeat: int) -> dict[str, Any]:
    from factcheck.db import open_database
    from factcheck.review import ReviewFilter, review_rows

    db = open_database(db_path, write=False, user=USER)
    conn = raw_connect(db_path)
    calls = max(repeat, 1) * 7

    def raw(sql: str = REVIEW_SQL) -> list[dict[str, Any]]:
        return finish(dict_rows(conn.execute(sql, (50,))))

    out: dict[str, Any] = {}
    with db.session() as session:
        out["fc"], fc_rows = median_of(lambda: review_rows(session, ReviewFilter(limit=50)), calls)
        newest = REVIEW_SQL.replace(
            "ORDER BY claim.score DESC, claim.id DESC",
            "ORDER BY claim.created_at DESC, claim.id DESC",
        )
        out["fc_newest"], fcn = median_of(
            lambda: review_rows(session, ReviewFilter(limit=50, sort="newest")), calls
        )
    out["raw"], raw_rows = median_of(raw, calls)
    out["raw_newest"], rawn = median_of(lambda: raw(newest), calls)

    def fc_new_session() -> list[dict[str, Any]]:
        with db.session() as session:
            return review_rows(session, ReviewFilter(limit=50))

    def raw_new_conn() -> list[dict[str, Any]]:
        c = raw_connect(db_path)
        try:
            return finish(dict_rows(c.execute(REVIEW_SQL, (50,))))
        finally:
            c.close()

    out["fc_new"], fc2 = median_of(fc_new_session, calls)
    out["raw_new"], raw2 = median_of(raw_new_conn, calls)
    out["same"] = fc_rows == raw_rows and fcn == rawn and fc2 == raw2 and len(fc_rows) == 50
    out["verdicts_on_page"] = sum(1 for r in fc_rows if r["verdict"])
    out["corrected_on_page"] = sum(1 for r in fc_rows if r["id"] % 50 == 1)
    conn.close()
    db.engine.dispose()
    return out


def bench_search(db_path: Path, repeat: int) -> list[dict[str, Any]]:
    from factcheck.db import open_database
    from factcheck.search import search_claims

    db = open_database(db_path, write=False, user=USER)
    conn = raw_connect(db_path)
    results = []
    with db.session() as session:
        for term in (RARE, MEDIUM, COMMON):
            hits = conn.execute(
                "SELECT count(*) FROM claim_fts WHERE claim_fts MATCH ?", (f'"{term}"',)
            ).fetchone()[0]
            calls = max(repeat, 1) * (7 if hits < 50_000 else 3)
            t_fc, fc = median_of(lambda t=term: search_claims(session, t, limit=20), calls)
            t_raw, raw = median_of(
                lambda t=term: dict_rows(conn.execute(SEARCH_SQL, (f'"{t}"', 20))), calls
            )
            results.append(
                {"term": term, "hits": hits, "fc": t_fc, "raw": t_raw, "same": fc == raw}
            )
    conn.close()
    db.engine.dispose()
    return results


def neutralise(cell: str) -> str:
    if cell.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def export_raw(db_path: Path, target: Path) -> int:
    conn = raw_connect(db_path)
    count = 0
    with target.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(EXPORT_COLUMNS)
        for row in conn.execute(EXPORT_SQL):
            w.writerow([neutralise("" if v is None else str(v)) for v in row])
            count += 1
        fh.flush()
        os.fsync(fh.fileno())  # factcheck writes atomically with an fsync; same work here
    conn.close()
    return count


def export_inprocess(db_path: Path, target: Path) -> int:
    from factcheck.db import open_database
    from factcheck.exchange.csvio import CSV_COLUMNS, write_claims_csv
    from factcheck.exports import atomic_output, claim_rows

    db = open_database(db_path, write=False, user=USER)
    with db.session() as session, atomic_output(target) as out:
        count = write_claims_csv(({k: r[k] for k in CSV_COLUMNS} for r in claim_rows(session)), out)
    db.engine.dispose()
    return count


def import_costs(
    argv: list[str], top: int
) -> tuple[float, list[tuple[str, float]], dict[str, float]]:
    proc = subprocess.run(
        [PY, "-X", "importtime", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env(),
        text=True,
    )
    total = 0.0
    direct: list[tuple[str, float]] = []
    packages: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        self_us, cum_us, name = line[len("import time:") :].split("|", 2)
        total += int(self_us) / 1000
        pkg = name.strip().split(".")[0]
        packages[pkg] = packages.get(pkg, 0.0) + int(self_us) / 1000
        if not name[1:].startswith(" "):
            direct.append((name.strip(), int(cum_us) / 1000))
    direct.sort(key=lambda x: -x[1])
    return total, direct[:top], dict(sorted(packages.items(), key=lambda x: -x[1]))


def profile_cli(argv: list[str], out: Path, top: int = 18) -> str:
    subprocess.run(
        [PY, "-m", "cProfile", "-o", str(out), *argv], check=True, capture_output=True, env=env()
    )
    import io
    import pstats

    buf = io.StringIO()
    stats = pstats.Stats(str(out), stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--import-repeat", type=int, help="runs of the import step (default --repeat)")
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--profile", action="store_true", help="cProfile the import and export CLIs")
    args = ap.parse_args()
    n, repeat = args.claims, args.repeat
    import_repeat = args.import_repeat or repeat
    work = args.workdir or Path(tempfile.mkdtemp(prefix=f"bench-scale-{n}-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"# bench_scale: {n:,} claims, repeat {repeat}, import runs {import_repeat}\n")
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; workdir {work}\n"
    )
    try:
        csv_path = work / "claims.csv"
        gen = write_csv(csv_path, n)
        print(
            f"CSV: {csv_path.stat().st_size / 1e6:,.1f} MB, generated in {gen:.1f} s\n", flush=True
        )

        # 1. import -------------------------------------------------------------------------
        fc_t, fc_rss, raw_t, rawd_t = [], [], [], []
        fc_db, raw_db, rawd_db = work / "fc.db", work / "raw.db", work / "raw-deferred.db"
        for i in range(import_repeat):
            for p in (fc_db, raw_db, rawd_db):
                create_desk(p)
            steps = [
                ("fc", lambda: import_factcheck(fc_db, csv_path)),
                ("raw", lambda: import_raw(raw_db, csv_path, defer_fts=False)),
                ("rawd", lambda: import_raw(rawd_db, csv_path, defer_fts=True)),
            ]
            if i % 2:
                steps.reverse()
            for name, fn in steps:
                got = fn()
                if name == "fc":
                    fc_t.append(got[0])
                    fc_rss.append(got[1])
                elif name == "raw":
                    raw_t.append(got)
                else:
                    rawd_t.append(got)
            print(
                f"  import run {i + 1}: factcheck {fc_t[-1]:.2f} s, raw {raw_t[-1]:.2f} s, "
                f"raw deferred FTS {rawd_t[-1]:.2f} s",
                flush=True,
            )
        same, hits = same_desks(fc_db, raw_db)
        same_d, _ = same_desks(fc_db, rawd_db)
        med = statistics.median
        f, r, rd = med(fc_t), med(raw_t), med(rawd_t)
        print(f"\n## 1. Bulk import of {n:,} claims from CSV (median of {import_repeat})\n")
        print("| method | time | rows/s | factcheck / this (throughput) |")
        print("|---|---|---|---|")
        print(
            f"| raw `executemany`, FTS by per-row trigger (**baseline**) | {r:.2f} s | {n / r:,.0f} | **{r / f:.2f}** |"
        )
        print(
            f"| raw `executemany`, FTS deferred (factcheck's technique) | {rd:.2f} s | {n / rd:,.0f} | {rd / f:.2f} |"
        )
        print(
            f"| `factcheck --db NEW.db import claims.csv` (whole process) | {f:.2f} s | {n / f:,.0f} | 1.00 |"
        )
        print(
            f"\nfactcheck peak RSS (child, ru_maxrss): {max(fc_rss) / 1024:,.0f} MB max, "
            f"{med(fc_rss) / 1024:,.0f} MB median; same rows and FTS hits in all files: "
            f"{same and same_d}; planted-word hits {hits}; file size "
            f"{fc_db.stat().st_size / 2**20:,.0f} MiB (factcheck) / "
            f"{raw_db.stat().st_size / 2**20:,.0f} MiB (raw)\n",
            flush=True,
        )
        for p in (rawd_db,):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{p}{suffix}").unlink(missing_ok=True)

        # 2. review ------------------------------------------------------------------------
        t = time.perf_counter()
        nv = add_verdicts(fc_db, n)
        add_verdicts(raw_db, n)
        print(f"(setup: {nv:,} verdicts added to both files in {time.perf_counter() - t:.1f} s)\n")
        rv = bench_review(fc_db, repeat)
        cli_review = wall(
            [FACTCHECK, "--db", str(fc_db), "review", "--limit", "50"], max(repeat, 5)
        )
        sqlmodel = wall([PY, "-c", "import sqlmodel"], max(repeat, 5))
        print(f"## 2. Review, first page of 50 over {n:,} claims, {nv:,} verdicts\n")
        print("| | raw sqlite3 | factcheck | factcheck / raw |")
        print("|---|---|---|---|")
        print(
            f"| A. open connection/session, `review_rows(ReviewFilter(limit=50))` | {ms(rv['raw'])} | {ms(rv['fc'])} | **{rv['fc'] / rv['raw']:.2f}** |"
        )
        print(
            f"| B. new connection / `db.session()` per call | {ms(rv['raw_new'])} | {ms(rv['fc_new'])} | {rv['fc_new'] / rv['raw_new']:.2f} |"
        )
        print(
            f'| A with `sort="newest"` | {ms(rv["raw_newest"])} | {ms(rv["fc_newest"])} | {rv["fc_newest"] / rv["raw_newest"]:.2f} |'
        )
        print(
            f"| CLI `factcheck --db F review --limit 50` (wall) | | {ms(cli_review)} | {cli_review / sqlmodel:.2f} of `import sqlmodel` ({ms(sqlmodel)}) |"
        )
        print(
            f"\nsame 50 rows both ways: {rv['same']}; rows with a verdict on the page: {rv['verdicts_on_page']}; "
            f"corrected claims on the page: {rv['corrected_on_page']}\n",
            flush=True,
        )

        # 3. search ------------------------------------------------------------------------
        sr = bench_search(fc_db, repeat)
        print(f"## 3. Search, limit 20, over {n:,} claims\n")
        print(
            "| word | hits | raw FTS5 query | `search_claims` | ratio | CLI `factcheck search WORD` (wall) |"
        )
        print("|---|---|---|---|---|---|")
        for row in sr:
            cli = wall([FACTCHECK, "--db", str(fc_db), "search", row["term"]], max(repeat, 3))
            print(
                f"| {row['term']} | {row['hits']:,} | {ms(row['raw'])} | {ms(row['fc'])} | **{row['fc'] / row['raw']:.2f}** | {ms(cli)} |"
            )
        print(f"\nsame rows both ways: {all(x['same'] for x in sr)}\n", flush=True)

        # 4. export ------------------------------------------------------------------------
        out_fc, out_raw, out_in = work / "out.csv", work / "out-raw.csv", work / "out-inproc.csv"
        exp_fc, exp_raw, exp_in = [], [], []
        for i in range(repeat):
            steps = [
                (
                    exp_fc,
                    lambda: wall_once(
                        [FACTCHECK, "--db", str(fc_db), "export", "csv", "-o", str(out_fc)]
                    ),
                ),
                (exp_raw, lambda: timed(lambda: export_raw(fc_db, out_raw))),
                (exp_in, lambda: timed(lambda: export_inprocess(fc_db, out_in))),
            ]
            if i % 2:
                steps.reverse()
            for store, fn in steps:
                store.append(fn())
        identical = out_fc.read_bytes() == out_raw.read_bytes() == out_in.read_bytes()
        e_fc, e_raw, e_in = med(exp_fc), med(exp_raw), med(exp_in)
        print(f"## 4. Export csv of {n:,} claims (median of {repeat})\n")
        print("| method | time | rows/s | raw / this (speed) |")
        print("|---|---|---|---|")
        print(
            f"| raw sqlite3 + csv.writer, in-process (**baseline**) | {ms(e_raw)} | {n / e_raw:,.0f} | 1.00 |"
        )
        print(
            f"| `factcheck --db F export csv -o out.csv` (whole process) | {ms(e_fc)} | {n / e_fc:,.0f} | **{e_raw / e_fc:.2f}** |"
        )
        print(
            f"| factcheck in-process (`claim_rows` + `write_claims_csv`) | {ms(e_in)} | {n / e_in:,.0f} | {e_raw / e_in:.2f} |"
        )
        print(
            f"\nthe three files are byte-identical: {identical}; {out_fc.stat().st_size / 1e6:,.1f} MB\n",
            flush=True,
        )

        # 5. start-up ----------------------------------------------------------------------
        k = max(repeat, 5)
        s_click = wall([PY, "-c", "import click"], k)
        s_help = wall([FACTCHECK, "--help"], k)
        s_pass = wall([PY, "-c", "pass"], k)
        print(f"## 5. Start-up (median of {k} after a warm-up)\n")
        print("| command | wall | ratio |")
        print("|---|---|---|")
        print(f"| `python -c pass` | {ms(s_pass)} | |")
        print(f'| `python -c "import click"` | {ms(s_click)} | 1.00 |')
        print(f"| `factcheck --help` | {ms(s_help)} | **{s_help / s_click:.2f}** of click |")
        print(f'| `python -c "import sqlmodel"` | {ms(sqlmodel)} | 1.00 |')
        print(
            f"| `factcheck --db F review --limit 50` ({n:,} claims) | {ms(cli_review)} | **{cli_review / sqlmodel:.2f}** of sqlmodel |"
        )
        total, direct, packages = import_costs(
            [FACTCHECK, "--db", str(fc_db), "review", "--limit", "50"], 8
        )
        print(
            f"\n`python -X importtime factcheck --db F review --limit 50`: {total:,.0f} ms of imports (one sample)\n"
        )
        print("| direct import | cumulative |")
        print("|---|---|")
        for name, cum in direct:
            print(f"| `{name}` | {cum:,.0f} ms |")
        print(
            "\nself time per package: "
            + ", ".join(f"{p} {v:,.0f} ms" for p, v in list(packages.items())[:8])
        )
        help_total, help_direct, help_pk = import_costs([FACTCHECK, "--help"], 5)
        print(
            f"\n`factcheck --help` imports: {help_total:,.0f} ms; heavy ones present: "
            + (
                ", ".join(
                    p
                    for p in ("sqlalchemy", "sqlmodel", "alembic", "tabulate", "pydantic")
                    if p in help_pk
                )
                or "none of sqlalchemy, sqlmodel, alembic, tabulate, pydantic"
            )
        )

        if args.profile:
            prof_db = work / "prof.db"
            create_desk(prof_db)
            print("\n## cProfile: factcheck import (tottime, top 18)\n```")
            print(
                profile_cli(
                    [FACTCHECK, "--db", str(prof_db), "import", str(csv_path)], work / "import.prof"
                )
            )
            print("```\n## cProfile: factcheck export csv (tottime, top 18)\n```")
            print(
                profile_cli(
                    [FACTCHECK, "--db", str(fc_db), "export", "csv", "-o", str(work / "p.csv")],
                    work / "export.prof",
                )
            )
            print("```")
        print(f"\n(total run time {time.perf_counter() - started:,.0f} s)")
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def wall_once(argv: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env())
    if proc.returncode:
        raise SystemExit(f"{argv} failed: {proc.stderr.decode()[-1000:]}")
    return time.perf_counter() - t


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
