"""Score sentences for check-worthiness (ClaimBuster's CFS class) in pure Python.

The model averages the logits of two logistic regressions over TF-IDF features:
a lexical one (word uni/bi-grams, character n-grams inside words, word-shape trigrams and a
few lexical cues) and a "syntax skeleton" one (n-grams over tokens where function words stay
as they are and other words become coarse classes such as CAP, NUM, -ING, -ED), which carries
across debate eras better than vocabulary. Trained by ``bench/train_checkworthy.py`` on the
ClaimBuster data (UT Arlington IDIR lab, Zenodo doi:10.5281/zenodo.3609356, CC BY 4.0).
v5 is distilled: each sentence's target is the mean of its label and the models extra's
fine-tuned transformer's score, and cross-validation then gave the skeleton part weight 0,
so only the lexical part scores.
Weights ship in ``data/`` and load on first use.
"""

from __future__ import annotations

import base64
import math
import re
import sys
import threading
import unicodedata
from array import array
from itertools import repeat
from typing import Any

MODEL_NAME: str = "factcheck-checkworthy"
MODEL_VERSION: str = "5"
MODEL_FILE: str = "checkworthy-v5.json.gz"

# Longer inputs are not sentences; capping keeps the cost of a pathological input bounded.
MAX_CHARS: int = 1000
CHAR_NGRAMS: tuple[int, int] = (3, 5)
SKELETON_NGRAMS: tuple[int, int] = (1, 4)

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
# Tokens keep their case (the skeleton needs it); the lexical features lower-case them.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?|[%$?!]")
_DIGIT = re.compile(r"\d")
_CUES: dict[str, re.Pattern[str]] = {
    "num": re.compile(r"\d"),
    "pct": re.compile(r"\d\s*%|\bper ?cent\b", re.I),
    "year": re.compile(r"\b(1[89]\d\d|20\d\d)\b"),
    "money": re.compile(r"\$\s*\d|\b(dollars?|cents?)\b", re.I),
    "bigno": re.compile(r"\b(hundred|thousand|million|billion|trillion)s?\b", re.I),
    "cmp": re.compile(
        r"\b(more|less|fewer|higher|lower|most|least|largest|biggest|smallest|lowest|highest"
        r"|increased?|decreased?|doubled?|tripled?|cut|raised?|fell|rose|grew|dropped)\b",
        re.I,
    ),
    "q": re.compile(r"\?\s*$"),
    "first": re.compile(r"\b(I|I'm|I've|I'll|me|my)\b"),
    "think": re.compile(r"\b(think|believe|feel|hope|want|going to|should|must|will)\b", re.I),
    "thank": re.compile(r"\b(thank|thanks|applause|laughter)\b", re.I),
    # Capitalised words that do not start a sentence: a cheap named-entity signal.
    "cap": re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+"),
}


def normalize(text: str) -> str:
    """Return ``text`` capped, NFKC-normalised, with typographic quotes and dashes made ASCII."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).translate(_TRANSLATE)
    return text[:MAX_CHARS]


# Function words, pronouns, auxiliaries, modals, prepositions, determiners, negations,
# quantity words and a few frequent debate verbs: kept verbatim in the skeleton. Every other
# token becomes a coarse class, so "we have cut taxes by 0 percent" -> "we have W -S by NUM
# percent", a pattern that does not depend on the era's vocabulary.
FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    a an the this that these those some any no every each either neither all both half several
    many much more most few fewer less least other another such what which whatever whichever
    i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves one ones
    who whom whose whoever someone somebody something anyone anybody anything everyone
    everybody everything nobody nothing none i'm i've i'll i'd we're we've we'll we'd you're
    you've you'll you'd he's she's it's that's there's they're they've they'll what's let's
    be am is are was were been being have has had having do does did doing done
    will would shall should can could may might must ought need dare
    not never nor don't doesn't didn't won't wouldn't can't couldn't shouldn't isn't aren't
    wasn't weren't haven't hasn't hadn't
    and or but if then else because since although though while whereas unless until so yet
    than as whether
    of in on at by for with about against between into through during before after above below
    to from up down out off over under again further once upon within without across along
    around among behind beyond toward towards via per despite throughout onto
    here there where when why how now today tonight yesterday tomorrow ago already still just
    only also too very even really quite rather almost ever always often sometimes
    percent million billion trillion thousand hundred dollars dollar
    yes oh well okay ok first second third last next
    said say says think believe know want going get got make made
    % $ ? !
    """.split()
)


