"""A word-level diff of two wordings of one quote: which words one outlet changed, added or dropped.

Why words, not characters: a reviewer asks "did they put different words in her mouth?", and "home"/"house" is one
changed word, not three letters. Words are compared without case or the punctuation around them (one outlet's
"rebuild," is another's "rebuild"), and shown as each outlet wrote them. The plain marking (``[-dropped-]``,
``{+added+}``, ``[~old → new~]``, the wdiff convention plus one for a change) says it without colour, for the
brief and under ``NO_COLOR``; the screen adds the theme's styles on top.

:class:`difflib.SequenceMatcher` over the word lists (stdlib, no junk heuristic: a quote's common words matter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = [
    "DiffKind",
    "DiffPart",
    "differs",
    "marked",
    "normal_words",
    "partial",
    "word_diff",
    "words",
]

DiffKind = Literal["same", "changed", "added", "dropped"]

_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
MARKERS: dict[str, tuple[str, str]] = {"dropped": ("[-", "-]"), "added": ("{+", "+}"), "changed": ("[~", "~]")}
CHANGE_ARROW = " → "
_KINDS: dict[str, DiffKind] = {"equal": "same", "replace": "changed", "insert": "added", "delete": "dropped"}


@dataclass(frozen=True)
class DiffPart:
    """A run of words: ``old`` as the first wording has them, ``new`` as the second ("" on the side without)."""

    kind: DiffKind
    old: str
    new: str

    @property
    def text(self) -> str:
        """The words as shown in the merged line (the second wording's for same words)."""
        return self.new if self.kind != "dropped" else self.old


def words(text: str) -> list[str]:
    """The words of ``text`` as written (whitespace-separated, punctuation attached)."""
    return _WORD.findall(text)


def _normal(word: str) -> str:
    plain = _EDGE_PUNCTUATION.sub("", word.translate(_APOSTROPHES)).casefold()
    return plain or word  # a dash alone stays itself


def normal_words(text: str) -> list[str]:
    """The words as compared: no case, no punctuation around them, one kind of apostrophe."""
    return [_normal(word) for word in words(text)]


def word_diff(first: str, second: str) -> tuple[DiffPart, ...]:
    """``first`` → ``second`` as runs of same, changed, added and dropped words."""
    a, b = words(first), words(second)
    matcher = SequenceMatcher(None, [_normal(w) for w in a], [_normal(w) for w in b], autojunk=False)
    parts: list[DiffPart] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        parts.append(DiffPart(_KINDS[tag], old, new))
    return tuple(parts)


def differs(parts: tuple[DiffPart, ...]) -> bool:
    """Whether the wordings differ in any word (case and punctuation around words do not count)."""
    return any(part.kind != "same" for part in parts)


def partial(parts: tuple[DiffPart, ...]) -> bool:
    """Whether the wordings differ only in how much was quoted: words added or dropped at either end, every word
    in between the same ("catastrophic" in "a catastrophic failure"; one outlet stopping a sentence early)."""
    inner = parts[1:-1]
    return differs(parts) and all(part.kind == "same" for part in inner) and any(p.kind == "same" for p in parts)


def marked(parts: tuple[DiffPart, ...]) -> str:
    """The merged line with plain markers: ``We will rebuild [~homes → houses~] {+quickly+} [-now-]``."""
    out: list[str] = []
    for part in parts:
        if part.kind == "same":
            out.append(part.new)
        elif part.kind == "changed":
            opening, closing = MARKERS["changed"]
            out.append(f"{opening}{part.old}{CHANGE_ARROW}{part.new}{closing}")
        else:
            opening, closing = MARKERS[part.kind]
            out.append(f"{opening}{part.text}{closing}")
    return " ".join(out)
