"""The recogniser's fast paths give exactly what the plain computations they replace give.

Each speed-up reads the same data another way (a pattern without alternatives that
cannot match, weights looked up by value, per-word facts remembered, word pairs found
through their words); these tests hold each one to a plain reading, on the seeds and
on awkward strings, so that a change to a feature template or a rule that forgets its
fast twin fails here rather than shifting entities silently.
"""

from __future__ import annotations

import random
from collections import Counter
from itertools import pairwise
from pathlib import Path

from factdesk.annotations.ner import load_tagger
from factdesk.annotations.ner.document import tokenise_document
from factdesk.annotations.ner.features import CaseStats, first_word
from factdesk.annotations.ner.lexicon import Lexicon, load_lexicon
from factdesk.annotations.ner.tokens import _TOKEN, tokenize, tokens_by
from factdesk.annotations.text.segment import segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ODD = [
    "NEW YORK (AP) -- U.S. and U.N. officials met at Goto.com, iKurd.net and Acme.CO.UK on Jan. 5.",
    "Gen. W. Bush's aides, Mr. O'Brien’s staff and the rebels’ Corp. St. Mt. e.g. i.e. A.B.C.D. x.y",
    "Hayat Tahrir al-Sham (HTS) took Homs; Bashar al-Assad’s army fled. 1,500 / 3.5 / 10:30 .com .org.",
    "İstanbul ǅemal ΣΟΦΙΑ Ünïcödé ²x 'S ’S 's ... -- — _under_ a|b | x.net.",
]


def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(7)
    pieces = [*"aAsSW.'’ -_,x1é²İK", "Mr", "Corp", "co", "U.S.", "'s", "’S", ".com", ".CO.uk", "net", ".int", "..."]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 16))) for _ in range(count)]


def test_tokenize_without_the_rare_alternatives_gives_the_full_patterns_tokens() -> None:
    texts = _seed_texts() + ODD + _random_texts(20_000)
    checked = 0
    for text in texts:
        spans = [(s.start, s.end) for s in segment(text)] if len(text) > 200 else [(0, len(text))]
        spans += [(1, len(text) - 1)] if len(text) > 2 else []
        for start, end in spans:
            assert tokenize(text, start, end) == tokens_by(_TOKEN, text, start, end), text[start:end]
            checked += 1
    assert checked > 20_000


def _words() -> list[str]:
    lexicon = load_lexicon()
    words = sorted(lexicon.stopwords)[:300] + [w for text in ODD for w in text.split()]
    words += ["Assad", "al", "-", "|", "x|y", "Hayat-Tahrir-al-Sham", "internationalisation", "A", "w=", "s3=", "1998"]
    rng = random.Random(11)
    words += ["".join(rng.choice("aAbB-xyz12.'’|éİ") for _ in range(rng.randint(1, 16))) for _ in range(2000)]
    return words


def test_word_vectors_read_by_value_equal_the_plain_feature_sums() -> None:
    tagger = load_tagger()
    for word in _words():
        assert tagger._word_vectors(word) == tagger._plain_word_vectors(word), word


def _plain_tags(lexicon: Lexicon, lowered: list[str]) -> list[tuple[str, ...]]:
    """The gazetteer tags as first written: every token pair looked up."""
    tags = [lexicon.single.get(token, ()) for token in lowered]
    for i, pair in enumerate(pairwise(lowered)):
        for entry, category in lexicon.multi.get(pair, ()):
            size = len(entry)
            if i + size <= len(lowered) and tuple(lowered[i : i + size]) == entry:
                tags[i] = (*tags[i], "B-" + category)
                for j in range(i + 1, i + size):
                    tags[j] = (*tags[j], "I-" + category)
                break
    return tags


