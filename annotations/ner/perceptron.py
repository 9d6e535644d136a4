"""A greedy averaged-perceptron sequence tagger: training, tagging, and its JSON form.

Why our own (and not ``nltk.tag.perceptron``): NLTK's saves pickles and scores every
feature on every call; here the weights are plain JSON (ints, scaled) and tagging sums
*cached* weight vectors per token key (see :mod:`annotations.ner.features`), which is
what makes ≥100k tokens/s possible in pure Python. Training is deterministic: fixed
seed, sorted output, no hash-order dependence.

Labels are BIO over PERSON/ORG/LOC (BILOU scored lower on IE-ER cross-validation:
too little data for its extra classes); decoding is greedy left to right with the one
hard constraint of BIO (``I-X`` only after ``B-X``/``I-X``). The margin between the
best and second-best allowed label is kept as a confidence.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from annotations.ner.features import (
    PAD_AFTER,
    PAD_BEFORE,
    Key,
    context_features,
    history_features,
    pair_features,
    static_features,
    unit_features,
)
from annotations.ner.lexicon import Lexicon

CLASSES: tuple[str, ...] = ("O", "B-PERSON", "I-PERSON", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
SCALE = 100  # weights are stored as integers: round(weight * SCALE)
_CACHE_LIMIT = 300_000


def allowed_after(classes: Sequence[str]) -> dict[str, list[int]]:
    """For each previous label, the class indices BIO allows next."""
    table: dict[str, list[int]] = {}
    for prev in ["<s>", *classes]:
        kind = prev[2:] if prev[:2] in ("B-", "I-") else None
        table[prev] = [i for i, c in enumerate(classes) if not c.startswith("I-") or c[2:] == kind]
    return table


class Tagger:
    """Tags sentences given as key sequences, at dict-lookup speed.

    Every static feature group is a function of few key fields (see the contract in
    :mod:`annotations.ner.features`), so its summed weight vector is cached under just
    those fields and shared across documents: the features of a token (its whole key,
    including the document contexts), of a neighbour (the key without the contexts:
    the same in every document) and of a word pair (the two words). A token then costs
    about seven cached-vector lookups and one C-level sum.
    """

    def __init__(self, classes: Sequence[str], weights: dict[str, list[float]], lexicon: Lexicon) -> None:
        self.classes = tuple(classes)
        self.weights = {feat: tuple(vector) for feat, vector in weights.items()}
        self.lexicon = lexicon
        self.allowed = allowed_after(self.classes)
        self._zero = (0.0,) * len(self.classes)
        self.clear_caches()

    def clear_caches(self) -> None:
        """Forget every cached sum (benchmarks measure cold caches; memory stays bounded)."""
        # key → [unit, context -2, -1, +1, +2] vectors for one token key
        self._token: dict[Key, tuple[tuple[float, ...], ...]] = {}
        self._context: dict[tuple, tuple[float, ...]] = {}  # (offset, key[:5]) → vector
        # (left word, right word) → (right word's "-" pair vector, left word's "+" pair vector)
        self._pair: dict[tuple[str, str], tuple[tuple[float, ...], tuple[float, ...]]] = {}
        self._cache: dict[tuple[str, str, str], tuple[float, ...]] = {}  # (prev, prev2, word) → history

    def _sum(self, feats: list[str]) -> tuple[float, ...]:
        vectors = [v for v in map(self.weights.get, feats) if v is not None]
        if len(vectors) <= 1:
            return vectors[0] if vectors else self._zero
        return tuple(map(sum, zip(*vectors)))  # noqa: B905 — all vectors have one length

    def _context_vector(self, key: Key, offset: str) -> tuple[float, ...]:
        c = (offset, key[:5])
        found = self._context.get(c)
        if found is None:
            if len(self._context) > _CACHE_LIMIT:
                self._context.clear()
            found = self._context[c] = self._sum(context_features(key, offset, self.lexicon))
        return found

    def _token_vectors(self, key: Key) -> tuple[tuple[float, ...], ...]:
        """A token's own vector and its vectors as the -2, -1, +1, +2 neighbour of another."""
        if len(self._token) > _CACHE_LIMIT:
            self._token.clear()
        found = self._token[key] = (
            self._sum(unit_features(key, self.lexicon)),
            self._context_vector(key, "-2"),
            self._context_vector(key, "-1"),
            self._context_vector(key, "+1"),
            self._context_vector(key, "+2"),
        )
        return found

    def _pair_vectors(self, left: Key, right: Key) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """For two adjacent words: the right one's "-" pair vector and the left one's "+" pair vector."""
        if len(self._pair) > _CACHE_LIMIT:
            self._pair.clear()
        found = self._pair[left[0], right[0]] = (
            self._sum(pair_features(left, right, "-")),
            self._sum(pair_features(left, right, "+")),
        )
        return found

    def tag(self, keys: Sequence[Key]) -> tuple[list[str], list[float]]:
        """Greedy BIO labels for one sentence and, per token, the margin of the choice."""
        classes, allowed = self.classes, self.allowed
        token_get, token_fill = self._token.get, self._token_vectors
        pair_get, pair_fill = self._pair.get, self._pair_vectors
        history_cache = self._cache
        history_get = history_cache.get
        padded = [PAD_BEFORE, PAD_BEFORE, *keys, PAD_AFTER, PAD_AFTER]
        vectors = [token_get(k) or token_fill(k) for k in padded]
        words = [k[0] for k in padded]
        # pairs[j]: the pair (j, j+1) — "-" vector of token j+1, "+" vector of token j
        pairs = [
            pair_get((words[j], words[j + 1])) or pair_fill(padded[j], padded[j + 1]) for j in range(1, len(padded) - 2)
        ]
        units = [v[0] for v in vectors]
        as_m2 = [v[1] for v in vectors]
        as_m1 = [v[2] for v in vectors]
        as_p1 = [v[3] for v in vectors]
        as_p2 = [v[4] for v in vectors]
        labels: list[str] = []
        margins: list[float] = []
        prev = prev2 = "<s>"
        for i in range(2, len(padded) - 2):
            c = (prev, prev2, words[i])
            history = history_get(c)
            if history is None:
                if len(history_cache) > _CACHE_LIMIT:
                    history_cache.clear()
                history = history_cache[c] = self._sum(history_features(prev, prev2, padded[i]))
            total = list(
                map(
                    sum,
                    zip(  # noqa: B905 — one length
                        units[i],
                        as_m2[i - 2],
                        as_m1[i - 1],
                        as_p1[i + 1],
                        as_p2[i + 2],
                        pairs[i - 2][0],
                        pairs[i - 1][1],
                        history,
                    ),
                )
            )
            options = allowed[prev]
            best = max(options, key=total.__getitem__)
            ranked = sorted(map(total.__getitem__, options))
            label = classes[best]
            labels.append(label)
            margins.append(ranked[-1] - ranked[-2])
            prev2, prev = prev, label
        return labels, margins


