"""Markdown report: the layout, and that user text can never become markup."""

from __future__ import annotations

from typing import Any

from factcheck.exchange.markdown import escape, link, render_markdown


def claim(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 7,
        "uuid": "u-7",
        "text": "The bridge cost $4 million.",
        "summary": None,
        "speaker": "Mayor Jane Roe",
        "status": "reviewed",
        "claim_date": "2024-03-01",
        "source": {"title": "Bridge costs soar", "url": "https://news.example.com/bridge"},
        "verdict": "half-true",
        "verdicts": [
            {
                "rating": "half-true",
                "label": "Half True",
                "scale": "politifact",
                "rationale": "Includes design work.\nSee the budget.",
                "reviewer": "ann",
                "created_at": "2024-03-05T14:30:00.123456",
            },
            {
                "rating": "false",
                "label": "False",
                "scale": "politifact",
                "rationale": None,
                "reviewer": "bob",
                "created_at": "2024-03-04T09:00:00",
            },
        ],
        "evidence": [
            {
                "stance": "refutes",
                "excerpt": "Total: $2.1m",
                "note": "Called the treasurer: > not a quote",
                "source_title": "City budget",
                "source_url": "https://city.example/budget.pdf",
            }
        ],
    }
    base.update(changes)
    return base


def test_full_section_layout() -> None:
    assert render_markdown([claim()], title="Weekly report") == (
        "# Weekly report\n"
        "\n"
        "## Claim 7: The bridge cost $4 million.\n"
        "\n"
        "> The bridge cost $4 million.\n"
        "\n"
        "- **Speaker:** Mayor Jane Roe\n"
        "- **Said on:** 2024-03-01\n"
        "- **Status:** reviewed\n"
        "- **Source:** [Bridge costs soar](<https://news.example.com/bridge>)\n"
        "- **UUID:** u-7\n"
        "\n"
        "### Verdict\n"
        "\n"
        "**Half True** (politifact) by ann on 2024-03-05 14:30\n"
        "\n"
        "*Our rationale:* Includes design work.  \n"
        "See the budget.\n"
        "\n"
        "### Evidence\n"
        "\n"
        "- **refutes:** [City budget](<https://city.example/budget.pdf>)\n"
        "\n"
        "  Excerpt from the source:\n"
        "\n"
        "  > Total: $2.1m\n"
        "\n"
        "  *Our note:* Called the treasurer: \\> not a quote\n"
        "\n"
        "### Verdict history (newest first)\n"
        "\n"
        "- **Half True** (politifact) by ann on 2024-03-05 14:30 (current)\n"
        "\n"
        "  *Our rationale:* Includes design work.  \n"
        "  See the budget.\n"
        "- **False** (politifact) by bob on 2024-03-04 09:00\n"
    )
    # Our own words are never styled as a quotation: only the claim and the excerpt are.
    quoted = [line.strip() for line in render_markdown([claim()]).splitlines()]
    assert [q for q in quoted if q.startswith(">")] == [
        "> The bridge cost $4 million.",
        "> Total: $2.1m",
    ]


def test_claim_without_verdict_evidence_speaker_or_source() -> None:
    text = render_markdown(
        [claim(verdicts=[], evidence=[], speaker=None, source=None, claim_date=None)]
    )
    assert "- **Speaker:** unknown\n" in text
    assert "No verdict yet." in text
    assert "Said on" not in text and "Source" not in text
    assert "### Evidence" not in text and "history" not in text


def test_empty_report() -> None:
    assert render_markdown([]) == "# Fact-check report\n\nNo claims.\n"


def test_long_text_is_shortened_in_the_heading_only() -> None:
    text = "word " * 40
    rendered = render_markdown([claim(text=text)])
    heading = rendered.splitlines()[2]
    assert heading.startswith("## Claim 7: word word") and heading.endswith("word…")
    assert len(heading) <= len("## Claim 7: ") + 80
    assert "> " + text.strip() in rendered


