"""Compare sentence splitters on the seed article and hand-written news paragraphs.

Run: .venv/bin/python bench/compare_splitters.py [--extra-path DIR]
(--extra-path lets you point at a directory holding optional libraries such as
sentencex without installing them into the project venv.)
Prints a Markdown report; bench/sentences.md is its output plus commentary.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "wannacry-attribution.txt"

Splitter = Callable[[str], list[str]]

# Each case: (name, paragraph, expected sentences). Expectations follow AP-style news
# conventions: a closing quote ends with its sentence; sentences inside a quotation are
# separate sentences because each one is a separate claim.
CASES: list[tuple[str, str, list[str]]] = [
    (
        "U.S. mid-sentence",
        "The U.S. Treasury said on Monday it would sanction the group. Officials declined "
        "to say more.",
        [
            "The U.S. Treasury said on Monday it would sanction the group.",
            "Officials declined to say more.",
        ],
    ),
    (
        "U.S. ends a sentence",
        "The company is based in the U.S. It employs 500 people.",
        ["The company is based in the U.S.", "It employs 500 people."],
    ),
    (
        "titles Mr./Dr./Sen.",
        "Mr. Powell met Dr. Jane Smith and Sen. Elizabeth Warren on Tuesday. They talked "
        "for an hour.",
        [
            "Mr. Powell met Dr. Jane Smith and Sen. Elizabeth Warren on Tuesday.",
            "They talked for an hour.",
        ],
    ),
    (
        "Inc. and Sept.",
        "Acme Inc. reported revenue of $1.5 billion in Sept. last year. Its shares rose "
        "4.1 percent.",
        [
            "Acme Inc. reported revenue of $1.5 billion in Sept. last year.",
            "Its shares rose 4.1 percent.",
        ],
    ),
    (
        "initials",
        "J. K. Rowling published a new book on Tuesday. It sold 2.3 million copies in "
        "its first week, said George W. Bush's former aide.",
        [
            "J. K. Rowling published a new book on Tuesday.",
            "It sold 2.3 million copies in its first week, said George W. Bush's former aide.",
        ],
    ),
    (
        "quote spanning sentences",
        '"First we fix the roads. Then we fix the schools," he said. The plan costs $2 billion.',
        [
            '"First we fix the roads.',
            'Then we fix the schools," he said.',
            "The plan costs $2 billion.",
        ],
    ),
    (
        "curly quote spanning sentences",
        "\u201cWe were not warned. Nobody called us.\u201d The mayor said the state had failed.",
        [
            "\u201cWe were not warned.",
            "Nobody called us.\u201d",
            "The mayor said the state had failed.",
        ],
    ),
    (
        "closing quote after period",
        'He called the plan "a disaster." Officials disagreed.',
        ['He called the plan "a disaster."', "Officials disagreed."],
    ),
    (
        "question and exclamation in quotes",
        '"Why now?" she asked. "Because we must!" he replied.',
        ['"Why now?" she asked.', '"Because we must!" he replied.'],
    ),
    (
        "No. and St.",
        "The No. 2 official at the agency moved to St. Louis in 2019. She left in 2021.",
        [
            "The No. 2 official at the agency moved to St. Louis in 2019.",
            "She left in 2021.",
        ],
    ),
    (
        "a.m./p.m.",
        "Polls close at 8 p.m. on Tuesday. Results are expected by 2 a.m. on Wednesday.",
        ["Polls close at 8 p.m. on Tuesday.", "Results are expected by 2 a.m. on Wednesday."],
    ),
    (
        "parenthesis",
        "Shares fell 3%. (The company declined to comment.) Analysts were unsurprised.",
        [
            "Shares fell 3%.",
            "(The company declined to comment.)",
            "Analysts were unsurprised.",
        ],
    ),
    (
        "titles syntok lacks (Gov., Rep.)",
        "Gov. Gavin Newsom met Rep. Nancy Pelosi. They agreed.",
        ["Gov. Gavin Newsom met Rep. Nancy Pelosi.", "They agreed."],
    ),
    (
        "lower-case sentence start",
        "The maker said profits rose. iPhone sales fell 2%.",
        ["The maker said profits rose.", "iPhone sales fell 2%."],
    ),
    (
        "ellipsis teaser",
        "The acquisition \u2026",
        ["The acquisition \u2026"],
    ),
]


def _seed_cases() -> list[tuple[str, str, list[str]]]:
    """The seed's paragraphs with the sentences the project expects from them."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    expected = {
        2: [
            "\u201cThe attack was widespread and cost billions, and North Korea is directly "
            "responsible,\u201d Bossert wrote in a piece published on Monday night in the "
            "Wall Street Journal.",
            "\u201cNorth Korea has acted especially badly, largely unchecked, for more than "
            "a decade, and its malicious behaviour is growing more egregious.",
            "WannaCry was indiscriminately reckless.\u201d",
        ],
        6: [
            "\u201cThe governments of the world should treat this attack as a wake-up "
            "call,\u201d Smith wrote on the company\u2019s blog.",
            "\u201cWe need governments to consider the damage to civilians that comes from "
            "hoarding these vulnerabilities and the use of these exploits.",
            "An equivalent scenario with conventional weapons would be the US military "
            "having some of its Tomahawk missiles stolen.\u201d",
        ],
        3: [
            paragraphs[3][:186].strip(),
            paragraphs[3][186:328].strip(),
            paragraphs[3][328:].strip(),
        ],
    }
    return [(f"seed paragraph {i}", paragraphs[i], sents) for i, sents in expected.items()]


