"""`factcheck verdict add`, `factcheck scale ...` and `factcheck settings ...`."""

from __future__ import annotations

from typing import Any

import click

from factcheck.cli.common import App, emit, output_option, pass_app


@click.group()
def verdict() -> None:
    """Record verdicts (append-only: a correction is a new verdict).

    \b
    Example:
      factcheck verdict add 1 mostly-true --scale politifact --rationale "..."
    """


@verdict.command(name="add")
@click.argument("claim_id", type=int)
@click.argument("rating")
@click.option("--scale", help="Rating scale (default: the claim's last scale, else the desk's).")
@click.option("--rationale", help="Why this rating.")
@click.option("--reviewer", help="Who reviewed it (default: --as / FACTCHECK_USER / OS user).")
@pass_app
def verdict_add(
    app: App,
    claim_id: int,
    rating: str,
    scale: str | None,
    rationale: str | None,
    reviewer: str | None,
) -> None:
    """Record a verdict on a claim; an earlier verdict stays in the history.

    \b
    Example:
      factcheck verdict add 1 mostly-true --scale politifact --rationale "..." --reviewer "A. Checker"
      factcheck verdict add 1 half-true --rationale "correction: ..."
    """
    from factcheck.publishing import publication_state
    from factcheck.verdicts import record_verdict

    db = app.open(write=True)

    def work(session: Any) -> tuple[int | None, list[int], Any]:
        new, superseded = record_verdict(
            session,
            claim_id,
            rating,
            user=db.user,
            scale=scale,
            rationale=rationale,
            reviewer=reviewer,
        )
        return new.id, superseded, publication_state(session, claim_id)

    verdict_id, superseded, published = db.transaction(work)
    replaced = ", ".join(str(i) for i in superseded)
    extra = f" (supersedes verdict {replaced})" if replaced else ""
    click.echo(f"Recorded verdict {verdict_id} on claim {claim_id}{extra}", err=True)
    if published and published["needs_update"]:
        click.echo(
            f"Claim {claim_id} was published with verdict {published['verdict_id']}: it now needs "
            "an update; the export keeps the published verdict until you update the article and "
            f"run `factcheck claim publish {claim_id} --url URL`",
            err=True,
        )
    click.echo(verdict_id)


@click.group()
def scale() -> None:
    """List and add rating scales.

    \b
    Example:
      factcheck scale list
    """


@scale.command(name="list")
@output_option()
@pass_app
def scale_list(app: App, fmt: str) -> None:
    """List rating scales and their labels, best first.

    \b
    Example:
      factcheck scale list --format github
    """
    from factcheck.verdicts import list_scales

    db = app.open(write=False)
    with db.session() as session:
        rows = list_scales(session)
    emit(
        rows,
        ("scale", "default", "rating", "label", "value", "description"),
        fmt,
        wrap_column="description",
    )


@scale.command(name="add")
@click.argument("name")
@click.option(
    "--label", "labels", multiple=True, required=True, help="A label, best first; repeat for each."
)
@click.option("--title", help="A longer name for the scale.")
@pass_app
def scale_add(app: App, name: str, labels: tuple[str, ...], title: str | None) -> None:
    """Add a rating scale of your own; labels best first.

    \b
    Example:
      factcheck scale add desk --label Correct --label Misleading --label Wrong
    """
    from factcheck.verdicts import add_scale

    db = app.open(write=True)
    with db.session() as session:
        new = add_scale(session, name, title, list(labels), db.user)
        click.echo(f"Added scale {new.name} with {len(labels)} labels", err=True)


@click.group()
def settings() -> None:
    """Show and change the desk's settings (default scale, organisation).

    \b
    Example:
      factcheck settings set org_name "Example Fact Check"
    """


@settings.command(name="show")
@output_option()
@pass_app
def settings_show(app: App, fmt: str) -> None:
    """Show the desk's settings.

    \b
    Example:
      factcheck settings show
    """
    from factcheck.verdicts import list_settings

    db = app.open(write=False)
    with db.session() as session:
        rows = list_settings(session)
    emit(rows, ("key", "value", "updated_at", "updated_by"), fmt)


@settings.command(name="set")
@click.argument("key")
@click.argument("value")
@pass_app
def settings_set(app: App, key: str, value: str) -> None:
    """Change a setting: default_scale, org_name or org_url.

    \b
    Example:
      factcheck settings set default_scale plain
    """
    from factcheck.verdicts import set_setting

    db = app.open(write=True)
    with db.session() as session:
        row = set_setting(session, key, value, db.user)
        click.echo(f"{row.key} = {row.value}", err=True)


COMMANDS = [verdict, scale, settings]
