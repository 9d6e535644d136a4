"""A Punkt token that classifies each distinct word once, not once per occurrence; Punkt's search for
candidate sentence ends through the standard ``re`` engine.

Why: around every candidate sentence end Punkt builds a token object per word, then
normalises its type and asks "ellipsis?" and "initial?" through timeout-guarded
regular expressions (``nltk.redos``) — about 40% of the sentence splitter's time on
news copy. All three answers are pure functions of the token text, and news reuses a
small vocabulary, so bounded dictionaries answer almost every lookup. Everything else
is ``PunktToken``'s own behaviour (attributes set exactly as its constructor sets
them, the same regular expressions), so the sentences are the same;
``tests/test_punkttoken.py`` checks it.

The candidate ends: Punkt finds every ".", "?" and "!" with a fixed pattern of its own (no caller's pattern)
through ``nltk.redos``, the third-party ``regex`` engine under a timeout — six times the cost of the same search
with ``re`` (0.6 s of a 10 MB article). :class:`PlainLanguageVars` compiles that pattern with ``re``, its two
whitespace classes spelled as ``regex`` reads them (``re``'s ``\\s`` also takes the separators U+001C–U+001F), so the
matches are the same; the pattern is linear (each candidate looks ahead over one run of spaces and one token).

Imported by ``factdesk.annotations.text.segment`` only when the tokenizer is built: NLTK stays out
of the CLI's start-up.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from nltk.tokenize.punkt import PunktLanguageVars, PunktToken

_MAX_ENTRIES = 200_000  # per cache: a few MB at most; cleared (not evicted one by one) when full
_TYPES: dict[str, str] = {}
_ELLIPSES: dict[str, Any] = {}  # token text -> PunktToken's answer: a ``regex`` match or None
_INITIALS: dict[str, Any] = {}


def _remember(cache: dict[str, Any], key: str, value: Any) -> Any:
    if len(cache) >= _MAX_ENTRIES:
        cache.clear()
    cache[key] = value
    return value


class CachedToken(PunktToken):
    """``PunktToken`` whose type, ellipsis and initial tests are cached per token text."""

    __slots__ = ()

    def __init__(self, tok: str, **params: Any) -> None:
        # The slots are PunktToken's; NLTK ships no types, so mypy sees only this class's empty __slots__.
        self.tok = tok  # type: ignore[misc]
        kind = _TYPES.get(tok)
        self.type = kind if kind is not None else _remember(_TYPES, tok, self._get_type(tok))  # type: ignore[misc]
        self.period_final = tok.endswith(".")  # type: ignore[misc]
        self.parastart = self.linestart = self.sentbreak = self.abbr = self.ellipsis = None  # type: ignore[misc]
        for name, value in params.items():
            setattr(self, name, value)

    @property
    def is_ellipsis(self) -> Any:
        """PunktToken's answer (a match or None), computed once per token text."""
        return _match_once(_ELLIPSES, self._RE_ELLIPSIS, self.tok)

    @property
    def is_initial(self) -> Any:
        """PunktToken's answer (a match or None), computed once per token text."""
        return _match_once(_INITIALS, self._RE_INITIAL, self.tok)


def _match_once(cache: dict[str, Any], pattern: Any, tok: str) -> Any:
    """``pattern.match(tok)``, remembered in ``cache`` (None answers too)."""
    if tok in cache:
        return cache[tok]
    return _remember(cache, tok, pattern.match(tok))


# ``regex``'s \s and \S in ``re``: the information separators U+001C–U+001F are whitespace to ``re`` alone
_SPACE, _NOT_SPACE = r"[^\S\x1c-\x1f]", r"[\S\x1c-\x1f]"
_STOCK_LOOKAHEAD = r"\s+(?P<next_tok>\S+)"


class PlainLanguageVars(PunktLanguageVars):
    """Punkt's language variables with the candidate-end pattern compiled by ``re`` (see the module's docstring)."""

    __slots__ = ()

    def period_context_re(self) -> Any:
        stock = super().period_context_re()  # NLTK's, compiled once by NLTK
        return _plain_twin(stock.pattern) or stock


@lru_cache(maxsize=4)
def _plain_twin(source: str) -> re.Pattern[str] | None:
    """NLTK's candidate-end pattern ``source`` compiled by ``re``, with ``regex``'s whitespace; None for a pattern
    this module does not know (another NLTK's: then NLTK's own stays in use)."""
    if source.count(_STOCK_LOOKAHEAD) != 1 or source.count("\\s") != 1 or source.count("\\S") != 1:
        return None
    return re.compile(
        source.replace(_STOCK_LOOKAHEAD, _SPACE + "+(?P<next_tok>" + _NOT_SPACE + "+)"), re.UNICODE | re.X
    )
