"""Who does what to whom, cheaply: an entity's role relative to a verb the two claims share.

Why: "Israel struck Hezbollah" and "Hezbollah struck Israel" share every word and
every entity, yet state opposite propositions. Without a parser we approximate the
role by position: a name before the verb is its agent, after it its patient; a
passive ("was struck by") swaps that, and "by X" is always the agent. The match
score is penalised when a shared entity plays different roles around a shared verb.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotations.compare.text import word_set

AGENT = "agent"
PATIENT = "patient"

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


@dataclass(frozen=True)
class VerbSlot:
    """Where a verb sits in a claim's token list, and whether it is passive."""

    index: int
    passive: bool


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


def verb_slots(words: Sequence[str], terms: Sequence[str | None]) -> dict[str, VerbSlot]:
    """{term: first verbal occurrence} for a claim's tokens (``words`` lower-cased, ``terms`` aligned).

    :func:`is_verbal` inlined: this runs over every token of most claims of a corpus.
    """
    slots: dict[str, VerbSlot] = {}
    for i, term in enumerate(terms):
        if term is None or term in slots or term[0] == "#":
            continue
        word = words[i]
        j = i - 1
        previous = words[j] if j >= 0 else ""
        if previous in _ADVERB_GAP or previous.endswith("ly"):
            j -= 1
            previous = words[j] if j >= 0 else ""
        if previous not in _AUX:
            if previous in _DETERMINERS:
                continue
            if word not in _IRREGULAR_VERBS and not (
                len(word) >= 5 and word.endswith("ed") and word not in _NOT_VERBS_ED
            ):
                continue
        slots[term] = VerbSlot(i, is_passive(words, i))
    return slots


def role(entity_index: int, after_by: bool, verb: VerbSlot) -> str:
    """The entity's role relative to ``verb``: "by X" is the agent; otherwise position, swapped in the passive."""
    if after_by:
        return AGENT
    before = entity_index < verb.index
    if verb.passive:
        return PATIENT if before else AGENT
    return AGENT if before else PATIENT


def roles_disagree(
    verbs_a: dict[str, VerbSlot],
    entities_a: dict[str, tuple[int, bool]],
    verbs_b: dict[str, VerbSlot],
    entities_b: dict[str, tuple[int, bool]],
) -> bool:
    """True when some entity of both claims is agent in one and patient in the other of a shared verb."""
    shared_verbs = verbs_a.keys() & verbs_b.keys()
    if not shared_verbs:
        return False
    shared_entities = entities_a.keys() & entities_b.keys()
    for verb in shared_verbs:
        for entity in shared_entities:
            index_a, by_a = entities_a[entity]
            index_b, by_b = entities_b[entity]
            if index_a == verbs_a[verb].index or index_b == verbs_b[verb].index:
                continue  # the "verb" is the name itself
            if role(index_a, by_a, verbs_a[verb]) != role(index_b, by_b, verbs_b[verb]):
                return True
    return False
