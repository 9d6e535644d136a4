"""The brief's "Quotes that differ across outlets": one speaker's words as two outlets quote them, word-diffed.

Why a module of its own: the brief's data (:mod:`factdesk.annotations.export.brief`), its Markdown and its JSON each
take one line from here, so the quote section grows without touching the other sections. The pairs are
:meth:`factdesk.annotations.compare.quotes.QuoteIndex.differing_pairs` — a word changed, added or dropped inside the
quote; partial quotes and identical wordings are left out — with every piece of text cleaned on the way in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from factdesk.annotations.model import ClaimRef, CorpusAnalysis

if TYPE_CHECKING:
    from factdesk.annotations.compare.quotes import Quote
from factdesk.annotations.text.markdown import clean_text, escape_inline

__all__ = [
    "QUOTES_HEADING",
    "BriefQuote",
    "BriefQuotePair",
    "BriefQuoteWords",
    "brief_quote_pairs",
    "quote_blocks",
    "quotes_json",
]

QUOTES_HEADING = "Quotes that differ across outlets"


@dataclass(frozen=True)
class BriefQuote:
    """One outlet's wording of a quote, and the claim it is in."""

    article_id: str
    sentence_index: int
    claim_number: int  # 1-based among the article's claims; 0 when the quote is in no claim
    source: str
    text: str
    also: tuple[str, ...] = ()  # other outlets quoting the speaker in exactly these words (copies of one story)


@dataclass(frozen=True)
class BriefQuoteWords:
    """A run of the word diff: ``kind`` "same", "changed", "added" or "dropped"; ``old`` in the first wording,
    ``new`` in the second."""

    kind: str
    old: str
    new: str


@dataclass(frozen=True)
class BriefQuotePair:
    """The same speaker quoted by two outlets in words that differ; ``diff`` is the marked line
    (``[-dropped-]``, ``{+added+}``, ``[~old → new~]``)."""

    speaker: str
    first: BriefQuote
    second: BriefQuote
    overlap: float
    diff: str
    words: tuple[BriefQuoteWords, ...] = ()


def brief_quote_pairs(corpus: CorpusAnalysis) -> tuple[BriefQuotePair, ...]:
    """Every pair of one speaker's quotes in two articles whose wording differs, in reading order."""
    from factdesk.annotations.compare.quote_diff import marked
    from factdesk.annotations.compare.quotes import quote_index
    from factdesk.annotations.review.claim_numbers import ClaimNumbers

    numbers = ClaimNumbers(corpus)

    def side(quote: Quote) -> BriefQuote:
        analysis = corpus.by_id(quote.article_id)
        source = analysis.article.source if analysis is not None else ""
        sentence, number = quote.sentences[0], 0
        for index in quote.sentences:
            found = numbers(ClaimRef(quote.article_id, index))
            if found:
                sentence, number = index, found
                break
        return BriefQuote(clean_text(quote.article_id), sentence, number, clean_text(source), clean_text(quote.text))

    return tuple(
        BriefQuotePair(
            speaker=clean_text(pair.first.speaker),
            first=replace(side(pair.first), also=_sources(corpus, pair.first, pair.first_copies)),
            second=replace(side(pair.second), also=_sources(corpus, pair.second, pair.second_copies)),
            overlap=round(pair.overlap, 3),
            diff=clean_text(marked(pair.diff)),
            words=tuple(BriefQuoteWords(p.kind, clean_text(p.old), clean_text(p.new)) for p in pair.diff),
        )
        for pair in quote_index(corpus).differing_pairs()
    )


def _sources(corpus: CorpusAnalysis, shown: Quote, copies: tuple[Quote, ...]) -> tuple[str, ...]:
    """The other outlets quoting the same words (each once, never the one shown)."""
    names = []
    for quote in copies:
        analysis = corpus.by_id(quote.article_id)
        if analysis is not None and quote.article_id != shown.article_id:
            names.append(clean_text(analysis.article.source))
    own = corpus.by_id(shown.article_id)
    return tuple(name for name in dict.fromkeys(names) if own is None or name != clean_text(own.article.source))


def _where(quote: BriefQuote) -> str:
    place = f"claim {quote.claim_number}" if quote.claim_number else f"sentence {quote.sentence_index + 1}"
    where = f"{escape_inline(quote.source) or 'Unknown source'}, {place}"
    if quote.also:
        where += " (also " + ", ".join(escape_inline(source) for source in quote.also) + ")"
    return where


def quote_blocks(pairs: tuple[BriefQuotePair, ...]) -> list[str]:
    """The Markdown section (no blocks when no quote differs): a heading per speaker, each pair's two wordings and
    the marked difference."""
    if not pairs:
        return []
    blocks = [
        f"## {QUOTES_HEADING}",
        "The same speaker in each outlet's words: [-dropped-] words only the first has,"
        " {+added+} words only the second has, [~old → new~] changed words.",
    ]
    speaker = None
    for pair in pairs:
        if pair.speaker != speaker:
            speaker = pair.speaker
            blocks.append(f"### {escape_inline(speaker) or 'Unknown speaker'}")
        blocks.append(
            "\n".join(
                [
                    f"- {_where(pair.first)}: “{escape_inline(pair.first.text)}”",
                    f"- {_where(pair.second)}: “{escape_inline(pair.second.text)}”",
                    f"- Difference: {escape_inline(pair.diff)}",
                ]
            )
        )
    return blocks


def _quote_json(quote: BriefQuote) -> dict[str, Any]:
    return {
        "article_id": quote.article_id,
        "sentence_index": quote.sentence_index,
        "claim_number": quote.claim_number,
        "source": quote.source,
        "text": quote.text,
        "also": list(quote.also),
    }


def quotes_json(pairs: tuple[BriefQuotePair, ...]) -> list[dict[str, Any]]:
    """The JSON brief's "quotes" list: each pair with both wordings, the marked line and the diff's runs."""
    return [
        {
            "speaker": pair.speaker,
            "overlap": pair.overlap,
            "first": _quote_json(pair.first),
            "second": _quote_json(pair.second),
            "diff": pair.diff,
            "words": [{"kind": w.kind, "old": w.old, "new": w.new} for w in pair.words],
        }
        for pair in pairs
    ]
