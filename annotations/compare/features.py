"""Each claim of a corpus as the features matching scores: terms, entity keys, figures, roles.

Why: matching, conflicts and the inspector all ask "how alike are these two claims",
so the claims are described once, in one table, with the corpus statistics (IDF)
that weight their terms. Terms are stemmed words (numbers as ``#value``); a named
entity is one ``E:key`` term in place of its words, so that aliases
("Golani"/"Jolani", "UN"/"United Nations") meet, and a full name ("President Bashar
al-Assad") counts once rather than once per word; what a figure counts is one
``Q:key`` term ("Q:people displaced"), so that "nearly 300,000 people have been
displaced" and "over 370,000 fleeing" have it in common.

Speed (every claim of the corpus passes here, see ``bench/compare_speed.py``): an
article is lower-cased once and each sentence tokenised in place, in the gaps
between its names (``findall`` with bounds: nothing is copied); words become terms
through a dict; terms are small integers (an index into ``ClaimTable.vocabulary``,
in order of decreasing weight) so that the matcher's set intersections, sorts and
weight look-ups are cheap. The roles (see roles.py) are read from the gaps right
away, while their words are fresh in memory, and only around names with a possible
verb next to them; the gaps are then dropped (keeping every claim's words until the
matcher asked for roles cost more, in memory traffic, than reading them all now).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import cast

from factdesk.annotations.compare.background import rarity
from factdesk.annotations.compare.figures import MAX_FIGURES_PER_CLAIM
from factdesk.annotations.compare.keys import AliasKey, resolve_alias_key, variant_map
from factdesk.annotations.compare.quantities import Quantity, quantities_in
from factdesk.annotations.compare.roles import NAME, ROLE_WINDOW, forget_words, may_have_role, name_roles, note_word
from factdesk.annotations.compare.text import PHRASE_HEADS, TOKEN, phrase_term, phrase_terms, term
from factdesk.annotations.model import ENTITY_LABELS, ArticleAnalysis, ClaimRef, CorpusAnalysis, NumberMention, Sentence
from factdesk.annotations.text.language import ENGLISH, language_of
from factdesk.annotations.text.units import is_measure, normalise_unit

ENTITY_PREFIX = "E:"
QUANTITY_PREFIX = "Q:"
# Term weights (IDF over the corpus's claims) are scaled: a name by ENTITY_WEIGHT, a word by its background
# rarity (see background.py) to the power RARITY_EXPONENT. Why: names are what a proposition is about, and
# the background (WSJ) is another domain, so it tempers the corpus IDF rather than overrules it. Chosen on
# the seeds' gold set and checked for robustness under simulated NER noise (bench/compare_eval.py --noise).
ENTITY_WEIGHT = 1.3
RARITY_EXPONENT = 0.5
# Titles right before a person's name: descriptors of the name, not content of the claim.
_TITLE = re.compile(
    r"(?:\b(?:former|late|then|acting|interim|deputy|vice|de\s+facto)\s+)?"
    r"(?:\b(?:president|president-elect|prime\s+minister|foreign\s+minister|defen[cs]e\s+minister|minister|"
    r"king|emir|sheikh|leader|general|gen\.|commander|envoy|spokesm[ae]n|spokeswoman|director|chief|secretary|"
    r"mr\.?|mrs\.?|ms\.?|dr\.?)\s+)+$",
    re.IGNORECASE,
)
# The last word a title can end with: only a name preceded by one of them needs the (costly) title regex.
_TITLE_ENDINGS = (
    "president",
    "president-elect",
    "minister",
    "king",
    "emir",
    "sheikh",
    "leader",
    "general",
    "gen.",
    "commander",
    "envoy",
    "spokesman",
    "spokesmen",
    "spokeswoman",
    "director",
    "chief",
    "secretary",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
)
# Copies of one claim in one article (the same terms) compared at most (see build_table).
MAX_COPIES = 4
_FINDALL = TOKEN.findall
# A capitalised word (not a capital inside a word, "iPhone"): proper-noun candidates for the spelling variants.
# (Written with the capital first and the word boundary as a look-behind, so that the regex engine can skip ahead
# to the next capital: twice as fast as ``\b[A-Z]…``, same words.)
_CAPITALISED = re.compile(r"[A-Z](?<!\w[A-Z])[A-Za-z'’]*").findall
_START = attrgetter("start")
# A publication-date line glued to a claim's start ("date 2023-09-14 Floods swept …", "Published: 2023-09-14"): the
# date of the page, not something the claim says. Left out of its terms, or every lead sentence of the outlets
# that print one would share a date label and three numbers — the heaviest terms of a ten-outlet corpus.
_DATE_PREFIX = re.compile(
    r"\s*(?:date|published(?:\s+on)?|posted(?:\s+on)?|updated)\s*:?\s*(?:19|20)\d\d(?:-\d{1,2}){0,2}(?!\d)\s*",
    re.IGNORECASE,
).match
# A wire dateline opening a claim: a place in capitals, maybe its region, a date and the agency, then a dash or a
# colon ("MIAMI — ", "ST. PETERSBURG, Fla. — ", "HONOLULU (KHON) - ", "BALASORE, India -- ", "MOSCOW, Mar. 23, 2024
# (AFP) - "). Where the story was filed, not what it says: every lead from one place would share it. (Capitals only:
# "Lee County: 3 deaths" is content.)
_WIRE_DATELINE = re.compile(
    r"\s*[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3}(?:,\s*[A-Z][A-Za-z.'’]*(?:\s[A-Z][A-Za-z.'’]*){0,2})?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+(?:19|20)\d\d)?\s*(?:\([^()\n]{1,40}\))?\s*(?:[-–—]{1,2}|:)\s+"
).match
_NO_UNITS: frozenset[str | None] = frozenset()


class _Terms(dict):
    """{lower-case word: term}, filled through :func:`term` on first sight (a dict look-up is the fast path)."""

    def __missing__(self, word: str) -> str | None:
        note_word(word)  # (for the role check: every word of a claim passes here before its roles are read)
        value = self[word] = term(word)
        return value


_TERMS = _Terms()
_TERMS_LIMIT = 400_000  # words remembered across corpora (a long-running reader analyses one after another)


@dataclass(slots=True, eq=False)
class Claim:
    """One claim's features. ``terms`` are term ids (see ``ClaimTable.vocabulary``), final once the table is built."""

    ref: ClaimRef
    article: int  # position of the article in the corpus
    sentence: Sentence
    terms: frozenset[int]
    entity_keys: frozenset[int]
    entities: tuple[int, ...]  # the names' term ids, in order (one per gap boundary, see ``gaps``)
    measures: tuple[NumberMention, ...]
    numbers: tuple[NumberMention, ...]
    quantities: tuple[Quantity, ...] = ()  # the comparable figures (see quantities.py), read once for conflicts
    units: frozenset[str | None] = frozenset()  # the measures' units, normalised
    measure_units: tuple[str | None, ...] = ()  # each measure's unit, normalised (in the order of ``measures``)
    norm: float = 0.0
    # The roles (see roles.py), read while the claim's words are at hand: {(name's place, verb term before the
    # corpus's spelling variants): role}, None when there are none; and the {(name, verb term): role} made from
    # them on demand, once the table is built (see ``ClaimTable.roles``).
    raw_roles: dict[tuple[int, str], str] | None = None
    roles: dict[tuple[int, str], str] | None = None


