"""The README stays true: its set-up commands are CI's, its walkthrough runs line by line."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

from tests.conftest import ROOT, run_in_process, run_installed

README = (ROOT / "README.md").read_text()


def _commands(block: str) -> list[str]:
    return [line for line in block.splitlines() if line and not line.startswith(("#", "```"))]


def test_ci_runs_the_readme_setup_commands_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    ci_lines = [line for line in ci.splitlines() if line.startswith("python3 -m venv")]
    readme_lines = re.findall(r"^python3 -m venv .*$", README, flags=re.MULTILINE)
    assert len(readme_lines) == 2
    assert ci_lines == readme_lines
    assert "seeds/wannacry-attribution.txt" in readme_lines[0]
    assert "pytest" in readme_lines[1]


def test_walkthrough_runs_line_by_line(tmp_path: Path) -> None:
    block = README.split("<!-- walkthrough:start -->")[1].split("<!-- walkthrough:end -->")[0]
    commands = _commands(block)
    assert len(commands) >= 10
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    env = {"FACTCHECK_DB": str(tmp_path / "walk.db"), "FACTCHECK_USER": "readme"}
    for line in commands:
        argv = shlex.split(line)
        assert argv[0] == "factcheck", line
        done = run_installed(*argv[1:], cwd=tmp_path, env=env)
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        assert "Traceback" not in done.stderr
    assert (tmp_path / "desk-copy.db").exists()


def test_walkthrough_runs_line_by_line_on_a_server(tmp_path: Path, pg_empty_url: str) -> None:
    """The same block against a new PostgreSQL database (`db upgrade` first, as the server
    section says); skipped without PostgreSQL binaries, failed under CI. The test above runs
    each line through the installed command; this one runs them in-process, which is faster."""
    block = README.split("<!-- walkthrough:start -->")[1].split("<!-- walkthrough:end -->")[0]
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    env = {"FACTCHECK_DB": pg_empty_url, "FACTCHECK_USER": "readme"}
    upgrade = run_in_process("db", "upgrade", cwd=tmp_path, env=env)
    assert upgrade.returncode == 0, upgrade.stderr
    for line in _commands(block):
        argv = shlex.split(line)
        assert argv[0] == "factcheck", line
        done = run_in_process(*argv[1:], cwd=tmp_path, env=env)
        assert "Traceback" not in done.stderr, line
        assert done.returncode == 0, f"{line}\n{done.stderr}"
    # Sam's edit on the field copy came back to the server with `merge`
    shown = run_in_process("claim", "show", "1", "--format", "json", cwd=tmp_path, env=env)
    assert json.loads(shown.stdout)["summary"] == "WannaCry hit 300,000 users"
    # the field copies are desk files, the last one with every claim the server holds
    copy = run_in_process(
        "review",
        "--all",
        "--format",
        "json",
        cwd=tmp_path,
        env={"FACTCHECK_DB": str(tmp_path / "desk-copy.db")},
    )
    on_server = run_in_process("review", "--all", "--format", "json", cwd=tmp_path, env=env)
    assert copy.returncode == 0 and copy.stdout == on_server.stdout
