"""`factcheck claim ...`: add, show and move claims through the workflow."""

from __future__ import annotations

import click

from factcheck.cli.common import App, emit, output_option, parse_date_option, pass_app

CLAIM_FIELDS = (
    "id",
    "uuid",
    "text",
    "summary",
    "speaker",
    "speaker_kind",
    "cites",
    "status",
    "verdict",
    "score",
    "score_model",
    "source_id",
    "char_start",
    "char_end",
    "claim_date",
    "created_at",
    "created_by",
)


@click.group()
def claim() -> None:
    """Add, show and update claims.

    \b
    Example:
      factcheck claim add "WannaCry hit 300,000 computers" --speaker "Brad Smith"
      factcheck claim show 1
    """


@claim.command(name="add")
@click.argument("text")
@click.option("--speaker", help="Who made the claim.")
@click.option("--source", "source_id", type=int, help="Id of the source it appeared in.")
@click.option("--start", "char_start", type=int, help="Character offset where it starts.")
@click.option("--end", "char_end", type=int, help="Character offset where it ends.")
@click.option("--date", "claim_date", help="When the claim was made (YYYY-MM-DD).")
@click.option("--summary", help="A short summary (under 75 characters) for exports.")
@pass_app
def claim_add(
    app: App,
    text: str,
    speaker: str | None,
    source_id: int | None,
    char_start: int | None,
    char_end: int | None,
    claim_date: str | None,
    summary: str | None,
) -> None:
    """Add a claim by hand and print its id.

    \b
    Example:
      factcheck claim add "WannaCry affected around 300,000 computer users" --speaker "Brad Smith"
    """
    from factcheck.claims import add_claim
    from factcheck.render import safe_text
    from factcheck.search import NOTICE_SCORE, similar_claims

    when = parse_date_option(claim_date, "claim date")
    db = app.open(write=True)
    with db.session() as session:
        new = add_claim(
            session,
            text,
            user=db.user,
            speaker=speaker,
            source_id=source_id,
            char_start=char_start,
            char_end=char_end,
            claim_date=when,
            summary=summary,
        )
        claim_id = new.id
        similar = similar_claims(
            session, new.text, exclude_id=claim_id, limit=3, min_score=NOTICE_SCORE
        )
    click.echo(f"Added claim {claim_id}", err=True)
    for match in similar:
        verdict = match["verdict"] or "no verdict yet"
        click.echo(
            f"  similar to claim {match['id']} ({verdict}, score {match['score']:.2f}): "
            f"{safe_text(match['text'])[:100]}",
            err=True,
        )
    click.echo(claim_id)


@claim.command(name="show")
@click.argument("claim_id", type=int)
@output_option("plain")
@pass_app
def claim_show(app: App, claim_id: int, fmt: str) -> None:
    """Show a claim with its source, evidence and full verdict history.

    \b
    Example:
      factcheck claim show 1
      factcheck claim show 1 --format json
    """
    from factcheck.claims import claim_detail
    from factcheck.render import render_record, to_json

    db = app.open(write=False)
    with db.session() as session:
        detail = claim_detail(session, claim_id)
    if fmt in ("json", "jsonl"):
        click.echo(to_json(detail, indent=2 if fmt == "json" else None))
        return
    if fmt == "csv":
        emit([detail], CLAIM_FIELDS, fmt)
        return
    click.echo(render_record(detail, CLAIM_FIELDS))
    source = detail["source"]
    if source:
        click.echo(
            render_record(
                {
                    "source": f"{source['id']}: {source['title'] or ''} {source['url'] or ''}".strip()
                },
                ["source"],
            )
        )
    click.echo("\nEvidence:")
    if detail["evidence"]:
        emit(
            detail["evidence"],
            ("id", "stance", "source_id", "source_title", "source_url", "excerpt", "created_by"),
            fmt,
            wrap_column="excerpt",
        )
    else:
        click.echo(
            "  none yet: add with `factcheck evidence add "
            f"{claim_id} --source ID --stance supports`"
        )
    click.echo("\nVerdicts (newest first):")
    if detail["verdicts"]:
        emit(
            detail["verdicts"],
            (
                "id",
                "rating",
                "scale",
                "reviewer",
                "created_at",
                "current",
                "supersedes",
                "rationale",
            ),
            fmt,
            wrap_column="rationale",
        )
    else:
        click.echo(f"  none yet: record one with `factcheck verdict add {claim_id} RATING`")
    if detail["conflict"]:
        click.echo(
            "\nConflict: verdicts made on different copies of the file disagree; record a new "
            f"verdict (`factcheck verdict add {claim_id} RATING`) to resolve it."
        )
    if detail["linked"]:
        click.echo("\nSame claim as (confirmed):")
        emit(
            detail["linked"],
            ("id", "verdict", "speaker", "text", "linked_by"),
            fmt,
            wrap_column="text",
        )
    if detail["history"]:
        click.echo("\nEdits (newest first):")
        emit(detail["history"], ("field", "old", "new", "created_at", "created_by"), fmt)


