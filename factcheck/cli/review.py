"""`factcheck review`: the desk's table of claims."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from factcheck.cli.common import App, emit, output_option, pass_app
from factcheck.formats import DATA_FORMATS

REVIEW_COLUMNS = (
    "id",
    "text",
    "speaker",
    "source_title",
    "status",
    "verdict",
    "evidence",
    "assignee",
    "due_date",
    "score",
)
OPTIONAL = ("source_title", "assignee", "due_date")
HEADERS = {"evidence": "ev +/-", "source_title": "article", "due_date": "due"}


@click.command()
@click.option("--status", help="new, researching, reviewed, published or dismissed.")
@click.option("--verdict", help="Current rating (e.g. false), or 'none' for unrated claims.")
@click.option("--speaker", help="Speaker name or part of it (case-insensitive): bossert.")
@click.option("--source", "source_id", type=int, help="Claims from this source id.")
@click.option("--contains", help="Claims whose text contains this (case-insensitive).")
@click.option("--assignee", help="Claims assigned to this checker (any case); me: you (--as).")
@click.option("--unassigned", is_flag=True, help="Claims nobody is assigned to.")
@click.option("--due-before", help="Claims due before this date.")
@click.option("--tag", "tags", multiple=True, help="Claims with this tag (repeat: all of them).")
@click.option(
    "--since",
    help="Claims made on or after this date (the day added, for a claim with no date).",
)
@click.option("--until", help="Claims made on or before this date (likewise).")
@click.option("--all", "include_all", is_flag=True, help="Show dismissed claims too.")
@click.option(
    "--sort",
    default="score",
    show_default=True,
    help="score, newest, oldest, id, priority (most urgent first) or due (soonest first).",
)
@click.option("--limit", type=int, help="Show at most this many rows.")
@click.option("--full", is_flag=True, help="Do not shorten claim text to the terminal width.")
@output_option()
@pass_app
def review(
    app: App,
    status: str | None,
    verdict: str | None,
    speaker: str | None,
    source_id: int | None,
    contains: str | None,
    assignee: str | None,
    unassigned: bool,
    due_before: str | None,
    tags: tuple[str, ...],
    since: str | None,
    until: str | None,
    include_all: bool,
    sort: str,
    limit: int | None,
    full: bool,
    fmt: str,
) -> None:
    """Print the review table: one row per claim with its current verdict and evidence.

    Dismissed claims are left out unless --status dismissed or --all. Withdrawn evidence is
    not counted.

    \b
    Example:
      factcheck review
      factcheck review --status new --speaker "Brad Smith" --format github
      factcheck review --assignee me --due-before 2026-12-05
      factcheck review --unassigned --sort priority
      factcheck review --tag health --since 2026-11-01 --format json
    """
    from factcheck.review import ReviewFilter, review_chunks, review_rows

    if assignee is not None and unassigned:
        raise click.UsageError("give --assignee NAME or --unassigned, not both")
    db = app.open(write=False)
    if assignee is not None and assignee.strip().lower() == "me":
        assignee = db.user
    flt = ReviewFilter(
        status=status,
        verdict=verdict,
        speaker=speaker,
        source_id=source_id,
        contains=contains,
        sort=sort,
        limit=limit,
        assignee=assignee,
        unassigned=unassigned,
        due_before=due_before,
        tags=tags,
        since=since,
        until=until,
        include_dismissed=include_all,
    )
    if limit is None and fmt in ("csv", "jsonl"):
        # Every claim, line by line: printed a chunk at a time as it is read, the same bytes
        # as the whole list printed at once (tables and JSON need every row first).
        with db.session() as session:
            _stream(review_chunks(session, flt), fmt)
        return
    with db.session() as session:
        rows = review_rows(session, flt)
    if fmt not in DATA_FORMATS:
        for row in rows:
            row["evidence"] = f"{row['evidence_count']} ({row['supports']}/{row['refutes']})"
            if row["conflict"]:
                row["verdict"] = f"CONFLICT: {row['verdict']}?"
            elif row["verdict"] is None and row["checked_by"]:
                row["verdict"] = f"({row['checked_by']})"  # theirs, not ours
            if row["needs_update"]:
                row["status"] = "needs update"  # published, with a newer verdict since
        if not rows:
            filtered = unassigned or include_all or bool(tags)
            filtered = filtered or any(
                value is not None
                for value in (status, verdict, speaker, source_id, contains, assignee)
                + (due_before, since, until)
            )
            if filtered:
                click.echo("No claims match these filters.", err=True)
            else:
                click.echo(
                    'The desk has no claims yet. Add one with `factcheck claim add "..."` or '
                    "import an article with `factcheck import FILE`.",
                    err=True,
                )
            return
        # The desk's own columns only when some row has a value: a desk that does not assign
        # claims keeps the room for their text.
        shown = [c for c in REVIEW_COLUMNS if c not in OPTIONAL or any(r[c] for r in rows)]
        emit(
            rows,
            shown,
            fmt,
            headers=HEADERS,
            wrap_column="text",
            full=full,
            shorten={"speaker": 20, "verdict": 30, "source_title": 24, "assignee": 16},
        )
        return
    if fmt == "csv":
        rows = [dict(row, tags=", ".join(row["tags"])) for row in rows]
    emit(rows, DATA_COLUMNS, fmt)


def _stream(chunks: Iterator[list[dict[str, Any]]], fmt: str) -> None:
    from factcheck.render import render_rows

    if fmt == "csv":
        header = render_rows([], DATA_COLUMNS, fmt)
        click.echo(header)
    for rows in chunks:
        if fmt == "csv":
            rows = [dict(row, tags=", ".join(row["tags"])) for row in rows]
            # the rows without the header line (column names hold no line break)
            click.echo(render_rows(rows, DATA_COLUMNS, fmt)[len(header) + 1 :])
        elif rows:
            click.echo(render_rows(rows, DATA_COLUMNS, fmt))


DATA_COLUMNS = (
    "id",
    "uuid",
    "text",
    "speaker",
    "status",
    "verdict",
    "conflict",
    "needs_update",
    "checked_by",
    "evidence_count",
    "supports",
    "refutes",
    "score",
    "source_id",
    "char_start",
    "char_end",
    "source_title",
    "assignee",
    "due_date",
    "priority",
    "tags",
)


COMMANDS = [review]
