"""Remember analyses on disk so that reopening a corpus does no analysis work.

Key: the corpus's article content hashes plus the analysis version (a hash of the
shipped model files and :data:`ANALYSIS_REVISION`), so a changed article, a new
model or new analysis code can never serve a stale result. Entries are gzip JSON
under the user cache dir, written atomically; an unreadable entry is ignored and
recomputed, never an error.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from factdesk import __version__
from factdesk.annotations.model import (
    AliasGroup,
    Article,
    ArticleAnalysis,
    ClaimRef,
    Conflict,
    ConflictMention,
    CorpusAnalysis,
    Entity,
    Match,
    NumberMention,
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


def _value_out(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _value_in(value: Any) -> Any:
    return (float(value[0]), float(value[1])) if isinstance(value, list) else float(value)


def _number_out(n: NumberMention) -> list:
    return [n.start, n.end, n.text, _value_out(n.value), n.unit, n.qualifier]


def _number_in(row: list) -> NumberMention:
    return NumberMention(row[0], row[1], row[2], _value_in(row[3]), row[4], row[5])


def _ref_out(ref: ClaimRef) -> list:
    return [ref.article, ref.sentence]


def _ref_in(row: list) -> ClaimRef:
    return ClaimRef(row[0], row[1])


def encode(analysis: CorpusAnalysis) -> dict[str, Any]:
    return {
        "articles": {
            a.article.id: {
                "sentences": [[s.index, s.start, s.end, s.kind] for s in a.sentences],
                "entities": [[e.start, e.end, e.text, e.label] for e in a.entities],
                "numbers": [_number_out(n) for n in a.numbers],
            }
            for a in analysis.articles
        },
        "matches": [[_ref_out(m.a), _ref_out(m.b), m.score] for m in analysis.matches],
        "conflicts": [
            [c.summary, [[_ref_out(m.ref), _number_out(m.number)] for m in c.mentions]] for c in analysis.conflicts
        ],
        "aliases": [[g.canonical, g.label, list(g.variants)] for g in analysis.aliases],
    }


def decode(data: dict[str, Any], articles: Sequence[Article]) -> CorpusAnalysis:
    """Rebuild the analysis for ``articles`` (their current paths and titles) from cached data."""
    analyses = []
    for article in articles:
        entry = data["articles"][article.id]
        analyses.append(
            ArticleAnalysis(
                article=article,
                sentences=tuple(Sentence(*row) for row in entry["sentences"]),
                entities=tuple(Entity(*row) for row in entry["entities"]),
                numbers=tuple(_number_in(row) for row in entry["numbers"]),
            )
        )
    return CorpusAnalysis(
        articles=tuple(analyses),
        matches=tuple(Match(_ref_in(a), _ref_in(b), float(score)) for a, b, score in data["matches"]),
        conflicts=tuple(
            Conflict(summary, tuple(ConflictMention(_ref_in(ref), _number_in(number)) for ref, number in mentions))
            for summary, mentions in data["conflicts"]
        ),
        aliases=tuple(AliasGroup(canonical, label, tuple(variants)) for canonical, label, variants in data["aliases"]),
    )


def cache_file(articles: Sequence[Article], folder: Path | None = None) -> Path:
    return (folder or cache_dir()) / "analysis" / f"{cache_key(articles)}.json.gz"


def load(articles: Sequence[Article], folder: Path | None = None) -> CorpusAnalysis | None:
    try:
        raw = cache_file(articles, folder).read_bytes()
        return decode(json.loads(gzip.decompress(raw)), articles)
    except (OSError, ValueError, KeyError, TypeError, IndexError, EOFError):
        return None


def save(analysis: CorpusAnalysis, folder: Path | None = None) -> None:
    articles = [a.article for a in analysis.articles]
    payload = json.dumps(encode(analysis), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        atomic_write_bytes(cache_file(articles, folder), gzip.compress(payload, compresslevel=5, mtime=0))
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
