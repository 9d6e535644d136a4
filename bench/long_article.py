#!/usr/bin/env python3
"""One very long article: first screen of text, a screen of the analysed article, analysis and export.

    NLTK_DATA=../shared/nltk_data python bench/long_article.py [--mb 10] [--sentences 60000] [--runs 3]
                                                                [--skip-cli] [--only NAME ...]

Why (issue 15, item 4): a reviewer may open one huge article (a 10 MB transcript, a long report).
The targets: its text on screen within 2 s, a screen of a 60,000-sentence article drawn in at most
16 ms (it cost 563 ms while ``ArticleAnalysis.claims`` was rebuilt for every sentence of every line),
and ``factdesk analyze`` / ``factdesk export`` of the 10 MB article within 30 s each.

The articles: the IE-ER newswire documents (tags stripped) and the seeds, concatenated with paragraph
breaks, each copy headed "Part N" and with its figures shifted by N so copies are not identical, until
``--mb`` megabytes (the "10 MB article"); and the same text cut at ``--sentences`` sentences (the
"60k-sentence article"). Both are written into a temporary folder.

Figures printed (median of ``--runs``, with the range):

- ``first text``: lay out the 10 MB text (paragraphs + wrapping at 154 columns) and render its first
  48 lines, no analysis — what the reader must do before the text can appear;
- ``first text in the reader's ArticleView``: the same through the widget (``show_text``: load the file, lay it
  out, draw 48 lines), when the widget has it;
- ``screen (analysed)``: the analysed 60k-sentence article shown in an ``ArticleView`` (Pilot, 160×48),
  scrolled to its middle, strip cache cleared, then every one of the 48 lines rendered;
- ``analyze``: ``factdesk analyze FILE --json > /dev/null`` of the 10 MB article, fresh process, empty
  analysis cache (``XDG_CACHE_HOME`` a new temporary folder each run);
- ``export md`` / ``export json``: ``factdesk export FILE --format …`` with an empty cache (so the
  analysis is included, as a reviewer exporting a new corpus would see it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
_NUMBER = re.compile(r"\b\d+\b")
SCREEN_WIDTH, SCREEN_HEIGHT = 160, 48


def source_texts() -> list[str]:
    """IE-ER documents (from ``NLTK_DATA``, as ``bench/analysis_speed.py`` reads them) and the seeds."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from analysis_speed import ieer_texts

    texts = ieer_texts()
    return texts + [p.read_text(encoding="utf-8").strip() for p in sorted(SEEDS.glob("*.txt"))]


def long_text(megabytes: float) -> str:
    """About ``megabytes`` MB of news copy in paragraphs; copy N has its figures shifted by N."""
    texts = source_texts()
    parts: list[str] = []
    size, copy = 0, 0
    limit = int(megabytes * 1_000_000)
    while size < limit:
        shift = copy // len(texts)
        body = texts[copy % len(texts)]
        if shift:
            body = _NUMBER.sub(lambda m, s=shift: str(int(m.group()) + s), body)  # type: ignore[misc]
        part = f"Part {copy + 1}\n\n{body}\n\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
        copy += 1
    return "".join(parts)


def cut_at_sentences(text: str, count: int) -> str:
    """The first ``count`` sentences of ``text``, as the analysis splits them."""
    from factdesk.annotations.text.segment import segment

    sentences = segment(text)
    return text[: sentences[min(count, len(sentences)) - 1].end] + "\n"


def median(values: list[float]) -> str:
    return f"{statistics.median(values):8.3f} s  (range {min(values):.3f}–{max(values):.3f}, {len(values)} runs)"


def first_text(path: Path) -> float:
    """Seconds to read, lay out and render the first screen of ``path`` with no analysis (in this process)."""
    from rich.console import Console
    from rich.text import Text

    from factdesk.annotations.text.segment import paragraphs
    from factdesk.annotations.text.textsafety import neutralise
    from factdesk.tui.textlayout import layout_article

    console = Console(width=SCREEN_WIDTH, file=open(os.devnull, "w"))  # noqa: SIM115
    began = time.perf_counter()
    text = path.read_text(encoding="utf-8")
    layout = layout_article(text, paragraphs(text), (), SCREEN_WIDTH - 6)
    for line in layout.lines[:SCREEN_HEIGHT]:
        if line is not None:
            list(Text(neutralise(text[line.start : line.end]), end="").render(console))
    return time.perf_counter() - began


def _one_view_app():  # type: ignore[no-untyped-def]
    """A 160×48 app holding one ``ArticleView`` with factdesk's stylesheet and theme variables."""
    from textual.app import App, ComposeResult

    from factdesk.tui.theming import default_variables, stylesheet
    from factdesk.tui.widgets.article_view import ArticleView

    class OneView(App[None]):
        CSS_PATH = str(stylesheet())

        def get_theme_variable_defaults(self) -> dict[str, str]:
            return default_variables()

        def compose(self) -> ComposeResult:
            yield ArticleView(id="article")

    return OneView()


def text_in_view(path: Path, runs: int) -> list[float]:
    """Seconds for the reader's widget to show the article's text before any analysis (``show_text``) and draw
    its first screen: reading the file, paragraphs, layout, 48 lines. Empty when the widget has no ``show_text``."""
    from factdesk.annotations.text.corpus import load_article
    from factdesk.tui.widgets.article_view import ArticleView

    if not hasattr(ArticleView, "show_text"):
        return []
    times: list[float] = []

    async def run() -> None:
        app = _one_view_app()
        async with app.run_test(size=(SCREEN_WIDTH, SCREEN_HEIGHT)) as pilot:
            view = app.query_one(ArticleView)
            for _ in range(runs):
                began = time.perf_counter()
                view.show_text(load_article(path))
                for y in range(view.scrollable_content_region.height):
                    view.render_line(y)
                times.append(time.perf_counter() - began)
                await pilot.pause()

    asyncio.run(run())
    return times


