"""Benchmark `factcheck merge` of two desks of N claims each, half of them shared.

Run: .venv/bin/python bench/bench_merge.py [--claims 100000] [--repeat 3] [--profile]
Prints a Markdown report. bench/merge.md is its output for two sizes plus a reading.
Never part of the test run.

1. A base desk of N/2 claims (add_claims_bulk; 1/4 with a verdict, 1/4 with an evidence link
   to a source) is copied (VACUUM INTO, as `factcheck db backup` does) to A and B; each then
   gets N/2 new claims (same proportions of verdicts and evidence, plus new sources), new
   verdicts on N/200 of the *same* shared claims on both sides (each superseding the base
   verdict where there was one, so the merge yields conflicts), verdicts on N/200 other shared
   claims per side, and 300 edit_claim edits per side, 100 of them on the same claims (field
   conflicts).
2. `factcheck --db A merge B` runs as a subprocess on a fresh copy of A, --repeat times; wall
   time and peak RSS (getrusage(RUSAGE_CHILDREN).ru_maxrss in a fresh wrapper process).
3. Raw sqlite3 baseline, same wrapper: ATTACH B to a copy of A and INSERT ... SELECT ... WHERE
   uuid NOT IN (...) for source, claim, evidence, verdict, verdict_supersedes and change, ids
   remapped through uuid joins, one transaction. Ratio = merge wall / raw wall.
4. Rows added per table (counts before/after), identical between merge and raw, and the merged
   claim count, which must be 1.5 * N.
With --profile, also a phase breakdown (time, peak RSS) and cProfile of the in-process merge.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

# The same synthetic claims as the core benchmark (bench/ is on sys.path when run as a script).
from bench_core import FACTCHECK_EXE, SPEAKERS, START, STATUSES, WORDS  # noqa: E402

STANCES = ("supports", "refutes", "context")
IMPORT_FLOOR = "import factcheck.cli, factcheck.cli.exchange, factcheck.merge, factcheck.db"
TABLES = ("source", "claim", "evidence", "verdict", "verdict_supersedes", "change")
EDITS_PER_SIDE = 300
SHARED_EDITS = 100


def sqlite_datetime(value: datetime) -> str:
    # How SQLAlchemy's SQLite DateTime stores a value: no offset, microseconds always.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def rand_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# --------------------------------------------------------------------------- building desks


def _claim_rows(n: int, rng: random.Random, t0: float, source_ids: list[int]) -> list[dict]:
    rows = []
    for i in range(n):
        text = " ".join(rng.choices(WORDS, k=34)).capitalize()[:200] + "."
        rows.append(
            {
                "uuid": rand_uuid(rng),
                "text": text,
                "speaker": rng.choice(SPEAKERS),
                "speaker_kind": rng.choice(("direct_quote", "reported", "narration")),
                "source_id": rng.choice(source_ids) if i % 3 == 0 else None,
                "score": None if i % 10 == 0 else round(rng.random(), 6),
                "score_model": "bench",
                "status": rng.choice(STATUSES),
                "claim_date": date(2024, 1, 1) + timedelta(days=i % 365),
                "created_at": START + timedelta(seconds=t0 + i),
            }
        )
    return rows


def _add_sources(raw: Any, n: int, rng: random.Random, t0: float, user: str) -> list[int]:
    before = raw.execute("SELECT coalesce(max(id), 0) FROM source").fetchone()[0]
    kinds = ("article", "report", "statement", "dataset", "other")
    raw.executemany(
        "INSERT INTO source (uuid, kind, url, title, publisher, author, published_on, "
        "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                rand_uuid(rng),
                rng.choice(kinds),
                f"https://news.example/{user}/{int(t0) + i}",
                f"Report {int(t0) + i} on figures",
                "Example News",
                rng.choice(SPEAKERS),
                (date(2024, 1, 1) + timedelta(days=i % 365)).isoformat(),
                sqlite_datetime(START + timedelta(seconds=t0 + i)),
                user,
            )
            for i in range(n)
        ],
    )
    return [r[0] for r in raw.execute("SELECT id FROM source WHERE id > ?", (before,))]


def _add_evidence(raw: Any, claim_ids: list[int], source_ids: list[int], rng, t0, user) -> None:
    raw.executemany(
        "INSERT INTO evidence (uuid, claim_id, source_id, stance, excerpt, note, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                rand_uuid(rng),
                cid,
                rng.choice(source_ids),
                rng.choice(STANCES),
                " ".join(rng.choices(WORDS, k=12)),
                None,
                sqlite_datetime(START + timedelta(seconds=t0 + i + 0.25)),
                user,
            )
            for i, cid in enumerate(claim_ids)
        ],
    )


def _add_verdicts(raw: Any, claim_ids: list[int], label_ids: list[int], rng, t0, user) -> None:
    """One verdict per claim; it supersedes the claim's current verdicts, as `verdict add`
    does, so one side alone never has a conflict."""
    current: dict[int, list[int]] = {}
    rows = raw.execute(
        "SELECT v.claim_id, v.id FROM verdict v WHERE NOT EXISTS "
        "(SELECT 1 FROM verdict_supersedes x WHERE x.superseded_id = v.id)"
    ).fetchall()
    for claim_id, verdict_id in rows:
        current.setdefault(claim_id, []).append(verdict_id)
    before = raw.execute("SELECT coalesce(max(id), 0) FROM verdict").fetchone()[0]
    raw.executemany(
        "INSERT INTO verdict (uuid, claim_id, label_id, rationale, reviewer, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                rand_uuid(rng),
                cid,
                rng.choice(label_ids),
                " ".join(rng.choices(WORDS, k=20)),
                user,
                sqlite_datetime(START + timedelta(seconds=t0 + i + 0.5)),
                user,
            )
            for i, cid in enumerate(claim_ids)
        ],
    )
    new = raw.execute("SELECT id, claim_id FROM verdict WHERE id > ?", (before,)).fetchall()
    links = [(vid, old) for vid, cid in new for old in current.get(cid, [])]
    raw.executemany(
        "INSERT INTO verdict_supersedes (verdict_id, superseded_id) VALUES (?, ?)", links
    )


def _fill(
    path: Path, *, user: str, seed: int, n_claims: int, t0: float, verdicts_on=(), edits=()
) -> None:
    """Add n_claims claims (1/4 verdict, 1/4 evidence) and sources to the desk at path, plus
    verdicts on the given existing claims and edits [(claim_id, field, value)]."""
    from factcheck.claims import add_claims_bulk, edit_claim
    from factcheck.db import open_database

    rng = random.Random(seed)
    db = open_database(path, write=True, user=user)
    try:
        with db.session() as session:
            raw = session.connection().connection.dbapi_connection
            label_ids = [
                r[0]
                for r in raw.execute(
                    "SELECT l.id FROM rating_label l JOIN rating_scale s ON s.id = l.scale_id "
                    "WHERE s.name = 'politifact'"
                )
            ]
            source_ids = _add_sources(raw, max(10, n_claims // 20), rng, t0, user)
            last = raw.execute("SELECT coalesce(max(id), 0) FROM claim").fetchone()[0]
            add_claims_bulk(session, _claim_rows(n_claims, rng, t0, source_ids), user=user)
            new_ids = [r[0] for r in raw.execute("SELECT id FROM claim WHERE id > ?", (last,))]
            _add_evidence(raw, new_ids[1::4], source_ids, rng, t0, user)
            _add_verdicts(raw, new_ids[2::4], label_ids, rng, t0, user)
            if verdicts_on:
                _add_verdicts(raw, list(verdicts_on), label_ids, rng, t0 + n_claims, user)
            for claim_id, field, value in edits:
                edit_claim(session, claim_id, {field: value}, user=user)
    finally:
        db.close()


def build_desks(work: Path, n: int) -> tuple[Path, Path, dict[str, Any]]:
    from factcheck.db import open_database
    from factcheck.sqlite import backup_file

    half = n // 2
    base, a, b = work / "base.db", work / "a.db", work / "b.db"
    t = time.perf_counter()
    open_database(base, write=True, user="base").close()
    _fill(base, user="base", seed=1, n_claims=half, t0=0)
    backup_file(base, a)
    backup_file(base, b)
    rng = random.Random(2)
    shared = list(range(1, half + 1))  # base claim ids; equal in A and B (copies)
    picked = rng.sample(shared, 3 * (n // 200) + 2 * EDITS_PER_SIDE)
    k = n // 200
    both, only_a, only_b = picked[:k], picked[k : 2 * k], picked[2 * k : 3 * k]
    rest = picked[3 * k :]
    common = rest[:SHARED_EDITS]
    edits_a = common + rest[SHARED_EDITS:EDITS_PER_SIDE]
    edits_b = common + rest[EDITS_PER_SIDE : 2 * EDITS_PER_SIDE - SHARED_EDITS]

    def edit_list(ids: list[int], who: str) -> list[tuple[int, str, str]]:
        return [
            (cid, "text" if i % 2 else "speaker", f"Edited by {who}: claim {cid} #{i}")
            for i, cid in enumerate(ids)
        ]

    _fill(
        a,
        user="alice",
        seed=3,
        n_claims=half,
        t0=2 * n,
        verdicts_on=both + only_a,
        edits=edit_list(edits_a, "alice"),
    )
    _fill(
        b,
        user="bob",
        seed=4,
        n_claims=half,
        t0=2 * n + 0.1,
        verdicts_on=both + only_b,
        edits=edit_list(edits_b, "bob"),
    )
    for p in (base, a, b):
        settle(p)
    info = {
        "build_s": time.perf_counter() - t,
        "conflict_claims": k,
        "one_side_verdicts": k,
        "edits_per_side": EDITS_PER_SIDE,
        "edits_on_same_claims": SHARED_EDITS,
        "size_a_mib": a.stat().st_size / 2**20,
        "size_b_mib": b.stat().st_size / 2**20,
        "counts_a": table_counts(a),
        "counts_b": table_counts(b),
    }
    return a, b, info


def settle(path: Path) -> None:
    """Checkpoint and close, so the .db file alone holds everything (safe to copy)."""
    conn = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=rw", uri=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0, f"{path} still has a WAL"


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


# --------------------------------------------------------------------------- raw baseline

RAW_MERGE_SQL = [
    """INSERT INTO main.source (uuid, kind, url, title, publisher, author, published_on,
         full_text, content_hash, created_at, created_by)
       SELECT uuid, kind, url, title, publisher, author, published_on, full_text, content_hash,
         created_at, created_by
       FROM b.source WHERE uuid NOT IN (SELECT uuid FROM main.source)""",
    """INSERT INTO main.claim (uuid, text, summary, speaker, speaker_kind, cites, source_id,
         char_start, char_end, score, score_model, status, claim_date, created_at, created_by)
       SELECT c.uuid, c.text, c.summary, c.speaker, c.speaker_kind, c.cites, ms.id,
         c.char_start, c.char_end, c.score, c.score_model, c.status, c.claim_date,
         c.created_at, c.created_by
       FROM b.claim c
       LEFT JOIN b.source bs ON bs.id = c.source_id
       LEFT JOIN main.source ms ON ms.uuid = bs.uuid
       WHERE c.uuid NOT IN (SELECT uuid FROM main.claim)""",
    """INSERT INTO main.evidence (uuid, claim_id, source_id, stance, excerpt, note, created_at,
         created_by)
       SELECT e.uuid, mc.id, ms.id, e.stance, e.excerpt, e.note, e.created_at, e.created_by
       FROM b.evidence e
       JOIN b.claim bc ON bc.id = e.claim_id JOIN main.claim mc ON mc.uuid = bc.uuid
       JOIN b.source bs ON bs.id = e.source_id JOIN main.source ms ON ms.uuid = bs.uuid
       WHERE e.uuid NOT IN (SELECT uuid FROM main.evidence)""",
    """INSERT INTO main.verdict (uuid, claim_id, label_id, rationale, reviewer, created_at,
         created_by)
       SELECT v.uuid, mc.id, ml.id, v.rationale, v.reviewer, v.created_at, v.created_by
       FROM b.verdict v
       JOIN b.claim bc ON bc.id = v.claim_id JOIN main.claim mc ON mc.uuid = bc.uuid
       JOIN b.rating_label bl ON bl.id = v.label_id
       JOIN main.rating_label ml ON ml.uuid = bl.uuid
       WHERE v.uuid NOT IN (SELECT uuid FROM main.verdict)""",
    """INSERT INTO main.verdict_supersedes (verdict_id, superseded_id)
       SELECT mv.id, mo.id
       FROM b.verdict_supersedes x
       JOIN b.verdict bv ON bv.id = x.verdict_id JOIN main.verdict mv ON mv.uuid = bv.uuid
       JOIN b.verdict bo ON bo.id = x.superseded_id JOIN main.verdict mo ON mo.uuid = bo.uuid
       WHERE NOT EXISTS (SELECT 1 FROM main.verdict_supersedes y
                         WHERE y.verdict_id = mv.id AND y.superseded_id = mo.id)""",
    """INSERT INTO main.change (uuid, entity, entity_uuid, field, old_value, new_value,
         created_at, created_by)
       SELECT uuid, entity, entity_uuid, field, old_value, new_value, created_at, created_by
       FROM b.change WHERE uuid NOT IN (SELECT uuid FROM main.change)""",
]


def raw_merge(a: Path, b: Path) -> float:
    """The essential work of a merge in plain SQL; returns its in-process seconds."""
    start = time.perf_counter()
    conn = sqlite3.connect(f"file:{a.resolve().as_posix()}?mode=rw", uri=True)
    conn.isolation_level = None
    conn.execute("PRAGMA foreign_keys = ON")  # as factcheck does
    conn.execute("ATTACH DATABASE ? AS b", (f"file:{b.resolve().as_posix()}?mode=ro",))
    conn.execute("BEGIN IMMEDIATE")
    for statement in RAW_MERGE_SQL:
        conn.execute(statement)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - start


# --------------------------------------------------------------------------- measuring


def measure(cmd: list[str]) -> dict[str, Any]:
    """Run cmd in a fresh wrapper process: wall seconds and the child's own peak RSS."""
    wrapper = [sys.executable, str(Path(__file__).resolve()), "--_measure", "--", *cmd]
    out = subprocess.run(wrapper, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _measure_main(cmd: list[str]) -> None:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall": wall,
                "maxrss_mib": usage.ru_maxrss / 1024,  # KiB on Linux
                "rc": proc.returncode,
                "stdout": proc.stdout,
                "stderr": proc.stderr,
            }
        )
    )


