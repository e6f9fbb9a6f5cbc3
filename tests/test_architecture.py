"""Start-up stays light and imports go one way: cli -> core -> models."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, factcheck_exe

PACKAGE = ROOT / "factcheck"
SQL_FSTRING = re.compile(r"\b(?:execute|exec_driver_sql|text)\(f[\"']")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from factcheck.cli import cli\n"
        "try:\n"
        "    cli.main(['--help'], prog_name='factcheck')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('alembic', 'sqlalchemy', 'sqlmodel', 'tabulate', 'pysbd', 'dateutil',"
        " 'factcheck.extract', 'factcheck.db', 'jinja2', 'numpy', 'onnxruntime') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr


def test_every_command_help_works_and_has_an_example() -> None:
    from factcheck.cli import cli

    def walk(group, prefix):  # type: ignore[no-untyped-def]
        for name, command in group.commands.items():
            yield (*prefix, name), command
            if hasattr(command, "commands"):
                yield from walk(command, (*prefix, name))

    for path, command in walk(cli, ()):
        assert command.help and "Example:" in command.help, path
        done = subprocess.run(
            [factcheck_exe(), *path, "--help"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0 and "Example:" in done.stdout, (path, done.stderr)


def test_only_cli_imports_click() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        assert "click" not in _imports(path), path


def test_nothing_imports_cli_and_extract_render_never_see_the_database() -> None:
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).parts
        imports = _imports(path)
        if rel[0] != "cli" and path.name != "__main__.py":
            assert not any(m.startswith("factcheck.cli") for m in imports), path
        if rel[0] == "extract" or path.name == "render.py":
            banned = ("sqlmodel", "sqlalchemy", "factcheck.db", "factcheck.models", "click")
            assert not any(m.startswith(banned) for m in imports), path


def test_no_sql_is_built_by_string_formatting() -> None:
    """f-strings in SQL are allowed only where a comment says why the values are safe."""
    for path in list(PACKAGE.rglob("*.py")) + list((ROOT / "migrations").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SQL_FSTRING.search(line) and "safe" not in line:
                raise AssertionError(f"{path}:{number}: {line.strip()}")


def test_migrations_are_frozen_snapshots() -> None:
    """A revision carries its own SQL: it imports no factcheck helper that later code may change."""
    for path in sorted((ROOT / "migrations" / "versions").glob("0*.py")):
        imports = _imports(path)
        assert not any(m.startswith("factcheck") for m in imports), (path, imports)
