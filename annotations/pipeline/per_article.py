"""One article's own analysis, split where the recogniser reads the corpus, with a record of what it read.

Why: the analysis should be cached, and spread over processes, article by article — yet the recogniser reads the
corpus twice: the corpus's casing table answers for words an article never writes mid-sentence (truecasing its
headings, the evidence for its sentence-first words), and the consistency pass gives a name one label across the
corpus. So each article's work runs in three steps, each a plain function of the article and a corpus table:

1. :func:`prepare` — sentences, dates, numbers, tokens and the article's own casing counts (the article alone);
2. :func:`tag` — the model and the rule passes, with the corpus's casing table behind the article's own; gives the
   article's votes for the consistency pass;
3. :func:`finish` — the consistency pass with the corpus's label tables, then the entities.

Steps 2 and 3 record every question they ask of a corpus table and its answer (:class:`TracedCasing`,
:class:`Recorder`). The work is deterministic, so when a changed corpus answers every recorded question the same
way, the article's result is the same and its cache entry stands (:func:`casing_holds`, :func:`labels_hold`); only
the articles whose answers changed are analysed again. This keeps the results exactly those of analysing the whole
corpus at once (``tests/test_per_article.py`` holds the two equal).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from factdesk.annotations.model import Entity, FigureRecord, NumberMention, Sentence
from factdesk.annotations.ner import load_tagger, tag_with_rules, to_entities
from factdesk.annotations.ner.bodies import body_mentions
from factdesk.annotations.ner.consistency import apply_labels, corpus_labels, document_votes
from factdesk.annotations.ner.document import TaggedDocument, tokenise_document
from factdesk.annotations.ner.entities import sentence_spans
from factdesk.annotations.ner.features import CaseStats, Key
from factdesk.annotations.ner.lexicon import load_lexicon
from factdesk.annotations.text.dates import find_dates
from factdesk.annotations.text.language import ENGLISH, article_language, decimal_comma
from factdesk.annotations.text.numbers import find_numbers
from factdesk.annotations.text.segment import segment

Name = tuple[str, ...]
# A question put to the corpus's casing table and its answer: ("e", word) → evidence, ("b", word) → best form or
# None, ("p", left, right) → the pair's forms or None (words lower-cased).
CasingTrace = dict[tuple[str, ...], Any]
Votes = dict[Name, dict[str, float]]
Best = dict[Name, float]
FigureBasis = tuple[str, str, str]  # (date, outlet, story year or ""): see ArticleWork.figures
Found = tuple[list[Entity], list[NumberMention]]  # an article's dates and numbers: see dates_and_numbers


@dataclass
class LabelTrace:
    """The questions the consistency pass put to the corpus's tables, with their answers (None: absent)."""

    labels: dict[Name, str | None] = field(default_factory=dict)
    first: dict[str, list[int] | None] = field(default_factory=dict)
    trusted: dict[Name, str | None] = field(default_factory=dict)


@dataclass
class ArticleWork:
    """Everything one article's analysis produces; the per-article cache stores it (``article_cache``)."""

    sentences: tuple[Sentence, ...]
    dates: tuple[Entity, ...]
    numbers: tuple[NumberMention, ...]
    counts: dict[str, int]
    pairs: dict[str, int]
    casing: CasingTrace = field(default_factory=dict)
    votes: Votes = field(default_factory=dict)
    best: Best = field(default_factory=dict)
    labels: LabelTrace = field(default_factory=LabelTrace)
    entities: tuple[Entity, ...] = ()
    # The article's figure records (``compare.figures.article_figures``), read after step 3, and what they were read
    # with beyond the results above: the article's date and outlet, and the story's year when the article has no
    # year of its own (else ""). None until read; a step-3 rerun (new entities) drops them.
    figures: tuple[FigureRecord, ...] | None = None
    figure_basis: FigureBasis | None = None


class TracedCasing(CaseStats):
    """An article's own casing table in front of the corpus's, recording each question the corpus answers.

    Answers exactly as a :class:`CaseStats` whose ``parent`` is the corpus table: the article's own forms first,
    the corpus's when it has none.
    """

    def __init__(self, own: CaseStats, corpus: CaseStats) -> None:
        super().__init__()
        self.counts, self.pairs = own.counts, own.pairs
        self.corpus = corpus
        self.trace: CasingTrace = {}

    def evidence(self, lowered: str) -> str:
        if lowered in self.variants:
            return super().evidence(lowered)
        answer = self.corpus.evidence(lowered)
        self.trace[("e", lowered)] = answer
        return answer

    def truecase(self, word: str, common: frozenset[str]) -> str:
        lowered = word.lower()
        if lowered not in self.variants:
            best = self.corpus._best(lowered)
            self.trace[("b", lowered)] = best
            if best is not None:
                return best
        return super().truecase(word, common)  # own forms, or (none anywhere) the rules for an unseen word

    def truecase_pair(self, left: str, right: str) -> tuple[str, str] | None:
        own = super().truecase_pair(left, right)
        if own is not None:
            return own
        answer = self.corpus.truecase_pair(left, right)
        self.trace[("p", left.lower(), right.lower())] = answer
        return answer


