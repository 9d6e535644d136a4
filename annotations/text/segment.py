"""Split an article into paragraphs and sentences, and tell claims from headings and boilerplate.

Why here and not in the reader: the reader shows paragraphs and walks claims, the
store anchors marks to sentences, and the comparison matches sentences; all of them
must agree on the same boundaries, computed once from the file text.

Sentences come from NLTK's Punkt with parameters shipped as data
(``annotations/data/punkt.json`` when trained, else a curated abbreviation list) —
never NLTK's downloadable pickles, so the app works offline.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from factdesk.annotations.model import Sentence, SentenceKind
from factdesk.annotations.text.markup import ATX_HEADING, plain_text
from factdesk.annotations.text.outlet import front_matter

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

# --- paragraphs -----------------------------------------------------------------

_HARD_WRAP_MAX = 100  # files whose long lines are this short are wire copy wrapped by hand


def _hard_wrap_width(lengths: list[int]) -> int | None:
    """The longest line of hand-wrapped copy, given the sorted lengths of the non-blank lines; else None."""
    if len(lengths) < 4:
        return None
    p90 = lengths[int(len(lengths) * 0.9) - 1]
    return lengths[-1] if p90 <= _HARD_WRAP_MAX else None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each paragraph, surrounding whitespace excluded.

    A paragraph ends at a blank line or a line starting with a tab/indent. In
    hard-wrapped text (wire copy at ~70 columns) consecutive lines are one
    paragraph unless a line is clearly short (a heading or the end of a
    paragraph); elsewhere every line is its own paragraph.
    """
    lines = text.split("\n")
    width = _hard_wrap_width(sorted(len(line) for line in lines if line.strip()))
    wrapped = width is not None
    short = 0.6 * width if width is not None else 0.0
    spans: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    offset = 0
    previous_short = True
    previous_line = ""
    for line in lines:
        line_start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped:
            if start is not None:
                spans.append((start, end))
                start = None
            previous_short = True
            continue
        right = len(line.rstrip())
        # Joining is only possible in wrapped copy: test the (costlier) heading rule only then.
        joins = (
            wrapped
            and start is not None
            and line[:1] not in ("\t", " ")
            and not previous_short
            and not ATX_HEADING.match(line)  # "# Title" starts its own paragraph
            and not (previous_line.endswith(_FINAL_PUNCTUATION) and _looks_like_heading_line(stripped))
        )
        if not joins and start is not None:
            spans.append((start, end))
            start = None
        if start is None:
            start = line_start + (len(line) - len(line.lstrip()))
        end = line_start + right
        previous_short = (not wrapped) or right < short
        previous_line = stripped
    if start is not None:
        spans.append((start, end))
    return spans


# --- headings and boilerplate ---------------------------------------------------------

_FINAL_PUNCTUATION = tuple('.!?:;,"”’)…')
_BOILERPLATE = re.compile(
    r"""^\s*(?:
        (?:copyright\b|©|\(c\)\s*\d{4}).*
      | .*\ball\ rights\ reserved\b.*
      | (?:this|the)\ (?:material|article|story|content)\ may\ not\ be
        \ (?:published|broadcast|reproduced|republished)\b.*
      | (?:no\ (?:portion|part)\ of\ (?:this|these|the)\ (?:material|materials|article)\b).*
      | comments?\s*\(\d+\)\s*
      | related(?:\ (?:sources|stories|articles|coverage|content|reading))?\s*:?\s*
      | \[?\s*(?:continue|keep)\ reading\b.*
      | read\ (?:more|the\ full\ story)\b.*
      | \(\s*(?:with\ files\ from|reporting\ by|additional\ reporting|writing\ by|editing\ by)\b.*\)\s*
      | (?:share|subscribe|sign\ up|follow\ us|advertisement|click\ here)\b.{0,60}
      | (?:photo|image|video)\s*(?:credit)?\s*:.{0,80}
    )\s*$""",
    re.I | re.X,
)


