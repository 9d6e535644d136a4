"""Reviewers' outlet names laid over the analysis, so every view and export shows them.

The analysis (and its cache) holds what the text says about its outlet; a reviewer's
name for it (:mod:`factdesk.annotations.storage.outlets`) wins over that and is applied
here, where the analysis meets the database, so the reader, ``factdesk export`` and the
brief all agree without re-analysing anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from factdesk.annotations.model import CorpusAnalysis

REVIEWER_SOURCE = "reviewer"  # Article.outlet_source of a name a reviewer set


def with_outlets(analysis: CorpusAnalysis, outlets: Mapping[str, str]) -> CorpusAnalysis:
    """``analysis`` with each article in ``outlets`` renamed to the reviewer's outlet (the same object if none)."""
    if not any(a.article.id in outlets for a in analysis.articles):
        return analysis
    articles = tuple(
        replace(a, article=replace(a.article, source=outlets[a.article.id], outlet_source=REVIEWER_SOURCE))
        if a.article.id in outlets
        else a
        for a in analysis.articles
    )
    return replace(analysis, articles=articles)
