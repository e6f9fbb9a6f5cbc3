"""Shared fixtures: every test works in its own folder with its own real SQLite file."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

# Which sentences become claims depends on the check-worthiness model, and the suite's
# expectations were written for the pure-Python one; tests of the models extra's transformer
# (tests/test_checkworthy.py) ask for it by name.
os.environ.setdefault("FACTCHECK_CHECKWORTHY_MODEL", "linear")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "wannacry-attribution.txt"


def factcheck_exe() -> str:
    """The installed `factcheck` command beside the running interpreter."""
    candidate = Path(sys.executable).with_name("factcheck")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("factcheck")
    assert found, "the factcheck command is not installed: pip install -e '.[test]'"
    return found


@pytest.fixture(scope="session", autouse=True)
def bytecode_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Compiled bytecode for every `factcheck` the tests start.

    Where PYTHONDONTWRITEBYTECODE is set (as in many container images), nothing writes the
    editable package's __pycache__, so each of the suite's thousands of `factcheck` processes
    compiled every factcheck module it imports again. The processes the tests start write and
    read their bytecode in a session folder instead (PYTHONPYCACHEPREFIX), never in the repo.
    The prefix applies to every module, so the variable must go too: with it kept, the
    installed libraries' own __pycache__ would be skipped and recompiled on every start."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        yield
        return
    dont_write = os.environ.pop("PYTHONDONTWRITEBYTECODE")
    os.environ["PYTHONPYCACHEPREFIX"] = str(tmp_path_factory.mktemp("pycache"))
    try:
        yield
    finally:
        os.environ.pop("PYTHONPYCACHEPREFIX", None)
        os.environ["PYTHONDONTWRITEBYTECODE"] = dont_write


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test can touch a real desk or see a model built in the user's cache: cwd,
    FACTCHECK_DB, FACTCHECK_MODELS_DIR and the user all point at tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTCHECK_DB", str(tmp_path / "desk.db"))
    monkeypatch.setenv("FACTCHECK_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("FACTCHECK_USER", "tester")
    monkeypatch.delenv("FACTCHECK_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh database built once through the real migrations, copied by `db_path`."""
    from factcheck.db import open_database

    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(path, write=True, user="tester").close()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke the CLI in-process with CliRunner (stdout and stderr kept apart)."""
    from factcheck.cli import cli

    def invoke(*args: str, input: str | bytes | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def run_installed(
    *args: str,
    cwd: Path | None = None,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [factcheck_exe(), *args],
        cwd=cwd,
        input=input.decode() if input else None,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def run_in_process(
    *args: str,
    cwd: Path | None = None,
    input: bytes | str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """What run_installed returns, from the same Click command run in this process.

    For tests whose point is what a command does, not the installed entry point: it saves
    the 0.5-1 s interpreter start and imports of every run. An exception escaping the command
    is raised here (the installed command would print a traceback), so it fails the test.
    Not for threads: CliRunner swaps sys.stdout, the environment and the working folder
    for the whole process, so concurrent runs must stay run_installed."""
    import threading

    from factcheck.cli import cli

    assert threading.current_thread() is threading.main_thread(), (
        "run_in_process is not thread-safe: use run_installed in threads"
    )
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(
            cli, list(args), input=input, env=env, catch_exceptions=False, prog_name="factcheck"
        )
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(
        ["factcheck", *args], result.exit_code, result.stdout, result.stderr
    )


def run_factcheck(
    *args: str,
    installed: bool = False,
    cwd: Path | None = None,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """One way for a test file to run a command: in this process unless `installed`.

    A test about the `factcheck` command itself (its entry point, exit codes from a real
    process, signals, concurrency) passes installed=True; both give returncode, stdout, stderr."""
    if installed:
        return run_installed(*args, cwd=cwd, input=input, env=env)
    return run_in_process(*args, cwd=cwd, input=input, env=env)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(path: Path) -> list[str]:
    """Every row of every table, to compare a database before and after a failed command."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def assert_error(result: Result, fragment: str, code: int = 1) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    assert fragment.lower() in lines[0].lower(), result.stderr
    assert "Traceback" not in result.stderr


# The PostgreSQL server, its per-test databases and the `backend` parameter (sqlite, postgres).
from tests.pg import backend, pg_empty_url, pg_server, pg_url  # noqa: E402, F401
