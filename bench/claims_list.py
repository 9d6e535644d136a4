#!/usr/bin/env python3
"""The claims list (``l``) on a large corpus: opening it (index built, first screen of rows) and one filter toggle.

    NLTK_DATA=../shared/nltk_data XDG_CACHE_HOME=/tmp/cache python bench/claims_list.py FOLDER [--db FILE]
    python bench/claims_list.py --synthetic 500x120    # 60,000 claims written by hand (no analysis run)

Drives the real reader headless at 160x48 (``run_test``); the analysis comes from the cache after the first run.
Timed: from pressing ``l`` until the list is on screen (``pilot.pause``: the screen mounted and refreshed), then
each of ``u`` (unreviewed), ``v`` (a verdict), ``o`` + an outlet + enter, ``e`` (first use: the entity groups are
made) and ``x``; the index build and a toggle's set work alone are also timed outside the app.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from factdesk.annotations.review.claim_filters import UNREVIEWED, ClaimFilters, index_review
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp


async def run(folder: Path, db: Path) -> None:
    app = FactdeskApp(load_corpus([folder]), Store.open(db), reviewer="bench")
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.reader()
        assert reader.review is not None
        claims = sum(len(a.claims) for a in reader.review.analysis.articles)
        print(f"{len(reader.review.analysis.articles)} articles, {claims} claims")
        start = time.perf_counter()
        index = index_review(reader.review)
        print(f"index alone: {1000 * (time.perf_counter() - start):.0f} ms")
        start = time.perf_counter()
        filters = ClaimFilters().flag_toggled(UNREVIEWED)
        index.matching(filters)
        for kind in ("verdict", "reviewer", "note", "evidence", "conflict", "unreviewed"):
            index.counts(filters, kind)
        print(f"a toggle's sets alone (matching + every count): {1000 * (time.perf_counter() - start):.0f} ms")

        async def timed(label: str, *keys: str) -> None:
            start = time.perf_counter()
            await pilot.press(*keys)
            await pilot.pause()
            print(f"{label}: {1000 * (time.perf_counter() - start):.0f} ms")

        await timed("open (l)", "l")
        await timed("toggle u (unreviewed)", "u")
        await timed("toggle v (a verdict)", "v")
        await timed("toggle v again", "v")
        await timed("x (clear)", "x")
        outlet = reader.review.analysis.articles[3].article.source
        await timed("o + outlet + enter", "o", *outlet[:6], "enter")
        await timed("e (entity picker, first use)", "e")
        await timed("escape, x", "escape", "x")
        await timed("end (G)", "G")
        await timed("enter (jump)", "enter")


def synthetic(shape: str, scratch: Path) -> Path:
    """ARTICLESxCLAIMS articles of one-line claims as files, and the reader's analysis made by hand from them
    (``factdesk.tui.app.analyze`` replaced): the list's cost at a size the real analysis takes minutes to reach."""
    import factdesk.tui.app as app_module
    from factdesk.annotations.model import ArticleAnalysis, CorpusAnalysis, Sentence

    articles, claims = (int(part) for part in shape.split("x"))
    folder = scratch / "corpus"
    folder.mkdir()
    for n in range(articles):
        lines = [
            f"Outlet {n % 50} reports that claim {i} of story {n} says something about the town." for i in range(claims)
        ]
        (folder / f"article-{n:04d}.txt").write_text(" ".join(lines))

    def analyze(corpus, progress=None) -> CorpusAnalysis:
        analysed = []
        for item in corpus.articles:
            sentences, start = [], 0
            for index, line in enumerate(item.text.split(". ")):
                sentences.append(Sentence(index, start, start + len(line), "claim"))
                start += len(line) + 2
            analysed.append(ArticleAnalysis(item, tuple(sentences), (), ()))
        return CorpusAnalysis(articles=tuple(analysed))

    app_module.analyze = analyze  # type: ignore[assignment]
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--synthetic", metavar="ARTICLESxCLAIMS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = synthetic(args.synthetic, Path(scratch)) if args.synthetic else args.folder
        if folder is None:
            parser.error("give a FOLDER or --synthetic")
        asyncio.run(run(folder, args.db or Path(scratch) / "marks.json"))


if __name__ == "__main__":
    main()
