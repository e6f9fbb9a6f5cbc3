"""Reading an article: `source show` marks each claim in the stored text, in the terminal
(plain when piped, coloured on a terminal, escaped either way) and as an HTML page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.reading import TONES, Span, layout
from tests.conftest import SEED, assert_error, dump, factcheck_exe, run_installed
from tests.test_progress import run_on_tty

# Article text that must reach a reader as text: markup, a clipboard write (OSC 52), colour.
HOSTILE = (
    "Hostile <b>headline</b>\n\n"
    "The minister said that <script>alert(1)</script> unemployment fell by 40 percent in 2023 "
    '\x1b]52;c;aGk=\x07 and <img src=http://127.0.0.1:9/x.png> "><b>bold</b> the budget '
    "doubled \x1b[31mred\x1b[0m to 5 billion dollars.\n\n"
    "Officials said crime rose 12 percent last year.\n"
)
HOSTILE_SPEAKER = "Eve \x1b[2J<img src=http://127.0.0.1:9/s.png>"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _check_layout(text: str, spans: list[Span]) -> None:
    blocks, problems = layout(text, spans)
    placed = {}
    previous_end = 0
    for block in blocks:
        assert block.start >= previous_end and block.start < block.end
        assert text[previous_end : block.start].strip() == ""  # only whitespace between them
        assert block.runs[0].start == block.start and block.runs[-1].end == block.end
        for before, after in zip(block.runs, block.runs[1:], strict=False):
            assert before.end == after.start
        for run in block.runs:
            if run.claim_id is not None:
                placed[run.claim_id] = (run.start, run.end)
        previous_end = block.end
    assert text[previous_end:].strip() == ""
    for span in spans:  # every claim is marked exactly where its offsets say, or listed apart
        assert (span.claim_id in placed) != (span.claim_id in problems)
        if span.claim_id in placed:
            assert placed[span.claim_id] == (span.start, span.end)
    marked = sorted(placed.values())
    assert all(a[1] <= b[0] for a, b in zip(marked, marked[1:], strict=False))


def test_layout_cuts_paragraphs_and_says_why_a_claim_is_not_marked() -> None:
    text = "Title\n\nOne claim here. Plain text.\n\nSecond para\nsame para.\n"
    spans = [
        Span(1, 7, 22),  # "One claim here."
        Span(2, 12, 30),  # overlaps 1, which starts first
        Span(3, None, None),
        Span(4, 40, 400),
        Span(5, 9, 9),
    ]
    blocks, problems = layout(text, spans)
    assert [text[b.start : b.end] for b in blocks] == [
        "Title",
        "One claim here. Plain text.",
        "Second para\nsame para.",
    ]
    assert [(r.start, r.end, r.claim_id) for r in blocks[1].runs] == [(7, 22, 1), (22, 34, None)]
    assert problems == {
        2: "overlaps claim #1, which is marked",
        3: "no position in the text (added by hand)",
        4: f"its offsets 40-400 are outside the text (0-{len(text)})",
        5: "its offsets 9-9 mark nothing",
    }
    _check_layout(text, spans)


def test_a_claim_across_a_blank_line_keeps_its_paragraphs_together() -> None:
    text = "First part of it.\n\nSecond part.\n\nAfter."
    blocks, problems = layout(text, [Span(1, 6, 31)])
    assert problems == {}
    assert [text[b.start : b.end] for b in blocks] == [text[:31], "After."]


def test_text_without_blank_lines_is_cut_at_line_ends() -> None:
    text = "  One line.\nTwo line.\n"
    blocks, _ = layout(text, [])
    assert [text[b.start : b.end] for b in blocks] == ["One line.", "Two line."]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab .\n\t", max_size=60),
    raw=st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(-3, 65)), st.one_of(st.none(), st.integers(-3, 65))
        ),
        max_size=8,
    ),
)
def test_layout_never_loses_text_or_misplaces_a_claim(
    text: str, raw: list[tuple[int | None, int | None]]
) -> None:
    _check_layout(text, [Span(i, s, e) for i, (s, e) in enumerate(raw, start=1)])


@pytest.fixture
def desk(tmp_path: Path) -> dict[str, str]:
    """The seed article imported, with a verdict and evidence on one claim and a hand claim."""
    env = {"FACTCHECK_DB": str(tmp_path / "read.db")}
    steps = [
        ("import", str(SEED), "--publisher", "Example Wire"),
        ("verdict", "add", "2", "false", "--scale", "politifact"),
        ("verdict", "add", "3", "half-true"),
        ("evidence", "add", "2", "--url", "https://example.org/e", "--stance", "refutes"),
        ("claim", "add", "WannaCry hit 300,000 users", "--speaker", "Brad Smith", "--source", "1"),
    ]
    for step in steps:
        done = run_installed(*step, env=env)
        assert done.returncode == 0, (step, done.stderr)
    return env


def _claims(env: dict[str, str]) -> list[dict[str, object]]:
    done = run_installed("review", "--source", "1", "--sort", "id", "--format", "json", env=env)
    return list(json.loads(done.stdout))


def test_show_marks_every_claim_in_its_paragraph_when_piped(
    desk: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS")  # piped with no width to go by: paragraphs stay whole
    done = run_installed("source", "show", "1", env=desk)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "\x1b" not in out
    assert out.startswith("id:           1\ntitle:        US government blames North Korea")
    text = SEED.read_text()
    claims = _claims(desk)
    assert len(claims) >= 5
    lines = out.splitlines()
    for claim in claims:
        start, end = claim["char_start"], claim["char_end"]
        if start is None:
            continue
        assert isinstance(start, int) and isinstance(end, int)
        verdict = claim["verdict"] or "no verdict"
        label = f"(#{claim['id']} {claim['status']} · {verdict} · {claim['speaker']})"
        if not claim["speaker"]:
            label = f"(#{claim['id']} {claim['status']} · {verdict})"
        marked = f"[[#{claim['id']} {_squash(text[start:end])}]] {label}"
        line = next(line for line in lines if marked in line)
        # the line is the claim's whole paragraph once the marks are taken out
        paragraph = next(p for p in text.split("\n\n") if text[start:end] in p)
        unmarked = re.sub(r"\]\] \(#\d+ [^)]*\)", "", re.sub(r"\[\[#\d+ ", "", line))
        assert unmarked == _squash(paragraph)
    assert "(#2 reviewed · false · Tom Bossert)" in out
    assert re.search(r"Not marked in the text:\n  \(#\d+ new · no verdict · Brad Smith\) ", out)
    assert "no position in the text" in out


def test_show_wraps_to_the_terminal_width(desk: dict[str, str]) -> None:
    done = run_installed("source", "show", "1", env={**desk, "COLUMNS": "60"})
    body = done.stdout.split("\n\n", 1)[1]
    assert max(len(line) for line in body.splitlines()) <= 60
    assert "[[#2 Homeland security advisor" in _squash(body)
    assert not any(re.search(r"\[\[#\d+$", line) for line in body.splitlines())


def _hostile_desk(tmp_path: Path) -> dict[str, str]:
    env = {"FACTCHECK_DB": str(tmp_path / "hostile.db")}
    article = tmp_path / "hostile.txt"
    article.write_text(HOSTILE)
    assert run_installed("import", str(article), "--all", env=env).returncode == 0
    start = HOSTILE.index("crime")
    done = run_installed(
        *("claim", "add", "crime rose", "--source", "1", "--speaker", HOSTILE_SPEAKER),
        *("--start", str(start), "--end", str(start + len("crime rose 12 percent"))),
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return env


def test_escape_sequences_in_the_article_are_shown_not_obeyed(tmp_path: Path) -> None:
    env = _hostile_desk(tmp_path)
    piped = run_installed("source", "show", "1", env=env).stdout
    code, tty = run_on_tty([factcheck_exe(), "source", "show", "1"], stream="stdout", env=env)
    assert code == 0, tty
    tty = tty.replace("\r\n", "\n")
    for out in (piped, tty):
        assert "\\x1b]52;c;aGk=\\x07" in out and "\\x1b[31mred\\x1b[0m" in out
        assert "\x1b]" not in out and "\x07" not in out and "\x1b[2J" not in out
        assert "\x1b[31mred" not in out
        shown = re.sub("\x1b\\[[0-9;]*m", "", out)  # our own colours, on the terminal
        assert "Eve \\x1b[2J<img src=http://127.0.0.1:9/s.png>) “crime rose”: overlaps" in shown
    # colour only on the terminal: claims without a verdict in cyan, closed at each line's end
    assert "\x1b[36m[[#1 The minister said" in tty
    assert all(line.count("\x1b[36m") <= line.count("\x1b[0m") for line in tty.splitlines())
    assert "\x1b" not in piped


def test_colour_follows_the_verdict_and_respects_no_color(desk: dict[str, str]) -> None:
    args = [factcheck_exe(), "source", "show", "1"]
    code, tty = run_on_tty(args, stream="stdout", env=desk)
    assert code == 0, tty
    assert "\x1b[31m[[#2 " in tty  # false: red
    assert "\x1b[33m[[#3 " in tty  # half-true: amber
    code, plain = run_on_tty(args, stream="stdout", env={**desk, "NO_COLOR": "1"})
    assert code == 0 and "\x1b" not in plain and "[[#2 Homeland" in plain


def test_show_to_a_file_and_its_errors(
    desk: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = run_installed("source", "show", "1", "-o", str(tmp_path / "read.txt"), env=desk)
    assert done.returncode == 0 and done.stdout == ""
    monkeypatch.delenv("COLUMNS")
    assert (tmp_path / "read.txt").read_text() == run_installed(
        "source", "show", "1", env=desk
    ).stdout
    before = dump(Path(desk["FACTCHECK_DB"]))
    for args, message in (
        (("source", "show", "1", "--html", "-o", desk["FACTCHECK_DB"]), "the database itself"),
        (("source", "show", "9"), "no source with id 9"),
        (("source", "show", "1", "--html", "-o", str(tmp_path / "no" / "p.html")), "not exist"),
    ):
        done = run_installed(*args, env=desk)
        assert done.returncode == 1, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    assert dump(Path(desk["FACTCHECK_DB"])) == before


def test_a_source_without_text_says_so(db_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert run("source", "add", "https://example.org/report", "--title", "A report").exit_code == 0
    result = run("source", "show", "1")
    assert result.exit_code == 0
    assert "This source has no stored text" in result.stdout
    assert_error(run("source", "show", "2"), "no source with id 2")


def test_html_escapes_everything_from_the_data(tmp_path: Path) -> None:
    env = _hostile_desk(tmp_path)
    page = tmp_path / "page.html"
    done = run_installed("source", "show", "1", "--html", "-o", str(page), env=env)
    assert done.returncode == 0, done.stderr
    html = page.read_text()
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


# --- in a real browser ----------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Debian's Chromium, headless, driven by Playwright (never a browser of its own)."""
    import os

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install it (.ci/run does)")
        pytest.skip(f"no browser at {CHROMIUM}: apt-get install chromium to run the HTML test")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield instance
        finally:
            instance.close()


