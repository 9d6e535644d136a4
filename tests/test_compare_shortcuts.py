"""The comparison's shortcuts answer exactly what the slow ways they replace answer.

Why: each shortcut (a quick test before the role check, bounds before the spelling
ratio, a window before tokenising a sentence's end, integer keys for the best match
per article) exists only for speed; a shortcut that answered differently would change
matches without anyone deciding it. Each test compares a shortcut with the plain
computation on many random inputs.
"""

from __future__ import annotations

import math
import random
from difflib import SequenceMatcher
from types import SimpleNamespace

from factdesk.annotations.compare import quantities
from factdesk.annotations.compare.keys import _alike
from factdesk.annotations.compare.matching import best_per_article
from factdesk.annotations.compare.roles import NAME, ROLE_WINDOW, may_have_role, name_roles, note_word

# Verbs, auxiliaries, adverbs and plain words, so that random windows hit every branch of the role test.
_WORDS = (
    "was were has had to will not also reportedly quickly struck fell seized captured withdrew attacked "
    "killed need speed red the a its forces city army rebels town government talks near after"
).split()


def _window_roles(before: list[str], after: list[str], name_before: bool, name_after: bool) -> dict:
    """The roles :func:`name_roles` finds for one name between ``before`` and ``after`` (as features.py asks)."""
    reach = ROLE_WINDOW + 1
    left = before[-(reach + 3) :]
    words = [NAME, *left] if name_before and len(left) < reach + 3 else list(left)
    place = len(words)
    words.append(NAME)
    words += after[:reach]
    if name_after and len(after) < reach:
        words.append(NAME)
    found: dict = {}
    name_roles(words, place, 0, lambda word, following: word, found)
    return found


def test_the_quick_role_test_never_hides_a_role() -> None:
    rng = random.Random(3)
    hidden = 0
    for _ in range(4000):
        before = rng.choices(_WORDS, k=rng.randint(0, 9))
        after = rng.choices(_WORDS, k=rng.randint(0, 9))
        for word in before + after:
            note_word(word)
        roles = _window_roles(before, after, rng.random() < 0.5, rng.random() < 0.5)
        if not may_have_role(before, after):
            hidden += bool(roles)
    assert hidden == 0


def test_the_quick_role_test_says_no_to_plain_words() -> None:
    for word in ("forces", "city", "army"):
        note_word(word)
    assert not may_have_role(["forces", "city"], ["army"])
    note_word("struck")
    assert may_have_role(["forces", "city"], ["struck", "army"])


def test_spelling_bounds_agree_with_the_full_ratio() -> None:
    rng = random.Random(5)
    letters = "aeioudrgjlnmsh"
    for _ in range(3000):
        a = "".join(rng.choices(letters, k=rng.randint(4, 10)))
        b = "".join(rng.choices(letters, k=rng.randint(4, 12)))
        for ratio in (0.6, 0.75, 0.9):
            assert _alike(a, b, ratio) == (SequenceMatcher(None, a, b).ratio() >= ratio)


def _clause_words_by_full_read(text: str, reverse: bool, limit: int) -> list[str]:
    """The plain way: tokenise the whole text, then walk from the figure's side."""
    tokens = quantities._WORD.findall(text)
    if reverse:
        tokens = tokens[::-1]
    out: list[str] = []
    for token in tokens:
        if token in quantities._CLAUSE_BREAK:
            break
        out.append(token.casefold())
        if len(out) == limit:
            break
    return out[::-1] if reverse else out


def test_words_next_to_a_figure_read_from_a_window_are_those_of_the_whole_text() -> None:
    rng = random.Random(7)
    pieces = ["Rebel", "forces", "displaced", "people", ";", "(", "x", "extraordinarily-long-hyphenated-word", "—"]
    for _ in range(2000):
        text = " ".join(rng.choices(pieces, k=rng.randint(0, 60)))
        if rng.random() < 0.2:
            text = "a" * rng.randint(100, 400) + " " + text  # one word longer than the window
        if rng.random() < 0.2:
            text += " " + "b" * rng.randint(100, 400)
        for reverse in (False, True):
            for limit in (quantities.WINDOW_BEFORE, quantities.WINDOW_AFTER):
                expected = _clause_words_by_full_read(text, reverse, limit)
                assert quantities._clauseword_set(text, reverse, limit) == expected


def _best_per_article_by_tuples(pairs, claims, mode):
    """The plain way: the best value per (claim, other claim's article), keyed by tuples."""
    best: dict = {}
    for j, i, value in pairs:
        for claim, other in ((j, i), (i, j)):
            key = (claim, claims[other].article)
            best[key] = max(best.get(key, -math.inf), value)
    kept = []
    for j, i, value in pairs:
        first = value >= best[(j, claims[i].article)]
        second = value >= best[(i, claims[j].article)]
        if (first and second) if mode == "mutual" else (first or second):
            kept.append((j, i, value))
    return kept


def test_best_match_per_article_with_integer_keys_keeps_the_same_pairs() -> None:
    rng = random.Random(11)
    claims = [SimpleNamespace(article=rng.randrange(7)) for _ in range(60)]
    for _ in range(200):
        pairs = []
        for _ in range(rng.randint(0, 80)):
            j, i = sorted(rng.sample(range(60), 2))
            if claims[j].article != claims[i].article:
                pairs.append((j, i, rng.choice([0.2, 0.3, 0.5, rng.random()])))
        for mode in ("mutual", "either"):
            assert best_per_article(pairs, claims, mode) == _best_per_article_by_tuples(pairs, claims, mode)
