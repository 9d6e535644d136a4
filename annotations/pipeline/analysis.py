"""Turn loaded articles into sentences, entities and numbers — and into the JSON contract.

The reader, the CLI and the comparison all consume :class:`CorpusAnalysis`; this
module is the only place that runs the analysers, so they run once per corpus.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from factdesk.annotations.compare import compare_figures
from factdesk.annotations.compare.figures import figure_records
from factdesk.annotations.compare.syndication import copy_groups
from factdesk.annotations.gcpause import collector_paused
from factdesk.annotations.model import Article, ArticleAnalysis, CorpusAnalysis, Entity, NumberMention, Sentence
from factdesk.annotations.ner.aliases import group_aliases
from factdesk.annotations.ner.entities import recognize_corpus
from factdesk.annotations.text.corpus import Corpus
from factdesk.annotations.text.dates import find_dates
from factdesk.annotations.text.numbers import find_numbers
from factdesk.annotations.text.segment import segment

JSON_VERSION = 1


def _numbers_outside(text: str, sentences: Sequence[Sentence], dates: list[Entity]) -> list[NumberMention]:
    """Numbers in body text (headings included; boilerplate such as copyright years not)."""
    body = [(s.start, s.end) for s in sentences if s.kind != "boilerplate"]  # in text order
    starts = [start for start, _ in body]
    kept = []
    for number in find_numbers(text, dates=dates):
        position = bisect_right(starts, number.start) - 1
        if position >= 0 and number.end <= body[position][1]:
            kept.append(number)
    return kept


def analyze_articles(articles: Sequence[Article]) -> CorpusAnalysis:
    """Analyse articles together (names recognised in one help recognise them in the others)."""
    with collector_paused():  # a third of the time otherwise; see factdesk.annotations.gcpause
        return _analyze(articles)


def _analyze(articles: Sequence[Article]) -> CorpusAnalysis:
    sentences = [segment(article.text) for article in articles]
    dates = [find_dates(article.text) for article in articles]
    entities = recognize_corpus([a.text for a in articles], sentences, dates)
    analyses = tuple(
        ArticleAnalysis(
            article=article,
            sentences=tuple(article_sentences),
            entities=tuple(article_entities),
            numbers=tuple(_numbers_outside(article.text, article_sentences, article_dates)),
        )
        for article, article_sentences, article_entities, article_dates in zip(
            articles, sentences, entities, dates, strict=True
        )
    )
    corpus = CorpusAnalysis(articles=analyses, aliases=tuple(group_aliases(entities)))
    # Every claim's figures (never fewer: the comparison leaves out an article's copies of a claim past the
    # fourth), so that a cache hit, which reads them again (see _with_figures), finds the same conflicts.
    corpus = replace(corpus, figures=figure_records(corpus))
    matches, conflicts, figures = compare_figures(corpus)
    return _with_sources(replace(corpus, matches=matches, conflicts=conflicts, figures=figures))


def _with_figures(analysis: CorpusAnalysis) -> CorpusAnalysis:
    """The analysis with its figure records, which the cache entry does not carry (its conflicts it does, with
    their measure, scope, times, attributions and explanation).

    Cheap next to the analysis (each claim's figures read once, no matching), so a cache hit reads them again
    rather than widening the cache format; they are what the conflicts were built from.
    """
    return replace(analysis, figures=figure_records(analysis))


def _with_sources(analysis: CorpusAnalysis) -> CorpusAnalysis:
    """The analysis with its copy groups (syndicated copies), which the cache entry does not carry.

    Cheap (hashing each article's words once), so a cache hit recomputes them rather than
    widening the cache format.
    """
    return replace(analysis, copy_groups=copy_groups(analysis))


def analyze(corpus: Corpus, *, use_cache: bool = True) -> CorpusAnalysis:
    """The corpus's analysis, from the on-disk cache when this exact corpus was analysed before."""
    if not use_cache:
        return analyze_articles(corpus.articles)
    from factdesk.annotations.pipeline.cache import cached

    with collector_paused():  # decoding or encoding the cache entry is another burst of small objects
        found = cached(corpus.articles, analyze_articles)
        if not found.figures:  # a cache hit (or a corpus with no figure, which costs nothing to read again)
            found = _with_figures(found)
        return found if found.copy_groups else _with_sources(found)


def _value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    return int(value) if float(value).is_integer() else value


def _number_json(number: NumberMention) -> dict[str, Any]:
    return {"start": number.start, "end": number.end, "value": _value(number.value), "unit": number.unit}


def _bound(value: float) -> float | int | None:
    """An interval end as JSON: a whole number as an int, an open end (inf) as null."""
    return _value(value) if math.isfinite(value) else None


def _distinct(values: Iterable[str]) -> list[str]:
    """The non-empty values, each once, in order of first sight."""
    return [v for v in dict.fromkeys(values) if v]


def to_json(analysis: CorpusAnalysis) -> dict[str, Any]:
    """The ``factdesk analyze --json`` contract (version 1; fields are only ever added)."""
    outlets = {a.article.id: a.article.source for a in analysis.articles}
    return {
        "version": JSON_VERSION,
        "articles": [
            {
                "id": a.article.id,
                "path": str(a.article.path),
                "title": a.article.title,
                "source": a.article.source,
                "outlet": a.article.source,
                "outlet_source": a.article.outlet_source,
                "date": a.article.date,
                "url": a.article.url,
                "author": a.article.author,
                "wire": a.article.wire,
                "sentences": [{"index": s.index, "start": s.start, "end": s.end, "kind": s.kind} for s in a.sentences],
                "entities": [{"start": e.start, "end": e.end, "text": e.text, "label": e.label} for e in a.entities],
                "numbers": [
                    {"start": n.start, "end": n.end, "text": n.text, "value": _value(n.value), "unit": n.unit}
                    for n in a.numbers
                ],
            }
            for a in analysis.articles
        ],
        "matches": [
            {
                "a": {"article": m.a.article, "sentence": m.a.sentence},
                "b": {"article": m.b.article, "sentence": m.b.sentence},
                "score": round(m.score, 4),
            }
            for m in analysis.matches
        ],
        "conflicts": [
            {
                "summary": c.summary,
                "mentions": [
                    {
                        "article": m.ref.article,
                        "sentence": m.ref.sentence,
                        "number": _number_json(m.number),
                        "time": m.time,
                        "attribution": m.attribution,
                        "outlet": outlets.get(m.ref.article, ""),
                    }
                    for m in c.mentions
                ],
                "measure": c.measure,
                "scope": c.scope,
                "time": _distinct(m.time for m in c.mentions),
                "attribution": _distinct(m.attribution for m in c.mentions),
                "explanation": c.explanation,
                "explanation_text": c.explanation_text,
            }
            for c in analysis.conflicts
        ],
        "figures": [
            {
                "article": f.ref.article,
                "sentence": f.ref.sentence,
                "number": _number_json(f.number),
                "low": _bound(f.low),
                "high": _bound(f.high),
                "bound": f.bound,
                "measure": f.measure,
                "scope": f.scope,
                "time": f.time,
                "attribution": f.attribution,
                "outlet": f.outlet,
            }
            for f in analysis.figures
        ],
        "aliases": [
            {"canonical": g.canonical, "label": g.label, "variants": list(g.variants)} for g in analysis.aliases
        ],
        "sources": _sources_json(analysis),
    }


def _sources_json(analysis: CorpusAnalysis) -> list[dict[str, Any]]:
    """Independent sources in corpus order: a copy group (syndicated copies of one story) is one entry."""
    groups = {article: group for group in analysis.copy_groups for article in group.articles}
    sources: list[dict[str, Any]] = []
    for a in analysis.articles:
        group = groups.get(a.article.id)
        if group is None:
            sources.append({"articles": [a.article.id], "kind": "single", "shared_passages": 0, "wire": None})
        elif group.articles[0] == a.article.id:
            sources.append(
                {
                    "articles": list(group.articles),
                    "kind": "copies",
                    "shared_passages": group.shared_passages,
                    "wire": group.wire,
                }
            )
    return sources
