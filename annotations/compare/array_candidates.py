"""Candidate pairs of a large corpus, computed over arrays (numpy) rather than claim by claim.

Why: above ``LARGE_CORPUS`` claims the interpreter's per-claim work in
:func:`factdesk.annotations.compare.matching.candidate_pairs` was what kept the comparison of
500 articles near its 2-second budget (about 45 µs a claim over 8 probes). The same
bounds, read as whole-array operations, cost a fraction of that; below
``LARGE_CORPUS`` the claim-by-claim loop stays (it is quick there, exact, and the
reference this module is tested against).

What is computed (the vocabulary of matching.py's ``candidate_pairs``): every claim
``x`` probes the indexed terms of its prefix (or, having none, its listed ones: see
``FALLBACK_FACTOR``), and each probe ``t`` meets the claims later in norm order that
have ``t`` — one *entry* (x, y, t) per meeting, about 2.4 M for 500 × 40, made and
sifted a chunk of probers at a time (``CHUNK_ENTRIES``). A pair is scored exactly when

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
signature screen) are the economies used above ``LARGE_CORPUS``. Unlike the loop, a
pair met twice is always scored here (the loop also asks that the first meeting's
bound allows it), so slightly more pairs are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, pairwise
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np

from factdesk.annotations.compare.matching import (
    FALLBACK_FACTOR,
    MIN_SHARED,
    SIGNATURE_BITS,
    Pair,
    index_ceiling,
    similarity,
)

if TYPE_CHECKING:
    from factdesk.annotations.compare.features import ClaimTable

_WORDS = SIGNATURE_BITS // 64  # a signature is this many uint64 words
_TERMS = attrgetter("terms")
# Entries are made and sifted this many at a time (at most; a prober's entries stay together, since the pairs met
# twice are found within one prober's entries): memory stays bounded whatever the corpus's size.
CHUNK_ENTRIES = 1 << 18
SIGNATURE_SLICE = 1 << 15  # entries whose signatures are compared at once (see _another_term_in_common)
SCORED_TERMS = 1 << 17  # terms looked up at once when pairs are scored (see _shared)


@dataclass(frozen=True)
class _Ranked:
    """The claims as arrays, by rank (stable norm order, as the loop ranks them).

    ``terms``/``owners``: every (rank, term id) of the corpus, one run per rank, heaviest term first (ids are in
    order of decreasing weight); ``lookup`` the shareable ones as sorted ``rank · vocabulary + term`` keys, with
    ``offsets`` where each rank's run starts.
    """

    total: int
    vocabulary: int
    order: np.ndarray  # rank -> claim index
    norms: np.ndarray
    roots: np.ndarray
    articles: np.ndarray
    figures: np.ndarray  # how many measures each claim has
    terms: np.ndarray
    owners: np.ndarray
    shareable: np.ndarray  # per (rank, term): the term is in another claim too
    listed: np.ndarray  # per (rank, term): the term has a posting list (it may be probed by some claim)
    own: np.ndarray  # per (rank, term): the claim may probe the term (see matching.py's FALLBACK_FACTOR)
    squared: np.ndarray  # term id -> weight²
    share_terms: np.ndarray
    lookup: np.ndarray
    offsets: np.ndarray


def _ranked(table: ClaimTable) -> _Ranked:
    claims = table.claims
    total = len(claims)
    squared = np.asarray(table.squared, dtype=np.float64)
    vocabulary = len(squared)
    claim_norms = np.fromiter((c.norm for c in claims), np.float64, total)
    order = np.argsort(claim_norms, kind="stable")
    rank_of = np.empty(total, np.int64)
    rank_of[order] = np.arange(total)
    norms = claim_norms[order]
    lengths = np.fromiter(map(len, map(_TERMS, claims)), np.int64, total)
    flat = np.fromiter(chain.from_iterable(map(_TERMS, claims)), np.int64, int(lengths.sum()))
    flat += np.repeat(rank_of * vocabulary, lengths)
    flat.sort()  # (one key per (rank, term): a plain sort, no argsort)
    owners, terms = np.divmod(flat, vocabulary)
    frequency = np.asarray(table.frequency, dtype=np.int64)[terms]
    shareable = frequency > 1  # a term of one claim cannot be shared
    ceiling = index_ceiling(total)
    indexed = shareable & (frequency <= ceiling)
    listed = shareable & (frequency <= FALLBACK_FACTOR * ceiling)
    # A claim probes its indexed terms; one with none probes its listed terms instead.
    without_indexed = np.bincount(owners[indexed], minlength=total) == 0
    own = indexed | (listed & without_indexed[owners])
    share_owners = owners[shareable]
    return _Ranked(
        total=total,
        vocabulary=vocabulary,
        order=order,
        norms=norms,
        roots=np.sqrt(norms),
        articles=np.fromiter((c.article for c in claims), np.int64, total)[order],
        figures=np.fromiter((len(c.measures) for c in claims), np.int64, total)[order],
        terms=terms,
        owners=owners,
        shareable=shareable,
        listed=listed,
        own=own,
        squared=squared,
        share_terms=terms[shareable],
        lookup=flat[shareable],
        offsets=_segment_offsets(share_owners, total),
    )


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
    if len(table.claims) < 2:
        return []
    ranked = _ranked(table)
    total = ranked.total
    probed, limits = _probes(table, ranked, floor, slack, screen)
    # Posting lists: the listed (term, rank) entries in term order, ranks ascending within a term. A probe meets
    # the claims after its own place in its term's list: ``met`` entries (prober, partner).
    index_terms, index_owners = ranked.terms[ranked.listed], ranked.owners[ranked.listed]
    probed = probed[ranked.listed]  # (probes are listed terms: their place among the posting entries)
    probe_terms, probe_owners = index_terms[probed], index_owners[probed]
    by_term = np.argsort(index_terms, kind="stable")  # (stable: ranks stay ascending within a term)
    key_type = np.uint32 if total * total < 2**32 else np.int64  # (a smaller key sorts faster)
    postings = index_owners[by_term].astype(key_type)
    place_of = np.empty_like(by_term)
    place_of[by_term] = np.arange(len(by_term))
    places = place_of[probed]
    del by_term, place_of, index_owners
    list_ends = np.cumsum(np.bincount(index_terms, minlength=ranked.vocabulary))
    met = list_ends[probe_terms] - places - 1
    signatures = _signatures(ranked.share_terms, ranked.owners[ranked.shareable], total) if screen else None

    found: list[Pair] = []
    for first, last in _chunks(met, probe_owners):
        probes = slice(first, last)
        wanted = _wanted(
            places[probes] + 1,
            met[probes],
            probe_owners[probes],
            probe_terms[probes],
            limits[probes],
            postings,
            signatures,
            total,
            key_type,
        )
        if len(wanted):
            shorter, longer = np.divmod(wanted.astype(np.int64), total)
            cross = ranked.articles[shorter] != ranked.articles[longer]
            found += _scored(table, ranked, shorter[cross], longer[cross], floor)
    return found


def _probes(
    table: ClaimTable, ranked: _Ranked, floor: float, slack: float, screen: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Which (rank, term) entries are probes (a mask over all of them), and each probe's single-term rank limit.

    A partner met through one probe alone passes the single-term bound when its rank is under the limit.
    """
    total, norms, terms, owners, shareable = ranked.total, ranked.norms, ranked.terms, ranked.owners, ranked.shareable
    own = ranked.own
    weights = ranked.squared[terms]
    rest = np.bincount(owners, weights=np.where(shareable, weights, 0.0), minlength=total)
    stop = floor * norms * norms
    # The prefix: a term is probed while the weight before it leaves enough to reach the floor.
    if screen:
        before, error = _exclusive_running_sums(weights, _segment_offsets(owners, total)[owners])
        in_prefix = before[own] <= (norms * norms - stop)[owners[own]] + error
    else:
        own_owners = owners[own]
        before, error = _exclusive_running_sums(weights[own], _segment_offsets(own_owners, total)[own_owners])
        in_prefix = before <= (rest - stop)[own_owners] + error
    index_terms, index_owners = terms[own], owners[own]
    probed = in_prefix & (norms[index_owners] > 0.0)
    probe_terms, probe_owners = index_terms[probed], index_owners[probed]
    mask = np.zeros(len(terms), np.bool_)
    mask[np.flatnonzero(own)[probed]] = True
    probe_weights = ranked.squared[probe_terms]
    # ρ: what a partner sharing one probe could share besides (the claim's other shareable weight, scaled, and
    # figures restated in another unit); ``base · √|y|`` is the dot product the pair needs.
    probe_total = np.bincount(probe_owners, weights=probe_weights, minlength=total)
    max_bonus = table.max_idf**2 * int(ranked.figures.max())
    rho = slack * np.maximum(0.0, rest - probe_total) + np.where(ranked.figures > 0, max_bonus, 0.0)
    base = floor * norms * ranked.roots * (1.0 - 1e-9)  # (a hair low: rounding must not cut a pair)
    # Single-term bound (the loop's bisection): a partner met through one probe alone has a norm of at most
    # ((w + ρ) / base)²; ranks are in norm order, so that is a rank limit per probe.
    reach = (probe_weights + rho[probe_owners]) / base[probe_owners]
    return mask, np.searchsorted(norms, reach * reach, side="right")


