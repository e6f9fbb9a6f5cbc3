"""`factcheck db ...`: look after the file itself."""

from __future__ import annotations

from pathlib import Path

import click

from factcheck.cli.common import App, emit, output_option, pass_app
from factcheck.formats import JSON_FORMATS


@click.group(name="db")
def db_group() -> None:
    """Inspect, check, upgrade and back up the database file.

    \b
    Example:
      factcheck db info
      factcheck db backup desk-copy.db
    """


@db_group.command(name="info")
@output_option("plain")
@pass_app
def db_info(app: App, fmt: str) -> None:
    """Show what the database is: backend, schema, size, counts of claims, sources, verdicts.

    \b
    Example:
      factcheck db info
    """
    from factcheck.embedding import models_available
    from factcheck.maintenance import database_info

    db = app.open(write=False)
    info = database_info(db)
    info.update({f"model_{task}": model for task, model in models_available(db.backend).items()})
    if fmt in JSON_FORMATS:
        emit([info], list(info), fmt)
    else:
        emit([{"key": k, "value": v} for k, v in info.items()], ("key", "value"), fmt)


@db_group.command(name="check")
@pass_app
def db_check(app: App) -> None:
    """Check the file's integrity and references (a server's schema); exit 1 if anything is wrong.

    \b
    Example:
      factcheck db check
    """
    from factcheck.errors import FactcheckError
    from factcheck.maintenance import check_file, check_server

    if app.is_server:
        db = app.open(write=False)
        name, problems = db.location, check_server(db)
    else:
        name, problems = str(app.db_path), check_file(app.db_path)  # reads only
    if problems:
        for problem in problems[:20]:
            click.echo(f"problem: {problem}", err=True)
        how = (
            "the server's own backup (pg_dump)"
            if app.is_server
            else "a backup (`factcheck db backup` makes one; upgrades leave one beside the file)"
        )
        raise FactcheckError(f"{name} has {len(problems)} problem(s): restore it from {how}")
    click.echo(f"{name}: ok")


@db_group.command(name="upgrade")
@pass_app
def db_upgrade(app: App) -> None:
    """Upgrade the file to this factcheck's schema (a backup copy is written first).

    \b
    Example:
      factcheck db upgrade
    """
    from factcheck.db import HEAD_REVISION

    db = app.open(write=True, upgrade_server=True)
    if not db.notices:
        click.echo(f"{db.location} is already at schema {HEAD_REVISION}", err=True)


@db_group.command(name="backup")
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace TARGET if it exists.")
@pass_app
def db_backup(app: App, target: Path, force: bool) -> None:
    """Write a consistent copy of the database to TARGET (safe while others work on it).

    From a PostgreSQL server, TARGET is a desk file holding every row (a field copy to work
    on offline and `factcheck merge` back).

    \b
    Example:
      factcheck db backup shared/desk-2026-11-26.db
    """
    from factcheck.maintenance import backup_database

    db = app.open(write=False)
    backup_database(db, target, force=force)
    click.echo(f"Wrote a copy of {db.location} to {target}", err=True)


COMMANDS = [db_group]
