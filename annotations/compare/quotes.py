"""Direct quotes with their speaker, and the same speaker's words as other outlets quote them.

Why: outlets quote one official in slightly different words — a word changed, a clause dropped, a partial quote
("a “catastrophic” failure") — and a reviewer needs to see which wording is whose. The quoted spans and their
reporting verbs come from the text (:mod:`factdesk.annotations.text.quotes`); here the speaker becomes an entity of
the analysis (a PERSON or ORG next to the verb, its alias group's key, so "Biden", "Joe Biden" and "President Joe
Biden" are one speaker; "he"/"she" is the person named last before it in the paragraph, outside quotes; a quote
right after another of the same paragraph with no cue of its own continues its speaker), and quotes of one
speaker in different articles pair when they share at least half the content words of the shorter one. A quote
with no speaker is listed, never paired.

Computed on demand from a :class:`~factdesk.annotations.model.CorpusAnalysis` (``Q`` in the reader, the brief) and
kept per analysis object (:func:`quote_index`) — never part of the cached analysis or ``analyze --json``.
Near-linear: one pass per article, and pairs are found through a word index per speaker whose common words (more
than ``POSTING_CAP`` quotes) are not walked.
"""

from __future__ import annotations

import re
import threading
import weakref
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from factdesk.annotations.compare.quote_diff import DiffPart, differs, normal_words, partial, word_diff
from factdesk.annotations.model import ArticleAnalysis, ClaimRef, CorpusAnalysis, Entity
from factdesk.annotations.ner.aliases import AliasIndex
from factdesk.annotations.text.quotes import QuoteCue, QuoteSpan, paragraph_starts, quote_cues, quote_spans

__all__ = [
    "MIN_OVERLAP",
    "Quote",
    "QuoteIndex",
    "QuotePair",
    "article_quotes",
    "content_words",
    "overlap",
    "quote_index",
    "strip_title",
]

MIN_OVERLAP = 0.5  # shared content words, as a share of the shorter quote's, for two quotes to be one
POSTING_CAP = 400  # a word in more of one speaker's quotes than this finds no candidates (it is in all of them)
CANDIDATES_PER_QUOTE = 64  # the most same-speaker quotes a quote is checked against, most shared words first
SPEAKER_LABELS = frozenset({"PERSON", "ORG"})
CONTINUATION_GAP = 200  # characters between two quotes of a paragraph for the second to keep the first's speaker

# Small function words: "we will rebuild" and "they must rebuild" share a content word, not three.
STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being it its this that "
    "these those i me my we us our you your he him his she her they them their not no so do does did have has had "
    "will would can could should may might must shall there here what which who whom when where why how all any "
    "than then also just very into out up about over".split()
)

# Words of office or address before a name ("President Joe Biden", "Foreign Minister X", "Dr X"): dropped from a
# speaker's name so every outlet's form meets. Titles only, in any story; never a name.
TITLES = frozenset(
    "president vice prime minister deputy foreign defence defense interior finance health justice home secretary "
    "state chancellor premier governor gov mayor senator sen representative rep congressman congresswoman mp "
    "ambassador envoy special general gen lieutenant lt colonel col major maj captain capt sergeant sgt commander "
    "admiral chief judge officer inspector superintendent commissioner director chairman chairwoman chair ceo "
    "spokesman spokeswoman spokesperson leader king queen prince princess pope sheikh sir dame lord lady mr mrs ms "
    "miss dr prof professor rev reverend father former acting interim then".split()
)
_TITLE_WORD = re.compile(r"[\w.]+")


def strip_title(surface: str) -> str:
    """``surface`` without the words of office before the name: "Foreign Minister Jane Roe" → "Jane Roe" (a name
    of title words alone is kept whole)."""
    words = surface.split()
    first = 0
    while first < len(words) - 1 and words[first].rstrip(".").casefold() in TITLES:
        first += 1
    return " ".join(words[first:])


def content_words(text: str) -> frozenset[str]:
    """The words a quote is matched on: compared forms, without function words (all of them for a quote of
    function words only, "we will")."""
    all_words = normal_words(text)
    kept = frozenset(w for w in all_words if w not in STOPWORDS and any(ch.isalnum() for ch in w))
    return kept or frozenset(all_words)


def overlap(first: frozenset[str], second: frozenset[str]) -> float:
    """Shared words as a share of the shorter set's (1.0 for a partial quote inside a full one)."""
    shorter = min(len(first), len(second))
    return len(first & second) / shorter if shorter else 0.0