def fresh_copy(src: Path, dst: Path) -> Path:
    for p in (dst, Path(f"{dst}-wal"), Path(f"{dst}-shm")):
        p.unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst


def run_merges(a: Path, b: Path, work: Path, n: int, repeat: int) -> dict[str, Any]:
    before = table_counts(a)
    res: dict[str, Any] = {"merge": [], "raw": [], "raw_inproc": [], "startup": []}
    added: dict[str, dict[str, int]] = {}
    merged_claims: dict[str, list[int]] = {"merge": [], "raw": []}
    env_cmd = [str(FACTCHECK_EXE)]
    for i in range(repeat):
        # merge: the exact CLI command on a fresh copy of A
        target = fresh_copy(a, work / "merge-target.db")
        m = measure([*env_cmd, "--db", str(target), "merge", str(b)])
        if m["rc"] != 0:
            raise SystemExit(f"merge failed: {m['stderr']}")
        res["merge"].append(m)
        after = table_counts(target)
        added["merge"] = {t: after[t] - before[t] for t in TABLES}
        merged_claims["merge"].append(after["claim"])
        if i == 0:
            res["merge_stdout"] = m["stdout"]
            res["merge_stderr"] = m["stderr"].splitlines()
        # raw baseline in a fresh process too
        target = fresh_copy(a, work / "raw-target.db")
        r = measure([sys.executable, str(Path(__file__).resolve()), "--_raw", str(target), str(b)])
        if r["rc"] != 0:
            raise SystemExit(f"raw merge failed: {r['stderr']}")
        res["raw"].append(r)
        res["raw_inproc"].append(float(r["stdout"].strip().splitlines()[-1]))
        after = table_counts(target)
        added["raw"] = {t: after[t] - before[t] for t in TABLES}
        merged_claims["raw"].append(after["claim"])
        # import floor: a process that only imports what `merge` needs
        res["startup"].append(measure([sys.executable, "-c", IMPORT_FLOOR]))
    res["added"] = added
    res["merged_claims"] = merged_claims
    res["expected_claims"] = n + n // 2
    return res


