"""Analysed corpora built by hand or by the benchmark's generator, for the comparison tests.

Why a module: several test files build the same small analyses (sentences with names and figures at known offsets)
and the benchmark's news-shaped synthetic corpus; one builder keeps them alike.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from factdesk.annotations.model import Article, ArticleAnalysis, CorpusAnalysis, Entity, NumberMention, Sentence

REPO = Path(__file__).resolve().parent.parent

# A few sentences on other subjects, so that IDF and the hubness correction see a corpus, not two lines.
FILLER = [
    "The central bank raised interest rates by a quarter point on Tuesday.",
    "Heavy rain flooded several villages in the north of the country.",
    "The football club signed a new striker from a rival team.",
    "Farmers protested against the new tax on diesel fuel.",
    "A new museum of modern art opened its doors to the public.",
    "Scientists reported progress on a vaccine for a tropical disease.",
]


def article(
    article_id: str,
    sentences: list[str],
    entities: dict[str, str] | None = None,
    numbers: list[tuple[str, float | tuple[float, float], str | None, str | None]] | None = None,
) -> ArticleAnalysis:
    """An analysed article from sentences; ``entities`` maps surface → label (every occurrence is tagged),
    ``numbers`` lists (surface, value, unit, qualifier) (first occurrence is tagged)."""
    text = " ".join(sentences)
    spans, position = [], 0
    for index, sentence in enumerate(sentences):
        start = text.index(sentence, position)
        spans.append(Sentence(index, start, start + len(sentence), "claim"))
        position = start + len(sentence)
    found_entities = []
    for surface, label in (entities or {}).items():
        at = text.find(surface)
        while at >= 0:
            found_entities.append(Entity(at, at + len(surface), surface, label))
            at = text.find(surface, at + len(surface))
    found_numbers = []
    for surface, value, unit, qualifier in numbers or []:
        at = text.index(surface)
        found_numbers.append(NumberMention(at, at + len(surface), surface, value, unit, qualifier))
    article = Article(id=article_id, path=Path(f"{article_id}.txt"), text=text, title=article_id, source=article_id)
    return ArticleAnalysis(
        article,
        tuple(spans),
        tuple(sorted(found_entities, key=lambda e: e.start)),
        tuple(sorted(found_numbers, key=lambda n: n.start)),
    )


def _corpus(*articles: ArticleAnalysis) -> CorpusAnalysis:
    return CorpusAnalysis(articles=tuple(articles))


def corpus(*articles: ArticleAnalysis) -> CorpusAnalysis:
    return CorpusAnalysis(articles=tuple(articles))


def synthetic(articles: int, sentences: int, seed: int) -> CorpusAnalysis:
    """The benchmark's news-shaped corpus (stories restated across articles, names, figures)."""
    spec = importlib.util.spec_from_file_location("compare_speed", REPO / "bench" / "compare_speed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_corpus(articles, sentences, seed)
