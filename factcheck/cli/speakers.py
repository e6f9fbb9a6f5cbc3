"""`factcheck speaker ...`: speakers with their aliases and records; merging two into one."""

from __future__ import annotations

from typing import Any

import click

from factcheck.cli.common import App, emit, output_option, pass_app
from factcheck.formats import DATA_FORMATS

LIST_COLUMNS = ("id", "name", "type", "aliases", "claims", "verdicts")


def _verdicts_text(verdicts: dict[str, int]) -> str:
    return ", ".join(f"{rating} {count}" for rating, count in verdicts.items())


@click.group()
def speaker() -> None:
    """List speakers with their records; merge two names of one speaker.

    \b
    Example:
      factcheck speaker list
      factcheck speaker merge "Tom Bossert" Bossert
    """


@speaker.command(name="list")
@output_option()
@pass_app
def speaker_list(app: App, fmt: str) -> None:
    """List speakers: type, other names, claims, and our current verdicts by rating.

    \b
    Example:
      factcheck speaker list
      factcheck speaker list --format json
    """
    from factcheck.speakers import speaker_rows

    db = app.open(write=False)
    with db.session() as session:
        rows = speaker_rows(session)
    if fmt in DATA_FORMATS:
        if fmt == "csv":
            for row in rows:
                row["aliases"] = "; ".join(row["aliases"])
                row["verdicts"] = _verdicts_text(row["verdicts"])
        emit(rows, ("id", "uuid", *LIST_COLUMNS[1:]), fmt)
        return
    if not rows:
        click.echo(
            "The desk has no speakers yet: they come with claims "
            '(`factcheck claim add "..." --speaker NAME`) and imported articles.',
            err=True,
        )
        return
    for row in rows:
        row["aliases"] = "; ".join(row["aliases"])
        row["verdicts"] = _verdicts_text(row["verdicts"])
    emit(rows, LIST_COLUMNS, fmt, wrap_column="aliases", shorten={"name": 30})


@speaker.command(name="show")
@click.argument("name")
@output_option()
@pass_app
def speaker_show(app: App, name: str, fmt: str) -> None:
    """Show a speaker (by id or any name): names, record, and the history of its merges.

    \b
    Example:
      factcheck speaker show Bossert
    """
    from factcheck.speakers import speaker_detail

    db = app.open(write=False)
    with db.session() as session:
        detail = speaker_detail(session, name)
    if fmt in DATA_FORMATS:
        if fmt == "csv":  # one row: its lists as JSON text, which a sheet keeps intact
            import json

            for key, value in detail.items():
                if isinstance(value, (list, dict)):
                    detail[key] = json.dumps(value, ensure_ascii=False)
        emit([detail], tuple(detail), fmt)
        return
    lines: list[tuple[str, Any]] = [
        ("speaker", f"{detail['id']}: {detail['name']}"),
        ("type", detail["type"] or ""),
        ("also known as", "; ".join(detail["aliases"])),
        ("claims", detail["claims"]),
        ("verdicts", _verdicts_text(detail["verdicts"])),
    ]
    emit([{"field": k, "value": v} for k, v in lines], ("field", "value"), fmt)
    if detail["history"]:
        click.echo()
        history = [
            {
                "when": c["created_at"][:19],
                "who": c["created_by"],
                "change": (
                    f"{c['speaker']} merged into {c['new_name'] or c['new']}"
                    if c["new"]
                    else f"{c['speaker']} unmerged"
                ),
            }
            for c in detail["history"]
        ]
        emit(history, ("when", "who", "change"), fmt)


@speaker.command(name="merge")
@click.argument("keep")
@click.argument("other")
@pass_app
def speaker_merge(app: App, keep: str, other: str) -> None:
    """Make one speaker of two (by id or any name): OTHER becomes a name of KEEP.

    \b
    Example:
      factcheck speaker merge "Tom Bossert" Bossert
      factcheck speaker merge 3 7
    """
    from factcheck.speakers import merge_speakers

    db = app.open(write=True)
    with db.session() as session:
        group = merge_speakers(session, keep, other, user=db.user)
        names = "; ".join(group.names[1:])
    click.echo(f"Merged: {group.row.name} (also: {names})", err=True)


@speaker.command(name="unmerge")
@click.argument("name")
@pass_app
def speaker_unmerge(app: App, name: str) -> None:
    """Undo a merge: the speaker NAME stands on its own again (the merge stays in history).

    \b
    Example:
      factcheck speaker unmerge Bossert
    """
    from factcheck.speakers import unmerge_speaker

    db = app.open(write=True)
    with db.session() as session:
        rows = unmerge_speaker(session, name, user=db.user)
        shown = ", ".join(r.name for r in rows)
    click.echo(f"Unmerged: {shown}", err=True)


@speaker.command(name="alias")
@click.argument("name")
@click.argument("alias")
@pass_app
def speaker_alias(app: App, name: str, alias: str) -> None:
    """Give a speaker (by id or any name) another name; claims under it count as theirs.

    \b
    Example:
      factcheck speaker alias "Tom Bossert" "Thomas P. Bossert"
    """
    from factcheck.speakers import add_alias

    db = app.open(write=True)
    with db.session() as session:
        add_alias(session, name, alias, user=db.user)
    click.echo(f"Added alias {alias!r}", err=True)


COMMANDS = [speaker]
