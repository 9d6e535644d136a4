#!/usr/bin/env python3
"""Key to screen: how long ``j``, ``k``, ``v`` and ``d`` take from the key event until the screen shows the change.

    NLTK_DATA=../shared/nltk_data python bench/keys.py [--articles 0 500] [--presses 40] [--history 2000]
        [--profile] [--terminal]

Drives the real reader (``FactdeskApp(...).run_test(size=(160, 48))``, headless) on the bundled seeds
(``--articles 0``) and on N articles written as files into a temporary folder (the IE-ER newswire cycled with
the seeds, as ``bench/analysis_speed.py`` builds them), with a database already holding ``--history`` marks (and
as many history entries) of another reviewer, as a database in use for a while does.

What is timed, per key: from handing the key event to the app's driver (what the terminal's input thread does)
until the end of the first compositor refresh after the key's action returned — the moment the screen's changed
lines have been rendered and would be written to the terminal (headless, the write itself is skipped; the
real terminal round trip is ``--terminal``, below). It includes the binding dispatch, the action (for ``v``/``d``:
the store's transaction with its fsyncs, the review's update, the views' refresh calls), waiting for the
screen's next update tick (Textual paces frames at 60 per second), and rendering the dirty lines. Keys are
pressed 80 ms apart (a reviewer's fast pace; the frame pacing then never holds one back). ``v`` and ``d`` are
pressed alternately on the same claims, so each press changes the mark (a write, a history entry).

Printed per corpus and key: median and p95 in ms (targets: median ≤ 16, p95 ≤ 30), and the median breakdown:
dispatch (key → action), action (of which store write and fsync, and the review's update), render (action
end → screen refreshed), the process's CPU time and the garbage collector's (max and total over the presses).
``--profile`` adds the top functions of a cProfile of the v/d presses (``KEYS_PROFILE=j``: of j). ``--terminal``
also runs the real ``factdesk`` command in tmux and times each key from ``send-keys`` until ``capture-pane``
shows its effect (a few ms of polling resolution; the terminal's own round trip included).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe

KEYS = ("j", "k", "v", "d")
GAP = 0.08  # seconds between presses
PROFILED = os.environ.get("KEYS_PROFILE", "vd")  # the keys --profile covers


def write_corpus(count: int, folder: Path) -> Path:
    """The bench corpus as files (``count`` 0: the bundled seeds)."""
    if count == 0:
        return Path(__file__).resolve().parent.parent / "seeds"
    from analysis_speed import build_corpus

    target = folder / f"corpus-{count}"
    target.mkdir()
    for article in build_corpus(count).articles:
        (target / article.path.name).write_text(article.text, encoding="utf-8")
    return target


def prefill(db: Path, corpus_folder: Path, count: int) -> None:
    """Give the database ``count`` marks of another reviewer (each logged once in the history)."""
    if count <= 0:
        return
    from factdesk.annotations.model import Mark, Status
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.anchor import make_anchor
    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import load_corpus

    analysis = analyze(load_corpus([corpus_folder]))
    marks = []
    claims = [(a, s) for a in analysis.articles for s in a.claims]
    for number in range(count):
        article, sentence = claims[number % len(claims)]
        text = article.article.text
        marks.append(
            Mark(
                article_id=article.article.id,
                anchor=make_anchor(text, sentence.start, sentence.end),
                status=Status.VERIFIED if number % 3 else Status.DISPUTED,
                note="",
                reviewer=f"earlier{number // len(claims)}",
                updated=f"2026-01-01T00:{number // 60 % 60:02d}:{number % 60:02d}Z",
            )
        )
    store = Store.open(db)
    store.add_marks(marks)
    store.close()


class Probe:
    """Timestamps of one key press: sent, action started/ended, store write and fsync time, screen refreshed."""

    def __init__(self) -> None:
        self.sent = self.action_start = self.action_end = self.refreshed = 0.0
        self.store = self.fsync = self.review = self.frame = self.frame_start = 0.0
        self.cpu = self.cpu_sent = self.gc = 0.0
        self.waiting: asyncio.Event | None = None

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]


def wrap_timed(owner: Any, name: str, add: Callable[[float], None]) -> None:
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            add(time.perf_counter() - began)

    setattr(owner, name, timed)


async def drive(corpus_folder: Path, db: Path, presses: int, profile: cProfile.Profile | None) -> dict[str, list]:
    from textual import events

    from factdesk.annotations.storage import store as store_module
    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import load_corpus
    from factdesk.tui.app import FactdeskApp

    probe = Probe()
    samples: dict[str, list] = {key: [] for key in KEYS}
    app = FactdeskApp(load_corpus([corpus_folder]), Store.open(db), reviewer="bench")

    def add_store(seconds: float) -> None:
        probe.store += seconds

    def add_fsync(seconds: float) -> None:
        probe.fsync += seconds

    def add_review(seconds: float) -> None:
        probe.review += seconds

    gc_started = [0.0]

    def gc_timer(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        elif probe.sent and not probe.refreshed:
            probe.gc += time.perf_counter() - gc_started[0]

    gc.callbacks.append(gc_timer)
    wrap_timed(store_module.Store, "_transaction", add_store)
    wrap_timed(os, "fsync", add_fsync)
    async with app.run_test(size=(160, 48)) as pilot:
        deadline = time.perf_counter() + 600
        while True:  # the text comes first; the analysis arrives later
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.reader()
            if screen.review is not None and screen.view.analysis is not None:
                break
            if time.perf_counter() > deadline:
                raise SystemExit("the reader never loaded the analysis")
        review = screen.review
        assert review is not None
        wrap_timed(review, "_remember", add_review)
        for name in ("action_next_claim", "action_previous_claim", "action_verify", "action_dispute"):
            original = getattr(screen, name)

            def timed_action(original: Callable[[], None] = original) -> None:
                probe.action_start = time.perf_counter()
                try:
                    original()
                finally:
                    probe.action_end = time.perf_counter()

            setattr(screen, name, timed_action)
        refresh = screen._compositor_refresh
        layout = screen._refresh_layout

        def timed_layout(*args: Any, **kwargs: Any) -> None:
            if probe.action_end and not probe.frame_start:
                probe.frame_start = time.perf_counter()
            layout(*args, **kwargs)

        def timed_refresh() -> None:
            if probe.action_end and not probe.frame_start:
                probe.frame_start = time.perf_counter()
            refresh()
            if probe.action_end and not probe.refreshed:
                probe.refreshed = time.perf_counter()
                probe.frame = probe.refreshed - probe.frame_start
                probe.cpu = time.process_time() - probe.cpu_sent
                if probe.waiting is not None:
                    probe.waiting.set()

        screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
        screen._refresh_layout = timed_layout  # type: ignore[method-assign]
        await pilot.pause(0.3)

        async def press(key: str) -> None:
            probe.reset()
            probe.waiting = asyncio.Event()
            await asyncio.sleep(GAP)
            probe.sent, probe.cpu_sent = time.perf_counter(), time.process_time()
            if profile is not None and key in PROFILED:
                profile.enable()
            app._driver.send_message(events.Key(key, key))  # type: ignore[union-attr]
            await asyncio.wait_for(probe.waiting.wait(), 5)
            if profile is not None and key in PROFILED:
                profile.disable()
            samples[key].append(
                (
                    probe.refreshed - probe.sent,
                    probe.action_start - probe.sent,
                    probe.action_end - probe.action_start,
                    probe.store,
                    probe.fsync,
                    probe.review,
                    probe.refreshed - probe.action_end,
                    probe.frame,
                    probe.cpu,
                    probe.gc,
                )
            )

        for _ in range(presses):
            await press("j")
        for _ in range(presses):
            await press("k")
        for number in range(presses):
            await press("v")
            await press("d")
            if number % 2:
                await press("j")
        await pilot.press("q")
    for key in samples:
        samples[key] = samples[key][2:]  # the first presses warm caches (a fresh line's first render)
    return samples


def terminal_round_trips(corpus_folder: Path, db: Path, cache: Path, presses: int) -> dict[str, list[float]]:
    """Key → screen through a real terminal (tmux 160x48): from ``send-keys`` until ``capture-pane`` shows the
    change (the inspector's "Claim N of" for j/k, "✓ Verified"/"✗ Disputed" for v/d), on a new database (so the
    verdict on screen is ours). Polling the pane costs a few ms, so these are upper bounds with a few ms of
    resolution; they add the terminal's own round trip."""
    session = f"factdesk-keys-{os.getpid()}"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout

    def wait_for(pattern: str, timeout: float = 60.0) -> float:
        rx = re.compile(pattern)
        began = time.perf_counter()
        while time.perf_counter() - began < timeout:
            if rx.search(tmux("capture-pane", "-p", "-t", session)):
                return time.perf_counter() - began
            time.sleep(0.001)
        raise TimeoutError(f"{pattern!r} did not appear:\n" + tmux("capture-pane", "-p", "-t", session))

    exe = shutil.which("factdesk") or f"{sys.executable} -m factdesk"
    config = db.parent / "terminal-config"
    command = (
        f"TERM=xterm-256color FACTDESK_REVIEWER=bench XDG_CACHE_HOME={cache} XDG_CONFIG_HOME={config} "
        f"{exe} {corpus_folder} --db {db}"
    )
    trips: dict[str, list[float]] = {key: [] for key in KEYS}
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "48", command)
    try:
        wait_for(r"Claim 1 of \d+", timeout=600)
        time.sleep(0.5)
        total = int(re.findall(r"Claim 1 of (\d+)", tmux("capture-pane", "-p", "-t", session))[0])
        presses = min(presses, total - 1)

        def trip(key: str, pattern: str) -> None:
            time.sleep(GAP)
            tmux("send-keys", "-t", session, key)
            trips[key].append(wait_for(pattern))

        for number in range(presses):
            trip("j", rf"Claim {number + 2} of \d+")
        for number in range(presses, 0, -1):
            trip("k", rf"Claim {number} of \d+")
        for _ in range(presses):
            trip("v", r"of \d+ · ✓ Verified")
            trip("d", r"of \d+ · ✗ Disputed")
        tmux("send-keys", "-t", session, "q")
        time.sleep(0.5)
    finally:
        tmux("kill-session", "-t", session)
    return trips


