"""Remember analyses on disk so that reopening a corpus does no analysis work.

Key: the corpus's article content hashes plus the analysis version (a hash of the
shipped model files and :data:`ANALYSIS_REVISION`), so a changed article, a new
model or new analysis code can never serve a stale result. Entries are gzip JSON
under the user cache dir, written atomically.

An entry is untrusted input (a full disk, a cut copy, a curious user): :func:`decode`
checks it in the same pass that rebuilds it — exactly the shape :func:`encode` writes,
every offset inside its article and in order, every reference naming a real claim,
every label and kind one the analysis uses, every number finite — so an entry that
loads is one this code could have written for these articles. Anything else (bad gzip, cut data,
invalid JSON, nesting past the recursion limit, a wrong type) is no entry: the
analysis runs again and replaces it, never an error.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from factdesk import __version__
from factdesk.annotations.model import (
    ENTITY_LABELS,
    EXPLANATION_KINDS,
    AliasGroup,
    Article,
    ArticleAnalysis,
    ClaimRef,
    Conflict,
    ConflictMention,
    CopyGroup,
    CorpusAnalysis,
    Entity,
    FigureRecord,
    Match,
    NumberMention,
    NumberValue,
    Sentence,
)
from factdesk.annotations.storage.atomic import atomic_write_bytes
from factdesk.annotations.storage.locations import cache_dir


@lru_cache(maxsize=1)
def analysis_version() -> str:
    """A hash of everything that shapes an analysis: the domain's code and its model files.

    Hashing the code too (about a millisecond) means a developer's edit can never be
    hidden behind a stale cache entry.
    """
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent  # the whole domain package
    files = sorted(package.rglob("*.py")) + sorted(
        p for p in (package / "data").iterdir() if p.name.endswith((".json", ".json.gz", ".txt"))
    )
    for path in files:
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(articles: Sequence[Article]) -> str:
    ids = "\n".join(sorted(a.id for a in articles))
    return hashlib.sha256(f"{analysis_version()}\n{ids}".encode()).hexdigest()[:24]


class DamagedEntry(ValueError):
    """The cache entry is not what :func:`encode` writes for these articles: recompute it."""


_TOP_FIELDS = frozenset({"articles", "matches", "conflicts", "aliases", "figures", "copies"})
# FigureRecord.bound's values (compare.figures.bound_of); an interval's open end is stored as a string
BOUND_KINDS = frozenset({"exact", "about", "at least", "more than", "at most", "less than", "nearly", "range"})
_OPEN_ENDS = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}
_ARTICLE_FIELDS = frozenset({"sentences", "entities", "numbers"})
_KINDS = ("claim", "heading", "boilerplate")
_FINITE = 1.7e308  # below the largest float, so an int this side of it converts without overflow

# Entities and numbers are stored without their text: it is the article's text between their offsets (the analysis
# builds them that way), so storing it twice would only let the two disagree. Rows:
#   sentence [index, start, end, kind] · entity [start, end, label] · number [start, end, value, unit, qualifier]
#   match [[article, sentence], [article, sentence], score]
#   conflict [summary, [[ref, number, time, attribution], ...], measure, scope, explanation, explanation_text]
#   alias group [canonical, label, [variant, ...]]
#   figures [basis, [[ref, number, low, high, bound, measure, scope, time, attribution], ...]] (the outlet is the
#   article's; basis: figure_basis, what the records read beyond the analysis above)
#   copies [basis, [[[article id, ...], shared passages, wire or null], ...]] (basis: copies_basis)


def _value_out(value: NumberValue) -> float | list[float]:
    return list(value) if isinstance(value, tuple) else value


def _finite(value: object) -> float:
    """A JSON number as a finite float (an int too big for a float, NaN, infinity or a bool: damage)."""
    if (type(value) is float or type(value) is int) and -_FINITE < value < _FINITE:
        return float(value)
    raise DamagedEntry("a number that is not a finite number")


def _value_in(value: object) -> NumberValue:
    if type(value) is list and len(value) == 2:
        return (_finite(value[0]), _finite(value[1]))
    return _finite(value)


def _number_out(n: NumberMention) -> list[Any]:
    return [n.start, n.end, _value_out(n.value), n.unit, n.qualifier]


def _number_in(row: object, text: str) -> NumberMention:
    if type(row) is not list or len(row) != 5:
        raise DamagedEntry("a number mention of the wrong shape")
    start, end, value, unit, qualifier = row
    if (
        type(start) is not int
        or type(end) is not int
        or not 0 <= start <= end <= len(text)
        or (unit is not None and type(unit) is not str)
        or (qualifier is not None and type(qualifier) is not str)
    ):
        raise DamagedEntry("a number mention that does not fit its article")
    return NumberMention(start, end, text[start:end], _value_in(value), unit, qualifier)


def _end_out(value: float) -> float | str:
    """An interval end as JSON: a finite number, else "inf", "-inf" or "nan" (strict JSON has none of them)."""
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _end_in(value: object) -> float:
    if type(value) is str and value in _OPEN_ENDS:
        return _OPEN_ENDS[value]
    return _finite(value)


def _ref_out(ref: ClaimRef) -> list[Any]:
    return [ref.article, ref.sentence]


def _ref_in(row: object, sentences: dict[str, int]) -> ClaimRef:
    """A claim reference; ``sentences`` is each article's sentence count."""
    if type(row) is not list or len(row) != 2:
        raise DamagedEntry("a claim reference of the wrong shape")
    article, sentence = row
    if type(article) is not str or type(sentence) is not int or not 0 <= sentence < sentences.get(article, 0):
        raise DamagedEntry("a reference to a claim that does not exist")
    return ClaimRef(article, sentence)


