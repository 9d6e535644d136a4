"""The one interface for entity recognition: texts and sentences in, labelled spans out.

Everything that highlights, compares or exports entities calls :func:`recognize_corpus`.
Behind it: DATE expressions from :mod:`factdesk.annotations.text.dates` (rules) and PERSON, ORG, LOC and
NORP from factdesk's own trained tagger (:mod:`factdesk.annotations.ner`, weights shipped as JSON),
run over the whole corpus so a name recognised in one article is recognised in the others.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from factdesk.annotations.model import Entity, Sentence
from factdesk.annotations.text.dates import find_dates

SentenceSpan = tuple[int, int, bool]  # start, end, is_heading


def sentence_spans(sentences: Sequence[Sentence]) -> list[SentenceSpan]:
    """Spans the recogniser reads: body and headings (headings flagged), never boilerplate."""
    return [(s.start, s.end, s.kind == "heading") for s in sentences if s.kind != "boilerplate"]


def _inside_spans(entities: Sequence[Entity], spans: Sequence[SentenceSpan]) -> list[Entity]:
    """Entities that lie within one of ``spans`` (both sorted by start): a linear sweep."""
    kept: list[Entity] = []
    starts = [start for start, _, _ in spans]
    for entity in entities:
        position = bisect_right(starts, entity.start) - 1
        if position >= 0 and entity.end <= spans[position][1]:
            kept.append(entity)
    return kept


def recognize_corpus(
    texts: Sequence[str],
    sentences: Sequence[Sequence[Sentence]],
    dates: Sequence[list[Entity]] | None = None,
) -> list[list[Entity]]:
    """PERSON, ORG, LOC, NORP and DATE spans for every article, sorted and non-overlapping.

    ``dates`` (``find_dates`` of each text) may be passed when the caller has them already.
    Dates win over names where they overlap ("December" is never a person).
    """
    from factdesk.annotations.ner import tag_corpus  # the model loads on first use, not at start-up

    spans = [sentence_spans(article_sentences) for article_sentences in sentences]
    all_dates = dates if dates is not None else [find_dates(text) for text in texts]
    body_dates = [
        _inside_spans(article_dates, article_spans)
        for article_dates, article_spans in zip(all_dates, spans, strict=True)
    ]
    names = tag_corpus(list(texts), spans, body_dates)
    return [
        sorted([*article_dates, *article_names], key=lambda e: e.start)
        for article_dates, article_names in zip(body_dates, names, strict=True)
    ]