@dataclass(frozen=True)
class Quote:
    """One direct quote: where it is, its words, and who says it (``speaker_key`` None when nobody is found)."""

    article_id: str
    start: int  # the words inside the marks, file offsets
    end: int
    text: str  # as written, whitespace runs made one space
    sentences: tuple[int, ...]  # the sentences it touches (a quote may run across a sentence end)
    speaker: str = ""  # the speaker's name as the corpus knows it best ("" unknown)
    speaker_key: str | None = None  # alias key (label:key); equal keys are one speaker
    via: str = ""  # how the speaker was found: "name", "pronoun", "continued", "" unknown

    @property
    def ref(self) -> ClaimRef:
        return ClaimRef(self.article_id, self.sentences[0])

    @cached_property
    def words(self) -> frozenset[str]:
        return content_words(self.text)


@dataclass(frozen=True)
class QuotePair:
    """A quote (``first``) and the same speaker's words in another article (``second``), with the word diff."""

    first: Quote
    second: Quote
    overlap: float
    first_copies: tuple[Quote, ...] = ()  # other quotes of the speaker in the first's words (brief: every outlet)
    second_copies: tuple[Quote, ...] = ()

    @cached_property
    def diff(self) -> tuple[DiffPart, ...]:
        return word_diff(self.first.text, self.second.text)

    @cached_property
    def kind(self) -> str:
        """ "same" (the same words), "partial" (they differ only in where the quote starts or stops: one quotes a
        run of the other's words) or "differs" (a word changed, added or dropped inside)."""
        if not differs(self.diff):
            return "same"
        return "partial" if partial(self.diff) else "differs"


class _Speakers:
    """Entity → speaker (key, name) for one corpus: alias groups over the PERSON/ORG names with titles dropped."""

    def __init__(self, analysis: CorpusAnalysis) -> None:
        names = [
            Entity(e.start, e.end, strip_title(e.text), e.label)
            for article in analysis.articles
            for e in article.entities
            if e.label in SPEAKER_LABELS
        ]
        self.index = AliasIndex(names)
        self._cache: dict[tuple[str, str], tuple[str, str]] = {}

    def of(self, entity: Entity) -> tuple[str, str]:
        found = self._cache.get((entity.text, entity.label))
        if found is None:
            name = strip_title(entity.text)
            key = self.index.key_of(name, entity.label)
            group = self.index.group_of(name, entity.label)
            found = (key, group.canonical if group is not None else name)
            self._cache[(entity.text, entity.label)] = found
        return found


def _between(entities: list[Entity], starts: list[int], start: int, end: int) -> list[Entity]:
    first = bisect_left(starts, start)
    last = bisect_left(starts, end)
    return [e for e in entities[first:last] if e.end <= end]


def article_quotes(analysis: ArticleAnalysis, speaker_of: Callable[[Entity], tuple[str, str]]) -> list[Quote]:
    """Every direct quote of one article with its speaker (see the module's docstring), in reading order."""
    text = analysis.article.text
    spans = quote_spans(text)
    if not spans:
        return []
    paragraphs = paragraph_starts(text)
    sentence_starts = [s.start for s in analysis.sentences]
    names = [e for e in analysis.entities if e.label in SPEAKER_LABELS]
    outside = _outside_quotes(names, spans)
    outside_starts = [e.start for e in outside]
    people = [e for e in outside if e.label == "PERSON"]
    people_starts = [e.start for e in people]
    quotes: list[Quote] = []
    previous: QuoteSpan | None = None
    for number, span in enumerate(spans):
        if bisect_right(paragraphs, span.open) < len(paragraphs):
            paragraph_end = paragraphs[bisect_right(paragraphs, span.open)]
        else:
            paragraph_end = len(text)
        floor = max(span.paragraph, previous.close + 1 if previous is not None else 0)
        following = spans[number + 1].open if number + 1 < len(spans) else len(text)
        ceiling = min(paragraph_end, following)
        speaker, key, via = "", None, ""
        for cue in quote_cues(text, span, floor, ceiling):
            speaker, key, via = _speaker(
                cue, outside, outside_starts, people, people_starts, span.paragraph, speaker_of
            )
            if key is not None:
                break
        if key is None and previous is not None and quotes and quotes[-1].speaker_key is not None:
            last = quotes[-1]
            between = _between(people, people_starts, previous.close, span.open)
            others = [e for e in between if speaker_of(e)[0] != last.speaker_key]  # "…," said X. "…" is X's
            same = previous.paragraph == span.paragraph and span.open - previous.close <= CONTINUATION_GAP
            running = previous.runs_on and span.open == span.paragraph  # the quote it reopens: the same voice
            if running or (
                not others and (same or _quote_paragraph_after(text, paragraphs, previous, span, paragraph_end))
            ):
                speaker, key, via = last.speaker, last.speaker_key, "continued"
        first = max(bisect_right(sentence_starts, span.start) - 1, 0)
        last_sentence = max(bisect_right(sentence_starts, span.end - 1) - 1, first)
        touched = tuple(s.index for s in analysis.sentences[first : last_sentence + 1]) or (0,)
        words = " ".join(text[span.start : span.end].split())
        quotes.append(Quote(analysis.article.id, span.start, span.end, words, touched, speaker, key, via))
        previous = span
    return quotes


