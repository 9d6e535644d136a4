"""Each claim of a corpus as the features matching scores: terms, entity keys, measures, roles.

Why: matching, conflicts and the inspector all ask "how alike are these two claims",
so the claims are described once, in one table, with the corpus statistics (IDF)
that weight their terms. Terms are stemmed words (numbers as ``#value``); a named
entity is one ``E:key`` term in place of its words, so that aliases
("Golani"/"Jolani", "UN"/"United Nations") meet, and a full name ("President Bashar
al-Assad") counts once rather than once per word.

Speed (every claim of the corpus passes here, see ``bench/compare_speed.py``): terms
are small integers (an index into ``ClaimTable.vocabulary``) so that the matcher's set
intersections and weight look-ups are cheap; a sentence is tokenised once, with
``findall`` and one ``lower()``, and its words stemmed through a cache; that single
token list serves both the claim's terms and, later and only when a pair needs it,
its roles.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import attrgetter, itemgetter

from annotations.compare.background import rarity
from annotations.compare.keys import AliasKey, resolve_alias_key, variant_map
from annotations.compare.roles import VerbSlot, verb_slots
from annotations.compare.text import PHRASE_HEADS, TOKEN, phrase_terms, term
from annotations.model import ArticleAnalysis, ClaimRef, CorpusAnalysis, NumberMention, Sentence
from annotations.units import is_measure

ENTITY_PREFIX = "E:"
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
_FINDALL = TOKEN.findall
_FIRST_CHAR = itemgetter(0)
_START = attrgetter("start")


@dataclass(slots=True)
class Roles:
    """Where a claim's verbs and names sit, for the role check; computed only for pairs that may match."""

    verbs: dict[str, VerbSlot]
    entity_positions: dict[int, tuple[int, bool]]  # entity term -> (token index, follows "by")


@dataclass(slots=True, eq=False)
class Claim:
    """One claim's features. ``terms`` are term ids (see ``ClaimTable.vocabulary``), final once the table is built."""

    ref: ClaimRef
    article: int  # position of the article in the corpus
    sentence: Sentence
    text: str
    terms: frozenset[int]
    entity_keys: frozenset[int]
    entities: tuple[tuple[int, int, int], ...]  # (start, end) in ``text``, entity term id
    measures: tuple[NumberMention, ...]
    numbers: tuple[NumberMention, ...]
    norm: float = 0.0
    roles: Roles | None = None
    # For the roles, computed on demand: the lower-case tokens of the whole sentence, their terms with the
    # names' tokens blanked out, and each entity's first token and whether "by" precedes it.
    tokens: list[str] = field(default_factory=list)
    token_terms: list[str | None] = field(default_factory=list)
    entity_tokens: tuple[tuple[int, bool], ...] = ()


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

    def weight(self, term_: str) -> float:
        index = self.ids.get(term_)
        return self.max_idf if index is None else self.idf[index]

    def claim(self, ref: ClaimRef) -> Claim | None:
        index = self.by_ref.get(ref)
        return None if index is None else self.claims[index]

    def roles(self, claim: Claim) -> Roles:
        """The claim's verb slots and name positions (token indices), computed once on demand."""
        if claim.roles is None:
            variants = self.variants
            terms = [variants.get(t, t) for t in claim.token_terms] if variants else claim.token_terms
            positions: dict[int, tuple[int, bool]] = {}
            for (_, _, key), slot in zip(claim.entities, claim.entity_tokens, strict=True):
                positions.setdefault(key, slot)
            claim.roles = Roles(verb_slots(claim.tokens, terms), positions)
        return claim.roles


class _Ids(dict):
    """{term: id}, handing out the next id to a term seen for the first time (so ``map`` can assign ids)."""

    def __missing__(self, key: str) -> int:
        value = self[key] = len(self)
        return value


@dataclass(slots=True)
class _Draft:
    """A claim before corpus-level folding: its raw terms, proper-noun terms and raw entity keys."""

    claim: Claim
    terms: set[str | None]
    proper: set[str | None]
    entities: list[tuple[int, int, str]]  # (start, end) in the claim text, raw alias key


