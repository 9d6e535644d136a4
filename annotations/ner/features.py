"""What the tagger knows about a token: the feature templates, shared by training and tagging.

Why everything hangs off a small per-token *key* ``(word, flags, evidence, gazetteer
tags)``: every static feature of a token position is a function of the keys around
it, so the tagger can cache the summed weights per key and tag at dict-lookup speed,
and training calls the very same functions, so the two can never drift apart.

Case is the strongest clue to a name in English and the least reliable one in
headings ("Rebels Seize Strategic Homs") and shouted lines ("HOMS,— Syrian …"). A
line that is a heading, or mostly capitalised, is *truecased* first: each word takes
the casing the same document gives it in ordinary mid-sentence positions, or lower
case when it is a common English word never seen there. The flags tell the model that
the casing was reconstructed, and ``evidence`` tells it how the document writes the
word elsewhere (only capitalised, only lower-case, both, never).

Two kinds of look-ahead a greedy left-to-right tagger lacks are put into the key:

* a gazetteer tag ``ORGRUN`` on the capitalised words of a run that *ends* in an
  organisation word ("Barnett Capital Advisors Inc.", "Yale Law School"), so the
  first word already knows the run is a company, not a person;
* per document, how the word is used across all its mentions (``A:`` entries next to
  the document contexts): after a given name ("Linda Kaplan Thaler"), after a title
  ("Mr. Merrill"), inside an organisation-word run, alone, or first/middle/last in a
  longer capitalised run. These live in the document part of the key, which only the
  token's own (unit) features read, so the tagger's per-key caches stay valid.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import compress, pairwise, repeat
from operator import and_, itemgetter
from typing import Any

from factdesk.annotations.ner.lexicon import Lexicon

# word as seen, flags ("F" first, "H" caps line), casing evidence, gazetteer tags,
# glue ("L"/"R": no space before/after the token, as in "Georgia-Pacific"),
# document contexts (the words around this word's mentions anywhere in the document, "L:in",
# "R:village", and how the document uses the word, "A:fn", "A:orgw"; see ``_usage``)
Key = tuple[str, str, str, tuple[str, ...], str, tuple[str, ...]]
PAD_BEFORE: Key = ("<s>", "", "", (), "", ())
PAD_AFTER: Key = ("</s>", "", "", (), "", ())
MAX_CONTEXTS = 8  # per side, per word and document

_SHAPES: dict[str, str] = {}
# the fields of a word's facts (see ``Lexicon.about``), read at C level
_LOWER, _TAGS, _NAME_LIKE, _OPENS, _WORD = (itemgetter(i) for i in range(5))


def shape(word: str) -> str:
    """Collapsed character classes: "Assad"→"Xx", "U.S."→"X.X.", "HTS"→"X3", "1998"→"d"."""
    found = _SHAPES.get(word)
    if found is not None:
        return found
    out: list[str] = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    result = "".join(out)
    if result == "X":
        result = "X1" if len(word) == 1 else ("X3" if len(word) <= 4 else "X5")
    if len(_SHAPES) < 200_000:
        _SHAPES[word] = result
    return result


class CaseStats:
    """How a document writes each word where case is informative (mid-sentence, ordinary lines).

    ``parent`` lets a corpus-wide table answer for words an article never writes in
    such a position (a heading word that only the other articles use). ``counts`` maps
    each form to how often it was written ("Homs" → 12), ``pairs`` each pair of adjacent
    words ("New York" → 3). The index from lower-cased word to written forms is
    built on first question, because counting runs on every token and questions come
    after all of it. Pairs need no index of their own: both words of every counted pair
    are counted too, so a pair's written forms are found through its words' forms.
    """

    def __init__(self, parent: CaseStats | None = None) -> None:
        self.counts: Counter[str] = Counter()
        self.pairs: Counter[str] = Counter()  # two words joined by a space
        self._variants: dict[str, list[str]] | None = None
        self.parent = parent

    @property
    def variants(self) -> dict[str, list[str]]:
        """Lower-cased word → its written forms ("homs" → ["Homs"])."""
        if self._variants is None:
            variants: dict[str, list[str]] = {}
            for form in self.counts:
                variants.setdefault(form.lower(), []).append(form)
            self._variants = variants
        return self._variants

    def add(self, words: Sequence[str], first: int, caps_line: bool) -> None:
        if caps_line:
            return
        rest = words[first + 1 :]
        alphabetic = [word[0].isalpha() for word in rest]
        self.counts.update(compress(rest, alphabetic))
        self.pairs.update(map(" ".join, compress(pairwise(rest), map(and_, alphabetic, alphabetic[1:]))))
        self._variants = None

    @classmethod
    def merged(cls, tables: Sequence[CaseStats]) -> CaseStats:
        """One table counting everything the given tables counted."""
        out = cls()
        for table in tables:
            out.counts.update(table.counts)
            out.pairs.update(table.pairs)
        return out

    def _forms(self, lowered: str) -> list[str] | None:
        variants = self._variants if self._variants is not None else self.variants
        forms = variants.get(lowered)
        if forms is None and self.parent is not None:
            return self.parent._forms(lowered)
        return forms

    def _best(self, lowered: str) -> str | None:
        table: CaseStats | None = self
        while table is not None:
            forms = table.variants.get(lowered)
            if forms:
                counts = table.counts
                return max(sorted(forms), key=counts.__getitem__)
            table = table.parent
        return None

    def truecase_pair(self, left: str, right: str) -> tuple[str, str] | None:
        """The document's usual casing of two adjacent words ("NEW YORK" → "New", "York"), if it has one.

        The most written form wins; between forms written as often, the first in sorted order.
        """
        lower_left, lower_right = left.lower(), right.lower()
        table: CaseStats | None = self
        while table is not None:
            variants, pairs = table.variants, table.pairs
            forms = [
                pair
                for a in variants.get(lower_left, ())
                for b in variants.get(lower_right, ())
                if (pair := a + " " + b) in pairs
            ]
            if forms:
                first, second = max(sorted(forms), key=pairs.__getitem__).split(" ")
                return first, second
            table = table.parent
        return None

    def evidence(self, lowered: str) -> str:
        forms = self._forms(lowered)
        if not forms:
            return "n"
        lower = lowered in forms
        upper = len(forms) > 1 or not lower
        return "m" if lower and upper else ("l" if lower else "c")

    def truecase(self, word: str, common: frozenset[str]) -> str:
        lowered = word.lower()
        best = self._best(lowered)
        if best is not None:
            return best
        if lowered in common:
            return lowered
        if word.isupper() and len(word) > 4:
            return word.capitalize()
        return word


def first_word(words: Sequence[str]) -> int:
    """Index of the first alphanumeric token (a sentence may open with a quote mark)."""
    for i, word in enumerate(words):
        if word[0].isalnum():
            return i
    return len(words)


def is_caps_line(words: Sequence[str], is_heading: bool, stopwords: frozenset[str]) -> bool:
    """A heading, or a line whose content words are mostly ALL CAPS or (nearly) all Capitalised.

    The bar for Title Case is high because news sentences can be name-dense
    ("Assad left Damascus on Saturday" is three names in four content words).
    """
    if is_heading:
        return True
    content = [w for w in words if len(w) > 1 and w[0].isalpha() and w.lower() not in stopwords]
    if len(content) < 3:
        return False
    if sum(map(str.isupper, content)) >= 0.6 * len(content):
        return True
    return len(content) >= 4 and sum(1 for w in content if w[0].isupper()) >= 0.9 * len(content)


_MEMO_LIMIT = 200_000  # answers a document's truecasing memo keeps before starting afresh (memory stays bounded)


def truecase_sentence(
    words: Sequence[str], caps: bool, stats: CaseStats, lexicon: Lexicon, memo: dict[tuple[str, ...], Any] | None = None
) -> list[str]:
    """The words as the model sees them (``caps``: the line is a caps line, see ``is_caps_line``).

    ``memo`` (one dict per document and ``stats``, which must not change meanwhile) keeps the table's answers:
    a long article asks the same pairs and words again and again (a 10 MB one, 2.6 million questions).
    """
    common = lexicon.common
    n = len(words)
    seen = list(words)
    if caps:
        todo = [i for i, word in enumerate(words) if word[0].isalpha()]
    else:  # only shouted words ("HTS", "U.S.") in an ordinary line
        todo = [i for i, word in enumerate(words) if word.isupper() and len(word) > 1 and word[0].isalpha()]
    if memo is None:
        memo = {}
    elif len(memo) > _MEMO_LIMIT:
        memo.clear()
    memo_get = memo.get
    for i in todo:
        word = words[i]
        # a pair the document writes elsewhere decides first ("NEW YORK" → "New York")
        if i + 1 < n and words[i + 1][0].isalpha():
            question = (word, words[i + 1])
            pair = memo_get(question, memo)  # (the memo itself: "not asked yet", as None is an answer)
            if pair is memo:
                pair = memo[question] = stats.truecase_pair(word, words[i + 1])
            if pair is not None:
                seen[i] = pair[0]
                continue
        if i > 0 and words[i - 1][0].isalpha():
            question = (words[i - 1], word)
            pair = memo_get(question, memo)
            if pair is memo:
                pair = memo[question] = stats.truecase_pair(words[i - 1], word)
            if pair is not None:
                seen[i] = pair[1]
                continue
        cased = memo_get((word,))
        if cased is None:
            cased = memo[word,] = stats.truecase(word, common)
        seen[i] = cased
    return seen


def _document_contexts(
    seen_sentences: Sequence[Sequence[str]],
    lowered_sentences: Sequence[Sequence[str]],
    name_like: Sequence[Sequence[bool]],
) -> dict[str, tuple[str, ...]]:
    """For each capitalised word, the lower-cased words just before ("L:") and after ("R:") its mentions.

    Why: one mention rarely says what a name is, all of them together often do —
    "in Cherating", "to Cherating", "Cherating village" make a place.
    """
    left: dict[str, set[str]] = {}
    right: dict[str, set[str]] = {}
    for seen, lowered, names in zip(seen_sentences, lowered_sentences, name_like, strict=True):
        last = len(seen) - 1
        for i in compress(range(len(seen)), names):
            word = seen[i]
            left.setdefault(word, set()).add(lowered[i - 1] if i else "<s>")
            right.setdefault(word, set()).add(lowered[i + 1] if i < last else "</s>")
    return {
        word: tuple(
            ["L:" + c for c in sorted(left[word])[:MAX_CONTEXTS]]
            + ["R:" + c for c in sorted(right[word])[:MAX_CONTEXTS]]
        )
        for word in left
    }


_RUN_CONNECTORS = frozenset({"of", "and", "&", "for", "the", "de", "du", "la", "-"})


def _org_runs(seen: Sequence[str], gaz: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Add ``ORGRUN`` to the capitalised words before an organisation word in one capitalised run.

    The run may hold connectors between capitalised words ("Bureau of Tourism and
    Travel", "Procter & Gamble Co.", "Georgia-Pacific Corp.").
    """
    out = gaz
    for end, tags in enumerate(gaz):
        if "ORGW" not in tags or not seen[end][:1].isupper():
            continue
        start = end
        while start > 0 and (
            seen[start - 1][:1].isupper()
            or (seen[start - 1] in _RUN_CONNECTORS and start > 1 and seen[start - 2][:1].isupper())
        ):
            start -= 1
        if start == end:
            continue
        if out is gaz:
            out = list(gaz)
        for t in range(start, end):
            if seen[t][:1].isupper():
                out[t] = (*out[t], "ORGRUN")
    return out