@dataclass
class ClaimTable:
    """All claims of a corpus with their features and the corpus IDF of every term."""

    claims: list[Claim]
    vocabulary: list[str]  # term id -> term
    idf: list[float]  # term id -> weight
    by_ref: dict[ClaimRef, int] = field(default_factory=dict)
    max_idf: float = 1.0
    variants: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # term -> term id
    squared: list[float] = field(default_factory=list)  # term id -> weight²
    frequency: list[int] = field(default_factory=list)  # term id -> claims that have it
    arrays: dict[str, object] = field(default_factory=dict)  # per-claim arrays the match model reads, made once

    def weight(self, term_: str) -> float:
        index = self.ids.get(term_)
        return self.max_idf if index is None else self.idf[index]

    def claim(self, ref: ClaimRef) -> Claim | None:
        index = self.by_ref.get(ref)
        return None if index is None else self.claims[index]

    def roles(self, claim: Claim) -> dict[tuple[int, str], str]:
        """The claim's {(entity term, verb term): role} (see roles.py), made once on demand from its raw roles.

        The first role given for a key stands, as in :func:`name_roles` (two names can share a key, two verbs
        a spelling variant).
        """
        if claim.roles is None:
            roles: dict[tuple[int, str], str] = {}
            if claim.raw_roles:
                entities, variants = claim.entities, self.variants
                for (place, verb), role in claim.raw_roles.items():
                    roles.setdefault((entities[place], variants.get(verb, verb)), role)
            claim.roles = roles
        return claim.roles


