"""Which claims in different articles state the same proposition.

Why: a reviewer checking one claim wants every other source that says it too.

Score (:func:`pair_score`, in [0, 1]): IDF-weighted shared terms — rare shared words
and names count most, "the government" counts little — as the geometric mean of the
cosine and of the overlap with the shorter claim (a short claim restated inside a
long one still scores), plus figures that agree across units ("30 km" / "20 miles"),
halved when a shared name changes role around a shared verb ("X attacked Y" / "Y
attacked X").

Decision (:func:`select`): a pair is a match when its *margin* — the score minus
half the mean of the two claims' typical scores (their ``HUB_NEIGHBOURS`` best
scores against other articles) — reaches ``MATCH_THRESHOLD``, and each claim is the
other's best in its article. Why the margin: some sentences (a story's lead, a
sentence listing every place) resemble everything; a raw threshold would link them
to everything, while their margin over their usual similarity stays small. This is
CSLS (cross-domain similarity local scaling) from bilingual lexicon induction. Why
the best-in-article rule: an article states a proposition once; its other sentences
that share words with the claim are context, not restatements.

Scaling: an inverted index from term to claims accumulates the dot products of only
the pairs that share a term; terms found in very many claims (more than ``max_df``)
are left out of the index — they cannot make a pair on their own, and they are what
turns an index back into all pairs. They still count in the exact score of the pairs
the index proposes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from annotations.compare.features import Claim, ClaimTable
from annotations.compare.roles import roles_disagree
from annotations.compare.text import term
from annotations.model import Match
from annotations.units import is_conversion, normalise_unit, same_amount

MATCH_THRESHOLD = 0.12  # on the margin; see the module docstring
CANDIDATE_FLOOR = 0.1  # raw scores below this are never matches and count as 0 in the hub estimate
HUB_NEIGHBOURS = 3
HUB_WEIGHT = 0.5
ROLE_PENALTY = 0.5
BEST_MODE = "mutual"
# Candidate generation (see candidate_pairs): a term in more than max(MIN_MAX_DF, MAX_DF_FRACTION × claims)
# claims is never probed; above LARGE_CORPUS claims the prefixes leave out PREFIX_SHARE_LARGE of the weight.
LARGE_CORPUS = 5000
PREFIX_SHARE_LARGE = 0.5
PREFIX_LIMIT_LARGE = 3
MAX_DF_FRACTION = 0.005
MIN_MAX_DF = 40

Pair = tuple[int, int, float]  # (earlier claim, later claim, value), claims by position in the table


def _number_term(value: float | tuple[float, float]) -> str | None:
    high = value[1] if isinstance(value, tuple) else value
    return term(str(int(high)) if float(high).is_integer() else str(high))


def _conversion_bonus(table: ClaimTable, a: Claim, b: Claim) -> float:
    """Squared weight for each figure of ``a`` that ``b`` restates only in another unit."""
    bonus = 0.0
    for mention in a.measures:
        unit = normalise_unit(mention.unit)
        if any(unit == normalise_unit(m.unit) and same_amount(mention, m) for m in b.measures):
            continue  # the same figure in the same unit: its words already matched
        if any(is_conversion(mention, m) for m in b.measures):
            number_term = _number_term(mention.value)
            weight = table.weight(number_term) if number_term else table.max_idf
            bonus += weight * weight
    return bonus


def _finish(table: ClaimTable, a: Claim, b: Claim, dot: float) -> float:
    """Score from an exact dot product of shared terms: conversions added, role changes penalised."""
    if a.measures and b.measures:
        dot += _conversion_bonus(table, a, b)
    score = dot / (math.sqrt(a.norm * b.norm) * min(a.norm, b.norm))
    if score > 0.0 and not a.entity_keys.isdisjoint(b.entity_keys):
        roles_a, roles_b = table.roles(a), table.roles(b)
        if roles_disagree(roles_a.verbs, roles_a.entity_positions, roles_b.verbs, roles_b.entity_positions):
            score *= ROLE_PENALTY
    return max(0.0, min(1.0, score))


def pair_score(table: ClaimTable, a: Claim, b: Claim) -> float:
    """Similarity of two claims in [0, 1] (see the module docstring)."""
    if a.norm == 0.0 or b.norm == 0.0:
        return 0.0
    idf = table.idf
    return _finish(table, a, b, sum(idf[t] ** 2 for t in a.terms & b.terms))


def _prefixes(
    claims: list[Claim], squared: dict[str, float], frequency: dict[str, int], share: float, limit: int
) -> list[list[str]]:
    """Each claim's rarest terms, up to where the rest weighs less than ``share`` of its squared norm (≤ ``limit``)."""
    prefixes = []
    for claim in claims:
        ordered = sorted(claim.terms, key=lambda t: (frequency[t], t))
        rest = claim.norm * claim.norm
        stop = share * rest
        prefix = []
        for t in ordered:
            if rest < stop or len(prefix) == limit:
                break
            prefix.append(t)
            rest -= squared[t]
        prefixes.append(prefix)
    return prefixes


