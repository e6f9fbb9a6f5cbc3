"""Check-worthiness by a fine-tuned transformer: the models extra's scorer.

all-MiniLM-L6-v2 (Apache 2.0) fine-tuned on ClaimBuster (CC BY 4.0) for CFS vs rest by
``bench/train_transformer_checkworthy.py``, exported by ``bench/build_transformer.py
--classifier`` as one int8 ONNX file that carries its WordPiece vocabulary, its threshold and
its token limit in the metadata. Run by ONNX Runtime with numpy (``pip install
'factcheck[models]'``); no torch. Without the extra, ``available()`` is False and
``factcheck.extract.checkworthy.load_scorer`` falls back to the pure-Python model.
"""

from __future__ import annotations

import threading

from factcheck.embedding import TransformerEncoder, _wordpiece, basic_tokens

MODEL_NAME: str = "factcheck-checkworthy-minilm"
MODEL_VERSION: str = "2"
MODEL_FILE: str = "checkworthy-minilm-v2-int8.onnx"


class TransformerCheckworthy(TransformerEncoder):
    """``score`` is P(check-worthy factual claim); ``threshold`` was chosen on held-out eras.

    The re-ranker's ONNX session and tokenizer (``factcheck.embedding.TransformerEncoder``),
    over a graph whose output is the classifier's score rather than a sentence vector."""

    def __init__(self, model: bytes) -> None:
        super().__init__(model)
        meta = self._session.get_modelmeta().custom_metadata_map
        self.name: str = meta.get("name", MODEL_NAME)
        self.version: str = meta.get("version", MODEL_VERSION)
        self.threshold: float = float(meta["threshold"])
        self.max_tokens: int = int(meta["max_tokens"])

    def token_ids(self, text: str) -> list[int]:
        """[CLS] WordPiece ids [SEP], at most ``max_tokens`` in all (as in training)."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        ids = [i for word in basic_tokens(text) for i in _wordpiece(self, word)]
        return [self.cls, *ids[: self.max_tokens - 2], self.sep]

    def _run(self, tokens: list[int]) -> float:
        np = self._np
        ids = np.asarray([tokens], dtype=np.int64)
        mask = np.ones(ids.shape, dtype=np.float32)
        (score,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
        return float(score[0])

    def score_many(self, texts: list[str]) -> list[float]:
        """Score many sentences, one per run: the int8 products scale a run's activations as
        a whole, so in a batch a sentence's score would depend on its neighbours, and import
        and ``extract --sentences`` must agree sentence by sentence."""
        return [self._run(self.token_ids(text)) for text in texts]

    def score(self, text: str) -> float:
        """Return a check-worthiness score in [0, 1]; never raises on odd input."""
        return self._run(self.token_ids(text))

    def is_checkworthy(self, text: str) -> bool:
        """Return whether ``text`` scores at or above the held-out threshold."""
        return self.score(text) >= self.threshold


def available() -> bool:
    """Whether the transformer can score (ONNX Runtime and numpy installed, model shipped)."""
    from importlib.resources import files
    from importlib.util import find_spec

    try:
        if find_spec("onnxruntime") is None or find_spec("numpy") is None:
            return False
    except ValueError:  # a module set to None in sys.modules (how tests hide the extra)
        return False
    return (files("factcheck.extract") / "data" / MODEL_FILE).is_file()


def read_model(path: str) -> TransformerCheckworthy:
    """Load a model from an ``.onnx`` file (for the bench scripts)."""
    with open(path, "rb") as fh:
        return TransformerCheckworthy(fh.read())


_lock = threading.Lock()
_cached: TransformerCheckworthy | None = None


def load_model() -> TransformerCheckworthy:
    """Return the shipped transformer, loading it on the first call only."""
    global _cached
    with _lock:
        if _cached is None:
            from importlib.resources import files

            raw = (files("factcheck.extract") / "data" / MODEL_FILE).read_bytes()
            _cached = TransformerCheckworthy(raw)
        return _cached


def describe() -> str:
    """Name@version of the scorer import and extract use (as ``load_scorer`` picks it, without
    loading anything), and how it runs."""
    import os

    from factcheck.extract import checkworthy

    linear = f"{checkworthy.MODEL_NAME}@{checkworthy.MODEL_VERSION}"
    pinned = os.environ.get(checkworthy.SCORER_ENV)
    if available() and pinned != "linear":
        return f"{MODEL_NAME}@{MODEL_VERSION} (models extra; --model linear: {linear})"
    return f"{linear} (pure Python)"
