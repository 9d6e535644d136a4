"""Who does what to whom, cheaply: an entity's role relative to a verb the two claims share.

Why: "Israel struck Hezbollah" and "Hezbollah struck Israel" share every word and
every entity, yet state opposite propositions. Without a parser we approximate the
role by position: a name right before a verb is its agent, right after it its
patient; a passive ("was struck by") swaps that, and "by X" is always the agent.
The match score is penalised when a shared entity plays different roles around a
shared verb.

Only a verb next to the name (at most ``ROLE_WINDOW`` words between) gives it a
role. Why: without a parser, position says nothing across clauses. "Government
forces evacuated Homs …" and "Commanders left Homs …, while a convoy withdrew by
land" share the verb *withdraw* and the name Homs, yet Homs is no agent of the
second withdrawal; measured on the seeds' gold set (``bench/compare_eval.py``), an
unbounded position rule penalised more true restatements than false ones. It also
keeps the check cheap: only the few words around each name are read.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from factdesk.annotations.compare.text import word_set

AGENT = "agent"
PATIENT = "patient"
ROLE_WINDOW = 3  # words allowed between a name and its verb

_AUX = word_set(
    """
    is are was were be been being am has have had having will would could can may might must shall
    should did does do to
    """
)
_BE = word_set("is are was were be been being am get got gets getting")
_DETERMINERS = word_set("the a an its their his her our this that these those")
_ADVERB_GAP = word_set("not also already reportedly allegedly just now never still yet then")
_IRREGULAR_VERBS = word_set(
    """
    fell took fled left led withdrew began held won lost fought struck shot saw went came met sent gave
    broke drove hit seized captured attacked killed bombed shelled
    """
)
_PARTICIPLES = word_set("taken fallen withdrawn begun held won lost fought struck shot seen gone sent given")
_NOT_VERBS_ED = word_set("need seed bed red speed feed breed creed greed shed hundred kindred")

NAME = "\x00"  # a name's place in a claim's word list (see :func:`name_roles`)
_Key = TypeVar("_Key", bound=Hashable)  # what stands for a name in a roles dict (its place, its term id…)


def _previous(words: Sequence[str], i: int) -> int:
    """Index of the previous word, skipping one adverb ("has reportedly withdrawn")."""
    j = i - 1
    if j >= 0 and (words[j] in _ADVERB_GAP or words[j].endswith("ly")):
        j -= 1
    return j


def is_verbal(words: Sequence[str], i: int) -> bool:
    """Heuristic: after an auxiliary/"to", a past form in -ed not after a determiner, or a known verb form."""
    word = words[i]
    j = _previous(words, i)
    if j >= 0 and words[j] in _AUX:
        return True
    if j >= 0 and words[j] in _DETERMINERS:
        return False
    if word in _IRREGULAR_VERBS:
        return True
    return len(word) >= 5 and word.endswith("ed") and word not in _NOT_VERBS_ED


def is_passive(words: Sequence[str], i: int) -> bool:
    word = words[i]
    if not (word.endswith(("ed", "en")) or word in _PARTICIPLES or word in _IRREGULAR_VERBS):
        return False
    return any(words[j] in _BE for j in range(max(0, i - 3), i))


# The quick test of :func:`name_roles`: a word can be verbal only if it may be a verb form itself or follows a
# word that makes the next one verbal (an auxiliary, "to", an adverb). The words of each kind, as sets, so that a
# name's window is tested with C-level set look-ups; filled by :func:`note_word`, which the caller runs on every
# word it may later ask about (features.py does, on each word's first sight).
_VERB_FORMS: set[str] = set()
_MAKERS: set[str] = set()


def note_word(word: str) -> None:
    """Record of what kind ``word`` is, for :func:`may_have_role` (idempotent)."""
    if word in _IRREGULAR_VERBS or word.endswith("ed"):
        _VERB_FORMS.add(word)
    if word in _AUX or word in _ADVERB_GAP or word.endswith("ly"):
        _MAKERS.add(word)


def forget_words() -> None:
    """Drop what :func:`note_word` recorded (with the caller's own per-word cache, so that both stay in step)."""
    _VERB_FORMS.clear()
    _MAKERS.clear()


def may_have_role(before: Sequence[str], after: Sequence[str]) -> bool:
    """False when :func:`name_roles` cannot find a verb for a name between ``before`` and ``after`` (its words).

    Why: most names have no verb next to them; this answers that with set look-ups, without building the word
    window. (A name's window is the last ``ROLE_WINDOW + 1`` words before it and the first as many after it; a
    word there is a candidate if it may be a verb or its previous word makes it verbal.) Every word must have
    been through :func:`note_word`.
    """
    reach = ROLE_WINDOW + 1
    return not (
        _VERB_FORMS.isdisjoint(after[:reach])
        and _MAKERS.isdisjoint(after[: reach - 1])
        and _VERB_FORMS.isdisjoint(before[-reach:])
        and _MAKERS.isdisjoint(before[-reach - 1 : -1])
    )


def name_roles(
    words: Sequence[str],
    place: int,
    key: _Key,
    term_of: Callable[[str, str | None], str | None],
    into: dict[tuple[_Key, str], str],
) -> None:
    """Add {(key, verb term): role} to ``into`` for the nearest verb on each side of the name at ``place``.

    ``words`` are lower-case words with each name as a :data:`NAME` placeholder;
    ``term_of(word, next word)`` gives a verb's term. A verb counts when at most
    ``ROLE_WINDOW`` words, and no other name, stand between it and the name.
    """
    size = len(words)
    after_by = place > 0 and words[place - 1] == "by"
    following = range(place + 1, min(size, place + 2 + ROLE_WINDOW))
    preceding = range(place - 1, max(-1, place - 2 - ROLE_WINDOW), -1)
    for name_first, side in ((True, following), (False, preceding)):
        for i in side:
            word = words[i]
            if word == NAME:
                break  # another name stands between
            previous = words[i - 1] if i else ""
            if (
                word not in _IRREGULAR_VERBS
                and not word.endswith("ed")
                and previous not in _AUX
                and previous not in _ADVERB_GAP
                and not previous.endswith("ly")
            ):
                continue  # cannot be verbal (the quick test of the common case)
            if not is_verbal(words, i):
                continue
            term = term_of(word, words[i + 1] if i + 1 < size else None)
            if term is None or term[0] == "#":
                continue
            if after_by and not name_first:
                role = AGENT  # "… was struck by X"
            elif is_passive(words, i):
                role = PATIENT if name_first else AGENT
            else:
                role = AGENT if name_first else PATIENT
            into.setdefault((key, term), role)
            break


def roles_disagree(roles_a: dict[tuple[_Key, str], str], roles_b: dict[tuple[_Key, str], str]) -> bool:
    """True when some name is agent in one claim and patient in the other of the same verb."""
    if len(roles_b) < len(roles_a):
        roles_a, roles_b = roles_b, roles_a
    return any(roles_b.get(key, role) != role for key, role in roles_a.items())