def _verb_term(word: str, following: str | None) -> str | None:
    """A verb's term as the claim's terms have it (two-word verbs joined); spelling variants are folded later."""
    found = _TERMS[word]
    if found in PHRASE_HEADS and following is not None:
        found = phrase_term(found, following)
    return found


def _raw_roles(gaps: list[list[str]]) -> dict[tuple[int, str], str] | None:
    """{(name's place, verb term): role} of a claim from the words between its names (``gaps``), or None.

    Why here, while the claim is tokenised: its words are fresh in memory, and they need not be kept. Only the
    words around each name are read (a role needs a verb within ``ROLE_WINDOW`` words, and the verb test looks
    three words further back), and only for names that :func:`may_have_role`.
    """
    found: dict[tuple[int, str], str] = {}
    last = len(gaps) - 1
    reach = ROLE_WINDOW + 1
    for k in range(last):
        before, after = gaps[k], gaps[k + 1]
        if not may_have_role(before, after):
            continue  # no verb near this name (the common case)
        left = before[-(reach + 3) :]
        words = [NAME, *left] if k > 0 and len(left) < reach + 3 else list(left)
        place = len(words)
        words.append(NAME)
        words += after[:reach]
        if k + 1 < last and len(after) < reach:
            words.append(NAME)
        name_roles(words, place, k, _verb_term, found)
    return found or None


def _title_start(low: str, begin: int, floor: int) -> int | None:
    """Where a title right before the name at ``begin`` starts ("Syrian President Bashar …"), if there is one.

    ``low`` is the lower-case text; the title starts at ``floor`` (the sentence's start) or later.
    """
    start = max(floor, begin - 64)
    if not low[begin - 1 : begin].isspace() or not low[start:begin].rstrip().endswith(_TITLE_ENDINGS):
        return None  # the regex below could not match: skip it
    title = _TITLE.search(low, start, begin)
    return title.start() if title else None


def _terms_of(words: list[str]) -> list[str | None]:
    terms = list(map(_TERMS.__getitem__, words))
    if not PHRASE_HEADS.isdisjoint(terms):
        terms = phrase_terms(words, terms)
    return terms


