"""Score sentences for check-worthiness (ClaimBuster's CFS class) in pure Python.

The model is a logistic regression over sublinear TF-IDF features (word uni/bi-grams,
character 2-5-grams inside words, word-shape trigrams and a few lexical cues), trained by
``bench/train_checkworthy.py`` on the ClaimBuster data (UT Arlington IDIR lab, Zenodo
doi:10.5281/zenodo.3609356, CC BY 4.0). Weights ship in ``data/`` and load on first use.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from typing import Any

MODEL_NAME: str = "factcheck-checkworthy"
MODEL_VERSION: str = "1"
MODEL_FILE: str = "checkworthy-v1.json.gz"

# Longer inputs are not sentences; capping keeps the cost of a pathological input bounded.
MAX_CHARS: int = 1000
CHAR_NGRAMS: tuple[int, int] = (2, 5)

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
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[%$?!]")
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


def _shape(token: str) -> str:
    if token[:1].isupper():
        return "C"
    if any(ch.isdigit() for ch in token):
        return "D"
    return "x"


def _char_ngrams(word: str) -> tuple[str, ...]:
    lo, hi = CHAR_NGRAMS
    s = " " + word + " "
    size = len(s)
    return tuple(
        "c:" + s[i : i + n] for n in range(lo, min(hi, size) + 1) for i in range(size - n + 1)
    )


# Words repeat across sentences, so their character n-grams are built once; the cache is
# bounded and its contents never change a score, only the time taken.
_CHAR_CACHE_SIZE = 50_000
_char_cache: dict[str, tuple[str, ...]] = {}


def features(text: str) -> list[str]:
    """Return the feature strings of one sentence (the training script uses this too)."""
    norm = normalize(text)
    # Digits become 0 so that years and amounts from one era generalise to another.
    words = _WORD.findall(_DIGIT.sub("0", norm.lower()))
    out = ["w:" + w for w in words]
    padded = ["<s>", *words, "</s>"]
    out.extend("b:" + padded[i] + " " + padded[i + 1] for i in range(len(padded) - 1))
    cache = _char_cache
    for word in words:
        grams = cache.get(word)
        if grams is None:
            grams = _char_ngrams(word)
            if len(cache) >= _CHAR_CACHE_SIZE:
                cache.clear()
            cache[word] = grams
        out.extend(grams)
    out.extend("k:" + name for name, pattern in _CUES.items() if pattern.search(norm))
    out.append(f"k:len{min(len(words) // 5, 8)}")
    shapes = "".join(_shape(tok) for tok in norm.split())
    out.extend("s:" + shapes[i : i + 3] for i in range(len(shapes) - 2))
    return out


class CheckworthyModel:
    """A linear check-worthiness scorer: ``score`` is P(check-worthy factual claim)."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.name: str = str(payload["name"])
        self.version: str = str(payload["version"])
        self.threshold: float = float(payload["threshold"])
        self.intercept: float = float(payload["intercept"])
        # feature -> (idf**2, idf * weight): every known feature enters the L2 norm.
        self._table: dict[str, tuple[float, float]] = {
            key: (float(idf) * float(idf), float(idf) * float(weight))
            for key, (idf, weight) in payload["features"].items()
        }

    def __len__(self) -> int:
        return len(self._table)

    def decision(self, text: str) -> float:
        """Return the raw logit for ``text``."""
        get = self._table.get
        log = math.log
        dot = 0.0
        sq = 0.0
        # Sublinear TF-IDF, L2-normalised over known features, dotted with the weights.
        for feat, count in Counter(features(text)).items():
            entry = get(feat)
            if entry is None:
                continue
            if count == 1:
                sq += entry[0]
                dot += entry[1]
            else:
                tf = 1.0 + log(count)
                sq += tf * tf * entry[0]
                dot += tf * entry[1]
        return self.intercept + (dot / math.sqrt(sq) if sq > 0.0 else 0.0)

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
