"""One article, tokenised and tagged: the intermediate form every later pass works on.

Why keep tokens and not just entities: the consistency pass must find *untagged*
occurrences of a name ("Homs" in a heading the model passed over), and that means
matching token sequences, with the truecased forms the model saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from factdesk.annotations.ner.features import CaseStats, Key, document_keys, first_word, is_caps_line
from factdesk.annotations.ner.lexicon import Lexicon
from factdesk.annotations.ner.perceptron import Tagger
from factdesk.annotations.ner.tokens import tokenize

SentenceSpan = tuple[int, int, bool]  # start, end, is_heading


@dataclass
class Mention:
    """A candidate entity: tokens ``[i, j)`` of sentence ``sent``."""

    sent: int
    i: int
    j: int
    label: str
    confidence: float
    source: str = "model"  # "model", "lexicon", "pattern", "propagated"


@dataclass
class TaggedSentence:
    start: int
    end: int
    heading: bool
    offsets: list[tuple[int, int]]
    words: list[str]  # as written
    caps: bool = False  # a heading or a shouted line, truecased before tagging (``is_caps_line``)
    seen: list[str] = field(default_factory=list)  # as the model saw them (truecased in caps lines)
    keys: list[Key] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    margins: list[float] = field(default_factory=list)


@dataclass
class TaggedDocument:
    text: str
    sentences: list[TaggedSentence]
    stats: CaseStats
    mentions: list[Mention] = field(default_factory=list)

    def surface(self, m: Mention) -> str:
        s = self.sentences[m.sent]
        return self.text[s.offsets[m.i][0] : s.offsets[m.j - 1][1]]

    def seen_tokens(self, m: Mention) -> tuple[str, ...]:
        return tuple(self.sentences[m.sent].seen[m.i : m.j])

    def mentions_by_sentence(self) -> dict[int, list[Mention]]:
        """The mentions grouped by sentence index, in their order: the rule passes rewrite a sentence at a time."""
        grouped: dict[int, list[Mention]] = {}
        for m in self.mentions:
            grouped.setdefault(m.sent, []).append(m)
        return grouped


def tokenise_document(text: str, sentences: Sequence[SentenceSpan], lexicon: Lexicon) -> TaggedDocument:
    """Tokens of every sentence plus the document's casing table (no tagging yet)."""
    stats = CaseStats()
    tagged: list[TaggedSentence] = []
    for start, end, heading in sentences:
        offsets = tokenize(text, start, end)
        if not offsets:
            continue
        words = [text[s:e] for s, e in offsets]
        caps = is_caps_line(words, heading, lexicon.stopwords)
        stats.add(words, first_word(words), caps)
        tagged.append(TaggedSentence(start, end, heading, offsets, words, caps))
    return TaggedDocument(text, tagged, stats)


def keys_of(doc: TaggedDocument, lexicon: Lexicon) -> list[tuple[list[Key], list[str]]]:
    """Keys and truecased words of every sentence of a tokenised document (tagging and training both read these)."""
    return document_keys([(s.words, s.offsets, s.caps) for s in doc.sentences], doc.stats, lexicon)


def tag_document(doc: TaggedDocument, tagger: Tagger, lexicon: Lexicon) -> None:
    """Run the model over every sentence (fills ``keys``, ``seen``, ``labels``, ``margins``)."""
    keyed = keys_of(doc, lexicon)
    tagged = tagger.tag_many([keys for keys, _ in keyed])
    for sentence, (keys, seen), (labels, margins) in zip(doc.sentences, keyed, tagged, strict=True):
        sentence.keys, sentence.seen = keys, seen
        sentence.labels, sentence.margins = labels, margins