# --------------------------------------------------------------------------- in-process profile


def _phases_main(a: Path, b: Path) -> None:
    """Merge in-process, timing each step of merge_snapshot and the peak RSS after it."""
    t0 = time.perf_counter()
    import factcheck.merge as merge
    import factcheck.sqlite as fsqlite
    from factcheck.db import open_database

    phases: list[tuple[str, float, tuple[float, float]]] = []

    def rss() -> tuple[float, float]:
        """(current RSS, peak RSS) in MiB."""
        current = 0.0
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
        return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    phases.append(("import factcheck.merge, db", time.perf_counter() - t0, rss()))

    def wrap(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            s = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                shown = f"{label} {args[1].name}" if name in PER_TABLE else label
                phases.append((shown, time.perf_counter() - s, rss()))

        setattr(owner, name, timed)

    PER_TABLE = ("validate", "check_immutable", "insert", "apply_history")
    sql_merge = merge._SqlMerge
    wrap(fsqlite, "integrity_problems_raw", "PRAGMA quick_check (other file)")
    wrap(merge, "_attach", "ATTACH the other file")
    for method in PER_TABLE:
        wrap(sql_merge, method, method)
    wrap(sql_merge, "field_conflicts", "field_conflicts")
    wrap(sql_merge, "conflicted_claims", "conflicted_claims")
    wrap(sql_merge, "temp_table", "temp_table (claims with new verdicts / rows with new edits)")
    s = time.perf_counter()
    other = merge.read_other_file(b)
    phases.append(("read_other_file (total)", time.perf_counter() - s, rss()))
    db = open_database(a, write=True, user="bench")
    s = time.perf_counter()
    with db.session() as session:
        merge.merge_snapshot(session, other, str(b))
        phases.append(("merge_snapshot (total)", time.perf_counter() - s, rss()))
        c = time.perf_counter()
    phases.append(("commit (flush + COMMIT)", time.perf_counter() - c, rss()))
    db.close()
    phases.append(("whole (after imports)", time.perf_counter() - t0, rss()))
    print(json.dumps(phases))


def _profile_main(a: Path, b: Path, top: int) -> None:
    import factcheck.merge as merge
    from factcheck.db import open_database

    prof = cProfile.Profile()
    prof.enable()
    other = merge.read_other_file(b)
    db = open_database(a, write=True, user="bench")
    with db.session() as session:
        merge.merge_snapshot(session, other, str(b))
    db.close()
    prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (filename, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        short = filename.replace(str(Path.cwd()) + "/", "")
        if "site-packages/" in short:
            short = short.split("site-packages/")[1]
        rows.append({"func": f"{short}:{line}({func})", "ncalls": nc, "tottime": tt, "cumtime": ct})
    total = stats.total_tt  # type: ignore[attr-defined]
    by_cum = sorted(rows, key=lambda r: -r["cumtime"])
    by_tot = sorted(rows, key=lambda r: -r["tottime"])
    print(json.dumps({"total": total, "cum": by_cum[: top * 3], "tot": by_tot[:top]}))


def run_phases(a: Path, b: Path, work: Path) -> dict[str, Any]:
    """Each in a fresh wrapper process: Linux carries ru_maxrss across fork+exec, so a child
    of this (large) process would report our peak, not its own."""
    me = str(Path(__file__).resolve())
    target = fresh_copy(a, work / "phase-target.db")
    m = measure([sys.executable, me, "--_phases", str(target), str(b)])
    phases = json.loads(m["stdout"].strip().splitlines()[-1])
    target = fresh_copy(a, work / "profile-target.db")
    m = measure([sys.executable, me, "--_profile", str(target), str(b)])
    return {"phases": phases, "profile": json.loads(m["stdout"].strip().splitlines()[-1])}


# --------------------------------------------------------------------------- report


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def med(values: list[float]) -> float:
    return statistics.median(values)


def runs(measured: list[dict[str, Any]]) -> str:
    return ", ".join(f"{m['wall']:.2f}" for m in measured)


def report(
    n: int, repeat: int, info: dict[str, Any], res: dict[str, Any], prof: dict[str, Any] | None
) -> str:
    out = io.StringIO()
    w = out.write
    merge_wall = med([m["wall"] for m in res["merge"]])
    raw_wall = med([m["wall"] for m in res["raw"]])
    raw_in = med(res["raw_inproc"])
    start_wall = med([m["wall"] for m in res["startup"]])
    merge_rss = max(m["maxrss_mib"] for m in res["merge"])
    raw_rss = max(m["maxrss_mib"] for m in res["raw"])
    start_rss = max(m["maxrss_mib"] for m in res["startup"])
    w(f"## N = {n:,} claims per desk ({n // 2:,} shared), --repeat {repeat}\n\n")
    w(f"Machine: {machine()}\n\n")
    w(
        f"Desks: A {info['size_a_mib']:.1f} MiB, B {info['size_b_mib']:.1f} MiB "
        f"(built in {info['build_s']:.1f} s). Each side: {info['conflict_claims']} verdicts on "
        f"the same shared claims (conflicts), {info['one_side_verdicts']} on other shared claims, "
        f"{info['edits_per_side']} edits ({info['edits_on_same_claims']} on claims edited on "
        "both sides).\n\n"
    )
    w("| table | rows in A | rows in B |\n|---|---|---|\n")
    for t in TABLES:
        w(f"| {t} | {info['counts_a'][t]:,} | {info['counts_b'][t]:,} |\n")
    w("\n| run | wall (median) | runs | peak RSS (max) | ratio to raw |\n|---|---|---|---|---|\n")
    w(
        f"| `factcheck --db A merge B` | {merge_wall:.2f} s | "
        f"{runs(res['merge'])} | {merge_rss:.0f} MiB | "
        f"**{merge_wall / raw_wall:.1f}x** |\n"
    )
    w(
        f"| raw sqlite3 ATTACH + INSERT...SELECT (process) | {raw_wall:.2f} s | "
        f"{runs(res['raw'])} | {raw_rss:.0f} MiB | 1.0 |\n"
    )
    w(f"| raw sqlite3, in-process time only | {raw_in:.2f} s | | | |\n")
    w(
        f"| `python -c '{IMPORT_FLOOR}'` (import floor) | {start_wall:.2f} s | | "
        f"{start_rss:.0f} MiB | |\n"
    )
    w(
        f"\nMerge minus import floor: {merge_wall - start_wall:.2f} s, "
        f"{(merge_wall - start_wall) / raw_in:.1f}x the raw in-process time.\n\n"
    )
    w("| rows added | merge | raw |\n|---|---|---|\n")
    for t in TABLES:
        w(f"| {t} | {res['added']['merge'][t]:,} | {res['added']['raw'][t]:,} |\n")
    ok_m = all(c == res["expected_claims"] for c in res["merged_claims"]["merge"])
    ok_r = all(c == res["expected_claims"] for c in res["merged_claims"]["raw"])
    w(
        f"\nMerged claim count: merge {res['merged_claims']['merge']}, raw "
        f"{res['merged_claims']['raw']}; expected 1.5*N = {res['expected_claims']:,}: "
        f"{'OK' if ok_m and ok_r else 'MISMATCH'}\n\n"
    )
    err = res["merge_stderr"]
    conflicts = sum(1 for line in err if line.startswith("conflict:"))
    edited = sum(1 for line in err if line.startswith("edited on both sides:"))
    w("Output of the first merge (stdout):\n\n```\n" + res["merge_stdout"].rstrip() + "\n```\n\n")
    w(
        f"stderr: {conflicts} `conflict:` lines (expected {info['conflict_claims']}), {edited} "
        f"`edited on both sides:` lines (expected {info['edits_on_same_claims']}), "
        f"{len(err) - conflicts - edited} other lines.\n\n"
    )
    if prof:
        w("### Phases (in-process on a fresh copy of A; nested steps are listed before the step ")
        w("that contains them)\n\n")
        w("| step | seconds | RSS after | peak RSS after |\n|---|---|---|---|\n")
        for label, secs, (now, peak) in prof["phases"]:
            w(f"| {label} | {secs:.3f} | {now:.0f} MiB | {peak:.0f} MiB |\n")
        p = prof["profile"]
        w(
            f"\n### cProfile, in-process merge (total {p['total']:.2f} s), top by cumulative time\n\n"
        )
        w("| ncalls | tottime | cumtime | function |\n|---|---|---|---|\n")
        for r in p["cum"][:10]:
            w(f"| {r['ncalls']} | {r['tottime']:.3f} | {r['cumtime']:.3f} | `{r['func']}` |\n")
        w("\nTop by own time:\n\n| ncalls | tottime | cumtime | function |\n|---|---|---|---|\n")
        for r in p["tot"]:
            w(f"| {r['ncalls']} | {r['tottime']:.3f} | {r['cumtime']:.3f} | `{r['func']}` |\n")
    return out.getvalue()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--_measure":
        return _measure_main(sys.argv[3:])
    if len(sys.argv) > 1 and sys.argv[1] == "--_raw":
        print(raw_merge(Path(sys.argv[2]), Path(sys.argv[3])))
        return None
    if len(sys.argv) > 1 and sys.argv[1] == "--_phases":
        return _phases_main(Path(sys.argv[2]), Path(sys.argv[3]))
    if len(sys.argv) > 1 and sys.argv[1] == "--_profile":
        return _profile_main(Path(sys.argv[2]), Path(sys.argv[3]), 10)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--claims", type=int, default=100_000, help="claims per desk (N, at least 2000)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="phases and cProfile too")
    parser.add_argument("--keep", type=Path, help="build the desks in this folder and keep them")
    args = parser.parse_args()
    if args.claims < 2000:
        parser.error("--claims must be at least 2000 (the base desk holds 600 edited claims)")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        work = args.keep
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="bench-merge-")
        work = Path(cleanup.name)
    try:
        for p in work.glob("*.db*"):
            p.unlink()
        a, b, info = build_desks(work, args.claims)
        res = run_merges(a, b, work, args.claims, args.repeat)
        prof = run_phases(a, b, work) if args.profile else None
        print(report(args.claims, args.repeat, info, res, prof))
    finally:
        if cleanup:
            cleanup.cleanup()
    return None


if __name__ == "__main__":
    main()