def _shape(token: str) -> str:
    if token[:1].isupper():
        return "C"
    if any(ch.isdigit() for ch in token):
        return "D"
    return "x"


def _skeleton_symbol(token: str) -> str:
    """Map one token (case kept, digits already 0) to its skeleton symbol."""
    low = token.lower()
    if low in FUNCTION_WORDS:
        return low
    if low[:1] == "0":
        return "NUM"
    if token[:1].isupper():
        return "CAP"
    for suffix, symbol in _SUFFIXES:
        if low.endswith(suffix):
            return symbol
    if low.endswith("s") and not low.endswith("ss"):
        return "-S"
    return "W"


_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ing", "-ING"),
    ("ed", "-ED"),
    ("ly", "-LY"),
    ("tion", "-ION"),
    ("sion", "-ION"),
    ("est", "-ER"),
    ("er", "-ER"),
)


def _char_ngrams(word: str) -> tuple[str, ...]:
    lo, hi = CHAR_NGRAMS
    s = " " + word + " "
    size = len(s)
    return tuple(
        "c:" + s[i : i + n] for n in range(lo, min(hi, size) + 1) for i in range(size - n + 1)
    )


def _word_grams(word: str) -> tuple[str, ...]:
    return ("w:" + word, *_char_ngrams(word))


def _tokens(text: str) -> tuple[str, list[str]]:
    """Return (normalised text, tokens with case kept and every digit mapped to 0)."""
    norm = normalize(text)
    # Digits become 0 so that years and amounts from one era generalise to another.
    return norm, _TOKEN.findall(_DIGIT.sub("0", norm))


def _lexical_rest(norm: str, words: list[str]) -> list[str]:
    """Word bigrams, cues, length bucket and shape trigrams (everything not cached per word)."""
    padded = ["<s>", *words, "</s>"]
    out = ["b:" + padded[i] + " " + padded[i + 1] for i in range(len(padded) - 1)]
    out.extend("k:" + name for name, pattern in _CUES.items() if pattern.search(norm))
    out.append(f"k:len{min(len(words) // 5, 8)}")
    shapes = "".join(_shape(tok) for tok in norm.split())
    out.extend("s:" + shapes[i : i + 3] for i in range(len(shapes) - 2))
    return out


def _skeleton_grams(symbols: list[str]) -> list[str]:
    lo, hi = SKELETON_NGRAMS
    sk = ["<s>", *symbols, "</s>"]
    size = len(sk)
    return ["g:" + " ".join(sk[i : i + n]) for n in range(lo, hi + 1) for i in range(size - n + 1)]


def features(text: str) -> list[str]:
    """Return the lexical feature strings of one sentence (the training script uses this)."""
    norm, toks = _tokens(text)
    words = [t.lower() for t in toks]
    out: list[str] = []
    for word in words:
        out.extend(_word_grams(word))
    out.extend(_lexical_rest(norm, words))
    return out


def skeleton_features(text: str) -> list[str]:
    """Return the syntax-skeleton feature strings of one sentence (training uses this too)."""
    _, toks = _tokens(text)
    return _skeleton_grams([_skeleton_symbol(t) for t in toks])


