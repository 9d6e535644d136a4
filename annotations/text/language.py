"""Which language an article is written in: English, or clearly another one.

Why: the recogniser's names, the claim cues and the comparison's words are English-only; run on a French or
Russian article they give confident nonsense (every capitalised word a name, no claim cue, no match). The
reviewer is told the article's language instead, and its figures are read with its own number conventions
("1.200" is twelve hundred in German, "3,5" three and a half in French).

How: the article's lower-cased words are counted against each language's commonest words (NLTK's stopword
lists, shipped as ``annotations/data/stopwords.json``, built by ``training/language_data.py``). One pass over the
words, one dictionary lookup per distinct word: linear in the text. The article is English unless another
language clearly wins: at least ``MIN_HITS`` of its words are that language's, ``MARGIN`` times as many as are
English's, and a ``MIN_SHARE`` of all its words. A text of fewer than ``MIN_WORDS`` words is "unknown" (treated
as English). Chinese and Japanese, written without spaces, are told by their script.

Measured (``tests/test_language.py``; the seeds and the 50 development articles, all English): an English article's
best other language has at most 0.44 of its English hits (Slovene's and Azerbaijani's short words: "in", "a", "to"),
so another language needs ×4.5 what the worst English article gives it to win; the test texts in eight other
languages give their own language 3 to 40 times their English hits (Portuguese the least: "a", "as", "do" are
English words too), above the ×2 needed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from factdesk.annotations.model import Article

ENGLISH = "en"
UNKNOWN = "und"  # ISO 639-2 "undetermined": too short to tell; analysed as English
MIN_WORDS = 30
MIN_HITS = 10
MARGIN = 2.0
MIN_SHARE = 0.15
# How much of an article is read to tell its language: the beginning says it (and a 10 MB article is not read
# through to open it).
SAMPLE_CHARS = 50_000
# Languages that write a decimal point ("3.5") and group thousands with commas, as English does; the others write
# "3,5" and group with dots or spaces ("1.200", "1 200"). See numbers.find_numbers(decimal_comma=...).
DECIMAL_POINT = frozenset({ENGLISH, UNKNOWN, "ar", "he", "zh", "ja", "bn", "ne"})

_WORD = re.compile(r"[^\W\d_]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_SCRIPT_NAMES = {"zh": "Chinese", "ja": "Japanese", UNKNOWN: "Unknown"}


@dataclass(frozen=True)
class Detection:
    """What the detector saw: the language decided, and the counts it was decided on (for tests and reports)."""

    code: str  # ISO 639-1 ("en", "fr", …), or UNKNOWN for a text too short to tell
    words: int  # words read
    english: int  # of them, English stopwords
    best: str  # the other language with most hits ("" when none)
    best_hits: int

    @property
    def analysed_as(self) -> str:
        """The language the analysis treats the text as: an unknown one is English."""
        return ENGLISH if self.code == UNKNOWN else self.code


@dataclass(frozen=True)
class _Lists:
    index: dict[str, tuple[str, ...]]  # word → the languages it is a stopword of (English among them)
    names: dict[str, str]  # code → name


@cache
def _lists() -> _Lists:
    raw = resources.files("factdesk.annotations.data").joinpath("stopwords.json").read_text("utf-8")
    languages = json.loads(raw)["languages"]
    index: dict[str, list[str]] = {}
    for code in sorted(languages):
        for word in languages[code]["words"]:
            index.setdefault(word, []).append(code)
    names = {code: entry["name"] for code, entry in languages.items()}
    return _Lists({word: tuple(codes) for word, codes in index.items()}, {**names, **_SCRIPT_NAMES})


def language_name(code: str) -> str:
    """ "French" for "fr"; the code itself for one the lists do not know."""
    return _lists().names.get(code, code)


def detect(text: str) -> Detection:
    """The language of ``text`` (all of it: linear in its length)."""
    counts = Counter(_WORD.findall(text.lower()))
    words = counts.total()
    hits: Counter[str] = Counter()
    index = _lists().index
    for word, count in counts.items():
        for code in index.get(word, ()):
            hits[code] += count
    english = hits.pop(ENGLISH, 0)
    best, best_hits = max(hits.items(), key=lambda item: (item[1], _reverse(item[0])), default=("", 0))
    han = len(_HAN.findall(text))
    if han >= MIN_WORDS and han > english * MARGIN * 4:  # a character is about a quarter of an English word
        code = "ja" if len(_KANA.findall(text)) * 10 >= han else "zh"
        return Detection(code, words, english, code, han)
    if words < MIN_WORDS:
        code = UNKNOWN
    elif best_hits >= MIN_HITS and best_hits >= MARGIN * english and best_hits >= MIN_SHARE * words:
        code = best
    else:
        code = ENGLISH
    return Detection(code, words, english, best, best_hits)


def _reverse(code: str) -> tuple[int, ...]:
    """Ties go to the code first in alphabetical order (``max`` keeps the largest key)."""
    return tuple(-ord(ch) for ch in code)


def article_language(text: str) -> str:
    """The language an article is analysed as: its first ``SAMPLE_CHARS`` characters' language, English when in
    doubt. Every part of the analysis asks this one function, so they all agree."""
    return _sample_language(text[:SAMPLE_CHARS])


# Each step of an article's analysis asks again (its numbers, tokens, tagging, names): the answer is kept for the
# last 512 samples asked about (at most SAMPLE_CHARS each: never a whole 10 MB article kept for its answer).
@lru_cache(maxsize=512)
def _sample_language(sample: str) -> str:
    return detect(sample).analysed_as


_KNOWN: dict[str, str] = {}  # article id (a content hash) → its language, told once per process


def language_of(article: Article) -> str:
    """:func:`article_language` of an article, told once per article text (its id is a hash of the text).

    Why here and not on the record: telling it costs a pass over the words, which the first frame (500 articles
    loaded before the text shows) must not pay; it is asked when the analysis, a pane header or an export needs it.
    """
    code = _KNOWN.get(article.id)
    if code is None:
        code = _KNOWN[article.id] = article_language(article.text)
    return code


def not_analysed_note(code: str) -> str:
    """What a reader is told about an article in another language: "French — names and claim cues not analysed"."""
    return f"{language_name(code)} — names and claim cues not analysed"


def decimal_comma(code: str) -> bool:
    """Whether the language writes "3,5" for three and a half (and groups thousands as "1.200" or "1 200")."""
    return code not in DECIMAL_POINT
