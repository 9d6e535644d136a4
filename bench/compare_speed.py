#!/usr/bin/env python3
"""Time the cross-source comparison on a synthetic corpus of 500 articles × 40 sentences.

    python bench/compare_speed.py [--articles 500] [--sentences 40] [--seed 7]

The corpus is built as ``CorpusAnalysis`` objects directly (sentences, entities and
numbers with offsets), so the figure measures ``annotations.compare`` alone, not the
segmenter or the recognisers. It is shaped like a news corpus rather than like noise:

* 50 stories; each article belongs to one, and restates ~15 of its story's 20 facts
  with words dropped and swapped (so many claims have true matches in ~7 articles),
  plus ~25 sentences of its own;
* words follow a Zipf law over a 20,000-word vocabulary plus the seeds' real words,
  with English function words at the top;
* each story has its own names (PERSON/ORG/LOC entities) and shared global names;
* a quarter of the facts carry a figure ("N people displaced", "within N km") whose
  value varies between articles, so conflicts are found and checked too.

Prints wall and CPU seconds for each phase (features, matching, conflicts) and their total —
the budget is 2 s on one core for the matching + conflicts of 500 × 40 — plus the
sizes found, so that a change that "speeds up" by finding nothing shows.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.compare.conflicts import find_conflicts
from annotations.compare.coverage import coverage
from annotations.compare.features import build_table
from annotations.compare.matching import candidate_pairs, select
from annotations.model import (
    Article,
    ArticleAnalysis,
    CorpusAnalysis,
    Entity,
    NumberMention,
    Sentence,
)

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
    return CorpusAnalysis(articles=tuple(analyses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    corpus = synthetic_corpus(args.articles, args.sentences, args.seed)
    claims = sum(len(a.sentences) for a in corpus.articles)
    build_table(corpus)  # warm the stemmer cache and the background table, as a long-running reader would

    clocks = [(time.perf_counter(), time.process_time())]
    table = build_table(corpus)
    clocks.append((time.perf_counter(), time.process_time()))
    pairs = list(candidate_pairs(table))
    matches = select(table, pairs)
    clocks.append((time.perf_counter(), time.process_time()))
    conflicts = find_conflicts(corpus, table, matches)
    clocks.append((time.perf_counter(), time.process_time()))
    rows = coverage(corpus, matches, conflicts)
    clocks.append((time.perf_counter(), time.process_time()))

    def span(a: int, b: int) -> str:
        return f"{clocks[b][0] - clocks[a][0]:6.3f} s wall {clocks[b][1] - clocks[a][1]:6.3f} s cpu"

    print(f"corpus: {args.articles} articles × {args.sentences} sentences = {claims} claims")
    print(f"features  {span(0, 1)}")
    print(f"matching  {span(1, 2)}  ({len(pairs)} candidate pairs scored, {len(matches)} matches)")
    print(f"conflicts {span(2, 3)}  ({len(conflicts)} conflicts)")
    print(f"total     {span(0, 3)}  (budget 2 s: features + matching + conflicts)")
    print(f"coverage  {span(3, 4)}  ({len(rows)} rows; not in the budget)")


if __name__ == "__main__":
    main()
