"""Measure speaker attribution and page-furniture detection on the annotated corpus.

    .venv/bin/python bench/eval_speakers.py                  # both splits, summary tables
    .venv/bin/python bench/eval_speakers.py --split dev --errors   # every miss on dev
    EVAL_CODE=/tmp/old-checkout .venv/bin/python bench/eval_speakers.py  # older rules
    FACTCHECK_SPEAKERS_PARSER=off .venv/bin/python bench/eval_speakers.py # without the parser
    .venv/bin/python bench/eval_speakers.py --split dev --speed   # sentences/s, parser off/on
    .venv/bin/python bench/eval_speakers.py --layout-speed --repeat 5   # parse_article time
    .venv/bin/python bench/eval_speakers.py --debates   # false skips on real debate sentences

The corpus format and labelling policy are in bench/speakers/README.md. The extractor sees
exactly the text an article file describes (its lines joined into paragraphs); each labelled
sentence is matched to the extracted sentence that overlaps it most. A labelled sentence that
ends up in no extracted sentence was skipped (furniture or the title).

Figures:
- speaker accuracy: body sentences (not furniture, not the title) whose speaker is right,
  "no speaker" included; precision and recall count only sentences with a speaker.
- fragment speakers: speakers found that are no speaker of that article and have neither the
  shape of a name (capitalised words) nor of a role or group (a head noun such as "officials").
- furniture recall: furniture lines kept out of the body; "claims dropped": real sentences
  (neither furniture nor the title) kept out of the body.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# EVAL_CODE=/path/to/an/older/checkout measures that checkout's rules on this corpus
# (how bench/speakers.md's baseline was measured).
sys.path.insert(0, os.environ.get("EVAL_CODE") or str(ROOT))

from factcheck.extract.article import parse_article  # noqa: E402
from factcheck.extract.sentences import split_sentences  # noqa: E402
from factcheck.extract.speakers import attribute_speakers  # noqa: E402

CORPUS = ROOT / "bench" / "speakers"
KINDS = {"d": "direct", "r": "reported"}
CODE_KINDS = {"direct_quote": "direct", "reported": "reported", "narration": "narration"}


@dataclass
class Gold:
    text: str
    start: int
    end: int
    kind: str  # direct, reported, narration, furniture, title
    speakers: tuple[str, ...] = ()  # accepted spellings; empty = no speaker
    speaker_type: str | None = None
    furniture: str | None = None


@dataclass
class Article:
    path: Path
    meta: dict[str, str]
    text: str
    golds: list[Gold] = field(default_factory=list)


def parse_label(line: str) -> tuple[str, str | None]:
    if " || " in line or line.endswith(" ||"):
        sentence, _, label = line.partition(" ||")
        return sentence.rstrip(), label.strip() or None
    return line, None


def _is_furniture(label: str | None) -> bool:
    return label is not None and label.startswith(("f:", "title"))


def load_article(path: Path) -> Article:
    meta: dict[str, str] = {}
    paragraphs: list[list[tuple[str, str | None]]] = [[]]
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("# ") and not any(paragraphs):
            key, _, value = raw[2:].partition(":")
            meta[key.strip()] = value.strip()
            continue
        if not raw.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(parse_label(raw.strip()))
    # A furniture line or the title is always a paragraph of its own, as on a web page.
    split: list[list[tuple[str, str | None]]] = []
    for paragraph in paragraphs:
        current: list[tuple[str, str | None]] = []
        for line in paragraph:
            if _is_furniture(line[1]):
                split += [current, [line]]
                current = []
            else:
                current.append(line)
        split.append(current)
    paragraphs = [p for p in split if p]
    text_parts: list[str] = []
    golds: list[Gold] = []
    offset = 0
    for number, paragraph in enumerate(paragraphs):
        if number:
            text_parts.append("\n\n")
            offset += 2
        for index, (sentence, label) in enumerate(paragraph):
            if index:
                text_parts.append(" ")
                offset += 1
            text_parts.append(sentence)
            golds.append(_gold(sentence, offset, label, path))
            offset += len(sentence)
    return Article(path, meta, "".join(text_parts), golds)


def _gold(sentence: str, start: int, label: str | None, path: Path) -> Gold:
    end = start + len(sentence)
    if label is None or label == "n":
        return Gold(sentence, start, end, "narration")
    if label == "title":
        return Gold(sentence, start, end, "title")
    tag, _, value = label.partition(":")
    value = value.strip()
    if tag == "f":
        return Gold(sentence, start, end, "furniture", furniture=value)
    if tag not in KINDS:
        raise SystemExit(f"{path.name}: bad label {label!r}")
    speaker_type = None
    names_list = []
    # Each alternative may carry its own type ("US State Department @org ~ State Department"):
    # the real splits were labelled that way, and a type left on a name never matches.
    for alternative in value.split(" ~ "):
        alternative = alternative.strip()
        if alternative.endswith(("@org", "@person")):
            alternative, _, typed = alternative.rpartition("@")
            alternative = alternative.strip()
            speaker_type = speaker_type or typed
        if alternative:
            names_list.append(alternative)
    names = tuple(names_list)
    if names and speaker_type is None:
        speaker_type = "person"
    if speaker_type == "org":
        speaker_type = "organization"
    return Gold(sentence, start, end, KINDS[tag], names, speaker_type)


def normalise(speaker: str | None) -> str | None:
    if not speaker:
        return None
    text = re.sub(r"[’']s?$", "", speaker.strip(" ,.")).strip()
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).casefold() or None


# Heads that make a lower-case phrase a role or a group rather than a clause fragment.
_GROUP_HEADS = set(
    """official officials spokesman spokeswoman spokesperson spokespeople police cops analysts
    analyst critics experts researchers scientists astronomers historians investigators
    prosecutors residents tenants neighbours neighbors sources source witnesses government
    administration ministry department office company firm bank study report survey poll
    paper estimates statement court committee council board union agency authorities
    officers lawyer lawyers attorney adviser advisor aide representative democrats republicans
    order data figures team group party charity trust hospital university regulators regulator
    republican democrat backbenchers fellow companies agencies lawmakers senators members
    insider economist economists forecasters diplomats diplomat minister ministers utility
    carrier airline retailer lender insurer carmaker drugmaker supplier""".split()
)
_CONNECTORS = {"of", "for", "and", "&", "the", "de", "van", "von", "at", "in", "on", "to"}


# Finite verbs that never sit in a name, role or organisation: "Sleep data ... came from".
_FINITE_VERBS = set(
    """is are was were has have had did does do came went made took gave got shrank rose fell
    grew saw knew thought began became left kept held brought told said found show shows showed
    include includes included reads read""".split()
)


def is_fragment(speaker: str) -> bool:
    words = re.findall(r"[\w’'&.-]+", speaker)
    if not words or len(words) > 9:
        return True
    if any(w in _FINITE_VERBS for w in words) or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", speaker):
        return True  # a clause, or a name cut at a full stop ("U.S")
    if all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _CONNECTORS for w in words):
        return False
    head = re.split(r"\s+(?:for|of|at|to|in|on|with|from)\s+", speaker)[0].split()
    if len(head) >= 2 and head[-1][:1].isupper() and head[-2].lower() in _GROUP_HEADS:
        return False  # a role then its name: "the disaster agency AFAD"
    return not head or head[-1].lower().strip(".,") not in _GROUP_HEADS


@dataclass
class Tally:
    body: int = 0
    speaker_right: int = 0
    kind_right: int = 0
    gold_with_speaker: int = 0
    found_with_speaker: int = 0
    found_right: int = 0
    type_known: int = 0
    type_right: int = 0
    furniture: int = 0
    furniture_kept_out: int = 0
    real: int = 0
    real_dropped: int = 0
    titles: int = 0
    titles_found: int = 0
    fragments: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    by_rule: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    furniture_by_kind: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    # per detector (the reason extract gives): lines it skipped, and how many were real
    by_reason: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[str] = field(default_factory=list)


def evaluate(article: Article, tally: Tally) -> None:
    text = article.text
    layout = parse_article(text)
    spans = [s for p in layout.body for s in split_sentences(text, p.start, p.end)]
    attributions = attribute_speakers(text, spans)
    gold_names = {normalise(n) for g in article.golds for n in g.speakers}
    name = article.path.stem
    for gold in article.golds:
        overlaps = [
            (min(gold.end, s.end) - max(gold.start, s.start), i) for i, s in enumerate(spans)
        ]
        best = max(overlaps, default=(0, -1))
        in_body = best[0] > 0
        if gold.kind == "title":
            tally.titles += 1
            found = layout.title_span is not None and layout.title_span.start <= gold.start < (
                layout.title_span.end
            )
            tally.titles_found += found
            if not found:
                tally.errors.append(f"{name}: title not found: {gold.text!r}")
            continue
        reason = next(
            (r for span, r in layout.skipped if span.start <= gold.start < span.end), None
        )
        if reason is not None and not in_body and gold.kind != "title":
            tally.by_reason[reason]["skipped"] += 1
            tally.by_reason[reason]["real"] += gold.kind != "furniture"
        if gold.kind == "furniture":
            tally.furniture += 1
            kind = gold.furniture or "?"
            tally.furniture_by_kind[kind]["gold"] += 1
            if not in_body:
                tally.furniture_kept_out += 1
                tally.furniture_by_kind[kind]["kept out"] += 1
            else:
                tally.errors.append(f"{name}: furniture ({kind}) kept as text: {gold.text!r}")
            continue
        tally.real += 1
        if not in_body:
            tally.real_dropped += 1
            tally.errors.append(f"{name}: real sentence dropped: {gold.text!r}")
            continue
        attribution = attributions[best[1]]
        tally.body += 1
        predicted = normalise(attribution.speaker)
        accepted = {normalise(n) for n in gold.speakers}
        right = predicted in accepted if accepted else predicted is None
        rule = getattr(attribution, "rule", None) or ("(none)" if predicted else "-")
        tally.speaker_right += right
        kind = CODE_KINDS.get(attribution.kind, attribution.kind)
        tally.kind_right += kind == gold.kind
        if accepted:
            tally.gold_with_speaker += 1
        if predicted:
            tally.found_with_speaker += 1
            tally.found_right += right
            tally.by_rule[rule]["fired"] += 1
            tally.by_rule[rule]["right"] += right
            if predicted not in gold_names:
                tally.unknown.append(attribution.speaker or "")
                if is_fragment(attribution.speaker or ""):
                    tally.fragments.append(attribution.speaker or "")
        if right and accepted:
            tally.type_known += 1
            predicted_type = getattr(attribution, "speaker_type", None)
            tally.type_right += predicted_type == gold.speaker_type
        if not right or kind != gold.kind:
            tally.errors.append(
                f"{name}: {gold.text[:90]!r}\n    gold {gold.kind}: {' ~ '.join(gold.speakers) or '-'}"
                f"   found {kind}: {attribution.speaker or '-'}   [{rule}]"
            )


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a"


def report(split: str, tally: Tally, articles: int, show_errors: bool) -> None:
    print(
        f"\n## {split}: {articles} articles, {tally.body + tally.real_dropped} real sentences, "
        f"{tally.furniture} furniture lines, {tally.titles} titles"
    )
    print(f"speaker accuracy        {ratio(tally.speaker_right, tally.body)}")
    print(f"speaker precision       {ratio(tally.found_right, tally.found_with_speaker)}")
    print(f"speaker recall          {ratio(tally.found_right, tally.gold_with_speaker)}")
    print(f"kind accuracy           {ratio(tally.kind_right, tally.body)}")
    print(f"speaker type accuracy   {ratio(tally.type_right, tally.type_known)}  (right speakers)")
    print(f"fragment speakers       {len(tally.fragments)}  {sorted(set(tally.fragments))}")
    print(f"speakers not in article {len(tally.unknown)}")
    print(f"furniture recall        {ratio(tally.furniture_kept_out, tally.furniture)}")
    print(f"real sentences dropped  {tally.real_dropped}")
    print(f"titles found            {ratio(tally.titles_found, tally.titles)}")
    print("\nper rule (sentences given a speaker): fired, precision, share of gold speakers found")
    for rule, counts in sorted(tally.by_rule.items(), key=lambda kv: -kv[1]["fired"]):
        print(
            f"  {rule:<24} {counts['fired']:>4}  precision {ratio(counts['right'], counts['fired'])}"
            f"  recall share {ratio(counts['right'], tally.gold_with_speaker)}"
        )
    print("\nfurniture by kind: recall")
    for kind, counts in sorted(tally.furniture_by_kind.items()):
        print(f"  {kind:<14} {ratio(counts['kept out'], counts['gold'])}")
    print("\nfurniture by detector (extract's skipped reason): lines skipped, real among them")
    for reason, counts in sorted(tally.by_reason.items(), key=lambda kv: -kv[1]["skipped"]):
        print(f"  {reason:<32} {counts['skipped']:>4}  real {counts['real']}")
    if show_errors:
        print("\nmisses:")
        for error in tally.errors:
            print("  " + error)


# In the order they were written; real-* are real Wikinews copy (see bench/speakers/README.md).
SPLITS = [
    "dev",
    "heldout",
    "heldout2",
    "final",
    "final2",
    "final3",
    "final4",
    "real-dev",
    "real-heldout",
    "real-heldout2",
    "real-heldout3",
    "real-heldout4",
    "real-heldout5",
    "house-dev",
    "house-heldout",
    "house-heldout2",
    "house-heldout3",
    "house-heldout4",
    "house-heldout5",  # round 4's fresh split: measured once, by the lead, at the end
    "house-heldout6",  # round 5's fresh split: written by a helper who never read the rules
]


def speed(splits: list[str], repeat: int) -> None:
    """Sentences attributed per second, the parser rules off and on, alternating in one run
    (best of `repeat` each); the parser's pipeline is loaded before timing, as a long run
    of `factcheck import` would have it."""
    import time

    from factcheck.extract.speakers import parse as parse_module

    articles = [load_article(p) for s in splits for p in sorted((CORPUS / s).glob("*.txt"))]
    inputs = []
    for article in articles:
        layout = parse_article(article.text)
        spans = [s for p in layout.body for s in split_sentences(article.text, p.start, p.end)]
        inputs.append((article.text, spans))
    sentences = sum(len(spans) for _, spans in inputs)
    words = sum(len(text.split()) for text, _ in inputs)
    if parse_module.model_name() is None:
        sys.exit("speed needs the speakers extra: pip install 'factcheck[speakers]'")
    parse_module.parse("Warm up.")  # load the pipeline outside the timing
    best = {"off": float("inf"), "on": float("inf")}
    for _ in range(repeat):
        for mode in ("off", "on"):
            os.environ[parse_module.SWITCH] = mode
            start = time.perf_counter()
            for text, spans in inputs:
                attribute_speakers(text, spans)
            best[mode] = min(best[mode], time.perf_counter() - start)
    os.environ.pop(parse_module.SWITCH, None)
    print(f"{len(articles)} articles, {sentences} sentences, {words} words; best of {repeat}")
    for mode, label in (("off", "rules alone"), ("on", "rules + parser")):
        print(f"  {label:15} {best[mode]:7.2f} s  {sentences / best[mode]:8.1f} sentences/s")
    print(f"  parser / rules alone: {best['on'] / best['off']:.1f}x the time")


def layout_speed(splits: list[str], repeat: int) -> None:
    """Time parse_article (title, body and furniture) over the splits, best of `repeat`;
    with EVAL_CODE, an older checkout's, for a ratio in the same conditions."""
    import time

    texts = [load_article(p).text for s in splits for p in sorted((CORPUS / s).glob("*.txt"))]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            parse_article(text)
        best = min(best, time.perf_counter() - start)
    print(f"parse_article: {len(texts)} articles in {best:.3f} s, best of {repeat}")


