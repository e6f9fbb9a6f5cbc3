"""factcheck on a PostgreSQL server: every figure a ratio to raw psycopg doing the same work in
the same run.

Usage: nice .venv/bin/python bench/bench_postgres.py --claims N [--repeat 3] [--writers 16]
           [--seconds 30] [--url ADMIN_URL] [--workdir DIR --keep] [--skip-queries]
           [--skip-writers] [--explain] [--backup] [--merge-back ROWS]
Never part of the tests. Starts a throwaway cluster (tests/pg.py: initdb into a temporary
folder, fsync off; with --workdir in DIR/cluster, and with --keep left there, stopped, so
that the next run with the same DIR and N reuses the filled database) unless --url names an
admin URL of a server of yours, makes a database, `factcheck db upgrade`s it, fills it by COPY
with N claims and N verdicts (2% corrected; the non-key indexes are dropped during the COPY and
rebuilt from their own definitions), and prints Markdown tables (bench/postgres.md has the
reading):

1. the first review page and search (a rare, a medium and a common word): factcheck's
   review_rows / search_claims in a process, against raw psycopg running the very SQL and
   parameters factcheck sent (captured from the engine), with dict rows; and the CLI's wall.
2. `claim similar` by id and by --text (lexical: the words, as without the models extra):
   factcheck's similar_claims (and get_claim for the id) against raw psycopg running the SQL
   it sent, in the same table as 1; the CLI with --lexical, and once without it (models extra).
   --explain prints the server's EXPLAIN (ANALYZE, BUFFERS) of every statement of 1 and 2.
3. W writers at once for S seconds (on a copy of the database): W processes each adding claims in a loop through
   factcheck's library (open the server, Database.transaction with add_claim and the similar
   check `claim add` makes, close; as the CLI does, without Python's start-up), against W
   processes each doing connect + INSERT ... RETURNING + commit in a raw psycopg loop; and
   W processes running the `factcheck claim add` command itself in a loop.
4. --backup: `factcheck db backup FIELD.db` of the server (wall and peak RSS of the process,
   /usr/bin/time -v), against a raw copy in a process of its own: psycopg reading every table
   with a server-side cursor into an empty migrated desk file with sqlite3 executemany.
5. --merge-back ROWS: ROWS new claims and ROWS/2 new verdicts on server claims added to the
   field copy through the library, then `factcheck --db SERVER merge FIELD.db` into a copy of
   the database (CREATE DATABASE ... TEMPLATE): wall and peak RSS. Needs `merge` into a
   server (issue 16); reported as not measured when the command refuses. With --keep the
   field copy stays in DIR, so that --merge-back alone later reuses it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
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


# `claim similar`: a claim holding the rare word (its words are otherwise the common ones every
# claim here is made of), and a reader's tip that is in no claim.
def similar_id(n: int) -> int:
    return RARE_EVERY if n >= RARE_EVERY else MEDIUM_EVERY


TIP = "Inflation rose to the highest rate since the last election, the governor said"
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


def say(text: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}, load {load()}] {text}", file=sys.stderr, flush=True)


def fill(url: str, n: int) -> float:
    """N claims, one verdict each, 2% corrected by a second: COPY, as fast as the server goes.

    The indexes that are not keys are dropped for the COPY and rebuilt from their own
    definitions (pg_indexes) after it: one sort per index instead of N insertions each."""
    import psycopg

    rng = random.Random(7)
    start = time.perf_counter()
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with psycopg.connect(url) as conn:
        indexes = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename IN ('claim', 'verdict') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)"
        ).fetchall()
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')  # type: ignore[arg-type]  # safe: from pg_indexes
        say(f"dropped {len(indexes)} indexes for the COPY")
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
                if i % 200_000 == 0:
                    say(f"claims: {i:,} sent")
        say("claims copied")
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
        say("verdicts copied")
        conn.execute(
            "INSERT INTO verdict_supersedes (verdict_id, superseded_id) "
            "SELECT max(id), min(id) FROM verdict GROUP BY claim_id HAVING count(*) = 2"
        )
        conn.execute("SELECT setval(pg_get_serial_sequence('verdict', 'id'), %s)", (vid,))
        conn.execute("SET maintenance_work_mem = '256MB'")
        for name, definition in indexes:
            conn.execute(definition)  # type: ignore[arg-type]  # safe: the server's own text
            say(f"index {name} rebuilt")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
        say("vacuum analyze done")
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


def bench_queries(url: str, repeat: int, n: int, explain: bool = False) -> list[dict[str, Any]]:
    import psycopg

    from factcheck.claims import get_claim
    from factcheck.db import open_database
    from factcheck.review import ReviewFilter, review_rows
    from factcheck.search import search_claims, similar_claims

    def similar_by_id(session: Any, claim_id: int) -> list[dict[str, Any]]:
        text = get_claim(session, claim_id).text  # as `claim similar ID` does
        return similar_claims(session, text, exclude_id=claim_id, limit=10, semantic=False)

    def similar_text(session: Any, text: str) -> list[dict[str, Any]]:
        return similar_claims(session, text, limit=10, semantic=False)

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
    sid = similar_id(n)
    cases += [
        (
            f"claim similar {sid} (lexical)",
            lambda s, sid=sid: similar_by_id(s, sid),
            ["claim", "similar", str(sid), "--lexical"],
        ),
        (
            "claim similar --text (lexical)",
            lambda s: similar_text(s, TIP),
            ["claim", "similar", "--text", TIP, "--lexical"],
        ),
    ]
    with db.session() as session:
        for name, work, argv in cases:
            say(name)
            sent.clear()
            began = time.perf_counter()
            rows = work(session)
            # a query of seconds (at 1M claims) is timed `repeat` times, a quick one 7x more
            calls = max(repeat, 1) * (1 if time.perf_counter() - began > 0.5 else 7)
            queries = [(st, p) for st, p in sent if st.lstrip().upper().startswith("SELECT")]
            t_fc, _ = median_of(lambda work=work: work(session), calls)

            def raw_all(queries: list[tuple[str, Any]] = queries) -> list[list[dict[str, Any]]]:
                return [raw_rows(raw, st, p) for st, p in queries]

            t_raw, raw_result = median_of(raw_all, calls)
            plans = []
            if explain:  # the server's own account of where the time goes
                for st, p in queries:
                    plan = raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + st, p).fetchall()
                    plans.append("\n".join(r[0] for r in plan))
            out.append(
                {
                    "case": name,
                    "rows": len(rows),
                    "queries": len(queries),
                    "fc": t_fc,
                    "raw": t_raw,
                    "raw_rows": len(raw_result[-1]) if raw_result else 0,
                    "cli": wall(url, argv, max(1, repeat)),
                    "load": load(),
                    "plans": plans,
                }
            )
    raw.close()
    db.close()
    return out


def similar_default(url: str, claim_id: int) -> str:
    """`claim similar ID` as a user types it: by meaning too when the models extra is here."""
    argv = ["claim", "similar", str(claim_id)]
    done = run_fc(url, *argv)
    if done.returncode:
        return f"fails on the server: `{done.stderr.strip()[:160]}`"
    took = ms(wall(url, argv, 1))  # (seconds each at 1M: twice, the first not counted)
    return f"`factcheck claim similar {claim_id}` (default matcher): {took}"


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


# --- 4. backup and 5. merge back ----------------------------------------------------------


def measure(cmd: list[str]) -> dict[str, Any]:
    """Wall seconds and peak RSS of cmd's process (/usr/bin/time -v: its own, not ours)."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    took = time.perf_counter() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return {
        "wall": took,
        "peak_mib": int(peak.group(1)) / 1024 if peak else float("nan"),
        "rc": done.returncode,
        "stderr": "\n".join(
            line for line in done.stderr.splitlines() if not line.startswith(("\t", "Command"))
        ),
        "load": load(),
    }


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value