def test_remembered_word_facts_and_tags_equal_a_plain_reading() -> None:
    lexicon = load_lexicon()
    sentences = [text.split() for text in ODD] + [
        "the Syrian Observatory for Human Rights in al - Qaida , New York and San Francisco".split(),
        "NEW YORK Stock Exchange said Abu Mohammed al - Golani of Hayat Tahrir al - Sham".split(),
        [w for w in _words() if w],
    ]
    openers = {first for first, _ in lexicon.multi}
    longer = 0
    for words in sentences:
        facts = lexicon.about(words)
        assert facts == lexicon.about(list(words))  # remembered: the same answers again
        for word, (lowered, tags, name_like, opens, same) in zip(words, facts, strict=True):
            assert (lowered, tags, same) == (word.lower(), lexicon.single.get(word.lower(), ()), word)
            assert name_like == (word[:1].isupper() and word.lower() not in lexicon.stopwords)
            assert opens == (word.lower() in openers)
        lowered = [f[0] for f in facts]
        plain = _plain_tags(lexicon, lowered)
        assert lexicon.tag_longer(lowered, [f[1] for f in facts], (f[3] for f in facts)) == plain
        longer += sum(tag.startswith("B-") for tags in plain for tag in tags)
    assert longer >= 3  # the sentences do hold entries of several tokens


def _plain_pair_counts(lines: list[tuple[list[str], bool]]) -> Counter[str]:
    """Adjacent alphabetic words after each ordinary line's first word, as "a b" strings (the first design)."""
    counts: Counter[str] = Counter()
    for words, caps in lines:
        if caps:
            continue
        rest = words[first_word(words) + 1 :]
        counts.update(a + " " + b for a, b in pairwise(rest) if a[0].isalpha() and b[0].isalpha())
    return counts


