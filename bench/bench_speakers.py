"""Speakers on a large desk: `speaker list` and `review --speaker` against raw SQL.

Run on a desk built by bench_scale.py (`--keep` leaves it in the workdir as fc.db):

    .venv/bin/python bench/bench_scale.py --claims 100000 --repeat 1 --workdir /tmp/b --keep
    .venv/bin/python bench/bench_speakers.py --db /tmp/b/fc.db --repeat 5

Baselines, in the same run:
- the speaker record: one raw GROUP BY of claim speaker and current rating (the SQL that
  speaker_rows runs) without grouping names into speakers;
- review --speaker: the review query's raw SQL filtered by part of a name, as before speakers
  were rows; factcheck also matches every name of the speaker.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from factcheck.db import open_database
from factcheck.review import ReviewFilter, review_rows
from factcheck.speakers import speaker_rows

# The raw baseline writes "current verdict" out by hand: our verdicts (no outside publisher)
# that nothing supersedes, the newest first.
CURRENT_RATING_SQL = (
    "(SELECT l.slug FROM verdict v JOIN rating_label l ON l.id = v.label_id "
    "WHERE v.claim_id = c.id AND v.label_id IN (SELECT ol.id FROM rating_label ol "
    "JOIN rating_scale os ON os.id = ol.scale_id WHERE os.publisher IS NULL) "
    "AND NOT EXISTS (SELECT 1 FROM verdict_supersedes x WHERE x.superseded_id = v.id) "
    "ORDER BY v.created_at DESC, v.id DESC LIMIT 1)"
)
RAW_RECORD = (
    f"SELECT c.speaker, {CURRENT_RATING_SQL} AS rating, count(*) FROM claim c "  # constant
    "WHERE c.speaker IS NOT NULL GROUP BY 1, 2"
)
RAW_REVIEW = (
    f"SELECT c.id, c.text, c.speaker, {CURRENT_RATING_SQL} FROM claim c "  # constant
    "WHERE instr(lower(c.speaker), ?) > 0 ORDER BY c.score DESC, c.id DESC LIMIT 50"
)


def median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    raw = sqlite3.connect(args.db)
    claims = raw.execute("SELECT count(*) FROM claim").fetchone()[0]
    speakers = raw.execute("SELECT count(*) FROM speaker").fetchone()[0]
    name = raw.execute(
        "SELECT speaker FROM claim WHERE speaker IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC"
    ).fetchone()[0]
    db = open_database(args.db, write=False, user="bench")
    with db.session() as session:
        record_raw = median_ms(lambda: raw.execute(RAW_RECORD).fetchall(), args.repeat)
        record_fc = median_ms(lambda: speaker_rows(session), args.repeat)
        term = name.lower()
        review_raw = median_ms(lambda: raw.execute(RAW_REVIEW, (term,)).fetchall(), args.repeat)
        flt = ReviewFilter(speaker=name, limit=50)
        review_fc = median_ms(lambda: review_rows(session, flt), args.repeat)
    db.close()
    raw.close()
    exe = str(Path(sys.executable).with_name("factcheck"))
    cli = median_ms(
        lambda: subprocess.run(
            [exe, "--db", str(args.db), "speaker", "list", "--format", "json"],
            check=True,
            capture_output=True,
        ),
        args.repeat,
    )
    print(f"# bench_speakers: {claims:,} claims, {speakers:,} speakers, repeat {args.repeat}\n")
    print("| | raw sqlite3 | factcheck | factcheck / raw |")
    print("|---|---|---|---|")
    print(
        f"| speaker record (speaker_rows) | {record_raw:,.0f} ms | {record_fc:,.0f} ms | "
        f"**{record_fc / record_raw:.2f}** |"
    )
    print(
        f"| review --speaker {name!r}, 50 rows | {review_raw:,.1f} ms | {review_fc:,.1f} ms | "
        f"**{review_fc / review_raw:.2f}** |"
    )
    print(f"| CLI `factcheck speaker list --format json` (wall) | | {cli:,.0f} ms | |")


if __name__ == "__main__":
    main()
