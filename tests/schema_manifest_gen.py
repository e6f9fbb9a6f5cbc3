"""Build a file at each schema revision through the real migrations and print the manifest.

Run `python -m tests.schema_manifest_gen` when a new revision is added and paste its entry into
factcheck/schema_manifest.py; entries of released revisions are frozen and never regenerated.
tests/test_schema_objects.py fails while the migrations and the manifest disagree.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from factcheck import sqlite
from factcheck.db import KNOWN_REVISIONS


def objects_at(revision: str, folder: Path) -> sqlite.SchemaObjects:
    from tests.test_migrations import make_old_file

    path = folder / f"at-{revision}.db"
    make_old_file(path, revision)
    conn = sqlite3.connect(path)
    try:
        return sqlite.schema_objects(conn)
    finally:
        conn.close()


def render(manifest: dict[str, sqlite.SchemaObjects]) -> str:
    lines = ["MANIFEST: dict[str, SchemaObjects] = {"]
    for revision, objects in manifest.items():
        lines.append(f'    "{revision}": {{')
        for (kind, name), digest in sorted(objects.items()):
            lines.append(f'        ("{kind}", "{name}"): "{digest}",')
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        print(render({r: objects_at(r, Path(tmp)) for r in KNOWN_REVISIONS}))
