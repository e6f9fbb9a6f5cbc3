"""`factcheck import` (an article into the desk) and `factcheck extract` (preview, no database)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from factcheck.db import Database
    from factcheck.textfiles import PageMetadata

from factcheck.cli.common import App, emit, output_option, parse_date_option, progress


def _model_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--model",
        "model_choice",
        type=click.Choice(["auto", "linear", "transformer"]),
        help="Check-worthiness model: transformer (the models extra), linear (pure Python); "
        "default auto: the transformer when the extra is installed "
        "(or $FACTCHECK_CHECKWORTHY_MODEL).",
    )(func)


def _scorer(choice: str | None) -> Any:
    from factcheck.embedding import ExtraMissing
    from factcheck.extract.checkworthy import load_scorer

    try:
        return load_scorer(choice)
    except (ExtraMissing, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


def _read(path: str) -> tuple[str, str, bool]:
    from factcheck.textfiles import MAX_ARTICLE_BYTES, read_article

    # One byte over the limit is enough to refuse; never read an endless pipe whole.
    stdin = sys.stdin.buffer
    stdin_data = stdin.read(MAX_ARTICLE_BYTES + 1) if path == "-" else None
    return read_article(path, stdin_data)


def _article_text(path: str) -> tuple[str, str, PageMetadata]:
    """(name, plain text, what the page says about itself) of a text file, stdin, or a saved
    HTML page; the title falls back to one made from the file name."""
    from factcheck.textfiles import PageMetadata, read_html, title_from_filename

    name, text, is_html = _read(path)
    metadata = PageMetadata()
    if is_html:
        _title, text, metadata = read_html(text)
    if metadata.title is None:
        metadata = replace(metadata, title=title_from_filename(name))
    return name, text, metadata


def _page_value(check: Callable[[str], Any], value: str | None) -> Any:
    """A value the page gives about itself, if it passes the rule a user's value would; a
    page's own bad metadata is dropped, not an error."""
    from factcheck.errors import InvalidInput

    if not value:
        return None
    try:
        return check(value)
    except InvalidInput:
        return None