def test_escape_neutralises_inline_markup() -> None:
    assert escape("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert escape("<img src=x onerror=alert(1)>") == "\\<img src=x onerror=alert(1)\\>"
    assert escape("*a* _b_ `c` ~~d~~ a|b &amp; \\") == (
        "\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~ a\\|b \\&amp; \\\\"
    )
    assert escape("# Heading") == "\\# Heading"


def test_escape_neutralises_line_start_markup_and_flattens_lines() -> None:
    assert escape("- item") == "\\- item"
    assert escape("+ item") == "\\+ item"
    assert escape("=== ") == "\\=== "
    assert escape("12. item") == "12\\. item"
    assert escape("3) item") == "3\\) item"
    assert escape("> quote") == "\\> quote"
    assert escape("one\n# two") == "one \\# two"
    assert escape("a\x1b[31mred") == "a\\\\x1b\\[31mred"
    assert escape("abc\u202edef") == "abc\\\\u202edef"
    assert escape("2024-03-01 and 3.5 - fine") == "2024-03-01 and 3.5 - fine"


def test_hostile_claim_cannot_inject_anything() -> None:
    hostile = (
        "# Injected heading\n"
        "[click](javascript:alert(1)) ![img](http://tracker.example/x.png)\n"
        "<script>alert(1)</script>\n"
        "---\n"
        "| a | b |\n"
        "    indented code\n"
        "```\n"
    )
    rendered = render_markdown(
        [
            claim(
                text=hostile,
                speaker="<b>Bold</b> [x](y)",
                status="*new*",
                source={"title": "](javascript:x)", "url": "javascript:alert(1)"},
                verdicts=[
                    {
                        "rating": "false",
                        "label": "[False](http://evil.example)",
                        "scale": "politifact",
                        "rationale": hostile,
                        "reviewer": "<i>",
                        "created_at": "2024-01-01T00:00:00",
                    }
                ],
                evidence=[
                    {
                        "stance": "supports",
                        "excerpt": hostile,
                        "note": "# note",
                        "source_title": "[t]",
                        "source_url": "https://ok.example/a b",
                    }
                ],
            )
        ]
    )
    lines = rendered.splitlines()
    # The only headings and links are ours.
    headings = [line for line in lines if line.lstrip("> ").startswith("#")]
    assert headings == [
        "# Fact-check report",
        "## Claim 7: \\# Injected heading \\[click\\](javascript:alert(1))…",
        "### Verdict",
        "### Evidence",
    ]
    assert "](<" not in rendered  # no http(s) URL here is valid, so no link at all
    for raw in ("<script>", "<b>", "<i>", "[click]", "![img]", "```", "| a |"):
        assert raw not in rendered
    # Quoted lines are stripped of indentation (no code blocks) and escaped at line start.
    assert "> \\---" in rendered and "> indented code" in rendered
    assert "> \\`\\`\\`" in rendered
    assert "**Source:** \\](javascript:x) (javascript:alert(1))" in rendered


def test_only_http_urls_become_links() -> None:
    assert link("Report", "https://example.org/a_(b)?q=1&r=2") == (
        "[Report](<https://example.org/a_(b)?q=1&r=2>)"
    )
    assert link(None, "HTTP://EXAMPLE.ORG") == "[HTTP://EXAMPLE.ORG](<HTTP://EXAMPLE.ORG>)"
    assert link("Report", "javascript:alert(1)") == "Report (javascript:alert(1))"
    assert link("Report", "data:text/html,<b>") == "Report (data:text/html,\\<b\\>)"
    assert link("Report", "https://example.org/x>y") == "Report (https://example.org/x\\>y)"
    assert link("Report", "https://example.org/\u202egnp.exe") == (
        "Report (https://example.org/\\\\u202egnp.exe)"
    )
    assert link("Local file", None) == "Local file"
    assert link(None, "/tmp/article.txt") == "/tmp/article.txt"