def raw_backup(url: str, empty_desk: str, target: str) -> None:
    """The raw copy: every table the server and a desk file share, every column they share,
    read with a server-side cursor and written with executemany in one transaction."""
    import psycopg

    shutil.copyfile(empty_desk, target)
    out = sqlite3.connect(target, isolation_level=None)
    out.execute("BEGIN")
    names = [
        r[0]
        for r in out.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "AND name NOT LIKE '%fts%' AND name != 'alembic_version' ORDER BY rowid"
        )
    ]
    with psycopg.connect(url, options="-c timezone=UTC") as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        on_server = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT table_name, array_agg(column_name::text) FROM information_schema.columns "
                "WHERE table_schema = current_schema() GROUP BY table_name"
            )
        }
        for name in names:
            if name not in on_server:
                continue
            mine = [r[1] for r in out.execute(f'PRAGMA table_info("{name}")')]
            columns = [c for c in mine if c in on_server[name]]
            listed = ", ".join(f'"{c}"' for c in columns)
            insert = (
                f'INSERT OR IGNORE INTO "{name}" ({listed}) '
                f"VALUES ({', '.join('?' * len(columns))})"
            )
            with conn.cursor(name=f"raw_{name}") as cursor:
                cursor.execute(f'SELECT {listed} FROM "{name}"')  # type: ignore[arg-type]
                while chunk := cursor.fetchmany(5000):
                    out.executemany(insert, [tuple(map(_sqlite_value, row)) for row in chunk])
    out.execute("COMMIT")
    out.close()


