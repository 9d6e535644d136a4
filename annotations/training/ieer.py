"""The NIST IE-ER newswire as plain text with character-offset gold entities (training and evaluation only).

Why not NLTK's ``ieer.parsed_docs()``: it yields whitespace tokens and trees, losing
the original offsets; the tagger is trained and scored on the same raw text, sentence
spans and tokeniser the app uses, so spans are compared by offsets. NLTK is used to
find and read the corpus (``NLTK_DATA``). Sentences come from the app's own splitter
(:func:`factdesk.annotations.text.segment.sentence_spans`: Punkt with parameters learnt from WSJ
text and the seeds, no IE-ER) inside the tab-indented paragraphs of the wire copy, so
the model learns from the sentences it will meet in the app. (A Punkt without learnt
parameters cut "U.S." off the name after it — "U.S. | District Court" — in training and
evaluation alike.)

Labels: ORGANIZATION→ORG, LOCATION→LOC, PERSON→PERSON; TIMEX/NUMEX are dropped.
Entities marked ``status="opt"`` are optional in the NIST scoring: they are neither
taught nor required (see :func:`factdesk.annotations.training.train.token_labels` and ``bench/ner_eval.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABELS = {"ORGANIZATION": "ORG", "LOCATION": "LOC", "PERSON": "PERSON"}
_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.S)
_DOCNO = re.compile(r"<DOCNO>\s*(\S+)\s*</DOCNO>")
_HEADLINE = re.compile(r"<HEADLINE>(.*?)</HEADLINE>", re.S)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_ANNOTATION = re.compile(r"<ANNOTATION>.*?</ANNOTATION>", re.S)
_TAG = re.compile(
    r'<b_enamex type="([A-Z]+)"( status="opt")?(?: alt="[^"]*")?>|<e_enamex>|<[be]_(?:timex|numex)[^>]*>|&AMP;|&[A-Z]+;'
)
_PARAGRAPH = re.compile(r"\n(?=[ \t]*\t)|\n\s*\n")


@dataclass(frozen=True)
class GoldDoc:
    docno: str
    text: str
    sentences: list[tuple[int, int, bool]]
    entities: list[tuple[int, int, str]]
    optional: list[tuple[int, int, str]]


def _strip(markup: str, out: list[str], offset: int, ents: list, opts: list) -> int:
    """Append ``markup`` without tags to ``out``; record enamex spans; return the new offset."""
    pos = 0
    stack: list[tuple[int, str, bool]] = []
    for match in _TAG.finditer(markup):
        piece = markup[pos : match.start()]
        out.append(piece)
        offset += len(piece)
        pos = match.end()
        tag = match.group(0)
        if tag.startswith("<b_enamex"):
            stack.append((offset, match.group(1), bool(match.group(2))))
        elif tag == "<e_enamex>":
            start, kind, optional = stack.pop()
            if kind in _LABELS:
                (opts if optional else ents).append((start, offset, _LABELS[kind]))
        elif tag == "&AMP;":
            out.append("&")
            offset += 1
    out.append(markup[pos:])
    return offset + len(markup) - pos


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    from factdesk.annotations.text.segment import sentence_spans

    spans: list[tuple[int, int, bool]] = []
    chunk = text[start:end]
    cursor = 0
    for match in [*_PARAGRAPH.finditer(chunk), None]:
        stop = match.start() if match else len(chunk)
        spans.extend((s, e, False) for s, e in sentence_spans(text, start + cursor, start + stop))
        cursor = match.end() if match else len(chunk)
    return spans


def parse(raw: str) -> list[GoldDoc]:
    """Documents of one IE-ER file."""
    docs: list[GoldDoc] = []
    for doc_match in _DOC.finditer(raw):
        body = _ANNOTATION.sub("", doc_match.group(1))
        docno_match = _DOCNO.search(body)
        assert docno_match is not None, "every IE-ER document has a DOCNO"
        docno = docno_match.group(1)
        out: list[str] = []
        ents: list[tuple[int, int, str]] = []
        opts: list[tuple[int, int, str]] = []
        sentences: list[tuple[int, int, bool]] = []
        offset = 0
        headline = _HEADLINE.search(body)
        if headline:
            offset = _strip(headline.group(1).strip(), out, offset, ents, opts)
            if offset:
                sentences.append((0, offset, True))
            out.append("\n\n")
            offset += 2
        text_start = offset
        text_match = _TEXT.search(body)
        assert text_match is not None, "every IE-ER document has a TEXT"
        offset = _strip(text_match.group(1), out, offset, ents, opts)
        text = "".join(out)
        sentences.extend(_sentences(text, text_start, offset))
        docs.append(GoldDoc(docno, text, sentences, sorted(ents), sorted(opts)))
    return docs


def load_ieer() -> list[GoldDoc]:
    """All IE-ER documents, in file order (needs NLTK and ``NLTK_DATA`` with ``corpora/ieer.zip``)."""
    from nltk.corpus import ieer

    docs: list[GoldDoc] = []
    for fileid in sorted(ieer.fileids()):
        if fileid.upper() == "README":
            continue
        docs.extend(parse(ieer.raw(fileid)))
    return docs