def _sentences_in(rows: object, size: int) -> tuple[Sentence, ...]:
    if type(rows) is not list:
        raise DamagedEntry("sentences that are not a list")
    sentences = []
    previous = 0
    for position, row in enumerate(rows):
        if type(row) is not list or len(row) != 4:
            raise DamagedEntry("a sentence of the wrong shape")
        index, start, end, kind = row
        if (
            type(index) is not int
            or index != position
            or type(start) is not int
            or type(end) is not int
            or not previous <= start <= end <= size
            or kind not in _KINDS
        ):
            raise DamagedEntry("a sentence that does not fit its article")
        previous = start
        sentences.append(Sentence(index, start, end, kind))
    return tuple(sentences)


def _entities_in(rows: object, text: str) -> tuple[Entity, ...]:
    if type(rows) is not list:
        raise DamagedEntry("entities that are not a list")
    entities = []
    previous, size = 0, len(text)
    for row in rows:
        if type(row) is not list or len(row) != 3:
            raise DamagedEntry("an entity of the wrong shape")
        start, end, label = row
        if (
            type(start) is not int
            or type(end) is not int
            or not previous <= start <= end <= size
            or label not in ENTITY_LABELS
        ):
            raise DamagedEntry("an entity that does not fit its article")
        previous = start
        entities.append(Entity(start, end, text[start:end], label))
    return tuple(entities)


def _numbers_in(rows: object, text: str) -> tuple[NumberMention, ...]:
    if type(rows) is not list:
        raise DamagedEntry("numbers that are not a list")
    numbers = []
    previous = 0
    for row in rows:
        number = _number_in(row, text)
        if number.start < previous:
            raise DamagedEntry("numbers out of order")
        previous = number.start
        numbers.append(number)
    return tuple(numbers)


