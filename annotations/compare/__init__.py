"""Cross-source comparison: which claims restate each other, and where figures disagree.

The public API (everything else in this package is its machinery):

* :func:`compare` — matches and conflicts of a whole corpus analysis (:func:`compare_figures` also gives the
  figure records the conflicts were built from, see ``figures.py``);
* :func:`matches_for` — one claim's matches, best first;
* :func:`differing_figures` — the figures two claims give differently, for the inspector;
* :func:`coverage` — the claim × source matrix (:class:`CoverageRow`, :class:`CoverageCell`);
* :func:`copy_groups` — syndicated copies of one story, which count as one source.

Entities are compared through ``alias_key(surface, label)``: the caller's, else the
canonical name of the surface's alias group (the analysis's ``aliases`` when it has
them, else ``factdesk.annotations.ner.aliases.AliasIndex`` over its entities), else a simple
default (:func:`factdesk.annotations.compare.keys.default_alias_key`); see
:func:`factdesk.annotations.compare.keys.resolve_alias_key`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from factdesk.annotations.compare.conflicts import (
    QuantityCache,
    conflicts_from_records,
    differing_pairs,
)
from factdesk.annotations.compare.coverage import CellState, CoverageCell, CoverageRow
from factdesk.annotations.compare.coverage import coverage as _coverage
from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.figures import figure_records
from factdesk.annotations.compare.keys import default_alias_key
from factdesk.annotations.compare.matching import candidates, select
from factdesk.annotations.compare.syndication import copy_groups
from factdesk.annotations.gcpause import collector_paused
from factdesk.annotations.model import ClaimRef, Conflict, CorpusAnalysis, FigureRecord, Match, NumberMention

__all__ = [
    "CellState",
    "CoverageCell",
    "CoverageRow",
    "QuantityCache",
    "compare",
    "compare_figures",
    "copy_groups",
    "coverage",
    "default_alias_key",
    "differing_figures",
    "matches_for",
]


def compare(
    analysis: CorpusAnalysis, *, alias_key: Callable[[str, str], str] | None = None
) -> tuple[tuple[Match, ...], tuple[Conflict, ...]]:
    """Matches (cross-article, each unordered pair once, score in [0, 1]) and conflicts of ``analysis``."""
    matches, conflicts, _ = compare_figures(analysis, alias_key=alias_key)
    return matches, conflicts


def compare_figures(
    analysis: CorpusAnalysis, *, alias_key: Callable[[str, str], str] | None = None
) -> tuple[tuple[Match, ...], tuple[Conflict, ...], tuple[FigureRecord, ...]]:
    """:func:`compare`, and the figure records the conflicts come from (the analysis's own, else read here)."""
    with collector_paused():
        table = build_table(analysis, alias_key)
        # (the records first: they are a channel of the candidate pairs, see matching.candidates)
        records = analysis.figures or figure_records(analysis)
        pairs = candidates(table, records)
        matches = tuple(select(table, pairs))
        del pairs
        conflicts = tuple(conflicts_from_records(analysis, records))
        del table  # freed before the collector resumes, so that it never walks the table's objects
    return matches, conflicts, records


def matches_for(matches: Sequence[Match], ref: ClaimRef) -> list[tuple[ClaimRef, float]]:
    """The claims matched with ``ref`` and their scores, best first (ties in corpus order of appearance)."""
    found = [(m.b, m.score) for m in matches if m.a == ref] + [(m.a, m.score) for m in matches if m.b == ref]
    return sorted(found, key=lambda item: -item[1])


def differing_figures(
    analysis: CorpusAnalysis, a: ClaimRef, b: ClaimRef, cache: QuantityCache | None = None
) -> list[tuple[NumberMention, NumberMention]]:
    """Figures of ``a`` and ``b`` that count the same quantity with values that cannot both hold.

    Pass a :class:`QuantityCache` when asking about many pairs (the reader asks on every keypress).
    """
    return differing_pairs(analysis, a, b, cache)


def coverage(
    analysis: CorpusAnalysis, matches: Sequence[Match], conflicts: Sequence[Conflict] = ()
) -> list[CoverageRow]:
    """Facts (clusters of matching or conflicting claims in ≥ 2 articles) × articles; see ``coverage.py``."""
    with collector_paused():
        return _coverage(analysis, matches, conflicts)
