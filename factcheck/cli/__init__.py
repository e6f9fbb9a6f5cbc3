"""The factcheck command line. Commands parse, call the core, render; nothing else.

Only click is imported here: `factcheck --help` must not pay for SQLAlchemy or alembic.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from factcheck import __version__
from factcheck.cli.common import App, DatabaseLocation
from factcheck.errors import FactcheckError, role_may_not_write


class Terminated(BaseException):
    """SIGTERM, raised where the process is so the open transaction rolls back."""


def _on_sigterm(_signum: int, _frame: object) -> None:
    raise Terminated()


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _translate(exc: BaseException, app: App | None) -> str:
    """A plain-words message for failures that come from SQLite or the operating system."""
    path = app.shown if app else "the database"
    text = str(exc).lower()
    if "database is locked" in text or "database table is locked" in text:
        return (
            f"{path} is busy: another factcheck command kept it locked for longer than the "
            "wait limit; nothing was written. Try again, or raise FACTCHECK_BUSY_TIMEOUT (seconds)"
        )
    if "permission denied for" in text:  # a PostgreSQL role without the right privileges
        return role_may_not_write(path)
    if "server closed the connection" in text or "terminating connection" in text:
        return (
            f"lost the connection to {path} before the command finished; nothing was written. "
            "Check that the server is running and try again"
        )
    if "readonly database" in text or "read-only" in text:
        return f"{path} is read-only, so nothing was written: check the file's permissions"
    if "disk is full" in text or "no space left" in text or "file too large" in text:
        return "the disk is full; nothing was written: free some space and try again"
    if "disk i/o error" in text:
        return (
            "could not write to the disk (it may be full, the file too large, or the device "
            "failing); nothing was written: free some space and try again"
        )
    if "not a database" in text or "malformed" in text:
        return f"{path} is damaged ({_one_line(str(exc))}): restore it from a backup"
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}: check the path and permissions"
    return (
        f"unexpected failure ({type(exc).__name__}: {_one_line(str(exc))[:300]}); nothing was "
        "written. Run again with FACTCHECK_DEBUG=1 to see the details, and report it"
    )


class FactcheckGroup(click.Group):
    """The error boundary: the package's errors become one `Error:` line and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return self._invoke(ctx)
        except BaseException as exc:
            if not isinstance(exc, click.exceptions.Exit) or exc.exit_code != 0:
                app = ctx.find_object(App)
                if app is not None:
                    try:
                        app.discard_new_file()
                    except Exception:  # never hide the real error behind a clean-up one
                        pass
            raise

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # a reader that leaves (`| head`) is handled quietly in main()
        except FactcheckError as exc:
            raise click.ClickException(_one_line(str(exc))) from None
        except KeyboardInterrupt:
            click.echo("Error: cancelled, nothing written", err=True)
            raise click.exceptions.Exit(130) from None
        except Terminated:
            click.echo("Error: terminated, nothing written", err=True)
            raise click.exceptions.Exit(143) from None
        except Exception as exc:
            if os.environ.get("FACTCHECK_DEBUG") == "1":
                raise
            app = ctx.find_object(App)
            raise click.ClickException(_translate(exc, app)) from None


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from factcheck.embedding import models_available

    click.echo(f"factcheck, version {__version__}")
    for task, model in models_available().items():
        click.echo(f"  {task}: {model}")
    ctx.exit()


@click.group(cls=FactcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and the models available, and exit.",
)
@click.option(
    "--db",
    "db_path",
    type=DatabaseLocation(),
    envvar="FACTCHECK_DB",
    default="factcheck.db",
    show_default=True,
    help="The desk's database file, or a postgresql:// server URL (env FACTCHECK_DB).",
)
@click.option(
    "--as",
    "user",
    metavar="NAME",
    envvar="FACTCHECK_USER",
    help="Who is working, recorded on every row (env FACTCHECK_USER; default: the OS user).",
)
@click.pass_context
def cli(ctx: click.Context, db_path: Path | str, user: str | None) -> None:
    """Track fact-check claims, evidence and verdicts in one SQLite file.

    \b
    Example:
      factcheck import seeds/wannacry-attribution.txt
      factcheck review
    """
    app = App(db_path, user)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _register() -> None:
    from factcheck.cli import (
        claims,
        dbcmd,
        evidence,
        exchange,
        importing,
        review,
        search,
        sources,
        speakers,
        verdicts,
    )

    modules = (claims, sources, evidence, verdicts, review, search, importing, exchange, dbcmd)
    for module in (*modules, speakers):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
    from factcheck.cli.common import guard_terminal

    guard_terminal()
    try:
        cli.main(prog_name="factcheck")
    except BrokenPipeError:
        # `factcheck review | head`: the reader left; say nothing, like other Unix tools.
        sys.stderr.close()
        os._exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