def _matches_in(rows: object, sentences: dict[str, int]) -> tuple[Match, ...]:
    """The matches, checked in one loop with no calls per row: after the entities this is the largest table."""
    if type(rows) is not list:
        raise DamagedEntry("matches that are not a list")
    matches = []
    count = sentences.get
    for row in rows:
        if type(row) is not list or len(row) != 3:
            raise DamagedEntry("a match of the wrong shape")
        a, b, score = row
        if type(a) is not list or len(a) != 2 or type(b) is not list or len(b) != 2:
            raise DamagedEntry("a match of the wrong shape")
        (a_article, a_sentence), (b_article, b_sentence) = a, b
        if (
            type(a_article) is not str
            or type(a_sentence) is not int
            or not 0 <= a_sentence < count(a_article, 0)
            or type(b_article) is not str
            or type(b_sentence) is not int
            or not 0 <= b_sentence < count(b_article, 0)
            or not (type(score) is float or type(score) is int)
            or not -_FINITE < score < _FINITE
        ):
            raise DamagedEntry("a match of claims that do not exist")
        matches.append(Match(ClaimRef(a_article, a_sentence), ClaimRef(b_article, b_sentence), float(score)))
    return tuple(matches)


def _conflicts_in(rows: object, texts: dict[str, str], sentences: dict[str, int]) -> tuple[Conflict, ...]:
    if type(rows) is not list:
        raise DamagedEntry("conflicts that are not a list")
    conflicts = []
    for row in rows:
        if (
            type(row) is not list
            or len(row) != 6
            or type(row[1]) is not list
            or any(type(row[k]) is not str for k in (0, 2, 3, 4, 5))
            or row[4] not in EXPLANATION_KINDS
        ):
            raise DamagedEntry("a conflict of the wrong shape")
        mentions = []
        for mention in row[1]:
            if type(mention) is not list or len(mention) != 4 or any(type(m) is not str for m in mention[2:]):
                raise DamagedEntry("a conflict mention of the wrong shape")
            ref = _ref_in(mention[0], sentences)
            number = _number_in(mention[1], texts[ref.article])
            mentions.append(ConflictMention(ref, number, mention[2], mention[3]))
        conflicts.append(Conflict(row[0], tuple(mentions), row[2], row[3], row[4], row[5]))
    return tuple(conflicts)


def _aliases_in(rows: object) -> tuple[AliasGroup, ...]:
    if type(rows) is not list:
        raise DamagedEntry("alias groups that are not a list")
    groups = []
    for row in rows:
        if type(row) is not list or len(row) != 3:
            raise DamagedEntry("an alias group of the wrong shape")
        canonical, label, variants = row
        if (
            type(canonical) is not str
            or label not in ENTITY_LABELS
            or type(variants) is not list
            or not all(type(v) is str for v in variants)
        ):
            raise DamagedEntry("an alias group of the wrong shape")
        groups.append(AliasGroup(canonical, label, tuple(variants)))
    return tuple(groups)