_BARE = ' \t\r\n"“”„«».,;:!?—–-'


def _quote_paragraph_after(text: str, paragraphs: list[int], previous: QuoteSpan, span: QuoteSpan, end: int) -> bool:
    """Whether ``span`` is a paragraph of its own right after ``previous``'s paragraph: news goes on quoting one
    speaker paragraph after paragraph, naming them once."""
    at = bisect_right(paragraphs, previous.open) - 1
    if at + 1 >= len(paragraphs) or paragraphs[at + 1] != span.paragraph:
        return False
    return not text[span.paragraph : span.open].strip(_BARE) and not text[span.close + 1 : end].strip(_BARE)


def _outside_quotes(names: list[Entity], spans: list[QuoteSpan]) -> list[Entity]:
    """The names not inside any quote (both lists in order: one merged walk)."""
    kept, at = [], 0
    for entity in names:
        while at < len(spans) and spans[at].close < entity.start:
            at += 1
        if at < len(spans) and spans[at].open < entity.start < spans[at].close:
            continue
        kept.append(entity)
    return kept


def _speaker(
    cue: QuoteCue,
    names: list[Entity],
    starts: list[int],
    people: list[Entity],
    people_starts: list[int],
    paragraph: int,
    speaker_of: Callable[[Entity], tuple[str, str]],
) -> tuple[str, str | None, str]:
    if cue.pronoun:
        position = bisect_left(people_starts, cue.at) - 1
        if position >= 0 and people[position].start >= paragraph:
            name, key = speaker_of(people[position])[1], speaker_of(people[position])[0]
            return name, key, "pronoun"
        return "", None, ""
    found = _between(names, starts, cue.speaker_start, cue.speaker_end)
    if not found:
        return "", None, ""
    persons = [e for e in found if e.label == "PERSON"]  # "Jane Roe of Acme said": the person, not the firm
    if cue.side == "after" or cue.first:
        entity = (persons or found)[0]  # "…," said X / "…," X, a manager at Acme, said
    elif cue.verb.endswith("ing"):
        # "X expressed confidence that Y's government …, stating, “…”": a participle's subject is the sentence's
        # first person (else its last name before the verb).
        entity = persons[0] if persons else found[-1]
    else:
        entity = (persons or found)[-1]  # "X said" / "…," X told Reuters: the name next to the verb
    key, name = speaker_of(entity)
    return name, key, "name"


