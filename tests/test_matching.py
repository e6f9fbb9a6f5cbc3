"""`claim similar --text`, the models extra's static embeddings, and the lexical fallback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import embedding
from tests.conftest import assert_error, run_installed

CLAIMS = [
    "North Korea carried out the WannaCry attack",
    "Unemployment fell to 4.1 percent in 2017",
    "The bridge cost twice the original estimate",
    "WannaCry affected around 300,000 computer users",
]
needs_extra = pytest.mark.skipif(
    not embedding.available(),
    reason="the models extra (numpy) is not installed: pip install -e '.[models]'",
)


@pytest.fixture
def desk(db_path: Path, run) -> Path:  # type: ignore[no-untyped-def]
    for text in CLAIMS:
        assert run("claim", "add", text).exit_code == 0
    assert run("verdict", "add", "1", "true").exit_code == 0
    return db_path


def similar(run, *args: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    result = run("claim", "similar", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_text_lookup_lexical(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    rows = similar(run, "--text", "Did unemployment really fall to 4.1% in 2017?", "--lexical")
    assert rows[0]["id"] == 2
    assert {"id", "uuid", "text", "score", "verdict"} <= set(rows[0])
    assert rows[0]["text"] == CLAIMS[1]
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1
    assert 3 not in [r["id"] for r in rows]  # nothing in common with the bridge


def test_text_lookup_limit_and_verdict(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    rows = similar(run, "--text", "The WannaCry attack: North Korea", "--limit", "1", "--lexical")
    assert [(r["id"], r["verdict"]) for r in rows] == [(1, "true")]


def test_claim_id_and_text_are_exclusive(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert run("claim", "similar").exit_code == 2
    assert run("claim", "similar", "1", "--text", "x").exit_code == 2
    assert run("claim", "similar", "--text", "  ").exit_code == 2
    assert_error(run("claim", "similar", "99"), "no claim with id 99")


def test_min_score_default_shows_weak_matches(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    # A long tip shares few words with the claim: its score is low, but it is still listed.
    tip = "My uncle keeps posting that the unemployment figures are fake, is any of it true?"
    rows = similar(run, "--text", tip, "--lexical")
    assert rows and rows[0]["id"] == 2 and rows[0]["score"] < 0.5
    assert similar(run, "--text", tip, "--lexical", "--min-score", "0.9") == []


@needs_extra
def test_meaning_finds_a_rewording_with_no_word_in_common(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    tip = "Pyongyang was behind the ransomware"
    assert similar(run, "--text", tip, "--lexical") == []
    rows = similar(run, "--text", tip)
    assert rows[0]["id"] == 1 and rows[0]["verdict"] == "true"
    assert rows[0]["meaning"] > 0.25
    # Ordered by the fused rank; the score stays a likeness, never a rank dressed up as 1.0.
    assert [r["fused"] for r in rows] == sorted((r["fused"] for r in rows), reverse=True)
    assert all(r["score"] == max(r["meaning"], r["lexical_score"]) < 1.0 for r in rows)
    assert 2 not in [r["id"] for r in rows]  # unemployment: unrelated in meaning too


@needs_extra
def test_claim_id_lookup_uses_meaning_and_skips_itself(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    rows = similar(run, "4")
    assert rows[0]["id"] == 1  # both about WannaCry
    assert 4 not in [r["id"] for r in rows]


def test_without_the_extra_it_falls_back_with_one_notice(desk: Path) -> None:
    # A fresh interpreter in which numpy cannot be imported: what a default install sees.
    code = (
        "import sys\n"
        "sys.modules['numpy'] = None\n"
        "from factcheck.cli import main\n"
        "sys.argv = ['factcheck', 'claim', 'similar', '--text', sys.argv[1], '--format', 'json']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "unemployment fell to 4.1 percent"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines() == [
        "Notice: matching words only; for matching by meaning install the models extra: "
        "pip install 'factcheck[models]'"
    ]
    rows = json.loads(done.stdout)
    assert rows[0]["id"] == 2 and "meaning" not in rows[0]


def test_version_and_db_info_name_the_models(desk: Path) -> None:
    done = run_installed("--version")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith("factcheck, version ")
    assert "  checkworthy: factcheck-checkworthy@5 (pure Python)" in lines
    meaning = [line for line in lines if line.startswith("  meaning: ")]
    expected = "factcheck-minilm-static@1" if embedding.available() else "not installed"
    if embedding.available() and embedding.reranker_available():
        expected += ", re-ranked by factcheck-minilm-l6@1"
    assert len(meaning) == 1 and expected in meaning[0]
    info = json.loads(run_installed("db", "info", "--format", "json").stdout)[0]
    assert info["model_checkworthy"] == "factcheck-checkworthy@5 (pure Python)"
    assert expected in info["model_meaning"]


def test_basic_tokens_follow_bert_uncased() -> None:
    assert embedding.basic_tokens("Héllo, World! It's 4.1%") == [
        "hello",
        ",",
        "world",
        "!",
        "it",
        "'",
        "s",
        "4",
        ".",
        "1",
        "%",
    ]
    # Links, handles and '#' are dropped before tokenising.
    assert embedding.basic_tokens("see https://t.co/x1 @bob #Vote now") == ["see", "vote", "now"]
    assert embedding.basic_tokens("数字") == ["数", "字"]


@needs_extra
def test_encoder_wordpiece_and_vectors() -> None:
    import numpy as np

    enc = embedding.load_encoder()
    assert enc.name == embedding.MODEL_NAME and enc.version == embedding.MODEL_VERSION
    assert embedding.load_encoder() is enc
    ids = enc.token_ids("unaffordable")
    assert len(ids) > 1 and enc.unk not in ids  # split into known pieces
    assert enc.token_ids("x" * 150) == [enc.unk]
    vectors = enc.encode(["WannaCry hit 300,000 computers", "", None, "a" * 100_000])  # type: ignore[list-item]
    assert vectors.shape == (4, enc.dim) and vectors.dtype == np.float32
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-5
    assert not vectors[1].any() and not vectors[2].any()
    same = enc.encode(["WannaCry hit 300,000 computers"])
    assert np.array_equal(same[0], vectors[0])


@needs_extra
def test_rewordings_are_closer_than_unrelated_claims() -> None:
    enc = embedding.load_encoder()
    v = enc.encode(
        [
            "Unemployment fell to 4.1 percent in 2017",
            "The jobless rate dropped to 4.1% in 2017",
            "The bridge cost twice the original estimate",
        ]
    )
    assert float(v[0] @ v[1]) > 0.5 > 0.25 > float(v[0] @ v[2])


@needs_extra
def test_a_damaged_model_file_is_refused(tmp_path: Path) -> None:
    from importlib.resources import as_file, files

    import numpy as np

    with as_file(files("factcheck.extract") / "data" / embedding.MODEL_FILE) as path:
        with np.load(path) as data:
            arrays = {key: data[key] for key in data.files}
    arrays["scales"] = arrays["scales"][:10]
    broken = tmp_path / "broken.npz"
    np.savez(broken, **arrays)
    with pytest.raises(ValueError, match="do not match"):
        embedding.read_encoder(str(broken))


def test_a_pasted_post_is_matched_by_its_words_not_its_links(desk: Path, run) -> None:  # type: ignore[no-untyped-def]
    # A hashtag or handle is words run together; a link's path is not the post's words.
    rows = similar(run, "--text", "So #NorthKorea did it? via @WannaCryTracker", "--lexical")
    assert rows[0]["id"] == 1
    assert similar(run, "--text", "Read this https://t.co/unemployment-bridge", "--lexical") == []
    assert similar(run, "--text", "pic.twitter.com/unemployment shared", "--lexical") == []


needs_reranker = pytest.mark.skipif(
    not embedding.reranker_available(),
    reason="the models extra's re-ranker (onnxruntime) is not installed: pip install -e '.[models]'",
)
MORE_CLAIMS = [
    "Hackers attacked the city's computer network last year",
    "The new bridge will be paid for by a toll",
    "The vaccine was tested on thousands of children",
    "Children who eat breakfast do better at school",
]


@needs_reranker
def test_the_transformer_reranks_what_words_and_the_static_model_got_wrong(  # type: ignore[no-untyped-def]
    desk: Path, run
) -> None:
    for text in MORE_CLAIMS:
        assert run("claim", "add", text).exit_code == 0
    tip = "The ransomware outbreak hit three hundred thousand machines"
    # By words, "thousands" of children tested with a vaccine comes first.
    assert similar(run, "--text", tip, "--lexical")[0]["id"] == 7
    rows = similar(run, "--text", tip)
    assert rows[0]["id"] == 4 and rows[0]["text"] == CLAIMS[3]
    assert rows[0]["meaning"] > rows[1]["meaning"]
    assert [r["fused"] for r in rows] == sorted((r["fused"] for r in rows), reverse=True)
    assert all(r["score"] == max(r["meaning"], r["lexical_score"]) < 1.0 for r in rows)


@needs_reranker
def test_transformer_encoder_tokens_and_vectors() -> None:
    import numpy as np

    enc = embedding.load_reranker()
    assert embedding.load_reranker() is enc
    assert (enc.name, enc.version) == (embedding.RERANKER_NAME, embedding.RERANKER_VERSION)
    ids = enc.token_ids("WannaCry hit 300,000 computers")
    assert ids[0] == enc.cls and ids[-1] == enc.sep and enc.unk not in ids
    assert len(enc.token_ids("word " * 1000)) == embedding.RERANKER_MAX_TOKENS
    v = enc.encode(
        [
            "North Korea carried out the WannaCry attack",
            "Pyongyang was behind the ransomware",
            "The bridge cost twice the original estimate",
            "",
        ]
    )
    assert v.shape == (4, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert float(v[0] @ v[1]) > 0.4 > 0.15 > float(v[0] @ v[2])
    # One text alone or in a batch of others: the same vector (padding is masked out).
    assert np.allclose(enc.encode(["Pyongyang was behind the ransomware"])[0], v[1], atol=1e-4)


@needs_reranker
def test_the_transformer_reads_a_post_without_its_links_and_with_its_tags_split(  # type: ignore[no-untyped-def]
    desk: Path, run
) -> None:
    plain = similar(run, "--text", "So North Korea did it? via Wanna Cry Tracker")
    post = similar(run, "--text", "So #NorthKorea did it? https://t.co/x7Qz9 via @WannaCryTracker")
    meaning = {r["id"]: r["meaning"] for r in plain}
    assert [r["id"] for r in post] == [r["id"] for r in plain]
    assert all(abs(r["meaning"] - meaning[r["id"]]) < 0.002 for r in post)


def test_without_onnxruntime_meaning_still_works_unreranked(desk: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['onnxruntime'] = None\n"
        "from factcheck.cli import main\n"
        "sys.argv = ['factcheck', *sys.argv[1:]]\n"
        "main()\n"
    )

    def factcheck(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60
        )

    version = factcheck("--version")
    assert version.returncode == 0, version.stderr
    assert "re-ranked" not in version.stdout
    done = factcheck("claim", "similar", "--text", "Pyongyang was behind the ransomware",
                     "--format", "json")  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr
    rows = json.loads(done.stdout)
    if embedding.available():
        assert rows[0]["id"] == 1 and "meaning" in rows[0]