def _usage(
    seen_sentences: Sequence[Sequence[str]],
    gazs: Sequence[Sequence[tuple[str, ...]]],
    name_like: Sequence[Sequence[bool]],
    lexicon: Lexicon,
) -> dict[str, tuple[str, ...]]:
    """For each capitalised word, how the document uses it across its mentions (``A:`` flags).

    Why: "Wells" or "Pfizer" alone says little; that the document also writes "Linda
    Kaplan Thaler" (a given name before the word) or "Barnett Capital Advisors Inc." (an
    organisation word after it) says what kind of name it is everywhere else.
    """
    found: dict[str, set[str]] = {}
    titles = lexicon.titles
    for seen, gaz, names in zip(seen_sentences, gazs, name_like, strict=True):
        n = len(seen)
        first = first_word(seen)
        i = 0
        while i < n:
            if not names[i]:
                i += 1
                continue
            j = i
            while j + 1 < n and names[j + 1]:
                j += 1
            organisation = j > i and "ORGW" in gaz[j]
            given = "FIRST" in gaz[i]
            for t in range(i, j + 1):
                flags = found.setdefault(seen[t], set())
                if j == i:
                    if i != first:
                        flags.add("A:solo")
                else:
                    flags.add("A:multi")
                    flags.add("A:last" if t == j else ("A:first" if t == i else "A:mid"))
                if t > i and given and "FIRST" not in gaz[t]:
                    flags.add("A:fn")
                if t > 0 and seen[t - 1] in titles and seen[t] not in titles:
                    flags.add("A:title")
                if organisation and t < j:
                    flags.add("A:orgw")
            i = j + 1
    return {word: tuple(sorted(flags)) for word, flags in found.items()}