def bench_backup(url: str, work: Path) -> tuple[Path, dict[str, Any], dict[str, Any]]:
    empty = work / "empty-desk.db"
    if not empty.exists():
        done = subprocess.run(
            [FACTCHECK, "--db", str(empty), "db", "upgrade"], capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"db upgrade of {empty} failed: {done.stderr}")
    field = work / "field-copy.db"
    raw_target = work / "raw-copy.db"
    for path in (field, raw_target):
        path.unlink(missing_ok=True)
    say("db backup")
    fc = measure([FACTCHECK, "--db", url, "db", "backup", str(field)])
    if fc["rc"]:
        raise SystemExit(f"db backup failed: {fc['stderr'][-800:]}")
    say("raw copy")
    me = str(Path(__file__).resolve())
    raw = measure([sys.executable, me, "--_raw-backup", url, str(empty), str(raw_target)])
    if raw["rc"]:
        raise SystemExit(f"raw copy failed: {raw['stderr'][-800:]}")
    for key, path in (("fc", field), ("raw", raw_target)):
        check = sqlite3.connect(path)
        counts = {
            t: check.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("claim", "verdict")
        }
        check.close()  # (a connection left open would leave a -wal beside a file we remove)
        (fc if key == "fc" else raw)["counts"] = counts
        (fc if key == "fc" else raw)["size_mib"] = path.stat().st_size / 2**20
    raw_target.unlink()
    return field, fc, raw


