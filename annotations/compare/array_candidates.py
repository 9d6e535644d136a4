"""Candidate pairs of a large corpus, computed over arrays (numpy) rather than claim by claim.

Why: above ``LARGE_CORPUS`` claims the interpreter's per-claim work in
:func:`annotations.compare.matching.candidate_pairs` was what kept the comparison of
500 articles near its 2-second budget (about 45 µs a claim over 8 probes). The same
bounds, read as whole-array operations, cost a fraction of that; below
``LARGE_CORPUS`` the claim-by-claim loop stays (it is quick there, exact, and the
reference this module is tested against).

What is computed (the vocabulary of matching.py's ``candidate_pairs``): every claim
``x`` probes the indexed terms of its prefix, and each probe ``t`` meets the claims
later in norm order that have ``t`` — one *entry* (x, y, t) per meeting, about
2.4 M for 500 × 40. A pair is scored exactly when

* one of its entries passes the *single-term bound* (``w(t)² + ρ ≥ need``), and —
  when ``screen`` is on — the claims' term signatures show another term in common; or
* it has two entries or more (it shares two probed terms).

The pairs with two entries are found by sorting the entries' pair keys (one C-level
sort), not by a set per claim. The exact score is a look-up of each of ``x``'s
shareable terms among ``y``'s (a binary search in one sorted array of
``rank · V + term`` keys), summed per pair with ``bincount``. Pairs where both claims
have figures go through :func:`matching.similarity` (figures restated in another unit
add to the score), a few thousand calls.

With ``slack = 1`` and ``screen`` off, the result is the exact candidate set (every
cross-article pair sharing a probed term whose similarity reaches the floor); the test
suite holds it to the claim-by-claim loop's. The scaled settings (``LARGE_SLACK``, the
signature screen) are the economies the loop used above ``LARGE_CORPUS``; a pair met
twice is always scored here (the loop also asked that the first meeting's bound
allowed it), so slightly more pairs are kept.
"""

from __future__ import annotations

from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np

from annotations.compare.matching import MIN_SHARED, SIGNATURE_BITS, Pair, index_ceiling, similarity

if TYPE_CHECKING:
    from annotations.compare.features import ClaimTable

_WORDS = SIGNATURE_BITS // 64  # a signature is this many uint64 words
_TERMS = attrgetter("terms")


def _segment_offsets(owner: np.ndarray, count: int) -> np.ndarray:
    """Where each owner's run starts in ``owner`` (sorted), for owners 0 … count (the last is the length)."""
    return np.searchsorted(owner, np.arange(count + 1))


def _exclusive_running_sums(values: np.ndarray, starts_of: np.ndarray) -> tuple[np.ndarray, float]:
    """For each element, the sum of the (non-negative) elements before it in its run (runs start at
    ``starts_of[i]``), and a bound on the rounding error of those sums.

    The sums are differences of one running sum over all runs, whose rounding grows with the corpus (up to
    ``n · ε · total`` for ``n`` additions); the caller widens its prefix test by the bound, because probing a
    term more never loses a pair (it only costs an entry or two), while probing one less could.
    """
    running = np.cumsum(values)
    before_run = np.concatenate(([0.0], running))[starts_of]
    error = 2.0 * (len(values) + 1) * np.finfo(np.float64).eps * (float(running[-1]) if len(running) else 0.0)
    return running - values - before_run, error