def _article_claims(
    analysis: ArticleAnalysis,
    article_index: int,
    alias_key: AliasKey,
    keys: dict[tuple[str, str], str],
    out: list[tuple[Claim, set[str | None], list[str]]],
    proper: set[str],
) -> None:
    """Append (claim, raw terms, raw entity keys) for each claim of one article; collect proper-noun words.

    ``keys`` caches alias keys across the corpus. Each sentence is read in gaps
    between its names: the gaps' words are the claim's terms, each name (with a title
    right before a person's name) becomes one entity term instead of its words. A
    word glued to a name ("Assad’s") comes apart there, as if the name were cut out.
    The text is lower-cased once per article and tokenised in place (``findall`` with
    bounds), so that no sentence is copied.
    """
    text = analysis.article.text
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer ("İ"): keep offsets, lower word by word
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    entities = sorted((e for e in analysis.entities if e.label != "DATE"), key=_START)
    entity_starts = [e.start for e in entities]
    numbers = sorted(analysis.numbers, key=_START)
    number_starts = [n.start for n in numbers]
    article_id = analysis.article.id
    # Proper-noun candidates: the capitalised words outside the names (and the names' own words left out).
    outside, position = [], 0
    for entity in entities:
        if entity.start >= position:
            outside.append(text[position : entity.start])
            position = entity.end
    outside.append(text[position:])
    proper.update(_CAPITALISED(" ".join(outside)))
    get_term = _TERMS.__getitem__
    for sentence in analysis.sentences:
        if sentence.kind != "claim":
            continue
        start, stop = sentence.start, sentence.end
        dateline = _DATE_PREFIX(text, start, stop)
        if dateline:
            start = dateline.end()  # "date 2024-07-05 Labour won …": the page's date is no word of the claim
        dateline = _WIRE_DATELINE(text, start, stop)
        if dateline:
            start = dateline.end()  # "LAHAINA, Hawaii (AP) — …": where the story was filed, not what it says
        first = bisect.bisect_left(entity_starts, start)
        last = bisect.bisect_left(entity_starts, stop, lo=first)
        found: list[str] = []  # the names' raw keys
        if last > first:
            gaps: list[list[str]] = []
            position = start
            previous_label = ""
            for entity in entities[first:last]:
                begin, end = entity.start, entity.end
                if end > stop:
                    continue
                if begin < position:  # overlapping names: the first one stands
                    position = max(position, end)
                    continue
                cache_key = (entity.text, entity.label)
                key = keys.get(cache_key)
                if key is None:
                    key = keys[cache_key] = alias_key(entity.text, entity.label)
                cut = begin
                gap = None
                if entity.label == "PERSON":
                    title = _title_start(low, begin, position)
                    if title is not None:
                        cut = title
                        # "Syrian President Bashar al-Assad": the title and its nationality describe the name.
                        if found and previous_label == "NORP" and not low[position:title].strip():
                            found.pop()
                            gap = gaps.pop()  # the nationality's place is gone: the gaps around it join
                gap = gap + _FINDALL(low, position, cut) if gap else _FINDALL(low, position, cut)
                gaps.append(gap)
                found.append(key)
                previous_label = entity.label
                position = end
            gaps.append(_FINDALL(low, position, stop))
        else:
            gaps = [_FINDALL(low, start, stop)]
        terms = set(map(get_term, chain.from_iterable(gaps)))
        if not PHRASE_HEADS.isdisjoint(terms):
            terms = set(chain.from_iterable(map(_terms_of, gaps)))

        nlow = bisect.bisect_left(number_starts, start)
        nhigh = bisect.bisect_left(number_starts, stop, lo=nlow)
        in_sentence = tuple(n for n in numbers[nlow:nhigh] if n.end <= stop) if nhigh > nlow else ()
        # A claim of more figures than any statement holds (a table, a line built to be slow) is not compared by
        # its figures: claim pairs test figure against figure, which would grow with the square of the line.
        quantities = tuple(quantities_in(analysis, sentence)) if 0 < len(in_sentence) <= MAX_FIGURES_PER_CLAIM else ()
        measures = tuple(n for n in in_sentence if is_measure(n.unit)) if in_sentence else ()
        measure_units = tuple(normalise_unit(n.unit) for n in measures) if measures else ()
        if quantities:
            # What a figure counts ("people displaced", "unit:km") is a term: two claims counting the same thing
            # say something alike even when their figures (and so their "#value" terms) differ.
            terms.update(QUANTITY_PREFIX + q.key.replace(" (projected)", "") for q in quantities)
        claim = Claim(
            ref=ClaimRef(article_id, sentence.index),
            article=article_index,
            sentence=sentence,
            terms=frozenset(),
            entity_keys=frozenset(),
            entities=(),
            measures=measures,
            units=frozenset(measure_units) if measures else _NO_UNITS,
            measure_units=measure_units,
            numbers=in_sentence,
            quantities=quantities,
            raw_roles=_raw_roles(gaps) if found else None,
        )
        out.append((claim, terms, found))


def _without_label(key: str) -> str:
    """ "LOC:hms" → "hms": the entity label a key may start with (``aliases.alias_key`` keys do), dropped."""
    label, colon, rest = key.partition(":")
    return rest if colon and label in ENTITY_LABELS else key


def _fold_keys(keys: set[str], surnames: bool) -> dict[str, str]:
    """{raw key: canonical key}: labels dropped, spelling variants of key words folded; optionally "bashar
    assad" → "assad".

    Labels are dropped because a recogniser is not consistent across articles: "Homs"
    tagged LOC in one and ORG in another is still one name (measured: with 3 % of the
    seeds' entities relabelled, keeping labels costs about two gold facts). Surname
    folding is the fallback for the default key only: a real alias module already
    knows that "Hafez al-Assad" is not "Assad".
    """
    bare_keys = {key: _without_label(key) for key in keys}
    vocabulary = {token for key in bare_keys.values() for token in key.split()}
    variants = variant_map(vocabulary)
    folded = {key: " ".join(variants.get(t, t) for t in bare.split()) for key, bare in bare_keys.items()}
    if surnames:
        singles = {k for k in folded.values() if " " not in k}
        for key, canonical in folded.items():
            last = canonical.rsplit(" ", 1)[-1]
            if " " in canonical and last in singles and len(last) >= 3:
                folded[key] = last
    return folded