_GLUE = {(False, False): "", (True, False): "L", (False, True): "R", (True, True): "LR"}


def document_keys(
    sentences: Sequence[tuple[Sequence[str], Sequence[tuple[int, int]], bool]],
    stats: CaseStats,
    lexicon: Lexicon,
) -> list[tuple[list[Key], list[str]]]:
    """Keys and seen (truecased) words for every sentence ``(words, offsets, caps_line)`` of a document."""
    memo: dict[tuple[str, ...], Any] = {}
    facts = [lexicon.about(truecase_sentence(words, caps, stats, lexicon, memo)) for words, _, caps in sentences]
    seen_sentences = [list(map(_WORD, about)) for about in facts]  # the same text, one object per word
    lowered_sentences = [list(map(_LOWER, about)) for about in facts]
    gazs = [
        _org_runs(seen, lexicon.tag_longer(lowered, list(map(_TAGS, about)), map(_OPENS, about)))
        for seen, lowered, about in zip(seen_sentences, lowered_sentences, facts)  # noqa: B905
    ]
    name_like = [list(map(_NAME_LIKE, about)) for about in facts]  # capitalised and not a stopword
    contexts = _document_contexts(seen_sentences, lowered_sentences, name_like)
    for word, usage in _usage(seen_sentences, gazs, name_like, lexicon).items():
        contexts[word] = contexts.get(word, ()) + usage
    contexts_get = contexts.get
    nothing = repeat(())
    out: list[tuple[list[Key], list[str]]] = []
    evidence: dict[str, str] = {}  # lower-cased word → casing evidence ("n", "m", "l", "c"), never empty
    evidence_get = evidence.get
    for (words, offsets, caps), seen, lowered, gaz in zip(
        sentences, seen_sentences, lowered_sentences, gazs, strict=True
    ):
        touching = [left[1] == right[0] for left, right in pairwise(offsets)]  # no space between i and i + 1
        glue = [_GLUE[pair] for pair in zip([False, *touching], [*touching, False])]  # noqa: B905
        flag = "H" if caps else ""
        flags = [flag] * len(seen)
        first = first_word(words)
        if first < len(seen):
            flags[first] = "F" + flag
        ev = [
            (evidence_get(lw) or evidence.setdefault(lw, stats.evidence(lw))) if word[0].isalpha() else ""
            for word, lw in zip(seen, lowered)  # noqa: B905
        ]
        keys: list[Key] = list(zip(seen, flags, ev, gaz, glue, map(contexts_get, seen, nothing)))  # noqa: B905
        out.append((keys, seen))
    return out


