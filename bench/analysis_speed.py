#!/usr/bin/env python3
"""Tokens per second of the full analysis of a corpus of 200+ articles, and the cost of reopening it.

    NLTK_DATA=../shared/nltk_data python bench/analysis_speed.py [--articles 200] [--runs 3]

The corpus: the IE-ER newswire documents (tags stripped) and the seeds, cycled with a
numbered first line so every article is distinct (distinct content hash). Timed on one
core (the analysis is single-threaded): segmentation, dates, entities, numbers and the
cross-source comparison and writing the cache entry (what a first open of the corpus
costs; each part is also printed apart), then the same corpus again through the
on-disk cache. Each run is a fresh process (a true first open: no warm caches but the
models, which load outside the timing); the median of ``--runs`` is printed with the
range, because a shared machine swings single runs by a quarter.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/machine.py, also when imported by a test

from machine import describe

from factdesk.annotations.model import Article
from factdesk.annotations.pipeline import analysis as analysis_module
from factdesk.annotations.pipeline import cache as cache_module
from factdesk.annotations.text.corpus import Corpus, article_id

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


def measure_once(count: int) -> dict:
    """One first open of the corpus in this (fresh) process: CPU seconds per part, counts, the reopen."""
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="factdesk-bench-cache-")
    corpus = build_corpus(count)
    analysis_module.analyze_articles(corpus.articles[:3])  # load models once, outside the timing
    comparing: list[float] = []
    saving: list[float] = []
    compare, save = analysis_module.compare_figures, cache_module.save

    def timed_compare(analysis):  # type: ignore[no-untyped-def]
        began = time.process_time()
        try:
            return compare(analysis)
        finally:
            comparing.append(time.process_time() - began)

    def timed_save(analysis, folder=None):  # type: ignore[no-untyped-def]
        began = time.process_time()
        try:
            return save(analysis, folder)
        finally:
            saving.append(time.process_time() - began)

    analysis_module.compare_figures, cache_module.save = timed_compare, timed_save
    started, cpu = time.perf_counter(), time.process_time()
    result = analysis_module.analyze(corpus)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    analysis_module.compare_figures, cache_module.save = compare, save

    calls = []
    original = analysis_module.analyze_articles
    analysis_module.analyze_articles = lambda articles: calls.append(1) or original(articles)
    started = time.perf_counter()
    analysis_module.analyze(corpus)
    reopen = time.perf_counter() - started
    analysis_module.analyze_articles = original
    return {
        "articles": len(corpus.articles),
        "tokens": sum(len(a.text.split()) for a in corpus.articles),
        "characters": sum(len(a.text) for a in corpus.articles),
        "full": cpu,
        "wall": wall,
        "comparison": comparing[0],
        "cache_write": saving[0],
        "language": cpu - comparing[0] - saving[0],
        "entities": sum(len(a.entities) for a in result.articles),
        "numbers": sum(len(a.numbers) for a in result.articles),
        "matches": len(result.matches),
        "conflicts": len(result.conflicts),
        "reopen": reopen,
        "reopen_analysis_runs": len(calls),
    }


def _spread(runs: list[dict], field: str) -> str:
    values = sorted(run[field] for run in runs)
    middle = statistics.median(values)
    return f"{middle:.2f} s CPU (runs {values[0]:.2f}–{values[-1]:.2f})" if len(values) > 1 else f"{middle:.2f} s CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes to time; the median is reported")
    parser.add_argument("--once", action="store_true", help="time one run in this process, print JSON")
    args = parser.parse_args()
    if args.once:
        print(json.dumps(measure_once(args.articles)))
        return
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, __file__, "--once", "--articles", str(args.articles)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout))
    first = runs[0]
    tokens = first["tokens"]
    print(
        f"corpus: {first['articles']} articles, {tokens:,} tokens, {first['characters'] / 1e6:.1f} M characters; "
        f"{len(runs)} fresh processes, medians"
    )
    language = statistics.median(run["language"] for run in runs)
    full = statistics.median(run["full"] for run in runs)
    print(
        f"language analysis (sentences, dates, entities, numbers, aliases): {_spread(runs, 'language')} → "
        f"{tokens / language:,.0f} tokens/s"
    )
    print(f"cross-source comparison: {_spread(runs, 'comparison')}")
    print(f"writing the cache entry: {_spread(runs, 'cache_write')}")
    print(
        f"full analysis, as a first open runs it (all of the above): {_spread(runs, 'full')} → "
        f"{tokens / full:,.0f} tokens/s (CPU, one core); wall {statistics.median(r['wall'] for r in runs):.2f} s"
    )
    print(
        f"  found {first['entities']:,} entities, {first['numbers']:,} numbers, "
        f"{first['matches']:,} matches, {first['conflicts']:,} conflicts"
    )
    reopen = statistics.median(run["reopen"] for run in runs)
    print(f"reopen from cache: {reopen * 1000:.0f} ms, analysis runs: {max(r['reopen_analysis_runs'] for r in runs)}")
    print(describe())


if __name__ == "__main__":
    main()