def array_candidate_pairs(table: ClaimTable, floor: float, slack: float, screen: bool) -> list[Pair]:
    """(earlier claim, later claim, similarity) for the cross-article pairs found over arrays; see the module doc.

    ``slack`` scales ρ (what a claim could share besides one probe); ``screen`` turns on the signature test for
    pairs met through the single-term bound. The prefix is the scaled one (the claim's heaviest terms, of all
    kinds, up to ``|x|² − floor·|x|²``) when ``screen`` is on, else the exact one (up to ``rest − floor·|x|²``,
    ``rest`` being the weight the claim could share at all).
    """
    claims = table.claims
    total = len(claims)
    if total < 2:
        return []
    max_df = index_ceiling(total)
    frequency = np.asarray(table.frequency, dtype=np.int64)
    squared = np.asarray(table.squared, dtype=np.float64)
    vocabulary_size = len(squared)

    # Claims by rank (stable norm order, as the loop has them); their terms as one (rank, term id) run per claim,
    # heaviest first (term ids are in order of decreasing weight).
    claim_norms = np.fromiter((c.norm for c in claims), np.float64, total)
    order = np.argsort(claim_norms, kind="stable")
    rank_of = np.empty(total, np.int64)
    rank_of[order] = np.arange(total)
    norms = claim_norms[order]
    roots = np.sqrt(norms)
    articles = np.fromiter((c.article for c in claims), np.int64, total)[order]
    figures = np.fromiter((len(c.measures) for c in claims), np.int64, total)[order]
    measured = figures > 0
    lengths = np.fromiter(map(len, map(_TERMS, claims)), np.int64, total)
    flat = np.fromiter(chain.from_iterable(map(_TERMS, claims)), np.int64, int(lengths.sum()))
    flat += np.repeat(rank_of * vocabulary_size, lengths)
    flat.sort()  # (one key per (rank, term): a plain sort, no argsort)
    owners, terms = np.divmod(flat, vocabulary_size)

    weights = squared[terms]
    term_frequency = frequency[terms]
    shareable = term_frequency > 1  # a term of one claim cannot be shared
    rest = np.bincount(owners, weights=np.where(shareable, weights, 0.0), minlength=total)
    stop = floor * norms * norms
    indexed = shareable & (term_frequency <= max_df)

    # The prefix: a term is probed while the weight before it leaves enough to reach the floor.
    if screen:
        before, error = _exclusive_running_sums(weights, _segment_offsets(owners, total)[owners])
        in_prefix = before[indexed] <= (norms * norms - stop)[owners[indexed]] + error
    else:
        own_weights = weights[indexed]
        own_owners = owners[indexed]
        before, error = _exclusive_running_sums(own_weights, _segment_offsets(own_owners, total)[own_owners])
        in_prefix = before <= (rest - stop)[own_owners] + error
    index_terms, index_owners = terms[indexed], owners[indexed]
    probed = in_prefix & (norms[index_owners] > 0.0)
    probe_terms, probe_owners = index_terms[probed], index_owners[probed]
    probe_weights = squared[probe_terms]

    # ρ: what a partner sharing one probe could share besides (the claim's other shareable weight, scaled, and
    # figures restated in another unit); ``base · √|y|`` is the dot product the pair needs.
    probe_total = np.bincount(probe_owners, weights=probe_weights, minlength=total)
    max_bonus = table.max_idf**2 * int(figures.max())
    rho = slack * np.maximum(0.0, rest - probe_total) + np.where(measured, max_bonus, 0.0)
    base = floor * norms * roots * (1.0 - 1e-9)  # (a hair low: rounding must not cut a pair)

    # Posting lists: the indexed (term, rank) entries in term order, ranks ascending within a term. A probe meets
    # the claims after its own place in its term's list: ``met`` entries (prober, partner), ranks as pair keys.
    key_type = np.uint32 if total * total < 2**32 else np.int64  # (a smaller key sorts faster)
    by_term = np.argsort(index_terms, kind="stable")  # (stable: ranks stay ascending within a term)
    posting_ranks = index_owners[by_term].astype(key_type)
    place_of = np.empty_like(by_term)
    place_of[by_term] = np.arange(len(by_term))
    places = place_of[probed]
    list_ends = np.cumsum(np.bincount(index_terms, minlength=vocabulary_size))
    met = list_ends[probe_terms] - places - 1
    ends = np.cumsum(met)
    entries = int(ends[-1]) if len(ends) else 0
    if entries == 0:
        return []
    partners = posting_ranks[np.repeat(places + 1 - ends + met, met) + np.arange(entries)]
    keys = np.repeat(probe_owners.astype(key_type) * key_type(total), met) + partners

    # Single-term bound (the loop's bisection): the partner's norm is at most ((w + ρ) / base)²; ranks are in
    # norm order, so that is a rank limit per probe.
    reach = (probe_weights + rho[probe_owners]) / base[probe_owners]
    limits = np.searchsorted(norms, reach * reach, side="right").astype(key_type)
    strong = partners < np.repeat(limits, met)
    if screen:
        strong_at = np.flatnonzero(strong)
        probes_at = np.searchsorted(ends, strong_at, side="right")
        alike = _another_term_in_common(
            terms[shareable], owners[shareable], total, probe_terms[probes_at], keys[strong_at]
        )
        strong[strong_at[~alike]] = False
    # Pairs met twice: a sort of the other entries' keys puts a pair's meetings side by side.
    others = np.sort(keys[~strong], kind="stable")  # (timsort: each probe's entries are a sorted run already)
    twice = others[1:][others[1:] == others[:-1]]
    wanted = np.sort(np.concatenate((keys[strong], twice)))
    if len(wanted) == 0:
        return []
    wanted = wanted[np.concatenate(([True], wanted[1:] != wanted[:-1]))].astype(np.int64)
    shorter, longer = wanted // total, wanted % total
    cross = articles[shorter] != articles[longer]
    return _scored(
        table,
        order,
        shorter[cross],
        longer[cross],
        total,
        vocabulary_size,
        terms,
        owners,
        shareable,
        squared,
        norms,
        roots,
        figures,
        floor,
    )