def unit_features(key: Key, lexicon: Lexicon) -> list[str]:
    """Features of the current token alone (the three parts below, which the tagger caches apart)."""
    word, flags, ev, gaz, glue, contexts = key
    lw = word.lower()
    return (
        unit_word_features(word, lexicon)
        + unit_shape_features(shape(word), in_dictionary(lw, lexicon), flags, ev, glue, gaz)
        + unit_context_features(contexts)
    )


def in_dictionary(lowered: str, lexicon: Lexicon) -> str:
    """ "D" for a common English word, "N" otherwise (a feature value)."""
    return "D" if lowered in lexicon.common else "N"


def unit_word_features(word: str, lexicon: Lexicon) -> list[str]:
    """The token's features that depend on its word alone (the same in every document)."""
    lw = word.lower()
    feats = ["b", "w=" + word, "lw=" + lw, "p3=" + lw[:3], "s3=" + lw[-3:], "s4=" + lw[-4:], "s2=" + lw[-2:]]
    if lw in lexicon.stopwords:
        feats.append("stop.sh=" + shape(word))
    if "-" in lw or len(lw) > 12:
        feats.append("len=" + str(min(len(lw), 20)))
    return feats


def unit_shape_features(sh: str, in_dict: str, flags: str, ev: str, glue: str, gaz: tuple[str, ...]) -> list[str]:
    """The token's features of shape, position, casing evidence, glue and gazetteer tags (few combinations)."""
    feats = [
        "sh=" + sh,
        "fl=" + flags,
        "sh.fl=" + sh + flags,
        "ev=" + ev + flags,
        "ev.sh=" + ev + sh + flags,
        "dict=" + in_dict + sh + flags,
        "dict.ev=" + in_dict + ev + flags,
        "glue=" + glue + sh,
    ]
    for tag in gaz:
        feats.append("g=" + tag)
        feats.append("g.sh=" + tag + sh)
        feats.append("g.dict=" + tag + in_dict + flags)
    if not gaz:
        feats.append("g=none" + sh)
    return feats