@click.command(name="import")
@click.argument("file", metavar="FILE")
@click.option("--url", help="Where the article was published (http/https).")
@click.option("--publisher", help="The outlet that published it.")
@click.option("--author", help="The article's author.")
@click.option(
    "--date", "published", help="Publication date: 2017-05-14, 2017-05, 2017 or 14 May 2017."
)
@click.option("--title", help="Title, if the first line of the file is not it.")
@click.option("--all", "take_all", is_flag=True, help="Make every body sentence a claim.")
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    help="Make sentences scoring at least this a claim (default: the model's threshold).",
)
@_model_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: print what was imported (source id, claim ids) on stdout, for scripts.",
)
@click.pass_context
def import_cmd(
    ctx: click.Context,
    file: str,
    url: str | None,
    publisher: str | None,
    author: str | None,
    published: str | None,
    title: str | None,
    take_all: bool,
    min_score: float | None,
    model_choice: str | None,
    fmt: str,
) -> None:
    """Import an article and extract its claims; or a claims sheet (.csv) or ClaimReviews (.jsonld).

    An article is a text file, a saved web page (.html), or - for stdin.

    Check-worthy sentences become claims (the model's threshold); --min-score or --all take
    more. The full text is stored with the source, so every claim points at its exact place.

    \b
    Example:
      factcheck import seeds/wannacry-attribution.txt --date 2017-12-19
      cat article.txt | factcheck import - --url https://example.org/story
    """
    app = ctx.find_object(App)
    assert app is not None
    suffix = Path(file).suffix.lower()
    if suffix in (".csv", ".jsonld", ".json"):
        given = [
            name
            for name, value in (
                ("--url", url),
                ("--publisher", publisher),
                ("--author", author),
                ("--date", published),
                ("--title", title),
                ("--all", take_all or None),
                ("--min-score", min_score),
                ("--model", model_choice),
            )
            if value is not None
        ]
        if given:
            kind = "a claims sheet" if suffix == ".csv" else "ClaimReview markup"
            raise click.UsageError(
                f"{', '.join(given)} apply to articles, not to {kind} ({file}): "
                "drop them, or give the values in the file's columns",
                ctx,
            )
        if suffix == ".csv":
            _import_sheet(app, file)
        else:
            _import_claimreviews(app, file)
        return
    from factcheck.articles import import_article
    from factcheck.extract import extract_article
    from factcheck.validate import parse_date, parse_url

    when = parse_date_option(published, "publication date")
    name, text, page = _article_text(file)
    model = _scorer(model_choice)
    extraction = extract_article(text, scorer=model, fallback_title=title or page.title)
    # What a saved page says about itself fills in what the user did not give.
    url = url or _page_value(parse_url, page.url)
    when = when or _page_value(parse_date, page.published)
    author = author or page.author
    publisher = publisher or page.publisher
    db = app.open(write=True)
    with db.session() as session:
        result = import_article(
            session,
            text,
            extraction,
            user=db.user,
            url=url,
            publisher=publisher,
            author=author,
            published_on=when,
            title=title,
            take_all=take_all,
            min_score=min_score,
            score_model=f"{model.name}@{model.version}",
        )
    if result.duplicate:
        click.echo(
            f"{name} was imported before as source {result.source_id}; nothing added", err=True
        )
    else:
        click.echo(
            f"Imported {name} as source {result.source_id} "
            f"({result.title or 'untitled'}): {result.sentences} sentences, "
            f"{result.claims} claims. See them with `factcheck review --source "
            f"{result.source_id}`",
            err=True,
        )
        _say_checked_before(db, result.source_id)
    if fmt == "json":
        from factcheck.render import to_json
        from factcheck.search import claims_of_source

        with db.session() as session:
            claim_ids = [claim_id for claim_id, _ in claims_of_source(session, result.source_id)]
        click.echo(
            to_json(
                {
                    "source_id": result.source_id,
                    "title": result.title,
                    "duplicate": result.duplicate,
                    "sentences": result.sentences,
                    "claims": claim_ids,
                }
            )
        )


def _say_checked_before(db: Database, source_id: int) -> None:
    """Point out imported claims that resemble claims already in the desk."""
    from factcheck.render import safe_text
    from factcheck.search import NOTICE_SCORE, claims_of_source, similar_claims

    with db.session() as session:
        for claim_id, text in claims_of_source(session, source_id):
            matches = similar_claims(
                session, text, exclude_source=source_id, limit=2, min_score=NOTICE_SCORE
            )
            for match in matches:
                verdict = match["verdict"] or "no verdict yet"
                click.echo(
                    f"  claim {claim_id} is similar to claim {match['id']} ({verdict}, score "
                    f"{match['score']:.2f}): {safe_text(match['text'])[:100]}",
                    err=True,
                )


def _import_sheet(app: App, file: str) -> None:
    import itertools

    from factcheck.errors import InvalidInput
    from factcheck.exchange.csvio import iter_claims_csv
    from factcheck.imports import import_claim_rows

    path = Path(file)
    if not path.is_file():
        raise InvalidInput(f"no file at {file}: check the path")
    rows = iter_claims_csv(path, file, lines=True)
    # Read the header and first row before the database is opened (or created).
    first = list(itertools.islice(rows, 1))
    db = app.open(write=True)
    with (
        db.session() as session,
        progress(itertools.chain(first, rows), _estimate_rows(path), "Importing") as stream,
    ):
        result = import_claim_rows(session, stream, user=db.user, name=file)
    click.echo(
        f"Imported {file}: {result.claims} claims, {result.verdicts} verdicts, "
        f"{result.sources} new sources"
        + (f"; {result.skipped} rows already here" if result.skipped else ""),
        err=True,
    )


