"""Progress bars go to stderr only when it is a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from tests.conftest import factcheck_exe


def _sheet(path: Path, rows: int = 30_000) -> Path:
    with path.open("w") as out:
        out.write("text\n")
        for i in range(rows):
            out.write(f"Claim {i} about the budget\n")
    return path


def run_on_tty(
    args: list[str], *, stream: str = "stderr", env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run args with one stream (stderr or stdout) on a pseudo-terminal; what it wrote there."""
    master, slave = pty.openpty()
    where = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: slave}
    proc = subprocess.Popen(
        args,
        stdout=where["stdout"],
        stderr=where["stderr"],
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode(errors="replace")


def _run_with_tty_stderr(args: list[str]) -> tuple[int, str]:
    return run_on_tty(args, stream="stderr")


def test_import_and_export_show_progress_on_a_terminal(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "claims.csv")
    db = str(tmp_path / "desk.db")
    code, err = _run_with_tty_stderr([factcheck_exe(), "--db", db, "import", str(sheet)])
    assert code == 0, err
    assert "Importing" in err and "30000" in err.replace(",", "")
    code, err = _run_with_tty_stderr(
        [factcheck_exe(), "--db", db, "export", "csv", "-o", str(tmp_path / "out.csv")]
    )
    assert code == 0, err
    assert "Exporting" in err


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "claims.csv")
    db = str(tmp_path / "desk.db")
    done = subprocess.run(
        [factcheck_exe(), "--db", db, "import", str(sheet)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert "Importing" not in done.stderr and "\r" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith("Imported ")
    done = subprocess.run(
        [factcheck_exe(), "--db", db, "export", "csv"], capture_output=True, text=True, timeout=120
    )
    assert "Exporting" not in done.stderr
