"""factdesk's own named-entity recogniser: PERSON, ORG, LOC and NORP spans in news text.

How it works, in order (each step is its own module):

1. :mod:`tokens` splits each sentence into tokens with offsets (possessives and
   hyphens apart, abbreviation periods kept);
2. :mod:`features` truecases headings and shouted lines from the article's own
   casing, and describes each token by a small key (word, position, casing
   evidence, gazetteer tags);
3. :mod:`perceptron` — an averaged perceptron trained on the NIST IE-ER newswire
   (``python -m factdesk.annotations.training.train``) and shipped as ``data/ner_model.json.gz`` —
   labels tokens greedily in BIO;
4. :mod:`spans` turns labels into mentions, strips titles, keeps "al-", adds NORP
   from the lexicon (``data/ner_lexicon.json.gz``);
5. rule passes for news the model never saw (:mod:`places`, :mod:`place_cues`, :mod:`parties`, :mod:`media`,
   :mod:`bodies`, :mod:`name_cues`, …): gazetteer, landform and grammar cues ("MP for X", "X-based", a photo
   credit, a name before its acronym in brackets);
6. :mod:`consistency` gives a name one label everywhere and tags its other mentions.

DATE is not produced here (``factdesk.annotations.text.dates`` does it); pass ``dates`` to keep names
out of them. Model and lexicon load on first use: importing this package is cheap and
never needs NLTK, NLTK_DATA or the network.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

from factdesk.annotations.model import Entity
from factdesk.annotations.ner.bodies import body_mentions
from factdesk.annotations.ner.consistency import propagate
from factdesk.annotations.ner.demonyms import demonym_mentions
from factdesk.annotations.ner.document import SentenceSpan, TaggedDocument, tag_document, tokenise_document
from factdesk.annotations.ner.features import CaseStats
from factdesk.annotations.ner.lexicon import Lexicon, load_lexicon, read_json_gz
from factdesk.annotations.ner.media import media_mentions
from factdesk.annotations.ner.name_cues import name_cue_mentions
from factdesk.annotations.ner.parties import party_mentions
from factdesk.annotations.ner.perceptron import Tagger, from_json
from factdesk.annotations.ner.person_names import person_name_mentions
from factdesk.annotations.ner.place_cues import place_cue_mentions
from factdesk.annotations.ner.places import place_mentions
from factdesk.annotations.ner.relief import relief_mentions
from factdesk.annotations.ner.spans import add_lexicon_mentions, clean, decode

MODEL_FILE = "ner_model.json.gz"

__all__ = ["SentenceSpan", "tag_corpus", "tag_entities"]


@lru_cache(maxsize=1)
def load_tagger() -> Tagger:
    """The shipped model, read once on first use."""
    return from_json(read_json_gz(MODEL_FILE), load_lexicon())


def run(
    texts: Sequence[str],
    sentences: Sequence[Sequence[SentenceSpan]],
    tagger: Tagger,
    lexicon: Lexicon,
    *,
    consistency: bool = True,
) -> list[TaggedDocument]:
    """The whole pipeline with an explicit model (training and evaluation call this)."""
    docs = [tokenise_document(text, spans, lexicon) for text, spans in zip(texts, sentences, strict=True)]
    if len(docs) > 1:
        corpus = CaseStats.merged([doc.stats for doc in docs])
        for doc in docs:
            doc.stats.parent = corpus
    for doc in docs:
        tag_with_rules(doc, tagger, lexicon)
    if consistency:
        propagate(docs, lexicon)
        for doc in docs:
            body_mentions(doc, lexicon)  # a place the pass added before "police" or "government"
    return docs


def tag_with_rules(doc: TaggedDocument, tagger: Tagger, lexicon: Lexicon) -> None:
    """One tokenised document's own mentions: the model, then the rule passes (everything before consistency).

    Reads the corpus only through ``doc.stats`` (its casing table and the corpus's behind it).
    """
    tag_document(doc, tagger, lexicon)
    mentions = [m for index, s in enumerate(doc.sentences) for m in decode(s, index)]
    doc.mentions = add_lexicon_mentions(doc, clean(doc, mentions, lexicon), lexicon)
    place_mentions(doc, lexicon)
    place_cue_mentions(doc, lexicon)
    party_mentions(doc)
    relief_mentions(doc)
    media_mentions(doc)
    body_mentions(doc, lexicon)
    name_cue_mentions(doc, lexicon)
    person_name_mentions(doc, lexicon)
    demonym_mentions(doc, lexicon)


def to_entities(doc: TaggedDocument, dates: Sequence[Entity] = ()) -> list[Entity]:
    """Sorted, non-overlapping entities (longer and earlier first), none inside a date."""
    spans = []
    for m in doc.mentions:
        s = doc.sentences[m.sent]
        spans.append((s.offsets[m.i][0], s.offsets[m.j - 1][1], m.label))
    # A span overlaps a date when a date starting before its end ends after its start: the dates by start, with
    # the running maximum of their ends, answer that by bisection (a long article has thousands of dates).
    date_spans = sorted((d.start, d.end) for d in dates)
    date_starts = [ds for ds, _ in date_spans]
    furthest = list(accumulate((de for _, de in date_spans), max))
    kept: list[Entity] = []
    for start, end, label in sorted(spans, key=lambda x: (x[0], x[0] - x[1], x[2])):
        if kept and start < kept[-1].end:
            continue
        before_end = bisect_left(date_starts, end)  # the dates with ds < end
        if before_end and furthest[before_end - 1] > start:
            continue
        kept.append(Entity(start, end, doc.text[start:end], label))
    return kept


def tag_corpus(
    texts: list[str],
    sentences: list[list[SentenceSpan]],
    dates: Sequence[Sequence[Entity]] | None = None,
) -> list[list[Entity]]:
    """PERSON/ORG/LOC/NORP entities of every article, consistent across the corpus.

    ``sentences[k]`` are ``(start, end, is_heading)`` spans into ``texts[k]`` (leave out
    boilerplate); ``dates[k]``, if given, are DATE entities no name may overlap.
    """
    lexicon = load_lexicon()
    docs = run(texts, sentences, load_tagger(), lexicon)
    if dates is None:
        return [to_entities(doc) for doc in docs]
    return [to_entities(doc, article_dates) for doc, article_dates in zip(docs, dates, strict=True)]


def tag_entities(text: str, sentences: list[SentenceSpan], dates: Sequence[Entity] | None = None) -> list[Entity]:
    """PERSON/ORG/LOC/NORP entities of one article (the consistency pass runs within it)."""
    return tag_corpus([text], [sentences], None if dates is None else [dates])[0]
