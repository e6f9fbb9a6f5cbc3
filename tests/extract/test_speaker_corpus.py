"""The annotated corpus of bench/speakers stays well-formed: enough articles, outlets and
labels, each with its origin and licence, and the text it describes is what gets extracted."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "bench" / "speakers"


def _eval_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("eval_speakers", ROOT / "bench/eval_speakers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_speakers", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_corpus_is_big_enough_and_every_article_says_where_it_came_from() -> None:
    load_article = _eval_module().load_article
    articles = {
        split: [load_article(p) for p in sorted((CORPUS / split).glob("*.txt"))]
        for split in ("dev", "heldout")
    }
    every = articles["dev"] + articles["heldout"]
    assert len(every) >= 40 and len(articles["heldout"]) >= 15
    assert len({a.meta["outlet"] for a in every}) >= 8
    assert {a.meta["spelling"] for a in every} == {"US", "UK"}
    for article in every:
        assert article.meta.get("origin") and article.meta.get("licence"), article.path
        kinds = {g.kind for g in article.golds}
        assert "title" in kinds and kinds & {"direct", "reported"}, article.path
        for gold in article.golds:
            # Offsets index the joined text exactly, as the extractor sees it.
            assert article.text[gold.start : gold.end] == gold.text
            if gold.kind in ("direct", "reported") and gold.speakers:
                assert gold.speaker_type in ("person", "organization")
            if gold.kind == "furniture":
                assert gold.furniture


def test_real_splits_are_wikinews_with_their_origin_and_licence() -> None:
    load_article = _eval_module().load_article
    real = [
        load_article(p)
        for split in ("real-dev", "real-heldout", "real-heldout2")
        for p in sorted((CORPUS / split).glob("*.txt"))
    ]
    assert len(real) >= 20
    kinds = {"byline", "dateline", "timestamp", "caption", "gallery", "credit", "share"}
    kinds |= {"correction", "embed", "teaser", "newsletter", "advert", "tags", "editor-note"}
    for article in real:
        assert "en.wikinews.org/wiki/" in article.meta["origin"], article.path
        assert "github.com/amir-zeldes/gum commit" in article.meta["origin"], article.path
        assert article.meta["licence"].startswith("CC BY 2.5"), article.path
        assert [g.kind for g in article.golds].count("title") == 1, article.path
        for gold in article.golds:
            assert article.text[gold.start : gold.end] == gold.text
            if gold.kind == "furniture":
                assert gold.furniture in kinds, (article.path, gold.furniture)


def test_house_style_splits_are_well_formed_and_span_the_house_styles() -> None:
    load_article = _eval_module().load_article
    for split in ("house-dev", "house-heldout", "house-heldout5", "house-heldout6"):
        articles = [load_article(p) for p in sorted((CORPUS / split).glob("*.txt"))]
        assert len(articles) >= 6, split
        assert len({a.meta["style"] for a in articles}) >= 6, split
        assert {a.meta["spelling"] for a in articles} == {"US", "UK"}, split
        for article in articles:
            assert "written for factcheck's corpus" in article.meta["origin"], article.path
            assert article.meta.get("licence"), article.path
            for gold in article.golds:
                assert article.text[gold.start : gold.end] == gold.text
