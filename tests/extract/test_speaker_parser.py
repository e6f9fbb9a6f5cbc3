"""The parser rules of the speakers extra (spaCy), and everything without them.

With the extra (the test extra installs it) the parser adds `parsed subject` cues; with FACTCHECK_SPEAKERS_PARSER=off, or without spaCy at all, the rules are
the regular-expression ones alone and spaCy is never imported."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.extract.sentences import split_sentences
from factcheck.extract.speakers import attribute_speakers
from factcheck.extract.speakers.parse import SWITCH, model_name

from ..conftest import run_installed

needs_parser = pytest.mark.skipif(
    model_name() is None, reason="the speakers extra (spaCy) is not installed"
)

MEDIA = "But media have said the questionnaires attract criticism from lawyers."
CRANE = (
    "Civil Defense Authority director General Suleiman al-Amr, in remarks to al-Ikhbariya "
    "television, said the crane fell in high winds."
)
GROUP = "Some individuals reported that the site was down for most of the day."


def speakers(text: str) -> list[tuple[str | None, str | None]]:
    return [(a.speaker, a.rule) for a in attribute_speakers(text, split_sentences(text))]


@needs_parser
def test_the_subject_of_a_speech_verb_no_rule_knew() -> None:
    assert speakers(MEDIA) == [("media", "parsed subject: parsed noun phrase")]
    assert speakers(GROUP)[0][0] == "individuals"  # a quantifier is no part of the group


def test_without_the_parser_those_stay_narration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SWITCH, "off")
    assert model_name() is None
    assert speakers(MEDIA) == [(None, None)]
    assert speakers(GROUP) == [(None, None)]


@needs_parser
def test_a_name_the_entity_keeps_whole() -> None:
    # The first-name list sees "Suleiman"; the parse's PERSON entity is the whole name.
    assert speakers(CRANE)[0][0] == "Suleiman al-Amr"


@needs_parser
@pytest.mark.parametrize(
    "text",
    [
        "Researchers at the institute found the samples in a freezer.",  # an object, no claim
        "The spokesman declined to say whether talks had resumed.",  # an infinitive
        "The ministry did not deny that the plan had been shelved.",  # negated
        "Karl-Anthony Towns added 27 points and 12 rebounds.",  # "added" a score
    ],
)
def test_the_parser_keeps_the_exclusions(text: str) -> None:
    assert speakers(text)[0][0] is None


@needs_parser
def test_the_parser_only_speaks_where_the_rules_found_no_cue() -> None:
    # The trailing attribution is the source, not the clause's subject (an entity).
    text = "Maricopa County has confirmed its first measles case, health officials said Sunday."
    assert speakers(text)[0][0] == "health officials"


def test_no_spacy_at_all_extraction_works_and_never_imports_it(tmp_path: Path) -> None:
    # spaCy blocked as if uninstalled: the same article extracts, the parser rules stay off.
    script = (
        "import sys, json\n"
        "sys.modules['spacy'] = None\n"
        "from factcheck.extract.sentences import split_sentences\n"
        "from factcheck.extract.speakers import attribute_speakers\n"
        "from factcheck.extract.speakers.parse import model_name\n"
        f"text = {MEDIA + ' ' + CRANE!r}\n"
        "found = attribute_speakers(text, split_sentences(text))\n"
        "print(json.dumps([model_name(), [a.speaker for a in found],"
        " sorted(m for m in sys.modules if m.startswith(('spacy', 'thinc')) and sys.modules[m])]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    model, found, loaded = json.loads(done.stdout)
    assert model is None and loaded == []
    assert found[0] is None  # "media" needs the parser


@needs_parser
def test_the_installed_command_uses_the_parser_and_the_switch_turns_it_off(
    tmp_path: Path,
) -> None:
    article = tmp_path / "story.txt"
    article.write_text(f"Questionnaire row grows\n\n{MEDIA}\n", encoding="utf-8")
    on = run_installed("extract", str(article), "--format", "json")
    off = run_installed("extract", str(article), "--format", "json", env={SWITCH: "off"})
    assert on.returncode == 0 and off.returncode == 0, on.stderr + off.stderr
    assert [s["speaker"] for s in json.loads(on.stdout)["sentences"]] == ["media"]
    assert [s["speaker"] for s in json.loads(off.stdout)["sentences"]] == [None]


def test_importing_the_extractor_does_not_import_spacy() -> None:
    script = (
        "import sys\nimport factcheck.extract.speakers, factcheck.extract.article\n"
        "print(any(m == 'spacy' or m.startswith('spacy.') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_a_pipeline_that_will_not_load_leaves_the_rules_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from factcheck.extract.speakers import parse

    if importlib.util.find_spec("spacy") is None:
        pytest.skip("needs spaCy installed to fail loading a pipeline")
    # "json" is importable but no spaCy pipeline: spacy.load raises, extraction goes on.
    monkeypatch.setattr(parse, "MODELS", ("json",))
    monkeypatch.setattr(parse, "_pipelines", {})
    assert parse.parse(MEDIA) is None
    assert parse.load_error is not None and parse.load_error.startswith("json")
    assert speakers(MEDIA) == [(None, None)]
