"""The brief's "Figures across sources": the figure board as a Markdown table and as ``figures_across_sources`` in the
JSON brief — checked through what a CommonMark renderer shows, and through ``factdesk export`` itself."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from figure_data import flood_corpus
from test_brief import norm, parse, section

from factdesk.annotations.export.brief_json import render_json
from factdesk.annotations.export.brief_markdown import render_markdown
from factdesk.annotations.export.build import build_brief

TODAY = datetime.date(2024, 12, 10)
REPO = Path(__file__).resolve().parent.parent
HOSTILE = "<script>alert(1)</script> **bold** | pipe [l](http://x) `c`"


def test_markdown_brief_has_the_table_with_conflicts_and_copies() -> None:
    markdown = render_markdown(build_brief(flood_corpus(), {}, today=TODAY))
    parsed = parse(markdown)
    blocks = section(parsed.blocks, "Figures across sources")
    assert blocks[0][0] == "p" and "≠ marks figures that cannot all hold" in blocks[0][1]
    header = ["Measure", "Scope", "Source", "Figure", "When", "According to"]
    start = parsed.rows.index(header)
    assert parsed.rows[start + 1 : start + 6] == [
        ["≠ people killed", "the city", "Wire, claim 1", "at least 5,000", "", "the Red Crescent"],
        ["", "", "Daily Copy (copy of Wire), claim 1", "at least 5,000", "", "the Red Crescent"],
        ["", "", "Health Desk, claim 1", "3,958", "by Sunday", "the WHO"],
        ["buildings destroyed", "the city", "Wire, claim 2", "about 900", "", ""],
        ["people killed", "the port", "Health Desk, claim 2", "1,200", "", ""],
    ]
    assert ("ul", "people killed — the city: by source: Red Crescent 5,000 vs WHO 3,958") in blocks


def test_json_brief_carries_the_same_rows() -> None:
    data = json.loads(render_json(build_brief(flood_corpus(), {}, today=TODAY)))
    rows = data["figures_across_sources"]
    assert [(r["measure"], r["scope"], r["conflict"]) for r in rows] == [
        ("people killed", "the city", True),
        ("buildings destroyed", "the city", False),
        ("people killed", "the port", False),
    ]
    killed = rows[0]
    assert killed["explanation"] == "source" and killed["independent_sources"] == 2
    assert killed["explanation_text"] == "by source: Red Crescent 5,000 vs WHO 3,958"
    assert [(o["source"], o["copy_of"]) for o in killed["outlets"]] == [
        ("Wire", None),
        ("Daily Copy", "Wire"),
        ("Health Desk", None),
    ]
    first = killed["outlets"][0]["figures"][0]
    assert first == {
        "article_id": "a1",
        "sentence_index": 0,
        "claim_number": 1,
        "value": "at least 5,000",
        "figure": "At least 5,000",
        "low": 5000.0,
        "high": None,  # no upper bound: null, as in analyze --json
        "bound": "at least",
        "time": "",
        "attribution": "the Red Crescent",
        "in_conflict": True,
    }
    assert rows[1]["explanation"] is None and rows[1]["explanation_text"] == ""


def test_no_figures_no_section() -> None:
    corpus = replace(flood_corpus(), figures=(), conflicts=())
    brief = build_brief(corpus, {}, today=TODAY)
    assert "Figures across sources" not in render_markdown(brief)
    assert json.loads(render_json(brief))["figures_across_sources"] == []  # every key always present


def test_outside_text_in_the_table_stays_literal() -> None:
    corpus = flood_corpus()
    figures = tuple(replace(f, scope=HOSTILE, attribution=HOSTILE + "\x1b[31m") for f in corpus.figures)
    articles = tuple(replace(a, article=replace(a.article, source=HOSTILE)) for a in corpus.articles)
    brief = build_brief(replace(corpus, figures=figures, articles=articles, conflicts=()), {}, today=TODAY)
    markdown = render_markdown(brief)
    assert "<script>" not in markdown.replace("\\<script>", "") and "\x1b" not in markdown
    parsed = parse(markdown)
    header = ["Measure", "Scope", "Source", "Figure", "When", "According to"]
    row = parsed.rows[parsed.rows.index(header) + 1]
    assert row[1] == HOSTILE and row[2] == f"{HOSTILE}, claim 1" and row[5].startswith(HOSTILE)
    assert "\x1b" not in render_json(brief)


def _export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factdesk", "export", *args], capture_output=True, text=True, cwd=REPO, timeout=180
    )


def test_export_json_and_markdown_agree_on_the_seeds(seeds_copy: Path, tmp_path: Path) -> None:
    """Through the command: the JSON rows are the Markdown table's, conflicts with their explanations (the seeds'
    300,000 vs 370,000 is held to its row by tests/test_figure_table.py)."""
    db = tmp_path / "marks.json"
    as_json = _export(str(seeds_copy), "--db", str(db), "--format", "json")
    as_markdown = _export(str(seeds_copy), "--db", str(db))
    assert as_json.returncode == 0 and as_markdown.returncode == 0, as_json.stderr + as_markdown.stderr
    rows = json.loads(as_json.stdout)["figures_across_sources"]
    assert rows, "the seeds give figures (or at least a conflict) to compare"
    parsed = parse(as_markdown.stdout)
    header = ["Measure", "Scope", "Source", "Figure", "When", "According to"]
    table = parsed.rows[parsed.rows.index(header) + 1 :]
    expected = []
    for row in rows:
        first = True
        for outlet in row["outlets"]:
            for figure in outlet["figures"]:
                measure = ("≠ " if row["conflict"] else "") + row["measure"] if first else ""
                expected.append([measure, row["scope"] if first else "", figure["value"]])
                first = False
    assert [[cells[0], cells[1], cells[3]] for cells in table[: len(expected)]] == expected
    listed = " ".join(text for tag, text in section(parsed.blocks, "Figures across sources") if tag == "ul")
    for row in rows:  # each conflict's explanation is listed under the table (as rendered)
        if row["conflict"]:
            label = f"{row['measure']} — {row['scope']}" if row["scope"] else row["measure"]
            assert norm(f"{label}: {row['explanation_text']}") in listed


def test_export_of_a_corpus_without_figures_has_no_section(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The council met on the river bank.\n\nMembers spoke about the bridge.\n")
    (corpus / "b.txt").write_text("The council met by the river.\n\nThe bridge was the main subject.\n")
    db = tmp_path / "marks.json"
    as_json = _export(str(corpus), "--db", str(db), "--format", "json")
    as_markdown = _export(str(corpus), "--db", str(db))
    assert as_json.returncode == 0 and as_markdown.returncode == 0, as_json.stderr + as_markdown.stderr
    assert json.loads(as_json.stdout)["figures_across_sources"] == []
    assert "Figures across sources" not in as_markdown.stdout
