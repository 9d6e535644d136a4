"""Find claims by words: every claim of a corpus that contains all the words of a query.

Pure domain logic (no Textual): the reader's ``/`` search screen lists what this returns.
"""

from __future__ import annotations

from factdesk.annotations.model import ClaimRef, CorpusAnalysis

MAX_RESULTS = 200


def find_claims(analysis: CorpusAnalysis, query: str) -> list[tuple[ClaimRef, str, str]]:
    """Claims containing every word of ``query`` (case-insensitive): (ref, source, text), at most MAX_RESULTS."""
    words = query.casefold().split()
    found: list[tuple[ClaimRef, str, str]] = []
    if not words:
        return found
    for article in analysis.articles:
        for sentence in article.claims:
            text = article.sentence_text(sentence)
            folded = text.casefold()
            if all(word in folded for word in words):
                found.append((ClaimRef(article.article.id, sentence.index), article.article.source, text))
                if len(found) >= MAX_RESULTS:
                    return found
    return found
