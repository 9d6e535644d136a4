#!/usr/bin/env python3
"""Sentence-boundary precision/recall on held-out Penn Treebank WSJ text (one gold sentence per line).

    NLTK_DATA=../shared/nltk_data python bench/sentence_eval.py

Two-fold: Punkt is trained on half the documents (plus the curated abbreviations) and
tested on the other half, then the other way round; counts are pooled. Compared with
untrained Punkt (curated abbreviations only) and with NLTK's bare default parameters.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from factdesk.annotations.text.segment import CURATED_ABBREVIATIONS
from factdesk.annotations.training.punkt_training import _nltk_data, train, treebank_documents


def tokenizer(data: dict | None, curated: bool = True) -> PunktSentenceTokenizer:
    params = PunktParameters()
    abbreviations = set(CURATED_ABBREVIATIONS) | set("abcdefghijklmnopqrstuvwxyz") if curated else set()
    if data:
        abbreviations |= set(data["abbrev_types"])
        params.collocations = {tuple(pair) for pair in data["collocations"]}
        params.sent_starters = set(data["sent_starters"])
        for word, flags in data["ortho_context"].items():
            params.ortho_context[word] = flags
    params.abbrev_types = abbreviations
    return PunktSentenceTokenizer(params)


def gold(document: str) -> tuple[str, set[int]]:
    """Join the document's lines with spaces; gold boundaries are the line ends."""
    lines = [line.strip() for line in document.split("\n") if line.strip()]
    text, boundaries, offset = "", set(), 0
    for line in lines:
        text += line + " "
        offset += len(line)
        boundaries.add(offset)
        offset += 1
    return text, boundaries


def score(tok: PunktSentenceTokenizer, documents: list[str]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for document in documents:
        text, boundaries = gold(document)
        predicted = {end for _, end in tok.span_tokenize(text)}
        tp += len(predicted & boundaries)
        fp += len(predicted - boundaries)
        fn += len(boundaries - predicted)
    return tp, fp, fn


def report(name: str, counts: tuple[int, int, int]) -> None:
    tp, fp, fn = counts
    p, r = tp / (tp + fp), tp / (tp + fn)
    print(f"{name:42s} precision {p:.4f}  recall {r:.4f}  F1 {2 * p * r / (p + r):.4f}  (errors {fp + fn})")


def main() -> None:
    documents = treebank_documents(_nltk_data())
    halves = documents[::2], documents[1::2]
    joined = [[" ".join(d.split("\n")) for d in half] for half in halves]
    pooled = [0, 0, 0]
    for train_half, test_half in ((0, 1), (1, 0)):
        data = train(joined[train_half])
        for i, value in enumerate(score(tokenizer(data), halves[test_half])):
            pooled[i] += value
    report("NLTK Punkt, default parameters", score(tokenizer(None, curated=False), documents))
    report("curated abbreviations only", score(tokenizer(None), documents))
    report("trained + curated (2-fold, held out)", tuple(pooled))


if __name__ == "__main__":
    main()