DATA = ROOT.parent / "shared" / "data" / "checkworthiness"


def debate_skips() -> None:
    """The furniture rules, each paragraph judged alone, on real sentences nobody here wrote:
    ClaimBuster's training sentences and CLEF-2019's training debates (../shared/data; read,
    never shipped). A skip of a check-worthy sentence there is a false skip."""
    import glob
    import json

    from factcheck.extract.furniture import Context, furniture_reason

    sets: list[tuple[str, list[tuple[str, bool]]]] = []
    claimbuster = DATA / "claimbuster" / "data_small_3class_train.json"
    if claimbuster.exists():
        rows = json.loads(claimbuster.read_text(encoding="utf-8"))
        sets.append(("ClaimBuster train", [(r["text"], str(r["label"]) == "1") for r in rows]))
    debates: list[tuple[str, bool]] = []
    for path in sorted(glob.glob(str(DATA / "clef2019_train" / "*"))):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 4:
                debates.append((parts[2], parts[3] == "1"))
    if debates:
        sets.append(("CLEF-2019 train debates", debates))
    for name, sentences in sets:
        reasons: Counter[str] = Counter()
        worthy = 0
        for text, positive in sentences:
            reason = furniture_reason(text.strip(), Context())
            if reason:
                reasons[reason] += 1
                worthy += positive
        print(
            f"{name}: {len(sentences)} sentences, {sum(reasons.values())} skipped, "
            f"{worthy} of them check-worthy; {dict(reasons.most_common())}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--errors", action="store_true", help="list every miss (dev only!)")
    parser.add_argument(
        "--speed", action="store_true", help="sentences/s with the parser rules off and on"
    )
    parser.add_argument(
        "--layout-speed", action="store_true", help="time parse_article (furniture rules)"
    )
    parser.add_argument(
        "--debates", action="store_true", help="false skips on ClaimBuster and CLEF-2019 train"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    splits = SPLITS if args.split == "all" else [args.split]
    # a split another branch is still writing is not here yet
    splits = [s for s in splits if (CORPUS / s).is_dir() or args.split == s]
    if args.speed:
        speed(splits, args.repeat)
        return
    if args.debates:
        debate_skips()
        return
    if args.layout_speed:
        layout_speed(splits, args.repeat)
        return
    for split in splits:
        paths = sorted((CORPUS / split).glob("*.txt"))
        tally = Tally()
        for path in paths:
            evaluate(load_article(path), tally)
        report(split, tally, len(paths), args.errors)


if __name__ == "__main__":
    main()
