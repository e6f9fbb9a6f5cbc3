"""`factcheck merge` and `factcheck export ...`: share a desk with colleagues and the world."""

from __future__ import annotations

from pathlib import Path

import click

from factcheck.cli.common import App, emit, output_option, pass_app


@click.command(name="merge")
@click.argument("other", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would come in; change nothing.")
@output_option("plain")
@pass_app
def merge_cmd(app: App, other: Path, dry_run: bool, fmt: str) -> None:
    """Fold a colleague's copy (a .db file or a `export json` file) into this desk.

    Rows are matched by UUID; nothing in either file is lost. The other file is only read.

    \b
    Example:
      factcheck merge colleague.db --dry-run
      factcheck merge colleague.db
      factcheck merge desk.json
    """
    from factcheck.errors import InvalidInput
    from factcheck.merge import merge_snapshot, read_other_file, read_snapshot_json

    name = str(other)
    if other.exists() and app.db_path.exists() and other.resolve() == app.db_path.resolve():
        raise InvalidInput(f"{other} is this desk's own file: merge a colleague's copy")
    if other.suffix.lower() == ".json":
        from factcheck.exchange.jsonsafe import load_json_strict

        if not other.is_file():
            raise InvalidInput(f"no file at {other}: check the path")
        snapshot = read_snapshot_json(load_json_strict(other.read_bytes(), name), name)
    else:
        snapshot = read_other_file(other)
    db = app.open(write=True)
    with db.session(dry_run=dry_run) as session:
        report = merge_snapshot(session, snapshot, name)
    verb = "would add" if dry_run else "added"
    rows = [{"table": t, verb: n} for t, n in report.added.items() if n]
    if fmt in ("json", "jsonl"):
        from factcheck.render import to_json

        click.echo(
            to_json(
                {
                    "dry_run": dry_run,
                    "added": report.added,
                    "conflicts": report.conflicts,
                    "field_conflicts": report.field_conflicts,
                    "renamed_scales": report.renamed_scales,
                },
                indent=2 if fmt == "json" else None,
            )
        )
        return
    if not report.changed:
        click.echo(f"{name}: nothing new; this desk already has all of it", err=True)
    else:
        emit(rows, ("table", verb), fmt)
    for conflict in report.conflicts:
        click.echo(
            f"conflict: claim {conflict['claim_id']} has verdicts that disagree; see "
            f"`factcheck claim show {conflict['claim_id']}`",
            err=True,
        )
    for lost in report.field_conflicts:
        click.echo(
            f"edited on both sides: {lost['field']} of {lost['entity_uuid']}: kept "
            f"{lost['kept']} ({lost['kept_by']}), the history keeps {lost['lost']} "
            f"({lost['lost_by']})",
            err=True,
        )
    for renamed in report.renamed_scales:
        click.echo(f"scale renamed to avoid a clash: {renamed}", err=True)
    if dry_run:
        click.echo("dry run: nothing was written", err=True)


@click.group(name="export")
def export_group() -> None:
    """Export the desk: JSON (everything), CSV, ClaimReview, Markdown.

    \b
    Example:
      factcheck export json -o desk.json
    """


def _output_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write to this file (atomically); default: stdout.",
    )(f)


@export_group.command(name="json")
@_output_option
@pass_app
def export_json(app: App, output: Path | None) -> None:
    """Export every table, UUID-linked and in a stable order; `merge` reads it back.

    \b
    Example:
      factcheck export json -o desk.json
    """
    from factcheck.exports import desk_json, write_output
    from factcheck.render import to_json

    db = app.open(write=False)
    with db.session() as session:
        data = desk_json(session)
    write_output(output, db.path, lambda out: out.write(to_json(data) + "\n"))
    if output:
        click.echo(f"Wrote the desk to {output}", err=True)


COMMANDS = [merge_cmd, export_group]