def unit_context_features(contexts: tuple[str, ...]) -> list[str]:
    """The token's document contexts and usage flags (see ``_document_contexts`` and ``_usage``)."""
    return ["dc=" + context for context in contexts]


NEIGHBOUR_OFFSETS: tuple[str, ...] = ("-2", "-1", "+1", "+2")


def context_features(key: Key, offset: str, lexicon: Lexicon) -> list[str]:
    """Features of a neighbouring token, prefixed by its offset ("-1", "+2" …): its word part and its shape part."""
    word, _flags, ev, gaz, glue, _ = key
    feats = context_word_features(word, offset)
    if offset in ("-1", "+1"):
        feats += context_shape_features(shape(word), in_dictionary(word.lower(), lexicon), ev, glue, gaz, offset)
    return feats


def context_word_features(word: str, offset: str) -> list[str]:
    """A neighbour's features that depend on its word alone."""
    lw = word.lower()
    feats = [offset + "lw=" + lw, offset + "sh=" + shape(word)]
    if offset in ("-1", "+1"):
        feats.append(offset + "w=" + word)
        feats.append(offset + "s3=" + lw[-3:])
    return feats


def context_shape_features(sh: str, in_dict: str, ev: str, glue: str, gaz: tuple[str, ...], offset: str) -> list[str]:
    """An adjacent (±1) neighbour's features of glue, casing evidence and gazetteer tags."""
    feats = [offset + "glue=" + glue + sh, offset + "ev.sh=" + ev + sh + in_dict]
    for tag in gaz:
        feats.append(offset + "g=" + tag)
    return feats


def pair_features(left: Key, right: Key, offset: str) -> list[str]:
    """Bigram features between the current token and one neighbour."""
    return pair_word_features(left[0], right[0], offset)


def pair_word_features(left: str, right: str, offset: str) -> list[str]:
    """Bigram features of two adjacent words (they read the words alone)."""
    return [
        offset + "bi=" + left.lower() + "|" + right.lower(),
        offset + "bs=" + shape(left) + shape(right),
        offset + "lw.sh=" + (left.lower() + "|" + shape(right) if offset == "-" else shape(left) + "|" + right.lower()),
    ]


def history_features(prev: str, prev2: str, key: Key) -> list[str]:
    """Features of the tags already chosen to the left (greedy decoding)."""
    word = key[0]
    return ["t1=" + prev, "t2=" + prev2 + prev, "t1.sh=" + prev + shape(word), "t1.w=" + prev + word.lower()]


def static_features(keys: Sequence[Key], i: int, lexicon: Lexicon) -> list[str]:
    """All features of position ``i`` that do not depend on earlier decisions (training form)."""
    n = len(keys)
    k0 = keys[i]
    km1 = keys[i - 1] if i > 0 else PAD_BEFORE
    km2 = keys[i - 2] if i > 1 else PAD_BEFORE
    kp1 = keys[i + 1] if i + 1 < n else PAD_AFTER
    kp2 = keys[i + 2] if i + 2 < n else PAD_AFTER
    return (
        unit_features(k0, lexicon)
        + context_features(km1, "-1", lexicon)
        + context_features(kp1, "+1", lexicon)
        + context_features(km2, "-2", lexicon)
        + context_features(kp2, "+2", lexicon)
        + pair_features(km1, k0, "-")
        + pair_features(k0, kp1, "+")
    )
