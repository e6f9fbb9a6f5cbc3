"""The package's own exceptions. The CLI turns each into one `Error:` line and exit code 1."""

from __future__ import annotations


class FactcheckError(Exception):
    """Something the user can fix; the message says what went wrong and how to fix it."""


class DatabaseFileError(FactcheckError):
    """The file at --db is missing, not ours, damaged, or from a newer factcheck."""


class NotFound(FactcheckError):
    """An id, label or scale that does not exist."""


class InvalidInput(FactcheckError):
    """A value that cannot be stored as given (empty text, bad URL, bad date ...)."""


def role_may_not_write(shown: str) -> str:
    """A server refused a write to a role without the privilege: one wording, whether the
    refusal came through SQLAlchemy or straight from the driver."""
    return (
        f"{shown} refused this: your database role may not do it (it is read-only for you); "
        "nothing was written. Ask the server's administrator for a role that may write "
        "(README: Roles)"
    )