class QuoteIndex:
    """Every quote of one corpus, by claim and by speaker, and the pairs across outlets.

    Pairs are found between *wordings* — a speaker's quote as its words read, case and punctuation aside — not
    between quotes: copies of one story carry one wording many times, and it is looked up, diffed and listed once
    (with every outlet that carries it), so a hundred copies cost what one does.
    """

    def __init__(self, analysis: CorpusAnalysis) -> None:
        # (No reference to the analysis is kept: the cache below is dropped with it.)
        self._order = {a.article.id: n for n, a in enumerate(analysis.articles)}
        speakers = _Speakers(analysis)
        self.quotes: list[Quote] = []
        for article in analysis.articles:
            self.quotes.extend(article_quotes(article, speakers.of))
        self._by_claim: dict[ClaimRef, list[Quote]] = defaultdict(list)
        self._wording_of: list[int] = []  # quote number → its wording (-1 without a speaker)
        self._wordings: list[list[int]] = []  # wording → its quotes' numbers, in reading order
        self._wording_speaker: list[str] = []
        by_speaker: dict[str, list[int]] = defaultdict(list)  # speaker → wordings
        numbered: dict[tuple[str, tuple[str, ...]], int] = {}
        for number, quote in enumerate(self.quotes):
            for sentence in quote.sentences:
                self._by_claim[ClaimRef(quote.article_id, sentence)].append(quote)
            if quote.speaker_key is None:
                self._wording_of.append(-1)
                continue
            key = (quote.speaker_key, tuple(normal_words(quote.text)))
            wording = numbered.get(key)
            if wording is None:
                wording = numbered[key] = len(self._wordings)
                self._wordings.append([])
                self._wording_speaker.append(quote.speaker_key)
                by_speaker[quote.speaker_key].append(wording)
            self._wordings[wording].append(number)
            self._wording_of.append(wording)
        self._by_speaker = by_speaker
        self._postings: dict[str, dict[str, list[int]]] = {}
        self._numbers = {id(quote): number for number, quote in enumerate(self.quotes)}

    def of_claim(self, ref: ClaimRef) -> list[Quote]:
        """The quotes touching claim ``ref``, in reading order."""
        return list(self._by_claim.get(ref, ()))

    def _words(self, wording: int) -> frozenset[str]:
        return self.quotes[self._wordings[wording][0]].words

    def _posting(self, speaker: str) -> dict[str, list[int]]:
        found = self._postings.get(speaker)
        if found is None:
            found = defaultdict(list)
            for wording in self._by_speaker[speaker]:
                for word in self._words(wording):
                    found[word].append(wording)
            self._postings[speaker] = found
        return found

    def _similar(self, wording: int) -> list[tuple[int, float]]:
        """The speaker's other wordings sharing at least ``MIN_OVERLAP`` of the shorter one's words (at most
        ``CANDIDATES_PER_QUOTE``, the most shared words first), and the wording itself."""
        postings = self._posting(self._wording_speaker[wording])
        words = self._words(wording)
        shared: dict[int, int] = defaultdict(int)
        for word in words:
            posting = postings.get(word, ())
            if len(posting) > POSTING_CAP:
                continue
            for other in posting:
                if other != wording:
                    shared[other] += 1
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATES_PER_QUOTE]
        found = [(wording, 1.0)]
        for other, _ in ranked:
            score = overlap(words, self._words(other))
            if score >= MIN_OVERLAP:
                found.append((other, score))
        return found

    def counterparts(self, quote: Quote) -> list[QuotePair]:
        """The same speaker's nearest wording in each other article (overlap ≥ ``MIN_OVERLAP``), best first."""
        number = self._numbers.get(id(quote))
        if number is None or self._wording_of[number] < 0:
            return []
        best: dict[str, QuotePair] = {}
        for wording, score in self._similar(self._wording_of[number]):
            for other_number in self._wordings[wording]:
                other = self.quotes[other_number]
                if other.article_id == quote.article_id:
                    continue
                kept = best.get(other.article_id)
                if kept is None or (score, len(other.text)) > (kept.overlap, len(kept.second.text)):
                    best[other.article_id] = QuotePair(quote, other, score)
        order = self._order
        return sorted(best.values(), key=lambda pair: (-pair.overlap, order.get(pair.second.article_id, 0)))

    def differing_pairs(self) -> list[QuotePair]:
        """Each pair of one speaker's wordings, quoted in two different articles, that differ (a word changed,
        added or dropped inside; not a partial quote of the other), once, in reading order of the first. Each
        pair's ``first_copies``/``second_copies`` are the other quotes in the same words."""
        out: list[tuple[int, QuotePair]] = []
        seen: set[tuple[int, int]] = set()
        for number, quotes in enumerate(self._wordings):
            for found, score in self._similar(number):
                wording, other = min(number, found), max(number, found)
                if wording == other or (wording, other) in seen:
                    continue  # each pair once, whichever of the two found it
                seen.add((wording, other))
                quotes = self._wordings[wording]
                firsts = [self.quotes[n] for n in quotes]
                seconds = [self.quotes[n] for n in self._wordings[other]]
                articles = {q.article_id for q in firsts} | {q.article_id for q in seconds}
                if len(articles) < 2:
                    continue  # both wordings only in one article: not across outlets
                first, second = (
                    firsts[0],
                    next((q for q in seconds if q.article_id != firsts[0].article_id), seconds[0]),
                )
                pair = QuotePair(first, second, score, tuple(firsts[1:]), tuple(q for q in seconds if q is not second))
                if pair.kind == "differs":
                    out.append((min(quotes[0], self._wordings[other][0]), pair))
        out.sort(key=lambda item: item[0])
        return [pair for _, pair in out]


_CACHE: dict[int, tuple[weakref.ref[CorpusAnalysis], QuoteIndex]] = {}
_LOCK = threading.Lock()


def quote_index(analysis: CorpusAnalysis) -> QuoteIndex:
    """The quotes of ``analysis``, computed once per analysis object and dropped with it.

    Keyed by the object, not its contents: hashing a corpus's frozen records would cost as much as reading them,
    and a new analysis (a reload, a reviewer's outlet name) is a new object anyway.
    """
    key = id(analysis)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None and found[0]() is analysis:
            return found[1]
    index = QuoteIndex(analysis)
    with _LOCK:
        _CACHE[key] = (weakref.ref(analysis), index)
    weakref.finalize(analysis, _CACHE.pop, key, None)
    return index


def speakers_of(quotes: Iterable[Quote]) -> list[str]:
    """The distinct speaker names of ``quotes``, in order."""
    return list(dict.fromkeys(q.speaker for q in quotes if q.speaker))
