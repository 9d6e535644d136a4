"""One name, one label, everywhere: the cross-mention (and cross-article) consistency pass.

Why: a reader who sees "Homs" highlighted in one paragraph and plain in the next
stops trusting the highlighting. A greedy tagger decides each mention alone, so after
tagging the whole corpus we

1. count, for each name (its token sequence as the model saw it), the labels it got;
   a full PERSON name also votes PERSON for its last name ("Bashar al-Assad" →
   "Assad", "al-Assad"), a longer ORG name votes ORG for its distinctive first word
   ("Merrill Lynch & Co." → "Merrill"), and an acronym in brackets right after a name votes for that
   name's label when it is made of the name's initials ("Hayat Tahrir al-Sham (HTS)" → "HTS");
2. relabel every mention of a name to the name's majority label;
3. tag the untagged occurrences of a name — but only names that are *trusted*:
   voted for at least twice or tagged once with a clear margin, not a stopword, and,
   if the lower-cased name is a common English word ("Turkey", "Reading"), voted for
   at least twice. Occurrences must match case-sensitively (in truecased form), so a
   trusted "Turkey" never spreads to "turkey".

An error can still spread, but only one the model made twice or confidently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from factdesk.annotations.ner.document import Mention, TaggedDocument
from factdesk.annotations.ner.lexicon import Lexicon
from factdesk.annotations.ner.spans import join_abbreviated_places

# Margin (in stored weight units, see perceptron.SCALE) above which one mention is enough.
CONFIDENT_MARGIN = 800.0
# A last name of a recognised full PERSON name outvotes the model's own labels of the
# lone word: "Assad regime", "Assad’s forces" read like organisations to a model trained
# on 1998 newswire, but once "Bashar al-Assad" is a person, "Assad" is that person.
SURNAME_WEIGHT = 100.0
_PROPAGATED_LABELS = frozenset({"PERSON", "ORG", "LOC"})
# "X County", "X Island", "X Province" is a place named X: the bare "X" elsewhere in the corpus is that place
# (a model trained on 1998 newswire reads many such names as companies). Below SURNAME_WEIGHT: a full
# PERSON name ending in X still makes a bare "X" that person.
AREA_WEIGHT = 50.0
_AREA_HEADS = frozenset({"County", "Island", "Province", "Parish", "Oblast", "Governorate", "Prefecture", "Bazar"})


def _last_names(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """("Bashar", "al", "-", "Assad") → [("Assad",), ("al", "-", "Assad")]."""
    if len(tokens) < 2:
        return []
    last = tokens[-1]
    if not last[:1].isupper() or len(last) < 3:
        return []
    out: list[tuple[str, ...]] = [(last,)]
    if len(tokens) >= 4 and tokens[-2] == "-" and tokens[-3].lower() in ("al", "el"):
        out.append(tokens[-3:])
    return out


def _org_short_names(
    tokens: tuple[str, ...], tags: Sequence[tuple[str, ...]], lexicon: Lexicon
) -> list[tuple[str, ...]]:
    """("Merrill", "Lynch", "&", "Co.") → [("Merrill",)]: the distinctive first word of an organisation.

    Skipped when that word is a common word, a nationality or a place ("American
    University", "New York Stock Exchange").
    """
    if len(tokens) < 2:
        return []
    first = tokens[0]
    lowered = first.lower()
    if len(first) < 3 or not first[:1].isupper() or lowered in lexicon.common or lowered in lexicon.norp:
        return []
    if any(tag.endswith(("CTRY", "CITY")) for tag in tags[0]):
        return []
    return [(first,)]


def _votes(
    docs: Sequence[TaggedDocument], lexicon: Lexicon
) -> tuple[dict[tuple[str, ...], dict[str, float]], dict[tuple[str, ...], float]]:
    votes: dict[tuple[str, ...], dict[str, float]] = {}
    best: dict[tuple[str, ...], float] = {}

    def vote(name: tuple[str, ...], label: str, confidence: float, weight: float = 1.0) -> None:
        counts = votes.setdefault(name, {})
        counts[label] = counts.get(label, 0.0) + weight
        best[name] = max(best.get(name, 0.0), confidence)

    for doc in docs:
        for m in doc.mentions:
            if m.label not in _PROPAGATED_LABELS:
                continue
            tokens = doc.seen_tokens(m)
            vote(tokens, m.label, m.confidence)
            if m.label == "PERSON":
                for last in _last_names(tokens):
                    vote(last, "PERSON", m.confidence, SURNAME_WEIGHT)
            elif m.label == "LOC" and len(tokens) >= 2 and tokens[-1] in _AREA_HEADS:
                vote(tokens[:-1], "LOC", m.confidence, AREA_WEIGHT)
            elif m.label == "ORG":
                tags = [key[3] for key in doc.sentences[m.sent].keys[m.i : m.j]]
                for short in _org_short_names(tokens, tags, lexicon):
                    vote(short, "ORG", m.confidence)
            s = doc.sentences[m.sent]
            j = m.j
            if j + 2 < len(s.seen) and s.seen[j] == "(" and s.seen[j + 2] == ")":
                acronym = s.seen[j + 1]
                if acronym.isupper() and 2 <= len(acronym) <= 6 and acronym in _initials(tokens):
                    vote((acronym,), m.label, m.confidence)
    return votes, best


def _initials(tokens: tuple[str, ...]) -> tuple[str, str]:
    """Initials of the capitalised words, and of all words: "Hayat Tahrir al-Sham" → ("HTS", "HTAS")."""
    words = [t for t in tokens if t[:1].isalpha()]
    return "".join(t[0] for t in words if t[0].isupper()), "".join(t[0].upper() for t in words)


def _majority(counts: dict[str, float]) -> str:
    return max(sorted(counts), key=counts.__getitem__)


def _trusted(name: tuple[str, ...], counts: dict[str, float], confidence: float, lexicon: Lexicon) -> bool:
    total = sum(counts.values())
    joined = " ".join(name).lower()
    if joined in lexicon.stopwords or not name[0][:1].isupper() or len(joined) < 2:
        return False
    if len(name) == 1 and joined in lexicon.common:
        return total >= 2
    return total >= 2 or confidence >= CONFIDENT_MARGIN


def propagate(docs: Sequence[TaggedDocument], lexicon: Lexicon) -> None:
    """Relabel and extend ``doc.mentions`` in place across all documents."""
    votes, best = _votes(docs, lexicon)
    labels, trusted, by_first = corpus_labels(votes, best, lexicon)
    for doc in docs:
        apply_labels(doc, labels, trusted, by_first, lexicon)


def document_votes(
    doc: TaggedDocument, lexicon: Lexicon
) -> tuple[dict[tuple[str, ...], dict[str, float]], dict[tuple[str, ...], float]]:
    """One document's votes: the corpus's votes are their sums (weights are whole numbers, so the order of the
    additions cannot change a total) and its best confidences their maxima (see the per-article pipeline)."""
    return _votes([doc], lexicon)


Labels = Mapping[tuple[str, ...], str]
FirstWords = Mapping[str, list[int]]


def corpus_labels(
    votes: dict[tuple[str, ...], dict[str, float]], best: dict[tuple[str, ...], float], lexicon: Lexicon
) -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str], dict[str, list[int]]]:
    """Each name's majority label, the trusted names' labels, and the trusted names' lengths by first word."""
    labels = {name: _majority(counts) for name, counts in votes.items()}
    trusted = {name: labels[name] for name, counts in votes.items() if _trusted(name, counts, best[name], lexicon)}
    # The lengths of the trusted names that start with a word, longest first: at a place, a name of each length
    # is one look-up of the words there (thousands of names can share a first word: "Abu …", "General …").
    by_first: dict[str, list[int]] = {}
    for size, first in sorted({(len(name), name[0]) for name in trusted}, reverse=True):
        by_first.setdefault(first, []).append(size)
    return labels, trusted, by_first


def apply_labels(doc: TaggedDocument, labels: Labels, trusted: Labels, by_first: FirstWords, lexicon: Lexicon) -> None:
    """Relabel and extend one document's mentions from the corpus's tables.

    Reads the tables only through ``get``, ``in`` and ``[]`` (the per-article pipeline records those questions to
    know when a changed corpus changes this document's answer).
    """
    for m in doc.mentions:
        if m.label in _PROPAGATED_LABELS:
            m.label = labels.get(doc.seen_tokens(m), m.label)
    covered = [[False] * len(s.seen) for s in doc.sentences]
    for m in doc.mentions:
        for t in range(m.i, m.j):
            covered[m.sent][t] = True
    added: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        seen = s.seen
        resume = 0  # a name just added ends here
        starts = [t for t, word in enumerate(seen) if word in by_first and not covered[index][t]]
        for t in starts:
            if t < resume:
                continue
            hit = None
            for size in by_first[seen[t]]:
                end = t + size
                name = tuple(seen[t:end])
                if len(name) == size and name in trusted and not any(covered[index][t:end]):
                    # a name glued to a longer capitalised run ("Homs" in "Homs Province Council") is left alone;
                    # a title is no part of a name ("Sir" + "Keir Starmer", "Ohio" + "Chief Secretary")
                    if (
                        end < len(seen)
                        and seen[end][:1].isupper()
                        and s.offsets[end][0] - s.offsets[end - 1][1] <= 1
                        and seen[end] not in lexicon.titles
                    ):
                        continue
                    before = seen[t - 1] if t else ""
                    if (
                        before[:1].isupper()
                        and before.lower() not in lexicon.stopwords
                        and before not in lexicon.titles
                    ):
                        continue
                    hit = name
                    break
            if hit is None:
                continue
            added.append(Mention(index, t, t + len(hit), trusted[hit], 0.0, "propagated"))
            resume = t + len(hit)
    doc.mentions.extend(added)
    join_abbreviated_places(doc)  # a propagated "District Court" after "U.S."