def _open(browser, page_file: Path):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    return page, requests, console


def test_html_page_in_a_browser_highlights_where_the_offsets_say(
    browser, desk: dict[str, str], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    page_file = tmp_path / "wannacry.html"
    done = run_installed("source", "show", "1", "--html", "-o", str(page_file), env=desk)
    assert done.returncode == 0, done.stderr
    page, requests, console = _open(browser, page_file)
    assert page.title().startswith("US government blames North Korea for WannaCry")
    text = SEED.read_text()
    claims = _claims(desk)
    for claim in claims:
        mark = page.locator(f"mark#claim-{claim['id']}")
        if claim["char_start"] is None:
            assert mark.count() == 0
            note = page.locator(f"section.unmarked #note-{claim['id']}")
        else:
            assert mark.text_content() == text[claim["char_start"] : claim["char_end"]]
            box = mark.bounding_box()
            assert box is not None and box["width"] > 0 and box["height"] > 0
            note = page.locator(f"aside #note-{claim['id']}")
        note_text = note.inner_text()
        assert (claim["speaker"] or "speaker unknown") in note_text
        assert (claim["verdict"] or "no verdict") in note_text
        assert f"{claim['evidence_count']} evidence" in note_text
    # each paragraph holds exactly its stretch of the text, and no claim is lost
    for paragraph in page.locator("p[data-start]").all():
        start = int(paragraph.get_attribute("data-start") or "")
        end = int(paragraph.get_attribute("data-end") or "")
        assert paragraph.text_content() == text[start:end]
    assert page.locator("mark.claim").count() == sum(1 for c in claims if c["char_start"])
    # the verdicts colour their claims: false is redder than half-true
    hue = "el => getComputedStyle(el).backgroundColor"
    assert page.locator("mark#claim-2").evaluate(hue) != page.locator("mark#claim-3").evaluate(hue)
    key = page.locator("section.key").text_content() or ""
    assert all(meaning in key for meaning in TONES.values())
    assert requests == [page_file.as_uri()]
    assert not any("Content Security Policy" in line for line in console), console


def test_html_page_in_a_browser_shows_hostile_text_as_text(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = _hostile_desk(tmp_path)
    page_file = tmp_path / "hostile.html"
    assert run_installed("source", "show", "1", "--html", "-o", str(page_file), env=env)
    page, requests, console = _open(browser, page_file)
    assert page.locator("script, img, main b, header b").count() == 0
    assert page.locator("h1").text_content() == "Hostile <b>headline</b>"
    first = page.locator("mark#claim-1").text_content() or ""
    assert "<script>alert(1)</script>" in first and "<img src=http://127.0.0.1:9/x.png>" in first
    assert '"><b>bold</b>' in first
    assert HOSTILE_SPEAKER in page.locator("section.unmarked").text_content()  # type: ignore[operator]
    assert requests == [page_file.as_uri()]
    assert not any("Content Security Policy" in line for line in console), console