def make_pysbd() -> Splitter:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def split(text: str) -> list[str]:
        return [text[s.start : s.end].strip() for s in seg.segment(text)]

    return split


def make_syntok() -> Splitter:
    import syntok.segmenter as segmenter

    def split(text: str) -> list[str]:
        starts = [sent[0].offset for para in segmenter.process(text) for sent in para if sent]
        ends = starts[1:] + [len(text)]
        return [text[a:b].strip() for a, b in zip(starts, ends, strict=True)]

    return split


def make_sentencex() -> Splitter:
    import sentencex

    def split(text: str) -> list[str]:
        return [s.strip() for s in sentencex.segment("en", text) if s.strip()]

    return split


def make_factcheck() -> Splitter:
    sys.path.insert(0, str(ROOT))
    from factcheck.extract.sentences import split_sentences

    def split(text: str) -> list[str]:
        return [span.text for span in split_sentences(text)]

    return split


def speed(split: Splitter, text: str, seconds: float = 2.0) -> float:
    """Sentences per second over repeated runs on the whole text."""
    count = len(split(text))
    runs = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        split(text)
        runs += 1
    return runs * count / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra-path", action="append", default=[])
    args = parser.parse_args()
    sys.path.extend(args.extra_path)

    splitters: dict[str, Splitter] = {}
    for name, factory in [
        ("pysbd", make_pysbd),
        ("syntok", make_syntok),
        ("sentencex", make_sentencex),
        ("factcheck (syntok + repairs)", make_factcheck),
    ]:
        try:
            splitters[name] = factory()
        except ImportError as exc:
            print(f"<!-- {name} unavailable: {exc} -->")

    cases = _seed_cases() + CASES
    names = list(splitters)
    print(f"Python {platform.python_version()} on {platform.machine()}\n")
    print("| case | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    passed = dict.fromkeys(names, 0)
    failures: dict[str, list[tuple[str, list[str]]]] = {n: [] for n in names}
    for case, text, expected in cases:
        cells = []
        for name in names:
            got = splitters[name](text)
            ok = got == expected
            passed[name] += ok
            cells.append("ok" if ok else f"FAIL ({len(got)} vs {len(expected)})")
            if not ok:
                failures[name].append((case, got))
        print(f"| {case} | " + " | ".join(cells) + " |")
    print("| **passed** | " + " | ".join(f"**{passed[n]}/{len(cases)}**" for n in names) + " |")

    # Speed on a realistic article-sized input: every case joined, repeated 20 times.
    body = "\n\n".join(text for _, text, _ in cases) * 20
    print("\n| library | sentences/s |")
    print("|---|---|")
    for name in names:
        print(f"| {name} | {speed(splitters[name], body):,.0f} |")

    print("\n## Failures in detail\n")
    for name in names:
        for case, got in failures[name]:
            print(f"- **{name}**, {case}: `{got!r}`")


if __name__ == "__main__":
    main()
