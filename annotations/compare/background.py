"""How common a word is in news in general, so that "government" weighs less than "convoy".

Why: IDF over the corpus being compared knows only that corpus. In five articles
about one battle, "president" or "significant" can be as rare as "helicopter", and
two lead sentences then look alike for sharing them. A background table of sentence
frequencies from general newswire (Penn Treebank WSJ sample, CoNLL-2000 WSJ, NIST
IE-ER; word counts only, no text) scales each term's corpus IDF by how rare it is
in news at large.

The table is keyed by lower-case *word*, not by term, so changing the stemmer or the
synonym table needs no rebuild: terms are derived at load time. Build it with::

    NLTK_DATA=../shared/nltk_data python -m factdesk.annotations.compare.background
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from factdesk.annotations.compare.text import term, words

DATA_PACKAGE = "factdesk.annotations.data"
DATA_FILE = "compare_background.json.gz"


@lru_cache(maxsize=1)
def _table() -> tuple[int, dict[str, int]]:
    """(sentences, {term: sentence frequency}); (0, {}) when the file is missing."""
    try:
        raw = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_bytes()
    except (FileNotFoundError, ModuleNotFoundError):
        return 0, {}
    data = json.loads(gzip.decompress(raw).decode("utf-8"))
    frequency: dict[str, int] = {}
    for word, count in data["df"].items():
        t = term(word)
        if t is not None:
            frequency[t] = frequency.get(t, 0) + count
    return int(data["sentences"]), frequency


def rarity(term_: str) -> float:
    """A factor in (0, 1]: 1 for words news rarely uses, less for everyday news words.

    log(1 + N / (df + 1)) / log(1 + N): an IDF on the background, normalised so a word
    the background never saw keeps its corpus weight unchanged.
    """
    total, frequency = _table()
    if total == 0:
        return 1.0
    return math.log(1.0 + total / (frequency.get(term_, 0) + 1)) / math.log(1.0 + total)


# --- building the table ----------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences():
    from nltk.corpus import conll2000, ieer, treebank

    for corpus in (conll2000, treebank):
        for sentence in corpus.sents():
            yield " ".join(sentence)
    for fileid in ieer.fileids():
        for doc in ieer.parsed_docs(fileid):
            text = " ".join(w if isinstance(w, str) else " ".join(w.leaves()) for w in doc.text)
            yield from _SENTENCE_END.split(text)


def build(min_count: int = 2) -> dict:
    counts: dict[str, int] = {}
    total = 0
    for sentence in _sentences():
        total += 1
        for word in {w for _, _, w in words(sentence) if not w[0].isdigit()}:
            counts[word] = counts.get(word, 0) + 1
    return {
        "source": "sentence frequencies of lower-case words: NLTK conll2000 + treebank (WSJ) + ieer (NYT/APW)",
        "sentences": total,
        "df": {w: c for w, c in sorted(counts.items()) if c >= min_count},
    }


def main() -> None:
    if not os.environ.get("NLTK_DATA"):
        raise SystemExit("set NLTK_DATA to a folder with conll2000, treebank and ieer (e.g. ../shared/nltk_data)")
    data = build()
    target = Path(__file__).resolve().parent.parent / "data" / DATA_FILE
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    target.write_bytes(gzip.compress(payload, mtime=0))
    print(f"{target}: {data['sentences']} sentences, {len(data['df'])} words, {target.stat().st_size} bytes")


if __name__ == "__main__":
    main()
