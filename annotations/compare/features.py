"""Each claim of a corpus as the features matching scores: terms, entity keys, measures, roles.

Why: matching, conflicts and the inspector all ask "how alike are these two claims",
so the claims are described once, in one table, with the corpus statistics (IDF)
that weight their terms. Terms are stemmed words (numbers as ``#value``); a named
entity is one ``E:key`` term in place of its words, so that aliases
("Golani"/"Jolani", "UN"/"United Nations") meet, and a full name ("President Bashar
al-Assad") counts once rather than once per word.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotations.compare.background import rarity
from annotations.compare.keys import AliasKey, resolve_alias_key, variant_map
from annotations.compare.roles import VerbSlot, verb_slots
from annotations.compare.text import PHRASE_HEADS, TOKEN, phrase_terms, term, words
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


@dataclass
class Roles:
    """Where a claim's verbs and names sit, for the role check; computed only for pairs that may match."""

    verbs: dict[str, VerbSlot]
    entity_positions: dict[str, tuple[int, bool]]  # key -> (token index, follows "by")


@dataclass
class Claim:
    """One claim's features. ``terms`` are final (variants folded) once the table is built."""

    ref: ClaimRef
    article: int  # position of the article in the corpus
    sentence: Sentence
    text: str
    terms: frozenset[str]
    entity_keys: frozenset[str]
    entities: tuple[tuple[int, int, str], ...]  # (start, end) in ``text``, entity term
    measures: tuple[NumberMention, ...]
    numbers: tuple[NumberMention, ...]
    norm: float = 0.0
    roles: Roles | None = None


@dataclass
class ClaimTable:
    """All claims of a corpus with their features and the corpus IDF of every term."""

    claims: list[Claim]
    idf: dict[str, float]
    by_ref: dict[ClaimRef, int] = field(default_factory=dict)
    max_idf: float = 1.0
    variants: dict[str, str] = field(default_factory=dict)

    def weight(self, term_: str) -> float:
        return self.idf.get(term_, self.max_idf)

    def claim(self, ref: ClaimRef) -> Claim | None:
        index = self.by_ref.get(ref)
        return None if index is None else self.claims[index]

    def roles(self, claim: Claim) -> Roles:
        """The claim's verb slots and name positions (token indices), computed once on demand."""
        if claim.roles is None:
            tokens = words(claim.text)
            lowered = [w for _, _, w in tokens]
            terms = phrase_terms(lowered, [term(w) for w in lowered])
            starts = [start for start, _, _ in tokens]
            positions: dict[str, tuple[int, bool]] = {}
            for start, end, key in claim.entities:
                first = bisect.bisect_left(starts, start)
                for i in range(first, bisect.bisect_left(starts, end, lo=first)):
                    terms[i] = None
                positions.setdefault(key, (first, first > 0 and lowered[first - 1] == "by"))
            terms = [self.variants.get(t, t) if t else None for t in terms]
            claim.roles = Roles(verb_slots(lowered, terms), positions)
        return claim.roles


@dataclass
class _Draft:
    """A claim before corpus-level folding: its raw terms, proper-noun terms and raw entity keys."""

    claim: Claim
    terms: list[str | None]
    proper: set[str]
    entities: list[tuple[int, int, str]]  # (start, end) in the claim text, raw alias key


def _in_sentence(starts: list[int], items: Sequence, sentence: Sentence) -> list:
    """The items (sorted by start) lying inside ``sentence``, found by bisection rather than a scan."""
    low = bisect.bisect_left(starts, sentence.start)
    high = bisect.bisect_left(starts, sentence.end, lo=low)
    return [item for item in items[low:high] if item.end <= sentence.end] if high > low else []


def _drafts(analysis: ArticleAnalysis, article_index: int, alias_key: AliasKey, keys: dict) -> list[_Draft]:
    """Drafts of one article's claims. ``keys`` caches alias keys across the corpus.

    Speed matters here (every claim of the corpus passes): the words are read with
    ``findall`` on the text with the names cut out, lower-cased in one call, and
    stemmed through a cache; token positions are computed only later, for roles.
    """
    text_all = analysis.article.text
    entities = sorted((e for e in analysis.entities if e.label != "DATE"), key=lambda e: e.start)
    entity_starts = [e.start for e in entities]
    numbers = sorted(analysis.numbers, key=lambda n: n.start)
    number_starts = [n.start for n in numbers]
    article_id = analysis.article.id
    drafts = []
    for sentence in analysis.sentences:
        if sentence.kind != "claim":
            continue
        start = sentence.start
        text = text_all[start : sentence.end]
        found: list[tuple[int, int, str]] = []
        cuts: list[list[int]] = []  # spans of text that are names (and their titles), not words
        previous_label = ""
        for entity in _in_sentence(entity_starts, entities, sentence):
            cache_key = (entity.text, entity.label)
            key = keys.get(cache_key)
            if key is None:
                key = keys[cache_key] = alias_key(entity.text, entity.label)
            begin, end = entity.start - start, entity.end - start
            title = _TITLE.search(text, 0, begin) if entity.label == "PERSON" else None
            if title:
                # "Syrian President Bashar al-Assad": the title and its nationality describe the name, no more.
                begin = title.start()
                if found and previous_label == "NORP" and not text[found[-1][1] : begin].strip():
                    found.pop()
            found.append((entity.start - start, end, key))
            previous_label = entity.label
            if cuts and begin <= cuts[-1][1] + 1:
                cuts[-1][1] = max(cuts[-1][1], end)
            else:
                cuts.append([begin, end])
        pieces, previous = [], 0
        for begin, end in cuts:
            pieces.append(text[previous:begin])
            previous = end
        pieces.append(text[previous:])
        tokens = TOKEN.findall(" ".join(pieces))
        lowered = " ".join(tokens).lower().split(" ") if tokens else []
        terms: list[str | None] = list(map(term, lowered))
        if PHRASE_HEADS.intersection(terms):
            terms = phrase_terms(lowered, terms)
        proper = {t for token, t in zip(tokens, terms, strict=True) if t and token[0].isupper()}
        in_sentence = tuple(_in_sentence(number_starts, numbers, sentence))
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
        )
        drafts.append(_Draft(claim, terms, proper, found))
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
    word_variants = variant_map(set().union(*(d.proper for d in drafts)) if drafts else set())
    canonical = _fold_keys({k for d in drafts for _, _, k in d.entities}, surnames=is_default)

    document_frequency: Counter[str] = Counter()
    for draft in drafts:
        claim = draft.claim
        claim_terms = set(draft.terms)
        claim_terms.discard(None)
        if word_variants and not word_variants.keys().isdisjoint(claim_terms):
            claim_terms = {word_variants.get(t, t) for t in claim_terms}
        claim.entities = tuple((start, end, ENTITY_PREFIX + canonical[raw]) for start, end, raw in draft.entities)
        claim.entity_keys = frozenset(key for _, _, key in claim.entities)
        claim.terms = frozenset(claim_terms) | claim.entity_keys
        document_frequency.update(claim.terms)

    total = len(drafts)
    idf = {
        t: math.log(1.0 + total / df) * (1.0 if t.startswith(ENTITY_PREFIX) else rarity(t))
        for t, df in document_frequency.items()
    }
    claims = [d.claim for d in drafts]
    for claim in claims:
        claim.norm = math.sqrt(sum(idf[t] ** 2 for t in claim.terms))
    table = ClaimTable(claims=claims, idf=idf, max_idf=math.log(1.0 + max(total, 1)), variants=word_variants)
    table.by_ref = {claim.ref: i for i, claim in enumerate(claims)}
    return table