@claim.command(name="status")
@click.argument("claim_id", type=int)
@click.argument("status")
@pass_app
def claim_status(app: App, claim_id: int, status: str) -> None:
    """Move a claim: new, researching, reviewed, published or dismissed.

    \b
    Example:
      factcheck claim status 1 researching
    """
    from factcheck.claims import set_status

    db = app.open(write=True)
    with db.session() as session:
        updated = set_status(session, claim_id, status, user=db.user)
        click.echo(f"Claim {claim_id} is now {updated.status}", err=True)


@claim.command(name="edit")
@click.argument("claim_id", type=int)
@click.option("--text", help="New wording of the claim.")
@click.option("--summary", help="A short summary (under 75 characters) for exports.")
@click.option("--speaker", help="Who made the claim.")
@click.option("--date", "claim_date", help="When the claim was made (YYYY-MM-DD).")
@pass_app
def claim_edit(
    app: App,
    claim_id: int,
    text: str | None,
    summary: str | None,
    speaker: str | None,
    claim_date: str | None,
) -> None:
    """Change a claim's text, summary, speaker or date; the old values stay in its history.

    \b
    Example:
      factcheck claim edit 3 --summary "North Korea behind WannaCry" --speaker "Tom Bossert"
    """
    from factcheck.claims import edit_claim

    values: dict[str, object] = {}
    if text is not None:
        values["text"] = text
    if summary is not None:
        values["summary"] = summary
    if speaker is not None:
        values["speaker"] = speaker
    if claim_date is not None:
        values["claim_date"] = parse_date_option(claim_date, "claim date")
    db = app.open(write=True)
    with db.session() as session:
        edit_claim(session, claim_id, values, user=db.user)
    click.echo(f"Claim {claim_id} updated", err=True)


@claim.command(name="similar")
@click.argument("claim_id", type=int, required=False)
@click.option("--text", "text", metavar="TEXT", help="Look up this text instead of a claim.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Hide matches scoring below this.",
)
@click.option("--lexical", is_flag=True, help="Match words only, even with the models extra.")
@output_option()
@pass_app
def claim_similar(
    app: App,
    claim_id: int | None,
    text: str | None,
    limit: int,
    min_score: float,
    lexical: bool,
    fmt: str,
) -> None:
    """List claims that may say the same thing, with a score and their verdicts, best first.

    Give a claim's id, or --text for a text that is not in the desk (a reader's tip).
    Matches are suggestions; confirm one with `factcheck claim link`.

    \b
    Example:
      factcheck claim similar 12
      factcheck claim similar --text "Pyongyang was behind WannaCry" --limit 5 --format json
    """
    from factcheck.claims import get_claim
    from factcheck.search import matcher_notice, similar_claims

    if (claim_id is None) == (text is None):
        raise click.UsageError("give a CLAIM_ID, or --text TEXT, but not both")
    if text is not None and not text.strip():
        raise click.UsageError("--text is empty: give the words to look up")
    notice = matcher_notice(lexical)
    if notice:
        click.echo(notice, err=True)
    db = app.open(write=False)
    with db.session() as session:
        query = text if text is not None else get_claim(session, claim_id).text  # type: ignore[arg-type]
        rows = similar_claims(
            session,
            query,
            exclude_id=claim_id,
            limit=limit,
            min_score=min_score,
            semantic=False if lexical else None,
        )
    if not rows and fmt not in ("json", "jsonl", "csv"):
        what = f"claim {claim_id}" if claim_id is not None else "that text"
        click.echo(f"No claim resembles {what} (score >= {min_score}).", err=True)
        return
    emit(rows, ("id", "score", "verdict", "speaker", "text"), fmt, wrap_column="text")


@claim.command(name="link")
@click.argument("claim_id", type=int)
@click.argument("other_id", type=int)
@click.option("--note", help="Why they are the same claim.")
@pass_app
def claim_link(app: App, claim_id: int, other_id: int, note: str | None) -> None:
    """Confirm that two claims say the same thing (shown in `claim show`).

    \b
    Example:
      factcheck claim link 12 3 --note "same figure, reworded"
    """
    from factcheck.search import link_claims

    db = app.open(write=True)
    with db.session() as session:
        link_claims(session, claim_id, other_id, user=db.user, note=note)
    click.echo(f"Linked claim {claim_id} with claim {other_id}", err=True)


COMMANDS = [claim]
