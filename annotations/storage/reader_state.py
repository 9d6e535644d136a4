"""The reader's saved position as a checked record: which article and claim each pane shows, which pane has focus.

Why a schema: the position is read back from a file anyone can edit (and merged in from other people's
databases), so it is untrusted input. :meth:`ReaderState.from_json` accepts exactly the shape the reader writes —
``{"panes": [{"article": str | None, "claim": int | None}, ...], "focus": int}`` — and returns ``None`` for
anything else (wrong types, booleans posing as numbers, negative or absurd indexes, too many panes), so a caller
has one thing to check. Unknown extra keys are ignored, so a newer reader's additions do not make an older one
throw the position away.

Whether a well-formed position still fits the corpus is a separate, normal question — an edited article gets a
new id, so its pane's article is simply gone — answered by :meth:`ReaderState.placement`, which never puts one
article in two panes. The same article named by two panes is not damage either (the reader wrote that for a
one-article corpus, or after ``]`` brought one pane onto the other's article): the later pane gets another.

This lives in ``storage`` because the state table is part of the database format, and merging databases
(``Store.absorb``) must be able to refuse a malformed state without reaching up a layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_SAVED_PANES", "PanePosition", "ReaderState"]

#: The reader has at most three panes; a state naming more is not one it wrote.
MAX_SAVED_PANES = 3
#: Ids are short content hashes; anything far longer is not one (and must not be carried around).
MAX_ID_LENGTH = 128
#: No article has this many sentences (a 10 MB article has about 100,000); beyond it an index is garbage.
MAX_SENTENCE_INDEX = 10_000_000


def _is_index(value: object, limit: int) -> bool:
    """A plain non-negative int below ``limit`` (``bool`` is an int to Python, never to us)."""
    return type(value) is int and 0 <= value < limit


@dataclass(frozen=True)
class PanePosition:
    """One pane's place: an article id and the index of the sentence (a claim) under the cursor."""

    article: str | None
    claim: int | None

    @classmethod
    def from_json(cls, data: object) -> PanePosition | None:
        if not isinstance(data, dict):
            return None
        article, claim = data.get("article"), data.get("claim")
        if article is not None and not (isinstance(article, str) and 0 < len(article) <= MAX_ID_LENGTH):
            return None
        if claim is not None and not _is_index(claim, MAX_SENTENCE_INDEX):
            return None
        return cls(article, claim)

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article, "claim": self.claim}


@dataclass(frozen=True)
class ReaderState:
    """The whole saved position: a position per pane (in pane order) and the focused pane."""

    panes: tuple[PanePosition, ...] = ()
    focus: int = 0

    @classmethod
    def from_json(cls, data: object) -> ReaderState | None:
        """The state if ``data`` is one the reader could have written, else ``None`` (never an exception)."""
        if not isinstance(data, dict):
            return None
        raw_panes = data.get("panes", [])
        focus = data.get("focus", 0)
        if not isinstance(raw_panes, list) or len(raw_panes) > MAX_SAVED_PANES:
            return None
        if not _is_index(focus, MAX_SAVED_PANES):
            return None
        panes = tuple(PanePosition.from_json(pane) for pane in raw_panes)
        if any(pane is None for pane in panes):
            return None
        return cls(tuple(pane for pane in panes if pane is not None), focus)

    def to_json(self) -> dict[str, Any]:
        return {"panes": [pane.to_json() for pane in self.panes], "focus": self.focus}

    def placement(self, claims: Sequence[tuple[str, Sequence[int]]], count: int) -> list[tuple[int, int]]:
        """Where ``count`` panes go: ``(article number, claim position)`` each, for a corpus given as
        ``(article id, the sentence indexes of its claims)`` per article.

        A pane keeps its saved article when it is still in the corpus and its saved claim when that is still a claim
        (else the first). A pane without one takes the first article no other pane shows — so a vanished article
        never doubles another pane's — and only a corpus with fewer articles than panes repeats one.
        """
        total = len(claims)
        if total == 0:
            return []
        numbers = {article_id: number for number, (article_id, _) in enumerate(claims)}
        chosen: list[tuple[int, int] | None] = []
        taken: set[int] = set()
        for position in self.panes[:count]:
            number = numbers.get(position.article) if position.article is not None else None
            if number is None or number in taken:
                chosen.append(None)
                continue
            sentences = claims[number][1]
            cursor = next((n for n, index in enumerate(sentences) if index == position.claim), 0)
            chosen.append((number, cursor))
            taken.add(number)
        chosen += [None] * (count - len(chosen))
        free = (number for number in range(total) if number not in taken)
        placed: list[tuple[int, int]] = []
        for pane, spot in enumerate(chosen):
            if spot is None:
                number = next(free, None)
                spot = (number if number is not None else min(pane, total - 1), 0)
            placed.append(spot)
        return placed
