"""`factcheck review`: the desk's table of claims."""

from __future__ import annotations

import click

from factcheck.cli.common import App, emit, output_option, pass_app
from factcheck.formats import DATA_FORMATS

REVIEW_COLUMNS = ("id", "text", "speaker", "status", "verdict", "evidence", "score")
HEADERS = {"evidence": "ev +/-"}


@click.command()
@click.option("--status", help="new, researching, reviewed, published or dismissed.")
@click.option("--verdict", help="Current rating (e.g. false), or 'none' for unrated claims.")
@click.option("--speaker", help="Speaker name or part of it (case-insensitive): bossert.")
@click.option("--source", "source_id", type=int, help="Claims from this source id.")
@click.option("--contains", help="Claims whose text contains this (case-insensitive).")
@click.option("--sort", default="score", show_default=True, help="score, newest, oldest or id.")
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
    sort: str,
    limit: int | None,
    full: bool,
    fmt: str,
) -> None:
    """Print the review table: one row per claim with its current verdict and evidence.

    \b
    Example:
      factcheck review
      factcheck review --status new --speaker "Brad Smith" --format github
      factcheck review --format json
    """
    from factcheck.review import ReviewFilter, review_rows

    db = app.open(write=False)
    flt = ReviewFilter(
        status=status,
        verdict=verdict,
        speaker=speaker,
        source_id=source_id,
        contains=contains,
        sort=sort,
        limit=limit,
    )
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
            filtered = any(
                value is not None for value in (status, verdict, speaker, source_id, contains)
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
        emit(
            rows,
            REVIEW_COLUMNS,
            fmt,
            headers=HEADERS,
            wrap_column="text",
            full=full,
            shorten={"speaker": 20, "verdict": 30},
        )
        return
    columns = (
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
    )
    emit(rows, columns, fmt)


COMMANDS = [review]
