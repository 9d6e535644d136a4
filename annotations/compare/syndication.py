"""Which articles are copies of one story: syndicated wire text is one source, not several.

Two outlets running the same AP story agree on every figure because they are the same
text, so counting them as two corroborating sources overstates the evidence. A copy is
recognised from the text itself: articles that share long word-for-word passages.

Method (near-linear in the corpus's words):

* each article's body (its claims and headings; boilerplate such as copyright lines left
  out) becomes lower-cased words, and every run of :data:`SHINGLE` consecutive words a
  *shingle*, kept as a hash;
* an inverted index (one sorted array) maps each shingle to the articles that contain it;
  a shingle found in more than :data:`COMMON` articles (a stock phrase, a sign-off, or a
  story copied very widely) links each holder to the first one only, which bounds the
  pair counting to a constant per shingle;
* for every article pair sharing shingles, the shared positions of the shorter article are
  cut into *passages* (maximal runs of shared shingles) and their words counted;
* a pair is a copy when the shared words cover most of the shorter text
  (:data:`CONTAINMENT`), or when it shares separate long passages (:data:`PASSAGES` of at
  least :data:`PASSAGE_WORDS` words) covering a fair part of it (:data:`PARTIAL`) — one
  shared quote (two outlets quoting the same official) is not a copy. A wire both articles
  credit (``Article.wire`` when the outlet reader provides it) drops the coverage bar but
  keeps the passages: two outlets quoting AP on different content are not copies.

Measured on the five dev events and three held-out ones (2026-12-07): the copies judges
list share 0.34–0.81 of the shorter text in ≥ 2 passages (or ≥ 0.5 in one); no other pair
shares more than 0.09, so the thresholds sit well inside the gap.

Pairs join into groups (union-find), so three copies of one story are one group.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from factdesk.annotations.model import ArticleAnalysis, CopyGroup, CorpusAnalysis

SHINGLE = 8  # words per shingle: long enough that shared shingles mean shared text, not shared phrasing
COMMON = 50  # a shingle in more articles than this links each to the first only (no quadratic pair count)
PASSAGE_WORDS = 12  # a shared run this long is a passage (most of a sentence of identical text)
CONTAINMENT = 0.5  # share of the shorter text's words inside shared shingles that makes a copy on its own
PASSAGES = 2  # separate shared passages that make a copy when they cover at least PARTIAL of the shorter text
PARTIAL = 0.2
WIRE_PASSAGES = 2  # with the same wire credited by both, this many passages suffice whatever they cover

_WORD = re.compile(r"\w+")
_BASE = np.uint64(1_000_003)


@dataclass(frozen=True)
class PairEvidence:
    """What two articles share: long passages and the share of the shorter text they cover."""

    passages: int
    containment: float


def _words(analysis: ArticleAnalysis) -> list[str]:
    """The article's body words, lower-cased (one regex pass over its non-boilerplate sentences)."""
    text = analysis.article.text
    body = " ".join(text[s.start : s.end] for s in analysis.sentences if s.kind != "boilerplate")
    return _WORD.findall(body.lower())


def _shingles(words: Sequence[str]) -> np.ndarray:
    """The hash of every run of :data:`SHINGLE` words, in order: a polynomial over the words' hashes.

    Vectorised (uint64 arithmetic wraps), so a 500-article corpus is hashed in milliseconds.
    """
    count = len(words) - SHINGLE + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    word = np.fromiter(map(hash, words), dtype=np.int64, count=len(words)).view(np.uint64)
    shingles = np.zeros(count, dtype=np.uint64)
    for k in range(SHINGLE):
        shingles = shingles * _BASE + word[k : k + count]
    return shingles


def _evidence(shingles: np.ndarray, other: np.ndarray) -> PairEvidence:
    """Passages of ``shingles`` (one article, in order) found in ``other`` (sorted, distinct), and the words
    they cover."""
    total = len(shingles) + SHINGLE - 1
    if total <= 0 or not len(other) or not len(shingles):
        return PairEvidence(0, 0.0)
    shared = other[np.searchsorted(other, shingles).clip(max=len(other) - 1)] == shingles
    if not shared.any():
        return PairEvidence(0, 0.0)
    edges = np.diff(np.concatenate(([0], shared.astype(np.int8), [0])))
    lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1) + SHINGLE - 1  # words per passage
    return PairEvidence(int(np.count_nonzero(lengths >= PASSAGE_WORDS)), float(lengths.sum()) / total)


def is_copy(evidence: PairEvidence, same_wire: bool = False) -> bool:
    """The decision rule of the module docstring."""
    if evidence.containment >= CONTAINMENT:
        return True
    if evidence.passages >= PASSAGES and evidence.containment >= PARTIAL:
        return True
    return same_wire and evidence.passages >= WIRE_PASSAGES


def _wire(analysis: ArticleAnalysis) -> str | None:
    """The wire the article credits, when the outlet reader found one (``Article.wire``)."""
    wire = getattr(analysis.article, "wire", None)
    return wire.strip().casefold() if isinstance(wire, str) and wire.strip() else None