def _chunks(met: np.ndarray, probe_owners: np.ndarray) -> list[tuple[int, int]]:
    """Probe ranges [first, last) of about ``CHUNK_ENTRIES`` entries each, never splitting a prober's probes."""
    ends = np.cumsum(met)
    if len(ends) == 0 or ends[-1] == 0:
        return []
    cuts = np.searchsorted(ends, np.arange(CHUNK_ENTRIES, int(ends[-1]), CHUNK_ENTRIES))
    cuts = np.searchsorted(probe_owners, probe_owners[cuts])  # back to the start of that prober's probes
    bounds = np.unique(np.concatenate(([0], cuts, [len(met)])))
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))


def _wanted(
    starts: np.ndarray,
    met: np.ndarray,
    probers: np.ndarray,
    probe_terms: np.ndarray,
    limits: np.ndarray,
    postings: np.ndarray,
    signatures: np.ndarray | None,
    total: int,
    key_type: type,
) -> np.ndarray:
    """The pair keys (``prober · total + partner``, sorted, unique) to score, from one range of probes.

    Each probe meets ``met`` partners, at ``postings[start:start + met]``; an entry passes the single-term bound
    when its partner ranks under the probe's limit (and, with ``signatures``, the claims seem to share another
    term); a pair met twice is scored whatever its bounds.
    """
    ends = np.cumsum(met)
    entries = int(ends[-1]) if len(ends) else 0
    if entries == 0:
        return np.empty(0, key_type)
    at = np.repeat(starts - ends + met, met)
    at += np.arange(entries)
    partners = postings[at]
    del at
    keys = np.repeat(probers.astype(key_type) * key_type(total), met)
    keys += partners
    strong = partners < np.repeat(limits.astype(key_type), met)
    del partners
    if signatures is not None:
        strong_at = np.flatnonzero(strong)
        probes_at = np.searchsorted(ends, strong_at, side="right")
        alike = _another_term_in_common(signatures, probe_terms[probes_at], keys[strong_at], total)
        strong[strong_at[~alike]] = False
    # Pairs met twice: a sort of the other entries' keys puts a pair's meetings side by side.
    others = np.sort(keys[~strong], kind="stable")  # (timsort: each probe's entries are a sorted run already)
    twice = others[1:][others[1:] == others[:-1]]
    wanted = np.sort(np.concatenate((keys[strong], twice)))
    return wanted[np.concatenate(([True], wanted[1:] != wanted[:-1]))] if len(wanted) else wanted