def _looks_like_heading_line(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 16 and len(line) <= 110 and not line.endswith(_FINAL_PUNCTUATION)


_MARKUP_SIGN = re.compile(r"[*_`\[<>~\\]")


def shown_text(text: str) -> str:
    """``text`` without its Markdown syntax, as a reader sees it — so that ``**``, ``>`` or a link's address
    never count as words (for telling headings and boilerplate; offsets never come from it)."""
    return plain_text(text) if _MARKUP_SIGN.search(text) else text


def looks_like_heading(line: str) -> bool:
    """A short line with no final punctuation: "Rebels Seize Strategic Homs"."""
    line = shown_text(line).strip().lstrip("#").strip()
    return _looks_like_heading_line(line) and not is_boilerplate(line)


def is_boilerplate(text: str) -> bool:
    """Copyright lines, comment counters, "Related Sources:", "(With files from AP)" …"""
    return bool(_BOILERPLATE.match(text))


# --- sentences ---------------------------------------------------------------------

CURATED_ABBREVIATIONS = [
    "u.s",
    "u.k",
    "u.n",
    "u.s.a",
    "e.u",
    "d.c",
    "a.m",
    "p.m",
    "e.g",
    "i.e",
    "vs",
    "etc",
    "no",
    "nos",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "mt",
    "ft",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "cmdr",
    "sgt",
    "cpl",
    "pvt",
    "adm",
    "brig",
    "gov",
    "sen",
    "rep",
    "pres",
    "rev",
    "hon",
    "amb",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "corp",
    "co",
    "ltd",
    "llc",
    "bros",
    "dept",
    "univ",
    "est",
    "approx",
    "fig",
]


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    # imports NLTK: only once a tokenizer is needed
    from factdesk.annotations.text._punkttoken import CachedToken, PlainLanguageVars

    params = PunktParameters()
    abbreviations = set(CURATED_ABBREVIATIONS)
    abbreviations.update("abcdefghijklmnopqrstuvwxyz")  # initials: "J. Smith"
    collocations: set[tuple[str, str]] = set()
    starters: set[str] = set()
    try:
        data = json.loads(resources.files("factdesk.annotations.data").joinpath("punkt.json").read_text("utf-8"))
    except (FileNotFoundError, ModuleNotFoundError, OSError, ValueError):
        data = None
    if data:
        abbreviations.update(data.get("abbrev_types", []))
        collocations.update(tuple(pair) for pair in data.get("collocations", []))
        starters.update(data.get("sent_starters", []))
    params.abbrev_types = abbreviations
    params.collocations = collocations
    params.sent_starters = starters
    for word, flags in (data or {}).get("ortho_context", {}).items():
        params.ortho_context[word] = int(flags)
    return PunktSentenceTokenizer(params, lang_vars=PlainLanguageVars(), token_cls=CachedToken)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Punkt sentence spans inside ``text[start:end]``, as absolute offsets."""
    chunk = text[start:end]
    spans: list[tuple[int, int]] = []
    for s, e in _tokenizer().span_tokenize(chunk):
        spans.append((start + s, start + e))
    return spans


def _kind_of_paragraph(text: str, is_last: bool) -> SentenceKind | None:
    shown = shown_text(text)
    if not shown.strip() or is_boilerplate(shown.lstrip("# \t")):
        return "boilerplate"  # (nothing shown: a Markdown link definition "[1]: https://…")
    if ATX_HEADING.match(text) or looks_like_heading(shown):
        return "heading"  # a Markdown "# heading" is one whatever its length or final punctuation
    if is_last and shown.rstrip().endswith(":"):
        return "boilerplate"  # a teaser for content that is not there ("… what happens next:")
    return None


def segment(text: str) -> list[Sentence]:
    """Every sentence of the article with its kind, in order, offsets into ``text``."""
    sentences: list[Sentence] = []
    blocks = paragraphs(text)
    _, body_start = front_matter(text)  # a "---" metadata block states nothing: never a claim
    for number, (start, end) in enumerate(blocks):
        block = text[start:end]
        kind = "boilerplate" if end <= body_start else _kind_of_paragraph(block, number == len(blocks) - 1)
        if kind is not None:
            sentences.append(Sentence(len(sentences), start, end, kind))
            continue
        for s, e in sentence_spans(text, start, end):
            piece = text[s:e]
            sentence_kind: SentenceKind = "boilerplate" if is_boilerplate(shown_text(piece)) else "claim"
            sentences.append(Sentence(len(sentences), s, e, sentence_kind))
    return sentences
