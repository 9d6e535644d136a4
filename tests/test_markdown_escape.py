"""Escaped text must render, through a real CommonMark parser, as exactly the original text."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from factdesk.annotations.text.markdown import blockquote, clean_text, escape_inline, escape_table_cell

COMMONMARK = MarkdownIt("commonmark")
WITH_GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "<script>alert(1)</script>",
    "**bold** and __strong__ and *em* and _em_",
    "[link](http://x) ![img](http://y) <http://z> [ref]",
    "`code` and ``double``",
    "| a | b |",
    "# not a heading",
    "1. not a list",
    "2) nor this",
    "- not a bullet",
    "+ nor this",
    "* nor this",
    "> not a quote",
    "---",
    "***",
    "~~strike~~ and ~~~fence",
    "```python",
    "a & b &amp; &#65; &copy;",
    "back\\slash\\ and \\*escaped\\*",
    "trailing backslash\\",
    "    four spaces: not code",
    "<!-- comment --> <b>bold</b> <img src=x onerror=alert(1)>",
    "[x]: http://example.com",
    "title ###",
    "a | b \\| c",
]

MULTILINE_HOSTILE = (
    "first line\n# heading\n1. item\n- bullet\n> quote\n\n===\nafter blank\n    indented\n<script>x</script>"
)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def norm(text: str) -> str:
    return re.sub(r"[ \t\n]+", " ", text).strip()


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return norm("".join(parser.parts))


def tags(html: str) -> list[str]:
    return re.findall(r"<([a-z0-9]+)", html)


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_renders_literally_as_paragraph_list_item_and_heading(text: str) -> None:
    for wrap, allowed in (
        (lambda s: s, {"p"}),
        (lambda s: "- " + s, {"ul", "li"}),
        (lambda s: "# " + s, {"h1"}),
    ):
        html = COMMONMARK.render(wrap(escape_inline(text)))
        assert text_of(html) == norm(text), html
        assert set(tags(html)) <= allowed, html


@pytest.mark.parametrize("text", [*HOSTILE, MULTILINE_HOSTILE])
def test_blockquote_renders_literally_and_stays_one_quote(text: str) -> None:
    html = COMMONMARK.render(blockquote(text))
    assert text_of(html) == norm(text), html
    assert html.startswith("<blockquote>")
    assert html.count("<blockquote>") == 1
    assert html.rstrip().endswith("</blockquote>")
    assert set(tags(html)) <= {"blockquote", "p"}, html


def test_multiline_quote_keeps_every_line_and_paragraph_breaks_inside() -> None:
    quoted = blockquote("one\n\ntwo\nthree")
    assert quoted == "> one\n>\n> two\n> three"
    html = COMMONMARK.render(quoted + "\n\nafter")
    assert html == "<blockquote>\n<p>one</p>\n<p>two\nthree</p>\n</blockquote>\n<p>after</p>\n"


@pytest.mark.parametrize("text", HOSTILE)
def test_table_cell_stays_one_cell(text: str) -> None:
    table = f"| h | k |\n| --- | --- |\n| {escape_table_cell(text)} | end |"
    html = WITH_GFM.render(table)
    assert html.count("<td>") == 2, html
    cell = re.search(r"<td>(.*?)</td>", html, re.S)
    assert cell is not None
    assert text_of(cell.group(1)) == norm(text)


def test_table_cell_has_no_newline() -> None:
    assert "\n" not in escape_table_cell("a\nb\r\nc\n\n| d")
    cell = escape_table_cell("a\nb\n- c")
    html = WITH_GFM.render(f"| h |\n| --- |\n| {cell} |")
    assert html.count("<td>") == 1
    assert "<ul>" not in html


def test_escapes_the_specific_characters() -> None:
    assert escape_inline("a*b_c") == "a\\*b\\_c"
    assert escape_inline("<x>") == "\\<x\\>"
    assert escape_inline("1. x") == "1\\. x"
    assert escape_inline("- x") == "\\- x"
    assert escape_inline("al-Assad") == "al-Assad"  # hyphen inside a word needs nothing
    assert escape_inline("x\ny\tz") == "x y z"  # one line, whatever it was given


def test_random_strings_round_trip() -> None:
    """Fuzz: any mix of markup characters, spaces and newlines renders as itself."""
    alphabet = [*"ab1 9\n\t.)-+=*_#>`~<|!&[]()\\:/;\"'é’", "  ", "    ", "\n\n", "1.", "<script>", "&amp;", "---"]
    rng = random.Random(20241208)
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        expected = norm(clean_text(text))
        assert text_of(COMMONMARK.render(blockquote(text))) == expected, repr(text)
        assert text_of(COMMONMARK.render("- " + escape_inline(text))) == expected, repr(text)
        cell = WITH_GFM.render(f"| h |\n| --- |\n| {escape_table_cell(text)} |")
        assert text_of(cell) == norm("h " + expected), repr(text)


def test_no_raw_script_tag_survives() -> None:
    for text in HOSTILE:
        for md in (blockquote(text), escape_inline(text), escape_table_cell(text)):
            assert "<script" not in WITH_GFM.render(md).lower()


@pytest.mark.parametrize(
    "dangerous",
    ["\x1b[31m", "\x1b]52;c;aGk=\x07", "\x9b31m", "\x7f", "\x00", "\u202e", "\u2066", "\u200b", "\x85"],
)
def test_control_and_bidi_characters_are_neutralised(dangerous: str) -> None:
    text = f"before{dangerous}after"
    for out in (clean_text(text), escape_inline(text), escape_table_cell(text), blockquote(text)):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", out), repr(out)
        assert "before" in out
        assert "after" in out


def test_clean_text_policy() -> None:
    assert clean_text("a\x1bb") == "a\u241bb"  # C0 -> visible control picture (␛)
    assert clean_text("a\x7fb") == "a\u2421b"  # DEL -> ␡
    assert clean_text("a\x9bb\u202ec") == "a\ufffdb\ufffdc"  # C1 and bidi -> U+FFFD
    assert clean_text("a\r\nb\rc\td") == "a\nb\nc\td"  # line endings normalised, tab kept


def test_empty_blockquote_is_still_a_quote() -> None:
    assert blockquote("") == ">"
    assert blockquote("\n\n  \n") == ">"
