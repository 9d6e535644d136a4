"""How good and how fast is the named-entity recogniser? Prints the tables.

    NLTK_DATA=/work/shared/nltk_data python bench/ner_eval.py            # LOO over IE-ER + gold + speed
    NLTK_DATA=/work/shared/nltk_data python bench/ner_eval.py --folds 10 # faster k-fold variant
    python bench/ner_eval.py --skip-ieer                                  # gold set + speed only (no NLTK_DATA)

1. IE-ER cross-validation: leave-one-document-out (or k-fold) — train on the other
   documents, tag the held-out one alone (so the consistency pass works within it),
   pool the counts. PERSON/ORG/LOC, exact spans; NORP predictions are dropped since
   IE-ER does not annotate nationalities. Folds run in parallel (``--jobs``).
2. The hand-made gold set (``tests/data/gold_ner_*.json``), tagged with the shipped model
   together with the other seed articles, as the app does.
3. Speed: tokens per second of ``tag_corpus`` over the seeds, repeated, warm caches
   and cold caches.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factdesk.annotations.ner import load_tagger, run, tag_corpus, to_entities  # noqa: E402
from factdesk.annotations.ner.lexicon import load_lexicon  # noqa: E402
from factdesk.annotations.ner.tokens import tokenize  # noqa: E402
from factdesk.annotations.training.ner_scoring import Counts  # noqa: E402

IEER_LABELS = ("PERSON", "ORG", "LOC")


def _fold(args: tuple[list[int], dict, bool]) -> list[tuple[list, list, list]]:
    """Train without the held-out documents, tag each of them alone; (gold, predicted, optional) per doc."""
    held_out, options, consistency = args
    from factdesk.annotations.training.train import train_tagger

    lexicon = load_lexicon()
    train_docs = [d for i, d in enumerate(_DOCS) if i not in set(held_out)]
    _, tagger = train_tagger(train_docs, lexicon, **options)
    out = []
    for i in held_out:
        doc = _DOCS[i]
        tagged = run([doc.text], [doc.sentences], tagger, lexicon, consistency=consistency)[0]
        predicted = [(e.start, e.end, e.label) for e in to_entities(tagged) if e.label in IEER_LABELS]
        out.append((doc.entities, predicted, doc.optional))
    return out


_DOCS: list = []


def ieer_cross_validation(folds: int, options: dict, jobs: int, consistency: bool) -> Counts:
    from factdesk.annotations.training.ieer import load_ieer

    _DOCS[:] = load_ieer()
    n = len(_DOCS)
    k = n if folds <= 0 else folds
    groups = [[i for i in range(n) if i % k == f] for f in range(k)]
    counts = Counts()
    tasks = [(g, options, consistency) for g in groups]
    with get_context("fork").Pool(jobs) as pool:
        for result in pool.imap(_fold, tasks):
            for gold, predicted, optional in result:
                counts.add(gold, predicted, optional)
    return counts


def _seed_corpus() -> tuple[list[str], list[str], list[list[tuple[int, int, bool]]]]:
    from factdesk.annotations.text.segment import segment

    paths = sorted((REPO / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    sentences = [[(s.start, s.end, s.kind == "heading") for s in segment(t) if s.kind != "boilerplate"] for t in texts]
    return [p.name for p in paths], texts, sentences


def gold_set() -> tuple[Counts, list[str]]:
    names, texts, sentences = _seed_corpus()
    predicted = tag_corpus(texts, sentences)
    counts = Counts()
    errors: list[str] = []
    for gold_path in sorted((REPO / "tests" / "data").glob("gold_ner_*.json")):
        gold_doc = json.loads(gold_path.read_text(encoding="utf-8"))
        k = names.index(gold_doc["file"])
        spans = sentences[k]

        def analysed(start: int, end: int, spans: list = spans) -> bool:
            return any(s <= start and end <= e for s, e, _ in spans)

        gold = {
            (e["start"], e["end"], e["label"])
            for e in gold_doc["entities"]
            if e["label"] != "DATE" and analysed(e["start"], e["end"])
        }
        pred = {(e.start, e.end, e.label) for e in predicted[k]}
        counts.add(gold, pred)
        text = texts[k]
        for s, e, label in sorted(gold - pred):
            errors.append(f"  {gold_doc['file']}: missed {label:<7} {text[s:e]!r} @{s}")
        for s, e, label in sorted(pred - gold):
            errors.append(f"  {gold_doc['file']}: extra  {label:<7} {text[s:e]!r} @{s}")
    return counts, errors


def speed(repeat: int) -> str:
    """Tokens per second of ``tag_corpus`` (process time, so other processes on the machine do not count)."""
    _, texts, sentences = _seed_corpus()
    tokens = sum(len(tokenize(t, s, e)) for t, spans in zip(texts, sentences, strict=True) for s, e, _ in spans)
    load_tagger.cache_clear()
    load_lexicon.cache_clear()
    started = time.process_time()
    tagger = load_tagger()
    loading = time.process_time() - started
    started = time.process_time()
    tag_corpus(texts, sentences)
    cold = time.process_time() - started
    started = time.process_time()
    for _ in range(repeat):
        tag_corpus(texts, sentences)
    warm = (time.process_time() - started) / repeat
    copies = 20
    tagger.clear_caches()
    started = time.process_time()
    tag_corpus(texts * copies, sentences * copies)
    big = time.process_time() - started
    return "\n".join(
        [
            "speed (one core, process time, seeds corpus):",
            f"  model + lexicon load: {loading * 1000:.0f} ms (first use only)",
            f"  {tokens} tokens, first run (empty caches): {tokens / cold:,.0f} tokens/s",
            f"  {tokens} tokens, again (warm caches):     {tokens / warm:,.0f} tokens/s",
            f"  {tokens * copies} tokens (seeds x{copies}) as one corpus, empty weight cache: "
            f"{tokens * copies / big:,.0f} tokens/s",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="NER accuracy and speed")
    parser.add_argument("--folds", type=int, default=0, help="k-fold over IE-ER documents (0 = leave-one-out)")
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--prune", type=float, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-consistency", action="store_true", help="IE-ER figures without the consistency pass")
    parser.add_argument("--skip-ieer", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list gold-set misses and extras")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_ieer:
        started = time.perf_counter()
        options = {name: value for name, value in (("epochs", args.epochs), ("prune", args.prune)) if value is not None}
        counts = ieer_cross_validation(args.folds, options, args.jobs, not args.no_consistency)
        scheme = "leave-one-document-out" if args.folds <= 0 else f"{args.folds}-fold"
        print(counts.table(f"IE-ER {scheme}, exact spans ({time.perf_counter() - started:.0f} s)"))
        print()
    counts, errors = gold_set()
    print(counts.table("gold set (tests/data/gold_ner_*.json), shipped model, exact spans"))
    if args.errors:
        print("\n".join(errors))
    if not args.skip_speed:
        print()
        print(speed(args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
