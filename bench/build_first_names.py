"""Build factcheck/extract/data/first-names.tsv.gz from the nomquamgender package's name data.

    pip download --no-deps nomquamgender==0.1.4 && unzip nomquamgender-0.1.4-*.whl -d /tmp/nqg
    .venv/bin/python bench/build_first_names.py /tmp/nqg/nomquamgender/name_data.json

nomquamgender (MIT licence, Van Buskirk, Clauset and Larremore) gives, for each first name, the
number of sources and of people it was counted in and p(gf), the share of them gendered female.
We keep names seen at least MIN_COUNT times in at least MIN_SOURCES sources, and label them
f (p >= 0.9), m (p <= 0.1) or - (a first name either way), the package's own default threshold.
The result is about 20 KB gzipped, so it ships in the wheel and needs no dependency at run time.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

MIN_COUNT = 2000
MIN_SOURCES = 15
OUT = Path(__file__).resolve().parent.parent / "factcheck/extract/data/first-names.tsv.gz"


def main(source: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    rows = []
    for name, (sources, count, pgf, *_rest) in sorted(data.items()):
        if count < MIN_COUNT or sources < MIN_SOURCES:
            continue
        if not re.fullmatch(r"[a-z\u00e0-\u017e]+(?:-[a-z\u00e0-\u017e]+)?", name):
            continue
        gender = "f" if pgf >= 0.9 else "m" if pgf <= 0.1 else "-"
        rows.append(f"{name}\t{gender}")
    header = (
        "# first names and their usual gender, derived from nomquamgender 0.1.4 "
        "(MIT licence, (c) 2022 Ian Van Buskirk) by bench/build_first_names.py\n"
    )
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(header + "\n".join(rows) + "\n")
    print(f"{len(rows)} names -> {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