# The weights file stores each feature's idf and coefficient as fixed-point integers
# (idf * 10**4, coefficient * 10**5: the precision they are rounded to when trained) packed as
# little-endian int32 in base64, with the feature names in one newline-joined string. It
# loads about 3x faster than a JSON object of 116k entries, and the values are the same
# doubles: i / 10**4 is the double nearest to the rounded decimal.
IDF_SCALE: float = 1e4
WEIGHT_SCALE: float = 1e5


def pack_ints(values: list[int]) -> str:
    """Encode integers as base64 of little-endian int32 (the weights file's arrays)."""
    packed = array("i", values)
    if packed.itemsize != 4:
        raise ValueError("int32 arrays are needed")
    if sys.byteorder == "big":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def unpack_ints(text: Any) -> list[int]:
    """Decode what ``pack_ints`` wrote."""
    packed = array("i")
    packed.frombytes(base64.b64decode(str(text), validate=True))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tolist()


# Words repeat across sentences, so their per-word work is done once; the caches are
# bounded and their contents never change a score, only the time taken.
_CACHE_SIZE = 50_000


class _Part:
    """One logistic regression over one feature space.

    Features are linear-tf TF-IDF divided by sqrt(sum of count * idf**2 over the sentence's
    known features) -- the L2 norm when nothing repeats -- so a sentence's dot product and
    scale are plain sums over its features, and a word's share can be cached.
    """

    def __init__(self, payload: dict[str, Any]) -> None:
        self.space: str = str(payload["space"])
        self.weight: float = float(payload["weight"])
        self.intercept: float = float(payload["intercept"])
        names = str(payload["names"]).split("\n")
        idfs = [i / IDF_SCALE for i in unpack_ints(payload["idf"])]
        weights = [w / WEIGHT_SCALE for w in unpack_ints(payload["coef"])]
        if not len(names) == len(idfs) == len(weights):
            raise ValueError(f"model part {self.space!r} has mismatched feature arrays")
        # Every known feature adds idf**2 to the scale and idf*weight to the dot product.
        self.sq: dict[str, float] = {k: i * i for k, i in zip(names, idfs, strict=True)}
        self.dot: dict[str, float] = {
            k: i * w for k, i, w in zip(names, idfs, weights, strict=True)
        }

    def sums(self, feats: list[str] | tuple[str, ...]) -> tuple[float, float]:
        """Return (scale sum, dot sum) of ``feats``; unknown features add nothing."""
        zero = repeat(0.0)
        return sum(map(self.sq.get, feats, zero)), sum(map(self.dot.get, feats, zero))

    def logit(self, sq: float, dot: float) -> float:
        return self.intercept + (dot / math.sqrt(sq) if sq > 0.0 else 0.0)