def _title_start(text: str, begin: int) -> int | None:
    """Where a title right before the name at ``begin`` starts ("Syrian President Bashar …"), if there is one."""
    before = text[max(0, begin - 64) : begin]
    if not before[-1:].isspace() or not before.rstrip().lower().endswith(_TITLE_ENDINGS):
        return None  # the regex below could not match: skip it (it scans the whole prefix)
    title = _TITLE.search(text, 0, begin)
    return title.start() if title else None


def _drafts(analysis: ArticleAnalysis, article_index: int, alias_key: AliasKey, keys: dict) -> list[_Draft]:
    """Drafts of one article's claims. ``keys`` caches alias keys across the corpus.

    A sentence is tokenised once, in pieces: the text before a name, the name, the
    text after it …, so that each name's token range is known without match objects
    (a word glued to a name, "Assad’s", comes apart there, as it would if the name
    were cut out). Those ranges (and a title's before a person's name) are cut from
    the claim's terms; the roles keep the whole token list.
    """
    text_all = analysis.article.text
    entities = sorted((e for e in analysis.entities if e.label != "DATE"), key=_START)
    entity_starts = [e.start for e in entities]
    numbers = sorted(analysis.numbers, key=_START)
    number_starts = [n.start for n in numbers]
    article_id = analysis.article.id
    drafts = []
    for sentence in analysis.sentences:
        if sentence.kind != "claim":
            continue
        start, stop = sentence.start, sentence.end
        text = text_all[start:stop]
        low = bisect.bisect_left(entity_starts, start)
        high = bisect.bisect_left(entity_starts, stop, lo=low)
        named = [e for e in entities[low:high] if e.end <= stop] if high > low else []
        spans: list[tuple[int, int]] = []
        if named:
            tokens = []
            position = 0
            for entity in named:
                begin, end = entity.start - start, entity.end - start
                if begin < position:  # overlapping names: count tokens on prefixes instead
                    tokens = _FINDALL(text)
                    spans = [
                        (len(_FINDALL(text, 0, e.start - start)), len(_FINDALL(text, 0, e.end - start))) for e in named
                    ]
                    break
                tokens += _FINDALL(text, position, begin)
                first = len(tokens)
                tokens += _FINDALL(text, begin, end)
                spans.append((first, len(tokens)))
                position = end
            else:
                tokens += _FINDALL(text, position)
        else:
            tokens = _FINDALL(text)
        lowered = " ".join(tokens).lower().split(" ") if tokens else []
        terms: list[str | None] = list(map(term, lowered))
        if not PHRASE_HEADS.isdisjoint(terms):
            terms = phrase_terms(lowered, terms)

        found: list[tuple[int, int, str]] = []
        slots: list[tuple[int, bool]] = []
        cuts: list[tuple[int, int]] = []  # token ranges that are names (and their titles), not words
        token_terms = terms
        if named:
            token_terms = list(terms)
            previous_label = ""
            for entity, (first, last) in zip(named, spans, strict=True):
                cache_key = (entity.text, entity.label)
                key = keys.get(cache_key)
                if key is None:
                    key = keys[cache_key] = alias_key(entity.text, entity.label)
                begin, end = entity.start - start, entity.end - start
                cut_first = first
                title = _title_start(text, begin) if entity.label == "PERSON" else None
                if title is not None:
                    # "Syrian President Bashar al-Assad": the title and its nationality describe the name, no more.
                    cut_first = max(0, first - len(_FINDALL(text, title, begin)))
                    if found and previous_label == "NORP" and not text[found[-1][1] : title].strip():
                        found.pop()
                        slots.pop()
                found.append((begin, end, key))
                slots.append((first, first > 0 and lowered[first - 1] == "by"))
                previous_label = entity.label
                cuts.append((cut_first, last))
                token_terms[first:last] = [None] * (last - first)

        if cuts:
            kept_terms: list[str | None] = []
            proper: set[str | None] = set()
            position = 0
            for cut_first, last in [*cuts, (len(terms), len(terms))]:
                if cut_first > position:
                    piece = terms[position:cut_first]
                    kept_terms += piece
                    proper.update(compress(piece, map(str.isupper, map(_FIRST_CHAR, tokens[position:cut_first]))))
                position = max(position, last)
            claim_terms = set(kept_terms)
        else:
            claim_terms = set(terms)
            proper = set(compress(terms, map(str.isupper, map(_FIRST_CHAR, tokens))))

        nlow = bisect.bisect_left(number_starts, start)
        nhigh = bisect.bisect_left(number_starts, stop, lo=nlow)
        in_sentence = tuple(n for n in numbers[nlow:nhigh] if n.end <= stop) if nhigh > nlow else ()
        claim = Claim(
            ref=ClaimRef(article_id, sentence.index),
            article=article_index,
            sentence=sentence,
            text=text,
            terms=frozenset(),
            entity_keys=frozenset(),
            entities=(),
            measures=tuple(n for n in in_sentence if is_measure(n.unit)),
            numbers=in_sentence,
            tokens=lowered,
            token_terms=token_terms,
            entity_tokens=tuple(slots),
        )
        drafts.append(_Draft(claim, claim_terms, proper, found))
    return drafts


