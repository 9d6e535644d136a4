"""Run several word-start regexes over a text in one fast pass, with exactly ``finditer``'s results.

Why: the date rules are a handful of regexes that may only match at the start of a
word (``\\b`` or a "no word character before" look-behind first). Python's ``re``
cannot skip ahead for such patterns: it enters the matcher at every character, and
the case-insensitive alternations then cost about a microsecond per word. Scanning
for a non-word character (which ``re`` skips to in C) followed by a cheap,
case-sensitive *necessary condition* visits only the few word starts where one of
the patterns could match; each pattern is then tried there alone.

The contract that keeps results identical: for every family, ``needed`` must match
at every position where ``pattern`` matches (it may match at more). Write it with
:func:`caseless` for words the pattern matches under ``re.IGNORECASE``: ``re``
folds ``ſ``, ``K`` (Kelvin), ``ı`` and ``İ`` onto ASCII letters, so ``[Ss]`` would
miss what ``(?i:s)`` finds. ``tests/test_wordstarts.py`` checks both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Every character that ``re.IGNORECASE`` matches to an ASCII letter other than its two cases.
_FOLDED_ONTO = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}  # İ ı, Kelvin K, long s


Heads = list[tuple[str, str]]  # (one-character class, what must follow it)


def _char(char: str, fold: bool = True) -> str:
    if char == " ":
        return r"\s+"
    if fold and char.isascii() and char.isalpha():
        lower = char.lower()
        return f"[{lower.upper()}{lower}{_FOLDED_ONTO.get(lower, '')}]"
    return re.escape(char)


def _trie(words: list[str], fold: bool) -> str:
    groups: dict[str, list[str]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0].lower() if fold else word[0], []).append(word[1:])
    alternatives = [_char(first, fold) + _trie(rests, fold) for first, rests in sorted(groups.items())]
    if "" in words:
        alternatives.append("")  # a word ends here ("a" beside "an")
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


def caseless(words: str) -> str:
    """A case-sensitive regex matching exactly what ``(?i:word|other words)`` matches.

    Spaces become ``\\s+``. Letters become classes (``[Tt][Hh][Ee]``) that ``re``
    rejects in one step, unlike a case-insensitive literal, arranged as a trie.
    """
    return "(?:" + _trie([word.strip() for word in words.split("|")], fold=True) + ")"


def heads(words: str, then: str = "", *, fold: bool = True) -> Heads:
    """Necessary-condition alternatives: one of ``words`` (caseless unless ``fold`` is off), then ``then``."""
    groups: dict[str, list[str]] = {}
    for word in (w.strip() for w in words.split("|")):
        groups.setdefault(word[0].lower() if fold else word[0], []).append(word[1:])
    return [(_char(first, fold), _trie(rests, fold) + then) for first, rests in sorted(groups.items())]


def _grouped(alternatives: Heads) -> str:
    """One alternative per first character: ``re`` skips an alternative whose first class fails in one step."""
    by_first: dict[str, list[str]] = {}
    for first, rest in alternatives:
        by_first.setdefault(first, []).append(rest)
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items())


class WordStartScanner:
    """``[list(p.finditer(text)) for p in patterns]``, in one pass over the text.

    ``families`` pairs each pattern with its necessary condition: alternatives of a
    one-character class and what must follow it (case-sensitive regex sources,
    without capturing groups; build them with :func:`heads`). Each pattern must only
    match at the start of the text or after a character of the class ``before`` (by
    default a non-word character: the pattern starts with ``\\b`` and a word
    character, or with a look-behind that excludes ``\\w``). None may match empty.
    """

    def __init__(self, families: Sequence[tuple[re.Pattern[str], Heads]], before: str = r"\W") -> None:
        self._patterns = [pattern for pattern, _ in families]
        union = _grouped([alternative for _, needed in families for alternative in needed])
        which = "".join(f"(?=({_grouped(needed)})?)" for _, needed in families)
        self._scan = re.compile(rf"{before}(?={union}){which}")  # a class first: re skips to it in C
        self._at_start = re.compile(rf"(?={union}){which}")

    def finditer_all(self, text: str) -> list[list[re.Match[str]]]:
        """Each pattern's matches, exactly as its own ``finditer`` gives them (non-overlapping, in order)."""
        patterns = self._patterns
        found: list[list[re.Match[str]]] = [[] for _ in patterns]
        resume = [0] * len(patterns)  # where each pattern's own scan would resume
        first = self._at_start.match(text)
        candidates = ([(0, first)] if first else []) + [(c.end(), c) for c in self._scan.finditer(text)]
        for position, candidate in candidates:
            for index, needed in enumerate(candidate.groups()):
                if needed is None or position < resume[index]:
                    continue
                match = patterns[index].match(text, position)
                if match:
                    found[index].append(match)
                    resume[index] = match.end()
        return found