def analysed_screen(path: Path, runs: int) -> tuple[list[float], int, int]:
    """Seconds to render one 48-line screen of the analysed article (cold strip cache), ``runs`` times.

    One ``ArticleView`` (the reader's widget, with factdesk's stylesheet and theme variables) in a 160×48 app
    under Pilot, showing the analysed article with a ``Review`` and ``CrossIndex`` as the reader gives it, the
    cursor on the middle claim; then the strip cache is cleared and every line of the screen rendered.
    """
    from factdesk.annotations.compare.crossref import CrossIndex
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import load_corpus
    from factdesk.tui.widgets.article_view import ArticleView

    scratch = tempfile.TemporaryDirectory(prefix="factdesk-bench-screen-")
    store = Store.open(Path(scratch.name) / "marks.json")
    review = Review(analyze(load_corpus([path]), use_cache=False), store, "bench")
    cross = CrossIndex(review.analysis)
    article = review.analysis.articles[0]
    times: list[float] = []

    async def run() -> None:
        app = _one_view_app()
        async with app.run_test(size=(SCREEN_WIDTH, SCREEN_HEIGHT)) as pilot:
            view = app.query_one(ArticleView)
            view.show(article, review, cross, cursor=len(article.claims) // 2)
            view.focus()
            await pilot.pause()
            for _ in range(runs):
                view._cache.clear()
                began = time.perf_counter()
                for y in range(view.scrollable_content_region.height):
                    view.render_line(y)
                times.append(time.perf_counter() - began)

    asyncio.run(run())
    scratch.cleanup()
    return times, len(article.sentences), len(article.claims)


def cli_seconds(args: list[str]) -> float:
    """Wall seconds of ``python -m factdesk ARGS`` in a fresh process with an empty analysis cache."""
    with tempfile.TemporaryDirectory(prefix="factdesk-bench-cache-") as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache, "XDG_DATA_HOME": cache}
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "factdesk", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        elapsed = time.perf_counter() - began
    if done.returncode:
        raise SystemExit(f"factdesk {' '.join(args)} failed: {done.stderr.decode(errors='replace').strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the long article (default 10 MB)")
    parser.add_argument("--sentences", type=int, default=60_000, help="sentences of the second article")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-cli", action="store_true", help="leave out analyze and export (the slow part)")
    parser.add_argument("--only", nargs="*", choices=["first", "screen", "analyze", "md", "json"])
    parser.add_argument("--keep", type=Path, help="write the articles into this folder and keep them")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from machine import describe

    print(describe())
    with tempfile.TemporaryDirectory(prefix="factdesk-long-") as scratch:
        measure(args, args.keep or Path(scratch))


def measure(args: argparse.Namespace, folder: Path) -> None:
    """Write the two articles into ``folder`` and print the figures ``args`` asks for."""
    folder.mkdir(parents=True, exist_ok=True)
    big = folder / "long.txt"
    text = long_text(args.mb)
    big.write_text(text, encoding="utf-8")
    many = folder / "many-sentences" / "sentences.txt"
    many.parent.mkdir(exist_ok=True)
    many.write_text(cut_at_sentences(text, args.sentences), encoding="utf-8")
    print(
        f"long article: {big.stat().st_size / 1e6:.1f} MB; {args.sentences:,}-sentence article: "
        f"{many.stat().st_size / 1e6:.1f} MB"
    )
    wanted = set(args.only or ["first", "screen", "analyze", "md", "json"])
    if args.skip_cli:
        wanted -= {"analyze", "md", "json"}

    if "first" in wanted:
        first_text(big)  # imports outside the timing
        print(f"first text (layout + 48 lines, no analysis): {median([first_text(big) for _ in range(args.runs)])}")
        shown = text_in_view(big, args.runs)
        if shown:
            print(
                f"first text in the reader's ArticleView (show_text + 48 lines, target ≤ 2 s with start-up): "
                f"{median(shown)}"
            )
    if "screen" in wanted:
        times, sentences, claims = analysed_screen(many, max(args.runs, 5))
        shown = [t * 1000 for t in times]
        print(
            f"screen (analysed, {sentences:,} sentences, {claims:,} claims, 48 lines, cold strips): "
            f"{statistics.median(shown):.1f} ms median (range {min(shown):.1f}–{max(shown):.1f}, target ≤ 16)"
        )
    commands: list[tuple[str, Callable[[], float]]] = [
        ("analyze", lambda: cli_seconds(["analyze", str(big), "--json"])),
        ("md", lambda: cli_seconds(["export", str(big), "--db", str(folder / "marks.json"), "--format", "markdown"])),
        ("json", lambda: cli_seconds(["export", str(big), "--db", str(folder / "marks.json"), "--format", "json"])),
    ]
    for name, command in commands:
        if name in wanted:
            label = {"analyze": "analyze --json", "md": "export markdown", "json": "export json"}[name]
            print(f"{label} (10 MB, empty cache, target ≤ 30 s): {median([command() for _ in range(args.runs)])}")


if __name__ == "__main__":
    main()
