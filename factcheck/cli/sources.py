"""`factcheck source ...`: the articles, reports and statements claims and evidence point to."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from factcheck.cli.common import (
    App,
    emit,
    output_option,
    parse_date_option,
    pass_app,
    raw_stdout,
)


@click.group()
def source() -> None:
    """Add and list sources.

    \b
    Example:
      factcheck source add https://blogs.microsoft.com/... --title "..." --publisher Microsoft
      factcheck source list
      factcheck source show 1
    """


@source.command(name="add")
@click.argument("url", required=False)
@click.option("--title", help="Headline or title.")
@click.option("--publisher", help="Outlet or organisation that published it.")
@click.option("--author", help="Author's name.")
@click.option(
    "--date", "published", help="Publication date: 2017-05-14, 2017-05, 2017 or 14 May 2017."
)
@click.option(
    "--kind",
    default="other",
    show_default=True,
    help="article, report, statement, dataset or other.",
)
@pass_app
def source_add(
    app: App,
    url: str | None,
    title: str | None,
    publisher: str | None,
    author: str | None,
    published: str | None,
    kind: str,
) -> None:
    """Add a source (a URL, or at least a --title) and print its id.

    \b
    Example:
      factcheck source add https://blogs.microsoft.com/on-the-issues/2017/05/14/need-urgent-collective-action-keep-people-safe-online-lessons-last-weeks-cyberattack/ \\
        --title "The need for urgent collective action" --publisher Microsoft --date 2017-05-14
    """
    from factcheck.errors import InvalidInput
    from factcheck.sources import add_source

    if not (url or (title and title.strip())):
        raise InvalidInput("a source needs a URL or a --title: give at least one")
    when = parse_date_option(published, "publication date")
    db = app.open(write=True)
    with db.session() as session:
        new = add_source(
            session,
            user=db.user,
            url=url,
            title=title,
            publisher=publisher,
            author=author,
            published_on=when,
            kind=kind,
        )
        source_id = new.id
    click.echo(f"Added source {source_id}", err=True)
    click.echo(source_id)


@source.command(name="list")
@output_option()
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many.")
@pass_app
def source_list(app: App, fmt: str, limit: int | None) -> None:
    """List sources.

    \b
    Example:
      factcheck source list --format github
    """
    from factcheck.sources import list_sources

    db = app.open(write=False)
    with db.session() as session:
        rows = list_sources(session, limit=limit)
    emit(
        rows,
        ("id", "kind", "title", "publisher", "published_on", "url"),
        fmt,
        wrap_column="title",
        shorten={"url": 40, "publisher": 20},
    )


@source.command(name="edit")
@click.argument("source_id", type=int)
@click.option("--url", help="Where it was published (http/https).")
@click.option("--title", help="Headline or title.")
@click.option("--publisher", help="Outlet or organisation that published it.")
@click.option("--author", help="Author's name.")
@click.option(
    "--date", "published", help="Publication date: 2017-05-14, 2017-05, 2017 or 14 May 2017."
)
@click.option("--kind", help="article, report, statement, dataset or other.")
@pass_app
def source_edit(
    app: App,
    source_id: int,
    url: str | None,
    title: str | None,
    publisher: str | None,
    author: str | None,
    published: str | None,
    kind: str | None,
) -> None:
    """Change a source's metadata; the old values stay in its history.

    \b
    Example:
      factcheck source edit 1 --publisher "Microsoft On the Issues"
    """
    from factcheck.sources import edit_source

    values: dict[str, object] = {
        k: v
        for k, v in {
            "url": url,
            "title": title,
            "publisher": publisher,
            "author": author,
            "kind": kind,
        }.items()
        if v is not None
    }
    if published is not None:
        values["published_on"] = parse_date_option(published, "publication date")
    db = app.open(write=True)
    with db.session() as session:
        edit_source(session, source_id, values, user=db.user)
    click.echo(f"Source {source_id} updated", err=True)


@source.command(name="show")
@click.argument("source_id", type=int)
@click.option("--html", "as_html", is_flag=True, help="A self-contained HTML page instead of text.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (whole or not at all) instead of stdout.",
)
@pass_app
def source_show(app: App, source_id: int, as_html: bool, output: Path | None) -> None:
    """Show a source and its stored text with each claim marked in place.

    In the terminal each claim reads [[#ID text]] (#ID status · verdict · speaker), coloured
    by verdict on a terminal (unless NO_COLOR is set). --html writes a page with the claims
    highlighted by verdict and check-worthiness, a note per claim and a key; it loads nothing.

    \b
    Example:
      factcheck source show 1
      factcheck source show 1 --html -o article.html
    """
    from factcheck.outputs import write_output
    from factcheck.reading import html_page, read_source, terminal_text

    db = app.open(write=False)
    with db.session() as session:
        reading = read_source(session, source_id)
    if as_html:
        page = html_page(reading)
        write_output(output, db.path, lambda handle: handle.write(page))
    elif output is not None:
        text = terminal_text(reading, width=None, colour=False) + "\n"
        write_output(output, db.path, lambda handle: handle.write(text))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        fit = sys.stdout.isatty() or "COLUMNS" in os.environ
        width = shutil.get_terminal_size((100, 24)).columns if fit else None
        text = terminal_text(reading, width=width, colour=colour)
        # Every piece of data in text is escaped already (safe_text); the colour codes are
        # ours, so they go to the terminal itself rather than through its escaping stream.
        stream = raw_stdout() if colour else sys.stdout
        stream.write(text + "\n")
        stream.flush()
    if output is not None:
        click.echo(f"Wrote {output}", err=True)


COMMANDS = [source]
