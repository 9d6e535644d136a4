"""Stems are Porter's original algorithm whichever implementation computes them.

Why: the comparison's terms, the background table and every tuned weight assume
NLTK's ``PorterStemmer`` in its original mode; PyStemmer is only there for speed
(see ``factdesk.annotations.compare.text``), so it must never change a term.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from nltk.stem.porter import PorterStemmer

from factdesk.annotations.compare import text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Words where Snowball's Porter undoubles nothing ("revv"), and a sample of ordinary hard cases.
AWKWARD = """
revved trekked trekking skiing bootcamped vacuumed hajj hajjis razzed buzzed fizzed jazzed skyy skyyed chukka
puffed rolled missed fizzling hopping hoping agreed feed bled dying lying tying sky skies flies generalization
oscillators relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli
vileli analogousli vietnamization predication operator feudalism decisiveness hopefulness callousness formaliti
sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness revival allowance
inference airliner gyroscopic adjustable defensible irritant replacement adjustment dependent adoption homologou
communism activate angulariti homologous effective bowdlerize probate rate cease controll roll o'brien don't
""".split()


def _words() -> list[str]:
    found = {w.lower() for p in SEEDS.glob("*.txt") for w in re.findall(r"[A-Za-z][A-Za-z'’]*", p.read_text("utf-8"))}
    rng = random.Random(5)
    letters = "abcdeefghiijklmnoopqrstuuvwxyyz"
    endings = ["ed", "ing", "s", "es", "ies", "ational", "ization", "ness", "ful", "ly", "ement", "able", "e", ""]
    invented = {
        "".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) + rng.choice(endings) for _ in range(20_000)
    }
    return sorted(found | invented | set(AWKWARD))


def test_stems_equal_nltks_original_porter() -> None:
    pytest.importorskip("Stemmer")  # a declared dependency; skipped only where a platform lacks its wheel
    text._stem.cache_clear()
    stem = text._stem()
    original = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM).stem
    words = _words()
    assert [stem(w) for w in words] == [original(w) for w in words]
    assert stem is not original and stem("revved") == "rev"  # the fast path is in use, and the rare doubles agree


def test_without_pystemmer_nltk_stems(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_stemmer(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "Stemmer":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_stemmer)
    text._stem.cache_clear()
    try:
        stem = text._stem()
        assert stem("withdrawing") == "withdraw" and stem("revved") == "rev"
        assert getattr(stem, "__self__", None).__class__ is PorterStemmer
    finally:
        monkeypatch.undo()
        text._stem.cache_clear()
