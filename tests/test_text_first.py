"""The reader shows the articles' text before their analysis, with the analysis' progress, and loses nothing.

The analysis is held back by the test (it waits on an event), so each check sees the screen between the first
frame and the analysis' arrival, as a reviewer opening 500 articles would.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import factdesk.tui.app as app_module
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp


class HeldAnalysis:
    """The real analysis, reporting progress and then waiting until the test releases it."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.reported = threading.Event()

    def __call__(self, corpus, progress=None):  # type: ignore[no-untyped-def]
        if progress is not None:
            progress("analysing articles", 2, len(corpus.articles))
        self.reported.set()
        self.release.wait(30)
        return analyze(corpus)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldAnalysis:
    analysis = HeldAnalysis()
    monkeypatch.setattr(app_module, "analyze", analysis)
    return analysis


def _app(seeds_copy: Path, tmp_path: Path) -> FactdeskApp:
    return FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")


def _screen_text(app: FactdeskApp) -> str:
    view = app.reader().panes[0].view
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


async def _wait_for(pilot, condition, rounds: int = 200) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition never held")


async def test_the_text_is_on_screen_while_the_analysis_runs(seeds_copy: Path, tmp_path: Path, held) -> None:
    app = _app(seeds_copy, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await _wait_for(pilot, held.reported.is_set)
        await pilot.pause(0.1)
        reader = app.reader()
        assert reader.review is None
        first = app.corpus.articles[0]
        words = first.text.split()[:3]
        shown = _screen_text(app)
        assert " ".join(words) in " ".join(shown.split()), shown[:300]
        header = str(reader.panes[0].header.render())
        assert first.title[:20] in header and "analysing" in header
        assert reader.query_one("#analysis-progress").display
        keys = {key.action for key in reader.query("FooterKey")}
        assert {"help", "quit", "verify"} <= keys  # the keys are listed while the analysis runs
        assert "2/5 articles" in str(reader.query_one("#analysis-progress").render())
        held.release.set()
        await _wait_for(pilot, lambda: reader.review is not None)
        await pilot.pause()
        assert not reader.query_one("#analysis-progress").display
        assert reader.view.current is not None  # the cursor is on a claim
        assert "claims" in str(reader.panes[0].header.render())


async def test_a_key_that_needs_the_analysis_says_so_and_marks_nothing(seeds_copy: Path, tmp_path: Path, held) -> None:
    app = _app(seeds_copy, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await _wait_for(pilot, held.reported.is_set)
        await pilot.press("v")
        await pilot.pause()
        status = str(app.reader().query_one("#status-line").render())
        assert "v: needs the analysis, which is running" in status, status
        held.release.set()
        await _wait_for(pilot, lambda: app.reader().review is not None)
    assert Store.open(tmp_path / "marks.json").marks() == []  # read back from disk: nothing was marked


async def test_reading_on_before_the_analysis_keeps_the_place(seeds_copy: Path, tmp_path: Path, held) -> None:
    app = _app(seeds_copy, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, held.reported.is_set)
        view = app.reader().view
        for _ in range(6):
            await pilot.press("j")  # no claims yet: j reads on line by line
        await pilot.pause()
        scrolled = view.scroll_offset.y
        assert scrolled == 6
        held.release.set()
        await _wait_for(pilot, lambda: app.reader().review is not None)
        await pilot.pause()
        assert view.scroll_offset.y == scrolled  # the analysis arrived under the text: the place is kept
        assert view.current is not None and view._layout is not None
        first, _ = view._layout.sentence_lines[view.current.index]
        assert first >= scrolled  # the cursor is on a claim in view, not back at the top


async def test_next_article_works_before_the_analysis(seeds_copy: Path, tmp_path: Path, held) -> None:
    app = _app(seeds_copy, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await _wait_for(pilot, held.reported.is_set)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        pane = app.reader().pane
        assert pane.article_index == 1 and pane.border_title == "2/5"
        assert pane.view.analysis is not None and pane.view.analysis.article == app.corpus.articles[1]
        held.release.set()
        await _wait_for(pilot, lambda: app.reader().review is not None)


async def test_the_collector_is_back_on_once_the_text_is_drawn(seeds_copy: Path, tmp_path: Path, held) -> None:
    """``factdesk`` turns the cyclic collector off on the way to the first frame; the app must turn it back on."""
    import gc

    app = _app(seeds_copy, tmp_path)
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await _wait_for(pilot, held.reported.is_set)
            assert gc.isenabled()
            held.release.set()
            await _wait_for(pilot, lambda: app.reader().review is not None)
    finally:
        gc.enable()


async def test_the_reader_drops_the_models_once_the_analysis_is_shown(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recogniser and the match model are needed for the analysis only: the reader lets them go (~70 MB)."""
    from factdesk.annotations.compare.match_model import shipped_model
    from factdesk.annotations.ner import load_tagger
    from factdesk.annotations.pipeline import release

    monkeypatch.setattr(app_module, "analyze", lambda corpus, **_: analyze(corpus, use_cache=False))
    trimmed: list[int] = []
    monkeypatch.setattr(release, "_malloc_trim", lambda: trimmed.append)
    app = _app(seeds_copy, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, lambda: app.reader().review is not None)
        assert load_tagger.cache_info().currsize == 0 and shipped_model.cache_info().currsize == 0
        assert trimmed == [0]
        await pilot.press("j", "v")  # the reader works on without them
        await pilot.pause()
        assert app.reader().review is not None and app.reader().view.cursor == 1


async def test_a_huge_text_is_wrapped_in_two_steps_with_the_same_lines(
    tmp_path: Path, held, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first screens of a huge article are wrapped before the first frame, the rest just after it; the lines
    are those of wrapping it all at once."""
    from factdesk.tui.widgets import article_view

    folder = tmp_path / "corpus"
    folder.mkdir()
    paragraphs = [
        f"Paragraph {n}: officials said {n} people left the town on Sunday, and more followed." for n in range(400)
    ]
    (folder / "long.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    monkeypatch.setattr(article_view, "FIRST_LAYOUT_CHARS", 4_000)
    wrapped: list[int] = []
    real = article_view.layout_article

    def counting(text, paragraphs, *args):  # type: ignore[no-untyped-def]
        wrapped.append(len(paragraphs))
        return real(text, paragraphs, *args)

    monkeypatch.setattr(article_view, "layout_article", counting)
    app = FactdeskApp(load_corpus([folder]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, held.reported.is_set)
        await pilot.pause()
        view = app.reader().view
        assert wrapped[0] < 100 and wrapped[-1] == 400  # the first screens, then every paragraph
        assert view._layout is not None and not view._layout_partial
        whole = real(view.analysis.article.text, view._paragraphs, (), view._text_width(), [])
        assert [(line.start, line.end) for line in view._layout.lines if line] == [
            (line.start, line.end) for line in whole.lines if line
        ]
        assert view.virtual_size.height == len(whole.lines)
        held.release.set()
        await _wait_for(pilot, lambda: app.reader().review is not None)


async def test_a_failed_analysis_leaves_the_text_and_says_so(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(corpus, **_):  # type: ignore[no-untyped-def]
        raise RuntimeError("the model file is damaged")

    monkeypatch.setattr(app_module, "analyze", broken)
    app = _app(seeds_copy, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        reader = app.reader()
        await _wait_for(pilot, lambda: reader.query_one("#analysis-progress").failure is not None)
        line = str(reader.query_one("#analysis-progress").render())
        assert "Analysis failed: the model file is damaged" in line
        assert " ".join(app.corpus.articles[0].text.split()[:3]) in " ".join(_screen_text(app).split())
        await pilot.press("v")
        await pilot.pause()
        status = str(reader.query_one("#status-line").render())
        assert "needs the analysis, which failed" in status, status


async def test_progress_reports_are_coalesced_to_the_latest_one_pending_delivery() -> None:
    """A burst of reports from the analysis thread wakes the event loop once, with the latest of them."""
    import asyncio

    from factdesk.tui.daemon_work import ProgressRelay

    delivered: list[tuple[str, int, int]] = []
    relay = ProgressRelay(lambda *report: delivered.append(report))
    relay("dropped before attach", 1, 2)
    relay.attach(asyncio.get_running_loop())
    burst = threading.Thread(target=lambda: [relay("analysing articles", n, 500) for n in range(1, 501)])
    burst.start()
    burst.join()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert delivered == [("analysing articles", 500, 500)]
    relay("comparing sources", 0, 0)
    await asyncio.sleep(0)
    assert delivered[-1] == ("comparing sources", 0, 0) and len(delivered) == 2