def _signatures(terms: np.ndarray, owners: np.ndarray, total: int) -> np.ndarray:
    """Each rank's term signature: bit ``t mod SIGNATURE_BITS`` set for each of its terms, as uint64 words."""
    bits = terms % SIGNATURE_BITS
    flat = np.zeros(total * _WORDS, np.uint64)
    np.bitwise_or.at(flat, owners * _WORDS + bits // 64, np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64)))
    return flat.reshape(total, _WORDS)


def _another_term_in_common(
    terms: np.ndarray, owners: np.ndarray, total: int, probes: np.ndarray, keys: np.ndarray
) -> np.ndarray:
    """Whether the signatures show a term in common besides the probe, for entries (``probes``, pair ``keys``).

    As the loop: the probe's bit is cleared from the prober's signature (with any other term on that bit, which
    can hide a pair, rarely) before the two signatures are compared.
    """
    signatures = _signatures(terms, owners, total)
    keys = keys.astype(np.int64)
    bits = probes % SIGNATURE_BITS
    own = signatures[keys // total]
    own[np.arange(len(keys)), bits // 64] &= ~np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64))
    return (own & signatures[keys % total]).any(axis=1)


def _scored(
    table: ClaimTable,
    order: np.ndarray,
    shorter: np.ndarray,
    longer: np.ndarray,
    total: int,
    vocabulary_size: int,
    terms: np.ndarray,
    owners: np.ndarray,
    shareable: np.ndarray,
    squared: np.ndarray,
    norms: np.ndarray,
    roots: np.ndarray,
    figures: np.ndarray,
    floor: float,
) -> list[Pair]:
    """The pairs (by rank: ``shorter`` and ``longer``) whose exact similarity reaches ``floor``, as claim pairs."""
    share_terms, share_owners = terms[shareable], owners[shareable]
    lookup = share_owners * vocabulary_size + share_terms  # sorted: runs by rank, terms ascending
    offsets = _segment_offsets(share_owners, total)
    counts = offsets[shorter + 1] - offsets[shorter]
    pair_of = np.repeat(np.arange(len(shorter)), counts)
    starts = np.repeat(offsets[shorter] - np.cumsum(counts) + counts, counts)
    asked_terms = share_terms[starts + np.arange(len(pair_of))]
    asked = longer[pair_of] * vocabulary_size + asked_terms
    found_at = np.searchsorted(lookup, asked)
    found_at[found_at == len(lookup)] = 0
    hit = lookup[found_at] == asked
    dots = np.bincount(pair_of[hit], weights=squared[asked_terms[hit]], minlength=len(shorter))
    shared = np.bincount(pair_of[hit], minlength=len(shorter))
    values = dots * (1.0 / (norms[shorter] * roots[shorter])) / roots[longer]
    both = (figures[shorter] > 0) & (figures[longer] > 0)
    plain = (shared >= MIN_SHARED) & (values >= floor) & ~both
    firsts, seconds = order[shorter[plain]], order[longer[plain]]
    low, high = np.minimum(firsts, seconds), np.maximum(firsts, seconds)
    found: list[Pair] = list(zip(low.tolist(), high.tolist(), np.minimum(values[plain], 1.0).tolist(), strict=True))
    # Pairs where both claims have figures: the figures may add (restated in another unit), so matching.py scores
    # them, as the loop does.
    # (Only those that could reach the floor: a figure restated in another unit adds max_idf² at most.)
    most = table.max_idf**2 * np.maximum(figures[shorter], figures[longer])
    both &= (shared >= MIN_SHARED) & (
        (dots + most) * (1.0 / (norms[shorter] * roots[shorter])) / roots[longer] >= floor
    )
    claims = table.claims
    for i, j in zip(order[shorter[both]].tolist(), order[longer[both]].tolist(), strict=True):
        value = similarity(table, claims[j], claims[i]) if j < i else similarity(table, claims[i], claims[j])
        if value >= floor:
            found.append((j, i, min(value, 1.0)) if j < i else (i, j, min(value, 1.0)))
    return found