def _by_lower(counts: Counter[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for form in counts:
        index.setdefault(form.lower(), []).append(form)
    return index


def _plain_truecase_pair(
    tables: list[tuple[Counter[str], dict[str, list[str]]]], left: str, right: str
) -> tuple[str, str] | None:
    """The casing of a word pair the way it was first read: pair strings indexed by their lower case."""
    for counts, index in tables:
        forms = index.get(left.lower() + " " + right.lower())
        if forms:
            first, second = max(sorted(forms), key=counts.__getitem__).split(" ")
            return first, second
    return None


def test_word_pairs_found_through_their_words_read_like_counted_pair_strings() -> None:
    lexicon = load_lexicon()
    texts = [*_seed_texts(), "New York said. NEW YORK and New york and new York. New York again, NEW York."]
    docs = [
        tokenise_document(text, [(s.start, s.end, s.kind == "heading") for s in segment(text)], lexicon)
        for text in texts
    ]
    corpus = CaseStats.merged([doc.stats for doc in docs])
    assert corpus.counts == sum((doc.stats.counts for doc in docs), Counter())
    assert corpus.pairs == sum((doc.stats.pairs for doc in docs), Counter())
    lines = [[(s.words, s.caps) for s in doc.sentences] for doc in docs]
    corpus_pairs = _plain_pair_counts([line for doc_lines in lines for line in doc_lines])
    corpus_index = _by_lower(corpus_pairs)
    asked = found = 0
    for doc, doc_lines in zip(docs, lines, strict=True):
        doc.stats.parent = corpus
        own = _plain_pair_counts(doc_lines)
        assert doc.stats.pairs == own
        tables = [(own, _by_lower(own)), (corpus_pairs, corpus_index)]
        for words, _ in doc_lines:
            for left, right in pairwise(words):
                for a, b in ((left, right), (left.upper(), right.upper()), (left.lower(), right.title())):
                    expected = _plain_truecase_pair(tables, a, b)
                    assert doc.stats.truecase_pair(a, b) == expected, (a, b)
                    asked += 1
                    found += expected is not None
    assert asked > 1000 and found > 100


def test_truecasing_with_a_documents_memo_equals_asking_the_table_each_time() -> None:
    """One memo per document (``document_keys``) keeps the case table's answers; the words come out the same."""
    from factdesk.annotations.ner import features

    lexicon = load_lexicon()
    texts = [*_seed_texts(), "NEW YORK (AP) -- New York said. NEW YORK and New york and new York. HOMS FELL."]
    checked = 0
    for text in texts:
        doc = tokenise_document(text, [(s.start, s.end, s.kind == "heading") for s in segment(text)], lexicon)
        memo: dict = {}
        for sentence in doc.sentences * 2:  # the second time round, every answer comes from the memo
            for caps in (sentence.caps, True):
                plain = features.truecase_sentence(sentence.words, caps, doc.stats, lexicon)
                assert features.truecase_sentence(sentence.words, caps, doc.stats, lexicon, memo) == plain
                checked += 1
    assert checked > 200 and memo


def _plain_glue(offsets: list[tuple[int, int]], i: int) -> str:
    """A token's glue the plain way: "L" when no space separates it from the token before, "R" from the one after."""
    before = i > 0 and offsets[i - 1][1] == offsets[i][0]
    after = i + 1 < len(offsets) and offsets[i][1] == offsets[i + 1][0]
    return ("L" if before else "") + ("R" if after else "")


class _AskedCasing(CaseStats):
    """A casing table that lists the evidence questions put to it, in order."""

    def __init__(self, inner: CaseStats) -> None:
        super().__init__()
        self.counts, self.pairs, self.asked = inner.counts, inner.pairs, []

    def evidence(self, lowered: str) -> str:
        self.asked.append(lowered)
        return super().evidence(lowered)


def test_document_keys_glue_and_evidence_read_by_map_equal_a_token_by_token_reading() -> None:
    """``document_keys`` reads glue from mapped offsets and evidence through a per-word table (C-level lookups);
    each key's glue, flags and evidence are what a token-by-token reading gives, and the casing table is asked
    about each lower-cased word once, in the order of first use (the pipeline records those questions)."""
    from factdesk.annotations.ner.features import document_keys

    lexicon = load_lexicon()
    texts = [
        *_seed_texts(),
        *ODD,
        "Georgia-Pacific (GP) said \"Homs\" fell; HOMS fell. homs? Homs-based x.y.z HOMS' — 'Homs'.",
        "NEW YORK STOCKS RALLY\n\nNew York said New York (AP)--NEW YORK rallied.",
    ]
    checked = 0
    for text in texts:
        doc = tokenise_document(text, [(s.start, s.end, s.kind == "heading") for s in segment(text)], lexicon)
        asking = _AskedCasing(doc.stats)
        keyed = document_keys([(s.words, s.offsets, s.caps) for s in doc.sentences], asking, lexicon)
        plain_asked: list[str] = []
        plain_evidence: dict[str, str] = {}
        for sentence, (keys, seen) in zip(doc.sentences, keyed, strict=True):
            first = first_word(sentence.words)
            for i, key in enumerate(keys):
                word = seen[i]
                assert key[0] == word
                assert key[4] == _plain_glue(sentence.offsets, i), (sentence.words, i)
                flag = "H" if sentence.caps else ""
                assert key[1] == ("F" + flag if i == first else flag)
                if word[0].isalpha():
                    lowered = word.lower()
                    if lowered not in plain_evidence:
                        plain_asked.append(lowered)
                        plain_evidence[lowered] = CaseStats.evidence(asking, lowered)
                    assert key[2] == plain_evidence[lowered], word
                else:
                    assert key[2] == ""
                checked += 1
        assert asking.asked == plain_asked
    assert checked > 2000


def test_remembered_decisions_equal_reading_each_tokens_scores() -> None:
    """The tagger remembers, per decoding state, the choice and margin for a token's packed scores; a fresh
    tagger, a tagger whose every decision is remembered (the same sentences again) and one that may remember
    nothing (its tables emptied before each token's choice) label every token alike."""
    from factdesk.annotations.ner.features import document_keys

    lexicon = load_lexicon()
    sentences = []
    for text in [*_seed_texts(), *ODD]:
        doc = tokenise_document(text, [(s.start, s.end, s.kind == "heading") for s in segment(text)], lexicon)
        sentences += [
            keys for keys, _ in document_keys([(s.words, s.offsets, s.caps) for s in doc.sentences], doc.stats, lexicon)
        ]
    tagger = load_tagger()
    tagger.clear_caches()
    first = tagger.tag_many(sentences)
    remembered = sum(len(state.decided) for state in tagger._states.values())
    assert 0 < remembered < sum(map(len, sentences))  # some windows came back in the same state
    assert sum(1 for state in tagger._states.values() if state.decided) > 3  # in several states, not one
    assert tagger.tag_many(sentences) == first  # every decision from the tables now
    forgetting = load_tagger()
    forgetting.clear_caches()
    decide = forgetting._decide

    def decide_afresh(state, total):  # type: ignore[no-untyped-def]
        for other in forgetting._states.values():
            other.decided.clear()
        return decide(state, total)

    forgetting._decide = decide_afresh  # type: ignore[method-assign]
    assert [forgetting.tag(keys) for keys in sentences] == first
