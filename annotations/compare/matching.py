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

Candidates (:func:`candidate_pairs`) — see its docstring: an inverted index over the
rarer terms, probed by each claim for the claims at least as long as itself, with
bounds that drop most pairs before their exact score is computed.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from itertools import chain
from operator import itemgetter

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
# claims is not indexed. Up to LARGE_CORPUS claims the candidates are exact; above it a pair that shares a
# single indexed term is proposed only when that term, plus LARGE_SLACK of the weight the claim could share
# besides, could make a match.
LARGE_CORPUS = 5000
LARGE_SLACK = 0.0
MAX_DF_FRACTION = 0.005
MIN_MAX_DF = 40

Pair = tuple[int, int, float]  # (earlier claim, later claim, value), claims by position in the table
_SCORE = itemgetter(2)


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
        roles_a, roles_b = a.roles or table.roles(a), b.roles or table.roles(b)
        if not roles_a.verbs.keys().isdisjoint(roles_b.verbs) and roles_disagree(
            roles_a.verbs, roles_a.entity_positions, roles_b.verbs, roles_b.entity_positions
        ):
            score *= ROLE_PENALTY
    return max(0.0, min(1.0, score))


def pair_score(table: ClaimTable, a: Claim, b: Claim) -> float:
    """Similarity of two claims in [0, 1] (see the module docstring)."""
    if a.norm == 0.0 or b.norm == 0.0:
        return 0.0
    return _finish(table, a, b, sum(map(table.squared.__getitem__, a.terms & b.terms)))