def figure_basis(articles: Sequence[Article]) -> str:
    """What the figure records read besides the articles' analysis: each article's date and outlet (the outlet may be
    its file name) and, through them, the story's year; and the articles' order, which is the records'.

    Why: the cache key is the articles' content alone, so a renamed or reordered corpus hits the entry; its figures
    are then read again, as before the entry carried them, rather than trusted.
    """
    rows = "\n".join(f"{a.id}\t{a.date or ''}\t{a.source}" for a in articles)
    return hashlib.sha256(rows.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def figure_fields_out(f: FigureRecord) -> list[Any]:
    """A figure record's row after its claim: [number, low, high, bound, measure, scope, time, attribution] (the
    outlet is the article's); the corpus entry and each article's entry both store figures so."""
    interval = [_end_out(f.low), _end_out(f.high), f.bound]
    return [_number_out(f.number), *interval, f.measure, f.scope, f.time, f.attribution]


def _figures_out(analysis: CorpusAnalysis) -> list[Any]:
    rows = [[_ref_out(f.ref), *figure_fields_out(f)] for f in analysis.figures]
    return [figure_basis([a.article for a in analysis.articles]), rows]


def _figures_in(data: object, articles: Sequence[Article], sentences: dict[str, int]) -> tuple[FigureRecord, ...]:
    """The figure records, checked; none (to be read again) when the basis they were read with is not this one."""
    if type(data) is not list or len(data) != 2 or type(data[0]) is not str or type(data[1]) is not list:
        raise DamagedEntry("figures of the wrong shape")
    if data[0] != figure_basis(articles):
        return ()
    by_id = {article.id: article for article in articles}
    records = []
    for row in data[1]:
        if type(row) is not list or len(row) != 9 or any(type(v) is not str for v in row[5:]):
            raise DamagedEntry("a figure of the wrong shape")
        if row[4] not in BOUND_KINDS:
            raise DamagedEntry("a figure with a bound the analysis does not use")
        ref = _ref_in(row[0], sentences)
        article = by_id[ref.article]
        number = _number_in(row[1], article.text)
        records.append(
            FigureRecord(
                ref, number, _end_in(row[2]), _end_in(row[3]), row[4], row[5], row[6], row[7], row[8], article.source
            )
        )
    return tuple(records)


def copies_basis(articles: Sequence[Article]) -> str:
    """What the copy groups read besides the articles' text: their order (a group lists its articles in corpus
    order, the first one names it) and the wire each credits (``Article.wire``, read from the text's credit line).

    Why: as for :func:`figure_basis`, a renamed or reordered corpus hits the entry; its copy groups are then found
    again rather than trusted.
    """
    rows = "\n".join(f"{a.id}\t{a.wire or ''}" for a in articles)
    return hashlib.sha256(rows.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _copies_out(analysis: CorpusAnalysis) -> list[Any]:
    groups = [[list(g.articles), g.shared_passages, g.wire] for g in analysis.copy_groups]
    return [copies_basis([a.article for a in analysis.articles]), groups]


def _copies_in(data: object, articles: Sequence[Article]) -> tuple[CopyGroup, ...] | None:
    """The copy groups, checked; ``None`` (to be found again) when the basis they were found with is not this one."""
    if type(data) is not list or len(data) != 2 or type(data[0]) is not str or type(data[1]) is not list:
        raise DamagedEntry("copy groups of the wrong shape")
    if data[0] != copies_basis(articles):
        return None
    known = {article.id for article in articles}
    groups = []
    for row in data[1]:
        if (
            type(row) is not list
            or len(row) != 3
            or type(row[0]) is not list
            or len(row[0]) < 2
            or not all(type(a) is str and a in known for a in row[0])
            or type(row[1]) is not int
            or row[1] < 1
            or (row[2] is not None and type(row[2]) is not str)
        ):
            raise DamagedEntry("a copy group of the wrong shape")
        groups.append(CopyGroup(tuple(row[0]), row[1], row[2]))
    return tuple(groups)


def encode(analysis: CorpusAnalysis) -> dict[str, Any]:
    """The analysis as the JSON the cache stores (see the row shapes above)."""
    return {
        "articles": {
            a.article.id: {
                "sentences": [[s.index, s.start, s.end, s.kind] for s in a.sentences],
                "entities": [[e.start, e.end, e.label] for e in a.entities],
                "numbers": [_number_out(n) for n in a.numbers],
            }
            for a in analysis.articles
        },
        "matches": [[_ref_out(m.a), _ref_out(m.b), m.score] for m in analysis.matches],
        "conflicts": [
            [
                c.summary,
                [[_ref_out(m.ref), _number_out(m.number), m.time, m.attribution] for m in c.mentions],
                c.measure,
                c.scope,
                c.explanation,
                c.explanation_text,
            ]
            for c in analysis.conflicts
        ],
        "aliases": [[g.canonical, g.label, list(g.variants)] for g in analysis.aliases],
        "figures": _figures_out(analysis),
        "copies": _copies_out(analysis),
    }


def decode(data: object, articles: Sequence[Article]) -> CorpusAnalysis:
    """Rebuild the analysis for ``articles`` (their current paths and titles) from cached data.

    Checks as it builds, in one pass: raises :class:`DamagedEntry` for anything :func:`encode` would not have
    written for these articles.
    """
    if type(data) is not dict or data.keys() != _TOP_FIELDS:
        raise DamagedEntry("not an analysis")
    entries = data["articles"]
    texts = {article.id: article.text for article in articles}
    if type(entries) is not dict or entries.keys() != texts.keys():
        raise DamagedEntry("not the analysis of these articles")
    analyses = []
    sentences: dict[str, int] = {}
    for article in articles:
        entry = entries[article.id]
        if type(entry) is not dict or entry.keys() != _ARTICLE_FIELDS:
            raise DamagedEntry("an article entry of the wrong shape")
        text = article.text
        analysis = ArticleAnalysis(
            article=article,
            sentences=_sentences_in(entry["sentences"], len(text)),
            entities=_entities_in(entry["entities"], text),
            numbers=_numbers_in(entry["numbers"], text),
        )
        sentences[article.id] = len(analysis.sentences)
        analyses.append(analysis)
    decoded = CorpusAnalysis(
        articles=tuple(analyses),
        matches=_matches_in(data["matches"], sentences),
        conflicts=_conflicts_in(data["conflicts"], texts, sentences),
        aliases=_aliases_in(data["aliases"]),
        figures=_figures_in(data["figures"], articles, sentences),
    )
    groups = _copies_in(data["copies"], articles)
    if groups is None:  # renamed, reordered or re-credited files: found again (numpy, only on this path)
        from factdesk.annotations.compare.syndication import copy_groups

        groups = copy_groups(decoded)
    return replace(decoded, copy_groups=groups)


def cache_file(articles: Sequence[Article], folder: Path | None = None) -> Path:
    return (folder or cache_dir()) / "analysis" / f"{cache_key(articles)}.json.gz"


def load(articles: Sequence[Article], folder: Path | None = None) -> CorpusAnalysis | None:
    """The cached analysis of ``articles``, or ``None`` when there is none or it is damaged in any way."""
    try:
        raw = cache_file(articles, folder).read_bytes()
        return decode(json.loads(gzip.decompress(raw)), articles)
    # OSError covers a bad gzip header; zlib.error, a damaged stream; EOFError, a cut one; ValueError, bad UTF-8,
    # invalid JSON and every DamagedEntry; RecursionError, JSON nested past the limit. The rest cannot happen
    # after decode's checks and are caught so that a cache can never cost more than its recomputation.
    except (OSError, zlib.error, EOFError, ValueError, RecursionError, MemoryError, KeyError, TypeError, IndexError):
        return None


# gzip's fastest level: entries are written on every analysis, and a 10 MB article's two (11-12 MB of JSON each)
# cost 0.4 s more at level 5, for files a seventh smaller (any level reads back the same: old entries stand).
COMPRESS_LEVEL = 1


def save(analysis: CorpusAnalysis, folder: Path | None = None) -> None:
    articles = [a.article for a in analysis.articles]
    # surrogatepass: a file name that is not UTF-8 reaches the text (a conflict's summary names its source) as
    # lone surrogates; json.loads reads bytes back the same way.
    payload = json.dumps(encode(analysis), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    try:
        atomic_write_bytes(cache_file(articles, folder), gzip.compress(payload, compresslevel=COMPRESS_LEVEL, mtime=0))
    except OSError:
        pass  # a read-only cache dir only costs speed


def cached(
    articles: Sequence[Article], compute: Callable[[Sequence[Article]], CorpusAnalysis], folder: Path | None = None
) -> CorpusAnalysis:
    """The cached analysis of ``articles``, computing and storing it on a miss."""
    found = load(articles, folder)
    if found is not None:
        return found
    result = compute(articles)
    save(result, folder)
    return result
