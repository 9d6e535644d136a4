"""Which claims in different articles state the same proposition.

Why: a reviewer checking one claim wants every other source that says it too.

Similarity (:func:`similarity`, in [0, 1]): IDF-weighted shared terms — rare shared
words and names count most, "the government" counts little — as the geometric mean
of the cosine and of the overlap with the shorter claim (a short claim restated
inside a long one still scores), plus figures that agree across units ("30 km" /
"20 miles"). Two claims that share fewer than ``MIN_SHARED`` terms are not alike at
all: one name or one word in common is no restatement. The score of a pair
(:func:`pair_score`) is its similarity, halved when a shared name changes role
around a shared verb ("X attacked Y" / "Y attacked X").

Decision (:func:`select`): every candidate pair gets a calibrated score (match_model.py: a
logistic model on features of the pair, mapped so that a score means the same precision on
any corpus; ``bench/match_calibration.py`` fits and measures it), and a pair is a match when
that score reaches ``MATCH_SCORE``. The margin rule (:func:`margin_rule`) is one of the
model's features: the score minus half the mean of the two claims' typical similarities
(their ``HUB_NEIGHBOURS`` best against other articles, counting only pairs that could be
matches at all, see :func:`candidate_floor`) reaches ``MATCH_THRESHOLD``, and each claim is
the other's best in its article — CSLS (cross-domain similarity local scaling) from bilingual
lexicon induction, against sentences that resemble everything. It used to make a match on
its own; on ten-outlet news events three in ten of the pairs only it accepted were right, so
it now weighs as evidence, more in a corpus of few articles (where it was chosen, on the
seeds). The role check (a shared name agent in one claim, patient in the other: the
similarity × ``ROLE_PENALTY``, and the score × ``ROLE_PENALTY``) runs only for the pairs that
would pass.

A claim's terms leave out a publication-date line glued to its start ("date 2024-07-05 …")
and a wire dateline ("LAHAINA, Hawaii (AP) — …", see features.py): every lead of the outlets
that print one would share them.

Measured (2026-12-07, ``../shared/tools/eval_compare.py``): outlet-pair recall / match
precision on the five dev events 0.22 / 0.55 → 0.40 / 0.58 with the calibrated score (means),
→ 0.43 / 0.66 with the margin rule as a feature, the datelines left out and the new pair
features; on three held-out events 0.17 / 0.54 → 0.27 / 0.54 → 0.27 / 0.63; the seeds' gold
set 0.84 fact recall at 0.87 pair precision.

Candidates (:func:`candidates`): the text channel (:func:`candidate_pairs` — see its docstring: an inverted
index over the rarer terms, probed by each claim for the claims at least as long as itself, with bounds that
drop most pairs before their exact similarity is computed) and the figure channel (figure_candidates.py: two
claims giving one figure record, between articles that restate each other ``ARTICLE_SUPPORT`` times). Text
similarity alone made a candidate of a third to two thirds of the outlet pairs that state one gold fact
(``bench/match_coverage.py``); a toll restated in other words ("the death toll has risen to 57" / "hospitals
counted 57 dead") shares the figure and little else. Measured (2026-12-07 12:43 UTC, outlet-pair recall /
match precision as the scorer counts, text channel → both): derna 0.38/0.58 → 0.40/0.58, ian 0.36/0.68 (no
change), maui 0.62/0.78 → 0.62/0.77 (one pair more, judged another fact), odisha 0.57/0.76 → 0.60/0.78, uk
0.21/0.50 → 0.24/0.53; held-out baltimore 0.26/0.65 → 0.27/0.65, crocus 0.34/0.55 (no change), morocco 0.21/0.68
→ 0.23/0.71.

The margin rule's constants were chosen on the seeds' gold set and checked under simulated
recogniser noise (``bench/compare_eval.py --sweep --noise 20``).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate, repeat
from operator import itemgetter
from typing import TypeVar

import numpy as np

from factdesk.annotations.compare.features import Claim, ClaimTable
from factdesk.annotations.compare.figure_candidates import LINK, ONLY, figure_links
from factdesk.annotations.compare.match_model import MatchModel, best_in_article, probabilities, shipped_model
from factdesk.annotations.compare.roles import roles_disagree
from factdesk.annotations.compare.text import term
from factdesk.annotations.model import FigureRecord, Match
from factdesk.annotations.text.units import same_amount

MATCH_THRESHOLD = 0.13  # on the margin: the margin rule's threshold and the candidate floor (see candidate_floor)
MATCH_SCORE = 0.5  # the least calibrated score (see match_model.py) reported as a match; see the module docstring
HUB_NEIGHBOURS = 3
HUB_WEIGHT = 0.5
ROLE_PENALTY = 0.5
MIN_SHARED = 2  # terms two claims must share to be alike at all: one name or one word in common is no restatement
BEST_MODE = "mutual"
# Candidate generation (see candidate_pairs): a term in more than max(MIN_MAX_DF, MAX_DF_FRACTION × claims)
# claims is not indexed, except for the claims that have no indexed term at all: they probe their terms in up to
# FALLBACK_FACTOR times as many claims (a statement carried word for word by dozens of sources). Up to
# LARGE_CORPUS claims the candidates are exact; above it a pair that shares a single indexed term is proposed
# only when that term, plus LARGE_SLACK of the weight the claim could share besides, could make a match, and
# partners are screened by a SIGNATURE_BITS-bit signature of their terms.
LARGE_CORPUS = 5000
LARGE_SLACK = 0.1
MAX_DF_FRACTION = 0.005
MIN_MAX_DF = 40
FALLBACK_FACTOR = 10
SIGNATURE_BITS = 512
# The figure channel (see candidates) pairs claims of two articles only when the articles have this many text
# candidates between them at least (two reports of one event): on the five dev events half to nine in ten of the
# article pairs do; between two unrelated stories of the synthetic bench (bench/compare_speed.py) one in a thousand.
# Without it, two thirds of the synthetic corpus's matches joined two stories that each gave "1,000 people killed";
# with 2, four in ten of the pairs the channel added did.
ARTICLE_SUPPORT = 3

Pair = tuple[int, int, float]  # (earlier claim, later claim, value), claims by position in the table
_AnyPair = TypeVar("_AnyPair", bound="tuple[int, int, float, *tuple[object, ...]]")  # a Pair, maybe with more
_SCORE = itemgetter(2)


def _number_term(value: float | tuple[float, float]) -> str | None:
    high = value[1] if isinstance(value, tuple) else value
    return term(str(int(high)) if float(high).is_integer() else str(high))


def _conversion_bonus(table: ClaimTable, a: Claim, b: Claim) -> float:
    """Squared weight for each figure of ``a`` that ``b`` restates only in another unit."""
    if len(a.units) == 1 and a.units == b.units:
        return 0.0  # one unit on both sides: nothing is restated in another
    bonus = 0.0
    theirs = list(zip(b.measures, b.measure_units, strict=True))
    for mention, unit in zip(a.measures, a.measure_units, strict=True):
        if any(unit == other_unit and same_amount(mention, m) for m, other_unit in theirs):
            continue  # the same figure in the same unit: its words already matched
        if any(unit != other_unit and same_amount(mention, m) for m, other_unit in theirs):  # units.is_conversion
            number_term = _number_term(mention.value)
            weight = table.weight(number_term) if number_term else table.max_idf
            bonus += weight * weight
    return bonus


def similarity(table: ClaimTable, a: Claim, b: Claim, dot: float | None = None) -> float:
    """How much of their weight two claims share, in [0, 1]: figures restated in another unit count, roles not.

    ``dot`` is the summed squared weight of their shared terms, when the caller has it.
    """
    if a.norm == 0.0 or b.norm == 0.0:
        return 0.0
    shared = a.terms & b.terms
    if len(shared) < MIN_SHARED:
        return 0.0
    if dot is None:
        dot = sum(map(table.squared.__getitem__, shared))
    if a.measures and b.measures:
        dot += _conversion_bonus(table, a, b)
    return max(0.0, min(1.0, dot / (math.sqrt(a.norm * b.norm) * min(a.norm, b.norm))))


def roles_differ(table: ClaimTable, a: Claim, b: Claim) -> bool:
    """Whether a name the two claims share is agent in one and patient in the other of a shared verb.

    The second claim's roles are read only when the first has some (most claims have none, and reading them is
    the costly part).
    """
    if a.entity_keys.isdisjoint(b.entity_keys):
        return False
    roles_a = a.roles if a.roles is not None else table.roles(a)
    if not roles_a:
        return False
    roles_b = b.roles if b.roles is not None else table.roles(b)
    return bool(roles_b) and roles_disagree(roles_a, roles_b)


def pair_score(table: ClaimTable, a: Claim, b: Claim) -> float:
    """Similarity of two claims in [0, 1] (see the module docstring), the role penalty included."""
    score = similarity(table, a, b)
    if score > 0.0 and roles_differ(table, a, b):
        score *= ROLE_PENALTY
    return score


def index_ceiling(total: int) -> int:
    """The most claims a term may be in and still be indexed (probed): ``max(MIN_MAX_DF, MAX_DF_FRACTION · total)``."""
    return max(MIN_MAX_DF, int(MAX_DF_FRACTION * total))


def candidate_pairs(
    table: ClaimTable, floor: float | None = None, slack: float | None = None, exact: bool | None = None
) -> list[Pair]:
    """(earlier claim, later claim, similarity) for cross-article pairs whose similarity reaches ``floor``.

    ``floor`` defaults to :func:`candidate_floor`, the least score a match can have.
    Each pair is examined from its shorter claim ``x`` (claims are ranked by norm, and
    every posting list is in rank order, so ``x`` reads only the tail of a list past
    itself). The pair reaches ``floor`` only if its dot product reaches
    ``need = floor · |x| · √(|x|·|y|)``, hence at least ``floor · |x|²``:

    * *prefix* (Bayardo et al., "Scaling up all pairs similarity search"): ``x`` probes
      only its heaviest terms, leaving out the lightest as long as they weigh less than
      ``floor · |x|²`` together — a pair sharing only those cannot pass;
    * *single-term bound*: a partner ``y`` that shares one probed term ``t`` and no
      other can reach at most ``w(t)² + ρ``, where ρ is what ``x`` could share besides
      (its other terms found in more than one claim); as ``need`` grows with ``|y|``, a
      bisection on the posting list's norms cuts the tail where that bound fails.
      Partners past the cut are kept only when they appear in two of ``x``'s lists
      (within the bound of the heaviest they share);
    * the exact dot product (a set intersection of integer term ids) is computed only
      for the partners left, and a pair sharing fewer than ``MIN_SHARED`` terms is dropped.

    Terms in more than :func:`index_ceiling` claims are not probed: they cannot make a
    pair alone, and they are what turns an index back into all pairs (they still count
    in the exact score). A claim with no indexed term at all probes instead its terms in
    up to ``FALLBACK_FACTOR`` times as many claims: otherwise a statement that dozens of
    sources carry word for word — every word of it in more claims than the ceiling —
    would match nothing, though it is the best corroborated of all.

    ``exact`` (the default up to ``LARGE_CORPUS`` claims) returns every such pair that
    shares a probed term, claim by claim as above. Otherwise the same bounds run over
    arrays (array_candidates.py: numpy, imported only then) with three economies
    (``bench/compare_speed.py --check`` measures what they cost): ρ is scaled by
    ``slack`` (``LARGE_SLACK``: 0.1), which drops pairs that pass only by sharing many
    common words besides one rarer term; an unindexed term heavier than the probed
    ones counts as probed; and a partner met through one probe's single-term bound is
    scored only when the claims' term signatures (a bit per term id modulo
    ``SIGNATURE_BITS``) show another term in common — most such partners share the
    probe alone, and a pair needs ``MIN_SHARED`` terms (two terms on one bit can hide
    a pair, rarely).

    Speed: the per-claim steps are C-level ``map``/``bisect``/set operations over the
    claim's few probes, so Python runs a handful of statements per claim rather than
    per partner; each partner left costs one set intersection.
    """
    claims = table.claims
    total = len(claims)
    if floor is None:
        floor = candidate_floor()
    if floor <= 0.0:
        raise ValueError("the floor must be positive: every pair of claims would pass")
    if exact is None:
        exact = total <= LARGE_CORPUS
    if not exact:
        from factdesk.annotations.compare.array_candidates import array_candidate_pairs

        return array_candidate_pairs(table, floor, LARGE_SLACK if slack is None else slack, screen=True)
    if slack is not None and slack != 1.0:
        raise ValueError("the claim-by-claim candidates are exact: slack applies to the scaled ones only")
    max_df = index_ceiling(total)
    squared = table.squared
    weigh = squared.__getitem__
    frequency = table.frequency
    order = sorted(range(total), key=[c.norm for c in claims].__getitem__)
    # What the inner loops read, by rank (position in norm order), so that a partner is one list index away.
    ranked = [claims[i] for i in order]
    r_terms = [tuple(sorted(c.terms)) for c in ranked]  # sorted: heaviest first (see build_table)
    r_sets = [c.terms for c in ranked]
    r_norms = [c.norm + 0.0 for c in ranked]
    r_roots = [math.sqrt(n) for n in r_norms]
    r_articles = [c.article for c in ranked]
    r_measured = [bool(c.measures) for c in ranked]
    indexed = frozenset(t for t, f in enumerate(frequency) if 1 < f <= max_df)
    is_indexed = indexed.__contains__
    listed = frozenset(t for t, f in enumerate(frequency) if 1 < f <= FALLBACK_FACTOR * max_df)
    is_listed = listed.__contains__
    # Posting lists by term id (a list, not a dict: ids are dense), for the terms a claim may probe. Each claim
    # keeps the terms it may probe (its indexed terms, else its listed ones; heaviest first), their posting lists
    # and where it sits in each (the tail past it starts there), aligned: a claim's probes are a prefix of them,
    # so what it reads of them is a slice of each.
    postings: list[list[int]] = [[] for _ in frequency]
    get_postings = postings.__getitem__
    r_indexed: list[list[int]] = []
    r_lists: list[list[list[int]]] = []
    r_lows: list[list[int]] = []
    for rank, sorted_terms in enumerate(r_terms):
        own = list(filter(is_listed, sorted_terms))
        lists = list(map(get_postings, own))
        any(map(list.append, lists, repeat(rank)))  # (C-level appends: list.append returns None)
        if not indexed.isdisjoint(own):
            own = list(filter(is_indexed, own))
            lists = list(map(get_postings, own))
        r_indexed.append(own)
        r_lists.append(lists)
        r_lows.append(list(map(len, lists)))  # (after the append: one past the claim itself)
    get_norm = r_norms.__getitem__
    posting_norms = [list(map(get_norm, plist)) for plist in postings]
    shareable = [w if f > 1 else 0.0 for w, f in zip(squared, frequency, strict=True)]  # not a term of one claim
    found: list[Pair] = []
    # The most that figures restated in another unit can add to a pair's dot product (see _conversion_bonus):
    # max_idf² for each figure of either claim.
    max_bonus = table.max_idf**2 * max((len(c.measures) for c in claims), default=0)

    def score(rank: int, partners: set[int]) -> None:
        """Score the claim at ``rank`` against longer partners (ranks) and keep the pairs reaching ``floor``.

        For a partner ``r`` (never shorter), the score is ``dot / (|x|·√|x|·√|r|)``; figures
        restated in another unit are added by :func:`similarity`, for the few pairs that both have some.
        """
        i, terms, article = order[rank], ranked[rank].terms, r_articles[rank]
        inverse = 1.0 / (r_norms[rank] * r_roots[rank])
        measured = r_measured[rank]
        for r in partners:
            if r_articles[r] == article:
                continue
            shared = terms & r_sets[r]  # (two frozensets: twice as fast as intersecting a tuple)
            if len(shared) < MIN_SHARED:
                continue
            if measured and r_measured[r]:
                j = order[r]
                value = similarity(table, claims[j], claims[i]) if j < i else similarity(table, claims[i], claims[j])
            else:
                value = sum(map(weigh, shared)) * inverse / r_roots[r]
            if value >= floor:
                j = order[r]
                found.append((j, i, min(value, 1.0)) if j < i else (i, j, min(value, 1.0)))

    get_norms, get_shareable = posting_norms.__getitem__, shareable.__getitem__
    for rank, claim in enumerate(ranked):
        norm = r_norms[rank]
        if norm == 0.0:
            continue
        terms = claim.terms
        stop = floor * norm * norm
        # The prefix: the heaviest indexed terms, until what is left could not reach ``floor`` (ids are in order
        # of decreasing weight, so sorting them sorts the terms; a term is taken while the weight left before it,
        # ``rest − cumulative``, is at least ``stop``). What is left counts the claim's unindexed terms found in
        # other claims too: a pair sharing none of the probed terms shares at most that.
        own = r_indexed[rank]
        rest = sum(map(get_shareable, terms))
        taken = 0 if rest < stop else 1 + bisect_right(list(accumulate(map(weigh, own))), rest - stop)
        probes = own[:taken]
        if not probes:
            continue
        lists = r_lists[rank][:taken]
        lows = r_lows[rank][:taken]  # the tail past the claim itself
        weights = list(map(weigh, probes))
        # What a partner sharing one probed term could share besides: the claim's other terms found elsewhere,
        # and figures restated in another unit (only between two claims with figures).
        rho = max(0.0, rest - sum(weights))
        if r_measured[rank]:
            rho += max_bonus
        base = floor * norm * math.sqrt(norm) * (1.0 - 1e-9)  # (a hair low: rounding must not cut a pair)
        norms = list(map(get_norms, probes))
        # Single-term bound: a partner sharing only probe ``t`` needs w(t)² + ρ ≥ need, i.e. a norm of at most
        # ((w(t)² + ρ) / base)²; partners are sorted by norm, so a bisection finds where that stops.
        # (Partners are never shorter than the claim: when even the heaviest probe's bound is under the claim's
        # own norm, no partner passes it, and every cut is where the tail starts.)
        single = ((weights[0] + rho) / base) ** 2 >= norm
        cuts = list(map(bisect_right, norms, [((w + rho) / base) ** 2 for w in weights], lows)) if single else lows
        # A partner first met past the cut of probe i shares nothing heavier: it can reach ρ + the weights from i
        # on at most; it is kept when met again past the cut of a later probe (it shares two probed terms).
        suffixes = list(accumulate(reversed(weights), initial=rho))[:0:-1]
        admits = list(map(bisect_right, norms, [(s / base) ** 2 for s in suffixes], cuts))
        final = probes[-1]
        near: set[int] = set()
        seen: set[int] = set()
        for plist, low, cut, admit, t in zip(lists, lows, cuts, admits, probes, strict=True):
            if cut > low:
                near.update(plist[low:cut])
            if seen:
                near.update(seen.intersection(plist[cut:]))  # met twice: share two probed terms
            if admit > cut and t != final:  # (the last probe's partners cannot be met again)
                seen.update(plist[cut:admit])
        if near:
            score(rank, near)
    return found


def candidates(table: ClaimTable, records: Sequence[FigureRecord] = ()) -> list[Pair]:
    """Every candidate pair of the corpus: the text channel (:func:`candidate_pairs`) and the figure channel.

    The figure channel (figure_candidates.py) adds the pairs of claims in two articles that give one figure of
    one measure (the same or an unstated scope, values within 10 %), which share too few words to be text
    candidates; their value is their similarity all the same (most are under the candidate floor). The links
    it reads are kept in ``table.arrays["figure_links"]`` for the match model's figure features, on every pair.
    """
    pairs = candidate_pairs(table)
    if not records:
        return pairs
    links = figure_links(table, records)
    table.arrays["figure_links"] = links
    if not links:
        return pairs
    size = len(table.claims)
    claims = table.claims
    known = {j * size + i for j, i, _ in pairs}
    # How many text candidates each pair of articles has: the figure channel links claims only between articles
    # that restate each other ARTICLE_SUPPORT times at least (two reports of one event). Two stories that each
    # count "1,000 people killed" share the figure and nothing else.
    stride = (claims[-1].article + 1) if claims else 1
    support = Counter(claims[j].article * stride + claims[i].article for j, i, _ in pairs)
    extra = []
    for key, bits in links.items():
        if bits & LINK and key not in known:
            j, i = divmod(key, size)
            if support[claims[j].article * stride + claims[i].article] < ARTICLE_SUPPORT:
                continue
            extra.append((j, i, similarity(table, claims[j], claims[i])))
            links[key] = bits | ONLY
    return pairs + extra


def text_pairs(pairs: list[Pair], floor: float | None = None) -> list[Pair]:
    """The pairs whose similarity reaches the candidate floor: what a claim's typical similarity (its hub) is
    made of, whichever channel proposed them (a figure-channel pair under the floor is no neighbour)."""
    least = candidate_floor() if floor is None else floor
    return pairs if all(p[2] >= least for p in pairs) else [p for p in pairs if p[2] >= least]


def candidate_floor(threshold: float = MATCH_THRESHOLD) -> float:
    """The least score a match can have: its margin is at most ``score · (1 − HUB_WEIGHT / HUB_NEIGHBOURS)``.

    (The pair is among each claim's ``HUB_NEIGHBOURS`` best, or all of those are
    better: either way each claim's hub is at least ``score / HUB_NEIGHBOURS``.) Pairs
    under it are neither matches nor counted in a claim's typical similarity (its hub).
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
    hub = hub_scores(text_pairs(pairs), size)
    half = HUB_WEIGHT / 2.0
    return [(j, i, score - half * (hub[j] + hub[i])) for j, i, score in pairs]


def best_per_article(pairs: list[_AnyPair], claims: list[Claim], mode: str = BEST_MODE) -> list[_AnyPair]:
    """Keep a pair when it is the best of its claims' pairs into the other claim's article.

    ``mode`` "mutual" needs both claims to prefer each other, "either" one of them,
    "all" keeps every pair. A pair is any tuple that starts (claim, claim, value); it is kept whole.
    """
    if mode == "all":
        return pairs
    articles = [c.article for c in claims]
    stride = max(articles, default=0) + 1  # (claim, article) as one integer key: claim · stride + article
    best: dict[int, float] = {}
    get = best.get
    least = -math.inf
    for pair in pairs:
        j, i, value = pair[0], pair[1], pair[2]
        key = j * stride + articles[i]
        if value > get(key, least):
            best[key] = value
        key = i * stride + articles[j]
        if value > get(key, least):
            best[key] = value
    kept = []
    mutual = mode == "mutual"
    for pair in pairs:
        j, i, value = pair[0], pair[1], pair[2]
        first = value >= best[j * stride + articles[i]]
        second = value >= best[i * stride + articles[j]]
        if (first and second) if mutual else (first or second):
            kept.append(pair)
    return kept


class _RoleMemo(dict):
    """{position in pairs: whether the pair's roles differ}, read once however many rules ask (see roles_differ)."""

    def __init__(self, table: ClaimTable, pairs: list[Pair]) -> None:
        super().__init__()
        self.table = table
        self.pairs = pairs

    def __missing__(self, position: int) -> bool:
        j, i = self.pairs[position][0], self.pairs[position][1]
        claims = self.table.claims
        value = self[position] = roles_differ(self.table, claims[j], claims[i])
        return value


def margin_rule(
    table: ClaimTable,
    pairs: list[Pair],
    threshold: float = MATCH_THRESHOLD,
    hub: list[float] | None = None,
    roles: dict[int, bool] | None = None,
) -> list[int]:
    """Positions in ``pairs`` the margin rule accepts: margin ≥ ``threshold``, each claim the other's best in its
    article (the rule the matcher used alone before the calibrated score; see the module docstring).

    ``hub`` is :func:`hub_scores` of ``pairs`` and ``roles`` a role memo, when the caller has them.
    """
    claims = table.claims
    if hub is None:
        hub = hub_scores(text_pairs(pairs), len(claims))
    differ = _RoleMemo(table, pairs) if roles is None else roles
    half = HUB_WEIGHT / 2.0
    count = len(pairs)
    scores = np.fromiter((p[2] for p in pairs), dtype=float, count=count)
    hubs = np.asarray(hub, dtype=float)
    first = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=count)
    second = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=count)
    corrections = half * (hubs[first] + hubs[second]) if count else np.zeros(0)
    passing = []  # (claim, claim, margin, position)
    # A margin never exceeds its score, and the role penalty only lowers it: only pairs whose margin passes
    # before the penalty are read (one array comparison for all).
    for position in np.nonzero(scores - corrections >= threshold)[0].tolist():
        j, i, score = pairs[position]
        margin = score - float(corrections[position])
        if differ[position]:
            margin = score * ROLE_PENALTY - float(corrections[position])
            if margin < threshold:
                continue
        passing.append((j, i, margin, position))
    return [pair[3] for pair in best_per_article(passing, claims, BEST_MODE)]


