"""Tests for the pure-Python check-worthiness scorer and its shipped weights."""

from __future__ import annotations

import gzip
import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from factcheck.extract import checkworthy, checkworthy_transformer

MODEL_PATH = Path(checkworthy.__file__).parent / "data" / checkworthy.MODEL_FILE
MAX_BYTES = 3 * 1024 * 1024

CLAIMS = [
    "Unemployment fell to 4.1 percent in 2017, the lowest in 17 years.",
    "We have lost 700,000 manufacturing jobs since 2001.",
    "The federal deficit tripled to $1.4 trillion last year.",
]
NON_CLAIMS = [
    "Thank you all very much for being here tonight.",
    "I think we need to do better for our children.",
    "What would you do about it?",
]
ODD_INPUTS = [
    "",
    " ",
    "\u201cCurly quotes\u201d and \u2018single\u2019 ones \u2014 with dashes.",
    "\x00\x01\ufffd\U0001f600 emoji and control characters",
    "数字は１２３です。",
    "ﬁ ligature Ⅻ roman ２０１７ fullwidth",
    "a" * 200_000,
    "word " * 100_000,
    "\n\t\r",
    "$%?!",
]


@pytest.fixture(scope="module")
def model() -> checkworthy.CheckworthyModel:
    return checkworthy.load_model()


def test_name_version_threshold(model: checkworthy.CheckworthyModel) -> None:
    assert checkworthy.MODEL_NAME == "factcheck-checkworthy"
    assert model.name == checkworthy.MODEL_NAME
    assert model.version == checkworthy.MODEL_VERSION
    assert 0.0 < model.threshold < 1.0


def test_load_model_is_cached(model: checkworthy.CheckworthyModel) -> None:
    assert checkworthy.load_model() is model


def test_scores_in_unit_interval(model: checkworthy.CheckworthyModel) -> None:
    for text in CLAIMS + NON_CLAIMS + ODD_INPUTS:
        s = model.score(text)
        assert isinstance(s, float)
        assert 0.0 <= s <= 1.0 and not math.isnan(s)


def test_claims_outscore_non_claims(model: checkworthy.CheckworthyModel) -> None:
    assert min(model.score_many(CLAIMS)) > max(model.score_many(NON_CLAIMS))
    assert model.score(CLAIMS[0]) >= model.threshold > model.score(NON_CLAIMS[0])


def test_deterministic(model: checkworthy.CheckworthyModel) -> None:
    texts = CLAIMS + NON_CLAIMS
    assert model.score_many(texts) == model.score_many(texts)
    assert model.score_many(texts) == [model.score(t) for t in texts]