def candidate_pairs(
    table: ClaimTable, floor: float = CANDIDATE_FLOOR, slack: float | None = None, exact: bool | None = None
) -> list[Pair]:
    """(earlier claim, later claim, exact score) for cross-article pairs scoring at least ``floor``.

    Each pair is examined from its shorter claim ``x`` (claims are ranked by norm, and
    every posting list is in rank order, so ``x`` reads only the tail of a list past
    itself). The pair scores at least ``floor`` only if its dot product reaches
    ``need = floor · |x| · √(|x|·|y|)``, hence at least ``floor · |x|²``:

    * *prefix* (Bayardo et al., "Scaling up all pairs similarity search"): ``x`` probes
      only its heaviest terms, leaving out the lightest as long as they weigh less than
      ``floor · |x|²`` together — a pair sharing only those cannot pass;
    * *single-term bound*: a partner ``y`` that shares one probed term ``t`` and no
      other can reach at most ``w(t)² + ρ``, where ρ is what ``x`` could share besides
      (its other terms found in more than one claim); as ``need`` grows with ``|y|``, a
      bisection on the posting list's norms cuts the tail where that bound fails.
      Partners past the cut are kept only when they appear in two of ``x``'s lists;
    * the exact dot product (a set intersection of integer term ids) is computed only
      for the partners left.

    Terms in more than ``max_df`` claims are never probed: they cannot make a pair
    alone, and they are what turns an index back into all pairs (they still count in
    the exact score).

    ``exact`` (the default up to ``LARGE_CORPUS`` claims; then ``slack`` is 1) returns
    every such pair. Otherwise two economies apply (``bench/compare_speed.py --check``
    measures what they cost: on its 20,000-claim corpus, 99 % of the exact matches are
    still found, and about 1 % others): ρ is scaled by ``slack`` (``LARGE_SLACK``: 0),
    which drops pairs that pass only by sharing many common words besides one rarer
    term; and the single-term bound is taken at
    :func:`strong_floor` — the least score a match can have — rather than ``floor``,
    so that a pair that could only be *weak* (between the two, useful to the hub
    estimate alone) is scored only when it shares two probed terms.
    """
    claims = table.claims
    total = len(claims)
    if exact is None:
        exact = total <= LARGE_CORPUS
    if slack is None:
        slack = 1.0 if exact else LARGE_SLACK
    high_floor = floor if exact else max(floor, strong_floor())
    max_df = max(MIN_MAX_DF, int(MAX_DF_FRACTION * total))
    squared = table.squared
    weigh = squared.__getitem__
    frequency = table.frequency
    order = sorted(range(total), key=[c.norm for c in claims].__getitem__)
    # What the inner loops read, by rank (position in norm order), so that a partner is one list index away.
    # (The term ids as fresh tuples and the norms as fresh floats, made in rank order: a posting list's tail
    # then reads memory in increasing order, and a tuple is a third of a set's size — partners are read from
    # memory, not cache, and that is most of the time spent on them.)
    ranked = [claims[i] for i in order]
    r_terms = [tuple(c.terms) for c in ranked]
    r_norms = [c.norm + 0.0 for c in ranked]
    r_articles = [c.article for c in ranked]
    r_keys = [c.entity_keys for c in ranked]
    r_measured = [bool(c.measures) for c in ranked]
    indexed = frozenset(t for t, f in enumerate(frequency) if 1 < f <= max_df)
    postings: dict[int, list[int]] = {t: [] for t in indexed}
    for rank, terms in enumerate(r_terms):
        for t in indexed.intersection(terms):
            postings[t].append(rank)
    posting_norms = {t: [r_norms[r] for r in plist] for t, plist in postings.items()}
    shareable = [w if f > 1 else 0.0 for w, f in zip(squared, frequency, strict=True)]  # not a term of one claim
    found: list[Pair] = []
    sqrt = math.sqrt

    def score(rank: int, partners: set[int]) -> None:
        """Score the claim at ``rank`` against longer partners (ranks) and keep the pairs reaching ``floor``."""
        i, terms, norm, article = order[rank], ranked[rank].terms, r_norms[rank], r_articles[rank]
        keys, measured = r_keys[rank], r_measured[rank]
        need = floor * norm
        append, articles_, terms_, norms_, keys_, measured_ = (
            found.append,
            r_articles,
            r_terms,
            r_norms,
            r_keys,
            r_measured,
        )
        for r in partners:
            if articles_[r] == article:
                continue
            dot = sum(map(weigh, terms.intersection(terms_[r])))
            root = sqrt(norm * norms_[r])
            if dot < need * root and not (measured and measured_[r]):
                continue
            j = order[r]
            if (measured and measured_[r]) or not keys.isdisjoint(keys_[r]):
                value = (
                    _finish(table, claims[j], claims[i], dot) if j < i else _finish(table, claims[i], claims[j], dot)
                )
            else:  # _finish without figures or names in common; ``norm`` is the shorter one
                value = dot / (root * norm)
                if value > 1.0:
                    value = 1.0
            if value >= floor:
                append((j, i, value) if j < i else (i, j, value))

    pending = []  # (rank, partners that only a weak pair could join, partners already scored)
    for rank, claim in enumerate(ranked):
        terms = claim.terms
        norm = r_norms[rank]
        if norm == 0.0:
            continue
        square = norm * norm
        stop = floor * square
        rest = square
        probes = []
        for t in sorted(terms, key=weigh, reverse=True):
            if rest < stop:
                break
            rest -= squared[t]
            if t in indexed:
                probes.append(t)
        if not probes:
            continue
        probed = sum(map(weigh, probes))
        # What a partner sharing one probed term could share besides: the claim's other terms found elsewhere.
        rho = slack * max(0.0, sum(map(shareable.__getitem__, terms)) - probed) if slack else 0.0
        root = norm * sqrt(norm) * (1.0 - 1e-9)  # (a hair low: rounding must not cut a pair)
        base, base_low = high_floor * root, floor * root
        if r_measured[rank]:
            base = 0.0  # a figure restated in another unit adds to the score: no bound holds
        near: set[int] = set()
        weak: list[list[int]] = []
        seen: set[int] = set()
        twice: set[int] = set()
        suffix = probed + rho  # the most a partner can share from this probe on
        single = True  # whether one term can still make a pair (weights only fall along ``probes``)
        for t in probes:
            plist = postings[t]
            size = len(plist)
            weight = squared[t]
            low = bisect_right(plist, rank)
            if low == size:
                suffix -= weight
                continue
            if not base:
                cut = admit = size
            else:
                pnorms = posting_norms[t]
                cut = low
                if single:
                    limit = (weight + rho) / base_low
                    if limit * limit < norm:
                        single = False  # not even with a partner as short as this claim
                    else:
                        cut_low = bisect_right(pnorms, limit * limit, low)
                        limit = (weight + rho) / base
                        cut = bisect_right(pnorms, limit * limit, low, cut_low)
                        if cut_low > cut:
                            weak.append(plist[cut:cut_low])
                # A partner first met here shares nothing heavier: it can reach ``suffix`` at most.
                limit = suffix / base
                admit = bisect_right(pnorms, limit * limit, cut) if cut < size else cut
            suffix -= weight
            if cut > low:
                near.update(plist[low:cut])
            if cut < size:
                if seen:
                    twice.update(filter(seen.__contains__, plist[cut:]))
                if admit > cut:
                    seen.update(plist[cut:admit])
        if twice:
            near |= twice
        if near:
            score(rank, near)
        if weak:
            pending.append((rank, weak, near))

    if pending:
        # A weak pair only raises the hub of a claim with fewer than HUB_NEIGHBOURS strong pairs, which only
        # lowers margins: it matters to such a claim only if one of its pairs passes the threshold without it.
        strong = strong_floor()
        counts = [0] * total
        for j, i, value in found:
            if value >= strong:
                counts[j] += 1
                counts[i] += 1
        hub = hub_scores(found, total)
        half = HUB_WEIGHT / 2.0
        needy_claims = set()
        for j, i, value in found:
            if value >= strong and value - half * (hub[j] + hub[i]) >= MATCH_THRESHOLD:
                if counts[j] < HUB_NEIGHBOURS:
                    needy_claims.add(j)
                if counts[i] < HUB_NEIGHBOURS:
                    needy_claims.add(i)
        rank_of = {i: rank for rank, i in enumerate(order)} if needy_claims else {}
        needy = {rank_of[i] for i in needy_claims}
        for rank, weak, near in pending:
            partners = (
                set(chain.from_iterable(weak)) if rank in needy else needy.intersection(chain.from_iterable(weak))
            )
            partners.difference_update(near)
            if partners:
                score(rank, partners)
    return found