def edit_field_copy(field: Path, rows: int, work: Path) -> Path:
    """ROWS new claims and ROWS/2 new verdicts on the server's claims, made offline through
    the library, as a checker on the road would with `claim add` and `verdict add`."""
    from factcheck.claims import add_claims_bulk
    from factcheck.db import open_database
    from factcheck.verdicts import record_verdict

    edited = work / "field-edited.db"
    shutil.copyfile(field, edited)
    db = open_database(edited, write=True, user="roadwarrior")

    def work_on(session: Any) -> None:
        add_claims_bulk(
            session,
            [{"text": f"Offline claim {i}: the budget rose {i} percent"} for i in range(rows)],
            user="roadwarrior",
        )
        for claim_id in range(3, 3 + rows // 2):
            record_verdict(session, claim_id, "false", user="roadwarrior")

    db.transaction(work_on)
    db.close()
    return edited


def bench_merge_back(server: Any, name: str, field: Path, rows: int, work: Path) -> dict[str, Any]:
    edited = edit_field_copy(field, rows, work)
    target = f"{name}_merge"
    server.execute(f"DROP DATABASE IF EXISTS {target}")  # safe: ours
    say("copying the database for the merge")
    server.execute(f"CREATE DATABASE {target} TEMPLATE {name}")  # safe: ours
    try:
        say("merge back")
        result = measure([FACTCHECK, "--db", server.url(target), "merge", str(edited)])
        if not result["rc"]:
            import psycopg

            with psycopg.connect(server.url(target)) as conn:
                result["counts"] = {
                    t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[arg-type]
                    for t in ("claim", "verdict")
                }
        return result
    finally:
        server.execute(f"DROP DATABASE IF EXISTS {target}")  # safe: ours
        edited.unlink(missing_ok=True)


# --- main ----------------------------------------------------------------------------------


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def kept_cluster(bin_dir: Path, folder: Path) -> Any:
    """A cluster in folder that outlives the run: made there once, started again later."""
    from tests.pg import _Cluster

    class Kept(_Cluster):
        def __init__(self) -> None:
            super().__init__(bin_dir)
            shutil.rmtree(self.folder, ignore_errors=True)  # the temporary one: we use folder
            self.folder = folder
            self.data = folder / "data"
            self.log = folder / "server.log"
            self.secret = folder / "secret"
            if self.secret.exists():
                self.password = self.secret.read_text().strip()

        def start(self) -> str:
            if not (self.data / "PG_VERSION").exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                url = super().start()
                self.secret.write_text(self.password)
                return url
            self.serve()
            return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/postgres"

        def stop_keeping(self) -> None:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")

    return Kept()


def ready_database(server: Any, name: str, n: int, keep: bool) -> tuple[str, str]:
    """The filled database `name` (reused when a kept one says it holds n claims)."""
    import psycopg

    marker = f"factcheck bench: {n} claims filled"
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        found = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    if keep and found and found[0] == marker:
        say("db upgrade (of the kept database: a newer revision may build its indexes now)")
        began = time.perf_counter()
        _upgrade_db(server.url(name))
        took = time.perf_counter() - began
        return server.url(name), f"reused (filled by an earlier run); db upgrade {took:,.1f} s"
    server.execute(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name} TEMPLATE template0")
    url = server.url(name)
    say("db upgrade")
    _upgrade_db(url)
    took = fill(url, n)
    server.execute(f"COMMENT ON DATABASE {name} IS '{marker}'")  # safe: ours
    return url, f"filled by COPY in {took:,.1f} s"


def _upgrade_db(url: str) -> None:
    done = run_fc(url, "db", "upgrade")
    if done.returncode:
        raise SystemExit(f"db upgrade failed: {done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--url", help="admin URL of a server of yours (default: a throwaway one)")
    parser.add_argument("--workdir", type=Path, help="the cluster and files here (else a temp)")
    parser.add_argument("--keep", action="store_true", help="leave the filled cluster in workdir")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--skip-writers", action="store_true")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each query")
    parser.add_argument("--backup", action="store_true", help="time `db backup` (field copy)")
    parser.add_argument(
        "--merge-back", type=int, default=0, metavar="ROWS", help="and merge it back, ROWS new"
    )
    parser.add_argument("--_raw-backup", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._raw_backup:
        raw_backup(*args._raw_backup)
        return
    if args.keep and not args.workdir:
        parser.error("--keep needs --workdir")

    from tests.pg import PgServer, _Cluster, find_pg_bin

    work = args.workdir or Path(tempfile.mkdtemp(prefix="factcheck-pgbench-"))
    work.mkdir(parents=True, exist_ok=True)
    cluster = None
    if args.url:
        server = PgServer(args.url)
    else:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise SystemExit("no PostgreSQL binaries (initdb): install postgresql or pass --url")
        cluster = kept_cluster(bin_dir, work / "cluster") if args.workdir else _Cluster(bin_dir)
        say("starting the cluster")
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
        name = f"factcheck_bench_{args.claims}" if args.keep else f"factcheck_bench_{os.getpid()}"
        url, how = ready_database(server, name, args.claims, args.keep)
        print(f"{args.claims:,} claims + verdicts: {how}\n", flush=True)
        if not args.skip_queries:
            rows = bench_queries(url, args.repeat, args.claims, args.explain)
            print(
                "| query | rows | statements | raw psycopg, same SQL | factcheck | ratio "
                "| CLI (wall, whole process) | load |"
            )
            print("|---|---|---|---|---|---|---|---|")
            for r in rows:
                print(
                    f"| {r['case']} | {r['rows']} | {r['queries']} | {ms(r['raw'])} | "
                    f"{ms(r['fc'])} | **{r['fc'] / r['raw']:.2f}** | {ms(r['cli'])} | "
                    f"{r['load']} |"
                )
            for r in rows:
                for plan in r["plans"]:
                    print(f"\nEXPLAIN (ANALYZE, BUFFERS), {r['case']}:\n\n```\n{plan}\n```")
            print(
                f"\n{similar_default(url, similar_id(args.claims))} (load {load()})\n",
                flush=True,
            )
        kept_copy = work / f"field-copy-{args.claims}.db"
        if args.backup or (args.merge_back and not kept_copy.exists()):
            field, fc, raw = bench_backup(url, work)
            print("| server to a desk file | wall | peak RSS | file | claims, verdicts | load |")
            print("|---|---|---|---|---|---|")
            for label, m in (
                ("`factcheck db backup FIELD.db`", fc),
                ("raw: psycopg cursor -> sqlite3 executemany, every table", raw),
            ):
                print(
                    f"| {label} | {m['wall']:,.1f} s | {m['peak_mib']:,.0f} MiB | "
                    f"{m['size_mib']:,.0f} MiB | {m['counts']['claim']:,}, "
                    f"{m['counts']['verdict']:,} | {m['load']} |"
                )
            print(
                f"\nratio: wall **{fc['wall'] / raw['wall']:.2f}x**, "
                f"peak RSS **{fc['peak_mib'] / raw['peak_mib']:.2f}x**\n",
                flush=True,
            )
            os.replace(field, kept_copy)  # kept with --keep, for a later --merge-back alone
        elif args.merge_back:
            print(f"merge back from the field copy an earlier run kept ({kept_copy})\n")
        if args.merge_back:
            m = bench_merge_back(server, name, kept_copy, args.merge_back, work)
            if m["rc"]:
                print(f"`merge` back into the server: not measured: `{m['stderr'][-300:]}`\n")
            else:
                print(
                    f"`factcheck --db SERVER merge FIELD.db` ({args.merge_back:,} new claims, "
                    f"{args.merge_back // 2:,} new verdicts): {m['wall']:,.1f} s, peak RSS "
                    f"{m['peak_mib']:,.0f} MiB; claims, verdicts after: "
                    f"{m['counts']['claim']:,}, {m['counts']['verdict']:,} (load {m['load']})\n"
                )
        if not args.keep:
            kept_copy.unlink(missing_ok=True)
        if args.skip_writers:
            return
        copy = f"{name}_writers"
        server.execute(f"DROP DATABASE IF EXISTS {copy}", f"CREATE DATABASE {copy} TEMPLATE {name}")
        try:
            writers_table(server.url(copy), args)
        finally:
            server.execute(f"DROP DATABASE IF EXISTS {copy}")  # safe: ours
    finally:
        if cluster is not None:
            if args.keep:
                cluster.stop_keeping()
            else:
                cluster.stop()
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def writers_table(url: str, args: Any) -> None:
    print(f"load average before the writers: {load()}\n")
    results = {}
    for label, target in (
        ("raw psycopg loop (connect, INSERT ... RETURNING, commit)", _raw_writer),
        ("factcheck library (open, transaction: add_claim; similar check; close)", _fc_writer),
        ("`factcheck claim add` command (whole process)", _cli_writer),
    ):
        say(label)
        done, rate = writers(url, target, args.writers, args.seconds)
        results[label] = rate
        print(f"- {label}: {done:,} claims, load average after {load()}", flush=True)
    raw_rate = next(iter(results.values()))
    print(f"\n| {args.writers} writers x {args.seconds:.0f} s | claims/s | ratio to raw |")
    print("|---|---|---|")
    for label, rate in results.items():
        print(f"| {label} | {rate:,.1f} | **{rate / raw_rate:.3f}** |")


if __name__ == "__main__":
    main()