class CheckworthyModel:
    """A linear check-worthiness scorer: ``score`` is P(check-worthy factual claim)."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.name: str = str(payload["name"])
        self.version: str = str(payload["version"])
        self.threshold: float = float(payload["threshold"])
        parts = {p.space: p for p in (_Part(raw) for raw in payload["parts"])}
        if set(parts) != {"lexical", "skeleton"}:
            raise ValueError(f"unexpected model parts {sorted(parts)}")
        self._lexical = parts["lexical"]
        self._skeleton = parts["skeleton"]
        # word -> (scale sum, dot sum) of its word and character n-grams; token -> symbol.
        self._word_cache: dict[str, tuple[float, float]] = {}
        self._symbol_cache: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._lexical.sq) + len(self._skeleton.sq)

    def clear_cache(self) -> None:
        """Forget the per-word caches (for cold-start timing; scores do not change)."""
        self._word_cache.clear()
        self._symbol_cache.clear()

    def _word_sums(self, word: str) -> tuple[float, float]:
        entry = self._word_cache.get(word)
        if entry is None:
            entry = self._lexical.sums(_word_grams(word))
            if len(self._word_cache) >= _CACHE_SIZE:
                self._word_cache.clear()
            self._word_cache[word] = entry
        return entry

    def _symbol(self, token: str) -> str:
        symbol = self._symbol_cache.get(token)
        if symbol is None:
            symbol = _skeleton_symbol(token)
            if len(self._symbol_cache) >= _CACHE_SIZE:
                self._symbol_cache.clear()
            self._symbol_cache[token] = symbol
        return symbol

    def decision(self, text: str) -> float:
        """Return the raw (weighted average) logit for ``text``."""
        norm, toks = _tokens(text)
        words = [t.lower() for t in toks]
        sq, dot = self._lexical.sums(_lexical_rest(norm, words))
        word_sums = self._word_sums
        for word in words:
            w_sq, w_dot = word_sums(word)
            sq += w_sq
            dot += w_dot
        lexical = self._lexical.logit(sq, dot)
        if not self._skeleton.weight:
            # v5's grid gave the skeleton no weight: its n-grams need not be built at all.
            return self._lexical.weight * lexical
        skeleton = self._skeleton.logit(
            *self._skeleton.sums(_skeleton_grams([self._symbol(t) for t in toks]))
        )
        return self._lexical.weight * lexical + self._skeleton.weight * skeleton

    def score(self, text: str) -> float:
        """Return a check-worthiness score in [0, 1]; never raises on odd input."""
        z = self.decision(text)
        # Clamp so exp() cannot overflow whatever the weights are.
        z = max(-60.0, min(60.0, z))
        return 1.0 / (1.0 + math.exp(-z))

    def score_many(self, texts: list[str]) -> list[float]:
        """Score many sentences."""
        return [self.score(t) for t in texts]

    def is_checkworthy(self, text: str) -> bool:
        """Return whether ``text`` scores at or above the cross-validated threshold."""
        return self.score(text) >= self.threshold


def read_model(path: str) -> CheckworthyModel:
    """Load a model from a ``.json.gz`` file (for the training and bench scripts)."""
    import gzip
    import json

    with open(path, "rb") as fh:
        return CheckworthyModel(json.loads(gzip.decompress(fh.read()).decode("utf-8")))


_lock = threading.Lock()
_cached: CheckworthyModel | None = None


def load_model() -> CheckworthyModel:
    """Return the shipped model, reading its weights on the first call only."""
    global _cached
    with _lock:
        if _cached is None:
            import gzip
            import json
            from importlib.resources import files

            raw = (files("factcheck.extract") / "data" / MODEL_FILE).read_bytes()
            _cached = CheckworthyModel(json.loads(gzip.decompress(raw).decode("utf-8")))
        return _cached


# Which scorer import and extract use: "auto" is the models extra's fine-tuned transformer
# when it is installed, else this module's pure-Python model ("linear").
SCORERS: tuple[str, ...] = ("auto", "linear", "transformer")
# Pins the scorer for every command (the test suite pins "linear": its expectations about
# which sentences become claims were written for that model).
SCORER_ENV: str = "FACTCHECK_CHECKWORTHY_MODEL"


def load_scorer(choice: str | None = None) -> Any:
    """Return the check-worthiness scorer for ``choice`` (one of ``SCORERS``; default: the
    ``FACTCHECK_CHECKWORTHY_MODEL`` environment variable, else "auto"), loaded once.

    Raises ``factcheck.embedding.ExtraMissing`` when "transformer" is asked for without the
    models extra."""
    import os

    from factcheck.extract import checkworthy_transformer

    choice = choice or os.environ.get(SCORER_ENV) or "auto"
    if choice not in SCORERS:
        raise ValueError(
            f"unknown check-worthiness model {choice!r} (from --model or {SCORER_ENV}): "
            f"use one of {', '.join(SCORERS)}"
        )
    if choice == "linear" or (choice == "auto" and not checkworthy_transformer.available()):
        return load_model()
    if not checkworthy_transformer.available():
        from factcheck.embedding import ExtraMissing

        raise ExtraMissing(
            "the transformer check-worthiness model needs the models extra: "
            "pip install 'factcheck[models]', or use --model linear"
        )
    return checkworthy_transformer.load_model()