def _signatures(terms: np.ndarray, owners: np.ndarray, total: int) -> np.ndarray:
    """Each rank's term signature: bit ``t mod SIGNATURE_BITS`` set for each of its terms, as uint64 words."""
    bits = terms % SIGNATURE_BITS
    flat = np.zeros(total * _WORDS, np.uint64)
    np.bitwise_or.at(flat, owners * _WORDS + bits // 64, np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64)))
    return flat.reshape(total, _WORDS)


def _another_term_in_common(signatures: np.ndarray, probes: np.ndarray, keys: np.ndarray, total: int) -> np.ndarray:
    """Whether the signatures show a term in common besides the probe, for entries (``probes``, pair ``keys``).

    As the loop: the probe's bit is cleared from the prober's signature (with any other term on that bit, which
    can hide a pair, rarely) before the two signatures are compared. A slice of ``SIGNATURE_SLICE`` entries at a
    time: each entry's two signatures take 128 bytes, a whole chunk's tens of megabytes (the peak of the analysis).
    """
    if len(keys) > SIGNATURE_SLICE:
        return np.concatenate(
            [
                _another_term_in_common(
                    signatures, probes[at : at + SIGNATURE_SLICE], keys[at : at + SIGNATURE_SLICE], total
                )
                for at in range(0, len(keys), SIGNATURE_SLICE)
            ]
        )
    keys = keys.astype(np.int64)
    bits = probes % SIGNATURE_BITS
    own = signatures[keys // total]
    own[np.arange(len(keys)), bits // 64] &= ~np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64))
    return (own & signatures[keys % total]).any(axis=1)


def _shared(ranked: _Ranked, shorter: np.ndarray, longer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's dot product and how many terms it shares, looked up about ``SCORED_TERMS`` terms at a time (a
    slice of whole pairs: each pair's sum is added in the same order, so the same floats).

    Why in slices: every term of the shorter claim is looked up, half a million for a chunk's pairs, in arrays of
    eight bytes an element, six of them at once — tens of megabytes, the analysis's peak otherwise.
    """
    offsets = ranked.offsets
    counts = offsets[shorter + 1] - offsets[shorter]
    ends = np.cumsum(counts)
    if len(ends) < 2 or int(ends[-1]) <= SCORED_TERMS:
        return _shared_of(ranked, shorter, longer, counts)
    cuts = np.searchsorted(ends, np.arange(SCORED_TERMS, int(ends[-1]), SCORED_TERMS), side="right")
    bounds = np.unique(np.concatenate(([0], cuts, [len(shorter)]))).tolist()
    parts = [_shared_of(ranked, shorter[a:b], longer[a:b], counts[a:b]) for a, b in pairwise(bounds)]
    return np.concatenate([dots for dots, _ in parts]), np.concatenate([shared for _, shared in parts])


def _shared_of(
    ranked: _Ranked, shorter: np.ndarray, longer: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_shared` of one slice (``counts``: each pair's shareable terms of its shorter claim)."""
    lookup, offsets, share_terms = ranked.lookup, ranked.offsets, ranked.share_terms
    pair_of = np.repeat(np.arange(len(shorter)), counts)
    at = np.repeat(offsets[shorter] - np.cumsum(counts) + counts, counts)
    at += np.arange(len(pair_of))
    asked_terms = share_terms[at]
    asked = longer[pair_of] * ranked.vocabulary + asked_terms
    found_at = np.searchsorted(lookup, asked)
    found_at[found_at == len(lookup)] = 0
    hit = lookup[found_at] == asked
    dots = np.bincount(pair_of[hit], weights=ranked.squared[asked_terms[hit]], minlength=len(shorter))
    return dots, np.bincount(pair_of[hit], minlength=len(shorter))


def _scored(table: ClaimTable, ranked: _Ranked, shorter: np.ndarray, longer: np.ndarray, floor: float) -> list[Pair]:
    """The pairs (by rank: ``shorter`` and ``longer``) whose exact similarity reaches ``floor``, as claim pairs."""
    norms, roots, figures, order = ranked.norms, ranked.roots, ranked.figures, ranked.order
    dots, shared = _shared(ranked, shorter, longer)
    values = dots * (1.0 / (norms[shorter] * roots[shorter])) / roots[longer]
    both = (figures[shorter] > 0) & (figures[longer] > 0)
    plain = (shared >= MIN_SHARED) & (values >= floor) & ~both
    firsts, seconds = order[shorter[plain]], order[longer[plain]]
    low, high = np.minimum(firsts, seconds), np.maximum(firsts, seconds)
    found: list[Pair] = list(zip(low.tolist(), high.tolist(), np.minimum(values[plain], 1.0).tolist(), strict=True))
    # Pairs where both claims have figures: the figures may add (restated in another unit), so matching.py scores
    # them, as the loop does — those that could reach the floor (a figure restated adds max_idf² at most).
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
