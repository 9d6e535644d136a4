#!/usr/bin/env python3
"""Time the cross-source comparison on a synthetic corpus of 500 articles × 40 sentences.

    python bench/compare_speed.py [--articles 500] [--sentences 40] [--seed 7] [--runs 5]
                                   [--phases] [--memory] [--check]

What is timed is what the reader runs: ``compare(analysis)`` end to end (features,
matching, conflicts — the budget is 2 s of CPU on one core for 500 × 40), and
``coverage(analysis, matches, conflicts)`` when the coverage view opens (not in the
budget). Each is run ``--runs`` times after one warm-up call (the stemmer cache and
the background table stay warm in a long-running reader) and the *median* is
reported, as CPU seconds (``time.process_time``: this process only) and wall seconds
— the machine may be shared, and a loaded second core inflates both. One more run
times the phases apart (``--phases``), for where the time goes.

The corpus is built as ``CorpusAnalysis`` objects directly (sentences, entities,
numbers with offsets, and the alias groups the analysis makes), so the figure
measures ``factdesk.annotations.compare`` alone, not the segmenter, the recognisers or the
alias grouping. It is shaped like a news corpus rather than like noise:

* 50 stories; each article belongs to one, and restates ~15 of its story's 20 facts
  with words dropped and swapped (so many claims have true matches in ~7 articles),
  plus ~25 sentences of its own;
* words follow a Zipf law over a 20,000-word vocabulary plus the seeds' real words,
  with English function words at the top. (Checked against real newswire when the
  corpus was made, with the matcher of then: 15,900 WSJ/NYT sentences from NLTK's
  conll2000/treebank/ieer gave 53 pairs per claim over its candidate floor, this
  corpus 24 — it is not kinder to the matcher than news);
* each story has its own names (PERSON/ORG/LOC entities) and shared global names;
* a quarter of the facts carry a figure ("N people displaced", "within N km") whose
  value varies between articles, so conflicts are found and checked too.

``--check`` also runs the exact candidate generation (the one used up to
``LARGE_CORPUS`` claims) on the same corpus and reports how many of its matches the
scaled one finds, so that a change that "speeds up" by finding less shows.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/machine.py, also when imported by a test

from machine import describe

from factdesk.annotations.compare import compare, coverage
from factdesk.annotations.compare.conflicts import find_conflicts
from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.matching import candidate_pairs, select
from factdesk.annotations.model import (
    Article,
    ArticleAnalysis,
    CorpusAnalysis,
    Entity,
    NumberMention,
    Sentence,
)
from factdesk.annotations.ner.aliases import group_aliases

FUNCTION_WORDS = re.findall(
    r"\S+",
    "the of and to in a that for on is was with by as at from has have said it its his their were are be "
    "been an which who after over about more than into had also but not this they will would could",
)
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    seed_words = sorted({w.lower() for p in SEEDS.glob("*.txt") for w in re.findall(r"[A-Za-z]{3,}", p.read_text())})
    syllables = [c + v for c in "bkrtms" for v in "aeiou"]
    invented = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    words = [w for w in seed_words if w not in FUNCTION_WORDS] + sorted(invented)
    rng.shuffle(words)
    return words[:size]


class _Zipf:
    """Draw words with probability ∝ 1 / rank."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.rng = rng
        self.weights = [1.0 / (rank + 1) for rank in range(len(words))]
        total = 0.0
        self.cumulative = []
        for w in self.weights:
            total += w
            self.cumulative.append(total)

    def draw(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=k)


