"""Write Wikinews articles from the GUM corpus as unlabelled files of bench/speakers/.

    .venv/bin/python bench/speakers_from_gum.py GUM_DEP_DIR COMMIT OUT_DIR NAME...

GUM (github.com/amir-zeldes/gum) holds Wikinews news stories and interviews (CC BY 2.5) as
CoNLL-U with each sentence's text, its paragraph breaks and the page's block kinds (headline,
caption). This writes one file per document in the corpus format of bench/speakers/README.md:
the header records the Wikinews URL and the GUM commit; the headline line is labelled
`title` and caption lines `f: caption` from GUM's own markup; every other label is added by
hand afterwards.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def convert(path: Path, commit: str) -> str:
    meta: dict[str, str] = {}
    paragraphs: list[list[str]] = []
    block = ""
    left = 0  # sentences left in the current block; GUM counts them as "(N s)"
    first = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# meta::"):
            key, _, value = line[len("# meta::") :].partition(" = ")
            meta[key] = value
        elif line.startswith("# newpar_block"):
            block = line.partition(" = ")[2]
            count = re.search(r"\((\d+) s\)", block)
            left = int(count.group(1)) if count else 0
        elif line.startswith("# newpar"):
            paragraphs.append([])
        elif line.startswith("# text = "):
            text = line[len("# text = ") :]
            if not paragraphs:
                paragraphs.append([])
            if left == 0 and block:
                # the block ended without a paragraph break: what follows is body text
                block = ""
                paragraphs.append([])
            left -= 1
            if first:
                text += " || title"
                first = False
            elif block.startswith(("figure", "caption")):
                text += " || f: caption"
            paragraphs[-1].append(text)
    genre = meta.get("genre", "news")
    header = [
        "# outlet: Wikinews",
        f"# style: {'interview Q&A' if genre == 'interview' else 'wiki news'}",
        "# spelling: the writer's own (Wikinews allows US or UK)",
        f"# origin: {meta.get('sourceURL', '')} (created {meta.get('dateCreated', '')}); "
        f"text as in the GUM corpus, github.com/amir-zeldes/gum commit {commit}, "
        f"dep/{path.name}",
        "# licence: CC BY 2.5 (Wikinews); attribution: Wikinews contributors",
    ]
    body = "\n\n".join("\n".join(p) for p in paragraphs if p)
    return "\n".join(header) + "\n" + body + "\n"


def main() -> None:
    source, commit, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    for index, name in enumerate(sys.argv[4:], 1):
        doc = source / f"GUM_{name}.conllu"
        target = out / f"w{index:02d}-{name.replace('_', '-')}.txt"
        target.write_text(convert(doc, commit), encoding="utf-8")
        print(target)


if __name__ == "__main__":
    main()
