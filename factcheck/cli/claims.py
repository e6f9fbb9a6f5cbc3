"""`factcheck claim ...`: add, show and move claims through the workflow."""

from __future__ import annotations

from typing import Any

import click

from factcheck.cli.common import App, emit, output_option, parse_date_option, pass_app
from factcheck.formats import DATA_FORMATS, JSON_FORMATS

CLAIM_FIELDS = (
    "id",
    "uuid",
    "text",
    "summary",
    "speaker",
    "speaker_kind",
    "speaker_type",
    "cites",
    "status",
    "verdict",
    "score",
    "score_model",
    "source_id",
    "char_start",
    "char_end",
    "claim_date",
    "assignee",
    "due_date",
    "priority",
    "tags",
    "created_at",
    "created_by",
)


DATE_HELP = "ISO date (2017-05-14, 2017-05 or 2017) or 14 May 2017."
SPEAKER_TYPE_OPTION = click.option(
    "--speaker-type",
    type=click.Choice(["person", "organization"]),
    help="Whether the speaker is a person or an organisation (ClaimReview author @type).",
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
@SPEAKER_TYPE_OPTION
@click.option("--source", "source_id", type=int, help="Id of the source it appeared in.")
@click.option("--start", "char_start", type=int, help="Character offset where it starts.")
@click.option("--end", "char_end", type=int, help="Character offset where it ends.")
@click.option("--date", "claim_date", help="When the claim was made: " + DATE_HELP)
@click.option("--summary", help="A short summary (under 75 characters) for exports.")
@pass_app
def claim_add(
    app: App,
    text: str,
    speaker: str | None,
    speaker_type: str | None,
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

    def work(session: Any) -> tuple[int | None, str]:
        new = add_claim(
            session,
            text,
            user=db.user,
            speaker=speaker,
            speaker_type=speaker_type,
            source_id=source_id,
            char_start=char_start,
            char_end=char_end,
            claim_date=when,
            summary=summary,
        )
        return new.id, new.text

    claim_id, stored = db.transaction(work)
    # After the commit, outside the write lock: on a large desk this search takes longer than
    # the write, and other writers need not wait for a notice.
    with db.read_session() as session:
        similar = similar_claims(
            session, stored, exclude_id=claim_id, limit=3, min_score=NOTICE_SCORE
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
@click.option("--full", is_flag=True, help="Do not shorten titles and URLs.")
@output_option("plain")
@pass_app
def claim_show(app: App, claim_id: int, full: bool, fmt: str) -> None:
    """Show a claim with its source, evidence, verdict history and where it was published.

    Excerpts, notes and rationales are shown whole; long titles and URLs are shortened
    unless --full.

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
    if fmt in JSON_FORMATS:
        click.echo(to_json(detail, indent=2 if fmt == "json" else None))
        return
    if fmt == "csv":
        emit([dict(detail, tags=", ".join(detail["tags"]))], CLAIM_FIELDS, fmt)
        return
    click.echo("\n".join(_claim_lines(detail, claim_id, render_record, full)))


def _claim_lines(detail: dict, claim_id: int, render_record: Any, full: bool) -> list[str]:  # type: ignore[type-arg]
    from factcheck.render import safe_text, truncate

    def short(value: Any, width: int) -> str:
        text = safe_text(str(value or ""))
        return text if full else truncate(text, width)

    def whole(value: Any) -> str:
        return safe_text(str(value))

    lines = [render_record(dict(detail, tags=", ".join(detail["tags"])), CLAIM_FIELDS)]
    source = detail["source"]
    if source:
        lines.append(
            f"source:       {source['id']}: {short(source['title'], 60)} {short(source['url'], 70)}"
        )
    publication = detail["publication"]
    if publication:
        where = short(publication["url"], 70) if publication["url"] else "(no URL recorded)"
        lines.append(
            f"published:    {publication['published_on'] or ''} {where} "
            f"(verdict {publication['verdict_id']}, by {whole(publication['published_by'])})"
        )
        if publication["needs_update"]:
            lines.append(
                "              NEEDS AN UPDATE: the current verdict is newer than the published "
                f"one; update the article, then `factcheck claim publish {claim_id} --url URL`"
            )
    lines.append("\nEvidence:")
    if not detail["evidence"]:
        lines.append(
            "  none yet: add with `factcheck evidence add "
            f"{claim_id} --source ID --stance supports`"
        )
    for item in detail["evidence"]:
        title = short(item["source_title"], 60) if item["source_title"] else ""
        withdrawn = "WITHDRAWN " if item["withdrawn"] else ""
        lines.append(
            f"  [{item['id']}] {withdrawn}{item['stance']}: source {item['source_id']} {title} "
            f"{short(item['source_url'], 70)}".rstrip()
        )
        if item["excerpt"]:
            lines.append(f"      excerpt (quoted from the source): {whole(item['excerpt'])}")
        if item["note"]:
            lines.append(f"      our note: {whole(item['note'])}")
        lines.append(f"      added by {whole(item['created_by'])} at {item['created_at'][:19]}")
        if item["withdrawn"]:
            gone = item["withdrawn"]
            lines.append(
                f"      withdrawn by {whole(gone['withdrawn_by'])} at {gone['withdrawn_at'][:19]}: "
                f"{whole(gone['reason'])}"
            )
    lines.append("\nVerdicts (newest first):")
    if not detail["verdicts"]:
        lines.append(f"  none yet: record one with `factcheck verdict add {claim_id} RATING`")
    for verdict in detail["verdicts"]:
        marks = " CURRENT" if verdict["current"] else ""
        if verdict["supersedes"]:
            marks += " (supersedes " + ", ".join(str(i) for i in verdict["supersedes"]) + ")"
        lines.append(
            f"  [{verdict['id']}] {verdict['rating']} on {verdict['scale']}, by "
            f"{whole(verdict['reviewer'])} at {verdict['created_at'][:19]}{marks}"
        )
        if verdict["rationale"]:
            lines.append(f"      rationale: {whole(verdict['rationale'])}")
    if detail["conflict"]:
        lines.append(
            "\nConflict: verdicts made on different copies of the file disagree; record a new "
            f"verdict (`factcheck verdict add {claim_id} RATING`) to resolve it. It cannot be "
            "published until then."
        )
    if detail["outside_reviews"]:
        lines.append("\nChecked by other fact-checkers (context, not our verdict):")
        for review in detail["outside_reviews"]:
            lines.append(f"  {whole(review['checked_by'])} ({review['created_at'][:10]})")
    if detail["linked"]:
        lines.append("\nSame claim as (confirmed):")
        for other in detail["linked"]:
            lines.append(
                f"  [{other['id']}] {other['verdict'] or 'no verdict'}: {whole(other['text'])} "
                f"(linked by {whole(other['linked_by'])})"
            )
    if detail["notes"]:
        lines.append("\nNotes (ours, oldest first):")
        for note in detail["notes"]:
            lines.append(
                f"  {whole(note['created_by'])} at {note['created_at'][:19]}: {whole(note['text'])}"
            )
    if detail["history"]:
        lines.append("\nEdits (newest first):")
        for change in detail["history"]:
            lines.append(
                f"  {change['field']}: {whole(change['old'])} -> {whole(change['new'])} "
                f"({whole(change['created_by'])}, {str(change['created_at'])[:19]})"
            )
    return lines


@claim.command(name="status")
@click.argument("args", metavar="[ID]... STATUS", nargs=-1, required=True)
@click.option("--source", "source_id", type=int, help="Every claim from this source id.")
@pass_app
def claim_status(app: App, args: tuple[str, ...], source_id: int | None) -> None:
    """Move claims: new, researching, reviewed, published or dismissed.

    Give one or more claim ids, or --source ID for every claim of an article. All of them
    move, or none does (one unknown id or one claim that cannot move changes nothing).
    Moving a claim to published is `claim publish` without a URL: refused while its
    verdicts conflict.

    \b
    Example:
      factcheck claim status 1 researching
      factcheck claim status 3 4 5 dismissed
      factcheck claim status --source 7 dismissed
    """
    from factcheck.desk import claims_of_source, set_status_many

    *raw_ids, status = args
    if (source_id is None) == (not raw_ids):
        raise click.UsageError("give claim ids or --source ID (not both), then the status")
    try:
        claim_ids = list(dict.fromkeys(int(i) for i in raw_ids))
    except ValueError:
        bad = next((i for i in raw_ids if not i.strip().isdigit()), raw_ids[0])
        raise click.UsageError(
            f"{bad!r} is not a claim id: give numbers, then the status"
        ) from None
    db = app.open(write=True)
    with db.session() as session:
        if source_id is not None:
            claim_ids = claims_of_source(session, source_id)
        updated = set_status_many(session, claim_ids, status, user=db.user)
        new_status = updated[0].status
    ids = ", ".join(str(i) for i in claim_ids)
    noun = "Claim" if len(claim_ids) == 1 else "Claims"
    click.echo(f"{noun} {ids} {'is' if len(claim_ids) == 1 else 'are'} now {new_status}", err=True)
    if new_status == "published":
        click.echo(
            f"Record where it was published: factcheck claim publish {ids.replace(',', '')} "
            "--url URL",
            err=True,
        )


@claim.command(name="assign")
@click.argument("claim_id", type=int)
@click.argument("assignee", required=False)
@click.option("--due", help="When the check is due: " + DATE_HELP)
@click.option(
    "--priority",
    type=click.Choice(["low", "normal", "high", "urgent"]),
    help="How urgent the claim is.",
)
@click.option("--unassign", is_flag=True, help="Take the claim off whoever has it.")
@click.option("--no-due", is_flag=True, help="Remove the due date.")
@pass_app
def claim_assign(
    app: App,
    claim_id: int,
    assignee: str | None,
    due: str | None,
    priority: str | None,
    unassign: bool,
    no_due: bool,
) -> None:
    """Put a checker on a claim, with a due date and a priority; old values stay in its history.

    NAME "me" is you (--as or FACTCHECK_USER).

    \b
    Example:
      factcheck claim assign 12 "A. Checker" --due 2026-12-04 --priority high
      factcheck claim assign 12 --priority urgent
      factcheck claim assign 12 --unassign
    """
    from factcheck.desk import assign_claim

    if unassign and assignee is not None:
        raise click.UsageError("give a NAME or --unassign, not both")
    if no_due and due is not None:
        raise click.UsageError("give --due DATE or --no-due, not both")
    when = parse_date_option(due, "due date") if due is not None else None
    if due is not None and when is None:
        raise click.UsageError("--due is empty: give a date, or --no-due to remove it")
    clear = tuple(f for f, on in (("assignee", unassign), ("due_date", no_due)) if on)
    db = app.open(write=True)
    if assignee is not None and assignee.strip().lower() == "me":
        assignee = db.user
    with db.session() as session:
        claim = assign_claim(
            session,
            claim_id,
            user=db.user,
            assignee=assignee,
            due_date=when,
            priority=priority,
            clear=clear,
        )
        who = claim.assignee or "nobody"
        due_text = f", due {claim.due_date}" if claim.due_date else ""
        level = claim.priority or "normal"
    from factcheck.render import safe_text

    click.echo(f"Claim {claim_id}: {safe_text(who)}{due_text}, priority {level}", err=True)


@claim.command(name="note")
@click.argument("claim_id", type=int)
@click.argument("text")
@pass_app
def claim_note(app: App, claim_id: int, text: str) -> None:
    """Add a note to a claim's thread (who and when are recorded; notes are never changed).

    \b
    Example:
      factcheck claim note 12 "Called the ministry; waiting for the dataset"
    """
    from factcheck.desk import add_note

    db = app.open(write=True)
    with db.session() as session:
        add_note(session, claim_id, text, user=db.user)
    click.echo(f"Added a note to claim {claim_id}", err=True)


@claim.command(name="tag")
@click.argument("claim_id", type=int)
@click.argument("tags", metavar="TAG...", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Take these tags off instead.")
@pass_app
def claim_tag(app: App, claim_id: int, tags: tuple[str, ...], remove: bool) -> None:
    """Tag a claim (tags are lower case; spaces become hyphens), or untag it with --remove.

    \b
    Example:
      factcheck claim tag 12 health vaccines
      factcheck claim tag 12 vaccines --remove
    """
    from factcheck.desk import tag_claim, tags_for
    from factcheck.render import safe_text

    db = app.open(write=True)
    with db.session() as session:
        changed = tag_claim(session, claim_id, list(tags), user=db.user, remove=remove)
        now = tags_for(session, claim_id)
    if not changed:
        state = "has none of these tags" if remove else "already has these tags"
        click.echo(f"Claim {claim_id} {state}: nothing changed", err=True)
    shown = safe_text(", ".join(now)) if now else "none"
    click.echo(f"Claim {claim_id} tags: {shown}", err=True)


@claim.command(name="publish")
@click.argument("claim_ids", metavar="ID...", type=int, nargs=-1, required=True)
@click.option("--url", help="Where our fact check of it was published.")
@click.option("--date", "published_on", help="When it was published (default: today). " + DATE_HELP)
@pass_app
def claim_publish(
    app: App, claim_ids: tuple[int, ...], url: str | None, published_on: str | None
) -> None:
    """Mark claims published: the URL and date of our fact check, and the verdict it states.

    Refused while a claim's verdicts conflict. A later verdict marks the claim as needing
    an update (shown in `review`); publish it again when the article is updated.

    \b
    Example:
      factcheck claim publish 1 --url https://factcheck.example.org/2017/wannacry --date 2017-12-20
    """
    from factcheck.publishing import publish_claim

    when = parse_date_option(published_on, "publication date")
    db = app.open(write=True)
    with db.session() as session:
        for claim_id in claim_ids:  # one transaction: all of them or none
            publish_claim(session, claim_id, user=db.user, url=url, published_on=when)
    where = f" at {url}" if url else ""
    ids = ", ".join(str(i) for i in claim_ids)
    click.echo(f"Published claim(s) {ids}{where}", err=True)
    if not url:
        click.echo(
            "No URL given: ClaimReview needs the published fact check's address; add it with "
            f"`factcheck claim publish {claim_ids[0]} --url URL`",
            err=True,
        )


@claim.command(name="edit")
@click.argument("claim_id", type=int)
@click.option("--text", help="New wording of the claim.")
@click.option("--summary", help="A short summary (under 75 characters) for exports.")
@click.option("--speaker", help="Who made the claim.")
@SPEAKER_TYPE_OPTION
@click.option("--date", "claim_date", help=DATE_HELP)
@pass_app
def claim_edit(
    app: App,
    claim_id: int,
    text: str | None,
    summary: str | None,
    speaker: str | None,
    speaker_type: str | None,
    claim_date: str | None,
) -> None:
    """Change a claim's text, summary, speaker or date; the old values stay in its history.

    \b
    Example:
      factcheck claim edit 3 --summary "North Korea behind WannaCry" --speaker "Tom Bossert"
      factcheck claim edit 5 --speaker-type organization
    """
    from factcheck.claims import edit_claim

    values: dict[str, object] = {}
    if text is not None:
        values["text"] = text
    if summary is not None:
        values["summary"] = summary
    if speaker is not None:
        values["speaker"] = speaker
    if speaker_type is not None:
        values["speaker_type"] = speaker_type
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
    notice = matcher_notice(lexical, text)
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
            across_languages=False if lexical else None,
        )
    if not rows and fmt not in DATA_FORMATS:
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
    from factcheck.claims import link_claims

    db = app.open(write=True)
    with db.session() as session:
        link_claims(session, claim_id, other_id, user=db.user, note=note)
    click.echo(f"Linked claim {claim_id} with claim {other_id}", err=True)


COMMANDS = [claim]