def _fold_keys(keys: set[str], surnames: bool) -> dict[str, str]:
    """{raw key: canonical key}: spelling variants of key words folded; optionally "bashar assad" → "assad".

    Surname folding is the fallback for the default key only: a real alias module
    already knows that "Hafez al-Assad" is not "Assad".
    """
    vocabulary = {token for key in keys for token in key.split()}
    variants = variant_map(vocabulary)
    folded = {key: " ".join(variants.get(t, t) for t in key.split()) for key in keys}
    if surnames:
        singles = {k for k in folded.values() if " " not in k}
        for key, canonical in folded.items():
            last = canonical.rsplit(" ", 1)[-1]
            if " " in canonical and last in singles and len(last) >= 3:
                folded[key] = last
    return folded


def build_table(analysis: CorpusAnalysis, alias_key: AliasKey | None = None) -> ClaimTable:
    """Describe every claim of the corpus; IDF is over claims (a claim is a "document")."""
    key, is_default = resolve_alias_key(alias_key, analysis)
    keys: dict[tuple[str, str], str] = {}
    drafts = [
        draft
        for article_index, article in enumerate(analysis.articles)
        for draft in _drafts(article, article_index, key, keys)
    ]
    proper_terms = set().union(*(d.proper for d in drafts)) if drafts else set()
    proper_terms.discard(None)
    word_variants = variant_map(proper_terms)
    canonical = _fold_keys({k for d in drafts for _, _, k in d.entities}, surnames=is_default)

    ids = _Ids()
    entity_ids = {raw: ids[ENTITY_PREFIX + folded] for raw, folded in canonical.items()}
    get_id = ids.__getitem__
    for draft in drafts:
        claim = draft.claim
        claim_terms = draft.terms
        claim_terms.discard(None)
        if word_variants and not word_variants.keys().isdisjoint(claim_terms):
            claim_terms = {word_variants.get(t, t) for t in claim_terms}
        if draft.entities:
            claim.entities = tuple((start, end, entity_ids[raw]) for start, end, raw in draft.entities)
            claim.entity_keys = frozenset(e for _, _, e in claim.entities)
            claim.terms = frozenset(map(get_id, claim_terms)) | claim.entity_keys
        else:
            claim.terms = frozenset(map(get_id, claim_terms))
    document_frequency = Counter(chain.from_iterable(d.claim.terms for d in drafts))

    total = len(drafts)
    vocabulary = list(ids)
    idf = [0.0] * len(vocabulary)
    for index, df in document_frequency.items():
        name = vocabulary[index]
        idf[index] = math.log(1.0 + total / df) * (1.0 if name.startswith(ENTITY_PREFIX) else rarity(name))
    frequency = [0] * len(vocabulary)
    for index, df in document_frequency.items():
        frequency[index] = df
    squared = [w * w for w in idf]
    claims = [d.claim for d in drafts]
    weigh = squared.__getitem__
    for claim in claims:
        claim.norm = math.sqrt(sum(map(weigh, claim.terms)))
    table = ClaimTable(
        claims=claims,
        vocabulary=vocabulary,
        idf=idf,
        max_idf=math.log(1.0 + max(total, 1)),
        variants=word_variants,
        ids=dict(ids),
        squared=squared,
        frequency=frequency,
    )
    table.by_ref = {claim.ref: i for i, claim in enumerate(claims)}
    return table