class _Builder:
    """Accumulates one article's text with sentence, entity and number offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.sentences: list[Sentence] = []
        self.entities: list[Entity] = []
        self.numbers: list[NumberMention] = []

    def add_sentence(self, pieces: list[tuple[str, object]]) -> None:
        """``pieces``: (text, None | ("ENT", label) | ("NUM", value, unit, qualifier))."""
        start = self.length
        for i, (text, tag) in enumerate(pieces):
            if i:
                self._write(" ")
            piece_start = self.length
            self._write(text)
            if isinstance(tag, tuple) and tag[0] == "ENT":
                self.entities.append(Entity(piece_start, self.length, text, tag[1]))
            elif isinstance(tag, tuple) and tag[0] == "NUM":
                self.numbers.append(NumberMention(piece_start, self.length, text, tag[1], tag[2], tag[3]))
        self._write(".")
        self.sentences.append(Sentence(len(self.sentences), start, self.length, "claim"))
        self._write(" ")

    def _write(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def build(self, index: int) -> ArticleAnalysis:
        text = "".join(self.parts)
        article = Article(id=f"a{index:04d}", path=Path(f"{index:04d}.txt"), text=text, title="", source="bench")
        return ArticleAnalysis(article, tuple(self.sentences), tuple(self.entities), tuple(self.numbers))


def synthetic_corpus(articles: int = 500, sentences: int = 40, seed: int = 7) -> CorpusAnalysis:
    rng = random.Random(seed)
    zipf = _Zipf(FUNCTION_WORDS + _vocabulary(rng, 20_000), rng)
    names = [w.capitalize() for w in _vocabulary(random.Random(seed + 1), 3000)]
    global_names = names[:30]
    stories = []
    for s in range(50):
        story_names = names[30 + s * 20 : 30 + (s + 1) * 20]
        facts = []
        for _ in range(20):
            words = zipf.draw(rng.randint(12, 30))
            cast = [*rng.sample(story_names, 2), rng.choice(global_names)]
            figure = None
            if rng.random() < 0.25:
                figure = rng.choice([("people", "displaced"), ("km", "from"), ("people", "killed")])
            facts.append((words, cast, figure, rng.choice([1000, 5000, 30, 300000])))
        stories.append(facts)

    analyses = []
    for index in range(articles):
        facts = stories[index % len(stories)]
        chosen = rng.sample(facts, min(15, len(facts), sentences))
        builder = _Builder()
        plan = [("fact", f) for f in chosen] + [("own", None)] * (sentences - len(chosen))
        rng.shuffle(plan)
        for kind, fact in plan:
            if kind == "fact":
                words, cast, figure, base = fact
                kept = [w if rng.random() > 0.25 else zipf.draw(1)[0] for w in words if rng.random() > 0.15]
                cast_here = cast
                value = float(round(base * rng.choice([1.0, 1.0, 0.8, 1.25])))
            else:
                kept = zipf.draw(rng.randint(10, 35))
                cast_here = rng.sample(names, 2)
                figure, value = None, 0.0
            pieces: list[tuple[str, object]] = [(w, None) for w in kept]
            for name in cast_here:
                pieces.insert(rng.randrange(len(pieces) + 1), (name, ("ENT", rng.choice(["PERSON", "ORG", "LOC"]))))
            if figure:
                unit, event = figure
                qualifier = rng.choice([None, "nearly", "over", "about"])
                text = f"{qualifier + ' ' if qualifier else ''}{int(value):,} {unit}"
                at = rng.randrange(len(pieces) + 1)
                pieces[at:at] = [(text, ("NUM", value, unit, qualifier)), (event, None)]
            builder.add_sentence(pieces)
        analyses.append(builder.build(index))
    # As ``analysis.analyze_articles`` hands it to the comparison: with the corpus's alias groups, made once
    # by the analysis (and not timed here, like the segmenter and the recognisers).
    return CorpusAnalysis(articles=tuple(analyses), aliases=tuple(group_aliases([a.entities for a in analyses])))


def _clock(function, *args):
    """(result, wall seconds, CPU seconds) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _median(function, runs: int, *args):
    """(last result, median wall, median CPU, min CPU) over ``runs`` calls."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        result, wall, cpu = _clock(function, *args)
        walls.append(wall)
        cpus.append(cpu)
    return result, statistics.median(walls), statistics.median(cpus), min(cpus)


def _phases(corpus: CorpusAnalysis) -> None:
    """Where the time of one comparison goes (the collector paused, as ``compare`` does)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        table, wall_f, cpu_f = _clock(build_table, corpus)
        pairs, wall_c, cpu_c = _clock(candidate_pairs, table)
        matches, wall_s, cpu_s = _clock(select, table, pairs)
        conflicts, wall_k, cpu_k = _clock(find_conflicts, corpus, table, matches, pairs)
    finally:
        if enabled:
            gc.enable()
    print(f"  features   {wall_f:6.3f} s wall {cpu_f:6.3f} s cpu  ({len(table.claims)} claims)")
    print(f"  candidates {wall_c:6.3f} s wall {cpu_c:6.3f} s cpu  ({len(pairs)} pairs over the floor)")
    print(f"  selection  {wall_s:6.3f} s wall {cpu_s:6.3f} s cpu  ({len(matches)} matches)")
    print(f"  conflicts  {wall_k:6.3f} s wall {cpu_k:6.3f} s cpu  ({len(conflicts)} conflicts)")


def _check(corpus: CorpusAnalysis, matches) -> None:
    """Matches of the scaled candidate generation against the exact one's, on the same corpus."""
    table = build_table(corpus)
    exact, _, cpu = _clock(lambda: select(table, candidate_pairs(table, exact=True)))
    want = {(m.a, m.b) for m in exact}
    got = {(m.a, m.b) for m in matches}
    print(
        f"check: exact candidates find {len(want)} matches ({cpu:.1f} s cpu); the scaled ones find "
        f"{len(got & want)} of them ({len(got & want) / max(len(want), 1):.1%}) and {len(got - want)} others"
    )


def _memory(corpus: CorpusAnalysis) -> None:
    """Peak memory one comparison allocates over what it returns (``tracemalloc``: Python objects and numpy's
    arrays; it slows the run, so it is a pass of its own)."""
    import tracemalloc

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = compare(corpus)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    print(f"memory: peak {(peak - before) / 1e6:.0f} MB allocated during compare, {(kept - before) / 1e6:.0f} MB kept")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5, help="timed runs; the median is reported")
    parser.add_argument("--phases", action="store_true", help="also time features, candidates, selection apart")
    parser.add_argument("--check", action="store_true", help="compare the matches with exact candidate generation")
    parser.add_argument("--memory", action="store_true", help="also report the peak memory of one comparison")
    args = parser.parse_args()

    corpus = synthetic_corpus(args.articles, args.sentences, args.seed)
    claims = sum(len(a.sentences) for a in corpus.articles)
    compare(corpus)  # warm the stemmer cache and the background table, as a long-running reader would

    (matches, conflicts), wall, cpu, best = _median(compare, args.runs, corpus)
    rows, wall_v, cpu_v, best_v = _median(coverage, args.runs, corpus, matches, conflicts)
    print(f"corpus: {args.articles} articles × {args.sentences} sentences = {claims} claims; median of {args.runs}")
    print(
        f"compare   {wall:6.3f} s wall {cpu:6.3f} s cpu (min {best:.3f})  "
        f"({len(matches)} matches, {len(conflicts)} conflicts; budget 2 s cpu)"
    )
    print(f"coverage  {wall_v:6.3f} s wall {cpu_v:6.3f} s cpu (min {best_v:.3f})  ({len(rows)} rows; not budgeted)")
    if args.phases:
        _phases(corpus)
    if args.memory:
        _memory(corpus)
    if args.check:
        _check(corpus, matches)
    print(describe())


if __name__ == "__main__":
    main()
