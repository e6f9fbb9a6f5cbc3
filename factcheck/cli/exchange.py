"""`factcheck merge` and `factcheck export ...`: share a desk with colleagues and the world."""

from __future__ import annotations

from pathlib import Path

import click

from factcheck.cli.common import App, emit, output_option, pass_app
from factcheck.formats import JSON_FORMATS


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
    from factcheck.merge import merge_snapshot, read_desk_export, read_other_file

    name = str(other)
    if (
        not app.is_server
        and other.exists()
        and app.db_path.exists()
        and other.resolve() == app.db_path.resolve()
    ):
        raise InvalidInput(f"{other} is this desk's own file: merge a colleague's copy")
    suffix = other.suffix.lower()
    if suffix in (".jsonld", ".csv", ".html", ".htm", ".txt"):
        raise InvalidInput(
            f"{other} is not a desk: merge takes a colleague's copy (.db, from `factcheck db "
            "backup`) or a desk export (.json, from `factcheck export json`); bring articles, "
            f"sheets and ClaimReview markup in with `factcheck import {other}`"
        )
    if suffix != ".json" and other.is_file():
        with other.open("rb") as handle:
            if not handle.read(16).startswith(b"SQLite format 3"):
                raise InvalidInput(
                    f"{other} is neither a factcheck desk (.db) nor a desk export (.json): "
                    "merge a copy made with `factcheck db backup` or `factcheck export json`"
                )
    if suffix == ".json":
        if not other.is_file():
            raise InvalidInput(f"no file at {other}: check the path")
        with other.open("rb") as stream:
            snapshot = read_desk_export(stream, name)
    else:
        snapshot = read_other_file(other)
    db = app.open(write=True)
    if dry_run:
        with db.session(dry_run=True) as session:
            report = merge_snapshot(session, snapshot, name)
    else:  # on a server, run again if it aborts the transaction as a deadlock
        report = db.transaction(lambda session: merge_snapshot(session, snapshot, name))
    verb = "would add" if dry_run else "added"
    rows = [{"table": t, verb: n} for t, n in report.added.items() if n]
    if fmt in JSON_FORMATS:
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
            f"conflict: {conflict['what']} has verdicts that disagree; see "
            f"`factcheck claim show {conflict['claim_id']}`, then record the verdict that "
            "resolves it",
            err=True,
        )
    for lost in report.field_conflicts:
        click.echo(
            f"edited on both sides: {lost['field']} of {lost['what']}: kept "
            f"{lost['kept']} ({lost['kept_by']}); the history keeps {lost['lost']} "
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
    from factcheck.exports import write_desk_json, write_output

    db = app.open(write=False)
    with db.session() as session:  # one read transaction: the file is one moment of the desk
        write_output(output, db.path, lambda out: write_desk_json(session, out))
    if output:
        click.echo(f"Wrote the desk to {output}", err=True)


def _filters(f):  # type: ignore[no-untyped-def]
    f = click.option("--speaker", help="Only claims by this speaker (case-insensitive).")(f)
    return click.option("--status", help="Only claims with this status.")(f)


@export_group.command(name="csv")
@_output_option
@_filters
@pass_app
def export_csv(app: App, output: Path | None, status: str | None, speaker: str | None) -> None:
    """Export claims with their current verdict as CSV (the columns `import` reads back).

    Cells that a spreadsheet would run as a formula (= + - @) get a leading apostrophe.

    \b
    Example:
      factcheck export csv -o claims.csv --status reviewed
    """
    import sys

    from factcheck.cli.common import progress
    from factcheck.exchange.csvio import write_claims_csv
    from factcheck.exports import claim_rows, count_claims, write_output

    db = app.open(write=False)
    with db.session() as session:
        total = count_claims(session) if sys.stderr.isatty() else 0
        rows = claim_rows(session, status=status, speaker=speaker)  # extra keys are not written
        with progress(rows, total, "Exporting") as stream:
            count = write_output(output, db.path, lambda out: write_claims_csv(stream, out))
    scope = "claims" if status or speaker else "claims (all of them; --status/--speaker select)"
    click.echo(f"Wrote {count} {scope}" + (f" to {output}" if output else ""), err=True)


@export_group.command(name="claimreview")
@_output_option
@_filters
@click.option(
    "--claim",
    "claim_ids",
    type=int,
    multiple=True,
    metavar="ID",
    help="Only this claim (repeat for several): the markup for one article page.",
)
@click.option(
    "--unpublished", is_flag=True, help="Also take claims with a verdict that are not published."
)
@click.option("--strict", is_flag=True, help="Fail instead of warning when a rule is broken.")
@pass_app
def export_claimreview(
    app: App,
    output: Path | None,
    status: str | None,
    speaker: str | None,
    claim_ids: tuple[int, ...],
    unpublished: bool,
    strict: bool,
) -> None:
    """Export our published fact checks as schema.org ClaimReview JSON-LD.

    Takes published claims with a verdict of this desk's own, stating the verdict each was
    published with; never another fact-checker's imported rating, never a claim whose
    verdicts conflict. Each Google/schema.org rule is checked per claim; problems are
    warnings on stderr naming the command that fixes them, or an error with --strict
    (nothing is written then).

    \b
    Example:
      factcheck settings set org_name "Example Fact Check"
      factcheck settings set org_url https://factcheck.example.org
      factcheck claim publish 1 --url https://factcheck.example.org/2017/wannacry
      factcheck export claimreview -o reviews.jsonld
      factcheck export claimreview --claim 1 --strict
    """
    from factcheck.errors import InvalidInput
    from factcheck.exchange.claimreview import build_claimreview_document
    from factcheck.exports import (
        check_output_path,
        claimreview_selection,
        organisation,
        write_output,
    )
    from factcheck.render import safe_text, to_json

    db = app.open(write=False)
    if output is not None:
        check_output_path(output, db.path)  # before any warning is printed
    with db.session() as session:
        selection = claimreview_selection(
            session,
            claim_ids=claim_ids,
            include_unpublished=unpublished,
            status=status,
            speaker=speaker,
        )
        org = organisation(session)
    documents, warnings = build_claimreview_document(selection.items, org)
    problems: list[str] = []
    unpublished_ids = [i for i, why in selection.skipped if why.startswith("not published")]
    for claim_id, why in selection.skipped:
        if why.startswith("not published") and not claim_ids:
            continue  # summarised below: leaving out unpublished claims is the rule, not a fault
        problems.append(f"claim {claim_id} left out: {why}")
    for claim_id, why in selection.warnings:
        problems.append(f"claim {claim_id} {why}")
    by_uuid = {item["uuid"]: item["id"] for item in selection.items}
    for uuid, found in warnings.items():
        problems.extend(f"claim {by_uuid.get(uuid, uuid)}: {p}" for p in found)
    for problem in problems:
        click.echo(f"warning: {safe_text(problem)}", err=True)
    if strict and problems:
        raise InvalidInput(
            f"{len(problems)} problem(s) in the ClaimReview export (listed above): "
            "fix them or drop --strict"
        )
    write_output(output, db.path, lambda out: out.write(to_json(documents) + "\n"))
    taken = ", ".join(str(item["id"]) for item in selection.items[:20])
    more = "..." if len(selection.items) > 20 else ""
    kind = "published or rated" if unpublished else "published"
    summary = f"{len(documents)} {kind} claim(s) exported" + (f" ({taken}{more})" if taken else "")
    if unpublished_ids and not claim_ids:
        summary += (
            f"; {len(unpublished_ids)} rated claim(s) not published were left out "
            "(publish them with `factcheck claim publish ID --url URL`, or add --unpublished)"
        )
    click.echo(summary + (f"; written to {output}" if output else ""), err=True)


@export_group.command(name="markdown")
@_output_option
@_filters
@pass_app
def export_markdown(app: App, output: Path | None, status: str | None, speaker: str | None) -> None:
    """Export a readable report: per claim its verdict, rationale, evidence and history.

    \b
    Example:
      factcheck export markdown -o report.md --status published
    """
    from factcheck.claims import claim_detail
    from factcheck.exchange.markdown import render_markdown
    from factcheck.exports import claim_rows, write_output

    db = app.open(write=False)
    with db.session() as session:
        ids = [r["id"] for r in claim_rows(session, status=status, speaker=speaker)]
        details = [claim_detail(session, claim_id) for claim_id in ids]
    text = render_markdown(details)
    write_output(output, db.path, lambda out: out.write(text))
    click.echo(
        f"Wrote a report of {len(details)} claims" + (f" to {output}" if output else ""), err=True
    )


COMMANDS = [merge_cmd, export_group]