def _estimate_rows(path: Path) -> int:
    """Lines in the file less the header: the progress bar's length (exact unless cells
    hold line breaks)."""
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return max(count - 1, 1)


def _import_claimreviews(app: App, file: str) -> None:
    from factcheck.errors import InvalidInput
    from factcheck.exchange.claimreview import parse_claimreviews
    from factcheck.exchange.jsonsafe import load_json_strict
    from factcheck.imports import import_claimreviews

    if not Path(file).is_file():
        raise InvalidInput(f"no file at {file}: check the path")
    data = load_json_strict(Path(file).read_bytes(), file)
    if isinstance(data, dict) and data.get("format") == "factcheck-desk":
        raise InvalidInput(
            f"{file} is a whole-desk export: fold it in with `factcheck merge {file}`"
        )
    reviews, skipped = parse_claimreviews(data)
    if not reviews:
        raise InvalidInput(
            f"found no ClaimReview in {file}"
            + (f" ({skipped[0]})" if skipped else "")
            + ": check the file"
        )
    db = app.open(write=True)
    with db.session() as session:
        result = import_claimreviews(session, reviews, user=db.user)
    for reason in skipped:
        click.echo(f"warning: {reason}", err=True)
    click.echo(
        f"Imported {file}: {result.claims} reviewed claims"
        + (f"; {result.duplicates} imported before" if result.duplicates else ""),
        err=True,
    )


@click.command(name="extract")
@click.argument("file", metavar="FILE", required=False)
@click.option(
    "--sentences",
    "lines_file",
    metavar="FILE",
    help="Score one sentence per line of FILE (no splitting).",
)
@click.option("--full", is_flag=True, help="Do not shorten sentences to the terminal width.")
@_model_option
@output_option()
def extract_cmd(
    file: str | None, lines_file: str | None, full: bool, model_choice: str | None, fmt: str
) -> None:
    """Preview what import would find in an article; nothing is stored.

    \b
    Example:
      factcheck extract seeds/wannacry-attribution.txt
      factcheck extract seeds/wannacry-attribution.txt --format json
      factcheck extract --sentences lines.txt --format jsonl
    """
    from factcheck.extract import extract_article, is_checkworthy, score_lines
    from factcheck.render import to_json

    if (file is None) == (lines_file is None):
        raise click.UsageError("give an article FILE, or --sentences FILE, but not both")
    model = _scorer(model_choice)
    if lines_file is not None:
        _name, text, _html = _read(lines_file)
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        scores = score_lines(lines, scorer=model)
        # checkworthy is import's own decision (on the unrounded score).
        rows = [
            {
                "text": line,
                "score": round(s, 4),
                "checkworthy": is_checkworthy(line, s, model.threshold),
            }
            for line, s in zip(lines, scores, strict=True)
        ]
        emit(rows, ("text", "score", "checkworthy"), fmt, wrap_column="text", full=full)
        return
    assert file is not None
    _name, text, page = _article_text(file)
    extraction = extract_article(text, scorer=model, fallback_title=page.title)
    data = extraction.to_dict()
    if fmt == "json":
        click.echo(to_json(data))
        return
    rows = data["sentences"]
    if fmt not in ("jsonl", "csv"):
        if data["title"]:
            click.echo(f"Title: {data['title']}", err=True)
        for row in rows:
            row["score"] = round(row["score"], 2)
            row["checkworthy"] = "yes" if row["checkworthy"] else ""
    columns = ("start", "end", "score", "checkworthy", "speaker", "kind", "cites", "text")
    emit(rows, columns, fmt, wrap_column="text", full=full)
    if fmt not in ("jsonl", "csv") and data["skipped"]:
        click.echo(
            f"Skipped {len(data['skipped'])} block(s) of page furniture: "
            + "; ".join(f"{s['reason']}" for s in data["skipped"]),
            err=True,
        )


COMMANDS = [import_cmd, extract_cmd]