def score_pairs(
    table: ClaimTable,
    pairs: list[Pair],
    floor: float = 0.0,
    model: MatchModel | None = None,
    hub: list[float] | None = None,
    roles: dict[int, bool] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(first claims, second claims, calibrated scores, features) of candidate ``pairs`` (see match_model.py).

    Scores under ``floor`` are not exact (the features read pair by pair are skipped where they could not lift a
    pair to it, see match_model.set_features); with ``floor`` 0 every score is. The role check (a shared name
    agent in one claim and patient in the other) runs for the pairs whose score reaches ``floor``: their
    similarity is multiplied by ``ROLE_PENALTY`` and they are scored again, against the same hubs and bests
    (those come from the raw similarities), and their score is then multiplied by ``ROLE_PENALTY`` too. Whether
    the margin rule accepts a pair is one of the features.
    """
    model = model or shipped_model()
    claims = table.claims
    count = len(pairs)
    first = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=count)
    second = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=count)
    scores = np.fromiter((p[2] for p in pairs), dtype=float, count=count)
    hub = hub_scores(text_pairs(pairs), len(claims)) if hub is None else hub
    hubs = np.asarray(hub, dtype=float)
    typical = 0.5 * (hubs[first] + hubs[second]) if count else np.zeros(0)
    best = best_in_article(table, first, second, scores)
    memo = _RoleMemo(table, pairs) if roles is None else roles
    passed = np.zeros(count)
    passed[margin_rule(table, pairs, MATCH_THRESHOLD, hub, memo)] = 1.0
    probs, features = probabilities(table, first, second, scores, typical, best, model, passed, floor)
    checked = np.nonzero(probs >= floor)[0] if floor > 0.0 else np.arange(count)
    differ = [k for k in checked.tolist() if memo[k]]
    if differ:
        at = np.asarray(differ, dtype=np.int64)
        again, changed = probabilities(
            table, first[at], second[at], scores[at] * ROLE_PENALTY, typical[at], best[:, at], model, passed[at], floor
        )
        # (×ROLE_PENALTY once more on the score: the eight judged events hold three such pairs, too few for the
        # model to learn that reversed roles state another proposition; the seeds show they do.)
        probs[at] = again * ROLE_PENALTY
        for name, column in changed.items():
            features[name][at] = column
    return first, second, probs, features


def select(
    table: ClaimTable, pairs: list[Pair], threshold: float = MATCH_SCORE, model: MatchModel | None = None
) -> list[Match]:
    """Matches among scored ``pairs``, in corpus order, each with its calibrated score (see match_model.py).

    A pair is a match when its score reaches ``threshold``. (Whether the margin rule, :func:`margin_rule`,
    accepts it is one of the features the score weighs, no longer a way around it.)
    """
    if not pairs:
        return []
    claims = table.claims
    hub = hub_scores(text_pairs(pairs), len(claims))
    roles = _RoleMemo(table, pairs)
    first, second, probs, _ = score_pairs(table, pairs, threshold, model, hub, roles)
    at = np.nonzero(probs >= threshold)[0]
    kept = sorted(zip(first[at].tolist(), second[at].tolist(), probs[at].tolist(), strict=True))
    return [Match(a=claims[j].ref, b=claims[i].ref, score=min(1.0, max(0.0, score))) for j, i, score in kept]