def candidate_pairs(table: ClaimTable, floor: float = CANDIDATE_FLOOR) -> Iterator[Pair]:
    """(earlier claim, later claim, exact score) for cross-article pairs scoring at least ``floor``.

    Prefix filtering (Bayardo et al., "Scaling up all pairs similarity search"):
    a pair scores at least ``floor`` only if its shorter claim ``x`` shares with the
    other a term of its *prefix* — its rarest terms, leaving out the most frequent ones
    as long as they weigh less than ``floor`` · |x|² together (had the pair shared only
    those, its dot product would fall short of ``floor`` · |x|², the least a passing
    pair needs). So each claim probes the inverted index with its prefix only, and
    keeps the partners at least as long as itself. At scale (``PREFIX_SHARE_LARGE``
    for corpora over ``LARGE_CORPUS`` claims) the prefix is cut shorter, trading a
    little recall of weak pairs for time. Terms in more than ``max_df`` claims are
    never probed: they cannot make a pair alone, and they are what turns an index back
    into all pairs.
    """
    claims = table.claims
    total = len(claims)
    max_df = max(MIN_MAX_DF, int(MAX_DF_FRACTION * total))
    frequency: dict[str, int] = {}
    for claim in claims:
        for t in claim.terms:
            frequency[t] = frequency.get(t, 0) + 1
    squared = {t: w * w for t, w in table.idf.items()}
    if total <= LARGE_CORPUS:
        prefixes = _prefixes(claims, squared, frequency, floor, limit=len(table.idf))
    else:
        prefixes = _prefixes(claims, squared, frequency, PREFIX_SHARE_LARGE, limit=PREFIX_LIMIT_LARGE)
    postings: dict[str, list[int]] = {}
    for i, claim in enumerate(claims):
        for t in claim.terms:
            if 1 < frequency[t] <= max_df:
                postings.setdefault(t, []).append(i)
    articles = [c.article for c in claims]
    norms = [c.norm for c in claims]
    for i, claim in enumerate(claims):
        norm = norms[i]
        if norm == 0.0:
            continue
        found: set[int] = set()
        for t in prefixes[i]:
            plist = postings.get(t)
            if plist:
                found.update(plist)
        terms, article = claim.terms, articles[i]
        for j in found:
            other_norm = norms[j]
            if articles[j] == article or other_norm < norm or (other_norm == norm and j <= i):
                continue  # the pair is examined from its shorter claim only
            other = claims[j]
            dot = sum([squared[t] for t in terms & other.terms])
            if dot < floor * math.sqrt(norm * other_norm) * norm and not (claim.measures and other.measures):
                continue
            first, second = (other, claim) if j < i else (claim, other)
            score = _finish(table, first, second, dot)
            if score >= floor:
                yield (j, i, score) if j < i else (i, j, score)


def hub_scores(pairs: list[Pair], size: int, neighbours: int = HUB_NEIGHBOURS) -> list[float]:
    """Each claim's mean score over its ``neighbours`` best pairs (missing pairs count as 0)."""
    counts = [0] * size
    sums = [0.0] * size
    for j, i, score in sorted(pairs, key=lambda pair: -pair[2]):
        if counts[j] < neighbours:
            counts[j] += 1
            sums[j] += score
        if counts[i] < neighbours:
            counts[i] += 1
            sums[i] += score
    return [total / neighbours for total in sums]


def margins(pairs: list[Pair], size: int) -> list[Pair]:
    """Pairs with their score replaced by the hubness-corrected margin."""
    hub = hub_scores(pairs, size)
    half = HUB_WEIGHT / 2.0
    return [(j, i, score - half * (hub[j] + hub[i])) for j, i, score in pairs]


def best_per_article(pairs: list[Pair], claims: list[Claim], mode: str = BEST_MODE) -> list[Pair]:
    """Keep a pair when it is the best of its claims' pairs into the other claim's article.

    ``mode`` "mutual" needs both claims to prefer each other, "either" one of them,
    "all" keeps every pair.
    """
    if mode == "all":
        return pairs
    best: dict[tuple[int, int], float] = {}
    for j, i, value in pairs:
        for claim, other in ((j, i), (i, j)):
            key = (claim, claims[other].article)
            if value > best.get(key, -math.inf):
                best[key] = value
    kept = []
    for j, i, value in pairs:
        first = value >= best[(j, claims[i].article)]
        second = value >= best[(i, claims[j].article)]
        if (first and second) if mode == "mutual" else (first or second):
            kept.append((j, i, value))
    return kept


def select(
    table: ClaimTable, pairs: list[Pair], threshold: float = MATCH_THRESHOLD, mode: str = BEST_MODE
) -> list[Match]:
    """Matches among scored ``pairs``: margin ≥ ``threshold`` and best in article; score is the raw similarity."""
    claims = table.claims
    raw = {(j, i): score for j, i, score in pairs}
    # A pair under the threshold can never block one over it (it is not the best of either claim), so the
    # best-in-article rule only needs the pairs over the threshold.
    passing = [pair for pair in margins(pairs, len(claims)) if pair[2] >= threshold]
    kept = best_per_article(passing, claims, mode)
    found = [Match(a=claims[j].ref, b=claims[i].ref, score=raw[(j, i)]) for j, i, _ in kept]
    found.sort(key=lambda m: (table.by_ref[m.a], table.by_ref[m.b]))
    return found


def find_matches(table: ClaimTable, threshold: float = MATCH_THRESHOLD, mode: str = BEST_MODE) -> list[Match]:
    """Cross-article matches; each unordered pair once, the earlier article's claim as ``a``."""
    return select(table, list(candidate_pairs(table)), threshold, mode)