def test_deterministic_across_processes(model: checkworthy.CheckworthyModel) -> None:
    # str hashing is salted per process; features must not depend on it.
    code = (
        "from factcheck.extract.checkworthy import load_model;"
        f"print(repr(load_model().score({CLAIMS[0]!r})))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert outs == {repr(model.score(CLAIMS[0]))}


def test_robust_to_odd_input(model: checkworthy.CheckworthyModel) -> None:
    assert model.score_many([]) == []
    # Long inputs are capped, so they cost about as much as a long sentence.
    assert model.score("word " * 100_000) == model.score("word " * 200)
    assert checkworthy.normalize("\u201cHi\u2019s\u201d") == '"Hi\'s"'


def test_non_str_input_does_not_raise(model: checkworthy.CheckworthyModel) -> None:
    assert 0.0 <= model.score(None) <= 1.0  # type: ignore[arg-type]
    assert 0.0 <= model.score(2017) <= 1.0  # type: ignore[arg-type]


def test_shipped_file_size_and_format() -> None:
    assert MODEL_PATH.stat().st_size < MAX_BYTES
    payload = json.loads(gzip.decompress(MODEL_PATH.read_bytes()))
    assert payload["name"] == checkworthy.MODEL_NAME
    assert payload["version"] == checkworthy.MODEL_VERSION == "5"
    # v5 is distilled from the models extra's transformer (bench/checkworthy.md).
    assert payload["training"]["distilled_from"] == "factcheck-checkworthy-minilm@1"
    parts = {part["space"]: part for part in payload["parts"]}
    assert set(parts) == {"lexical", "skeleton"}
    for part in parts.values():
        names = part["names"].split("\n")
        assert len(names) == len(set(names)) > 1000
        assert len(checkworthy.unpack_ints(part["idf"])) == len(names)
        assert len(checkworthy.unpack_ints(part["coef"])) == len(names)
    assert math.isclose(parts["lexical"]["weight"] + parts["skeleton"]["weight"], 1.0)
    # Only the current version's weights ship.
    assert sorted(p.name for p in MODEL_PATH.parent.glob("checkworthy-*.json.gz")) == [
        checkworthy.MODEL_FILE
    ]


def test_skeleton_keeps_function_words_and_abstracts_the_rest() -> None:
    feats = checkworthy.skeleton_features(
        "We have cut taxes by 10 percent since 1980, said Reagan."
    )
    assert "g:we have W -S" in feats
    assert "g:by NUM percent since" in feats
    assert "g:said CAP </s>" in feats
    # Vocabulary does not matter, only the pattern: another era, same skeleton.
    assert checkworthy.skeleton_features(
        "We have raised tariffs by 3 percent since 1962."
    ) == checkworthy.skeleton_features("We have lowered wages by 45 percent since 2008.")


def test_cache_does_not_change_scores(model: checkworthy.CheckworthyModel) -> None:
    texts = CLAIMS + NON_CLAIMS + ODD_INPUTS[:6]
    warm = model.score_many(texts)
    model.clear_cache()
    assert model.score_many(texts) == warm


def test_import_is_lazy() -> None:
    # A fresh interpreter: importing must not read the weights nor pull in heavy modules.
    code = (
        "import sys, builtins, io\n"
        "opened = []\n"
        "real = io.open\n"
        "def spy(f, *a, **k):\n"
        "    opened.append(str(f)); return real(f, *a, **k)\n"
        "builtins.open = io.open = spy\n"
        "import factcheck.extract.checkworthy as c\n"
        "assert c._cached is None\n"
        "assert not [f for f in opened if 'checkworthy' in f and f.endswith('.gz')], opened\n"
        "heavy = {'numpy', 'sklearn', 'scipy', 'torch', 'gzip', 'json'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "c.load_model()\n"
        "assert c._cached is not None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_packed_integers_round_trip() -> None:
    values = [0, 1, -1, 2**31 - 1, -(2**31), 123_456]
    assert checkworthy.unpack_ints(checkworthy.pack_ints(values)) == values
    assert checkworthy.unpack_ints(checkworthy.pack_ints([])) == []
    with pytest.raises(OverflowError):
        checkworthy.pack_ints([2**31])


def test_a_part_with_no_weight_is_skipped_and_a_weighted_one_counts() -> None:
    # v5's cross-validation gave the skeleton part weight 0, so the scorer does not build its
    # n-grams; the same file with the weight moved must score with both parts again.
    payload = json.loads(gzip.decompress(MODEL_PATH.read_bytes()))
    weights = {part["space"]: part["weight"] for part in payload["parts"]}
    assert weights == {"lexical": 1.0, "skeleton": 0.0}
    shipped = checkworthy.CheckworthyModel(payload)
    lexical_only = shipped._lexical
    text = CLAIMS[0]
    sq, dot = lexical_only.sums(checkworthy.features(text))
    assert math.isclose(shipped.decision(text), lexical_only.logit(sq, dot), rel_tol=1e-9)
    assert not shipped._symbol_cache  # no skeleton symbol was looked up
    for part in payload["parts"]:
        part["weight"] = 0.5
    mixed = checkworthy.CheckworthyModel(payload)
    skeleton = mixed._skeleton.logit(*mixed._skeleton.sums(checkworthy.skeleton_features(text)))
    expected = 0.5 * lexical_only.logit(sq, dot) + 0.5 * skeleton
    assert math.isclose(mixed.decision(text), expected, rel_tol=1e-9)
    assert not math.isclose(mixed.decision(text), shipped.decision(text), rel_tol=1e-3)


def test_a_damaged_weights_file_is_refused() -> None:
    payload = json.loads(gzip.decompress(MODEL_PATH.read_bytes()))
    payload["parts"][0]["coef"] = checkworthy.pack_ints([1, 2, 3])
    with pytest.raises(ValueError, match="mismatched"):
        checkworthy.CheckworthyModel(payload)


def test_extract_sentences_checkworthy_is_what_import_keeps(tmp_path: Path) -> None:
    # The installed command, twice: the lines `extract --sentences` flags are exactly the
    # sentences `import` turns into claims (one sentence per paragraph of the article).
    from tests.conftest import run_installed

    sentences = (
        CLAIMS
        + NON_CLAIMS
        + [
            "The mayor said the new bridge will open next spring.",
            "Crime in the city rose by a third after the police budget was cut.",
            "Our correspondent visited the border town last week.",
            # chatter: the model scores it high, but import makes no claim of a one-word post
            '"Wow," Trump tweeted about the economy and jobs report.',
        ]
    )
    lines = tmp_path / "lines.txt"
    lines.write_text("\n".join(sentences) + "\n")
    done = run_installed("extract", "--sentences", str(lines), "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["text"] for r in rows] == sentences
    assert all(isinstance(r["checkworthy"], bool) for r in rows)
    flagged = {r["text"] for r in rows if r["checkworthy"]}
    assert set(CLAIMS) <= flagged and not set(NON_CLAIMS) & flagged

    article = tmp_path / "article.txt"
    article.write_text("A headline\n\n" + "\n\n".join(sentences) + "\n")
    db = tmp_path / "parity.db"
    env = {"FACTCHECK_DB": str(db), "FACTCHECK_USER": "tester"}
    done = run_installed("import", str(article), env=env)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    try:
        kept = {text for (text,) in conn.execute("SELECT text FROM claim")}
    finally:
        conn.close()
    assert kept == flagged


def _training_script() -> Any:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "bench" / "train_checkworthy.py"
    spec = importlib.util.spec_from_file_location("train_checkworthy", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the script is executed.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_training_data_never_holds_a_test_sentence(tmp_path: Path) -> None:
    # data_small_3class_train.json repeats 16 of disjoint_2000's texts: none may train.
    cb = tmp_path / "claimbuster"
    cb.mkdir()
    rows = {
        "data_small_3class_train": [
            {"sentence_id": 1, "label": 1, "text": "We created 23 million new jobs."},
            {"sentence_id": 2, "label": -1, "text": "Thank you, and good night."},
            {"sentence_id": 3, "label": 1, "text": "Taxes rose by 4 percent."},
        ],
        "disjoint_2000_3class_test": [
            {"sentence_id": 9, "label": 1, "text": "We created 23 million new jobs!"},
        ],
        "kfold_25ncs_2.5xNCS_binary": [
            {"sentence_id": 9, "label": 1, "text": "We created 23 million jobs."},
            {"sentence_id": 4, "label": 0, "text": "Thank you, and good night"},
            {"sentence_id": 5, "label": 0, "text": "Let's get back to Medicare."},
        ],
    }
    for name, content in rows.items():
        (cb / f"{name}.json").write_text(json.dumps(content), encoding="utf-8")
    clef = tmp_path / "clef2019_train"
    clef.mkdir()
    (clef / "debate.tsv").write_text("1\tA\tTaxes rose by 4 percent.\t1\n", encoding="utf-8")
    script = _training_script()
    train, test = script.load_claimbuster(tmp_path)
    assert test.ids == [9]
    # The repeated test text (by text) and the test id (by id) are out; duplicates kept once.
    assert train.ids == [2, 3, 5]
    assert train.labels == [0, 1, 0]
    train, _ = script.load_claimbuster(tmp_path, exclude_clef=True)
    assert train.ids == [2, 5]


# --- the models extra's fine-tuned transformer -------------------------------------------

TRANSFORMER_PATH = MODEL_PATH.parent / checkworthy_transformer.MODEL_FILE
needs_extra = pytest.mark.skipif(
    not checkworthy_transformer.available(),
    reason="the models extra (onnxruntime, numpy) is not installed: pip install -e '.[models]'",
)
# Runs the CLI in a fresh interpreter with ONNX Runtime hidden, as without the extra.
WITHOUT_EXTRA = (
    "import sys\n"
    "sys.modules['onnxruntime'] = None\n"
    "from factcheck.cli import main\n"
    "sys.argv = ['factcheck', *sys.argv[1:]]\n"
    "main()\n"
)


@pytest.fixture(scope="module")
def transformer() -> checkworthy_transformer.TransformerCheckworthy:
    return checkworthy_transformer.load_model()


@needs_extra
def test_transformer_file_carries_vocabulary_threshold_and_limit(
    transformer: checkworthy_transformer.TransformerCheckworthy,
) -> None:
    assert TRANSFORMER_PATH.stat().st_size < 25 * 1024 * 1024
    assert transformer.name == checkworthy_transformer.MODEL_NAME
    assert transformer.version == checkworthy_transformer.MODEL_VERSION
    assert 0.05 < transformer.threshold < 0.95
    assert transformer.max_tokens == 64
    assert len(transformer.vocab) == 30522 and transformer.token_ids("")[0] == transformer.cls
    assert sorted(p.name for p in TRANSFORMER_PATH.parent.glob("checkworthy-*.onnx")) == [
        checkworthy_transformer.MODEL_FILE
    ]


@needs_extra
def test_transformer_ranks_claims_above_pleasantries(
    transformer: checkworthy_transformer.TransformerCheckworthy,
) -> None:
    good_night = "Thank you, good night."
    scores = transformer.score_many([*CLAIMS, *NON_CLAIMS, good_night])
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert min(scores[: len(CLAIMS)]) > max(scores[len(CLAIMS) :])
    assert transformer.is_checkworthy(CLAIMS[0]) and not transformer.is_checkworthy(good_night)
    # One sentence per run: its score does not depend on the sentences scored with it.
    assert transformer.score_many([good_night]) == [transformer.score(good_night)] == scores[-1:]


@needs_extra
def test_transformer_robust_to_odd_input(
    transformer: checkworthy_transformer.TransformerCheckworthy,
) -> None:
    scores = transformer.score_many([*ODD_INPUTS, None])  # type: ignore[list-item]
    assert all(0.0 <= s <= 1.0 and math.isfinite(s) for s in scores)
    assert len(transformer.token_ids("word " * 100_000)) == transformer.max_tokens


def test_load_scorer_auto_linear_transformer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(checkworthy.SCORER_ENV, raising=False)
    linear = checkworthy.load_scorer("linear")
    assert isinstance(linear, checkworthy.CheckworthyModel)
    auto = checkworthy.load_scorer()
    if checkworthy_transformer.available():
        assert isinstance(auto, checkworthy_transformer.TransformerCheckworthy)
        assert checkworthy.load_scorer("transformer") is auto
    else:
        assert auto is linear
    monkeypatch.setenv(checkworthy.SCORER_ENV, "linear")
    assert checkworthy.load_scorer() is linear
    with pytest.raises(ValueError, match="unknown check-worthiness model"):
        checkworthy.load_scorer("bert")


@needs_extra
def test_extract_jsonl_and_import_use_the_transformer(
    tmp_path: Path, transformer: checkworthy_transformer.TransformerCheckworthy
) -> None:
    from tests.conftest import run_installed

    sentences = [*CLAIMS, *NON_CLAIMS, "Thank you, good night."]
    lines = tmp_path / "lines.txt"
    lines.write_text("\n".join(sentences) + "\n")
    auto = {checkworthy.SCORER_ENV: "auto"}
    done = run_installed("extract", "--sentences", str(lines), "--format", "jsonl", env=auto)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [sorted(r) for r in rows] == [["checkworthy", "score", "text"]] * len(sentences)
    expected = transformer.score_many(sentences)
    assert [r["text"] for r in rows] == sentences
    assert [r["score"] for r in rows] == [round(s, 4) for s in expected]
    assert [r["checkworthy"] for r in rows] == [s >= transformer.threshold for s in expected]

    linear = run_installed(
        "extract", "--sentences", str(lines), "--format", "jsonl", "--model", "linear", env=auto
    )
    assert linear.returncode == 0, linear.stderr
    v4 = checkworthy.load_model().score_many(sentences)
    assert [json.loads(line)["score"] for line in linear.stdout.splitlines()] == [
        round(s, 4) for s in v4
    ]

    version = run_installed("--version", env=auto)
    assert f"checkworthy: {transformer.name}@{transformer.version}" in version.stdout

    article = tmp_path / "article.txt"
    article.write_text("A headline\n\n" + "\n\n".join(sentences) + "\n")
    db = tmp_path / "desk.db"
    done = run_installed(
        "import", str(article), env={**auto, "FACTCHECK_DB": str(db), "FACTCHECK_USER": "t"}
    )
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    try:
        stored = set(conn.execute("SELECT text, score_model FROM claim"))
    finally:
        conn.close()
    name = f"{transformer.name}@{transformer.version}"
    assert stored == {(r["text"], name) for r in rows if r["checkworthy"]}
    assert stored  # the claims above are check-worthy by any model


def test_without_the_extra_extract_and_import_fall_back(tmp_path: Path) -> None:
    def factcheck(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        import os

        full = {k: v for k, v in os.environ.items() if k != checkworthy.SCORER_ENV}
        return subprocess.run(
            [sys.executable, "-c", WITHOUT_EXTRA, *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**full, **env},
        )

    sentences = [*CLAIMS, *NON_CLAIMS]
    lines = tmp_path / "lines.txt"
    lines.write_text("\n".join(sentences) + "\n")
    done = factcheck("extract", "--sentences", str(lines), "--format", "jsonl", env={})
    assert done.returncode == 0, done.stderr
    v4 = checkworthy.load_model()
    assert [json.loads(line)["score"] for line in done.stdout.splitlines()] == [
        round(s, 4) for s in v4.score_many(sentences)
    ]
    version = factcheck("--version", env={})
    assert f"checkworthy: {v4.name}@{v4.version} (pure Python)" in version.stdout

    asked = factcheck("extract", "--sentences", str(lines), "--model", "transformer", env={})
    assert asked.returncode == 1 and asked.stdout == ""
    assert asked.stderr.startswith("Error: ") and "models extra" in asked.stderr
    assert len(asked.stderr.strip().splitlines()) == 1

    article = tmp_path / "article.txt"
    article.write_text("A headline\n\n" + "\n\n".join(sentences) + "\n")
    db = tmp_path / "desk.db"
    done = factcheck("import", str(article), env={"FACTCHECK_DB": str(db), "FACTCHECK_USER": "t"})
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    try:
        models = {m for (m,) in conn.execute("SELECT score_model FROM claim")}
    finally:
        conn.close()
    assert models == {f"{v4.name}@{v4.version}"}


def test_a_bad_model_choice_is_one_line(tmp_path: Path) -> None:
    from tests.conftest import run_installed

    lines = tmp_path / "lines.txt"
    lines.write_text(CLAIMS[0] + "\n")
    bad = run_installed("extract", "--sentences", str(lines), env={checkworthy.SCORER_ENV: "bert"})
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.startswith("Error: unknown check-worthiness model 'bert'")
    assert len(bad.stderr.strip().splitlines()) == 1
