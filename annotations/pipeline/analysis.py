"""Turn loaded articles into sentences, entities and numbers — and into the JSON contract.

The reader, the CLI and the comparison all consume :class:`CorpusAnalysis`; this
module and :mod:`.articles` (each article's own analysis, cached per article) are the only places that run the
analysers, so they run once per corpus — and, per article, once per article version.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from factdesk.annotations.gcpause import collector_paused
from factdesk.annotations.model import Article, ArticleAnalysis, CorpusAnalysis, NumberMention
from factdesk.annotations.text.corpus import Corpus
from factdesk.annotations.text.language import language_of

# The corpus passes (aliases, comparison, copies: numpy and the comparison's rules, about 0.4 s to import) are
# imported where they run, so that reading a cached corpus (a reopened corpus, the reader's warm start) never pays
# for them.

JSON_VERSION = 1
Progress = Callable[[str, int, int], None]  # progress(stage, done, total); see analyze


def analyze_articles(
    articles: Sequence[Article], *, progress: Progress | None = None, jobs: int = 1, use_cache: bool = False
) -> CorpusAnalysis:
    """Analyse articles together (names recognised in one help recognise them in the others).

    Each article's own analysis comes from :mod:`.articles` (from the per-article cache when ``use_cache``), the
    corpus passes (aliases, figures, the comparison, copy groups) run over those results.
    """
    with collector_paused():  # a third of the time otherwise; see factdesk.annotations.gcpause
        return _analyze(articles, progress, jobs, use_cache)


def _analyze(articles: Sequence[Article], progress: Progress | None, jobs: int, use_cache: bool) -> CorpusAnalysis:
    from factdesk.annotations.compare import compare_figures
    from factdesk.annotations.ner.aliases import group_aliases
    from factdesk.annotations.pipeline.articles import article_works
    from factdesk.annotations.pipeline.release import release_name_models

    works = article_works(articles, use_cache=use_cache, progress=progress, jobs=jobs)
    analyses = tuple(
        ArticleAnalysis(article=article, sentences=work.sentences, entities=work.entities, numbers=work.numbers)
        for article, work in zip(articles, works, strict=True)
    )
    # Every claim's figures (never fewer: the comparison leaves out an article's copies of a claim past the
    # fourth), so that records read again on a cache hit (see _with_figures) are the same. Each article's were read
    # with its own analysis (article_works: from its cache entry where they still hold).
    records = tuple(record for work in works for record in work.figures or ())
    entities = [list(w.entities) for w in works]
    # The names are found: the per-article tables (casing counts, votes, what each step asked: in the cache now)
    # and, on a large corpus, the recogniser's models go before the comparison's peak (pipeline/release.py).
    del works
    release_name_models(len(articles))
    _stage(progress, "finding aliases")
    aliases = tuple(group_aliases(entities))
    corpus = CorpusAnalysis(articles=analyses, aliases=aliases, figures=records)
    _stage(progress, "comparing sources")
    matches, conflicts, figures = compare_figures(corpus)
    _stage(progress, "finding copies")
    return _with_sources(replace(corpus, matches=matches, conflicts=conflicts, figures=figures))


def _stage(progress: Progress | None, stage: str) -> None:
    """A corpus pass begins (its counts are 0/0: one pass over the corpus, no articles to count)."""
    if progress is not None:
        progress(stage, 0, 0)


def _with_figures(analysis: CorpusAnalysis) -> CorpusAnalysis:
    """The analysis with its figure records, read again: a cache hit whose entry's records were read with other
    dates, outlets or another order of the articles (renamed or reordered files, ``cache.figure_basis``) has none.
    """
    from factdesk.annotations.compare.figures import figure_records

    return replace(analysis, figures=figure_records(analysis))


def _with_sources(analysis: CorpusAnalysis) -> CorpusAnalysis:
    """The analysis with its copy groups (syndicated copies); the cache entry keeps them (``cache.copies_basis``)."""
    from factdesk.annotations.compare.syndication import copy_groups

    return replace(analysis, copy_groups=copy_groups(analysis))


def analyze(
    corpus: Corpus, *, use_cache: bool = True, progress: Progress | None = None, jobs: int = 1
) -> CorpusAnalysis:
    """The corpus's analysis, from the on-disk cache when this exact corpus was analysed before.

    Otherwise each article's own analysis comes from the per-article cache where it still holds (the others are
    analysed, over ``jobs`` processes) and the corpus passes run over them. ``progress(stage, done, total)`` is
    called from this thread as the work goes (at most every ~50 ms or every article, whichever is rarer).
    """
    if not use_cache:
        return analyze_articles(corpus.articles, progress=progress, jobs=jobs)
    from factdesk.annotations.pipeline.cache import cached

    _stage(progress, "reading cache")
    fresh: list[CorpusAnalysis] = []

    def compute(articles: Sequence[Article]) -> CorpusAnalysis:
        fresh.append(analyze_articles(articles, progress=progress, jobs=jobs, use_cache=True))
        return fresh[-1]

    with collector_paused():  # decoding or encoding the cache entry is another burst of small objects
        found = cached(corpus.articles, compute)
        if fresh:  # just computed: its figures and copy groups are there (none found is an answer, not a gap)
            return found
        if not found.figures:  # a hit on renamed or reordered files (or a corpus with no figure: nothing to read)
            found = _with_figures(found)
        return found  # (its copy groups: the entry's, or found again by cache.decode when they no longer hold)


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
                "language": language_of(a.article),
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