def _shared_counts(hashes: np.ndarray, owners: np.ndarray, articles: int) -> dict[tuple[int, int], int]:
    """Shared shingles per article pair, from (shingle, article) sorted by shingle with no repeated pair.

    Vectorised by the distance ``d`` between two holders inside one shingle's run: for each ``d`` the
    pairs (holder k, holder k + d) of every run at least that long at once. A run longer than
    :data:`COMMON` pairs each holder with its first only, so the work stays linear.
    """
    if len(hashes) < 2:
        return {}
    starts = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1])))
    lengths = np.diff(np.append(starts, len(hashes)))
    keep = lengths > 1
    starts, lengths = starts[keep], lengths[keep]
    if not len(starts):
        return {}
    run_length = np.repeat(lengths, lengths)  # per element of a shared run: its run's length ...
    run_start = np.repeat(starts, lengths)  # ... and where the run starts
    index = np.arange(len(run_start)) - np.repeat(np.cumsum(lengths) - lengths, lengths) + run_start
    offset = index - run_start  # place inside the run
    keys: list[np.ndarray] = []
    small = run_length <= COMMON
    for d in range(1, int(min(lengths.max(), COMMON))):
        chosen = index[small & (offset + d < run_length)]
        keys.append(owners[chosen] * articles + owners[chosen + d])
    wide = ~small & (offset > 0)
    keys.append(owners[run_start[wide]] * articles + owners[index[wide]])
    found, counts = np.unique(np.concatenate(keys), return_counts=True)
    return {
        (key // articles, key % articles): count for key, count in zip(found.tolist(), counts.tolist(), strict=True)
    }


def copy_pairs(articles: Sequence[ArticleAnalysis]) -> dict[tuple[int, int], PairEvidence]:
    """Every pair of articles (indices, smaller first) that are copies, with their evidence."""
    shingled = [_shingles(_words(a)) for a in articles]
    if not shingled:
        return {}
    # One sorted array of (shingle, article); runs of one shingle are the articles that share it. Most runs
    # are one article long, so only the few shared shingles reach the Python loop.
    hashes = np.concatenate(shingled)
    if not hashes.size:
        return {}  # every article shorter than a shingle: nothing to share (and no first element to compare)
    owners = np.repeat(np.arange(len(shingled)), [len(s) for s in shingled])
    order = np.argsort(hashes, kind="stable")  # stable: a run lists its articles in corpus order, repeats adjacent
    hashes, owners = hashes[order], owners[order]
    distinct = np.concatenate(([True], (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])))
    hashes, owners = hashes[distinct], owners[distinct]  # a shingle repeated inside one article counts once
    shared = _shared_counts(hashes, owners, len(shingled))
    wires = [_wire(a) for a in articles]
    pairs: dict[tuple[int, int], PairEvidence] = {}
    sorted_: dict[int, np.ndarray] = {}  # an article's distinct shingles, sorted, made when first compared
    for (i, j), count in shared.items():
        if count < PASSAGE_WORDS - SHINGLE + 1:
            continue  # not even one passage's worth of shared shingles
        shorter, longer = (i, j) if len(shingled[i]) <= len(shingled[j]) else (j, i)
        if longer not in sorted_:
            sorted_[longer] = np.unique(shingled[longer])
        evidence = _evidence(shingled[shorter], sorted_[longer])
        if is_copy(evidence, wires[i] is not None and wires[i] == wires[j]):
            pairs[(i, j)] = evidence
    return pairs


def copy_groups(analysis: CorpusAnalysis) -> tuple[CopyGroup, ...]:
    """The corpus's copy groups (two or more articles each), in corpus order."""
    articles = analysis.articles
    pairs = copy_pairs(articles)
    parent = list(range(len(articles)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        parent[find(j)] = find(i)
    members: dict[int, list[int]] = defaultdict(list)
    for position in range(len(articles)):
        members[find(position)].append(position)
    passages: dict[int, int] = {}
    for (i, _), evidence in pairs.items():
        root = find(i)
        passages[root] = min(passages.get(root, evidence.passages), evidence.passages)
    groups = []
    for root, positions in sorted(members.items(), key=lambda item: item[1][0]):
        if len(positions) < 2:
            continue
        wires = {_wire(articles[p]) for p in positions}
        wire = getattr(articles[positions[0]].article, "wire", None) if len(wires) == 1 and None not in wires else None
        groups.append(
            CopyGroup(
                articles=tuple(articles[p].article.id for p in positions),
                shared_passages=max(1, passages.get(root, 1)),
                wire=wire,
            )
        )
    return tuple(groups)


class Independence:
    """Article id → the id of its copy group's first article: what counts as one independent source."""

    def __init__(self, groups: Sequence[CopyGroup]) -> None:
        self._leader = {article: group.articles[0] for group in groups for article in group.articles}
        self._group = {article: group for group in groups for article in group.articles}

    def key(self, article: str) -> str:
        """The same key for copies of one story; an article's own id otherwise."""
        return self._leader.get(article, article)

    def group(self, article: str) -> CopyGroup | None:
        return self._group.get(article)

    def count(self, articles: Sequence[str] | set[str]) -> int:
        """How many independent sources these articles are (a copy group counts once)."""
        return len({self.key(a) for a in articles})