def casing_answer(corpus: CaseStats, question: tuple[str, ...]) -> Any:
    """The corpus table's answer to one recorded question (see :data:`CasingTrace`)."""
    if question[0] == "e":
        return corpus.evidence(question[1])
    if question[0] == "b":
        return corpus._best(question[1])
    return corpus.truecase_pair(question[1], question[2])


def casing_holds(trace: CasingTrace, corpus: CaseStats) -> bool:
    """Whether ``corpus`` answers every recorded question as it was answered (then step 2's result stands)."""
    return all(casing_answer(corpus, question) == answer for question, answer in trace.items())


class Recorder(Mapping[Any, Any]):
    """A read-only view of a table that notes each key asked for and the answer (None: absent)."""

    def __init__(self, table: Mapping[Any, Any], log: dict[Any, Any]) -> None:
        self.table, self.log = table, log

    def __getitem__(self, key: Any) -> Any:
        value = self.table.get(key)
        self.log[key] = value
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        value = self.table.get(key)
        self.log[key] = value
        return value is not None

    def get(self, key: Any, default: Any = None) -> Any:
        value = self.table.get(key)
        self.log[key] = value
        return default if value is None else value

    def __iter__(self) -> Iterator[Any]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


@dataclass
class CorpusTables:
    """What steps 2 and 3 read of the corpus: the merged casing table; the names' labels."""

    casing: CaseStats
    labels: dict[Name, str] = field(default_factory=dict)
    trusted: dict[Name, str] = field(default_factory=dict)
    first: dict[str, list[int]] = field(default_factory=dict)


def merged_casing(works: Sequence[ArticleWork]) -> CaseStats:
    """The corpus's casing table: every article's own counts summed (order does not change an answer)."""
    table = CaseStats()
    counts: Counter[str] = table.counts
    pairs: Counter[str] = table.pairs
    for work in works:
        counts.update(work.counts)
        pairs.update(work.pairs)
    return table


def set_labels(tables: CorpusTables, works: Sequence[ArticleWork]) -> None:
    """The corpus's label tables from every article's votes (sums of whole numbers, maxima: order-free)."""
    votes: Votes = {}
    best: Best = {}
    for work in works:
        for name, counts in work.votes.items():
            total = votes.setdefault(name, {})
            for label, weight in counts.items():
                total[label] = total.get(label, 0.0) + weight
        for name, confidence in work.best.items():
            best[name] = max(best.get(name, 0.0), confidence)
    tables.labels, tables.trusted, tables.first = corpus_labels(votes, best, load_lexicon())


def labels_hold(trace: LabelTrace, tables: CorpusTables) -> bool:
    """Whether the corpus's label tables answer every question step 3 asked as they did (its result stands)."""
    return (
        all(tables.labels.get(name) == answer for name, answer in trace.labels.items())
        and all(tables.first.get(word) == answer for word, answer in trace.first.items())
        and all(tables.trusted.get(name) == answer for name, answer in trace.trusted.items())
    )


def _numbers_outside(numbers: Sequence[NumberMention], sentences: Sequence[Sentence]) -> list[NumberMention]:
    """The numbers in body text (headings included; boilerplate such as copyright years not)."""
    body = [(s.start, s.end) for s in sentences if s.kind != "boilerplate"]  # in text order
    starts = [start for start, _ in body]
    kept = []
    for number in numbers:
        position = bisect_right(starts, number.start) - 1
        if position >= 0 and number.end <= body[position][1]:
            kept.append(number)
    return kept


def dates_and_numbers(text: str) -> Found:
    """The part of step 1 that reads the text alone, not its sentences: its dates, and every number outside them
    (boilerplate still in), read as the article's language writes them ("1.200" is twelve hundred in German). Why
    apart: a very big article's runs in a helper process while this one segments and tokenises it
    (``workers.DatesHelper``)."""
    dates = find_dates(text)
    return dates, find_numbers(text, dates=dates, decimal_comma=decimal_comma(article_language(text)))


