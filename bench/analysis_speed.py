#!/usr/bin/env python3
"""Tokens per second of the full analysis of a corpus of 200+ articles, and the cost of reopening it.

    NLTK_DATA=../shared/nltk_data python bench/analysis_speed.py [--articles 200]

The corpus: the IE-ER newswire documents (tags stripped) and the seeds, cycled with a
numbered first line so every article is distinct (distinct content hash). Timed on one
core (the analysis is single-threaded): segmentation, dates, entities, numbers and the
cross-source comparison and writing the cache entry (what a first open of the corpus
costs; each part is also printed apart), then the same corpus again through the
on-disk cache.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations import analysis as analysis_module
from annotations import cache as cache_module
from annotations.corpus import Corpus, article_id
from annotations.model import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_DOC = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_TAGS = re.compile(r"<[^>]+>|&[A-Z]+;")


def ieer_texts() -> list[str]:
    for folder in os.environ.get("NLTK_DATA", "").split(os.pathsep):
        archive = Path(folder) / "corpora" / "ieer.zip"
        if folder and archive.exists():
            texts = []
            with zipfile.ZipFile(archive) as zipped:
                for name in sorted(zipped.namelist()):
                    if name.endswith("README") or name.endswith("/"):
                        continue
                    raw = zipped.read(name).decode("latin-1")
                    texts += [_TAGS.sub("", body).strip() for body in _DOC.findall(raw)]
            return [t for t in texts if len(t) > 200]
    print("NLTK_DATA not set: using the seeds only", file=sys.stderr)
    return []


def build_corpus(count: int) -> Corpus:
    texts = ieer_texts() + [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    articles = []
    for number in range(count):
        text = f"Dispatch {number + 1}\n" + texts[number % len(texts)]
        articles.append(Article(article_id(text), Path(f"bench-{number:04d}.txt"), text, f"Dispatch {number}", "bench"))
    return Corpus(tuple(articles), (), ())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="factdesk-bench-cache-")
    corpus = build_corpus(args.articles)
    tokens = sum(len(a.text.split()) for a in corpus.articles)
    characters = sum(len(a.text) for a in corpus.articles)

    analysis_module.analyze_articles(corpus.articles[:3])  # load models once, outside the timing
    comparing = []
    compare = analysis_module.compare

    def timed_compare(analysis):  # type: ignore[no-untyped-def]
        began = time.process_time()
        try:
            return compare(analysis)
        finally:
            comparing.append(time.process_time() - began)

    saving = []
    save = cache_module.save

    def timed_save(analysis, folder=None):  # type: ignore[no-untyped-def]
        began = time.process_time()
        try:
            return save(analysis, folder)
        finally:
            saving.append(time.process_time() - began)

    analysis_module.compare = timed_compare
    cache_module.save = timed_save
    started, cpu = time.perf_counter(), time.process_time()
    result = analysis_module.analyze(corpus)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    analysis_module.compare = compare
    cache_module.save = save
    language = cpu - comparing[0] - saving[0]
    entities = sum(len(a.entities) for a in result.articles)
    print(f"corpus: {len(corpus.articles)} articles, {tokens:,} tokens, {characters / 1e6:.1f} M characters")
    print(
        f"language analysis (sentences, dates, entities, numbers, aliases): {language:.2f} s CPU → "
        f"{tokens / language:,.0f} tokens/s"
    )
    print(f"cross-source comparison: {comparing[0]:.2f} s CPU")
    print(f"writing the cache entry: {saving[0]:.2f} s CPU")
    print(
        f"full analysis, as a first open runs it (all of the above): {wall:.2f} s wall, {cpu:.2f} s CPU → "
        f"{tokens / cpu:,.0f} tokens/s (CPU, one core)"
    )
    print(
        f"  found {entities:,} entities, {sum(len(a.numbers) for a in result.articles):,} numbers, "
        f"{len(result.matches):,} matches, {len(result.conflicts):,} conflicts"
    )

    calls = []
    original = analysis_module.analyze_articles
    analysis_module.analyze_articles = lambda articles: calls.append(1) or original(articles)
    started = time.perf_counter()
    analysis_module.analyze(corpus)
    reopen = time.perf_counter() - started
    analysis_module.analyze_articles = original
    print(f"reopen from cache: {reopen * 1000:.0f} ms, analysis runs: {len(calls)}")


if __name__ == "__main__":
    main()