def report_terminal(label: str, trips: dict[str, list[float]]) -> None:
    print(f"\n{label}, new database, {len(trips['j'])} presses per key, through tmux")
    print("key  median   p95   [ms]")
    for key in KEYS:
        times = sorted(trips[key])
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"  {key}  {statistics.median(times) * 1000:6.1f}  {p95 * 1000:6.1f}")


def report(label: str, samples: dict[str, list]) -> None:
    print(f"\n{label}")
    print("key  median   p95    | dispatch  action (store  fsync  review)  render (frame)   cpu  | gc: max, total")
    for key in KEYS:
        rows = samples[key]
        total = sorted(r[0] for r in rows)
        p95 = total[min(len(total) - 1, round(0.95 * (len(total) - 1)))]
        parts = [statistics.median(r[i] for r in rows) * 1000 for i in range(1, 9)]
        collected = [r[9] * 1000 for r in rows]
        print(
            f"  {key}  {statistics.median(total) * 1000:6.1f}  {p95 * 1000:6.1f}  | {parts[0]:7.1f}  {parts[1]:6.1f}"
            f"  ({parts[2]:5.1f}  {parts[3]:5.1f}  {parts[4]:5.1f})  {parts[5]:6.1f} ({parts[6]:5.1f})  {parts[7]:5.1f}"
            f" | {max(collected):5.1f} {sum(collected):6.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[0, 500], help="0: the bundled seeds")
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--history", type=int, default=2000, help="marks (and log entries) already in the database")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--terminal", action="store_true", help="also time the keys through tmux (needs tmux)")
    args = parser.parse_args()
    print(describe())
    with tempfile.TemporaryDirectory(prefix="factdesk-keys-") as folder:
        os.environ.setdefault("XDG_CACHE_HOME", str(Path(folder) / "cache"))
        os.environ["XDG_CONFIG_HOME"] = str(Path(folder) / "config")
        for count in args.articles:
            corpus = write_corpus(count, Path(folder))
            db = Path(folder) / f"marks-{count}.json"
            prefill(db, corpus, args.history)
            profile = cProfile.Profile() if args.profile else None
            samples = asyncio.run(drive(corpus, db, args.presses, profile))
            name = "seeds" if count == 0 else f"{count} articles"
            report(f"{name}, {args.history} marks already in the database, {args.presses} presses per key", samples)
            if args.terminal and shutil.which("tmux"):
                terminal_db = Path(folder) / f"terminal-{count}.json"  # (empty: the screen must name our verdict)
                cache = Path(os.environ["XDG_CACHE_HOME"])
                report_terminal(name, terminal_round_trips(corpus, terminal_db, cache, min(args.presses, 20)))
            if profile is not None:
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out)
                stats.sort_stats("cumulative").print_stats(40)
                stats.sort_stats("tottime").print_stats(25)
                print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