def body_dates(dates: Sequence[Entity], sentences: Sequence[Sentence]) -> list[Entity]:
    """The dates inside the sentences the recogniser reads (body and headings, never boilerplate)."""
    spans = sentence_spans(sentences)
    starts = [start for start, _, _ in spans]
    kept: list[Entity] = []
    for entity in dates:
        position = bisect_right(starts, entity.start) - 1
        if position >= 0 and entity.end <= spans[position][1]:
            kept.append(entity)
    return kept


def prepare(text: str, found: Callable[[], Found] | None = None) -> tuple[ArticleWork, TaggedDocument]:
    """Step 1, the article alone: sentences, dates, numbers; its tokens and own casing counts.

    ``found``: where the article's :func:`dates_and_numbers` come from when another process reads them (asked once
    this process has its sentences and tokens); by default they are read here.
    """
    sentences = segment(text)
    doc = tokenise_document(text, sentence_spans(sentences), load_lexicon())
    dates, numbers = found() if found is not None else dates_and_numbers(text)
    # An article in another language lends the corpus's casing table nothing: the recogniser never reads it (tag).
    english = article_language(text) == ENGLISH
    work = ArticleWork(
        sentences=tuple(sentences),
        dates=tuple(dates),
        numbers=tuple(_numbers_outside(numbers, sentences)),
        counts=doc.stats.counts if english else {},  # the same tables, not copies (read, never changed, from here on)
        pairs=doc.stats.pairs if english else {},
    )
    return work, doc


def tokens_of(text: str, work: ArticleWork) -> TaggedDocument:
    """Step 1's tokens again for an article whose other results came from the cache."""
    return tokenise_document(text, sentence_spans(work.sentences), load_lexicon())


def tag(work: ArticleWork, doc: TaggedDocument, casing: CaseStats) -> None:
    """Step 2: the model and the rule passes over ``doc`` with ``casing`` behind its own table; fills the votes.

    Not on an article in another language (``annotations/text/language.py``): the model and the rules read English,
    so it asks nothing, votes for nothing, and its tokens go at once (step 3 gives it its dates only)."""
    if article_language(doc.text) != ENGLISH:
        doc.sentences = []
        return
    lexicon = load_lexicon()
    traced = TracedCasing(doc.stats, casing)
    doc.stats = traced
    tag_with_rules(doc, load_tagger(), lexicon)
    work.casing = traced.trace
    work.votes, work.best = document_votes(doc, lexicon)
    # Until step 3 (after every article's step 2) the tokens wait in memory: keep only what step 3 reads of the
    # model's view, each token's gazetteer tags (key[3]), not its labels, margins and contexts, and one key object
    # per distinct tags (most tokens have none); each word as written as its equal seen form where there is one (the
    # lexicon's one object per word); not the index of the article's own casing table (step 3 asks it nothing; it
    # would be built again if asked). On 500 articles that is 60 MB of the recogniser's peak (tests/test_memory.py).
    for sentence in doc.sentences:
        sentence.labels, sentence.margins = [], []
        sentence.keys = [_TAGS_ONLY.get(key[3]) or _tags_only(key[3]) for key in sentence.keys]
        sentence.words = [s if s == w else w for w, s in zip(sentence.words, sentence.seen, strict=True)]
    traced._variants = None


# step 2's stripped keys (see tag), one per distinct gazetteer tags: the tags come from the lexicon's few values
_TAGS_ONLY: dict[tuple[str, ...], Key] = {}


def _tags_only(tags: tuple[str, ...]) -> Key:
    key = _TAGS_ONLY[tags] = ("", "", "", tags, "", ())
    return key


def finish(work: ArticleWork, doc: TaggedDocument, tables: CorpusTables) -> None:
    """Step 3: the consistency pass with the corpus's label tables, then the article's entities (for an article in
    another language, its dates only: see :func:`tag`)."""
    if article_language(doc.text) != ENGLISH:
        work.labels = LabelTrace()
        work.entities = tuple(sorted(body_dates(work.dates, work.sentences), key=lambda e: e.start))
        return
    lexicon = load_lexicon()
    # The first-word table is asked about every word of the article, too often to record one question at a time:
    # its answers for every capitalised word are recorded instead (a trusted name starts with a capital, so the
    # table has no other word, whatever the corpus).
    first = tables.first
    words = sorted({word for s in doc.sentences for word in s.seen if word[:1].isupper()})
    trace = LabelTrace(first={word: first.get(word) for word in words})
    apply_labels(doc, Recorder(tables.labels, trace.labels), Recorder(tables.trusted, trace.trusted), first, lexicon)
    body_mentions(doc, lexicon)  # a place the pass added before "police" or "government"
    dates = body_dates(work.dates, work.sentences)
    names = to_entities(doc, dates)
    work.labels = trace
    work.entities = tuple(sorted([*dates, *names], key=lambda e: e.start))