def build_table(analysis: CorpusAnalysis, alias_key: AliasKey | None = None) -> ClaimTable:
    """Describe every claim of the corpus; IDF is over claims (a claim is a "document").

    Term ids are handed out in order of decreasing weight (so sorting a claim's ids
    sorts its terms heaviest first, as the matcher's prefix needs), and the id objects
    are made together, after the counting: every claim's sets and tuples then point
    into one small block of memory, which the matcher reads for every pair it scores.
    """
    if len(_TERMS) > _TERMS_LIMIT:
        _TERMS.clear()
        forget_words()
    key, is_default = resolve_alias_key(alias_key, analysis)
    keys: dict[tuple[str, str], str] = {}
    drafts: list[tuple[Claim, set[str | None], list[str]]] = []
    proper_words: set[str] = set()
    for article_index, article in enumerate(analysis.articles):
        if language_of(article.article) != ENGLISH:  # its words are not English stems: compared with nothing
            continue
        _article_claims(article, article_index, key, keys, drafts, proper_words)
    proper_terms = {_TERMS[word.lower()] for word in proper_words}
    proper_terms.discard(None)
    word_variants = variant_map(proper_terms)
    canonical = {raw: ENTITY_PREFIX + folded for raw, folded in _fold_keys(set(keys.values()), is_default).items()}

    term_sets: list[set[str]] = []
    for _, draft_terms, found in drafts:
        draft_terms.discard(None)
        claim_terms = cast("set[str]", draft_terms)  # None (a stop word's term) is discarded just above
        if word_variants and not word_variants.keys().isdisjoint(claim_terms):
            claim_terms = {word_variants.get(t, t) for t in claim_terms}
        if found:
            claim_terms.update(map(canonical.__getitem__, found))
        term_sets.append(claim_terms)
    document_frequency = Counter(chain.from_iterable(term_sets))

    total = len(drafts)
    weights = {
        name: math.log(1.0 + total / df)
        * (ENTITY_WEIGHT if name.startswith(ENTITY_PREFIX) else rarity(name) ** RARITY_EXPONENT)
        for name, df in document_frequency.items()
    }
    # (heaviest first, ties by name: a stable sort by weight, reversed, over the names in order — C-level keys)
    vocabulary = sorted(sorted(weights), key=weights.__getitem__, reverse=True)
    numbers = list(range(len(vocabulary)))  # the id objects, made in one go
    ids = dict(zip(vocabulary, numbers, strict=True))
    idf = [weights[name] for name in vocabulary]
    frequency = [document_frequency[name] for name in vocabulary]
    squared = [w * w for w in idf]
    weigh = squared.__getitem__
    get_id = ids.__getitem__
    entity_ids = {raw: ids[name] for raw, name in canonical.items() if name in ids}
    claims = []
    # Copies of a claim in one article (the same terms): past MAX_COPIES they are left out of the comparison. Why:
    # an article repeating a sentence thousands of times would pair every copy with every copy of it in another
    # article (each pair as good as the next), and pairs, matches and conflicts would grow with the square of the
    # repeats; past a few, a copy says nothing new. (They still count in the IDF: the corpus does say them.) News
    # repeats a sentence twice at most (the seeds and the development sets), so this never drops one there.
    copies: dict[frozenset[int], int] = {}
    in_article = -1
    for (claim, _, found), final_terms in zip(drafts, term_sets, strict=True):
        claim.terms = frozenset(map(get_id, final_terms))
        if claim.article != in_article:
            in_article, copies = claim.article, {}
        seen = copies.get(claim.terms, 0)
        if seen == MAX_COPIES:
            continue
        copies[claim.terms] = seen + 1
        if found:
            claim.entities = tuple(map(entity_ids.__getitem__, found))
            claim.entity_keys = frozenset(claim.entities)
        claim.norm = math.sqrt(sum(map(weigh, claim.terms)))
        claims.append(claim)
    table = ClaimTable(
        claims=claims,
        vocabulary=vocabulary,
        idf=idf,
        max_idf=math.log(1.0 + max(total, 1)),
        variants=word_variants,
        ids=ids,
        squared=squared,
        frequency=frequency,
    )
    table.by_ref = {claim.ref: i for i, claim in enumerate(claims)}
    return table