def train(
    sentences: Sequence[tuple[Sequence[Key], Sequence[str | None]]],
    lexicon: Lexicon,
    *,
    epochs: int = 10,
    seed: int = 13,
    classes: Sequence[str] = CLASSES,
) -> dict[str, list[float]]:
    """Averaged perceptron over (keys, gold labels) sentences; returns averaged weights (unscaled).

    A ``None`` gold label (an optional entity) is predicted but never learnt from. The
    history features see the *gold* previous labels while training (they scored 1.5 F1
    points better on IE-ER cross-validation than the model's own guesses).

    Features are numbered once and each class keeps a flat weight list, so scoring a
    token is ``sum(map(weights.__getitem__, ids))`` per class — C-speed loops.
    """
    index = {c: i for i, c in enumerate(classes)}
    allowed = allowed_after(classes)
    size = len(classes)
    ids: dict[str, int] = {}

    def number(feats: list[str]) -> list[int]:
        out = []
        for feat in feats:
            found = ids.get(feat)
            if found is None:
                found = ids[feat] = len(ids)
            out.append(found)
        return out

    static = [[number(static_features(keys, i, lexicon)) for i in range(len(keys))] for keys, _ in sentences]
    gold = [[-1 if label is None else index[label] for label in labels] for _, labels in sentences]
    history_ids: dict[tuple[str, str, Key], list[int]] = {}
    weights: list[list[float]] = [[] for _ in range(size)]
    totals: list[list[float]] = [[] for _ in range(size)]

    def grow() -> None:
        missing = len(ids) - len(weights[0])
        if missing > 0:
            for c in range(size):
                weights[c].extend([0.0] * missing)
                totals[c].extend([0.0] * missing)

    clock = 1
    order = list(range(len(sentences)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for s in order:
            keys = sentences[s][0]
            prev = prev2 = "<s>"
            for i, truth in enumerate(gold[s]):
                hkey = (prev, prev2, keys[i])
                hist = history_ids.get(hkey)
                if hist is None:
                    hist = history_ids[hkey] = number(history_features(prev, prev2, keys[i]))
                grow()
                feats = static[s][i] + hist
                scores = [sum(map(w.__getitem__, feats)) for w in weights]
                guess = max(allowed[prev], key=scores.__getitem__)
                if truth >= 0 and guess != truth:
                    good, bad = weights[truth], weights[guess]
                    good_total, bad_total = totals[truth], totals[guess]
                    for f in feats:
                        good[f] += 1.0
                        bad[f] -= 1.0
                        good_total[f] += clock
                        bad_total[f] -= clock
                clock += 1
                prev2, prev = prev, classes[truth if truth >= 0 else guess]
    averaged: dict[str, list[float]] = {}
    for feat, f in ids.items():
        vector = [weights[c][f] - totals[c][f] / clock for c in range(size)]
        if any(vector):
            averaged[feat] = vector
    return averaged


def to_json(weights: dict[str, list[float]], *, prune: float = 0.0, classes: Sequence[str] = CLASSES) -> dict:
    """Integer-scaled, pruned, key-sorted weights: the form stored in ``ner_model.json.gz``."""
    stored: dict[str, list[int]] = {}
    for feat in sorted(weights):
        scaled = [round(w * SCALE) for w in weights[feat]]
        if max(abs(v) for v in scaled) > prune * SCALE:
            stored[feat] = scaled
    return {"version": 1, "classes": list(classes), "scale": SCALE, "weights": stored}


def from_json(data: dict, lexicon: Lexicon) -> Tagger:
    weights = {feat: [float(v) for v in vector] for feat, vector in data["weights"].items()}
    return Tagger(data["classes"], weights, lexicon)
