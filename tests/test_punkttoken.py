"""The cached Punkt token behaves exactly like NLTK's, so sentences do not move."""

from __future__ import annotations

from pathlib import Path

import pytest
from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktToken

from factdesk.annotations.text import _punkttoken
from factdesk.annotations.text._punkttoken import CachedToken
from factdesk.annotations.text.segment import _tokenizer, paragraphs

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TOKENS = [
    "The", "the", "said.", "U.S.", "J.", "j.", "..", "...", "etc.", "Dr.", "1,000.", "-5.", "3.5", "12th.",
    "’", "(", "ſ.", "É.", "…", "co-op.", "No.", "2024.", "A", "?", "!", ".",
]  # fmt: skip
PROPERTIES = ["tok", "type", "period_final", "parastart", "linestart", "sentbreak", "abbr", "ellipsis"]
DERIVED = ["type_no_period", "type_no_sentperiod", "first_upper", "first_lower", "first_case"]
TESTS = ["is_ellipsis", "is_number", "is_initial", "is_alpha", "is_non_punct"]


def _same(ours: PunktToken, theirs: PunktToken) -> None:
    for name in PROPERTIES + DERIVED:
        assert getattr(ours, name) == getattr(theirs, name), name
    for name in TESTS:
        assert bool(getattr(ours, name)) == bool(getattr(theirs, name)), name


@pytest.mark.parametrize("params", [{}, {"parastart": True, "linestart": True}, {"linestart": True}])
def test_tokens_match_nltk_on_first_use_and_from_the_cache(params: dict[str, bool]) -> None:
    for _ in range(2):  # the second round answers from the caches
        for text in TOKENS:
            _same(CachedToken(text, **params), PunktToken(text, **params))


def test_full_caches_are_cleared_and_still_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_punkttoken, "_MAX_ENTRIES", 3)
    for cache in ("_TYPES", "_ELLIPSES", "_INITIALS"):
        monkeypatch.setattr(_punkttoken, cache, {})
    for text in TOKENS * 2:
        _same(CachedToken(text), PunktToken(text))
    assert 0 < len(_punkttoken._TYPES) <= 3


def test_sentences_are_those_of_the_stock_token() -> None:
    ours = _tokenizer()
    stock = PunktSentenceTokenizer(ours._params)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts.append("He met J. Smith at 10 a.m. on Dec. 5... Then U.S. officials left! Did they? Yes (mostly.) No.")
    compared = 0
    for text in texts:
        for start, end in paragraphs(text):
            chunk = text[start:end]
            assert list(ours.span_tokenize(chunk)) == list(stock.span_tokenize(chunk)), chunk
            compared += 1
    assert compared > 20


def test_candidate_ends_found_by_re_are_those_nltks_regex_finds() -> None:
    """Punkt's candidate-end search runs on ``re`` (``PlainLanguageVars``), its whitespace spelled as ``regex``
    reads it: the same matches, groups and sentences as NLTK's own pattern, separators U+001C–U+001F included."""
    import random
    import re
    import sys

    import regex
    from nltk.tokenize.punkt import PunktLanguageVars

    ours = _tokenizer()
    plain, stock = ours._lang_vars.period_context_re(), PunktLanguageVars().period_context_re()
    assert type(plain).__module__ == "re" and type(stock).__module__ != "re"
    space, plain_space = regex.compile(r"\s"), re.compile(r"[^\S\x1c-\x1f]")
    assert all(bool(space.match(chr(c))) == bool(plain_space.match(chr(c))) for c in range(sys.maxunicode + 1))
    rng = random.Random(5)
    pieces = [*". ?!\n\t\x1c\x1d\x1e\x1f\xa0\u2028\u3000\u180e\u200b)\"';:(“”’«»", "Mr.", "U.S.", "He", "said", "J."]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += ["He left.\x1cThen she came! Yes.\x1f No?\u2028Maybe. “Quoted.” (Aside.) End.\xa0Next."]
    sentences = PunktSentenceTokenizer(ours._params)
    for text in texts:
        found = [(m.span(), m.group("after_tok"), m.span("next_tok")) for m in plain.finditer(text)]
        assert found == [(m.span(), m.group("after_tok"), m.span("next_tok")) for m in stock.finditer(text)], text
        assert list(ours.span_tokenize(text)) == list(sentences.span_tokenize(text)), text