def strong_floor(threshold: float = MATCH_THRESHOLD) -> float:
    """The least score a match can have: its margin is at most ``score · (1 − HUB_WEIGHT / HUB_NEIGHBOURS)``.

    (The pair is among each claim's ``HUB_NEIGHBOURS`` best, or all of those are
    better: either way each claim's hub is at least ``score / HUB_NEIGHBOURS``.)
    """
    return threshold / (1.0 - HUB_WEIGHT / HUB_NEIGHBOURS)


def hub_scores(pairs: list[Pair], size: int, neighbours: int = HUB_NEIGHBOURS) -> list[float]:
    """Each claim's mean score over its ``neighbours`` best pairs (missing pairs count as 0)."""
    counts = [0] * size
    sums = [0.0] * size
    for j, i, score in sorted(pairs, key=_SCORE, reverse=True):
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
    hub = hub_scores(pairs, len(claims))
    half = HUB_WEIGHT / 2.0
    # A margin never exceeds its score, so only pairs scoring over the threshold are corrected; and a pair under
    # the threshold can never block one over it (it is not the best of either claim), so the best-in-article
    # rule only needs the pairs over the threshold.
    passing = []
    raw = {}
    for j, i, score in pairs:
        if score >= threshold:
            margin = score - half * (hub[j] + hub[i])
            if margin >= threshold:
                passing.append((j, i, margin))
                raw[(j, i)] = score
    kept = best_per_article(passing, claims, mode)
    kept.sort()
    return [Match(a=claims[j].ref, b=claims[i].ref, score=raw[(j, i)]) for j, i, _ in kept]


def find_matches(table: ClaimTable, threshold: float = MATCH_THRESHOLD, mode: str = BEST_MODE) -> list[Match]:
    """Cross-article matches; each unordered pair once, the earlier article's claim as ``a``."""
    return select(table, candidate_pairs(table), threshold, mode)
