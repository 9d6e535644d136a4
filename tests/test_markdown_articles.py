"""Markdown articles are shown as text — syntax hidden, every offset exact — and read as text by the analysis."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from rich.cells import cell_len

from factdesk.annotations.model import Sentence
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.annotations.text.markup import markdown_markup, plain_text
from factdesk.annotations.text.segment import paragraphs, segment
from factdesk.tui.app import FactdeskApp
from factdesk.tui.textlayout import layout_article
from factdesk.tui.widgets.article_view import GUTTER

ARTICLE = """# Rebels Seize the City of Homs

**Homs, December 9:** Syrian government forces have withdrawn from the city of Homs, according to \
[Reuters](https://www.reuters.com/world/homs-2024), marking a *significant* blow to the government.

## What happened next

> "We will not stop until Damascus," a rebel commander told `AFP` on Sunday.

The retreat comes amid mounting pressure from insurgents, who are advancing toward the capital.
"""


def test_syntax_ranges_index_the_file_text_exactly() -> None:
    ranges = markdown_markup(ARTICLE)
    hidden = [ARTICLE[start:end] for start, end in ranges]
    address = "](https://www.reuters.com/world/homs-2024)"
    assert hidden == ["# ", "**", "**", "[", address, "*", "*", "## ", "> ", "`", "`"]
    assert all(a < b < c for (a, b), (c, _) in pairwise(ranges))  # sorted, apart
    shown = plain_text(ARTICLE)
    assert "Rebels Seize the City of Homs\n" in shown and "Homs, December 9:" in shown
    assert "according to Reuters, marking a significant blow" in shown and "told AFP on" in shown
    for sign in ("#", "**", "](", "`", "> "):
        assert sign not in shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a `co*de*` b", "a co*de* b"),  # code is shown as it is
        (r"\*not\* emphasis", "*not* emphasis"),
        ("5 * 3 * 2 and snake_case", "5 * 3 * 2 and snake_case"),  # no emphasis there
        ("x ![a photo](img.png) y <https://x.org/a>", "x a photo y https://x.org/a"),
        ("***both*** and __strong__ and ~~gone~~", "both and strong and gone"),
        ("- a list item\n* another", "- a list item\n* another"),  # bullets stay
        ("### Title ###", "Title"),
    ],
)
def test_what_is_hidden(text: str, shown: str) -> None:
    assert plain_text(text) == shown


def test_headings_and_markup_are_read_as_text() -> None:
    text = ARTICLE.replace("# Rebels Seize the City of Homs", "# Rebels seize the city of Homs, monitors say.")
    text += "\n[Read the full story](https://example.com/a/very/long/address/that/is/no/words)\n"
    kinds = [(s.kind, text[s.start : s.end][:12]) for s in segment(text)]
    assert kinds[0] == ("heading", "# Rebels sei")  # a "#" line is a heading, final full stop or not
    assert ("heading", "## What happ") in kinds
    assert kinds[-1] == ("boilerplate", "[Read the fu")  # "Read the full story", not seven "words" of address
    claims = [s for s in segment(text) if s.kind == "claim"]
    assert text[claims[0].start : claims[0].start + 8] == "**Homs, "  # offsets still index the file text


def test_layout_counts_only_drawn_cells() -> None:
    sentences = segment(ARTICLE)
    layout = layout_article(ARTICLE, paragraphs(ARTICLE), sentences, 40, markdown_markup(ARTICLE))
    for line in layout.lines:
        if line is not None:
            drawn = "".join(ARTICLE[a:b] for a, b in layout.shown_runs(line)).replace("\n", " ")
            assert cell_len(drawn) <= 40
    link_line = next(line for line in layout.lines if line and "Reuters" in ARTICLE[line.start : line.end])
    assert "](https" in ARTICLE[link_line.start : link_line.end]  # the address is inside the slice …
    assert "https" not in "".join(ARTICLE[a:b] for a, b in layout.shown_runs(link_line))  # … and never drawn


def test_layout_counts_double_spaces_as_drawn() -> None:
    """Wire copy puts two spaces after a full stop: a line must never be wider than the view (it would be cut)."""
    text = "One two three.  Four five six.  Seven eight nine.  Ten eleven twelve.  Thirteen fourteen."
    sentence = [Sentence(0, 0, len(text), "claim")]
    layout = layout_article(text, paragraphs(text), sentence, 16)
    assert all(line is None or cell_len(text[line.start : line.end]) <= 16 for line in layout.lines)


def screen_text(view) -> list[str]:
    """The article lines as drawn (gutter left out)."""
    return [view.render_line(y).text[GUTTER:].rstrip() for y in range(view.scrollable_content_region.height)]


async def test_a_markdown_article_reads_as_text_with_exact_highlights(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "homs.md").write_text(ARTICLE, encoding="utf-8")
    app = FactdeskApp(load_corpus([corpus]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(90, 40)) as pilot:  # one pane
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        view = app.reader().view
        lines = screen_text(view)
        shown = " ".join(line.strip() for line in lines)
        assert lines[0].strip() == "Rebels Seize the City of Homs"  # no "#"
        assert "Homs, December 9: Syrian" in shown and "**" not in shown
        assert "Reuters, marking a significant blow" in shown and "https" not in shown and "](" not in shown
        assert '"We will not stop' in shown and "> " not in shown and "told AFP on" in shown

        # The claim cursor is on the first claim, drawn from "Homs" on: the hidden "**" takes no cell.
        first = view.render_line(2)
        assert first.text.startswith("▌") and first.text[GUTTER:].startswith("Homs, December 9: Syrian")
        current = view.get_component_rich_style("article--current")
        lit = "".join(segment.text for segment in first if segment.style and segment.style.bgcolor == current.bgcolor)
        assert "government forces" in lit and "*" not in lit

        # Each highlight lands on its words exactly, before and after hidden syntax.
        def coloured(component: str) -> set[str]:
            colour = view.get_component_rich_style(component).color
            return {
                segment.text
                for y in range(len(lines))
                for segment in view.render_line(y)
                if segment.style and segment.style.color == colour
            }

        assert coloured("article--org") == {"Reuters", "AFP"}
        assert coloured("article--date") == {"December 9", "Sunday"}
        assert "Homs" in coloured("article--loc")

        # A click on a word maps back to its offset through the hidden syntax: the quote's line selects the quote.
        row = next(y for y, line in enumerate(lines) if line.startswith('"We will not'))
        await pilot.click(view, offset=(GUTTER + 3, row))
        await pilot.pause()
        article = view.analysis.article.text
        assert article[view.current.start : view.current.end].startswith('> "We will not stop')
