"""`factcheck evidence add`: link a claim to a source that supports, refutes or contextualises it."""

from __future__ import annotations

from typing import Any

import click

from factcheck.cli.common import App, pass_app


@click.group()
def evidence() -> None:
    """Link evidence to claims.

    \b
    Example:
      factcheck evidence add 1 --source 1 --stance supports --excerpt "..."
      factcheck evidence withdraw 1 --reason "wrong study"
    """


@evidence.command(name="add")
@click.argument("claim_id", type=int)
@click.option("--source", "source_id", type=int, help="Id of an existing source.")
@click.option("--url", help="Or the URL of a source; it is created if new.")
@click.option("--title", help="Title for a source created from --url.")
@click.option("--stance", required=True, help="supports, refutes or context.")
@click.option("--excerpt", help="The passage of the source that bears on the claim.")
@click.option("--note", help="Your note on this piece of evidence.")
@pass_app
def evidence_add(
    app: App,
    claim_id: int,
    source_id: int | None,
    url: str | None,
    title: str | None,
    stance: str,
    excerpt: str | None,
    note: str | None,
) -> None:
    """Link a claim to a source with a stance and print the link's id.

    \b
    Example:
      factcheck evidence add 1 --source 1 --stance supports --excerpt "around 300,000 computer users"
      factcheck evidence add 1 --url https://example.org/report --stance refutes
    """
    from factcheck.claims import add_evidence
    from factcheck.sources import add_source, find_source_by_url
    from factcheck.validate import parse_url

    if (source_id is None) == (url is None):
        raise click.UsageError("give exactly one of --source ID or --url URL")
    clean_url = parse_url(url) if url is not None else None
    db = app.open(write=True)

    def work(session: Any) -> tuple[int | None, int | None]:
        created, linked = None, source_id
        if clean_url is not None:
            found = find_source_by_url(session, clean_url)
            if found is None:
                found = add_source(session, user=db.user, url=clean_url, title=title)
                created = found.id
            linked = found.id
        assert linked is not None
        link = add_evidence(
            session, claim_id, linked, stance, user=db.user, excerpt=excerpt, note=note
        )
        return created, link.id

    created, link_id = db.transaction(work)
    if created is not None:
        click.echo(f"Added source {created} for {clean_url}", err=True)
    click.echo(f"Added evidence {link_id} to claim {claim_id}", err=True)
    click.echo(link_id)


@evidence.command(name="withdraw")
@click.argument("evidence_id", type=int)
@click.option("--reason", required=True, help="Why it no longer counts.")
@pass_app
def evidence_withdraw(app: App, evidence_id: int, reason: str) -> None:
    """Withdraw a piece of evidence: kept and shown as withdrawn, it no longer counts.

    It stays in `claim show` with who withdrew it, when and why; the review table's counts
    and the exports leave it out.

    \b
    Example:
      factcheck evidence withdraw 9 --reason "wrong study"
    """
    from factcheck.desk import withdraw_evidence

    db = app.open(write=True)
    with db.session() as session:
        withdraw_evidence(session, evidence_id, reason, user=db.user)
    click.echo(f"Withdrew evidence {evidence_id}", err=True)


COMMANDS = [evidence]
